// Entry point of the store: openStorage() picks a backend. Semantics shared by both backends:
// - resourceVersion: one cluster-wide integer (a fresh store starts at 1); every write bumps it by exactly one
//   and the store stamps metadata.resourceVersion on everything it stores and returns (fresh copies).
// - update/guaranteedUpdate with byte-identical content are no-ops: no new revision, no event.
// - delete() returns the last stored state stamped with the deletion's revision (as etcd3's store decodes it
//   with the delete response's revision); the DELETED event carries the same, plus prevObject as it was.
// - list: a snapshot of the listed keys taken at once, at the revision the list reports, then read in slices
//   that leave the event loop to writes in between (a big list never holds them up for seconds).
// - list paging: the continue token is base64 JSON {v, rv, start}; later pages show the state at the first page's
//   revision from `start` on (the writes since are undone from the watch history, as etcd reads at a revision);
//   once the history no longer reaches back to it: StorageError('Expired') (410, as etcd after compaction).
//   remainingItemCount (the keys after this page, from the index: no count of rows) is set only when no
//   predicate is used.
// - watch: events with resourceVersion > fromRV from a bounded in-memory history (default 10000 events and
//   64 MiB of event JSON, whichever is reached first);
//   too old fromRV -> StorageError('Expired'). After a restart (sqlite) the history is empty, so only
//   fromRV >= currentRevision() is valid. Delivery is async (microtask), ordered, gap-free; onEvent may return a
//   promise for back-pressure; a watcher with more than maxQueue undelivered events is dropped ('too slow').
// - guaranteedUpdate's fn is synchronous and must not call back into the store. One process owns a sqlite file.
import fs from 'node:fs';
import path from 'node:path';
import type { Storage } from './interface.js';
import { MemoryStorage } from './memory.js';
import { SqliteStorage } from './sqlite.js';
import type { ValueTransformer } from './encryption/transformer.js';

export type StorageKind = 'sqlite' | 'memory';

export interface OpenStorageOptions {
  /** Directory for the sqlite file (created if missing); the file is `<dataDir>/k8ts.db`. */
  dataDir?: string;
  /** Explicit sqlite file path (wins over dataDir). */
  file?: string;
  /** Watch history size in events (default 10000). */
  historySize?: number;
  /** Watch history size in bytes of event JSON (default 64 MiB). */
  historyBytes?: number;
  /** sqlite: transforms values to and from the file (encryption at rest, see encryption/). */
  transformer?: ValueTransformer;
}

export const DEFAULT_DB_FILE = 'k8ts.db';

export function openStorage(kind: StorageKind, opts: OpenStorageOptions = {}): Storage {
  switch (kind) {
    case 'memory':
      return new MemoryStorage({ historySize: opts.historySize, historyBytes: opts.historyBytes });
    case 'sqlite': {
      let file = opts.file;
      if (!file) {
        if (!opts.dataDir) throw new Error('sqlite storage needs a dataDir or file');
        file = path.join(opts.dataDir, DEFAULT_DB_FILE);
      }
      fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
      return new SqliteStorage(file, { historySize: opts.historySize, historyBytes: opts.historyBytes, transformer: opts.transformer });
    }
    default:
      throw new Error(`unknown storage kind: ${String(kind)}`);
  }
}

export { MemoryStorage } from './memory.js';
export { SqliteStorage } from './sqlite.js';
export { WatchCache } from './watch_cache.js';
export { StorageError } from './interface.js';
export type { Storage, ListOptions, ListResult, RawListResult, StoreEvent, StoreWatcher, WatchOptions, StorageErrorCode } from './interface.js';
