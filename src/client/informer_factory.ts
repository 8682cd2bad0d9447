// The SharedInformerFactory (client-go's): one shared informer — one list+watch — per resource, namespace and
// selectors for every consumer in the process; start() starts them (and any asked for later),
// waitForCacheSync() waits for all started ones, shutdown() stops them.
import type { ConfigMap, Namespace, Node, Pod, Secret, ServiceAccount } from '../api/core/v1/types.js';
import type { KubeObject } from '../api/types.js';
import { listWatchFor, type ReflectorOptions } from './reflector.js';
import type { KubeClient } from './rest.js';
import { SharedIndexInformer } from './shared_informer.js';
import { collectionPath, Resources, type ResourceRef } from './typed.js';

export interface InformerScope {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

export interface InformerFactoryOptions {
  /** Default resync period of handlers (0: none). */
  defaultResyncMs?: number;
  reflector?: ReflectorOptions;
}

export class SharedInformerFactory {
  private informers = new Map<string, SharedIndexInformer>();
  private started = false;

  constructor(
    readonly client: KubeClient,
    private readonly opts: InformerFactoryOptions = {},
  ) {}

  /** The shared informer of a resource in a scope, created on first use. */
  informerFor<T extends KubeObject>(r: ResourceRef, scope: InformerScope = {}): SharedIndexInformer<T> {
    const path = collectionPath(r, scope.namespace);
    const query: Record<string, string> = {};
    if (scope.labelSelector) query.labelSelector = scope.labelSelector;
    if (scope.fieldSelector) query.fieldSelector = scope.fieldSelector;
    const key = `${path}?${new URLSearchParams(query).toString()}`;
    let inf = this.informers.get(key);
    if (!inf) {
      const name = [r.resource, scope.namespace, scope.labelSelector, scope.fieldSelector].filter(Boolean).join(' ');
      inf = new SharedIndexInformer<KubeObject>(listWatchFor(this.client, path, query), {
        name,
        defaultResyncMs: this.opts.defaultResyncMs,
        reflector: this.opts.reflector,
      });
      this.informers.set(key, inf);
      if (this.started) inf.start();
    }
    return inf as unknown as SharedIndexInformer<T>;
  }

  pods(scope?: InformerScope): SharedIndexInformer<Pod> {
    return this.informerFor<Pod>(Resources.pods, scope);
  }
  nodes(scope?: InformerScope): SharedIndexInformer<Node> {
    return this.informerFor<Node>(Resources.nodes, scope);
  }
  namespaces(scope?: InformerScope): SharedIndexInformer<Namespace> {
    return this.informerFor<Namespace>(Resources.namespaces, scope);
  }
  configMaps(scope?: InformerScope): SharedIndexInformer<ConfigMap> {
    return this.informerFor<ConfigMap>(Resources.configMaps, scope);
  }
  secrets(scope?: InformerScope): SharedIndexInformer<Secret> {
    return this.informerFor<Secret>(Resources.secrets, scope);
  }
  serviceAccounts(scope?: InformerScope): SharedIndexInformer<ServiceAccount> {
    return this.informerFor<ServiceAccount>(Resources.serviceAccounts, scope);
  }

  /** How many informers (list+watch streams) the factory holds. */
  size(): number {
    return this.informers.size;
  }

  start(): void {
    this.started = true;
    for (const inf of this.informers.values()) inf.start();
  }

  async waitForCacheSync(): Promise<void> {
    await Promise.all([...this.informers.values()].filter((i) => i.isStarted()).map((i) => i.waitForSync()));
  }

  async shutdown(): Promise<void> {
    this.started = false;
    const all = [...this.informers.values()];
    this.informers.clear();
    await Promise.all(all.map((i) => i.stop()));
  }
}
