// The Reflector (client-go's cache.Reflector.ListAndWatch): lists a collection once, then watches from the
// last resourceVersion it saw — from events and from bookmarks — and re-watches from there whenever a watch
// ends. It relists only when the server says that version is gone (410 Expired/Gone) or a watch fails with
// another Status; connection failures are retried (watch from the same version) with backoff.
// The list goes in pages (client-go's pager, 500 per page: no response of 150,000 pods to build, send and parse at
// once); a continue token the server no longer accepts (410 Expired) falls back to one full list, as the pager's
// FullListIfExpired does.
import type { KubeList, KubeObject, Status, WatchEvent } from '../api/types.js';
import type { KubeClient, RequestOptions, WatchEnd, WatchHandle } from './rest.js';

/** One page of a list: at most `limit` items (0/absent: all), from where `continue` left off. */
export interface ListPageOptions {
  limit?: number;
  continue?: string;
}

/** How the reflector reaches the API (client-go's ListerWatcher); tests substitute their own. */
export interface ListWatch<T extends KubeObject = KubeObject> {
  list(page?: ListPageOptions): Promise<KubeList<T>>;
  /** A watch from `resourceVersion` with bookmarks requested, ended by the server after `timeoutSeconds`. */
  watch(resourceVersion: string, onEvent: (ev: WatchEvent<T>) => void, timeoutSeconds: number): WatchHandle;
}

export function listWatchFor<T extends KubeObject>(client: KubeClient, path: string, query: Record<string, string> = {}): ListWatch<T> {
  return {
    list: (page) => client.list<T>(path, { query: { ...query, limit: page?.limit || undefined, continue: page?.continue || undefined } }),
    watch: (rv, onEvent, timeoutSeconds) =>
      client.watch(path, rv, onEvent as (ev: WatchEvent) => void, { ...query, allowWatchBookmarks: 'true', timeoutSeconds } as RequestOptions['query']),
  };
}

/** Where the reflector puts what it sees (the informer's store + notifications). */
export interface ReflectorStore<T extends KubeObject> {
  replace(items: T[], resourceVersion: string): void;
  add(obj: T): void;
  update(obj: T): void;
  delete(obj: T): void;
}

export interface ReflectorOptions {
  /** Items per list page (client-go's WatchListPageSize; its pager's default 500); 0 lists in one response. */
  pageSize?: number;
  /** Watches last minWatchTimeout..2×minWatchTimeout seconds (client-go: 5 min), spreading re-watches. */
  minWatchTimeoutSeconds?: number;
  /** Backoff after a failure: initial and cap (client-go: 800 ms → 30 s). */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** Told about list/watch failures (logging). */
  onError?: (what: string, err: unknown) => void;
}

type WatchOutcome = 'closed' | 'stopped' | 'error' | 'expired' | 'failed';

const DEFAULT_PAGE_SIZE = 500;

/** A 410 from the API (a resourceVersion or continue token older than the server keeps). */
function isExpired(e: unknown): boolean {
  const st = e as { code?: unknown; reason?: unknown };
  return st?.code === 410 || st?.reason === 'Expired' || st?.reason === 'Gone';
}

export class Reflector<T extends KubeObject = KubeObject> {
  private running = false;
  private lastRV = '';
  private current?: WatchHandle;
  private wake?: () => void;
  private backoffMs: number;
  private loop?: Promise<void>;

  constructor(
    private readonly lw: ListWatch<T>,
    private readonly store: ReflectorStore<T>,
    private readonly opts: ReflectorOptions = {},
  ) {
    this.backoffMs = opts.initialBackoffMs ?? 800;
  }

  /** The resourceVersion the next watch starts from ('' before the first list). */
  lastSyncResourceVersion(): string {
    return this.lastRV;
  }

  run(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.listAndWatch();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.current?.stop();
    this.wake?.();
    await this.loop;
  }

  private async listAndWatch(): Promise<void> {
    while (this.running) {
      try {
        const list = await this.listAll();
        if (!this.running) return;
        this.lastRV = list.resourceVersion;
        this.store.replace(list.items, this.lastRV);
      } catch (e) {
        this.opts.onError?.('list', e);
        await this.backoff();
        continue;
      }
      this.resetBackoff();
      for (;;) {
        const outcome = await this.watchOnce();
        if (!this.running || outcome === 'stopped') return;
        if (outcome === 'expired') break; // relist now: the history no longer reaches our version
        if (outcome === 'failed') {
          await this.backoff();
          break;
        }
        if (outcome === 'error') await this.backoff();
        else this.resetBackoff();
      }
    }
  }

  /** The whole collection, page by page; the resourceVersion is the list's (every page reports the first one's). */
  private async listAll(): Promise<{ items: T[]; resourceVersion: string }> {
    const limit = this.opts.pageSize ?? DEFAULT_PAGE_SIZE;
    const items: T[] = [];
    let resourceVersion = '';
    let cont: string | undefined;
    do {
      let page: KubeList<T>;
      try {
        page = await this.lw.list(limit > 0 ? { limit, continue: cont } : undefined);
      } catch (e) {
        if (!cont || !isExpired(e)) throw e;
        // the token outlived what the server keeps: start over in one response (client-go's FullListIfExpired)
        const full = await this.lw.list();
        return { items: full.items ?? [], resourceVersion: full.metadata?.resourceVersion ?? '' };
      }
      for (const it of page.items ?? []) items.push(it);
      resourceVersion = page.metadata?.resourceVersion ?? '';
      cont = page.metadata?.continue || undefined;
    } while (cont && this.running);
    return { items, resourceVersion };
  }

  private watchOnce(): Promise<WatchOutcome> {
    const min = this.opts.minWatchTimeoutSeconds ?? 300;
    const timeoutSeconds = Math.floor(min * (1 + Math.random()));
    let errorOutcome: WatchOutcome | undefined;
    let events = 0;
    const started = Date.now();
    const onEvent = (ev: WatchEvent<T>) => {
      if (errorOutcome || !this.running) return;
      if (ev.type === 'ERROR') {
        const st = ev.object as unknown as Status;
        errorOutcome = st?.code === 410 || st?.reason === 'Expired' || st?.reason === 'Gone' ? 'expired' : 'failed';
        if (errorOutcome === 'failed') this.opts.onError?.('watch', new Error(st?.message ?? 'watch error'));
        w.stop();
        return;
      }
      const obj = ev.object;
      const rv = obj?.metadata?.resourceVersion;
      if (!rv) return; // nothing we can resume from or cache
      events++;
      if (ev.type === 'ADDED') this.store.add(obj);
      else if (ev.type === 'MODIFIED') this.store.update(obj);
      else if (ev.type === 'DELETED') this.store.delete(obj);
      this.lastRV = rv;
    };
    const w = this.lw.watch(this.lastRV, onEvent, timeoutSeconds);
    this.current = w;
    return w.done.then((end: WatchEnd) => {
      if (errorOutcome) return errorOutcome;
      if (end.reason === 'error') {
        this.opts.onError?.('watch', end.error);
        return 'error';
      }
      if (end.reason === 'stopped') return 'stopped';
      // A watch that ends at once having said nothing is a failing server, not a timeout: back off.
      if (events === 0 && Date.now() - started < 1000) return 'error';
      return 'closed';
    });
  }

  private resetBackoff(): void {
    this.backoffMs = this.opts.initialBackoffMs ?? 800;
  }

  /** Sleeps the current backoff (jittered, doubling up to the cap); stop() cuts it short. */
  private async backoff(): Promise<void> {
    const d = this.backoffMs * (1 + Math.random());
    this.backoffMs = Math.min(this.backoffMs * 2, this.opts.maxBackoffMs ?? 30_000);
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, d);
      this.wake = () => {
        clearTimeout(t);
        resolve();
      };
    });
    this.wake = undefined;
  }
}
