// SqliteStorage: the Storage contract on one SQLite file (better-sqlite3, WAL). Table `kv` holds
// key/value/create_rv/mod_rv, table `meta` the cluster-wide revision; each write is one transaction bumping it.
// The file is the truth across restarts; while open, an ObjectIndex of every object (loaded at open, kept in step
// by each committed write) serves get and list, since this process is the file's only writer.
// With a ValueTransformer (encryption at rest) the file holds the transformed values and everything above the
// row boundary (index, watch cache, results) the plain object JSON; writes of keys the transformer covers read
// the row itself, so a value written with an older key is rewritten (rotation) and one no provider reads is an error.
import Database from 'better-sqlite3';
import type { KubeObject } from '../api/types.js';
import { StorageError, type ListOptions, type ListResult, type RawListResult, type Storage, type StoreWatcher, type WatchOptions } from './interface.js';
import { decode, encodeWithRV, encodeWithTwoRVs, hasPrecondition, prefixEnd } from './encoding.js';
import { listPage, listPageRaw, type KeyValueRow } from './paging.js';
import { WatchCache, type HistoryEntry } from './watch_cache.js';
import { conflictMessage } from './messages.js';
import { ObjectIndex } from './object_index.js';
import type { ValueTransformer } from './encryption/transformer.js';

interface Row {
  value: string;
  create_rv: number;
  mod_rv: number;
}

export interface SqliteStorageOptions {
  /** Events retained for watches from the past (default 10000). */
  historySize?: number;
  /** Bytes of event JSON retained for watches from the past (default 64 MiB). */
  historyBytes?: number;
  /** Transforms values on their way to and from the file (encryption at rest); absent = stored as is. */
  transformer?: ValueTransformer;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS kv (
  key TEXT NOT NULL PRIMARY KEY,
  value TEXT NOT NULL,
  create_rv INTEGER NOT NULL,
  mod_rv INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  revision INTEGER NOT NULL
);
INSERT OR IGNORE INTO meta (id, revision) VALUES (1, 1);
`;

export class SqliteStorage implements Storage {
  private readonly db: Database.Database;
  private rev: number;
  private closed = false;
  private readonly cache: WatchCache;
  private readonly transformer?: ValueTransformer;
  /** Every readable object, as plain JSON. */
  private readonly index = new ObjectIndex();
  /**
   * Rows whose stored value no configured provider could read when last tried (keys the index lacks): reads
   * of them fail with the transformer's error until a reloaded config reads them, as they did row by row.
   */
  private readonly unreadable = new Set<string>();
  private readonly stmt: {
    get: Database.Statement<[string], Row>;
    insert: Database.Statement<[string, string, number, number]>;
    update: Database.Statement<[string, number, string]>;
    del: Database.Statement<[string]>;
    setRev: Database.Statement<[number]>;
    getRev: Database.Statement<[], { revision: number }>;
    all: Database.Statement<[], KeyValueRow & Row>;
    scanFrom: Database.Statement<[string], KeyValueRow>;
    scanRange: Database.Statement<[string, string], KeyValueRow>;
  };
  /** Runs a write body inside BEGIN IMMEDIATE ... COMMIT. */
  private readonly tx: <T>(body: () => T) => T;
  /** Runs a read body inside BEGIN DEFERRED ... COMMIT (one consistent snapshot). */
  private readonly readTx: <T>(body: () => T) => T;

  constructor(
    readonly file: string,
    opts: SqliteStorageOptions = {},
  ) {
    this.transformer = opts.transformer;
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    // WAL + NORMAL: a committed transaction is in the WAL file before commit returns, so it survives the
    // process being killed (not necessarily a power loss).
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma('cache_size = -65536');
    this.db.exec(SCHEMA);
    const db = this.db;
    this.stmt = {
      get: db.prepare('SELECT value, create_rv, mod_rv FROM kv WHERE key = ?'),
      insert: db.prepare('INSERT INTO kv (key, value, create_rv, mod_rv) VALUES (?, ?, ?, ?)'),
      update: db.prepare('UPDATE kv SET value = ?, mod_rv = ? WHERE key = ?'),
      del: db.prepare('DELETE FROM kv WHERE key = ?'),
      setRev: db.prepare('UPDATE meta SET revision = ? WHERE id = 1'),
      getRev: db.prepare('SELECT revision FROM meta WHERE id = 1'),
      all: db.prepare('SELECT key, value, create_rv, mod_rv FROM kv ORDER BY key'),
      scanFrom: db.prepare('SELECT key, value FROM kv WHERE key >= ? ORDER BY key'),
      scanRange: db.prepare('SELECT key, value FROM kv WHERE key >= ? AND key < ? ORDER BY key'),
    };
    const wrapped = db.transaction((body: () => unknown) => body());
    this.tx = <T>(body: () => T): T => wrapped.immediate(body) as T;
    this.readTx = <T>(body: () => T): T => wrapped.deferred(body) as T;
    this.rev = this.readTx(() => {
      for (const r of this.stmt.all.iterate()) {
        let value = r.value;
        if (this.transformer?.touches(r.key)) {
          try {
            value = this.transformer.fromStorage(r.key, r.value).value;
          } catch {
            this.unreadable.add(r.key);
            continue;
          }
        }
        this.index.set(r.key, value, r.create_rv, r.mod_rv);
      }
      return this.stmt.getRev.get()!.revision;
    });
    // History starts empty: only watches from >= the current revision are valid after (re)opening.
    this.cache = new WatchCache({ historySize: opts.historySize, historyBytes: opts.historyBytes, floorRV: this.rev });
  }

  async create(key: string, obj: KubeObject): Promise<KubeObject> {
    this.checkOpen();
    if (this.index.get(key) || this.unreadable.has(key)) throw new StorageError('AlreadyExists', key);
    const rv = this.rev + 1;
    const value = encodeWithRV(obj, rv);
    this.tx(() => {
      this.stmt.insert.run(key, this.toStorage(key, value), rv, rv);
      this.stmt.setRev.run(rv);
    });
    this.index.set(key, value, rv, rv);
    this.commit({ type: 'ADDED', key, resourceVersion: rv, value });
    return decode(value);
  }

  async get(key: string): Promise<KubeObject | undefined> {
    this.checkOpen();
    const e = this.index.get(key);
    if (e) return decode(e.value);
    if (this.unreadable.size && this.unreadable.has(key)) return decode(this.readRow(key)!.value);
    return undefined;
  }

  async list(prefix: string, opts?: ListOptions): Promise<ListResult> {
    this.checkOpen();
    this.retryUnreadable(prefix);
    return listPage(prefix, opts, this.rev, this.index.pageSource(prefix, this.cache));
  }

  async listRaw(prefix: string, opts?: ListOptions): Promise<RawListResult> {
    this.checkOpen();
    this.retryUnreadable(prefix);
    return listPageRaw(prefix, opts, this.rev, this.index.pageSource(prefix, this.cache));
  }

  async update(key: string, obj: KubeObject, expectedRV?: number): Promise<KubeObject> {
    this.checkOpen();
    return this.readModifyWrite(key, (cur) => {
      if (hasPrecondition(expectedRV) && expectedRV !== cur.mod_rv) throw new StorageError('Conflict', key, conflictMessage(key));
      return obj;
    });
  }

  async guaranteedUpdate(key: string, fn: (cur: KubeObject) => KubeObject | undefined): Promise<KubeObject> {
    this.checkOpen();
    return this.readModifyWrite(key, (cur) => fn(decode(cur.value)));
  }

  async delete(key: string, expectedRV?: number): Promise<KubeObject> {
    this.checkOpen();
    const rv = this.rev + 1;
    const cur = this.currentRow(key);
    if (!cur) throw new StorageError('NotFound', key);
    if (hasPrecondition(expectedRV) && expectedRV !== cur.mod_rv) throw new StorageError('Conflict', key, conflictMessage(key));
    this.tx(() => {
      this.stmt.del.run(key);
      this.stmt.setRev.run(rv);
    });
    this.index.delete(key);
    this.unreadable.delete(key);
    // the deletion's revision, in the response as in the DELETED event (etcd3's store does the same)
    const value = encodeWithRV(decode(cur.value), rv);
    this.commit({ type: 'DELETED', key, resourceVersion: rv, value, prevValue: cur.value });
    return decode(value);
  }

  /**
   * Rewrites every value under `prefix` that the transformer reads as stale (written with an older key), each
   * as an update with a new revision; returns how many were rewritten. How a key rotation re-encrypts data.
   */
  async rewriteStale(prefix: string): Promise<number> {
    this.checkOpen();
    const t = this.transformer;
    if (!t) return 0;
    const stale = this.readTx(() => {
      const keys: string[] = [];
      for (const r of this.rawRows(prefix, prefix)) if (t.fromStorage(r.key, r.value).stale) keys.push(r.key);
      return keys;
    });
    let n = 0;
    for (const key of stale) {
      try {
        this.readModifyWrite(key, (cur) => decode(cur.value));
        n++;
      } catch (e) {
        // deleted meanwhile: nothing left to re-encrypt
        if (!(e instanceof StorageError && e.code === 'NotFound')) throw e;
      }
    }
    return n;
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
    this.db.close();
  }

  /**
   * Read the current row, compute the new object, write it in one transaction. Identical content is a no-op
   * that keeps the old revision (as upstream does for unchanged objects).
   */
  private readModifyWrite(key: string, compute: (cur: Row) => KubeObject | undefined): KubeObject {
    const rv = this.rev + 1;
    const row = this.currentRow(key);
    if (!row) throw new StorageError('NotFound', key);
    const next = compute(row);
    if (next === undefined) return decode(row.value);
    const { prev, value } = encodeWithTwoRVs(next, row.mod_rv, rv);
    // a value read with an older key is rewritten even when unchanged (how rotation re-encrypts)
    if (!row.stale && prev === row.value) return decode(row.value);
    this.tx(() => {
      this.stmt.update.run(this.toStorage(key, value), rv, key);
      this.stmt.setRev.run(rv);
    });
    this.index.set(key, value, row.create_rv, rv);
    this.commit({ type: 'MODIFIED', key, resourceVersion: rv, value, prevValue: row.value });
    return decode(value);
  }

  /**
   * The current row of `key` as object JSON: from the index, or, for keys the transformer covers, from the file
   * (whether the stored form is stale depends on the config of the moment; a value no provider reads throws).
   */
  private currentRow(key: string): (Row & { stale?: boolean }) | undefined {
    if (this.transformer?.touches(key) || this.unreadable.has(key)) return this.readRow(key);
    const e = this.index.get(key);
    return e && { value: e.value, create_rv: e.createRV, mod_rv: e.modRV };
  }

  /** The row of `key` read from the file, its value decrypted when a transformer covers the key. */
  private readRow(key: string): (Row & { stale?: boolean }) | undefined {
    const row = this.stmt.get.get(key);
    if (!row || !this.transformer?.touches(key)) return row;
    const { value, stale } = this.transformer.fromStorage(key, row.value);
    if (this.unreadable.delete(key)) this.index.set(key, value, row.create_rv, row.mod_rv);
    return { ...row, value, stale };
  }

  /** Rows under `prefix` that could not be read: read them again (a reloaded config may); throws as a read of one would. */
  private retryUnreadable(prefix: string): void {
    if (!this.unreadable.size) return;
    for (const key of [...this.unreadable]) if (key.startsWith(prefix)) this.readRow(key);
  }

  private toStorage(key: string, value: string): string {
    return this.transformer ? this.transformer.toStorage(key, value) : value;
  }

  /** Rows under `prefix` from `fromKey` on, values as stored. */
  private rawRows(prefix: string, fromKey: string): Iterable<KeyValueRow> {
    const end = prefixEnd(prefix);
    return end === undefined ? this.stmt.scanFrom.iterate(fromKey) : this.stmt.scanRange.iterate(fromKey, end);
  }

  private commit(e: HistoryEntry): void {
    this.rev = e.resourceVersion;
    this.cache.append(e);
  }

  private checkOpen(): void {
    if (this.closed) throw new Error('storage is closed');
  }
}
