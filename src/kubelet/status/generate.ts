// generateAPIPodStatus (upstream kubelet): turns the runtime's view of a pod plus the kubelet's per-container
// waiting reasons into the API PodStatus — container statuses, phase, IPs, startTime, qosClass, then (after
// the prober had its say on started/ready) the conditions.
import { computeQOSClass } from '../../api/core/v1/qos.js';
import type { Container, ContainerState, ContainerStatus, Pod, PodCondition, PodPhase, PodStatus } from '../../api/core/v1/types.js';
import { containerHistory, type RuntimeContainerStatus, type RuntimePodStatus } from '../kuberuntime/pod_status.js';
import {
  containersReadyCondition,
  kubeletConditionTypes,
  podInitializedCondition,
  podReadyCondition,
  podReadyToStartContainersCondition,
} from './conditions.js';
import { getPhase } from './phase.js';

export const containerIDPrefix = 'k8ts://';

/** metav1.Time wire form (RFC 3339, whole seconds). */
export function apiTime(t: string | undefined): string | null {
  if (!t) return null;
  const ms = Date.parse(t);
  return Number.isFinite(ms) ? new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z') : t;
}

export interface WaitingReason {
  reason: string;
  message?: string;
}

export interface GenerateStatusInput {
  pod: Pod;
  runtime: RuntimePodStatus;
  /** The last status the kubelet computed (or the API's). */
  oldStatus?: PodStatus;
  /** Why a container could not be started on the last try (CrashLoopBackOff, ErrImagePull, ...), by container name. */
  reasons?: Map<string, WaitingReason>;
  podIsTerminal?: boolean;
  hostIPs: string[];
  now?: string;
  /**
   * Called with the status before the conditions are computed (container statuses, phase and IPs set):
   * the prober manager sets `started`/`ready` here, so that ContainersReady/Ready follow the probes.
   */
  updateContainerStatuses?: (status: PodStatus) => void;
}

function terminatedState(cs: RuntimeContainerStatus): ContainerState {
  if (cs.state === 'unknown') {
    return {
      terminated: {
        exitCode: 137,
        reason: 'ContainerStatusUnknown',
        message: 'The container could not be located when the pod was terminated',
        startedAt: apiTime(cs.startedAt),
        finishedAt: apiTime(cs.finishedAt),
        containerID: containerIDPrefix + cs.id,
      },
    };
  }
  const t: NonNullable<ContainerState['terminated']> = { exitCode: cs.exitCode ?? 0 };
  if (cs.reason) t.reason = cs.reason;
  if (cs.message) t.message = cs.message;
  t.startedAt = apiTime(cs.startedAt);
  t.finishedAt = apiTime(cs.finishedAt);
  t.containerID = containerIDPrefix + cs.id;
  return { terminated: t };
}

function convertContainerStatuses(
  pod: Pod,
  runtime: RuntimePodStatus,
  containers: Container[],
  defaultReason: string,
  reasons: Map<string, WaitingReason>,
  podIsTerminal: boolean,
  oldStatuses: ContainerStatus[] | undefined,
  isInit = false,
): ContainerStatus[] {
  const policy = pod.spec?.restartPolicy ?? 'Always';
  return containers.map((c) => {
    const history = containerHistory(runtime, c.name);
    const newest = history[0];
    const old = oldStatuses?.find((s) => s.name === c.name);
    let st: ContainerStatus;
    if (!newest) {
      st = {
        name: c.name,
        state: { waiting: { reason: defaultReason } },
        lastState: {},
        ready: false,
        restartCount: old?.restartCount ?? 0,
        image: c.image ?? '',
        imageID: '',
        started: false,
      };
      // Keep what we knew about an earlier run (e.g. containers removed by the runtime).
      if (old?.state?.terminated) {
        st.state = old.state;
        st.lastState = old.lastState ?? {};
        st.imageID = old.imageID;
        if (old.containerID) st.containerID = old.containerID;
      }
    } else {
      st = {
        name: c.name,
        state: {},
        lastState: {},
        ready: false,
        restartCount: newest.restartCount,
        image: newest.image || c.image || '',
        imageID: newest.imageID,
        containerID: containerIDPrefix + newest.id,
        started: false,
      };
      if (newest.state === 'running') {
        st.state = { running: { startedAt: apiTime(newest.startedAt ?? newest.createdAt) ?? undefined } };
        st.started = true;
        st.ready = !podIsTerminal && !pod.metadata.deletionTimestamp;
      } else if (newest.state === 'created') {
        st.state = { waiting: { reason: 'ContainerCreating' } };
      } else {
        st.state = terminatedState(newest);
        // a regular init container that completed counts as ready (upstream)
        if (isInit && c.restartPolicy !== 'Always' && newest.state === 'exited' && newest.exitCode === 0) st.ready = true;
      }
      const prev = history[1];
      if (prev && prev.state !== 'running') st.lastState = terminatedState(prev);
    }
    const r = reasons.get(c.name);
    if (r && !podIsTerminal && !st.state?.running) {
      const exited = newest && newest.state === 'exited';
      const willRestart = !exited || c.restartPolicy === 'Always' || policy === 'Always' || (policy === 'OnFailure' && newest!.exitCode !== 0);
      if (willRestart) {
        if (st.state?.terminated) st.lastState = st.state;
        st.state = { waiting: r.message ? { reason: r.reason, message: r.message } : { reason: r.reason } };
      }
    }
    return st;
  });
}

function mergeTransitionTimes(conds: PodCondition[], old: PodCondition[] | undefined, now: string): PodCondition[] {
  return conds.map((c) => {
    const prev = old?.find((o) => o.type === c.type);
    const out: PodCondition = { type: c.type, status: c.status };
    out.lastProbeTime = null;
    out.lastTransitionTime = prev && prev.status === c.status && prev.lastTransitionTime ? prev.lastTransitionTime : now;
    if (c.reason) out.reason = c.reason;
    if (c.message) out.message = c.message;
    if (c.observedGeneration !== undefined) out.observedGeneration = c.observedGeneration;
    return out;
  });
}

export function generateAPIPodStatus(input: GenerateStatusInput): PodStatus {
  const { pod, runtime } = input;
  const now = input.now ?? new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const spec = pod.spec ?? { containers: [] };
  const apiStatus = pod.status ?? {};
  const old = input.oldStatus ?? apiStatus;
  const reasons = input.reasons ?? new Map<string, WaitingReason>();
  const terminal = !!input.podIsTerminal;
  const hasInits = (spec.initContainers ?? []).length > 0;
  const s: PodStatus = {};

  const containerStatuses = convertContainerStatuses(
    pod,
    runtime,
    spec.containers ?? [],
    hasInits ? 'PodInitializing' : 'ContainerCreating',
    reasons,
    terminal,
    old.containerStatuses,
  );
  const initStatuses = convertContainerStatuses(pod, runtime, spec.initContainers ?? [], 'PodInitializing', reasons, terminal, old.initContainerStatuses, true);
  const all = [...initStatuses, ...containerStatuses];

  let phase = getPhase(pod, all, terminal);
  if (phase !== 'Failed' && phase !== 'Succeeded') {
    if (old.phase === 'Failed' || old.phase === 'Succeeded') phase = old.phase;
    else if (apiStatus.phase === 'Failed' || apiStatus.phase === 'Succeeded') phase = apiStatus.phase;
  }
  if ((apiStatus.phase === 'Failed' || apiStatus.phase === 'Succeeded') && phase !== apiStatus.phase) phase = apiStatus.phase;
  s.phase = phase;

  if (phase === old.phase) {
    if (old.reason ?? apiStatus.reason) s.reason = old.reason ?? apiStatus.reason;
    if (old.message ?? apiStatus.message) s.message = old.message ?? apiStatus.message;
  }

  if (input.hostIPs.length) {
    s.hostIP = input.hostIPs[0];
    s.hostIPs = input.hostIPs.map((ip) => ({ ip }));
  }
  const podIPs = spec.hostNetwork ? input.hostIPs : runtime.ips.length ? runtime.ips : (old.podIPs ?? []).map((p) => p.ip);
  if (podIPs.length) {
    s.podIP = podIPs[0];
    s.podIPs = podIPs.map((ip) => ({ ip }));
  }
  s.startTime = old.startTime ?? apiStatus.startTime ?? now;
  if (hasInits) s.initContainerStatuses = initStatuses;
  s.containerStatuses = containerStatuses;
  const ephemeral = spec.ephemeralContainers ?? [];
  if (ephemeral.length) {
    // Never ready, never restarted, no probes (so no `started`); they do not count for phase or conditions.
    const eph = convertContainerStatuses(pod, runtime, ephemeral, 'ContainerCreating', reasons, terminal, old.ephemeralContainerStatuses, true);
    s.ephemeralContainerStatuses = eph.map(({ started: _started, ...st }) => ({ ...st, ready: false }));
  }
  s.qosClass = computeQOSClass(pod);

  input.updateContainerStatuses?.(s);
  s.conditions = podConditions(pod, runtime, [...(s.initContainerStatuses ?? []), ...(s.containerStatuses ?? [])], phase, old, now);
  return s;
}

/** The kubelet-owned conditions (from the final container statuses), PodScheduled, and others' conditions kept. */
function podConditions(pod: Pod, runtime: RuntimePodStatus, all: ContainerStatus[], phase: PodPhase, old: PodStatus, now: string): PodCondition[] {
  const spec = pod.spec ?? { containers: [] };
  const apiStatus = pod.status ?? {};
  const conds: PodCondition[] = (apiStatus.conditions ?? []).filter((c) => !kubeletConditionTypes.has(c.type));
  conds.push(podReadyToStartContainersCondition(runtime));
  conds.push(podInitializedCondition(spec, all, phase));
  conds.push(podReadyCondition(spec, apiStatus.conditions ?? [], all, phase));
  conds.push(containersReadyCondition(spec, all, phase));
  const merged = mergeTransitionTimes(conds, old.conditions, now);
  // PodScheduled belongs to the scheduler; keep its record (it is True once the pod is here).
  const sched = (apiStatus.conditions ?? []).find((c) => c.type === 'PodScheduled');
  merged.push(
    sched && sched.status === 'True'
      ? sched
      : {
          type: 'PodScheduled',
          status: 'True',
          lastProbeTime: null,
          lastTransitionTime: sched?.lastTransitionTime && sched.status === 'True' ? sched.lastTransitionTime : now,
        },
  );
  // keep custom conditions untouched
  return merged.map((c) => (kubeletConditionTypes.has(c.type) ? c : ((apiStatus.conditions ?? []).find((o) => o.type === c.type) ?? c)));
}
