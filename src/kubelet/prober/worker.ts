// One probe worker per (pod, container, probe kind) (upstream pkg/kubelet/prober/worker.go): probes on
// its own drift-free schedule every periodSeconds (first tick jittered while the manager is young; ticks
// booked on the manager's shared TickScheduler), applies initialDelaySeconds, startup gating and
// success/failure thresholds, and publishes to the results cache.
import type { Container, Pod, PodPhase, Probe } from '../../api/core/v1/types.js';
import type { ProbeRequest, ProbeVerdict } from './prober.js';
import type { ResultsCache } from './results.js';
import type { Tick, TickScheduler } from './tick_scheduler.js';
import type { Clock, ProbeKind, ProbeResult } from './types.js';

/** The runtime state of a container as last reported to the manager. */
export interface ContainerView {
  /** Runtime id without "scheme://"; empty while there is no container. */
  id: string;
  /** Set while running: when it started (epoch ms). */
  runningSince?: number;
  terminated: boolean;
}

export interface PodView {
  pod: Pod;
  /** Undefined until the kubelet reported a status (workers wait for it). */
  phase?: PodPhase;
  podIP?: string;
  containers: Map<string, ContainerView>;
}

export type { Clock } from './types.js';

export const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

/** What a worker needs from its manager. */
export interface WorkerHost {
  readonly results: ResultsCache;
  readonly clock: Clock;
  /** Shared timer of the workers (ticks aligned to its grid). */
  readonly ticks: TickScheduler;
  /** Length of one "second" of probe timing in ms (1000; smaller in tests). */
  readonly msPerSecond: number;
  /** When the manager was created (epoch ms): young managers jitter their workers' first probe. */
  readonly startedAt: number;
  random(): number;
  podView(podUID: string): PodView | undefined;
  /** Startup gate: no startup probe, or its result for this container instance is Success. */
  isStarted(podUID: string, containerName: string, containerId: string): boolean;
  runProbe(req: ProbeRequest): Promise<ProbeVerdict>;
  /** Timer lateness of each periodic tick (actual − scheduled, ms). */
  observeLateness?(lateMs: number, kind: ProbeKind): void;
  workerStopped(w: ProbeWorker): void;
}

/** Upstream initial values: readiness starts failed, liveness passing, startup unknown. */
export function initialResult(kind: ProbeKind): ProbeResult {
  return kind === 'readiness' ? 'Failure' : kind === 'liveness' ? 'Success' : 'Unknown';
}

export class ProbeWorker {
  readonly podUID: string;
  /** Container instance currently probed (empty before the first one is seen). */
  containerId = '';
  private lastResult?: 'Success' | 'Failure';
  private resultRun = 0;
  /** Liveness/startup failed: wait for a new container before probing again. */
  private onHold = false;
  private timer?: Tick;
  private readonly onTick = () => this.tick();
  private nextAt = 0;
  private inFlight = false;
  private stopped = false;
  /** Ticks skipped because the previous probe was still running. */
  droppedTicks = 0;
  probes = 0;
  /** Delay before the first periodic tick (the start jitter), ms. */
  firstDelayMs = 0;

  constructor(
    private readonly host: WorkerHost,
    pod: Pod,
    readonly container: Container,
    readonly kind: ProbeKind,
    readonly spec: Probe,
  ) {
    this.podUID = pod.metadata.uid!;
  }

  get periodMs(): number {
    return Math.max(1, this.spec.periodSeconds || 10) * this.host.msPerSecond;
  }

  /** When the next periodic tick is due (epoch ms). */
  get nextTickAt(): number {
    return this.nextAt;
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  /** Starts the timer; returns the delay before the first probe (the jitter). */
  start(): number {
    const now = this.host.clock.now();
    const period = this.periodMs;
    // Upstream: only right after a (re)start of the kubelet do workers wait a random part of a period,
    // so that many probes do not fire at once. Unlike upstream the jitter also shifts later ticks, and
    // ticks fall on the scheduler's grid (a tenth of a second) so that workers share wakeups.
    const jitter = now - this.host.startedAt < period ? Math.floor(this.host.random() * period) : 0;
    this.nextAt = this.host.ticks.align(now + Math.min(jitter, period - 1));
    this.firstDelayMs = this.nextAt - now;
    this.schedule();
    return this.firstDelayMs;
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.timer?.cancel();
    this.timer = undefined;
    if (this.containerId) this.host.results.remove(this.kind, this.podUID, this.container.name, this.containerId);
    this.host.workerStopped(this);
  }

  /** Probe as soon as possible, outside the periodic schedule (upstream manualTriggerCh). */
  trigger(): void {
    if (this.stopped) return;
    // Take in a new container instance right away so that results answer for it at once.
    const view = this.host.podView(this.podUID);
    if (view) this.observe(view);
    if (this.inFlight) return;
    this.inFlight = true;
    queueMicrotask(() => void this.run());
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = this.host.ticks.schedule(this.nextAt, this.onTick);
  }

  private tick(): void {
    if (this.stopped) return;
    const now = this.host.clock.now();
    this.host.observeLateness?.(now - this.nextAt, this.kind);
    const period = this.periodMs;
    this.nextAt += period;
    if (this.nextAt <= now) this.nextAt += Math.ceil((now - this.nextAt + 1) / period) * period;
    this.nextAt = this.host.ticks.align(this.nextAt);
    this.schedule();
    if (this.inFlight) {
      this.droppedTicks++;
      return;
    }
    this.inFlight = true;
    void this.run();
  }

  private async run(): Promise<void> {
    let keepGoing = true;
    try {
      keepGoing = await this.doProbe();
    } catch {
      keepGoing = true;
    } finally {
      this.inFlight = false;
    }
    if (!keepGoing) this.stop();
  }

  private setResult(result: ProbeResult): void {
    if (this.containerId) this.host.results.set(this.kind, this.podUID, this.container.name, this.containerId, result);
  }

  /** The container's current instance; a new one resets the worker and publishes the initial result. */
  private observe(view: PodView): ContainerView | undefined {
    const c = view.containers.get(this.container.name);
    if (!c || !c.id) return undefined;
    if (c.id !== this.containerId) {
      if (this.containerId) this.host.results.remove(this.kind, this.podUID, this.container.name, this.containerId);
      this.containerId = c.id;
      this.setResult(initialResult(this.kind));
      this.onHold = false;
      this.lastResult = undefined;
      this.resultRun = 0;
    }
    return c;
  }

  /** One probe round; false = this worker is done (upstream doProbe). */
  async doProbe(): Promise<boolean> {
    const view = this.host.podView(this.podUID);
    if (!view) return false;
    if (!view.phase) return true; // no status yet
    if (view.phase === 'Failed' || view.phase === 'Succeeded') return false; // finished pod
    const c = this.observe(view);
    if (!c) return true; // not created yet
    if (this.onHold) return true;
    if (c.runningSince === undefined) {
      this.setResult('Failure');
      // Stop for good only if this container is finished and will never be restarted.
      const restartable = view.pod.spec?.restartPolicy !== 'Never' || this.container.restartPolicy === 'Always';
      return !c.terminated || restartable;
    }
    const pod = view.pod;
    if (pod.metadata.deletionTimestamp && (this.kind === 'liveness' || this.kind === 'startup')) {
      // Graceful shutdown: a quiet, passing result and no more probing.
      this.setResult('Success');
      return false;
    }
    const sinceStart = Math.trunc((this.host.clock.now() - c.runningSince) / this.host.msPerSecond);
    if (sinceStart < (this.spec.initialDelaySeconds ?? 0)) return true;
    const started = this.host.isStarted(this.podUID, this.container.name, c.id);
    if (this.kind === 'startup' ? started : !started) return true;

    const containerId = c.id;
    this.probes++;
    const verdict = await this.host.runProbe({ kind: this.kind, pod, container: this.container, containerId, podIP: view.podIP });
    if (this.stopped || containerId !== this.containerId) return !this.stopped; // superseded meanwhile
    if (verdict === 'Error') return true; // thrown away, as upstream

    if (this.lastResult === verdict) this.resultRun++;
    else {
      this.lastResult = verdict;
      this.resultRun = 1;
    }
    const failureThreshold = this.spec.failureThreshold || 3;
    const successThreshold = this.spec.successThreshold || 1;
    if ((verdict === 'Failure' && this.resultRun < failureThreshold) || (verdict === 'Success' && this.resultRun < successThreshold)) return true;
    this.setResult(verdict);
    if ((this.kind === 'liveness' || this.kind === 'startup') && verdict === 'Failure') {
      // The container will be restarted; keep quiet until it is.
      this.onHold = true;
      this.resultRun = 0;
    }
    return true;
  }
}
