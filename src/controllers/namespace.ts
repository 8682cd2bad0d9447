// The namespace controller: for a namespace marked for deletion, deletes every namespaced object in it
// (found through discovery), waits until they are gone, then removes the "kubernetes" finalizer
// through namespaces/<name>/finalize so the API server removes the namespace.
import type { Namespace } from '../api/core/v1/types.js';
import { Controller } from '../client/controller.js';
import type { SharedInformerFactory } from '../client/informer_factory.js';
import type { Lister } from '../client/listers.js';
import type { KubeClient } from '../client/rest.js';
import { coreV1, ResourceClient, type ResourceRef } from '../client/typed.js';
import { ItemExponentialFailureRateLimiter } from '../client/workqueue.js';
import type { Logger } from '../log/logger.js';

interface DiscoveredResource {
  ref: ResourceRef;
  verbs: string[];
}

export class NamespaceController extends Controller {
  private readonly namespaces: ResourceClient<Namespace>;
  private readonly lister: Lister<Namespace>;

  /** `opts.log`: default the controller-manager logger with controller=namespace; `opts.factory`: shared informers; `opts.workers`: default 2. */
  constructor(
    private readonly client: KubeClient,
    opts: { log?: Logger; factory?: SharedInformerFactory; workers?: number } = {},
  ) {
    super({
      name: 'namespace',
      client,
      factory: opts.factory,
      log: opts.log,
      workers: opts.workers ?? 2,
      rateLimiter: new ItemExponentialFailureRateLimiter(200, 10_000),
    });
    this.namespaces = coreV1(client).namespaces();
    const informer = this.factory.namespaces();
    this.lister = informer.lister;
    this.watch(
      informer,
      this.enqueueAll<Namespace>((ns) => !!ns.metadata.deletionTimestamp),
    );
  }

  /** Namespaced resources that can be listed and deleted, from the server's discovery documents. */
  private async discover(): Promise<DiscoveredResource[]> {
    const out: DiscoveredResource[] = [];
    const add = (groupVersion: string, list: { resources: { name: string; namespaced: boolean; verbs: string[] }[] }) => {
      const [group, version] = groupVersion.includes('/') ? groupVersion.split('/') : ['', groupVersion];
      for (const r of list.resources) {
        if (r.namespaced && !r.name.includes('/') && r.verbs.includes('list') && r.verbs.includes('delete'))
          out.push({ ref: { group: group!, version: version!, resource: r.name, namespaced: true }, verbs: r.verbs });
      }
    };
    add('v1', await this.client.get('/api/v1'));
    const groups = await this.client.get<{ groups: { preferredVersion: { groupVersion: string } }[] }>('/apis');
    for (const g of groups.groups) {
      const gv = g.preferredVersion.groupVersion;
      add(gv, await this.client.get(`/apis/${gv}`));
    }
    return out;
  }

  protected async reconcile(name: string): Promise<{ requeueAfterMs: number } | void> {
    const started = Date.now();
    const ns = this.lister.get(name);
    if (!ns || !ns.metadata.deletionTimestamp) return;
    const spec = (ns.spec ?? {}) as { finalizers?: string[] };
    if (!(spec.finalizers ?? []).includes('kubernetes')) return;
    let remaining = 0;
    for (const r of await this.discover()) {
      const objects = new ResourceClient(this.client, r.ref, name);
      if (r.verbs.includes('deletecollection')) await objects.deleteCollection();
      const left = await objects.list();
      for (const o of left.items) {
        if (!o.metadata.deletionTimestamp) {
          try {
            await objects.delete(o.metadata.name!);
          } catch (e) {
            if ((e as { code?: number }).code !== 404) throw e;
          }
        }
      }
      remaining += left.items.length;
    }
    // pods terminate gracefully; look again shortly
    if (remaining > 0) return { requeueAfterMs: 1000 };
    const fresh = await this.namespaces.get(name);
    const fin = ((fresh.spec as { finalizers?: string[] } | undefined)?.finalizers ?? []).filter((f) => f !== 'kubernetes');
    await this.namespaces.updateSubresource(name, 'finalize', { ...fresh, spec: { ...(fresh.spec as object), finalizers: fin } });
    this.log.info({ namespace: name, action: 'finalize', durationMs: Date.now() - started }, 'Namespace content deleted, finalizer removed');
  }
}
