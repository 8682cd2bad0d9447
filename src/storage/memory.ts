// MemoryStorage: the Storage contract kept entirely in process memory (tests, throwaway clusters).
// Values are held as JSON text in a key-sorted ObjectIndex; events go through the shared WatchCache.
import type { KubeObject } from '../api/types.js';
import { StorageError, type ListOptions, type ListResult, type RawListResult, type Storage, type StoreWatcher, type WatchOptions } from './interface.js';
import { decode, encodeWithRV, hasPrecondition } from './encoding.js';
import { listPage, listPageRaw } from './paging.js';
import { WatchCache, type HistoryEntry } from './watch_cache.js';
import { conflictMessage } from './messages.js';
import { ObjectIndex, type IndexEntry } from './object_index.js';

export interface MemoryStorageOptions {
  /** Events retained for watches from the past (default 10000). */
  historySize?: number;
  /** Bytes of event JSON retained for watches from the past (default 64 MiB). */
  historyBytes?: number;
}

export class MemoryStorage implements Storage {
  private readonly data = new ObjectIndex();
  private rev = 1;
  private closed = false;
  private readonly cache: WatchCache;

  constructor(opts: MemoryStorageOptions = {}) {
    this.cache = new WatchCache({ historySize: opts.historySize, historyBytes: opts.historyBytes, floorRV: 0 });
  }

  async create(key: string, obj: KubeObject): Promise<KubeObject> {
    this.checkOpen();
    if (this.data.get(key)) throw new StorageError('AlreadyExists', key);
    const rv = this.rev + 1;
    const value = encodeWithRV(obj, rv);
    this.data.set(key, value, rv, rv);
    this.commit({ type: 'ADDED', key, resourceVersion: rv, value });
    return decode(value);
  }

  async get(key: string): Promise<KubeObject | undefined> {
    this.checkOpen();
    const e = this.data.get(key);
    return e ? decode(e.value) : undefined;
  }

  async list(prefix: string, opts?: ListOptions): Promise<ListResult> {
    this.checkOpen();
    return listPage(prefix, opts, this.rev, this.data.pageSource(prefix, this.cache));
  }

  async listRaw(prefix: string, opts?: ListOptions): Promise<RawListResult> {
    this.checkOpen();
    return listPageRaw(prefix, opts, this.rev, this.data.pageSource(prefix, this.cache));
  }

  async update(key: string, obj: KubeObject, expectedRV?: number): Promise<KubeObject> {
    this.checkOpen();
    const cur = this.data.get(key);
    if (!cur) throw new StorageError('NotFound', key);
    if (hasPrecondition(expectedRV) && expectedRV !== cur.modRV) throw new StorageError('Conflict', key, conflictMessage(key));
    return this.replace(key, cur, obj);
  }

  async guaranteedUpdate(key: string, fn: (cur: KubeObject) => KubeObject | undefined): Promise<KubeObject> {
    this.checkOpen();
    const cur = this.data.get(key);
    if (!cur) throw new StorageError('NotFound', key);
    const next = fn(decode(cur.value));
    if (next === undefined) return decode(cur.value);
    return this.replace(key, cur, next);
  }

  async delete(key: string, expectedRV?: number): Promise<KubeObject> {
    this.checkOpen();
    const cur = this.data.get(key);
    if (!cur) throw new StorageError('NotFound', key);
    if (hasPrecondition(expectedRV) && expectedRV !== cur.modRV) throw new StorageError('Conflict', key, conflictMessage(key));
    const rv = this.rev + 1;
    this.data.delete(key);
    // the deletion's revision, in the response as in the DELETED event (etcd3's store does the same)
    const value = encodeWithRV(decode(cur.value), rv);
    this.commit({ type: 'DELETED', key, resourceVersion: rv, value, prevValue: cur.value });
    return decode(value);
  }

  watch(prefix: string, opts: WatchOptions): StoreWatcher {
    this.checkOpen();
    return this.cache.watch(prefix, opts);
  }

  currentRevision(): number {
    return this.rev;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.cache.closeAll('store closed');
  }

  /** Write a new value for an existing key; identical content is a no-op (no new revision), as upstream. */
  private replace(key: string, cur: IndexEntry, obj: KubeObject): KubeObject {
    if (encodeWithRV(obj, cur.modRV) === cur.value) return decode(cur.value);
    const rv = this.rev + 1;
    const value = encodeWithRV(obj, rv);
    this.data.set(key, value, cur.createRV, rv);
    this.commit({ type: 'MODIFIED', key, resourceVersion: rv, value, prevValue: cur.value });
    return decode(value);
  }

  private commit(e: HistoryEntry): void {
    this.rev = e.resourceVersion;
    this.cache.append(e);
  }

  private checkOpen(): void {
    if (this.closed) throw new Error('storage is closed');
  }
}
