// The server's answer cache: wire answers by the query's bytes (ID aside), bounded and O(1) per operation under
// any load. Two generations: new entries go to the young map; when it is full it becomes the old one (the
// previous old one dropped whole) and hits in the old map are promoted. So a flood of never-repeated names costs
// at most `max` entries and no per-entry eviction scan, while names in use stay. Cleared when the records change.
export class AnswerCache {
  private young = new Map<string, Buffer>();
  private old = new Map<string, Buffer>();
  private version = -1;

  constructor(private readonly max: number) {}

  /** Drop everything when `version` (the records') moved on since the last call. */
  sync(version: number): void {
    if (version === this.version) return;
    this.version = version;
    this.young = new Map();
    this.old = new Map();
  }

  get(key: string): Buffer | undefined {
    const hit = this.young.get(key);
    if (hit) return hit;
    const aged = this.old.get(key);
    if (aged) this.set(key, aged);
    return aged;
  }

  set(key: string, answer: Buffer): void {
    if (this.young.size >= this.max >> 1) {
      this.old = this.young;
      this.young = new Map();
    }
    this.young.set(key, answer);
  }

  get size(): number {
    return this.young.size + this.old.size;
  }
}
