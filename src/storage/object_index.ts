// ObjectIndex: every live object of a backend in memory, by key and in key order, as the object JSON the store
// hands out (plain, never encrypted), with its create/mod revisions. The memory backend is only this; sqlite keeps
// it beside the file so reads and lists never touch SQLite (upstream serves them from the watch cache likewise).
// Entries are immutable (a write replaces its key's entry), so a list takes a snapshot of a key range by copying
// the references (a few ms for 150,000 objects) and reads it afterwards at leisure; counting what remains under a
// prefix is two binary searches. An entry's UTF-8 bytes are made with it, at the write: made on the first list
// instead, the first list after a load made every object's at once (61 MB of Buffers at 15,000 pods) and the
// garbage collection that followed stalled writes for hundreds of ms; every informer lists them anyway.
// Later pages of a paged list are at the first page's revision: the page source also hands out the writes since.
import { prefixEnd } from './encoding.js';
import type { KeyValueRow, PageSource, PastWrite } from './paging.js';

/** Where a page source finds the writes since a revision (the backend's WatchCache). */
export interface WriteHistory {
  writesSince(rv: number, fromKey: string, endKey: string | undefined): readonly PastWrite[] | undefined;
}

/** value: the object JSON, metadata.resourceVersion = modRV; bytes: made on demand (paging.ts rowBytes). */
export interface IndexEntry extends KeyValueRow {
  readonly createRV: number;
  readonly modRV: number;
}

export class ObjectIndex {
  private readonly data = new Map<string, IndexEntry>();
  /** All entries, ascending by key (binary-searched for prefix lists). */
  private sorted: IndexEntry[] = [];

  get size(): number {
    return this.data.size;
  }

  get(key: string): IndexEntry | undefined {
    return this.data.get(key);
  }

  /** Insert or replace the entry of `key`. */
  set(key: string, value: string, createRV: number, modRV: number): void {
    const e: IndexEntry = { key, value, createRV, modRV, bytes: Buffer.from(value, 'utf8') };
    const i = this.lowerBound(key);
    if (this.data.has(key)) this.sorted[i] = e;
    else this.sorted.splice(i, 0, e);
    this.data.set(key, e);
  }

  delete(key: string): void {
    if (!this.data.delete(key)) return;
    this.sorted.splice(this.lowerBound(key), 1);
  }

  /** Loads entries already in key order (a backend opening its file), cheaper than set() one by one. */
  loadSorted(rows: Iterable<{ key: string; value: string; createRV: number; modRV: number }>): void {
    for (const r of rows) {
      const last = this.sorted[this.sorted.length - 1];
      if (last && last.key >= r.key) throw new Error(`ObjectIndex.loadSorted: ${r.key} out of order`);
      const e: IndexEntry = { key: r.key, value: r.value, createRV: r.createRV, modRV: r.modRV };
      this.sorted.push(e);
      this.data.set(r.key, e);
    }
  }

  /**
   * Paging source over keys under `prefix`: snapshots of the entries themselves (a raw list keeps their bytes),
   * and the writes since a revision from `history`.
   */
  pageSource(prefix: string, history: WriteHistory): PageSource {
    const endKey = prefixEnd(prefix);
    return {
      snapshot: (fromKey, max) => {
        const start = this.lowerBound(fromKey < prefix ? prefix : fromKey);
        const end = endKey === undefined ? this.sorted.length : this.lowerBound(endKey);
        const total = Math.max(0, end - start);
        return { rows: this.sorted.slice(start, start + Math.min(total, max)), total };
      },
      writesSince: (rv, fromKey) => history.writesSince(rv, fromKey < prefix ? prefix : fromKey, endKey),
    };
  }

  /** Index of the first entry whose key is >= `key`. */
  private lowerBound(key: string): number {
    const a = this.sorted;
    let lo = 0;
    let hi = a.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (a[mid]!.key < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
