// The ServiceAccount controller (upstream pkg/controller/serviceaccount serviceaccounts_controller.go):
// every active namespace has the ServiceAccount "default"; it is made when the namespace appears and made
// again when someone deletes it.
import type { Namespace, ServiceAccount } from '../api/core/v1/types.js';
import { DEFAULT_SERVICE_ACCOUNT } from '../api/serviceaccount.js';
import { Controller } from '../client/controller.js';
import type { SharedInformerFactory } from '../client/informer_factory.js';
import type { Lister } from '../client/listers.js';
import type { KubeClient } from '../client/rest.js';
import { coreV1, type CoreV1Client } from '../client/typed.js';
import type { Logger } from '../log/logger.js';

export class ServiceAccountsController extends Controller {
  private readonly core: CoreV1Client;
  private readonly namespaces: Lister<Namespace>;
  private readonly accounts: Lister<ServiceAccount>;

  constructor(client: KubeClient, opts: { log?: Logger; factory?: SharedInformerFactory } = {}) {
    super({ name: 'serviceaccount', client, factory: opts.factory, log: opts.log });
    this.core = coreV1(client);
    const nsInformer = this.factory.namespaces();
    const saInformer = this.factory.serviceAccounts();
    this.namespaces = nsInformer.lister;
    this.accounts = saInformer.lister;
    this.watch(nsInformer, {
      onAdd: (ns) => this.queue.add(ns.metadata.name!),
      onUpdate: (_old, ns) => this.queue.add(ns.metadata.name!),
    });
    // a deleted default account is made again
    this.watch(saInformer, {
      onDelete: (sa) => {
        if (sa.metadata.name === DEFAULT_SERVICE_ACCOUNT) this.queue.add(sa.metadata.namespace!);
      },
    });
  }

  protected async reconcile(namespace: string): Promise<void> {
    const ns = this.namespaces.get(namespace);
    if (!ns || ns.metadata.deletionTimestamp || ns.status?.phase === 'Terminating') return;
    if (this.accounts.namespace(namespace).get(DEFAULT_SERVICE_ACCOUNT)) return;
    try {
      await this.core.serviceAccounts(namespace).create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: DEFAULT_SERVICE_ACCOUNT } });
      this.log.info({ namespace }, 'Created the default ServiceAccount');
    } catch (e) {
      const code = (e as { code?: number }).code;
      // already there (our cache is behind), or the namespace is going away
      if (code === 409 || code === 403 || code === 404) return;
      throw e;
    }
  }
}
