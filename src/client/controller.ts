// The Controller base every controller extends (the shape of kube-controller-manager's controllers): shared
// informers' events become keys in a rate-limited, de-duplicating WorkQueue; once the informers' caches have
// synced, N workers call the idempotent reconcile(key). A failed reconcile is retried with per-key
// exponential backoff; a success forgets the key's failures; reconcile may ask to be called again later.
import type { KubeObject } from '../api/types.js';
import { logger, type Logger } from '../log/logger.js';
import { objectKey } from './indexer.js';
import { SharedInformerFactory } from './informer_factory.js';
import type { KubeClient } from './rest.js';
import type { EventHandlers, HandlerRegistration, SharedIndexInformer } from './shared_informer.js';
import { WorkQueue, type RateLimiter } from './workqueue.js';

export interface ReconcileResult {
  /** Reconcile this key again after this long (without counting as a failure). */
  requeueAfterMs?: number;
}

export interface ControllerOptions {
  /** For logs: "namespace" (the controller= key of the controller-manager's lines). */
  name: string;
  /** Concurrent reconciles (never two for the same key). Default 1. */
  workers?: number;
  /** Per-key failure backoff; default client-go's 5 ms → 1000 s. */
  rateLimiter?: RateLimiter;
  /** Informers to share; without one the controller makes (and shuts down) its own. */
  factory?: SharedInformerFactory;
  client: KubeClient;
  /** Default: the controller-manager logger with controller=<name>. */
  log?: Logger;
}

export abstract class Controller {
  readonly name: string;
  protected readonly queue: WorkQueue;
  protected readonly factory: SharedInformerFactory;
  protected readonly log: Logger;
  private readonly ownsFactory: boolean;
  private readonly workers: number;
  private informers = new Set<SharedIndexInformer>();
  private registrations: HandlerRegistration[] = [];
  private running?: Promise<void>;
  private stopped = false;

  constructor(opts: ControllerOptions) {
    this.name = opts.name;
    this.queue = new WorkQueue(opts.rateLimiter);
    this.ownsFactory = !opts.factory;
    this.factory = opts.factory ?? new SharedInformerFactory(opts.client);
    this.workers = Math.max(1, opts.workers ?? 1);
    this.log = opts.log ?? logger('controller-manager', { controller: opts.name });
  }

  /** Reconciles one key ("namespace/name" or "name"); must be idempotent. Throw to retry with backoff. */
  protected abstract reconcile(key: string): Promise<ReconcileResult | void>;

  /** Registers event handlers on a shared informer; start() waits for its cache before any reconcile. */
  protected watch<T extends KubeObject>(informer: SharedIndexInformer<T>, handlers: EventHandlers<T>): void {
    this.informers.add(informer as unknown as SharedIndexInformer);
    this.registrations.push(informer.addEventHandler(handlers));
  }

  /** Handlers that queue every added, updated and deleted object's key. */
  protected enqueueAll<T extends KubeObject>(filter: (obj: T) => boolean = () => true): EventHandlers<T> {
    const add = (o: T) => {
      if (filter(o)) this.enqueue(o);
    };
    return { onAdd: add, onUpdate: (_old, o) => add(o), onDelete: add };
  }

  enqueue(obj: KubeObject): void {
    this.queue.add(objectKey(obj));
  }

  start(): void {
    if (this.running || this.stopped) return;
    for (const inf of this.informers) inf.start();
    this.running = this.waitForCacheSync().then(() => {
      if (this.stopped) return;
      this.log.debug({ workers: this.workers }, 'caches synced; starting workers');
      return Promise.all(Array.from({ length: this.workers }, () => this.worker())).then(() => undefined);
    });
  }

  /** Resolves once every informer this controller watches has listed and delivered that list to its handlers. */
  async waitForCacheSync(): Promise<void> {
    await Promise.all(this.registrations.map((r) => r.waitForSync()));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const r of this.registrations) r.remove();
    this.registrations = [];
    this.queue.shutdown();
    await this.running;
    if (this.ownsFactory) await this.factory.shutdown();
  }

  private async worker(): Promise<void> {
    for (;;) {
      const key = await this.queue.get();
      if (key === undefined) return;
      try {
        const res = await this.reconcile(key);
        this.queue.forget(key);
        if (res?.requeueAfterMs !== undefined) this.queue.addAfter(key, res.requeueAfterMs);
      } catch (e) {
        this.log.warn({ key, retries: this.queue.numRequeues(key), err: String((e as Error)?.message ?? e) }, 'reconcile failed; retrying');
        this.queue.addRateLimited(key);
      } finally {
        this.queue.done(key);
      }
    }
  }
}
