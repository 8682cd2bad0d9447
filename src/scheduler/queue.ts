// The scheduling queue: active pods (highest priority first, then oldest), pods backing off after a
// failed attempt (1s doubling to 10s), and unschedulable pods parked until a cluster event (node or
// pod change) or the periodic flush moves them back.
export interface QueueOptions {
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  now?: () => number;
}

interface Entry {
  key: string;
  priority: number;
  /** Creation time (ms) used to order equal priorities. */
  timestamp: number;
  attempts: number;
  backoffUntil: number;
}

export class SchedulingQueue {
  private entries = new Map<string, Entry>();
  private active = new Set<string>();
  private unschedulable = new Set<string>();
  private backoffTimers = new Map<string, NodeJS.Timeout>();
  private inFlight = new Map<string, number>();
  /** Counts cluster events, so a pod that failed while an event arrived is retried after backoff. */
  private moveRequestCycle = 0;
  private waiters: (() => void)[] = [];
  private closed = false;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly now: () => number;

  constructor(opts: QueueOptions = {}) {
    this.initialBackoffMs = opts.initialBackoffMs ?? 1000;
    this.maxBackoffMs = opts.maxBackoffMs ?? 10_000;
    this.now = opts.now ?? Date.now;
  }

  /** A new or changed pending pod: queue it now unless it is backing off. */
  add(key: string, priority = 0, timestamp = 0): void {
    if (this.closed) return;
    let e = this.entries.get(key);
    if (!e) {
      e = { key, priority, timestamp, attempts: 0, backoffUntil: 0 };
      this.entries.set(key, e);
    } else {
      e.priority = priority;
      e.timestamp = timestamp;
    }
    if (this.inFlight.has(key)) return;
    this.unschedulable.delete(key);
    this.activateOrBackoff(e);
  }

  /** The pod no longer needs scheduling (bound, deleted, changed scheduler). */
  delete(key: string): void {
    this.entries.delete(key);
    this.active.delete(key);
    this.unschedulable.delete(key);
    this.clearTimer(key);
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** Next key to attempt, or undefined once closed. */
  async pop(): Promise<string | undefined> {
    for (;;) {
      if (this.closed) return undefined;
      const next = this.best();
      if (next) {
        this.active.delete(next.key);
        this.inFlight.set(next.key, this.moveRequestCycle);
        return next.key;
      }
      await new Promise<void>((r) => this.waiters.push(r));
    }
  }

  /** The attempt succeeded (or the pod went away): forget it. */
  done(key: string): void {
    this.inFlight.delete(key);
    this.delete(key);
  }

  /**
   * The attempt failed. If a cluster event arrived meanwhile the pod backs off and retries; otherwise it
   * waits in the unschedulable set for the next event or flush.
   */
  failed(key: string, opts: { retryable?: boolean } = {}): void {
    const cycle = this.inFlight.get(key);
    this.inFlight.delete(key);
    const e = this.entries.get(key);
    if (!e || this.closed) return;
    e.attempts++;
    e.backoffUntil = this.now() + Math.min(this.initialBackoffMs * 2 ** (e.attempts - 1), this.maxBackoffMs);
    if (opts.retryable || (cycle !== undefined && cycle < this.moveRequestCycle)) this.activateOrBackoff(e);
    else this.unschedulable.add(key);
  }

  /** A node or pod changed: every unschedulable pod gets another try (after its backoff). */
  moveAllToActiveOrBackoff(): void {
    this.moveRequestCycle++;
    for (const key of [...this.unschedulable]) {
      this.unschedulable.delete(key);
      const e = this.entries.get(key);
      if (e) this.activateOrBackoff(e);
    }
  }

  /** Periodic safety net: retry pods parked as unschedulable for at least `minAgeMs` past their backoff. */
  flushUnschedulable(minAgeMs = 0): void {
    const now = this.now();
    for (const key of [...this.unschedulable]) {
      const e = this.entries.get(key);
      if (!e) {
        this.unschedulable.delete(key);
        continue;
      }
      if (now - e.backoffUntil >= minAgeMs) {
        this.unschedulable.delete(key);
        this.activateOrBackoff(e);
      }
    }
  }

  pendingCounts(): { active: number; backoff: number; unschedulable: number } {
    return { active: this.active.size, backoff: this.backoffTimers.size, unschedulable: this.unschedulable.size };
  }

  close(): void {
    this.closed = true;
    for (const t of this.backoffTimers.values()) clearTimeout(t);
    this.backoffTimers.clear();
    this.waiters.splice(0).forEach((w) => w());
  }

  private activateOrBackoff(e: Entry): void {
    const wait = e.backoffUntil - this.now();
    if (wait > 0) {
      if (this.backoffTimers.has(e.key) || this.active.has(e.key)) return;
      const t = setTimeout(() => {
        this.backoffTimers.delete(e.key);
        if (this.entries.get(e.key) === e && !this.inFlight.has(e.key) && !this.unschedulable.has(e.key)) this.activate(e.key);
      }, wait);
      this.backoffTimers.set(e.key, t);
      return;
    }
    this.clearTimer(e.key);
    this.activate(e.key);
  }

  private activate(key: string): void {
    this.active.add(key);
    this.waiters.shift()?.();
  }

  private clearTimer(key: string): void {
    const t = this.backoffTimers.get(key);
    if (t) clearTimeout(t);
    this.backoffTimers.delete(key);
  }

  private best(): Entry | undefined {
    let best: Entry | undefined;
    for (const key of this.active) {
      const e = this.entries.get(key);
      if (!e) {
        this.active.delete(key);
        continue;
      }
      if (!best || e.priority > best.priority || (e.priority === best.priority && e.timestamp < best.timestamp)) best = e;
    }
    return best;
  }
}
