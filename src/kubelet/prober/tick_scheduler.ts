// One timer for all probe workers: each worker books its next tick here and every tick due at the same moment
// runs from the same wakeup. Workers keep their own schedule (period, jitter); ticks are aligned to a
// grid of `slotMs` so that many workers share few wakeups (200 probes a second, 10 wakeups).
import type { Clock } from './types.js';

/** A booked tick; `cancel()` it to drop it. */
export interface Tick {
  readonly at: number;
  cancel(): void;
}

class Entry implements Tick {
  cancelled = false;
  constructor(
    readonly at: number,
    readonly seq: number,
    readonly fn: () => void,
  ) {}
  cancel(): void {
    this.cancelled = true;
  }
}

/** Ticks due within this many ms run now: the timer and the clock may disagree by a ms either way. */
const EARLY_MS = 1;

export class TickScheduler {
  /** Min-heap on (at, seq). */
  private heap: Entry[] = [];
  private seq = 0;
  private timer: unknown;
  private armedFor = Infinity;
  /** While due ticks run, bookings wait for the one re-arm at the end. */
  private firing = false;

  constructor(
    private readonly clock: Clock,
    /** Grid of tick times in ms (1 = none). */
    readonly slotMs: number,
  ) {}

  /** The first grid time at or after t. */
  align(t: number): number {
    return this.slotMs > 1 ? Math.ceil(t / this.slotMs) * this.slotMs : Math.ceil(t);
  }

  /** Runs fn at `at` (epoch ms per the clock; callers pass aligned times to share wakeups). */
  schedule(at: number, fn: () => void): Tick {
    const e = new Entry(at, this.seq++, fn);
    this.push(e);
    if (!this.firing && at < this.armedFor) this.arm();
    return e;
  }

  /** Booked ticks, cancelled ones included until their time comes (introspection, tests). */
  get pending(): number {
    return this.heap.length;
  }

  stop(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.armedFor = Infinity;
    this.heap = [];
  }

  private arm(): void {
    while (this.heap.length && this.heap[0]!.cancelled) this.pop();
    const top = this.heap[0];
    if (top && top.at === this.armedFor && this.timer !== undefined) return;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.armedFor = Infinity;
    if (!top) return;
    this.armedFor = top.at;
    this.timer = this.clock.setTimeout(this.fire, Math.max(0, top.at - this.clock.now()));
  }

  private readonly fire = (): void => {
    this.timer = undefined;
    this.armedFor = Infinity;
    const now = this.clock.now();
    this.firing = true;
    try {
      while (this.heap.length && this.heap[0]!.at <= now + EARLY_MS) {
        const e = this.pop();
        if (e.cancelled) continue;
        try {
          e.fn();
        } catch {
          // a worker's failure must not stop the others' ticks
        }
      }
    } finally {
      this.firing = false;
    }
    this.arm();
  };

  private push(e: Entry): void {
    const h = this.heap;
    h.push(e);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(e, h[p]!)) break;
      h[i] = h[p]!;
      i = p;
    }
    h[i] = e;
  }

  private pop(): Entry {
    const h = this.heap;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= h.length) break;
        const r = l + 1;
        const c = r < h.length && before(h[r]!, h[l]!) ? r : l;
        if (!before(h[c]!, last)) break;
        h[i] = h[c]!;
        i = c;
      }
      h[i] = last;
    }
    return top;
  }
}

function before(a: Entry, b: Entry): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
