// The root-CA publisher (upstream pkg/controller/certificates/rootcacertpublisher): the ConfigMap
// kube-root-ca.crt with the cluster CA (key ca.crt) in every active namespace, put back when edited or deleted.
import type { ConfigMap, Namespace } from '../api/core/v1/types.js';
import { DESCRIPTION_ANNOTATION, ROOT_CA_CONFIGMAP, ROOT_CA_CONFIGMAP_KEY, ROOT_CA_DESCRIPTION } from '../api/serviceaccount.js';
import { Controller } from '../client/controller.js';
import type { SharedInformerFactory } from '../client/informer_factory.js';
import type { Lister } from '../client/listers.js';
import type { KubeClient } from '../client/rest.js';
import { coreV1, type CoreV1Client } from '../client/typed.js';
import type { Logger } from '../log/logger.js';

export class RootCAPublisher extends Controller {
  private readonly core: CoreV1Client;
  private readonly namespaces: Lister<Namespace>;
  private readonly configMaps: Lister<ConfigMap>;

  /** `rootCA`: the PEM bundle of the CA the API server's serving certificate chains to (--root-ca-file). */
  constructor(
    client: KubeClient,
    private readonly rootCA: string,
    opts: { log?: Logger; factory?: SharedInformerFactory } = {},
  ) {
    super({ name: 'root-ca-cert-publisher', client, factory: opts.factory, log: opts.log });
    this.core = coreV1(client);
    const nsInformer = this.factory.namespaces();
    const cmInformer = this.factory.configMaps({ fieldSelector: `metadata.name=${ROOT_CA_CONFIGMAP}` });
    this.namespaces = nsInformer.lister;
    this.configMaps = cmInformer.lister;
    this.watch(nsInformer, {
      onAdd: (ns) => this.queue.add(ns.metadata.name!),
      onUpdate: (_old, ns) => this.queue.add(ns.metadata.name!),
    });
    const requeue = (cm: ConfigMap) => this.queue.add(cm.metadata.namespace!);
    this.watch(cmInformer, { onAdd: requeue, onUpdate: (_old, cm) => requeue(cm), onDelete: requeue });
  }

  protected async reconcile(namespace: string): Promise<void> {
    const ns = this.namespaces.get(namespace);
    if (!ns || ns.metadata.deletionTimestamp || ns.status?.phase === 'Terminating') return;
    const data = { [ROOT_CA_CONFIGMAP_KEY]: this.rootCA };
    const cms = this.core.configMaps(namespace);
    const cm = this.configMaps.namespace(namespace).get(ROOT_CA_CONFIGMAP);
    try {
      if (!cm) {
        await cms.create({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: ROOT_CA_CONFIGMAP, annotations: { [DESCRIPTION_ANNOTATION]: ROOT_CA_DESCRIPTION } },
          data,
        });
        this.log.info({ namespace }, 'Published the root CA');
        return;
      }
      const same =
        JSON.stringify(cm.data ?? {}) === JSON.stringify(data) && !cm.binaryData && cm.metadata.annotations?.[DESCRIPTION_ANNOTATION] === ROOT_CA_DESCRIPTION;
      if (same) return;
      const fixed = structuredClone(cm);
      fixed.data = data;
      delete fixed.binaryData;
      fixed.metadata.annotations = { ...(fixed.metadata.annotations ?? {}), [DESCRIPTION_ANNOTATION]: ROOT_CA_DESCRIPTION };
      await cms.update(fixed);
      this.log.info({ namespace }, 'Restored the root CA ConfigMap');
    } catch (e) {
      const code = (e as { code?: number }).code;
      // 409: our cache is behind (the update event requeues); 403/404: the namespace is going away
      if (code === 409 || code === 403 || code === 404) return;
      throw e;
    }
  }
}
