// Pod workers (upstream pod_workers.go): one serialised worker per pod UID. Every change (API update, PLEG
// event, timer) asks "sync this pod to its desired state"; requests arriving during a sync coalesce into
// one more sync afterwards. Syncs are idempotent, so extra wake-ups are harmless.

export interface SyncOutcome {
  /** Sync again after this many ms (backoff windows, deadlines, in-progress work). */
  requeueAfterMs?: number;
  /** The pod is finished with and its worker can be dropped. */
  done?: boolean;
}

export type PodSyncFn = (uid: string) => Promise<SyncOutcome | void>;

interface Worker {
  running: boolean;
  pending: boolean;
  timer?: NodeJS.Timeout;
  timerAt?: number;
  errors: number;
}

export class PodWorkers {
  private workers = new Map<string, Worker>();
  private stopped = false;
  private idleWaiters: (() => void)[] = [];
  /** Called when a sync throws (logging). */
  onError?: (uid: string, err: unknown) => void;

  constructor(private readonly syncPod: PodSyncFn) {}

  /** Ask for a sync of the pod now (or right after the running one). */
  update(uid: string): void {
    if (this.stopped) return;
    let w = this.workers.get(uid);
    if (!w) this.workers.set(uid, (w = { running: false, pending: false, errors: 0 }));
    if (w.running) {
      w.pending = true;
      return;
    }
    void this.run(uid, w);
  }

  /** Sync the pod after `ms` (keeps the earliest of several requests). */
  requeue(uid: string, ms: number): void {
    if (this.stopped) return;
    let w = this.workers.get(uid);
    if (!w) this.workers.set(uid, (w = { running: false, pending: false, errors: 0 }));
    const at = Date.now() + ms;
    if (w.timer && w.timerAt! <= at) return;
    if (w.timer) clearTimeout(w.timer);
    w.timerAt = at;
    w.timer = setTimeout(() => {
      w!.timer = undefined;
      this.update(uid);
    }, Math.max(0, ms));
  }

  private async run(uid: string, w: Worker): Promise<void> {
    w.running = true;
    try {
      do {
        w.pending = false;
        let out: SyncOutcome | void;
        try {
          out = await this.syncPod(uid);
          w.errors = 0;
        } catch (err) {
          w.errors++;
          this.onError?.(uid, err);
          out = { requeueAfterMs: Math.min(500 * 2 ** (w.errors - 1), 10_000) };
        }
        if (this.stopped) break;
        if (out?.done) {
          if (w.timer) clearTimeout(w.timer);
          if (!w.pending) {
            this.workers.delete(uid);
            break;
          }
        } else if (out?.requeueAfterMs !== undefined) this.requeue(uid, out.requeueAfterMs);
      } while (w.pending && !this.stopped);
    } finally {
      w.running = false;
      if (![...this.workers.values()].some((x) => x.running)) this.idleWaiters.splice(0).forEach((r) => r());
    }
  }

  /** UIDs that have a worker. */
  known(): string[] {
    return [...this.workers.keys()];
  }

  isRunning(uid: string): boolean {
    return !!this.workers.get(uid)?.running;
  }

  /** Resolves once no sync is running. */
  waitIdle(): Promise<void> {
    if (![...this.workers.values()].some((x) => x.running)) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  stop(): void {
    this.stopped = true;
    for (const w of this.workers.values()) if (w.timer) clearTimeout(w.timer);
  }
}
