// Service and Endpoints defaulting (upstream SetDefaults_Service / SetDefaults_Endpoints, plus the defaults the
// service registry fills: clusterIPs mirrors clusterIP, internalTrafficPolicy, externalTrafficPolicy).
import type { Endpoints, Service } from './service_types.js';

/** Upstream DefaultClientIPServiceAffinitySeconds (3 hours). */
export const DEFAULT_CLIENT_IP_AFFINITY_SECONDS = 10800;

export function setDefaultsService(svc: Service): void {
  const spec = (svc.spec ??= {});
  spec.type ??= 'ClusterIP';
  spec.sessionAffinity ??= 'None';
  if (spec.sessionAffinity === 'ClientIP') {
    const clientIP = ((spec.sessionAffinityConfig ??= {}).clientIP ??= {});
    clientIP.timeoutSeconds ??= DEFAULT_CLIENT_IP_AFFINITY_SECONDS;
  }
  for (const p of spec.ports ?? []) {
    if (!p || typeof p !== 'object') continue;
    p.protocol ??= 'TCP';
    if (p.targetPort === undefined || p.targetPort === 0 || p.targetPort === '') p.targetPort = p.port;
  }
  if (spec.type !== 'ExternalName') spec.internalTrafficPolicy ??= 'Cluster';
  if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') spec.externalTrafficPolicy ??= 'Cluster';
  if (spec.type === 'LoadBalancer') spec.allocateLoadBalancerNodePorts ??= true;
  // clusterIP and clusterIPs[0] are one field seen twice
  if (spec.clusterIP && !spec.clusterIPs?.length) spec.clusterIPs = [spec.clusterIP];
  else if (!spec.clusterIP && spec.clusterIPs?.length) spec.clusterIP = spec.clusterIPs[0];
  svc.status ??= { loadBalancer: {} };
}

export function setDefaultsEndpoints(ep: Endpoints): void {
  for (const s of ep.subsets ?? []) for (const p of s?.ports ?? []) if (p && typeof p === 'object') p.protocol ??= 'TCP';
}
