// Prober manager (upstream pkg/kubelet/prober/prober_manager.go): keeps one worker per pod, container and
// probe kind, learns container instances from the kubelet's computed pod status, answers readiness /
// liveness / startup questions and sets `started`/`ready` on container statuses.
import type { Container, ContainerStatus, Pod, PodStatus } from '../../api/core/v1/types.js';
import type { Recorder } from '../events.js';
import { Prober, probeSpec, type ProbeRequest, type ProbeVerdict } from './prober.js';
import { ResultsCache, type ResultUpdate } from './results.js';
import { TickScheduler } from './tick_scheduler.js';
import type { ExecFn, ProbeKind, ProbeResult } from './types.js';
import { ProbeWorker, realClock, type Clock, type ContainerView, type PodView, type WorkerHost } from './worker.js';

export interface ProberManagerOptions {
  /** Runs exec probes (RuntimeService.execSync fits). */
  exec: ExecFn;
  /** Unhealthy / ProbeWarning events. */
  recorder?: Recorder;
  /** For the User-Agent `kube-probe/<major>.<minor>` (e.g. "v1.31.0"). */
  kubeVersion?: string;
  /** ms per probe "second" (default 1000; tests shrink it). */
  msPerSecond?: number;
  clock?: Clock;
  /** Grid of probe ticks in ms (default a tenth of msPerSecond: 100 ms); 1 = no grid. */
  tickSlotMs?: number;
  random?: () => number;
  /** Replaces the real prober (tests). */
  runProbe?: (req: ProbeRequest) => Promise<ProbeVerdict>;
  /** Receives the timer lateness of every periodic tick (bench, metrics). */
  observeLateness?: (lateMs: number, kind: ProbeKind) => void;
}

/** Why the kubelet must kill a running container because of its probes (upstream computePodActions). */
export interface ProbeKill {
  reason: 'LivenessProbe' | 'StartupProbe';
  /** "Container NAME failed liveness probe" — the Killing event appends ", will be restarted". */
  message: string;
  /** Probe-level terminationGracePeriodSeconds, when set (it overrides the pod's). */
  gracePeriodSeconds?: number;
}

/**
 * Probe ticks fall on a grid of this many slots per second: workers due together share one wakeup, and their
 * connections open and answer together (fewer event-loop turns). 200 probes a second → 10 wakeups of ~20.
 */
export const TICK_SLOTS_PER_SECOND = 10;

const KINDS: ProbeKind[] = ['startup', 'readiness', 'liveness'];
const workerKey = (uid: string, name: string, kind: ProbeKind) => `${uid}\u0000${name}\u0000${kind}`;

/** "k8ts://abc" → "abc". */
export function runtimeContainerId(id: string | undefined): string {
  if (!id) return '';
  const i = id.indexOf('://');
  return i >= 0 ? id.slice(i + 3) : id;
}

/** Containers that are probed: regular containers and restartable (sidecar) init containers. */
export function probedContainers(pod: Pod): Container[] {
  return [...(pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always'), ...(pod.spec?.containers ?? [])];
}

export class ProberManager implements WorkerHost {
  readonly results = new ResultsCache();
  readonly clock: Clock;
  readonly ticks: TickScheduler;
  readonly msPerSecond: number;
  readonly startedAt: number;
  private readonly pods = new Map<string, PodView>();
  private readonly workers = new Map<string, ProbeWorker>();
  private readonly prober: Prober;
  private stopped = false;

  constructor(private readonly opts: ProberManagerOptions) {
    this.clock = opts.clock ?? realClock;
    this.msPerSecond = opts.msPerSecond ?? 1000;
    this.startedAt = this.clock.now();
    this.ticks = new TickScheduler(this.clock, opts.tickSlotMs ?? Math.max(1, Math.round(this.msPerSecond / TICK_SLOTS_PER_SECOND)));
    this.prober = new Prober({ exec: opts.exec, recorder: opts.recorder, kubeVersion: opts.kubeVersion });
  }

  // ---- WorkerHost ------------------------------------------------------------------------------------------

  random(): number {
    return (this.opts.random ?? Math.random)();
  }

  podView(uid: string): PodView | undefined {
    return this.pods.get(uid);
  }

  runProbe(req: ProbeRequest): Promise<ProbeVerdict> {
    return this.opts.runProbe ? this.opts.runProbe(req) : this.prober.probe(req);
  }

  observeLateness(lateMs: number, kind: ProbeKind): void {
    this.opts.observeLateness?.(lateMs, kind);
  }

  workerStopped(w: ProbeWorker): void {
    const k = workerKey(w.podUID, w.container.name, w.kind);
    if (this.workers.get(k) === w) this.workers.delete(k);
  }

  isStarted(uid: string, name: string, containerId: string): boolean {
    if (!this.workers.has(workerKey(uid, name, 'startup'))) return true;
    return this.results.get('startup', uid, name, containerId) === 'Success';
  }

  // ---- pods ------------------------------------------------------------------------------------------------

  /** Starts workers for the pod's probes; calling it again with a newer object updates the pod (idempotent). */
  addPod(pod: Pod): void {
    if (this.stopped) return;
    const uid = pod.metadata.uid;
    if (!uid) return;
    let view = this.pods.get(uid);
    if (!view) this.pods.set(uid, (view = { pod, containers: new Map() }));
    else view.pod = pod;
    for (const c of probedContainers(pod)) {
      for (const kind of KINDS) {
        const spec = probeSpec(c, kind);
        const k = workerKey(uid, c.name, kind);
        if (!spec || this.workers.has(k)) continue;
        const w = new ProbeWorker(this, pod, c, kind, spec);
        this.workers.set(k, w);
        w.start();
      }
    }
  }

  /** Stops the pod's workers and forgets its results. */
  removePod(podOrUID: Pod | string): void {
    const uid = typeof podOrUID === 'string' ? podOrUID : podOrUID.metadata.uid;
    if (!uid) return;
    for (const w of this.podWorkers(uid)) w.stop();
    this.pods.delete(uid);
  }

  /** Removes every pod not in desired (upstream CleanupPods). */
  cleanupPods(desired: Set<string>): void {
    for (const uid of [...this.pods.keys()]) if (!desired.has(uid)) this.removePod(uid);
  }

  /**
   * Tells the workers the pod's current container instances (ids, running since, phase, pod IP) and sets
   * `started` and `ready` on the status's container statuses from the probe results (upstream
   * UpdatePodStatus). `ready` is only ever lowered: a container the status already marks not ready stays so.
   */
  updatePodStatus(podUID: string, status: PodStatus): void {
    const view = this.pods.get(podUID);
    if (!view) return;
    view.phase = status.phase ?? 'Pending';
    view.podIP = status.podIP || status.podIPs?.[0]?.ip || view.podIP;
    const all = [...(status.initContainerStatuses ?? []), ...(status.containerStatuses ?? [])];
    const probed = new Set(probedContainers(view.pod).map((c) => c.name));
    for (const cs of all) {
      if (!probed.has(cs.name)) continue;
      const next = containerView(cs);
      const prev = view.containers.get(cs.name);
      view.containers.set(cs.name, next);
      const changed = !prev || prev.id !== next.id || (prev.runningSince === undefined) !== (next.runningSince === undefined);
      if (changed) for (const w of this.containerWorkers(podUID, cs.name)) w.trigger();
      this.setStartedReady(podUID, cs, next);
    }
  }

  private setStartedReady(uid: string, cs: ContainerStatus, v: ContainerView): void {
    const running = v.runningSince !== undefined && !!v.id;
    const started = running && this.isStarted(uid, cs.name, v.id);
    cs.started = started;
    if (!started) {
      cs.ready = false;
      return;
    }
    let ready: boolean;
    const rw = this.workers.get(workerKey(uid, cs.name, 'readiness'));
    const r = this.results.get('readiness', uid, cs.name, v.id);
    if (r === 'Success') ready = true;
    else {
      ready = !rw; // no readiness probe: ready once started
      if (rw && r === undefined) rw.trigger();
    }
    cs.ready = cs.ready !== false && ready;
  }

  // ---- answers ---------------------------------------------------------------------------------------------

  /** Latest result for the container's current instance (or for containerId when given). */
  result(kind: ProbeKind, podUID: string, containerName: string, containerId?: string): ProbeResult | undefined {
    const id = containerId !== undefined ? runtimeContainerId(containerId) : this.pods.get(podUID)?.containers.get(containerName)?.id;
    if (!id) return undefined;
    return this.results.get(kind, podUID, containerName, id);
  }

  readiness(podUID: string, containerName: string, containerId?: string): ProbeResult | undefined {
    return this.result('readiness', podUID, containerName, containerId);
  }

  liveness(podUID: string, containerName: string, containerId?: string): ProbeResult | undefined {
    return this.result('liveness', podUID, containerName, containerId);
  }

  startup(podUID: string, containerName: string, containerId?: string): ProbeResult | undefined {
    return this.result('startup', podUID, containerName, containerId);
  }

  /** Whether the running container must be killed and restarted because a liveness or startup probe failed. */
  probeKill(pod: Pod, container: Container, containerId: string): ProbeKill | undefined {
    const uid = pod.metadata.uid!;
    const id = runtimeContainerId(containerId);
    if (this.results.get('liveness', uid, container.name, id) === 'Failure') {
      return {
        reason: 'LivenessProbe',
        message: `Container ${container.name} failed liveness probe`,
        gracePeriodSeconds: container.livenessProbe?.terminationGracePeriodSeconds ?? undefined,
      };
    }
    if (this.results.get('startup', uid, container.name, id) === 'Failure') {
      return {
        reason: 'StartupProbe',
        message: `Container ${container.name} failed startup probe`,
        gracePeriodSeconds: container.startupProbe?.terminationGracePeriodSeconds ?? undefined,
      };
    }
    return undefined;
  }

  /** Called on every change of a cached result. Returns an unsubscribe function. */
  onResult(cb: (u: ResultUpdate) => void): () => void {
    return this.results.onUpdate(cb);
  }

  // ---- introspection / shutdown ------------------------------------------------------------------------------

  worker(podUID: string, containerName: string, kind: ProbeKind): ProbeWorker | undefined {
    return this.workers.get(workerKey(podUID, containerName, kind));
  }

  get workerCount(): number {
    return this.workers.size;
  }

  stop(): void {
    this.stopped = true;
    for (const w of [...this.workers.values()]) w.stop();
    this.ticks.stop();
    this.pods.clear();
  }

  private podWorkers(uid: string): ProbeWorker[] {
    return [...this.workers.values()].filter((w) => w.podUID === uid);
  }

  private containerWorkers(uid: string, name: string): ProbeWorker[] {
    const out: ProbeWorker[] = [];
    for (const kind of KINDS) {
      const w = this.workers.get(workerKey(uid, name, kind));
      if (w) out.push(w);
    }
    return out;
  }
}

function containerView(cs: ContainerStatus): ContainerView {
  const id = runtimeContainerId(cs.containerID);
  const running = cs.state?.running;
  const since = running ? Date.parse(running.startedAt ?? '') : NaN;
  return {
    id,
    runningSince: running ? (Number.isFinite(since) ? since : Date.now()) : undefined,
    terminated: !!cs.state?.terminated,
  };
}
