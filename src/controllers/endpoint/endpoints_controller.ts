// The Endpoints controller (upstream pkg/controller/endpoint): for every Service with a selector, one core/v1
// Endpoints object of the same name listing its pods' addresses (ready ones under addresses, the others under
// notReadyAddresses) per port set; deleted with its Service. Written only when it changes.
import type { Pod } from '../../api/core/v1/types.js';
import type { EndpointAddress, Endpoints, EndpointSubset, Service } from '../../api/core/v1/service_types.js';
import { Controller } from '../../client/controller.js';
import type { SharedInformerFactory } from '../../client/informer_factory.js';
import type { Lister } from '../../client/listers.js';
import type { KubeClient } from '../../client/rest.js';
import { Resources, ResourceClient } from '../../client/typed.js';
import type { Logger } from '../../log/logger.js';
import { managedService, podEndpoints, portsKey, selectorMatches, servicesOfPodHandlers, type PodEndpoint } from './pod_endpoints.js';

/** Upstream maxCapacity: an Endpoints object holds at most this many addresses. */
const MAX_CAPACITY = 1000;
const OVER_CAPACITY = 'endpoints.kubernetes.io/over-capacity';
const HEADLESS_LABEL = 'service.kubernetes.io/headless';

function address(e: PodEndpoint): EndpointAddress {
  const a: EndpointAddress = {
    ip: e.ip,
    nodeName: e.pod.spec?.nodeName,
    targetRef: { kind: 'Pod', namespace: e.pod.metadata.namespace, name: e.pod.metadata.name, uid: e.pod.metadata.uid },
  };
  if (e.hostname) a.hostname = e.hostname;
  return a;
}

/** Subsets as upstream packs them: one per distinct port set, addresses in IP order. */
export function endpointSubsets(svc: Service, eps: PodEndpoint[]): { subsets: EndpointSubset[]; truncated: boolean } {
  const byPorts = new Map<string, EndpointSubset>();
  let n = 0;
  let truncated = false;
  for (const e of eps) {
    // a pod being deleted leaves the legacy Endpoints (unless the Service publishes not-ready addresses)
    if (e.terminating && !svc.spec?.publishNotReadyAddresses) continue;
    if (n >= MAX_CAPACITY) {
      truncated = true;
      break;
    }
    n++;
    const key = portsKey(e.ports);
    let s = byPorts.get(key);
    if (!s) {
      s = e.ports.length
        ? {
            ports: e.ports.map((p) => ({
              name: p.name || undefined,
              port: p.port,
              protocol: p.protocol,
              ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}),
            })),
          }
        : {};
      byPorts.set(key, s);
    }
    (e.ready ? (s.addresses ??= []) : (s.notReadyAddresses ??= [])).push(address(e));
  }
  return { subsets: [...byPorts.values()], truncated };
}

export class EndpointsController extends Controller {
  private readonly services: Lister<Service>;
  private readonly pods: Lister<Pod>;
  private readonly endpoints: Lister<Endpoints>;

  constructor(
    private readonly client: KubeClient,
    shared: { factory?: SharedInformerFactory; log?: Logger; workers?: number; updatesBatchPeriodMs?: number } = {},
  ) {
    super({ name: 'endpoints', client, factory: shared.factory, log: shared.log, workers: shared.workers ?? 2 });
    const batchMs = shared.updatesBatchPeriodMs ?? 0;
    const svcInf = this.factory.informerFor<Service>(Resources.services);
    const podInf = this.factory.pods();
    const epInf = this.factory.informerFor<Endpoints>(Resources.endpoints);
    this.services = svcInf.lister;
    this.pods = podInf.lister;
    this.endpoints = epInf.lister;
    this.watch(svcInf, this.enqueueAll());
    // --endpoint-updates-batch-period: a pod change waits that long, so a burst of them makes one write
    this.watch(
      podInf,
      servicesOfPodHandlers(this.services, (s) => this.queue.addAfter(`${s.metadata.namespace}/${s.metadata.name}`, batchMs)),
    );
    // an Endpoints object changed or deleted by someone else is put back
    this.watch(epInf, {
      onUpdate: (_o, e) => this.queue.add(`${e.metadata.namespace}/${e.metadata.name}`),
      onDelete: (e) => this.queue.add(`${e.metadata.namespace}/${e.metadata.name}`),
    });
  }

  protected async reconcile(key: string): Promise<void> {
    const [ns, name] = key.split('/') as [string, string];
    const epClient = new ResourceClient<Endpoints>(this.client, Resources.endpoints, ns);
    const svc = this.services.namespace(ns).get(name);
    const cur = this.endpoints.namespace(ns).get(name);
    if (!svc || !managedService(svc)) {
      // Services without a selector have Endpoints their users write; only a deleted Service takes them along
      if (!svc && cur && cur.metadata.name !== 'kubernetes')
        await epClient.delete(name).catch((e: { code?: number }) => {
          if (e.code !== 404) throw e;
        });
      return;
    }
    const pods = this.pods.namespace(ns).list((l) => selectorMatches(svc.spec?.selector, l));
    const { subsets, truncated } = endpointSubsets(svc, podEndpoints(svc, pods));
    const labels: Record<string, string> = { ...(svc.metadata.labels ?? {}) };
    if (svc.spec?.clusterIP === 'None') labels[HEADLESS_LABEL] = '';
    const annotations: Record<string, string> = {};
    if (truncated) annotations[OVER_CAPACITY] = 'truncated';
    if (
      cur &&
      JSON.stringify(cur.subsets ?? []) === JSON.stringify(subsets) &&
      JSON.stringify(cur.metadata.labels ?? {}) === JSON.stringify(labels) &&
      !!cur.metadata.annotations?.[OVER_CAPACITY] === truncated
    )
      return;
    const desired: Endpoints = { apiVersion: 'v1', kind: 'Endpoints', metadata: { name, namespace: ns, labels, annotations }, subsets };
    if (!cur) {
      await epClient.create(desired);
      return;
    }
    const keep = { ...(cur.metadata.annotations ?? {}) };
    delete keep[OVER_CAPACITY];
    await epClient.update({ ...desired, metadata: { ...cur.metadata, labels, annotations: { ...keep, ...annotations } } });
  }
}
