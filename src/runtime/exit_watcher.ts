// Watches conmon's exit directory (inotify via fs.watch) so container exits are noticed without reading
// every exit file on each list, waits for one container's exit file, and tells subscribers (the PLEG).
import { watch, type FSWatcher } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { readExitFile } from './conmon.js';

export type ExitInfo = { code: number; time: Date };

export class ExitWatcher {
  private watcher?: FSWatcher;
  private starting?: Promise<void>;
  /** Bumped on every directory event; a "no exit file" answer only counts if no event came in between. */
  private events = 0;
  /** Ids whose exit file was read and found absent, with no event for them since. */
  private absent = new Set<string>();
  private waiters = new Map<string, Set<() => void>>();
  private listeners = new Set<(id: string) => void>();

  constructor(readonly dir: string) {}

  /** Start watching (idempotent). Without a working watch every check reads the file. */
  start(): Promise<void> {
    this.starting ??= (async () => {
      await mkdir(this.dir, { recursive: true });
      try {
        const w = watch(this.dir, { persistent: false }, (_ev, name) => this.onEvent(name ? String(name) : undefined));
        w.on('error', () => this.lose());
        this.watcher = w;
      } catch {
        this.watcher = undefined;
      }
    })();
    return this.starting;
  }

  stop(): void {
    this.watcher?.close();
    this.lose();
  }

  private lose(): void {
    this.watcher = undefined;
    this.absent.clear();
    this.events++;
  }

  private onEvent(name: string | undefined): void {
    this.events++;
    if (!name) {
      // overflow or unknown entry: forget everything we believed absent
      this.absent.clear();
      for (const id of [...this.waiters.keys()]) this.wake(id);
      for (const l of this.listeners) l('');
      return;
    }
    // conmon writes "<id>.XXXXXX" then renames it to "<id>"
    const id = name.includes('.') ? name.slice(0, name.indexOf('.')) : name;
    this.absent.delete(id);
    this.wake(id);
    for (const l of this.listeners) l(id);
  }

  private wake(id: string): void {
    const ws = this.waiters.get(id);
    if (ws) for (const w of [...ws]) w();
  }

  /** Subscribe to "something changed for this container id" (may fire spuriously). Returns an unsubscribe. */
  onChange(cb: (id: string) => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  /** The container's exit, reading the file only when it may have appeared since the last look. */
  async read(id: string): Promise<ExitInfo | undefined> {
    if (this.watcher && this.absent.has(id)) return undefined;
    const before = this.events;
    const watching = !!this.watcher;
    const exit = await readExitFile(this.dir, id);
    if (!exit && watching && this.watcher && this.events === before) this.absent.add(id);
    return exit;
  }

  /** Forget an id (its exit file was removed with the container). */
  forget(id: string): void {
    this.absent.delete(id);
  }

  /** Resolves true once the container's exit file exists, false after timeoutMs. */
  async waitFor(id: string, timeoutMs: number): Promise<boolean> {
    await this.start().catch(() => {});
    if (await this.read(id)) return true;
    const deadline = Date.now() + timeoutMs;
    let set = this.waiters.get(id);
    if (!set) this.waiters.set(id, (set = new Set()));
    try {
      for (;;) {
        const left = deadline - Date.now();
        if (left <= 0) return false;
        // woken by an event; a slow poll covers a lost watch
        await new Promise<void>((resolve) => {
          const t = setTimeout(done, Math.min(left, this.watcher ? 250 : 20));
          function done() {
            clearTimeout(t);
            set!.delete(done);
            resolve();
          }
          set!.add(done);
        });
        if (await this.read(id)) return true;
      }
    } finally {
      if (!set.size) this.waiters.delete(id);
    }
  }
}
