// CPU rate from cumulative CPU time (the CRI stats provider's usageNanoCores): each key keeps its recent
// readings; the rate of a new reading is taken against the newest one at least `minWindowMs` older.

export interface CpuSample {
  /** Epoch ms. */
  timestamp: number;
  /** Cumulative nanoseconds. */
  usageNs: number;
}

export class CpuRateTracker {
  private samples = new Map<string, CpuSample[]>();

  constructor(
    private readonly minWindowMs = 1000,
    private readonly keepMs = 60_000,
  ) {}

  /** Records `s` under `key` and returns its rate in nanocores, or undefined without an old enough reading. */
  observe(key: string, s: CpuSample): number | undefined {
    const list = this.samples.get(key) ?? [];
    let base: CpuSample | undefined;
    for (let i = list.length - 1; i >= 0; i--) {
      if (s.timestamp - list[i].timestamp >= this.minWindowMs) {
        base = list[i];
        break;
      }
    }
    list.push(s);
    while (list.length > 1 && s.timestamp - list[0].timestamp > this.keepMs) list.shift();
    // a few readings suffice: drop those too close to their successor
    if (list.length > 8) list.splice(1, 1);
    this.samples.set(key, list);
    if (!base) return undefined;
    const dt = s.timestamp - base.timestamp;
    const du = s.usageNs - base.usageNs;
    // a counter that went back is a new cgroup under the same key (a restarted container)
    if (du < 0) {
      this.samples.set(key, [s]);
      return undefined;
    }
    // ns of CPU per second of wall time = nanocores
    return Math.round((du * 1000) / dt);
  }

  /** Forget keys not in `live` (exited containers, removed pods). */
  retain(live: Set<string>): void {
    for (const k of this.samples.keys()) if (!live.has(k)) this.samples.delete(k);
  }
}
