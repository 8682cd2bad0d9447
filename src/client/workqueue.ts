// The rate-limited work queue of object keys (client-go's workqueue.RateLimitingInterface): a key added many
// times is queued once (dirty set), never handed to two workers at once (processing set; re-added while
// processing means "once more after done"), delayed adds (addAfter), and per-key exponential backoff
// (addRateLimited / forget / numRequeues) from an item rate limiter.

/** Per-item delay policy (client-go's RateLimiter). */
export interface RateLimiter {
  when(key: string): number;
  forget(key: string): void;
  numRequeues(key: string): number;
}

/** base × 2^failures, capped (client-go's ItemExponentialFailureRateLimiter; default 5 ms → 1000 s). */
export class ItemExponentialFailureRateLimiter implements RateLimiter {
  private failures = new Map<string, number>();

  constructor(
    private readonly baseDelayMs = 5,
    private readonly maxDelayMs = 1_000_000,
  ) {}

  when(key: string): number {
    const n = this.failures.get(key) ?? 0;
    this.failures.set(key, n + 1);
    // 2^n overflows to Infinity long before it matters; the cap keeps the delay finite
    return Math.min(this.baseDelayMs * 2 ** n, this.maxDelayMs);
  }

  forget(key: string): void {
    this.failures.delete(key);
  }

  numRequeues(key: string): number {
    return this.failures.get(key) ?? 0;
  }
}

export class WorkQueue {
  private queue: string[] = [];
  /** Keys that need processing: queued, or re-added while being processed. */
  private dirty = new Set<string>();
  private processing = new Set<string>();
  private waiters: (() => void)[] = [];
  private timers = new Map<string, { at: number; timer: NodeJS.Timeout }>();
  private shutDown = false;
  readonly rateLimiter: RateLimiter;

  /** `new WorkQueue()` uses client-go's default item backoff (5 ms → 1000 s); (base, max) or a limiter override it. */
  constructor(baseDelayMs?: number | RateLimiter, maxDelayMs?: number) {
    this.rateLimiter = typeof baseDelayMs === 'object' ? baseDelayMs : new ItemExponentialFailureRateLimiter(baseDelayMs ?? 5, maxDelayMs ?? 1_000_000);
  }

  add(key: string): void {
    if (this.shutDown || this.dirty.has(key)) return;
    this.dirty.add(key);
    if (this.processing.has(key)) return;
    this.queue.push(key);
    this.waiters.shift()?.();
  }

  /** Adds the key after `ms`; an earlier pending delayed add of the same key wins (as client-go's heap). */
  addAfter(key: string, ms: number): void {
    if (this.shutDown) return;
    if (ms <= 0) return this.add(key);
    const at = Date.now() + ms;
    const pending = this.timers.get(key);
    if (pending && pending.at <= at) return;
    if (pending) clearTimeout(pending.timer);
    const timer = setTimeout(() => {
      this.timers.delete(key);
      this.add(key);
    }, ms);
    this.timers.set(key, { at, timer });
  }

  /** Adds the key once the rate limiter says it may (per-key exponential backoff). */
  addRateLimited(key: string): void {
    this.addAfter(key, this.rateLimiter.when(key));
  }

  /** The key succeeded: its backoff starts over. */
  forget(key: string): void {
    this.rateLimiter.forget(key);
  }

  numRequeues(key: string): number {
    return this.rateLimiter.numRequeues(key);
  }

  len(): number {
    return this.queue.length;
  }

  shuttingDown(): boolean {
    return this.shutDown;
  }

  /** Next key (now marked processing until done()), or undefined once shut down. */
  async get(): Promise<string | undefined> {
    while (!this.queue.length) {
      if (this.shutDown) return undefined;
      await new Promise<void>((r) => this.waiters.push(r));
    }
    const key = this.queue.shift()!;
    this.processing.add(key);
    this.dirty.delete(key);
    return key;
  }

  done(key: string): void {
    this.processing.delete(key);
    if (this.dirty.has(key) && !this.shutDown) {
      this.queue.push(key);
      this.waiters.shift()?.();
    }
  }

  shutdown(): void {
    this.shutDown = true;
    for (const { timer } of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.waiters.splice(0).forEach((w) => w());
  }

  /** Run `sync` over keys with `workers` concurrent workers until shutdown; failures are retried rate-limited. */
  run(sync: (key: string) => Promise<void>, workers = 1, onError?: (key: string, err: unknown) => void): Promise<void> {
    const worker = async () => {
      for (;;) {
        const key = await this.get();
        if (key === undefined) return;
        try {
          await sync(key);
          this.forget(key);
        } catch (e) {
          try {
            onError?.(key, e);
          } catch {
            // a failing error hook must not stop the worker
          }
          this.addRateLimited(key);
        } finally {
          this.done(key);
        }
      }
    };
    return Promise.all(Array.from({ length: workers }, worker)).then(() => undefined);
  }
}
