// Pod workers (upstream pod_workers.go): one serialised worker per pod UID owns the pod's lifecycle state
// machine, syncing → terminating → terminated, and calls the kubelet's matching sync (syncPod /
// syncTerminatingPod / syncTerminatedPod). Updates arriving during a sync coalesce into one more run after
// it. Once termination is requested the grace period can only shrink; a shorter one aborts the running
// termination (its AbortSignal), which then runs again at once with the new grace.
import type { Pod } from '../api/core/v1/types.js';

export type PodWorkerState = 'syncing' | 'terminating' | 'terminated';

/** Upstream kubetypes.SyncPodType. */
export type UpdateType = 'create' | 'update' | 'sync' | 'kill';

export interface KillPodOptions {
  /** A grace period that replaces the pod's own when it is shorter (upstream PodTerminationGracePeriodSecondsOverride). */
  gracePeriodSecondsOverride?: number;
}

export interface UpdatePodOptions {
  updateType: UpdateType;
  /** The newest copy of the pod (from the API, or a stand-in for a pod only the runtime knows). */
  pod: Pod;
  /** The pod is gone from the API: terminate it and, once terminated, forget it. */
  removed?: boolean;
  killPodOptions?: KillPodOptions;
}

export interface SyncPodOutcome {
  /** Sync again after this many ms (back-off windows, deadlines, in-progress work). */
  requeueAfterMs?: number;
  /** The pod reached Succeeded/Failed: stop running it (upstream isTerminal). */
  terminal?: boolean;
}

export interface SyncTerminatedOutcome {
  /** Everything the pod held is released and the API no longer has it: the worker can go. */
  done?: boolean;
}

/** The kubelet's three sync entry points. Each may throw; the worker retries with a back-off. */
export interface PodSyncer {
  syncPod(pod: Pod, signal: AbortSignal): Promise<SyncPodOutcome | void>;
  /** Stops every container within the grace period. Aborted when a shorter grace period replaces it. */
  syncTerminatingPod(pod: Pod, gracePeriodSeconds: number, signal: AbortSignal, removed: boolean): Promise<void>;
  /** Releases what the terminated pod still holds (volumes, sandbox, the API object). */
  syncTerminatedPod(pod: Pod, signal: AbortSignal, removed: boolean): Promise<SyncTerminatedOutcome | void>;
}

/** Upstream podSyncStatus. */
interface PodSyncStatus {
  pod: Pod;
  state: PodWorkerState;
  removed: boolean;
  /** The effective grace period once termination was requested (seconds). */
  gracePeriod?: number;
  /** The grace period the running termination uses (to tell whether a new one is shorter). */
  activeGracePeriod?: number;
  working: boolean;
  pending: boolean;
  abort?: AbortController;
  timer?: NodeJS.Timeout;
  timerAt?: number;
  errors: number;
}

/**
 * Upstream calculateEffectiveGracePeriod: the API's deletionGracePeriodSeconds, then any override, may only
 * lower the grace period already in force; without either the pod's terminationGracePeriodSeconds (30).
 */
export function effectiveGracePeriod(current: number | undefined, pod: Pod, opts?: KillPodOptions): number {
  let grace = current;
  const lower = (v: number | undefined) => {
    if (v !== undefined && (grace === undefined || v < grace)) grace = v;
  };
  if (pod.metadata.deletionTimestamp) lower(pod.metadata.deletionGracePeriodSeconds);
  lower(opts?.gracePeriodSecondsOverride);
  return Math.max(0, grace ?? pod.spec?.terminationGracePeriodSeconds ?? 30);
}

const errorBackoffMs = (errors: number) => Math.min(500 * 2 ** (errors - 1), 10_000);

export class PodWorkers {
  private statuses = new Map<string, PodSyncStatus>();
  private stopped = false;
  private idleWaiters: (() => void)[] = [];
  /** Called when a sync throws (logging). */
  onError?: (uid: string, err: unknown) => void;

  constructor(private readonly syncer: PodSyncer) {}

  /** Upstream UpdatePod: record the newest pod and what is asked of it, then run the worker. */
  updatePod(o: UpdatePodOptions): void {
    if (this.stopped) return;
    const uid = o.pod.metadata.uid!;
    let s = this.statuses.get(uid);
    if (!s) this.statuses.set(uid, (s = { pod: o.pod, state: 'syncing', removed: false, working: false, pending: false, errors: 0 }));
    s.pod = o.pod;
    if (o.removed) s.removed = true;
    const terminate = o.updateType === 'kill' || s.removed || !!o.pod.metadata.deletionTimestamp;
    if (terminate && s.state === 'syncing') s.state = 'terminating';
    if (s.state !== 'syncing') {
      s.gracePeriod = effectiveGracePeriod(s.gracePeriod, o.pod, o.killPodOptions);
      // A shorter grace period cancels the running termination; the loop runs it again with the new one.
      if (s.working && s.activeGracePeriod !== undefined && s.gracePeriod < s.activeGracePeriod) s.abort?.abort();
    }
    this.schedule(uid, s);
  }

  /** Run the pod's current stage again (a PLEG event, a probe result, a timer). No-op for unknown pods. */
  sync(uid: string): void {
    const s = this.statuses.get(uid);
    if (s && !this.stopped) this.schedule(uid, s);
  }

  /** Sync the pod after `ms` (keeps the earliest of several requests). */
  requeue(uid: string, ms: number): void {
    const s = this.statuses.get(uid);
    if (!s || this.stopped) return;
    const at = Date.now() + ms;
    if (s.timer && s.timerAt! <= at) return;
    if (s.timer) clearTimeout(s.timer);
    s.timerAt = at;
    s.timer = setTimeout(
      () => {
        s.timer = undefined;
        this.sync(uid);
      },
      Math.max(0, ms),
    );
  }

  private schedule(uid: string, s: PodSyncStatus): void {
    if (s.working) {
      s.pending = true;
      return;
    }
    void this.run(uid, s);
  }

  private async run(uid: string, s: PodSyncStatus): Promise<void> {
    s.working = true;
    try {
      do {
        s.pending = false;
        const abort = (s.abort = new AbortController());
        try {
          if (s.state === 'syncing') {
            const out = await this.syncer.syncPod(s.pod, abort.signal);
            s.errors = 0;
            if (out?.terminal && s.state === 'syncing') {
              s.state = 'terminating';
              s.gracePeriod = effectiveGracePeriod(s.gracePeriod, s.pod);
              s.pending = true;
            } else if (out?.requeueAfterMs !== undefined && s.state === 'syncing') this.requeue(uid, out.requeueAfterMs);
          } else if (s.state === 'terminating') {
            const grace = (s.activeGracePeriod = s.gracePeriod ?? effectiveGracePeriod(undefined, s.pod));
            await this.syncer.syncTerminatingPod(s.pod, grace, abort.signal, s.removed);
            s.activeGracePeriod = undefined;
            if (abort.signal.aborted) s.pending = true;
            else {
              s.errors = 0;
              s.state = 'terminated';
              s.pending = true;
            }
          } else {
            const out = await this.syncer.syncTerminatedPod(s.pod, abort.signal, s.removed);
            s.errors = 0;
            if (out?.done && !s.pending) {
              if (s.timer) clearTimeout(s.timer);
              this.statuses.delete(uid);
              break;
            }
          }
        } catch (err) {
          s.activeGracePeriod = undefined;
          if (abort.signal.aborted) {
            // cut short by a shorter grace period: not a failure, run again at once
            s.pending = true;
          } else {
            s.errors++;
            this.onError?.(uid, err);
            this.requeue(uid, errorBackoffMs(s.errors));
          }
        }
      } while (s.pending && !this.stopped);
    } finally {
      s.working = false;
      s.abort = undefined;
      if (![...this.statuses.values()].some((x) => x.working)) this.idleWaiters.splice(0).forEach((r) => r());
    }
  }

  /** The worker's state of the pod, undefined when it has none (never seen, or finished and forgotten). */
  state(uid: string): PodWorkerState | undefined {
    return this.statuses.get(uid)?.state;
  }

  /** The newest copy of the pod the worker has (for pods already gone from the API). */
  pod(uid: string): Pod | undefined {
    return this.statuses.get(uid)?.pod;
  }

  /** UIDs that have a worker. */
  known(): string[] {
    return [...this.statuses.keys()];
  }

  isRunning(uid: string): boolean {
    return !!this.statuses.get(uid)?.working;
  }

  /** Resolves once no sync is running. */
  waitIdle(): Promise<void> {
    if (![...this.statuses.values()].some((x) => x.working)) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  /** Stop starting work. Running syncs are not aborted: a stopping agent leaves containers running. */
  stop(): void {
    this.stopped = true;
    for (const s of this.statuses.values()) if (s.timer) clearTimeout(s.timer);
  }
}
