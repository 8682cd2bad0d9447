// computePodActions (upstream kuberuntime): compares a pod's spec with what the runtime runs and decides
// what one sync must do — (re)create the sandbox, which init container(s) to start next (regular ones one by
// one to success, restartable "sidecar" ones kept running), which app containers to start, which to kill.
import type { Container, Pod } from '../../api/core/v1/types.js';
import { ephemeralContainersToStart } from './ephemeral.js';
import { hashContainer } from './labels.js';
import { findContainerStatus, type RuntimeContainerStatus, type RuntimePodStatus } from './pod_status.js';

export interface ContainerToKill {
  id: string;
  name: string;
  /** The Killing event's message (complete, with ", will be restarted" when the container is restarted). */
  reason: string;
  /** Overrides the pod's grace period (probe-level terminationGracePeriodSeconds). */
  gracePeriodSeconds?: number;
}

/** Why a running container must be killed because its liveness or startup probe failed (from the prober). */
export interface ProbeKillRequest {
  /** "Container NAME failed liveness probe". */
  message: string;
  gracePeriodSeconds?: number;
}

export interface ComputeActionsOptions {
  /** Asked for every running app container and sidecar (upstream: the liveness/startup results). */
  probeKill?: (container: Container, containerId: string) => ProbeKillRequest | undefined;
}

export interface PodActions {
  /** Kill every container and the sandbox (before re-creating it, or because the pod is done). */
  killPod: boolean;
  createSandbox: boolean;
  /** Existing sandbox to run containers in ('' when one must be created). */
  sandboxId: string;
  /** Attempt number of the sandbox to create. */
  attempt: number;
  /** Init container indexes to start, in order. */
  initContainersToStart: number[];
  /** App container indexes to start. */
  containersToStart: number[];
  /** spec.ephemeralContainers indexes to start (each once; see ephemeral.ts). */
  ephemeralContainersToStart?: number[];
  containersToKill: ContainerToKill[];
}

export const isRestartableInitContainer = (c: Container): boolean => c.restartPolicy === 'Always';

function restartPolicy(pod: Pod): 'Always' | 'OnFailure' | 'Never' {
  return pod.spec?.restartPolicy ?? 'Always';
}

export function shouldRestartOnFailure(pod: Pod): boolean {
  return restartPolicy(pod) !== 'Never';
}

function containerSucceeded(c: Container, status: RuntimePodStatus): boolean {
  const cs = findContainerStatus(status, c.name);
  return !!cs && cs.state === 'exited' && cs.exitCode === 0;
}

/** Upstream ShouldContainerBeRestarted for regular containers. */
export function shouldContainerBeRestarted(c: Container, pod: Pod, status: RuntimePodStatus): boolean {
  if (pod.metadata.deletionTimestamp) return false;
  const cs = findContainerStatus(status, c.name);
  if (!cs) return true;
  if (cs.state === 'running') return false;
  if (cs.state === 'unknown' || cs.state === 'created') return true;
  const policy = restartPolicy(pod);
  if (policy === 'Never') return false;
  if (policy === 'OnFailure' && cs.exitCode === 0) return false;
  return true;
}

/** Whether any app container has ever been created (then init containers are done for good). */
export function hasAnyRegularContainerCreated(pod: Pod, status: RuntimePodStatus): boolean {
  return (pod.spec?.containers ?? []).some((c) => !!findContainerStatus(status, c.name));
}

/** Whether the newest sandbox is usable; if not, the attempt number for a new one. */
export function podSandboxChanged(pod: Pod, status: RuntimePodStatus): { create: boolean; attempt: number; sandboxId: string } {
  const newest = status.sandboxes[0];
  if (!newest) return { create: true, attempt: 0, sandboxId: '' };
  if (!newest.ready) return { create: true, attempt: newest.attempt + 1, sandboxId: newest.id };
  if (!!pod.spec?.hostNetwork !== newest.hostNetwork) return { create: true, attempt: newest.attempt + 1, sandboxId: newest.id };
  if (!newest.hostNetwork && !newest.ip) return { create: true, attempt: newest.attempt + 1, sandboxId: newest.id };
  return { create: false, attempt: newest.attempt, sandboxId: newest.id };
}

/** Fills init-container actions; returns whether initialization is complete (app containers may run). */
function computeInitContainerActions(pod: Pod, status: RuntimePodStatus, changes: PodActions, opts: ComputeActionsOptions): boolean {
  const inits = pod.spec?.initContainers ?? [];
  if (!inits.length) return true;
  const deleting = !!pod.metadata.deletionTimestamp;
  if (hasAnyRegularContainerCreated(pod, status)) {
    // Initialization happened once: never rerun regular init containers, only keep sidecars alive.
    inits.forEach((c, i) => {
      if (!isRestartableInitContainer(c) || deleting) return;
      const cs = findContainerStatus(status, c.name);
      if (!cs || cs.state !== 'running') {
        if (cs && cs.state !== 'exited') changes.containersToKill.push({ id: cs.id, name: c.name, reason: 'Init container is in an unknown state' });
        changes.initContainersToStart.push(i);
        return;
      }
      // A running sidecar whose liveness/startup probe failed is restarted (sidecars always are).
      const kill = opts.probeKill?.(c, cs.id);
      if (kill) {
        changes.containersToKill.push({
          id: cs.id,
          name: c.name,
          reason: `${kill.message}, will be restarted`,
          ...(kill.gracePeriodSeconds !== undefined ? { gracePeriodSeconds: kill.gracePeriodSeconds } : {}),
        });
        changes.initContainersToStart.push(i);
      }
    });
    return true;
  }
  for (let i = 0; i < inits.length; i++) {
    const c = inits[i]!;
    const cs: RuntimeContainerStatus | undefined = findContainerStatus(status, c.name);
    const restartable = isRestartableInitContainer(c);
    if (!cs) {
      changes.initContainersToStart.push(i);
      return false;
    }
    switch (cs.state) {
      case 'running':
        if (!restartable) return false; // wait for it to finish
        continue; // sidecar up: move on to the next one
      case 'exited':
        if (restartable) {
          changes.initContainersToStart.push(i);
          return false;
        }
        if (cs.exitCode === 0) continue;
        if (!shouldRestartOnFailure(pod)) {
          changes.killPod = true;
          changes.initContainersToStart = [];
          return false;
        }
        changes.initContainersToStart.push(i);
        return false;
      default:
        // created but never started, or unknown: kill it and try again
        changes.containersToKill.push({ id: cs.id, name: c.name, reason: 'Init container is in an unknown state' });
        changes.initContainersToStart.push(i);
        return false;
    }
  }
  return true;
}

export function computePodActions(pod: Pod, status: RuntimePodStatus, opts: ComputeActionsOptions = {}): PodActions {
  const spec = pod.spec ?? { containers: [] };
  const sb = podSandboxChanged(pod, status);
  const changes: PodActions = {
    killPod: sb.create,
    createSandbox: sb.create,
    sandboxId: sb.create ? '' : sb.sandboxId,
    attempt: sb.attempt,
    initContainersToStart: [],
    containersToStart: [],
    ephemeralContainersToStart: [],
    containersToKill: [],
  };

  if (sb.create) {
    if (!shouldRestartOnFailure(pod) && sb.attempt !== 0 && status.containers.length !== 0) {
      // restartPolicy Never and the sandbox died after containers ran: the pod is done.
      changes.createSandbox = false;
      return changes;
    }
    if (pod.metadata.deletionTimestamp) {
      changes.createSandbox = false;
      return changes;
    }
    const toStart: number[] = [];
    spec.containers.forEach((c, i) => {
      if (restartPolicy(pod) === 'OnFailure' && containerSucceeded(c, status)) return;
      if (restartPolicy(pod) === 'Never' && findContainerStatus(status, c.name)?.state === 'exited') return;
      toStart.push(i);
    });
    if (!hasAnyRegularContainerCreated(pod, status) && (spec.initContainers ?? []).length) {
      changes.initContainersToStart = [0];
      return changes;
    }
    if (toStart.length === 0 && status.containers.length !== 0) {
      // Nothing left to run (all succeeded): do not bring the sandbox back.
      changes.createSandbox = false;
      return changes;
    }
    changes.containersToStart = toStart;
    return changes;
  }

  // Ephemeral containers may start before initialization is complete.
  changes.ephemeralContainersToStart = ephemeralContainersToStart(pod, status);
  const initialized = computeInitContainerActions(pod, status, changes, opts);
  if (changes.killPod || !initialized) return changes;

  let keepCount = 0;
  spec.containers.forEach((c, i) => {
    const cs = findContainerStatus(status, c.name);
    if (!cs || cs.state !== 'running') {
      if (cs && (cs.state === 'created' || cs.state === 'unknown'))
        changes.containersToKill.push({ id: cs.id, name: c.name, reason: 'Container is in an unknown state' });
      if (shouldContainerBeRestarted(c, pod, status)) changes.containersToStart.push(i);
      return;
    }
    if (cs.hash && cs.hash !== hashContainer(c) && !pod.metadata.deletionTimestamp) {
      changes.containersToKill.push({ id: cs.id, name: c.name, reason: `Container ${c.name} definition changed, will be restarted` });
      changes.containersToStart.push(i);
      return;
    }
    // Liveness / startup probe failure: kill, and restart unless the policy says never (upstream).
    const kill = pod.metadata.deletionTimestamp ? undefined : opts.probeKill?.(c, cs.id);
    if (kill) {
      const restart = shouldRestartOnFailure(pod);
      changes.containersToKill.push({
        id: cs.id,
        name: c.name,
        reason: restart ? `${kill.message}, will be restarted` : kill.message,
        ...(kill.gracePeriodSeconds !== undefined ? { gracePeriodSeconds: kill.gracePeriodSeconds } : {}),
      });
      if (restart) changes.containersToStart.push(i);
      return;
    }
    keepCount++;
  });
  if (keepCount === 0 && changes.containersToStart.length === 0) {
    changes.killPod = true;
    changes.initContainersToStart = [];
  }
  return changes;
}
