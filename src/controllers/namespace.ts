// The namespace controller: for a namespace marked for deletion, deletes every namespaced object in it
// (found through discovery), waits until they are gone, then removes the "kubernetes" finalizer
// through namespaces/<name>/finalize so the API server removes the namespace.
import type { KubeObject } from '../api/types.js';
import { Informer } from '../client/informer.js';
import type { KubeClient } from '../client/rest.js';
import { WorkQueue } from '../client/workqueue.js';
import { logger, type Logger } from '../log/logger.js';

interface DiscoveredResource {
  path: string; // collection path prefix, e.g. /api/v1 or /apis/apps/v1
  name: string;
  verbs: string[];
}

export class NamespaceController {
  private informer: Informer;
  private queue = new WorkQueue(200, 10_000);
  private running?: Promise<void>;
  private readonly log: Logger;

  /** `opts.log`: default the controller-manager logger with controller=namespace. */
  constructor(private readonly client: KubeClient, opts: { log?: Logger } = {}) {
    this.log = opts.log ?? logger('controller-manager', { controller: 'namespace' });
    this.informer = new Informer(client, '/api/v1/namespaces');
    const enqueue = (o: KubeObject) => {
      if (o.metadata.deletionTimestamp) this.queue.add(o.metadata.name!);
    };
    this.informer.addHandlers({ onAdd: enqueue, onUpdate: (_o, n) => enqueue(n) });
  }

  start(): void {
    this.informer.start();
    this.running = this.queue.run((k) => this.sync(k), 2, (key, err) => this.log.warn({ namespace: key, err: String(err) }, 'sync failed; retrying'));
  }

  async stop(): Promise<void> {
    this.informer.stop();
    this.queue.shutdown();
    await this.running;
  }

  /** Namespaced resources that can be listed and deleted, from the server's discovery documents. */
  private async discover(): Promise<DiscoveredResource[]> {
    const out: DiscoveredResource[] = [];
    const add = (base: string, list: { resources: { name: string; namespaced: boolean; verbs: string[] }[] }) => {
      for (const r of list.resources) {
        if (r.namespaced && !r.name.includes('/') && r.verbs.includes('list') && r.verbs.includes('delete')) out.push({ path: base, name: r.name, verbs: r.verbs });
      }
    };
    add('/api/v1', await this.client.get('/api/v1'));
    const groups = await this.client.get<{ groups: { preferredVersion: { groupVersion: string } }[] }>('/apis');
    for (const g of groups.groups) {
      const base = `/apis/${g.preferredVersion.groupVersion}`;
      add(base, await this.client.get(base));
    }
    return out;
  }

  private async sync(name: string): Promise<void> {
    const started = Date.now();
    const ns = this.informer.get(name);
    if (!ns || !ns.metadata.deletionTimestamp) return;
    const spec = (ns.spec ?? {}) as { finalizers?: string[] };
    if (!(spec.finalizers ?? []).includes('kubernetes')) return;
    let remaining = 0;
    for (const r of await this.discover()) {
      const coll = `${r.path}/namespaces/${encodeURIComponent(name)}/${r.name}`;
      if (r.verbs.includes('deletecollection')) {
        await this.client.request('DELETE', coll);
      }
      const left = await this.client.list(coll);
      for (const o of left.items) {
        if (!o.metadata.deletionTimestamp) {
          try {
            await this.client.delete(`${coll}/${encodeURIComponent(o.metadata.name!)}`);
          } catch (e) {
            if ((e as { code?: number }).code !== 404) throw e;
          }
        }
      }
      remaining += left.items.length;
    }
    if (remaining > 0) {
      // pods terminate gracefully; look again shortly
      this.queue.addAfter(name, 1000);
      return;
    }
    const fresh = await this.client.get(`/api/v1/namespaces/${encodeURIComponent(name)}`);
    const fin = ((fresh.spec as { finalizers?: string[] } | undefined)?.finalizers ?? []).filter((f) => f !== 'kubernetes');
    await this.client.update(`/api/v1/namespaces/${encodeURIComponent(name)}/finalize`, { ...fresh, spec: { ...(fresh.spec as object), finalizers: fin } });
    this.log.info({ namespace: name, action: 'finalize', durationMs: Date.now() - started }, 'Namespace content deleted, finalizer removed');
  }
}
