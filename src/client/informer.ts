// A shared-informer: lists a collection, then watches from the list's resourceVersion, keeping a local
// cache keyed "namespace/name" and calling handlers; relists when the watch ends or expires (410).
import type { KubeObject, WatchEvent } from '../api/types.js';
import type { KubeClient, WatchHandle } from './rest.js';

export interface InformerHandlers<T extends KubeObject> {
  onAdd?(obj: T): void;
  onUpdate?(oldObj: T, newObj: T): void;
  onDelete?(obj: T): void;
}

export function objectKey(o: KubeObject): string {
  return o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : `${o.metadata.name}`;
}

export class Informer<T extends KubeObject = KubeObject> {
  private cache = new Map<string, T>();
  private handlers: InformerHandlers<T>[] = [];
  private watch?: WatchHandle;
  private running = false;
  private synced = false;
  private syncWaiters: (() => void)[] = [];
  private lastRV = '';

  constructor(
    private readonly client: KubeClient,
    /** Collection path, e.g. /api/v1/pods or /api/v1/namespaces/x/pods. */
    private readonly path: string,
    private readonly query: Record<string, string> = {},
  ) {}

  addHandlers(h: InformerHandlers<T>): void {
    this.handlers.push(h);
  }

  get(key: string): T | undefined {
    return this.cache.get(key);
  }

  list(): T[] {
    return [...this.cache.values()];
  }

  hasSynced(): boolean {
    return this.synced;
  }

  waitForSync(): Promise<void> {
    if (this.synced) return Promise.resolve();
    return new Promise((r) => this.syncWaiters.push(r));
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    void this.loop();
  }

  stop(): void {
    this.running = false;
    this.watch?.stop();
  }

  private async loop(): Promise<void> {
    let backoff = 100;
    while (this.running) {
      try {
        await this.relist();
        backoff = 100;
        await this.watchOnce();
      } catch {
        await new Promise((r) => setTimeout(r, backoff));
        backoff = Math.min(backoff * 2, 5000);
      }
    }
  }

  private async relist(): Promise<void> {
    const list = await this.client.list<T>(this.path, { query: this.query });
    const seen = new Set<string>();
    for (const o of list.items) {
      const k = objectKey(o);
      seen.add(k);
      const old = this.cache.get(k);
      this.cache.set(k, o);
      if (!old) this.handlers.forEach((h) => h.onAdd?.(o));
      else if (old.metadata.resourceVersion !== o.metadata.resourceVersion) this.handlers.forEach((h) => h.onUpdate?.(old, o));
    }
    for (const [k, o] of this.cache) {
      if (!seen.has(k)) {
        this.cache.delete(k);
        this.handlers.forEach((h) => h.onDelete?.(o));
      }
    }
    this.lastRV = list.metadata.resourceVersion ?? '';
    if (!this.synced) {
      this.synced = true;
      this.syncWaiters.splice(0).forEach((r) => r());
    }
  }

  private async watchOnce(): Promise<void> {
    if (!this.running) return;
    let expired = false;
    const w = this.client.watch(
      this.path,
      this.lastRV,
      (ev: WatchEvent) => {
        if (ev.type === 'ERROR') {
          expired = true;
          w.stop();
          return;
        }
        const o = ev.object as T;
        if (o.metadata?.resourceVersion) this.lastRV = o.metadata.resourceVersion;
        if (ev.type === 'BOOKMARK') return;
        const k = objectKey(o);
        const old = this.cache.get(k);
        if (ev.type === 'DELETED') {
          this.cache.delete(k);
          this.handlers.forEach((h) => h.onDelete?.(o));
        } else {
          this.cache.set(k, o);
          if (old) this.handlers.forEach((h) => h.onUpdate?.(old, o));
          else this.handlers.forEach((h) => h.onAdd?.(o));
        }
      },
      this.query,
    );
    this.watch = w;
    await w.done;
    if (expired) this.lastRV = '';
  }
}
