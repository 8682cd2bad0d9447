// Per-key exponential backoff (upstream flowcontrol.Backoff) for container restarts and image pulls:
// initial delay doubling to a max, forgotten once the thing ran for `resetAfterMs` without a new failure.

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  /** An entry whose last failure is older than this (relative to the new event) starts over. */
  resetAfterMs: number;
}

export const defaultRestartBackoff: BackoffOptions = { initialMs: 10_000, maxMs: 300_000, resetAfterMs: 600_000 };

interface Entry {
  delayMs: number;
  /** Time (ms) of the event that set the current delay. */
  lastUpdate: number;
}

export class Backoff {
  private entries = new Map<string, Entry>();

  constructor(
    readonly opts: BackoffOptions,
    private readonly now: () => number = Date.now,
  ) {}

  /** Current delay for key (0 when none). */
  get(key: string): number {
    return this.entries.get(key)?.delayMs ?? 0;
  }

  private expired(e: Entry, eventTime: number): boolean {
    return eventTime - e.lastUpdate > this.opts.resetAfterMs;
  }

  /** Record a new failure that happened at eventTime (ms): first → initial, then doubling up to max. */
  next(key: string, eventTime: number = this.now()): number {
    const e = this.entries.get(key);
    if (!e || this.expired(e, eventTime)) {
      this.entries.set(key, { delayMs: this.opts.initialMs, lastUpdate: eventTime });
      return this.opts.initialMs;
    }
    e.delayMs = Math.min(e.delayMs * 2, this.opts.maxMs);
    e.lastUpdate = eventTime;
    return e.delayMs;
  }

  /** Whether we are still inside the backoff window that started at eventTime (ms). */
  isInBackOffSince(key: string, eventTime: number): boolean {
    const e = this.entries.get(key);
    if (!e || this.expired(e, eventTime)) return false;
    return this.now() - eventTime < e.delayMs;
  }

  /** Milliseconds left in the window that started at eventTime (0 when not backing off). */
  remaining(key: string, eventTime: number): number {
    const e = this.entries.get(key);
    if (!e || this.expired(e, eventTime)) return 0;
    return Math.max(0, eventTime + e.delayMs - this.now());
  }

  reset(key: string): void {
    this.entries.delete(key);
  }

  /** Drop entries whose keys start with prefix (a removed pod). */
  resetPrefix(prefix: string): void {
    for (const k of this.entries.keys()) if (k.startsWith(prefix)) this.entries.delete(k);
  }

  /** Forget entries idle for longer than resetAfterMs. */
  gc(): void {
    const now = this.now();
    for (const [k, e] of this.entries) if (now - e.lastUpdate > this.opts.resetAfterMs + this.opts.maxMs) this.entries.delete(k);
  }
}
