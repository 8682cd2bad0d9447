// The storage contract every backend (memory, sqlite, later etcd) implements, and that the API server uses.
// Keys look like "/registry/pods/default/web" (namespaced) or "/registry/namespaces/default" (cluster).
// Resource versions are one cluster-wide, strictly increasing integer; the backend owns
// metadata.resourceVersion on every object it returns.
import type { KubeObject } from '../api/types.js';

export type StorageErrorCode = 'NotFound' | 'AlreadyExists' | 'Conflict' | 'Expired' | 'InvalidContinue';

/** Raised by backends; the API server maps `code` onto a Kubernetes Status. */
export class StorageError extends Error {
  constructor(
    public readonly code: StorageErrorCode,
    public readonly key: string,
    message?: string,
  ) {
    super(message ?? `${code}: ${key}`);
    this.name = 'StorageError';
  }
}

export interface ListOptions {
  /** Max items to return (0/undefined = all). */
  limit?: number;
  /** Opaque token returned by a previous list's `continue`. */
  continue?: string;
  /** Optional filter applied by the backend before paging (so `limit` counts matching items). */
  predicate?: (obj: KubeObject) => boolean;
}

export interface ListResult {
  items: KubeObject[];
  /** Revision the list is consistent with. */
  resourceVersion: number;
  /** Set when more items remain. */
  continue?: string;
  remainingItemCount?: number;
}

/** Like ListResult, but each item is the stored JSON as UTF-8 bytes (metadata.resourceVersion already stamped). */
export interface RawListResult {
  /** Shared with the store: read, never modify. */
  items: Buffer[];
  resourceVersion: number;
  continue?: string;
  remainingItemCount?: number;
}

export interface StoreEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  key: string;
  /** The object after the change (for DELETED: the last state, with the deletion's resourceVersion). */
  object: KubeObject;
  /** The object before the change (MODIFIED/DELETED). */
  prevObject?: KubeObject;
  resourceVersion: number;
  /**
   * Optional fast path: `object` as JSON text (backends built on the WatchCache set it, non-enumerable), so a
   * watch handler can write the event without parse+stringify. Reading `object` still yields a private copy.
   */
  readonly objectJSON?: string;
}

export interface StoreWatcher {
  stop(): void;
}

export interface WatchOptions {
  /** Deliver events with resourceVersion > fromRV. Throws StorageError('Expired') when history no longer reaches it. */
  fromRV: number;
  /**
   * Called for each event, in order, never inside the writer's call stack; must not block. It may return a
   * promise to apply back-pressure: the next event is delivered after it settles, and events queue up meanwhile
   * (past `maxQueue` the watcher is dropped with onClose('too slow')).
   */
  onEvent: (ev: StoreEvent) => void | PromiseLike<void>;
  /** Called once if the watcher is terminated by the store (too slow, store closed). */
  onClose?: (reason: string) => void;
  /** Max queued undelivered events before the watcher is dropped (slow consumer). */
  maxQueue?: number;
}

export interface Storage {
  /** Insert; fails with AlreadyExists. Returns the stored object (with resourceVersion set). */
  create(key: string, obj: KubeObject): Promise<KubeObject>;
  get(key: string): Promise<KubeObject | undefined>;
  /** All objects whose key starts with `prefix`, ordered by key. */
  list(prefix: string, opts?: ListOptions): Promise<ListResult>;
  /**
   * Optional fast path for serving big lists: same semantics as list() (prefix, order, paging, predicate), but
   * items come back as JSON bytes so the API server can splice them into a response without parse+stringify.
   */
  listRaw?(prefix: string, opts?: ListOptions): Promise<RawListResult>;
  /**
   * Replace. If `expectedRV` is given and differs from the stored one: Conflict. Missing key: NotFound.
   */
  update(key: string, obj: KubeObject, expectedRV?: number): Promise<KubeObject>;
  /**
   * Read-modify-write in one step: `fn` gets the current object (a copy) and returns the new one,
   * or `undefined` to leave it unchanged. May throw to abort. Missing key: NotFound.
   */
  guaranteedUpdate(key: string, fn: (cur: KubeObject) => KubeObject | undefined): Promise<KubeObject>;
  /** Remove; optional precondition on resourceVersion. Returns the deleted object stamped with the deletion's revision. */
  delete(key: string, expectedRV?: number): Promise<KubeObject>;
  /** Watch every key under `prefix`. */
  watch(prefix: string, opts: WatchOptions): StoreWatcher;
  /** Latest committed revision. */
  currentRevision(): number;
  close(): Promise<void>;
}
