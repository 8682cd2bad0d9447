// ObjectIndex: every live object of a backend in memory, by key and in key order, as the object JSON the store
// hands out (plain, never encrypted), with its create/mod revisions. The memory backend is only this; sqlite keeps
// it beside the file so reads and lists never touch SQLite (upstream serves them from the watch cache likewise).
// An entry's UTF-8 bytes are made once, on the first list that needs them, and spliced into list bodies as is.
import type { KeyValueRow, PageSource } from './paging.js';

export interface IndexEntry {
  /** The object JSON, metadata.resourceVersion = modRV. */
  readonly value: string;
  readonly createRV: number;
  readonly modRV: number;
  /** `value` as UTF-8, made on demand (see bytesOf). */
  bytes?: Buffer;
}

export class ObjectIndex {
  private readonly data = new Map<string, IndexEntry>();
  /** All keys, ascending (binary-searched for prefix lists). */
  private keys: string[] = [];

  get size(): number {
    return this.data.size;
  }

  get(key: string): IndexEntry | undefined {
    return this.data.get(key);
  }

  /** Insert or replace the entry of `key`. */
  set(key: string, value: string, createRV: number, modRV: number): void {
    if (!this.data.has(key)) this.keys.splice(this.lowerBound(key), 0, key);
    this.data.set(key, { value, createRV, modRV });
  }

  delete(key: string): void {
    if (!this.data.delete(key)) return;
    this.keys.splice(this.lowerBound(key), 1);
  }

  /** Loads entries already in key order (a backend opening its file), cheaper than set() one by one. */
  loadSorted(rows: Iterable<{ key: string; value: string; createRV: number; modRV: number }>): void {
    for (const r of rows) {
      if (this.keys.length && this.keys[this.keys.length - 1] >= r.key) throw new Error(`ObjectIndex.loadSorted: ${r.key} out of order`);
      this.keys.push(r.key);
      this.data.set(r.key, { value: r.value, createRV: r.createRV, modRV: r.modRV });
    }
  }

  /** The entry's JSON as UTF-8, kept for later lists (entries are replaced, never changed, on writes). */
  static bytesOf(e: IndexEntry): Buffer {
    return (e.bytes ??= Buffer.from(e.value, 'utf8'));
  }

  /** Paging source over keys under `prefix`; rows carry the entry so a raw list can take its bytes. */
  pageSource(prefix: string): PageSource<IndexEntry> {
    return {
      scan: (fromKey) => this.scan(fromKey),
      countFrom: (fromKey) => {
        let n = 0;
        for (let i = this.lowerBound(fromKey); i < this.keys.length && this.keys[i].startsWith(prefix); i++) n++;
        return n;
      },
    };
  }

  private *scan(fromKey: string): Iterable<KeyValueRow<IndexEntry>> {
    for (let i = this.lowerBound(fromKey); i < this.keys.length; i++) {
      const key = this.keys[i];
      const e = this.data.get(key);
      if (e) yield { key, value: e.value, entry: e };
    }
  }

  private lowerBound(key: string): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.keys[mid] < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
