// Write-through in-memory cache of the runtime's JSON records (<dir>/<id>/<file>): loaded from disk once
// (so a restarted agent adopts what it ran before), then served from memory; every save is also written
// to disk (atomically, one write at a time per record, always the latest state).
import { readdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

export class RecordStore<T extends { id: string }> {
  private records = new Map<string, T>();
  private loading?: Promise<void>;
  private writes = new Map<string, Promise<void>>();
  /** Records being removed: no more writes (their directory is going away). */
  private removing = new Set<string>();

  constructor(
    private readonly dir: string,
    private readonly file: string,
  ) {}

  private recordPath(id: string): string {
    return path.join(this.dir, id, this.file);
  }

  private async readDisk(id: string): Promise<T | undefined> {
    try {
      return JSON.parse(await readFile(this.recordPath(id), 'utf8')) as T;
    } catch {
      return undefined; // being created or removed
    }
  }

  /** Load every record from disk (once). */
  load(): Promise<void> {
    this.loading ??= (async () => {
      let ids: string[] = [];
      try {
        ids = await readdir(this.dir);
      } catch {
        /* nothing yet */
      }
      for (const id of ids) {
        if (this.records.has(id)) continue;
        const rec = await this.readDisk(id);
        if (rec && !this.records.has(id)) this.records.set(id, rec);
      }
    })();
    return this.loading;
  }

  /** The cached record; on a miss, one read from disk (a record written by another RuntimeService). */
  async get(id: string): Promise<T | undefined> {
    await this.load();
    const rec = this.records.get(id);
    if (rec) return rec;
    if (!/^[0-9a-f]+$/.test(id)) return undefined;
    const disk = await this.readDisk(id);
    if (disk && !this.records.has(id) && !this.removing.has(id)) this.records.set(id, disk);
    return this.records.get(id) ?? disk;
  }

  async list(): Promise<T[]> {
    await this.load();
    return [...this.records.values()];
  }

  /** Add or update the record in memory and write it through to disk. */
  save(rec: T): Promise<void> {
    if (!this.removing.has(rec.id)) this.records.set(rec.id, rec);
    const prev = this.writes.get(rec.id) ?? Promise.resolve();
    const next = prev.catch(() => {}).then(() => this.write(rec));
    this.writes.set(rec.id, next);
    void next
      .finally(() => {
        if (this.writes.get(rec.id) === next) this.writes.delete(rec.id);
      })
      .catch(() => {});
    return next;
  }

  private async write(rec: T): Promise<void> {
    if (this.removing.has(rec.id) || this.records.get(rec.id) !== rec) return;
    const p = this.recordPath(rec.id);
    await writeFile(`${p}.tmp`, JSON.stringify(rec));
    await rename(`${p}.tmp`, p);
  }

  /**
   * Run `fn` (which deletes the record's directory) with writes of the record held off; the record leaves
   * the cache once fn succeeded, and stays (writable again) if fn throws.
   */
  async remove(id: string, fn: () => Promise<void>): Promise<void> {
    this.removing.add(id);
    try {
      await this.writes.get(id)?.catch(() => {});
      await fn();
      this.records.delete(id);
    } finally {
      this.removing.delete(id);
    }
  }

  /** Drop a record from memory (its directory is already gone). */
  drop(id: string): void {
    this.records.delete(id);
  }
}
