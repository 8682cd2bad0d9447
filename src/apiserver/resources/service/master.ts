// The `kubernetes` Service in `default` (upstream's master endpoints reconciler): the first IP of the service
// range, port 443 named https, whose Endpoints and EndpointSlice name the API server's advertised address.
// Reconciled at every start, so a changed address or port is picked up and a deleted object comes back.
import type { KubeObject } from '../../../api/types.js';
import type { Endpoints, Service } from '../../../api/core/v1/service_types.js';
import type { EndpointSlice } from '../../../api/discovery/v1/types.js';
import { LABEL_SERVICE_NAME } from '../../../api/discovery/v1/types.js';
import type { ApiServer } from '../../server.js';
import type { ServiceAllocators } from './allocator.js';

const NAME = 'kubernetes';
const NS = 'default';

async function ensure(
  api: ApiServer,
  resource: string,
  group: string,
  version: string,
  desired: KubeObject,
  same: (cur: KubeObject) => boolean,
): Promise<void> {
  const def = api.services.lookup(group, version, resource);
  if (!def) return;
  const store = api.storeFor(def);
  const cur = await store.get(NS, NAME).catch(() => undefined);
  if (!cur) {
    await store.create(NS, desired);
    return;
  }
  if (same(cur)) return;
  await store.guaranteedUpdate(NS, NAME, (c) => ({ ...c, ...desired, metadata: { ...c.metadata, labels: desired.metadata.labels } }));
}

export async function reconcileKubernetesService(api: ApiServer, alloc: ServiceAllocators, endpoint: { ip: string; port: number }): Promise<void> {
  const labels = { component: 'apiserver', provider: 'kubernetes' };
  const svc: Service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: NAME, namespace: NS, labels },
    spec: {
      type: 'ClusterIP',
      clusterIP: alloc.firstIP,
      sessionAffinity: 'None',
      ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: endpoint.port }],
    },
  };
  await ensure(api, 'services', '', 'v1', svc, (cur) => {
    const p = (cur as Service).spec?.ports?.[0];
    return (cur as Service).spec?.ports?.length === 1 && p?.port === 443 && p.targetPort === endpoint.port;
  });
  const ep: Endpoints = {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name: NAME, namespace: NS, labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
    subsets: [{ addresses: [{ ip: endpoint.ip }], ports: [{ name: 'https', port: endpoint.port, protocol: 'TCP' }] }],
  };
  await ensure(api, 'endpoints', '', 'v1', ep, (cur) => JSON.stringify((cur as Endpoints).subsets) === JSON.stringify(ep.subsets));
  const slice: EndpointSlice = {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: NAME, namespace: NS, labels: { [LABEL_SERVICE_NAME]: NAME } },
    addressType: 'IPv4',
    endpoints: [{ addresses: [endpoint.ip], conditions: { ready: true } }],
    ports: [{ name: 'https', port: endpoint.port, protocol: 'TCP' }],
  };
  await ensure(
    api,
    'endpointslices',
    'discovery.k8s.io',
    'v1',
    slice,
    (cur) => JSON.stringify([(cur as EndpointSlice).endpoints, (cur as EndpointSlice).ports]) === JSON.stringify([slice.endpoints, slice.ports]),
  );
}
