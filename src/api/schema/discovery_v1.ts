// Schemas of discovery.k8s.io/v1 EndpointSlice and EndpointSliceList.
import type { Definitions } from './types.js';
import { CORE, str, int32, bool, ref, arr, strList, strMap, obj, kindSchema, listSchema } from './build.js';

const DISC = 'io.k8s.api.discovery.v1.';

export const discoveryV1Definitions: Definitions = {
  [DISC + 'EndpointSlice']: kindSchema(
    'discovery.k8s.io',
    'v1',
    'EndpointSlice',
    "A slice of a Service's endpoints (at most 100 by default), with their conditions and topology.",
    {
      addressType: str('IPv4, IPv6 or FQDN: the type of every address in the slice. Immutable.', ['FQDN', 'IPv4', 'IPv6']),
      endpoints: arr({ $ref: DISC + 'Endpoint', default: {} }, 'The endpoints (at most 1000).', { listType: 'atomic' }),
      ports: arr({ $ref: DISC + 'EndpointPort', default: {} }, 'The ports every endpoint serves (at most 100).', { listType: 'atomic' }),
    },
    ['addressType', 'endpoints'],
  ),
  [DISC + 'Endpoint']: obj(
    'One endpoint.',
    {
      addresses: strList('Addresses of the endpoint (one, for IPs).', 'set'),
      conditions: { $ref: DISC + 'EndpointConditions', default: {}, description: 'Ready, serving and terminating.' },
      deprecatedTopology: strMap('Deprecated topology labels.'),
      hints: ref(DISC + 'EndpointHints', 'Topology hints for consumers.'),
      hostname: str('Hostname of the endpoint (DNS label).'),
      nodeName: str('Node hosting the endpoint.'),
      targetRef: ref(CORE + 'ObjectReference', 'The object (pod) providing the endpoint.'),
      zone: str('Zone the endpoint is in.'),
    },
    ['addresses'],
  ),
  [DISC + 'EndpointConditions']: obj('Conditions of an endpoint.', {
    ready: bool('Ready for traffic (serving and not terminating).'),
    serving: bool('Passing readiness, terminating or not.'),
    terminating: bool('Being deleted.'),
  }),
  [DISC + 'EndpointHints']: obj('Topology hints.', {
    forNodes: arr({ $ref: DISC + 'ForNode', default: {} }, 'Nodes that should use this endpoint.', { listType: 'atomic' }),
    forZones: arr({ $ref: DISC + 'ForZone', default: {} }, 'Zones that should use this endpoint.', { listType: 'atomic' }),
  }),
  [DISC + 'ForZone']: obj('A zone a hint is for.', { name: str('Zone name.') }, ['name']),
  [DISC + 'ForNode']: obj('A node a hint is for.', { name: str('Node name.') }, ['name']),
  [DISC + 'EndpointPort']: {
    ...obj('One port of the slice.', {
      appProtocol: str('Application protocol of the port.'),
      name: str('Name of the port (the ServicePort name; may be empty).'),
      port: int32('Port number.'),
      protocol: str('TCP, UDP or SCTP.', ['SCTP', 'TCP', 'UDP']),
    }),
    'x-kubernetes-map-type': 'atomic',
  },
  [DISC + 'EndpointSliceList']: listSchema('discovery.k8s.io', 'v1', 'EndpointSliceList', DISC + 'EndpointSlice', 'endpoint slices'),
};
