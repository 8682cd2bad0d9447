// The EndpointSlice controller (upstream pkg/controller/endpointslice): for every Service with a selector,
// discovery.k8s.io/v1 EndpointSlices owned by it (labels kubernetes.io/service-name and managed-by), one group per
// distinct port set, at most --max-endpoints-per-slice (100) endpoints a slice, with ready / serving /
// terminating conditions, node, zone and hostname. Existing slices are reused in place; only changed ones are
// written; a Service's slices go with it.
import type { Node, Pod } from '../../api/core/v1/types.js';
import type { Service } from '../../api/core/v1/service_types.js';
import { ENDPOINTSLICE_CONTROLLER_NAME, LABEL_MANAGED_BY, LABEL_SERVICE_NAME, type Endpoint, type EndpointSlice } from '../../api/discovery/v1/types.js';
import { Controller } from '../../client/controller.js';
import type { SharedInformerFactory } from '../../client/informer_factory.js';
import type { Lister } from '../../client/listers.js';
import type { KubeClient } from '../../client/rest.js';
import { Resources, ResourceClient } from '../../client/typed.js';
import type { Logger } from '../../log/logger.js';
import { deleteSlice, writeSlices } from './slice_writer.js';
import { managedService, podEndpoints, portsKey, selectorMatches, servicesOfPodHandlers, type PodEndpoint, type ResolvedPort } from './pod_endpoints.js';

export const DEFAULT_MAX_ENDPOINTS_PER_SLICE = 100;
const ZONE_LABEL = 'topology.kubernetes.io/zone';

interface DesiredSlice {
  ports: ResolvedPort[];
  endpoints: Endpoint[];
}

function endpointOf(e: PodEndpoint, nodes: Lister<Node>): Endpoint {
  const ep: Endpoint = {
    addresses: [e.ip],
    conditions: { ready: e.ready, serving: e.serving, terminating: e.terminating },
    nodeName: e.pod.spec?.nodeName,
    targetRef: { kind: 'Pod', namespace: e.pod.metadata.namespace, name: e.pod.metadata.name, uid: e.pod.metadata.uid },
  };
  if (e.hostname) ep.hostname = e.hostname;
  const zone = e.pod.spec?.nodeName ? nodes.get(e.pod.spec.nodeName)?.metadata.labels?.[ZONE_LABEL] : undefined;
  if (zone) ep.zone = zone;
  return ep;
}

/** The slices a Service should have: endpoints grouped by port set, cut into chunks of `max`. */
export function desiredSlices(svc: Service, eps: PodEndpoint[], nodes: Lister<Node>, max = DEFAULT_MAX_ENDPOINTS_PER_SLICE): DesiredSlice[] {
  const groups = new Map<string, DesiredSlice>();
  for (const e of eps) {
    const key = portsKey(e.ports);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { ports: e.ports, endpoints: [] }));
    g.endpoints.push(endpointOf(e, nodes));
  }
  const out: DesiredSlice[] = [];
  for (const g of groups.values()) {
    for (let i = 0; i < g.endpoints.length; i += max) out.push({ ports: g.ports, endpoints: g.endpoints.slice(i, i + max) });
  }
  // a Service with no endpoints still has one (empty) slice with its ports, as upstream
  if (out.length === 0) {
    const ports = (svc.spec?.ports ?? [])
      .filter((p) => typeof (p.targetPort ?? p.port) === 'number')
      .map((p) => ({ name: p.name ?? '', port: Number(p.targetPort ?? p.port), protocol: p.protocol ?? 'TCP' }));
    out.push({ ports: ports.length === (svc.spec?.ports ?? []).length ? ports : [], endpoints: [] });
  }
  return out;
}

const slicePorts = (ports: ResolvedPort[]) =>
  ports.map((p) => ({ name: p.name, port: p.port, protocol: p.protocol, ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}) }));

export class EndpointSliceController extends Controller {
  private readonly services: Lister<Service>;
  private readonly pods: Lister<Pod>;
  private readonly nodes: Lister<Node>;
  private readonly slices: Lister<EndpointSlice>;

  constructor(
    private readonly client: KubeClient,
    private readonly opts: {
      factory?: SharedInformerFactory;
      log?: Logger;
      workers?: number;
      maxEndpointsPerSlice?: number;
      updatesBatchPeriodMs?: number;
    } = {},
  ) {
    super({ name: 'endpointslice', client, factory: opts.factory, log: opts.log, workers: opts.workers ?? 2 });
    const svcInf = this.factory.informerFor<Service>(Resources.services);
    const podInf = this.factory.pods();
    const nodeInf = this.factory.nodes();
    const sliceInf = this.factory.informerFor<EndpointSlice>(Resources.endpointSlices);
    this.services = svcInf.lister;
    this.pods = podInf.lister;
    this.nodes = nodeInf.lister;
    this.slices = sliceInf.lister;
    this.watch(svcInf, this.enqueueAll());
    // --endpointslice-updates-batch-period: a pod change waits that long, so a burst of them makes one write
    const batchMs = opts.updatesBatchPeriodMs ?? 0;
    this.watch(
      podInf,
      servicesOfPodHandlers(this.services, (s) => this.queue.addAfter(`${s.metadata.namespace}/${s.metadata.name}`, batchMs)),
    );
    this.watch(nodeInf, {});
    // a managed slice changed or deleted by someone else is reconciled back
    const onSlice = (s: EndpointSlice) => {
      const svc = s.metadata.labels?.[LABEL_SERVICE_NAME];
      if (svc && s.metadata.labels?.[LABEL_MANAGED_BY] === ENDPOINTSLICE_CONTROLLER_NAME) this.queue.add(`${s.metadata.namespace}/${svc}`);
    };
    this.watch(sliceInf, { onUpdate: (_o, s) => onSlice(s), onDelete: onSlice });
  }

  private managedSlices(ns: string, service: string): EndpointSlice[] {
    return this.slices
      .namespace(ns)
      .list((l) => l[LABEL_SERVICE_NAME] === service && l[LABEL_MANAGED_BY] === ENDPOINTSLICE_CONTROLLER_NAME)
      .sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1));
  }

  protected async reconcile(key: string): Promise<void> {
    const [ns, name] = key.split('/') as [string, string];
    const api = new ResourceClient<EndpointSlice>(this.client, Resources.endpointSlices, ns);
    const svc = this.services.namespace(ns).get(name);
    const existing = this.managedSlices(ns, name);
    if (!svc || !managedService(svc) || svc.metadata.deletionTimestamp) {
      for (const s of existing) await deleteSlice(api, s);
      return;
    }
    const pods = this.pods.namespace(ns).list((l) => selectorMatches(svc.spec?.selector, l));
    const desired = desiredSlices(svc, podEndpoints(svc, pods), this.nodes, this.opts.maxEndpointsPerSlice);
    const labels = { ...(svc.metadata.labels ?? {}), [LABEL_SERVICE_NAME]: name, [LABEL_MANAGED_BY]: ENDPOINTSLICE_CONTROLLER_NAME };
    if (svc.spec?.clusterIP === 'None') (labels as Record<string, string>)['service.kubernetes.io/headless'] = '';
    const owner = { apiVersion: 'v1', kind: 'Service', name, uid: svc.metadata.uid!, controller: true, blockOwnerDeletion: true };
    await writeSlices(
      api,
      existing,
      desired.map((d) => ({ addressType: 'IPv4' as const, endpoints: d.endpoints, ports: slicePorts(d.ports) })),
      { service: name, namespace: ns, labels, owner },
    );
  }
}
