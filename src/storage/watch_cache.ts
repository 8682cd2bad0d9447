// The in-memory event history (a ring of committed changes bounded by count and by bytes) and the fan-out of
// those events to watchers. Both backends append here after each committed write; each watcher has its own
// queue that is drained asynchronously, in order, and a watcher whose queue grows past maxQueue events or
// maxQueueBytes is dropped ("too slow"). Evicting the oldest event raises the floor below which a watch
// gets 410 Expired, whichever bound evicted it.
import type { KubeObject } from '../api/types.js';
import { StorageError, type StoreEvent, type StoreWatcher, type WatchOptions } from './interface.js';

/** One committed change, kept as JSON text so every watcher can get its own copy cheaply. */
export interface HistoryEntry {
  type: StoreEvent['type'];
  key: string;
  resourceVersion: number;
  /** The object after the change (DELETED: the last state, stamped with the deletion's revision). */
  value: string;
  /** The object before the change (MODIFIED/DELETED). */
  prevValue?: string;
}

export const DEFAULT_HISTORY_SIZE = 10_000;
/** Bytes of event JSON (objects and previous objects) the history keeps at most. */
export const DEFAULT_HISTORY_BYTES = 64 * 1024 * 1024;
export const DEFAULT_MAX_QUEUE = 10_000;
/** Bytes of undelivered event JSON one watcher may have queued before it is dropped as too slow. */
export const DEFAULT_MAX_QUEUE_BYTES = 64 * 1024 * 1024;

/** What an entry costs to keep: its JSON texts (one byte per character is V8's common case). */
export function entryBytes(e: HistoryEntry): number {
  return e.value.length + (e.prevValue?.length ?? 0) + e.key.length;
}

/** Build a StoreEvent whose objects are parsed from JSON on first access (each call yields fresh copies). */
export function materializeEvent(e: HistoryEntry): StoreEvent {
  const ev = { type: e.type, key: e.key, resourceVersion: e.resourceVersion } as StoreEvent;
  Object.defineProperty(ev, 'objectJSON', { value: e.value, enumerable: false });
  lazyJSONProperty(ev, 'object', e.value);
  if (e.prevValue !== undefined) lazyJSONProperty(ev, 'prevObject', e.prevValue);
  return ev;
}

function lazyJSONProperty(target: StoreEvent, name: 'object' | 'prevObject', json: string): void {
  let parsed: KubeObject | undefined;
  Object.defineProperty(target, name, {
    enumerable: true,
    configurable: true,
    get() {
      if (parsed === undefined) parsed = JSON.parse(json) as KubeObject;
      return parsed;
    },
    set(v: KubeObject) {
      parsed = v;
    },
  });
}

/** A single watcher: a private queue plus an asynchronous drain loop. */
class CacheWatcher implements StoreWatcher {
  private queue: HistoryEntry[] = [];
  private head = 0;
  private scheduled = false;
  private queuedBytes = 0;
  /** True while awaiting a promise returned by onEvent (consumer back-pressure). */
  private waiting = false;
  stopped = false;
  private readonly maxQueue: number;

  constructor(
    readonly prefix: string,
    private readonly opts: WatchOptions,
    private readonly onStop: (w: CacheWatcher) => void,
  ) {
    this.maxQueue = opts.maxQueue && opts.maxQueue > 0 ? opts.maxQueue : DEFAULT_MAX_QUEUE;
  }

  get queued(): number {
    return this.queue.length - this.head;
  }

  /** Cheap: push and maybe schedule a drain. Never calls consumer code synchronously. */
  enqueue(e: HistoryEntry): void {
    if (this.stopped) return;
    this.queue.push(e);
    this.queuedBytes += entryBytes(e);
    if (this.queue.length - this.head > this.maxQueue || this.queuedBytes > DEFAULT_MAX_QUEUE_BYTES) {
      this.terminate('too slow');
      return;
    }
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled || this.waiting || this.stopped) return;
    this.scheduled = true;
    queueMicrotask(() => this.drain());
  }

  private drain(): void {
    this.scheduled = false;
    while (!this.stopped && !this.waiting && this.head < this.queue.length) {
      const entry = this.queue[this.head];
      this.queue[this.head++] = undefined as unknown as HistoryEntry; // release for GC
      this.queuedBytes -= entryBytes(entry);
      let result: unknown;
      try {
        result = this.opts.onEvent(materializeEvent(entry));
      } catch (err) {
        this.terminate(`watcher callback failed: ${(err as Error)?.message ?? String(err)}`);
        return;
      }
      if (result !== undefined && typeof (result as PromiseLike<void>).then === 'function') {
        this.waiting = true;
        (result as PromiseLike<void>).then(
          () => {
            this.waiting = false;
            this.schedule();
          },
          (err: unknown) => this.terminate(`watcher callback failed: ${(err as Error)?.message ?? String(err)}`),
        );
      }
    }
    this.compact();
  }

  private compact(): void {
    if (this.head === this.queue.length) {
      this.queue = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }

  /** Store-initiated end: drop the queue and tell the consumer asynchronously. */
  terminate(reason: string): void {
    if (this.stopped) return;
    this.stopped = true;
    this.queue = [];
    this.head = 0;
    this.queuedBytes = 0;
    this.onStop(this);
    const onClose = this.opts.onClose;
    if (onClose) queueMicrotask(() => onClose(reason));
  }

  /** Consumer-initiated end: no further callbacks of any kind. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.queue = [];
    this.head = 0;
    this.onStop(this);
  }
}

export interface WatchCacheOptions {
  /** Max events retained for watches from the past (default 10000). */
  historySize?: number;
  /** Max bytes of event JSON retained (default 64 MiB); the newest event is always kept. */
  historyBytes?: number;
  /**
   * Revision from which the history is complete: every event with resourceVersion > floorRV will be (or
   * was) appended here. 0 for a brand-new store; the current revision for a reopened one.
   */
  floorRV: number;
}

/** Bounded event history plus watcher fan-out. Not tied to any backend. */
export class WatchCache {
  private readonly capacity: number;
  private readonly ring: (HistoryEntry | undefined)[];
  private start = 0; // index of the oldest entry
  private count = 0;
  private bytes = 0;
  private readonly maxBytes: number;
  /** Every event with resourceVersion > floorRV is still in the ring (or still to come). */
  private floorRV: number;
  private readonly watchers = new Set<CacheWatcher>();

  constructor(opts: WatchCacheOptions) {
    this.capacity = Math.max(1, opts.historySize ?? DEFAULT_HISTORY_SIZE);
    this.ring = new Array(this.capacity);
    this.maxBytes = Math.max(1, opts.historyBytes ?? DEFAULT_HISTORY_BYTES);
    this.floorRV = opts.floorRV;
  }

  /** Oldest revision a watch may start from (fromRV must be >= this). */
  oldestWatchableRV(): number {
    return this.floorRV;
  }

  get watcherCount(): number {
    return this.watchers.size;
  }

  /** Record a committed change and enqueue it to every watcher whose prefix matches. */
  append(e: HistoryEntry): void {
    const size = entryBytes(e);
    while (this.count > 0 && (this.count === this.capacity || this.bytes + size > this.maxBytes)) this.evictOldest();
    this.ring[(this.start + this.count) % this.capacity] = e;
    this.count++;
    this.bytes += size;
    for (const w of this.watchers) {
      if (e.key.startsWith(w.prefix)) w.enqueue(e);
    }
  }

  /**
   * Start watching keys under `prefix` for events with resourceVersion > opts.fromRV.
   * Throws StorageError('Expired') when the history no longer reaches back to fromRV.
   */
  watch(prefix: string, opts: WatchOptions): StoreWatcher {
    const fromRV = opts.fromRV;
    if (!Number.isFinite(fromRV) || fromRV < this.floorRV) {
      throw new StorageError('Expired', prefix, `too old resource version: ${fromRV} (${this.floorRV})`);
    }
    const w = new CacheWatcher(prefix, opts, (x) => this.watchers.delete(x));
    // Replay retained events newer than fromRV, then go live; all synchronous, so nothing can slip between.
    for (let i = this.firstIndexAfter(fromRV); i < this.count && !w.stopped; i++) {
      const e = this.ring[(this.start + i) % this.capacity]!;
      if (e.key.startsWith(prefix)) w.enqueue(e);
    }
    if (!w.stopped) this.watchers.add(w);
    return w;
  }

  /**
   * The retained writes after `rv` to keys in [fromKey, endKey) (endKey undefined: no end), oldest first; undefined
   * when the history no longer reaches back to `rv` (a paged list's later pages undo them, see paging.ts).
   */
  writesSince(rv: number, fromKey: string, endKey: string | undefined): HistoryEntry[] | undefined {
    if (!(rv >= this.floorRV)) return undefined;
    const out: HistoryEntry[] = [];
    for (let i = this.firstIndexAfter(rv); i < this.count; i++) {
      const e = this.ring[(this.start + i) % this.capacity]!;
      if (e.key >= fromKey && (endKey === undefined || e.key < endKey)) out.push(e);
    }
    return out;
  }

  /** Bytes of event JSON the history holds now. */
  get historyBytes(): number {
    return this.bytes;
  }

  private evictOldest(): void {
    const evicted = this.ring[this.start]!;
    this.ring[this.start] = undefined;
    this.floorRV = evicted.resourceVersion;
    this.bytes -= entryBytes(evicted);
    this.start = (this.start + 1) % this.capacity;
    this.count--;
  }

  /** Terminate every watcher (e.g. store closing). */
  closeAll(reason: string): void {
    for (const w of [...this.watchers]) w.terminate(reason);
  }

  /** Logical index (0 = oldest) of the first retained event with resourceVersion > rv. */
  private firstIndexAfter(rv: number): number {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.ring[(this.start + mid) % this.capacity]!.resourceVersion > rv) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}
