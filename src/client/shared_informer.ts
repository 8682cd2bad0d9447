// The SharedIndexInformer (client-go's): one reflector filling one indexer, shared by every handler that
// registers on it. Each handler gets its own notification queue, drained outside the watch's socket callback,
// each call in a try/catch (a throwing handler is logged; the watch and the other handlers carry on). Handlers
// can be removed, can ask for a resync period (periodic update(obj, obj) of every cached object), and know
// when they have seen the initial list (hasSynced), which is what waitForCacheSync waits on.
import type { KubeObject } from '../api/types.js';
import { logger } from '../log/logger.js';
import { Indexer, objectKey, type IndexFunc } from './indexer.js';
import { Lister } from './listers.js';
import { Reflector, type ListWatch, type ReflectorOptions, type ReflectorStore } from './reflector.js';

const log = logger('informer');

export interface EventHandlers<T extends KubeObject> {
  onAdd?(obj: T): void;
  onUpdate?(oldObj: T, newObj: T): void;
  onDelete?(obj: T): void;
}

export interface HandlerRegistration {
  /** True once this handler has been given every object of the informer's first list. */
  hasSynced(): boolean;
  /** Resolves at hasSynced (or once removed). */
  waitForSync(): Promise<void>;
  remove(): void;
}

type Notification<T> = { type: 'add'; obj: T } | { type: 'update'; old: T; obj: T } | { type: 'delete'; obj: T } | { type: 'synced' };

/** How many notifications one listener handles before yielding to I/O. */
const DRAIN_BATCH = 256;

class Listener<T extends KubeObject> implements HandlerRegistration {
  private buffer: Notification<T>[] = [];
  private head = 0;
  private scheduled = false;
  private synced = false;
  private syncWaiters: (() => void)[] = [];
  private resyncTimer?: NodeJS.Timeout;
  removed = false;

  constructor(
    private readonly informer: SharedIndexInformer<T>,
    private readonly handlers: EventHandlers<T>,
    readonly resyncPeriodMs: number,
  ) {}

  hasSynced(): boolean {
    return this.synced;
  }

  waitForSync(): Promise<void> {
    if (this.synced || this.removed) return Promise.resolve();
    return new Promise((r) => this.syncWaiters.push(r));
  }

  remove(): void {
    this.informer.removeEventHandler(this);
  }

  push(n: Notification<T>): void {
    if (this.removed) return;
    this.buffer.push(n);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.drain());
    }
  }

  startResync(): void {
    if (this.resyncPeriodMs > 0 && !this.resyncTimer && !this.removed) {
      this.resyncTimer = setInterval(() => this.informer.resyncTo(this), this.resyncPeriodMs);
      this.resyncTimer.unref?.();
    }
  }

  close(): void {
    this.removed = true;
    if (this.resyncTimer) clearInterval(this.resyncTimer);
    this.buffer = [];
    this.head = 0;
    this.syncWaiters.splice(0).forEach((r) => r());
  }

  private drain(): void {
    this.scheduled = false;
    let n = 0;
    while (this.head < this.buffer.length && !this.removed) {
      if (n++ === DRAIN_BATCH) {
        this.scheduled = true;
        setImmediate(() => this.drain());
        return;
      }
      const note = this.buffer[this.head++]!;
      if (note.type === 'synced') {
        this.synced = true;
        this.syncWaiters.splice(0).forEach((r) => r());
        continue;
      }
      try {
        if (note.type === 'add') this.handlers.onAdd?.(note.obj);
        else if (note.type === 'update') this.handlers.onUpdate?.(note.old, note.obj);
        else this.handlers.onDelete?.(note.obj);
      } catch (e) {
        log.error(
          { informer: this.informer.name, event: note.type, object: objectKey(note.obj), err: String((e as Error)?.stack ?? e) },
          'event handler failed',
        );
      }
    }
    this.buffer = this.buffer.slice(this.head);
    this.head = 0;
  }
}

export interface SharedInformerOptions<T extends KubeObject> {
  /** For logs: e.g. "pods spec.nodeName=n1". */
  name?: string;
  /** Resync period of handlers that do not ask for their own (0: none). */
  defaultResyncMs?: number;
  /** Extra indices besides namespace, ownerUID and nodeName. */
  indexers?: Record<string, IndexFunc<T>>;
  reflector?: ReflectorOptions;
}

export class SharedIndexInformer<T extends KubeObject = KubeObject> implements ReflectorStore<T> {
  readonly name: string;
  readonly indexer: Indexer<T>;
  readonly lister: Lister<T>;
  private listeners = new Set<Listener<T>>();
  private reflector: Reflector<T>;
  private storeSynced = false;
  private started = false;
  private readonly defaultResyncMs: number;

  constructor(lw: ListWatch<T>, opts: SharedInformerOptions<T> = {}) {
    this.name = opts.name ?? 'informer';
    this.defaultResyncMs = opts.defaultResyncMs ?? 0;
    this.indexer = new Indexer<T>();
    for (const [n, fn] of Object.entries(opts.indexers ?? {})) this.indexer.addIndexer(n, fn);
    this.lister = new Lister(this.indexer);
    this.reflector = new Reflector(lw, this, {
      onError: (what, err) => log.warn({ informer: this.name, err: String((err as Error)?.message ?? err) }, `${what} failed`),
      ...opts.reflector,
    });
  }

  /** Registers handlers; if objects are cached already they are delivered to it as adds first. */
  addEventHandler(handlers: EventHandlers<T>, resyncPeriodMs = this.defaultResyncMs): HandlerRegistration {
    const l = new Listener(this, handlers, resyncPeriodMs);
    this.listeners.add(l);
    for (const obj of this.indexer.list()) l.push({ type: 'add', obj });
    if (this.storeSynced) {
      l.push({ type: 'synced' });
      l.startResync();
    }
    return l;
  }

  removeEventHandler(reg: HandlerRegistration): void {
    const l = reg as Listener<T>;
    if (!this.listeners.delete(l)) return;
    l.close();
  }

  handlerCount(): number {
    return this.listeners.size;
  }

  get(key: string): T | undefined {
    return this.indexer.get(key);
  }

  list(): T[] {
    return this.indexer.list();
  }

  /** The store holds the first list (handlers may still be catching up: see waitForSync). */
  hasSynced(): boolean {
    return this.storeSynced;
  }

  /** Resolves once the first list is cached and every current handler has been given it. */
  async waitForSync(): Promise<void> {
    while (!this.stopped && (!this.storeSynced || [...this.listeners].some((l) => !l.hasSynced()))) {
      if (!this.storeSynced) await new Promise<void>((r) => this.storeWaiters.push(r));
      else await Promise.all([...this.listeners].map((l) => l.waitForSync()));
    }
  }

  private storeWaiters: (() => void)[] = [];
  private stopped = false;

  lastSyncResourceVersion(): string {
    return this.reflector.lastSyncResourceVersion();
  }

  isStarted(): boolean {
    return this.started;
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.reflector.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.reflector.stop();
    for (const l of this.listeners) l.close();
    this.listeners.clear();
    this.storeWaiters.splice(0).forEach((r) => r());
  }

  /** Periodic resync of one handler: every cached object as update(obj, obj) (client-go semantics). */
  resyncTo(l: Listener<T>): void {
    for (const obj of this.indexer.list()) l.push({ type: 'update', old: obj, obj });
  }

  // ---- ReflectorStore: the reflector's view of the world becomes the cache + notifications ----

  replace(items: T[], _resourceVersion: string): void {
    const seen = new Set<string>();
    for (const obj of items) {
      seen.add(objectKey(obj));
      const old = this.indexer.set(obj);
      if (!old) this.notify({ type: 'add', obj });
      else if (old.metadata.resourceVersion !== obj.metadata.resourceVersion) this.notify({ type: 'update', old, obj });
    }
    for (const key of this.indexer.listKeys()) {
      if (seen.has(key)) continue;
      const old = this.indexer.delete(key)!;
      this.notify({ type: 'delete', obj: old });
    }
    if (!this.storeSynced) {
      this.storeSynced = true;
      for (const l of this.listeners) {
        l.push({ type: 'synced' });
        l.startResync();
      }
      this.storeWaiters.splice(0).forEach((r) => r());
    }
  }

  add(obj: T): void {
    this.update(obj);
  }

  update(obj: T): void {
    const old = this.indexer.set(obj);
    this.notify(old ? { type: 'update', old, obj } : { type: 'add', obj });
  }

  /** Handlers get the object's final state from the event (client-go), not the cached copy. */
  delete(obj: T): void {
    this.indexer.delete(objectKey(obj));
    this.notify({ type: 'delete', obj });
  }

  private notify(n: Notification<T>): void {
    for (const l of this.listeners) l.push(n);
  }
}
