// SqliteStorage: the Storage contract on one SQLite file (better-sqlite3, WAL). Table `kv` holds
// key/value/create_rv/mod_rv, table `meta` the cluster-wide revision; each write is one transaction bumping it.
// With a ValueTransformer (encryption at rest) the file holds the transformed values and everything above the
// row boundary (watch cache, results) the plain object JSON.
import Database from 'better-sqlite3';
import type { KubeObject } from '../api/types.js';
import { StorageError, type ListOptions, type ListResult, type RawListResult, type Storage, type StoreWatcher, type WatchOptions } from './interface.js';
import { decode, encodeWithRV, hasPrecondition, prefixEnd } from './encoding.js';
import { listPage, listPageRaw, type KeyValueRow, type PageSource } from './paging.js';
import { WatchCache, type HistoryEntry } from './watch_cache.js';
import { conflictMessage } from './messages.js';
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
  private readonly stmt: {
    get: Database.Statement<[string], Row>;
    insert: Database.Statement<[string, string, number, number]>;
    update: Database.Statement<[string, number, string]>;
    del: Database.Statement<[string]>;
    setRev: Database.Statement<[number]>;
    getRev: Database.Statement<[], { revision: number }>;
    scanFrom: Database.Statement<[string], KeyValueRow>;
    scanRange: Database.Statement<[string, string], KeyValueRow>;
    countFrom: Database.Statement<[string], { n: number }>;
    countRange: Database.Statement<[string, string], { n: number }>;
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
      scanFrom: db.prepare('SELECT key, value FROM kv WHERE key >= ? ORDER BY key'),
      scanRange: db.prepare('SELECT key, value FROM kv WHERE key >= ? AND key < ? ORDER BY key'),
      countFrom: db.prepare('SELECT COUNT(*) AS n FROM kv WHERE key >= ?'),
      countRange: db.prepare('SELECT COUNT(*) AS n FROM kv WHERE key >= ? AND key < ?'),
    };
    this.rev = this.stmt.getRev.get()!.revision;
    // History starts empty: only watches from >= the current revision are valid after (re)opening.
    this.cache = new WatchCache({ historySize: opts.historySize, historyBytes: opts.historyBytes, floorRV: this.rev });
    const wrapped = db.transaction((body: () => unknown) => body());
    this.tx = <T>(body: () => T): T => wrapped.immediate(body) as T;
    this.readTx = <T>(body: () => T): T => wrapped.deferred(body) as T;
  }

  async create(key: string, obj: KubeObject): Promise<KubeObject> {
    this.checkOpen();
    const rv = this.rev + 1;
    const value = encodeWithRV(obj, rv);
    this.tx(() => {
      if (this.stmt.get.get(key)) throw new StorageError('AlreadyExists', key);
      this.stmt.insert.run(key, this.toStorage(key, value), rv, rv);
      this.stmt.setRev.run(rv);
    });
    this.commit({ type: 'ADDED', key, resourceVersion: rv, value });
    return decode(value);
  }

  async get(key: string): Promise<KubeObject | undefined> {
    this.checkOpen();
    const row = this.readRow(key);
    return row ? decode(row.value) : undefined;
  }

  async list(prefix: string, opts?: ListOptions): Promise<ListResult> {
    this.checkOpen();
    // Read the whole page inside one read transaction so rows and revision agree.
    return this.readTx(() => listPage(prefix, opts, this.rev, this.pageSource(prefix)));
  }

  async listRaw(prefix: string, opts?: ListOptions): Promise<RawListResult> {
    this.checkOpen();
    return this.readTx(() => listPageRaw(prefix, opts, this.rev, this.pageSource(prefix)));
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
    const cur = this.tx(() => {
      const row = this.readRow(key);
      if (!row) throw new StorageError('NotFound', key);
      if (hasPrecondition(expectedRV) && expectedRV !== row.mod_rv) throw new StorageError('Conflict', key, conflictMessage(key));
      this.stmt.del.run(key);
      this.stmt.setRev.run(rv);
      return row;
    });
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
   * One transaction: read the row, compute the new object, write it. Identical content is a no-op that
   * keeps the old revision (as upstream does for unchanged objects).
   */
  private readModifyWrite(key: string, compute: (cur: Row) => KubeObject | undefined): KubeObject {
    const rv = this.rev + 1;
    const out = this.tx((): { value: string; event?: HistoryEntry } => {
      const row = this.readRow(key);
      if (!row) throw new StorageError('NotFound', key);
      const next = compute(row);
      // a value read with an older key is rewritten even when unchanged (how rotation re-encrypts)
      if (next === undefined || (!row.stale && encodeWithRV(next, row.mod_rv) === row.value)) return { value: row.value };
      const value = encodeWithRV(next, rv);
      this.stmt.update.run(this.toStorage(key, value), rv, key);
      this.stmt.setRev.run(rv);
      return { value, event: { type: 'MODIFIED', key, resourceVersion: rv, value, prevValue: row.value } };
    });
    if (out.event) this.commit(out.event);
    return decode(out.value);
  }

  /** The row of `key` with its value as object JSON (decrypted when a transformer covers the key). */
  private readRow(key: string): (Row & { stale?: boolean }) | undefined {
    const row = this.stmt.get.get(key);
    if (!row || !this.transformer?.touches(key)) return row;
    const { value, stale } = this.transformer.fromStorage(key, row.value);
    return { ...row, value, stale };
  }

  private toStorage(key: string, value: string): string {
    return this.transformer ? this.transformer.toStorage(key, value) : value;
  }

  /** Rows under `prefix` from `fromKey` on, values as stored. */
  private rawRows(prefix: string, fromKey: string): Iterable<KeyValueRow> {
    const end = prefixEnd(prefix);
    return end === undefined ? this.stmt.scanFrom.iterate(fromKey) : this.stmt.scanRange.iterate(fromKey, end);
  }

  private pageSource(prefix: string): PageSource {
    const end = prefixEnd(prefix);
    const rows = (fromKey: string) => this.rawRows(prefix, fromKey);
    // lists of resources no config entry covers (pods, nodes...) read the rows as they are
    const t = this.transformer?.touches(prefix) ? this.transformer : undefined;
    return {
      scan: !t
        ? rows
        : function* (fromKey) {
            for (const r of rows(fromKey)) yield { key: r.key, value: t.fromStorage(r.key, r.value).value };
          },
      countFrom: (fromKey) => (end === undefined ? this.stmt.countFrom.get(fromKey) : this.stmt.countRange.get(fromKey, end))!.n,
    };
  }

  private commit(e: HistoryEntry): void {
    this.rev = e.resourceVersion;
    this.cache.append(e);
  }

  private checkOpen(): void {
    if (this.closed) throw new Error('storage is closed');
  }
}
