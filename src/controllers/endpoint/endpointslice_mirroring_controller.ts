// The EndpointSlice mirroring controller (upstream pkg/controller/endpointslicemirroring): a Service without a
// selector has Endpoints its user writes; kube-proxy and the cluster DNS read EndpointSlices, so those Endpoints
// are mirrored into slices (managed-by endpointslicemirroring-controller.k8s.io, owned by the Endpoints), one
// group per port set and address type, ready from `addresses`, not ready from `notReadyAddresses`. Endpoints
// labelled endpointslice.kubernetes.io/skip-mirror=true (the API server's own `kubernetes`) are left alone.
import { isIP } from 'node:net';
import type { EndpointAddress, Endpoints, Service } from '../../api/core/v1/service_types.js';
import { LABEL_MANAGED_BY, LABEL_SERVICE_NAME, type Endpoint, type EndpointSlice, type EndpointSlicePort } from '../../api/discovery/v1/types.js';
import { Controller } from '../../client/controller.js';
import type { SharedInformerFactory } from '../../client/informer_factory.js';
import type { Lister } from '../../client/listers.js';
import type { KubeClient } from '../../client/rest.js';
import { Resources, ResourceClient } from '../../client/typed.js';
import type { Logger } from '../../log/logger.js';
import { deleteSlice, slicePortsKey, writeSlices, type WantedSlice } from './slice_writer.js';

export const MIRRORING_CONTROLLER_NAME = 'endpointslicemirroring-controller.k8s.io';
const SKIP_MIRROR = 'endpointslice.kubernetes.io/skip-mirror';
/** Upstream --mirroring-max-endpoints-per-subset: addresses of a subset beyond this are not mirrored. */
const MAX_ENDPOINTS_PER_SUBSET = 1000;
/** Annotations of the Endpoints not carried over (upstream drops these two). */
const DROPPED_ANNOTATIONS = ['endpoints.kubernetes.io/last-change-trigger-time', 'kubectl.kubernetes.io/last-applied-configuration'];

function toEndpoint(a: EndpointAddress, ready: boolean): Endpoint {
  const e: Endpoint = { addresses: [a.ip], conditions: { ready } };
  if (a.hostname) e.hostname = a.hostname;
  if (a.nodeName) e.nodeName = a.nodeName;
  if (a.targetRef) e.targetRef = a.targetRef;
  return e;
}

/** The slices an Endpoints object mirrors to: its subsets grouped by port set and address type. */
export function mirroredSlices(ep: Endpoints): WantedSlice[] {
  const groups = new Map<string, WantedSlice>();
  for (const s of ep.subsets ?? []) {
    const ports: EndpointSlicePort[] = (s.ports ?? []).map((p) => ({
      name: p.name ?? '',
      port: p.port,
      protocol: p.protocol ?? 'TCP',
      ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}),
    }));
    const all = [...(s.addresses ?? []).map((a) => [a, true] as const), ...(s.notReadyAddresses ?? []).map((a) => [a, false] as const)];
    for (const [a, ready] of all.slice(0, MAX_ENDPOINTS_PER_SUBSET)) {
      const family = isIP(a?.ip ?? '');
      if (!family) continue;
      const addressType = family === 4 ? 'IPv4' : 'IPv6';
      const k = slicePortsKey(addressType, ports);
      let g = groups.get(k);
      if (!g) groups.set(k, (g = { addressType, ports, endpoints: [] }));
      g.endpoints.push(toEndpoint(a, ready));
    }
  }
  return [...groups.values()];
}

export class EndpointSliceMirroringController extends Controller {
  private readonly services: Lister<Service>;
  private readonly endpoints: Lister<Endpoints>;
  private readonly slices: Lister<EndpointSlice>;

  constructor(
    private readonly client: KubeClient,
    opts: { factory?: SharedInformerFactory; log?: Logger; workers?: number } = {},
  ) {
    super({ name: 'endpointslicemirroring', client, factory: opts.factory, log: opts.log, workers: opts.workers ?? 1 });
    const svcInf = this.factory.informerFor<Service>(Resources.services);
    const epInf = this.factory.informerFor<Endpoints>(Resources.endpoints);
    const sliceInf = this.factory.informerFor<EndpointSlice>(Resources.endpointSlices);
    this.services = svcInf.lister;
    this.endpoints = epInf.lister;
    this.slices = sliceInf.lister;
    this.watch(svcInf, this.enqueueAll());
    this.watch(epInf, this.enqueueAll());
    const onSlice = (s: EndpointSlice) => {
      const svc = s.metadata.labels?.[LABEL_SERVICE_NAME];
      if (svc && s.metadata.labels?.[LABEL_MANAGED_BY] === MIRRORING_CONTROLLER_NAME) this.queue.add(`${s.metadata.namespace}/${svc}`);
    };
    this.watch(sliceInf, { onUpdate: (_o, s) => onSlice(s), onDelete: onSlice });
  }

  protected async reconcile(k: string): Promise<void> {
    const [ns, name] = k.split('/') as [string, string];
    const api = new ResourceClient<EndpointSlice>(this.client, Resources.endpointSlices, ns);
    const existing = this.slices
      .namespace(ns)
      .list((l) => l[LABEL_SERVICE_NAME] === name && l[LABEL_MANAGED_BY] === MIRRORING_CONTROLLER_NAME)
      .sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1));
    const svc = this.services.namespace(ns).get(name);
    const ep = this.endpoints.namespace(ns).get(name);
    // only a selectorless Service's Endpoints are mirrored: the EndpointSlice controller serves the others
    if (!svc || svc.spec?.selector || !ep || ep.metadata.labels?.[SKIP_MIRROR] === 'true' || ep.metadata.deletionTimestamp) {
      for (const s of existing) await deleteSlice(api, s);
      return;
    }
    const labels: Record<string, string> = { ...(ep.metadata.labels ?? {}), [LABEL_SERVICE_NAME]: name, [LABEL_MANAGED_BY]: MIRRORING_CONTROLLER_NAME };
    const annotations: Record<string, string> = { ...(ep.metadata.annotations ?? {}) };
    for (const a of DROPPED_ANNOTATIONS) delete annotations[a];
    const owner = { apiVersion: 'v1', kind: 'Endpoints', name, uid: ep.metadata.uid!, controller: true, blockOwnerDeletion: true };
    await writeSlices(api, existing, mirroredSlices(ep), { service: name, namespace: ns, labels, annotations, owner });
  }
}
