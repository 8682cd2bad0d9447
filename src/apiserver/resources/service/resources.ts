// core/v1 Service and Endpoints and discovery.k8s.io/v1 EndpointSlice: names, scope and strategies. A Service's
// ClusterIP and node ports come from the ServiceAllocators, once the object is valid; an update that leaves
// them out keeps the allocated ones (upstream's patchAllocatedValues), so `kubectl replace`/apply work.
import type { Endpoints, Service } from '../../../api/core/v1/service_types.js';
import type { EndpointSlice } from '../../../api/discovery/v1/types.js';
import { setDefaultsEndpoints, setDefaultsService } from '../../../api/core/v1/service_defaults.js';
import { validateEndpoints, validateEndpointsUpdate, validateService, validateServiceUpdate } from '../../../api/core/v1/validation/service.js';
import { setDefaultsEndpointSlice, validateEndpointSlice, validateEndpointSliceUpdate } from '../../../api/discovery/v1/validation.js';
import type { ResourceDef, ResourceStrategy } from '../../registry.js';
import { statusSubresource } from '../../subresources/status.js';
import { proxySubresource } from '../../subresources/proxy.js';
import type { ServiceAllocators } from './allocator.js';

const needsNodePorts = (s: Service) => s.spec?.type === 'NodePort' || s.spec?.type === 'LoadBalancer';

/** Carry allocated values the client left out over from the stored Service. */
function keepAllocated(svc: Service, old: Service): void {
  const spec = svc.spec;
  const was = old.spec;
  if (!spec || !was) return;
  if (spec.type !== 'ExternalName' && was.type !== 'ExternalName' && !spec.clusterIP && !spec.clusterIPs?.length && was.clusterIP) {
    spec.clusterIP = was.clusterIP;
    spec.clusterIPs = was.clusterIPs ? [...was.clusterIPs] : [was.clusterIP];
    if (!spec.ipFamilies && was.ipFamilies) spec.ipFamilies = [...was.ipFamilies];
    if (!spec.ipFamilyPolicy && was.ipFamilyPolicy) spec.ipFamilyPolicy = was.ipFamilyPolicy;
  }
  if (needsNodePorts(svc) && needsNodePorts(old)) {
    for (const p of spec.ports ?? []) {
      if (!p || p.nodePort) continue;
      const prev =
        (was.ports ?? []).find((q) => q.port === p.port && (q.protocol ?? 'TCP') === (p.protocol ?? 'TCP')) ??
        (was.ports?.length === 1 && spec.ports?.length === 1 ? was.ports[0] : undefined);
      if (prev?.nodePort) p.nodePort = prev.nodePort;
    }
  }
  if (!spec.healthCheckNodePort && was.healthCheckNodePort && spec.externalTrafficPolicy === 'Local') spec.healthCheckNodePort = was.healthCheckNodePort;
}

function serviceStrategy(alloc: ServiceAllocators): ResourceStrategy<Service> {
  return {
    defaults: setDefaultsService,
    prepareForCreate: (svc) => {
      svc.status = { loadBalancer: {} };
    },
    prepareForUpdate: (svc, old) => {
      svc.status = old.status;
      keepAllocated(svc, old);
    },
    validate: validateService,
    validateUpdate: validateServiceUpdate,
    allocate: (svc, old) => alloc.allocate(svc, old),
    allowUnconditionalUpdate: true,
  };
}

const endpointsStrategy: ResourceStrategy<Endpoints> = {
  defaults: setDefaultsEndpoints,
  validate: validateEndpoints,
  validateUpdate: validateEndpointsUpdate,
  allowCreateOnUpdate: true,
  allowUnconditionalUpdate: true,
};

const endpointSliceStrategy: ResourceStrategy<EndpointSlice> = {
  defaults: setDefaultsEndpointSlice,
  validate: validateEndpointSlice,
  validateUpdate: validateEndpointSliceUpdate,
  generationFields: (s) => ({ endpoints: s.endpoints, ports: s.ports }),
  allowUnconditionalUpdate: true,
};

export function serviceResources(alloc: ServiceAllocators): ResourceDef[] {
  const svc = serviceStrategy(alloc);
  return [
    {
      group: '',
      version: 'v1',
      kind: 'Service',
      listKind: 'ServiceList',
      resource: 'services',
      singular: 'service',
      namespaced: true,
      shortNames: ['svc'],
      categories: ['all'],
      schemaName: 'io.k8s.api.core.v1.Service',
      subresources: { status: statusSubresource(svc), proxy: proxySubresource('ServiceProxyOptions') },
      strategy: svc,
    } as ResourceDef<Service> as ResourceDef,
    {
      group: '',
      version: 'v1',
      kind: 'Endpoints',
      listKind: 'EndpointsList',
      resource: 'endpoints',
      singular: 'endpoints',
      namespaced: true,
      shortNames: ['ep'],
      schemaName: 'io.k8s.api.core.v1.Endpoints',
      strategy: endpointsStrategy,
      // KEP-4974: v1 Endpoints is deprecated since 1.33 (the version we serve); kubectl prints the warning
      deprecated: { since: '1.33', replacement: 'discovery.k8s.io/v1 EndpointSlice' },
    } as ResourceDef<Endpoints> as ResourceDef,
    {
      group: 'discovery.k8s.io',
      version: 'v1',
      kind: 'EndpointSlice',
      listKind: 'EndpointSliceList',
      resource: 'endpointslices',
      singular: 'endpointslice',
      namespaced: true,
      schemaName: 'io.k8s.api.discovery.v1.EndpointSlice',
      strategy: endpointSliceStrategy,
    } as ResourceDef<EndpointSlice> as ResourceDef,
  ];
}
