// KubeRuntimeManager (upstream kuberuntime_manager.go): reads a pod's runtime status and performs the
// PodActions computePodActions chose — kill, (re)create the sandbox, ensure images, build container
// configs (env, mounts, resources, securityContext) and start init containers in order, app containers in
// parallel (up to a postStart hook), with restart backoff, postStart/preStop hooks and upstream events.
// A pod's runtime view comes from the relist cache when fresh, else from a read of just that pod.
import type { Container, Pod, ResourceList } from '../../api/core/v1/types.js';
import type { RuntimeService } from '../../runtime/index.js';
import type { ContainerConfig, SecurityContext } from '../../runtime/types.js';
import type { DockerConfigJSON } from '../../runtime/images/index.js';
import type { ImageService } from '../../runtime/cri.js';
import { makeEnvironment, expandCommand, ContainerConfigError, type ObjectSource } from '../envvars.js';
import type { ImageManager } from '../images/image_manager.js';
import { containerFieldPath, type Recorder } from '../events.js';
import type { WaitingReason } from '../status/generate.js';
import type { Backoff } from './backoff.js';
import { runPostStart, runPreStop, gracePeriodAfterPreStop, PostStartHookError, type HookDeps } from '../lifecycle/handlers.js';
import { computePodActions, isRestartableInitContainer, type ComputeActionsOptions, type PodActions } from './compute_actions.js';
import { ephemeralContainer, targetContainerId } from './ephemeral.js';
import {
  AnnotationContainerHash,
  AnnotationImageRef,
  AnnotationContainerType,
  AnnotationTerminationMessagePolicy,
  LabelContainerName,
  LabelPodName,
  LabelPodNamespace,
  LabelPodUID,
  hashContainer,
} from './labels.js';
import { TerminationMessages } from './termination_message.js';
import { containerHistory, groupByPod, emptyPodStatus, type RuntimeContainerStatus, type RuntimePodStatus } from './pod_status.js';
import type { RuntimePodCache } from './pod_cache.js';
import { containerResources } from './resources.js';
import { makeSandboxConfig } from './sandbox_config.js';
import type { DNSConfigurer } from '../network/dns.js';
import { errMessage, objRef, type Logger } from '../../log/logger.js';

/** What the kubelet needs from the volume manager (src/kubelet/volumes). */
export interface VolumeManagerLike {
  setUp(pod: Pod, ctx: { podIP?: string; hostIP?: string }): Promise<unknown>;
  mountsFor(pod: Pod, container: Container, env?: Record<string, string>): Promise<MountLike[]> | MountLike[];
  refresh?(pod: Pod): Promise<boolean | unknown>;
  tearDown(podUID: string): Promise<unknown>;
}
export interface MountLike {
  hostPath: string;
  containerPath: string;
  readOnly?: boolean;
  propagation?: 'private' | 'rslave' | 'rshared';
}

export interface RuntimeManagerDeps {
  runtime: RuntimeService;
  store: ImageService;
  images: ImageManager;
  recorder: Recorder;
  backoff: Backoff;
  volumes?: VolumeManagerLike;
  source: ObjectSource;
  nodeName: string;
  hostIPs: () => string[];
  nodeAllocatable: () => ResourceList;
  pullSecrets: (pod: Pod) => Promise<DockerConfigJSON[]>;
  /** The kubelet's logger: sandbox and container starts at info, failures as errors. */
  log?: Logger;
  /** For the kube-lifecycle/<major.minor> User-Agent of httpGet hooks. */
  kubeVersion?: string;
  /** The PLEG's relists by pod; getPodStatus serves fresh entries from it and every change is marked in it. */
  cache?: RuntimePodCache;
  /** A pod's Service variables (the `kubernetes` Service, its namespace's with enableServiceLinks); throws ContainerConfigError until Services are known. */
  serviceEnv?: (pod: Pod) => Record<string, string>;
  /** Builds each sandbox's resolv.conf from the pod's dnsPolicy (upstream dns.Configurer). */
  dns?: DNSConfigurer;
}

export const hasPodActions = (a: PodActions): boolean =>
  a.killPod ||
  a.createSandbox ||
  a.initContainersToStart.length > 0 ||
  a.containersToStart.length > 0 ||
  (a.ephemeralContainersToStart?.length ?? 0) > 0 ||
  a.containersToKill.length > 0;

export interface SyncPodResult {
  /** Waiting reasons of containers that could not start in this sync (absent = started or not attempted). */
  reasons: Map<string, WaitingReason>;
  /** Containers started successfully in this sync. */
  started: string[];
  requeueAfterMs?: number;
}

/** Go's time.Duration String() for whole seconds: 10s, 1m20s, 5m0s. */
export function goDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${s % 60}s`;
  return `${Math.floor(m / 60)}h${m % 60}m${s % 60}s`;
}

const minRequeue = (a: number | undefined, b: number | undefined): number | undefined => (a === undefined ? b : b === undefined ? a : Math.min(a, b));

export class KubeRuntimeManager {
  private readonly hooks: HookDeps;
  private readonly terminationMessages = new TerminationMessages();

  constructor(private readonly d: RuntimeManagerDeps) {
    this.hooks = { exec: (id, cmd, t) => d.runtime.execSync(id, cmd, t), recorder: d.recorder, kubeVersion: d.kubeVersion };
  }

  /**
   * The runtime's view of one pod: the cached relist when it began after the kubelet's last change of the
   * pod, else a read of only this pod's sandboxes and their containers (never a walk of every container).
   */
  async getPodStatus(pod: { uid: string; name: string; namespace: string }): Promise<RuntimePodStatus> {
    const cache = this.d.cache;
    const status = cache?.isFresh(pod.uid) ? (cache.peek(pod.uid) ?? emptyPodStatus(pod.uid, pod.name, pod.namespace)) : await this.readPodStatus(pod);
    await this.terminationMessages.fill(status);
    return status;
  }

  /** Reads the pod from the runtime: its sandboxes, and the containers of those (and of sandboxes last seen). */
  async readPodStatus(pod: { uid: string; name: string; namespace: string }): Promise<RuntimePodStatus> {
    const sandboxes = await this.d.runtime.listPodSandboxes({ podUid: pod.uid });
    const ids = new Set(sandboxes.map((s) => s.id));
    // containers whose sandbox record is gone (an interrupted removal) are still the pod's
    for (const c of this.d.cache?.peek(pod.uid)?.containers ?? []) ids.add(c.sandboxId);
    const containers = (await Promise.all([...ids].map((id) => this.d.runtime.listContainers({ sandboxId: id })))).flat();
    return groupByPod(sandboxes, containers).get(pod.uid) ?? emptyPodStatus(pod.uid, pod.name, pod.namespace);
  }

  /** Every pod the runtime knows about. */
  async getAllPods(): Promise<Map<string, RuntimePodStatus>> {
    const [sandboxes, containers] = await Promise.all([this.d.runtime.listPodSandboxes(), this.d.runtime.listContainers()]);
    return groupByPod(sandboxes, containers);
  }

  computeActions(pod: Pod, status: RuntimePodStatus, opts: ComputeActionsOptions = {}): PodActions {
    return computePodActions(pod, status, opts);
  }

  async syncPod(pod: Pod, status: RuntimePodStatus, actions: PodActions, gracePeriodSec: number): Promise<SyncPodResult> {
    if (!hasPodActions(actions)) return { reasons: new Map(), started: [] };
    try {
      return await this.doSyncPod(pod, status, actions, gracePeriodSec);
    } finally {
      this.d.cache?.markChanged(pod.metadata.uid!);
    }
  }

  private async doSyncPod(pod: Pod, status: RuntimePodStatus, actions: PodActions, gracePeriodSec: number): Promise<SyncPodResult> {
    const result: SyncPodResult = { reasons: new Map(), started: [] };
    const spec = pod.spec ?? { containers: [] };
    if (actions.killPod) {
      if (actions.createSandbox && status.sandboxes.length) {
        this.d.recorder.event(pod, 'Normal', 'SandboxChanged', 'Pod sandbox changed, it will be killed and re-created.');
      }
      await this.killPod(pod, status, gracePeriodSec);
      if (!actions.createSandbox) return result;
    }
    for (const k of actions.containersToKill) {
      const c = [...spec.containers, ...(spec.initContainers ?? [])].find((x) => x.name === k.name);
      const cs = status.containers.find((x) => x.id === k.id);
      if (cs && (cs.state === 'running' || cs.state === 'created'))
        await this.killContainer(pod, c, cs, k.gracePeriodSeconds ?? gracePeriodSec, k.reason, this.podIP(pod, status));
    }

    let sandboxId = actions.sandboxId;
    let podIP = status.ips[0] ?? '';
    if (actions.createSandbox) {
      try {
        const t0 = Date.now();
        sandboxId = await this.d.runtime.runPodSandbox(makeSandboxConfig(pod, actions.attempt, this.d.dns));
        const sb = await this.d.runtime.podSandboxStatus(sandboxId);
        podIP = sb.ip;
        this.d.log?.info({ pod: objRef(pod.metadata), sandboxId, podIP, attempt: actions.attempt, durationMs: Date.now() - t0 }, 'Created pod sandbox');
      } catch (e) {
        const msg = `Failed to create pod sandbox: ${(e as Error).message}`;
        this.d.recorder.event(pod, 'Warning', 'FailedCreatePodSandBox', msg);
        this.d.log?.error({ pod: objRef(pod.metadata), err: errMessage(e) }, 'Failed to create pod sandbox');
        result.requeueAfterMs = 2000;
        return result;
      }
      // Old containers belong to the dead sandbox; the new sandbox starts them afresh (history kept for counts).
    }
    if (spec.hostNetwork) podIP = this.d.hostIPs()[0] ?? '';

    // Ephemeral containers first, so that a pod stuck in initialization can still be debugged (upstream).
    for (const i of actions.ephemeralContainersToStart ?? [])
      await this.startContainer(pod, ephemeralContainer(pod, i), sandboxId, podIP, status, result, 'ephemeral');
    // Init containers strictly in order; stop at the first that cannot start.
    for (const i of actions.initContainersToStart) {
      const c = spec.initContainers![i]!;
      const r = await this.startContainer(pod, c, sandboxId, podIP, status, result, 'init');
      if (!r) break;
    }
    // App containers in parallel, except that a container with a postStart hook holds back the ones after
    // it until the hook returned (upstream starts them one by one).
    let batch: Promise<boolean>[] = [];
    for (const i of actions.containersToStart) {
      const c = spec.containers[i]!;
      const started = this.startContainer(pod, c, sandboxId, podIP, status, result, 'regular');
      if (c.lifecycle?.postStart) {
        await Promise.all([...batch, started]);
        batch = [];
      } else batch.push(started);
    }
    await Promise.all(batch);
    return result;
  }

  private async startContainer(
    pod: Pod,
    c: Container,
    sandboxId: string,
    podIP: string,
    status: RuntimePodStatus,
    result: SyncPodResult,
    type: 'init' | 'regular' | 'ephemeral',
  ): Promise<boolean> {
    const fp = containerFieldPath(pod, c.name);
    const uid = pod.metadata.uid!;
    const history = containerHistory(status, c.name);
    const prev = history[0];
    const fail = (reason: string, message: string, requeueMs?: number): false => {
      result.reasons.set(c.name, { reason, message });
      result.requeueAfterMs = minRequeue(result.requeueAfterMs, requeueMs);
      return false;
    };

    // Restart backoff (CrashLoopBackOff) once the container has run before.
    if (prev && prev.state === 'exited') {
      const key = `${uid}/${c.name}`;
      const ts = Date.parse(prev.finishedAt ?? prev.createdAt);
      if (this.d.backoff.isInBackOffSince(key, ts)) {
        const delay = this.d.backoff.get(key);
        this.d.recorder.event(
          pod,
          'Warning',
          'BackOff',
          `Back-off restarting failed container ${c.name} in pod ${pod.metadata.name}_${pod.metadata.namespace}(${uid})`,
          fp,
        );
        return fail(
          'CrashLoopBackOff',
          `back-off ${goDuration(delay)} restarting failed container=${c.name} pod=${pod.metadata.name}_${pod.metadata.namespace}(${uid})`,
          this.d.backoff.remaining(key, ts) + 50,
        );
      }
      this.d.backoff.next(key, ts);
    }

    const pulled = await this.d.images.ensureImageExists(pod, c, await this.d.pullSecrets(pod).catch(() => []));
    if (!pulled.ok) {
      if (pulled.reason === 'ErrImagePull' || pulled.reason === 'ImagePullBackOff') return fail(pulled.reason, pulled.message, pulled.retryAfterMs ?? 1000);
      return fail(pulled.reason, pulled.message, 5000);
    }

    let config: ContainerConfig;
    try {
      const hostIPs = this.d.hostIPs();
      const env = await makeEnvironment(pod, c, {
        source: this.d.source,
        podIP,
        podIPs: podIP ? [podIP] : [],
        hostIP: hostIPs[0],
        hostIPs,
        nodeName: this.d.nodeName,
        nodeAllocatable: this.d.nodeAllocatable(),
        serviceEnv: this.d.serviceEnv?.(pod),
      });
      const mounts = this.d.volumes ? await this.d.volumes.mountsFor(pod, c, env) : [];
      config = {
        metadata: { name: c.name, attempt: prev ? prev.restartCount + 1 : 0 },
        image: pulled.ref,
        lowerDirs: this.d.store.layersFor(pulled.image),
        imageConfig: this.d.store.config(pulled.image),
        env: Object.entries(env).map(([name, value]) => ({ name, value })),
        mounts: mounts.map((m) => ({
          hostPath: m.hostPath,
          containerPath: m.containerPath,
          readonly: !!m.readOnly,
          ...(m.propagation ? { propagation: m.propagation } : {}),
        })),
        securityContext: securityContext(pod, c),
        resources: containerResources(pod, c),
        tty: !!c.tty,
        stdin: !!c.stdin,
        stdinOnce: !!c.stdinOnce,
        labels: {
          [LabelPodUID]: uid,
          [LabelPodName]: pod.metadata.name!,
          [LabelPodNamespace]: pod.metadata.namespace ?? 'default',
          [LabelContainerName]: c.name,
        },
        annotations: {
          [AnnotationContainerHash]: hashContainer(c),
          [AnnotationImageRef]: pulled.imageID,
          [AnnotationContainerType]: type === 'init' ? (isRestartableInitContainer(c) ? 'sidecar' : 'init') : type,
          [AnnotationTerminationMessagePolicy]: c.terminationMessagePolicy ?? 'File',
        },
      };
      if (c.command?.length) config.command = expandCommand(c.command, env);
      if (c.args?.length) config.args = expandCommand(c.args, env);
      if (c.workingDir) config.workingDir = c.workingDir;
      if (c.terminationMessagePath) config.terminationMessageContainerPath = c.terminationMessagePath;
      if (type === 'ephemeral') {
        const target = targetContainerId(c as { targetContainerName?: string }, status);
        if (target) config.pidNamespaceTargetId = target;
      }
    } catch (e) {
      const msg = (e as Error).message;
      this.d.recorder.event(pod, 'Warning', 'Failed', `Error: ${msg}`, fp);
      if (e instanceof ContainerConfigError || (e as { reason?: string }).reason === 'CreateContainerConfigError')
        return fail('CreateContainerConfigError', msg, 2000);
      return fail('CreateContainerConfigError', msg, 2000);
    }

    let id: string;
    try {
      id = await this.d.runtime.createContainer(sandboxId, config);
    } catch (e) {
      const msg = (e as Error).message;
      this.d.recorder.event(pod, 'Warning', 'Failed', `Error: ${msg}`, fp);
      return fail('CreateContainerError', msg, 2000);
    }
    this.d.recorder.event(pod, 'Normal', 'Created', `Created container: ${c.name}`, fp);
    try {
      await this.d.runtime.startContainer(id);
    } catch (e) {
      // The container exists and exited (StartError, 128): its restarts follow the CrashLoopBackOff back-off.
      // Upstream names containers, never ids, in events (ids would defeat the events' aggregation).
      const msg = (e as Error).message.split(id).join(c.name);
      this.d.recorder.event(pod, 'Warning', 'Failed', `Error: ${msg}`, fp);
      await this.pruneDeadInstances(history);
      return fail('RunContainerError', msg, 2000);
    }
    this.d.recorder.event(pod, 'Normal', 'Started', `Started container ${c.name}`, fp);
    this.d.log?.info({ pod: objRef(pod.metadata), container: c.name, containerId: id, type, attempt: config.metadata.attempt }, 'Started container');
    // postStart: the container does not count as started (nor does the next one start) before it returns.
    const postStart = c.lifecycle?.postStart;
    if (postStart) {
      const hook = await runPostStart(postStart, { pod, container: c, containerId: id, podIP }, this.hooks);
      if (!hook.ok) {
        // FailedPostStartHook was recorded by the handler; kill the container, it restarts per policy.
        this.d.log?.error({ pod: objRef(pod.metadata), container: c.name, containerId: id, err: hook.message }, 'Failed to execute PostStartHook');
        await this.killContainer(pod, c, { id, name: c.name, state: 'running' }, pod.spec?.terminationGracePeriodSeconds ?? 30, 'FailedPostStartHook', podIP);
        return fail(PostStartHookError, hook.message, 1000);
      }
    }
    result.started.push(c.name);
    await this.pruneDeadInstances(history);
    return true;
  }

  /** A new instance was made: keep only the one before it (for `kubectl logs --previous`); older dead ones go. */
  private async pruneDeadInstances(history: RuntimeContainerStatus[]): Promise<void> {
    for (const old of history.slice(1)) if (old.state === 'exited') await this.d.runtime.removeContainer(old.id).catch(() => {});
  }

  /**
   * Stops one container: Killing event (message as given, else "Stopping container NAME"), the preStop hook
   * (bounded by the grace period, whose remainder — at least 2 s — is left for SIGTERM→SIGKILL), then stop.
   * Aborting `cancel` (a shorter grace period replaced this one) skips what is left of the hook and kills now.
   */
  async killContainer(
    pod: Pod,
    c: Container | undefined,
    cs: Pick<RuntimeContainerStatus, 'id' | 'name' | 'state'>,
    gracePeriodSec: number,
    message?: string,
    podIP?: string,
    cancel?: AbortSignal,
  ): Promise<void> {
    let grace = Math.max(0, gracePeriodSec);
    if (cs.state === 'running') {
      const fp = containerFieldPath(pod, cs.name);
      this.d.recorder.event(pod, 'Normal', 'Killing', message || `Stopping container ${cs.name}`, fp);
      this.d.log?.info(
        { pod: objRef(pod.metadata), container: cs.name, containerId: cs.id, gracePeriod: grace, reason: message || undefined },
        'Killing container with a grace period',
      );
      const preStop = c?.lifecycle?.preStop;
      if (preStop && grace > 0 && !cancel?.aborted) {
        const r = await untilAborted(
          runPreStop(preStop, Date.now() + grace * 1000, { pod, container: c, containerId: cs.id, podIP: podIP ?? this.podIP(pod) }, this.hooks),
          cancel,
        );
        if (r?.timedOut) this.d.log?.warn({ pod: objRef(pod.metadata), container: cs.name }, 'PreStop hook did not finish within the grace period');
        else if (r && !r.ok) this.d.log?.error({ pod: objRef(pod.metadata), container: cs.name, containerId: cs.id, err: r.message }, 'PreStop hook failed');
        grace = r ? gracePeriodAfterPreStop(grace, r.elapsedMs) : 0;
      }
    }
    const sig = c?.lifecycle?.stopSignal;
    await this.d.runtime
      .stopContainer(cs.id, grace, sig, cancel)
      .catch((e) => this.d.log?.error({ pod: objRef(pod.metadata), container: cs.name, containerId: cs.id, err: errMessage(e) }, 'Stopping container failed'));
    this.d.cache?.markChanged(pod.metadata.uid!);
  }

  /** Where httpGet hooks go by default: the node's IP for hostNetwork pods, else the sandbox's IP. */
  private podIP(pod: Pod, status?: RuntimePodStatus): string | undefined {
    if (pod.spec?.hostNetwork) return this.d.hostIPs()[0];
    return status?.ips[0];
  }

  /**
   * Stop every container (app containers first, then sidecars in reverse order) and the sandboxes.
   * `cancel` reaches every stop: aborted, the remaining waits end in SIGKILL at once.
   */
  async killPod(pod: Pod, status: RuntimePodStatus, gracePeriodSec: number, cancel?: AbortSignal): Promise<void> {
    try {
      await this.doKillPod(pod, status, gracePeriodSec, cancel);
    } finally {
      this.d.cache?.markChanged(status.uid || pod.metadata.uid!);
    }
  }

  private async doKillPod(pod: Pod, status: RuntimePodStatus, gracePeriodSec: number, cancel?: AbortSignal): Promise<void> {
    const spec = pod.spec ?? { containers: [] };
    const live = status.containers.filter((c) => c.state === 'running' || c.state === 'created');
    const byName = (n: string) => [...spec.containers, ...(spec.initContainers ?? [])].find((x) => x.name === n);
    const sidecarNames = (spec.initContainers ?? []).filter(isRestartableInitContainer).map((c) => c.name);
    const start = Date.now();
    const first = live.filter((c) => !sidecarNames.includes(c.name));
    const ip = this.podIP(pod, status);
    await Promise.all(first.map((cs) => this.killContainer(pod, byName(cs.name), cs, gracePeriodSec, undefined, ip, cancel)));
    for (const name of [...sidecarNames].reverse()) {
      const remaining = Math.max(0, gracePeriodSec - (Date.now() - start) / 1000);
      for (const cs of live.filter((x) => x.name === name)) await this.killContainer(pod, byName(name), cs, remaining, undefined, ip, cancel);
    }
    for (const sb of status.sandboxes) {
      if (sb.ready)
        await this.d.runtime
          .stopPodSandbox(sb.id)
          .catch((e) => this.d.log?.error({ pod: objRef(pod.metadata), sandboxId: sb.id, err: errMessage(e) }, 'Stopping pod sandbox failed'));
    }
  }

  /** Remove every container and sandbox of the pod (after killPod). */
  async removePod(status: RuntimePodStatus): Promise<void> {
    try {
      await this.doRemovePod(status);
    } finally {
      this.d.cache?.markChanged(status.uid);
    }
  }

  private async doRemovePod(status: RuntimePodStatus): Promise<void> {
    for (const c of status.containers) await this.d.runtime.removeContainer(c.id).catch(() => {});
    const pod = status.namespace ? `${status.namespace}/${status.name}` : status.uid;
    for (const sb of status.sandboxes) {
      try {
        await this.d.runtime.removePodSandbox(sb.id);
        this.d.log?.info({ pod, sandboxId: sb.id }, 'Removed pod sandbox');
      } catch (e) {
        this.d.log?.error({ pod, sandboxId: sb.id, err: errMessage(e) }, 'Removing pod sandbox failed');
      }
    }
  }
}

/** The promise's value, or undefined as soon as `cancel` is aborted. */
function untilAborted<T>(p: Promise<T>, cancel?: AbortSignal): Promise<T | undefined> {
  if (!cancel) return p;
  if (cancel.aborted) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const onAbort = () => resolve(undefined);
    cancel.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        cancel.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        cancel.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

function securityContext(pod: Pod, c: Container): SecurityContext | undefined {
  const psc = pod.spec?.securityContext ?? {};
  const sc = c.securityContext ?? {};
  const out: SecurityContext = {};
  const user = sc.runAsUser ?? psc.runAsUser;
  const group = sc.runAsGroup ?? psc.runAsGroup;
  if (user !== undefined) out.runAsUser = user;
  if (group !== undefined) out.runAsGroup = group;
  const groups = [...(psc.supplementalGroups ?? []), ...(psc.fsGroup !== undefined ? [psc.fsGroup] : [])];
  if (groups.length) out.supplementalGroups = groups;
  if (sc.privileged !== undefined) out.privileged = sc.privileged;
  if (sc.readOnlyRootFilesystem !== undefined) out.readOnlyRootFilesystem = sc.readOnlyRootFilesystem;
  if (sc.allowPrivilegeEscalation !== undefined) out.allowPrivilegeEscalation = sc.allowPrivilegeEscalation;
  if (sc.capabilities)
    out.capabilities = { ...(sc.capabilities.add ? { add: sc.capabilities.add } : {}), ...(sc.capabilities.drop ? { drop: sc.capabilities.drop } : {}) };
  return Object.keys(out).length ? out : undefined;
}
