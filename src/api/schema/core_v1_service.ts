// Schemas of core/v1 Service and Endpoints (and their lists): field checks, `kubectl explain`, and the patch
// metadata (ports merge on "port" with list-map keys port+protocol, as upstream).
import type { Definitions } from './types.js';
import { CORE, META, str, int32, bool, ref, arr, strList, strMap, obj, atomicObj, intOrString, kindSchema, listSchema } from './build.js';

const core = (kind: string, description: string, props: Parameters<typeof kindSchema>[4], required?: string[]) =>
  kindSchema('', 'v1', kind, description, props, required);

export const serviceDefinitions: Definitions = {
  [CORE + 'Service']: core('Service', 'A Service exposes a set of pods (chosen by its selector) under one virtual IP and set of ports.', {
    spec: ref(CORE + 'ServiceSpec', 'Desired behaviour of the service.'),
    status: ref(CORE + 'ServiceStatus', 'Observed state of the service (load balancer).'),
  }),
  [CORE + 'ServiceSpec']: obj('Desired behaviour of a service.', {
    allocateLoadBalancerNodePorts: bool('Whether NodePorts are allocated for a LoadBalancer service (default true).'),
    clusterIP: str('The virtual IP of the service, allocated from the service range; "None" makes it headless. Immutable.'),
    clusterIPs: strList('The service IPs; clusterIPs[0] is clusterIP. Single-stack IPv4 here.'),
    externalIPs: strList('IPs outside the cluster on which nodes also accept traffic for this service.'),
    externalName: str('For type ExternalName: the DNS name the service is a CNAME of.'),
    externalTrafficPolicy: str(
      'How traffic from outside the cluster reaches endpoints: Cluster (any node, SNAT) or Local (only local endpoints, source IP kept).',
      ['Cluster', 'Local'],
    ),
    healthCheckNodePort: int32('Node port of the health check of a LoadBalancer service with externalTrafficPolicy Local.'),
    internalTrafficPolicy: str('Cluster (every endpoint) or Local (only endpoints on the client node) for traffic from inside the cluster.', [
      'Cluster',
      'Local',
    ]),
    ipFamilies: strList('IP families of the service (IPv4).'),
    ipFamilyPolicy: str('SingleStack, PreferDualStack or RequireDualStack.', ['PreferDualStack', 'RequireDualStack', 'SingleStack']),
    loadBalancerClass: str('The load balancer implementation that should serve this service.'),
    loadBalancerIP: str('Deprecated: the IP a load balancer should use.'),
    loadBalancerSourceRanges: strList('Client CIDRs allowed through a load balancer.'),
    ports: arr({ $ref: CORE + 'ServicePort', default: {} }, 'The ports the service exposes.', {
      mergeKey: 'port',
      strategy: 'merge',
      listType: 'map',
      mapKeys: ['port', 'protocol'],
    }),
    publishNotReadyAddresses: bool('Publish endpoints of pods that are not ready (e.g. for StatefulSet peer discovery).'),
    selector: { ...strMap('Pods with these labels are the endpoints of the service.'), 'x-kubernetes-map-type': 'atomic' },
    sessionAffinity: str('None or ClientIP: keep a client on one endpoint.', ['ClientIP', 'None']),
    sessionAffinityConfig: ref(CORE + 'SessionAffinityConfig', 'Settings of session affinity.'),
    trafficDistribution: str('A preference for how traffic is spread over endpoints (e.g. PreferClose).'),
    type: str('ClusterIP (default), NodePort, LoadBalancer or ExternalName.', ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort']),
  }),
  [CORE + 'ServicePort']: obj(
    'One port of a service.',
    {
      appProtocol: str('The application protocol of the port (e.g. http, kubernetes.io/h2c).'),
      name: str('Name of the port (DNS label); required when there is more than one. Used for SRV records and Endpoints.'),
      nodePort: int32('Port on every node for NodePort/LoadBalancer services, allocated from 30000-32767 unless given.'),
      port: int32('The port the service exposes.'),
      protocol: str('TCP (default), UDP or SCTP.', ['SCTP', 'TCP', 'UDP']),
      targetPort: intOrString("The pods' port, by number or by container port name (default: port)."),
    },
    ['port'],
  ),
  [CORE + 'SessionAffinityConfig']: obj('Settings of session affinity.', {
    clientIP: ref(CORE + 'ClientIPConfig', 'ClientIP affinity settings.'),
  }),
  [CORE + 'ClientIPConfig']: obj('ClientIP session affinity settings.', {
    timeoutSeconds: int32('How long a client stays on one endpoint (1..86400, default 10800).'),
  }),
  [CORE + 'ServiceStatus']: obj('Observed state of a service.', {
    conditions: arr({ $ref: META + 'Condition', default: {} }, 'Current conditions of the service.', {
      mergeKey: 'type',
      strategy: 'merge',
      listType: 'map',
      mapKeys: ['type'],
    }),
    loadBalancer: { $ref: CORE + 'LoadBalancerStatus', default: {}, description: 'The load balancer, if any.' },
  }),
  [CORE + 'LoadBalancerStatus']: obj('The state of a load balancer.', {
    ingress: arr({ $ref: CORE + 'LoadBalancerIngress', default: {} }, 'Ingress points of the load balancer.', { listType: 'atomic' }),
  }),
  [CORE + 'LoadBalancerIngress']: obj('One ingress point of a load balancer.', {
    hostname: str('DNS name of the ingress point.'),
    ip: str('IP of the ingress point.'),
    ipMode: str('VIP or Proxy.'),
  }),
  [CORE + 'ServiceList']: listSchema('', 'v1', 'ServiceList', CORE + 'Service', 'services'),

  [CORE + 'Endpoints']: core('Endpoints', 'The addresses and ports behind a Service (legacy; EndpointSlices supersede it).', {
    subsets: arr({ $ref: CORE + 'EndpointSubset', default: {} }, 'Groups of addresses sharing one set of ports.', { listType: 'atomic' }),
  }),
  [CORE + 'EndpointSubset']: obj('Addresses sharing one set of ports.', {
    addresses: arr({ $ref: CORE + 'EndpointAddress', default: {} }, 'Ready addresses.', { listType: 'atomic' }),
    notReadyAddresses: arr({ $ref: CORE + 'EndpointAddress', default: {} }, 'Addresses not ready (yet).', { listType: 'atomic' }),
    ports: arr({ $ref: CORE + 'EndpointPort', default: {} }, 'Ports of these addresses.', { listType: 'atomic' }),
  }),
  [CORE + 'EndpointAddress']: atomicObj(
    'One endpoint address.',
    {
      hostname: str('Hostname of the endpoint.'),
      ip: str('IP of the endpoint.'),
      nodeName: str('Node the endpoint is on.'),
      targetRef: ref(CORE + 'ObjectReference', 'The object (pod) providing the endpoint.'),
    },
    ['ip'],
  ),
  [CORE + 'EndpointPort']: atomicObj(
    'One port of an endpoint subset.',
    {
      appProtocol: str('Application protocol of the port.'),
      name: str('Name of the port (matches the ServicePort name).'),
      port: int32('Port number.'),
      protocol: str('TCP, UDP or SCTP.', ['SCTP', 'TCP', 'UDP']),
    },
    ['port'],
  ),
  [CORE + 'EndpointsList']: listSchema('', 'v1', 'EndpointsList', CORE + 'Endpoints', 'endpoints'),
};
