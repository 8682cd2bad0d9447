// What the proxy programs for one Service: one ServicePortInfo per port (upstream's ServicePort + its
// endpoints from every EndpointSlice of the Service), and which endpoints each traffic path may use
// (upstream's CategorizeEndpoints: ready ones, else serving-and-terminating ones; Local policies: this node's).
import type { Service } from '../api/core/v1/service_types.js';
import type { EndpointSlice } from '../api/discovery/v1/types.js';

export type L4Proto = 'tcp' | 'udp' | 'sctp';

export interface ProxyEndpoint {
  ip: string;
  port: number;
  ready: boolean;
  serving: boolean;
  terminating: boolean;
  nodeName?: string;
}

export interface ServicePortInfo {
  namespace: string;
  name: string;
  /** The Service port's name ('' when it has one unnamed port). */
  portName: string;
  protocol: L4Proto;
  clusterIP: string;
  port: number;
  nodePort?: number;
  externalIPs: string[];
  /** sessionAffinity ClientIP: the affinity timeout in seconds. */
  affinitySeconds?: number;
  internalLocal: boolean;
  externalLocal: boolean;
  endpoints: ProxyEndpoint[];
}

/** ns/name/proto/portname: the identity chains and map entries are named after (upstream's servicePortChainName input). */
export function servicePortKey(sp: Pick<ServicePortInfo, 'namespace' | 'name' | 'protocol' | 'portName'>): string {
  return `${sp.namespace}/${sp.name}/${sp.protocol}/${sp.portName}`;
}

/** Upstream's default sessionAffinityConfig.clientIP.timeoutSeconds (3 hours). */
export const DEFAULT_AFFINITY_SECONDS = 10800;

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
export const isIPv4 = (s: string | undefined): s is string => !!s && IPV4.test(s) && s.split('.').every((o) => Number(o) <= 255);

/** The ports of a Service that get rules: none for headless and ExternalName Services (nothing to proxy). */
export function servicePorts(svc: Service, slices: EndpointSlice[]): ServicePortInfo[] {
  const spec = svc.spec ?? {};
  if (spec.type === 'ExternalName') return [];
  const clusterIP = spec.clusterIP;
  if (!clusterIP || !isIPv4(clusterIP)) return [];
  const ns = svc.metadata.namespace ?? 'default';
  const name = svc.metadata.name ?? '';
  const affinitySeconds = spec.sessionAffinity === 'ClientIP' ? (spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? DEFAULT_AFFINITY_SECONDS) : undefined;
  const nodePorts = spec.type === 'NodePort' || spec.type === 'LoadBalancer';
  const out: ServicePortInfo[] = [];
  for (const p of spec.ports ?? []) {
    const protocol = (p.protocol ?? 'TCP').toLowerCase() as L4Proto;
    const portName = p.name ?? '';
    out.push({
      namespace: ns,
      name,
      portName,
      protocol,
      clusterIP,
      port: p.port,
      nodePort: nodePorts && p.nodePort ? p.nodePort : undefined,
      externalIPs: (spec.externalIPs ?? []).filter(isIPv4),
      affinitySeconds,
      internalLocal: spec.internalTrafficPolicy === 'Local',
      externalLocal: spec.externalTrafficPolicy === 'Local' && (nodePorts || (spec.externalIPs ?? []).length > 0),
      endpoints: endpointsFor(slices, portName, protocol),
    });
  }
  return out;
}

/** The endpoints of one port across the Service's IPv4 slices, one per IP (the first slice naming it wins). */
function endpointsFor(slices: EndpointSlice[], portName: string, protocol: L4Proto): ProxyEndpoint[] {
  const seen = new Map<string, ProxyEndpoint>();
  for (const s of slices) {
    if (s.addressType !== 'IPv4') continue;
    const port = (s.ports ?? []).find((p) => (p.name ?? '') === portName && (p.protocol ?? 'TCP').toLowerCase() === protocol);
    if (!port?.port) continue;
    for (const e of s.endpoints ?? []) {
      const ip = e.addresses?.[0];
      if (!isIPv4(ip) || seen.has(ip)) continue;
      // upstream: a nil ready is ready; a nil serving follows ready; a nil terminating is false
      const ready = e.conditions?.ready ?? true;
      seen.set(ip, {
        ip,
        port: port.port,
        ready,
        serving: e.conditions?.serving ?? ready,
        terminating: e.conditions?.terminating ?? false,
        nodeName: e.nodeName,
      });
    }
  }
  return [...seen.values()].sort((a, b) => (a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : 0));
}

/** Ready endpoints; when none is ready, the serving-and-terminating ones (graceful termination). */
export function usable(eps: ProxyEndpoint[]): ProxyEndpoint[] {
  const ready = eps.filter((e) => e.ready);
  return ready.length > 0 ? ready : eps.filter((e) => e.serving && e.terminating);
}

export interface CategorizedEndpoints {
  /** What ClusterIP traffic uses (internalTrafficPolicy). */
  internal: ProxyEndpoint[];
  /** What NodePort / external IP traffic uses (externalTrafficPolicy). */
  external: ProxyEndpoint[];
  /** Every endpoint of the cluster the policies would use under Cluster. */
  cluster: ProxyEndpoint[];
  /** Any endpoint at all (ready or not): "no endpoints" rejects, "no local endpoints" drops. */
  any: boolean;
}

export function categorize(sp: ServicePortInfo, nodeName: string): CategorizedEndpoints {
  const cluster = usable(sp.endpoints);
  const local = usable(sp.endpoints.filter((e) => e.nodeName === nodeName));
  return { cluster, internal: sp.internalLocal ? local : cluster, external: sp.externalLocal ? local : cluster, any: cluster.length > 0 };
}
