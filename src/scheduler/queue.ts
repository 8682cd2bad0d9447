// The scheduling queue (upstream internal/queue.PriorityQueue): activeQ (a heap: highest priority first,
// then the oldest), backoffQ (after a failed attempt, 1 s doubling to 10 s), and unschedulable pods parked
// with the plugins that rejected them until a cluster event one of those plugins registered for (or, after
// 5 minutes, the periodic flush) moves them back. A pod that failed while an event arrived backs off instead
// of parking (the event may have been the one it needed).
import type { ClusterEvent } from './framework_types.js';

export interface QueueOptions {
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  now?: () => number;
}

/** A cluster event as the scheduler's informer handlers see it. */
export interface QueueEvent {
  resource: ClusterEvent['resource'];
  action: ClusterEvent['actions'][number];
}

interface Entry {
  key: string;
  priority: number;
  /** Creation time (ms) used to order equal priorities. */
  timestamp: number;
  attempts: number;
  backoffUntil: number;
  /** Plugins that rejected the pod last time (empty: any event may help). */
  plugins: Set<string>;
  /** Bumped whenever the entry is (re)activated; stale heap items are skipped. */
  version: number;
  unschedulableSince: number;
}

interface HeapItem {
  e: Entry;
  version: number;
}

function before(a: HeapItem, b: HeapItem): boolean {
  if (a.e.priority !== b.e.priority) return a.e.priority > b.e.priority;
  return a.e.timestamp < b.e.timestamp;
}

class Heap {
  private a: HeapItem[] = [];
  get size(): number {
    return this.a.length;
  }
  push(x: HeapItem): void {
    const a = this.a;
    a.push(x);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(a[i]!, a[p]!)) break;
      [a[i], a[p]] = [a[p]!, a[i]!];
      i = p;
    }
  }
  pop(): HeapItem | undefined {
    const a = this.a;
    if (a.length === 0) return undefined;
    const top = a[0]!;
    const last = a.pop()!;
    if (a.length) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && before(a[l]!, a[m]!)) m = l;
        if (r < a.length && before(a[r]!, a[m]!)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top;
  }
  clear(): void {
    this.a = [];
  }
}

/** Interested(plugins, event): would an event of this kind help a pod those plugins rejected? */
export type EventInterest = (plugins: Set<string>, event: QueueEvent) => boolean;

export class SchedulingQueue {
  private entries = new Map<string, Entry>();
  private active = new Set<string>();
  private heap = new Heap();
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
  /** Set by the scheduler: which events can help which plugins' rejections (default: every event). */
  interest: EventInterest = () => true;

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
      e = { key, priority, timestamp, attempts: 0, backoffUntil: 0, plugins: new Set(), version: 0, unschedulableSince: 0 };
      this.entries.set(key, e);
    } else if (e.priority !== priority || e.timestamp !== timestamp) {
      e.priority = priority;
      e.timestamp = timestamp;
      if (this.active.has(key)) this.push(e);
    }
    if (this.inFlight.has(key)) return;
    if (this.active.has(key)) return;
    this.unschedulable.delete(key);
    this.activateOrBackoff(e);
  }

  /** The pod no longer needs scheduling (bound, deleted, changed scheduler). */
  delete(key: string): void {
    const e = this.entries.get(key);
    if (e) e.version++;
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
      const next = this.popActive();
      if (next) {
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
   * The attempt failed. If a cluster event arrived meanwhile (or the failure was an error) the pod backs off
   * and retries; otherwise it waits among the unschedulable pods for an event `plugins` care about.
   */
  failed(key: string, opts: { retryable?: boolean; plugins?: Iterable<string> } = {}): void {
    const cycle = this.inFlight.get(key);
    this.inFlight.delete(key);
    const e = this.entries.get(key);
    if (!e || this.closed) return;
    e.attempts++;
    e.backoffUntil = this.now() + this.backoffDuration(e.attempts);
    e.plugins = new Set(opts.plugins ?? []);
    if (opts.retryable || (cycle !== undefined && cycle < this.moveRequestCycle)) this.activateOrBackoff(e);
    else {
      e.unschedulableSince = this.now();
      this.unschedulable.add(key);
    }
  }

  private backoffDuration(attempts: number): number {
    return Math.min(this.initialBackoffMs * 2 ** Math.min(attempts - 1, 30), this.maxBackoffMs);
  }

  /** A cluster event: unschedulable pods it may help get another try (after their backoff). No event = all. */
  moveAllToActiveOrBackoff(event?: QueueEvent): void {
    this.moveRequestCycle++;
    for (const key of [...this.unschedulable]) {
      const e = this.entries.get(key);
      if (!e) {
        this.unschedulable.delete(key);
        continue;
      }
      if (event && e.plugins.size > 0 && !this.interest(e.plugins, event)) continue;
      this.unschedulable.delete(key);
      this.activateOrBackoff(e);
    }
  }

  /** Periodic safety net: retry pods parked as unschedulable for at least `minAgeMs` (upstream: 5 minutes). */
  flushUnschedulable(minAgeMs = 0): void {
    const now = this.now();
    for (const key of [...this.unschedulable]) {
      const e = this.entries.get(key);
      if (!e) {
        this.unschedulable.delete(key);
        continue;
      }
      if (now - Math.max(e.unschedulableSince, e.backoffUntil) >= minAgeMs) {
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
    this.heap.clear();
    this.waiters.splice(0).forEach((w) => w());
  }

  private activateOrBackoff(e: Entry): void {
    const wait = e.backoffUntil - this.now();
    if (wait > 0) {
      if (this.backoffTimers.has(e.key) || this.active.has(e.key)) return;
      const t = setTimeout(() => {
        this.backoffTimers.delete(e.key);
        if (this.entries.get(e.key) === e && !this.inFlight.has(e.key) && !this.unschedulable.has(e.key)) this.activate(e);
      }, wait);
      this.backoffTimers.set(e.key, t);
      return;
    }
    this.clearTimer(e.key);
    this.activate(e);
  }

  private push(e: Entry): void {
    e.version++;
    this.heap.push({ e, version: e.version });
  }

  private activate(e: Entry): void {
    if (this.active.has(e.key)) return;
    this.active.add(e.key);
    this.push(e);
    this.waiters.shift()?.();
  }

  private popActive(): Entry | undefined {
    for (;;) {
      const it = this.heap.pop();
      if (!it) return undefined;
      const e = it.e;
      if (it.version !== e.version || this.entries.get(e.key) !== e || !this.active.has(e.key)) continue;
      this.active.delete(e.key);
      return e;
    }
  }

  private clearTimer(key: string): void {
    const t = this.backoffTimers.get(key);
    if (t) clearTimeout(t);
    this.backoffTimers.delete(key);
  }
}
