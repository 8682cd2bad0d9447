// Service and Endpoints validation (upstream ValidateService / ValidateServiceUpdate / ValidateEndpoints): ports
// (names, numbers, protocols, duplicates), type-specific fields, selector labels, session affinity, traffic
// policies, single-stack IPv4 families, and clusterIP immutability.
import { fieldErr } from '../../../errors.js';
import { isDNS1123Label, isDNS1123Subdomain, isValidPortName, isValidPortNum, nameIsDNS1035Label, nameIsDNSSubdomain } from '../../../names.js';
import { isValidIP, validateLabels, type Causes } from '../../../validation/field.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../../../validation/object_meta.js';
import type { Endpoints, Service, ServicePort } from '../service_types.js';

const TYPES = ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'];
const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];
const MAX_CLIENT_IP_TIMEOUT = 86400;

const isHeadless = (svc: Service) => svc.spec?.clusterIP === 'None';

function validatePortNumOrName(v: unknown, field: string): Causes {
  if (typeof v === 'number') return isValidPortNum(v).map((m) => fieldErr.invalid(field, v, m));
  if (typeof v === 'string') {
    if (/^\d+$/.test(v)) return isValidPortNum(Number(v)).map((m) => fieldErr.invalid(field, v, m));
    return isValidPortName(v).map((m) => fieldErr.invalid(field, v, m));
  }
  return [fieldErr.invalid(field, v, 'must be an integer or a port name')];
}

function validateServicePort(p: ServicePort, requireName: boolean, names: Set<string>, at: string): Causes {
  const out: Causes = [];
  if (!p || typeof p !== 'object') return [fieldErr.required(at)];
  if (requireName && !p.name) out.push(fieldErr.required(`${at}.name`));
  else if (p.name) {
    for (const m of isDNS1123Label(p.name)) out.push(fieldErr.invalid(`${at}.name`, p.name, m));
    if (names.has(p.name)) out.push(fieldErr.duplicate(`${at}.name`, p.name));
    names.add(p.name);
  }
  for (const m of isValidPortNum(p.port)) out.push(fieldErr.invalid(`${at}.port`, p.port, m));
  if (!p.protocol) out.push(fieldErr.required(`${at}.protocol`));
  else if (!PROTOCOLS.includes(p.protocol)) out.push(fieldErr.notSupported(`${at}.protocol`, p.protocol, PROTOCOLS));
  out.push(...validatePortNumOrName(p.targetPort, `${at}.targetPort`));
  if (p.nodePort !== undefined && p.nodePort !== 0) for (const m of isValidPortNum(p.nodePort)) out.push(fieldErr.invalid(`${at}.nodePort`, p.nodePort, m));
  return out;
}

export function validateService(svc: Service): Causes {
  const out = validateObjectMeta(svc.metadata, true, nameIsDNS1035Label);
  const spec = svc.spec ?? {};
  const type = spec.type ?? 'ClusterIP';
  if (!TYPES.includes(type)) out.push(fieldErr.notSupported('spec.type', type, TYPES));
  const ports = spec.ports ?? [];
  if (!Array.isArray(ports)) return [...out, fieldErr.invalid('spec.ports', ports, 'must be a list')];
  if (ports.length === 0 && !isHeadless(svc) && type !== 'ExternalName') out.push(fieldErr.required('spec.ports'));
  const names = new Set<string>();
  const seen = new Set<string>();
  const nodePorts = new Set<string>();
  ports.forEach((p, i) => {
    const at = `spec.ports[${i}]`;
    out.push(...validateServicePort(p, ports.length > 1, names, at));
    if (!p || typeof p !== 'object') return;
    const key = `${p.port}/${p.protocol}`;
    if (seen.has(key)) out.push(fieldErr.duplicate(at, { port: p.port, protocol: p.protocol }));
    seen.add(key);
    if (p.nodePort) {
      if (type === 'ClusterIP') out.push(fieldErr.forbidden(`${at}.nodePort`, "may not be used when `type` is 'ClusterIP'"));
      const nk = `${p.nodePort}/${p.protocol}`;
      if (nodePorts.has(nk)) out.push(fieldErr.duplicate(`${at}.nodePort`, p.nodePort));
      nodePorts.add(nk);
    }
  });
  out.push(...validateLabels(spec.selector, 'spec.selector'));

  const affinity = spec.sessionAffinity ?? 'None';
  if (!['None', 'ClientIP'].includes(affinity)) out.push(fieldErr.notSupported('spec.sessionAffinity', affinity, ['ClientIP', 'None']));
  if (affinity === 'ClientIP') {
    const t = spec.sessionAffinityConfig?.clientIP?.timeoutSeconds;
    if (t !== undefined && !(Number.isInteger(t) && t > 0 && t <= MAX_CLIENT_IP_TIMEOUT)) {
      out.push(fieldErr.invalid('spec.sessionAffinityConfig.clientIP.timeoutSeconds', t, `must be greater than 0 and less than ${MAX_CLIENT_IP_TIMEOUT}`));
    }
  } else if (spec.sessionAffinityConfig) {
    out.push(fieldErr.forbidden('spec.sessionAffinityConfig', `must not be set when session affinity is ${affinity}`));
  }

  if (type === 'ExternalName') {
    if (spec.clusterIP) out.push(fieldErr.forbidden('spec.clusterIP', 'may not be set for ExternalName services'));
    if (!spec.externalName) out.push(fieldErr.required('spec.externalName'));
    else {
      const name = spec.externalName.endsWith('.') ? spec.externalName.slice(0, -1) : spec.externalName;
      for (const m of isDNS1123Subdomain(name)) out.push(fieldErr.invalid('spec.externalName', spec.externalName, m));
    }
  } else if (spec.clusterIP) {
    if (spec.clusterIP === 'None') {
      if (type === 'NodePort' || type === 'LoadBalancer') out.push(fieldErr.invalid('spec.clusterIP', 'None', `may not be set to 'None' for ${type} services`));
    } else if (!isValidIP(spec.clusterIP)) {
      out.push(fieldErr.invalid('spec.clusterIP', spec.clusterIP, "must be empty, 'None', or a valid IP address"));
    } else if (spec.clusterIP.includes(':')) {
      out.push(fieldErr.invalid('spec.clusterIPs[0]', spec.clusterIP, 'IPv6 is not configured on this cluster'));
    }
  }
  if (spec.clusterIPs?.length) {
    if (spec.clusterIP && spec.clusterIPs[0] !== spec.clusterIP)
      out.push(fieldErr.invalid('spec.clusterIPs', spec.clusterIPs, 'first value must match `clusterIP`'));
    if (spec.clusterIPs.length > 1) out.push(fieldErr.invalid('spec.clusterIPs', spec.clusterIPs, 'this cluster is not configured for dual-stack services'));
  }
  (spec.externalIPs ?? []).forEach((ip, i) => {
    if (!isValidIP(ip)) out.push(fieldErr.invalid(`spec.externalIPs[${i}]`, ip, 'must be a valid IP address'));
  });
  if (spec.externalTrafficPolicy !== undefined) {
    if (type !== 'NodePort' && type !== 'LoadBalancer') {
      out.push(fieldErr.invalid('spec.externalTrafficPolicy', spec.externalTrafficPolicy, "may only be set when `type` is 'NodePort' or 'LoadBalancer'"));
    } else if (!['Cluster', 'Local'].includes(spec.externalTrafficPolicy)) {
      out.push(fieldErr.notSupported('spec.externalTrafficPolicy', spec.externalTrafficPolicy, ['Cluster', 'Local']));
    }
  }
  if (spec.internalTrafficPolicy !== undefined && !['Cluster', 'Local'].includes(spec.internalTrafficPolicy)) {
    out.push(fieldErr.notSupported('spec.internalTrafficPolicy', spec.internalTrafficPolicy, ['Cluster', 'Local']));
  }
  (spec.ipFamilies ?? []).forEach((f, i) => {
    if (f === 'IPv6') out.push(fieldErr.invalid(`spec.ipFamilies[${i}]`, f, 'not configured on this cluster'));
    else if (f !== 'IPv4') out.push(fieldErr.notSupported(`spec.ipFamilies[${i}]`, f, ['IPv4', 'IPv6']));
  });
  if (spec.ipFamilyPolicy === 'RequireDualStack')
    out.push(fieldErr.invalid('spec.ipFamilyPolicy', spec.ipFamilyPolicy, 'this cluster is not configured for dual-stack services'));
  else if (spec.ipFamilyPolicy !== undefined && !['SingleStack', 'PreferDualStack'].includes(spec.ipFamilyPolicy)) {
    out.push(fieldErr.notSupported('spec.ipFamilyPolicy', spec.ipFamilyPolicy, ['SingleStack', 'PreferDualStack', 'RequireDualStack']));
  }
  return out;
}

export function validateServiceUpdate(svc: Service, old: Service): Causes {
  const out = validateObjectMetaUpdate(svc.metadata, old.metadata);
  const was = old.spec ?? {};
  const now = svc.spec ?? {};
  // a ClusterIP may not change, except when the Service moves to or from ExternalName
  if (was.type !== 'ExternalName' && now.type !== 'ExternalName' && was.clusterIP && now.clusterIP !== was.clusterIP) {
    out.push(fieldErr.invalid('spec.clusterIPs[0]', now.clusterIP ?? '', 'may not change once set'));
  }
  out.push(...validateService(svc).filter((c) => !c.field?.startsWith('metadata.')));
  return out;
}

export function validateEndpoints(ep: Endpoints): Causes {
  const out = validateObjectMeta(ep.metadata, true, nameIsDNSSubdomain);
  (ep.subsets ?? []).forEach((s, i) => {
    const at = `subsets[${i}]`;
    const addrs = [
      ...(s.addresses ?? []).map((a, j) => [a, `${at}.addresses[${j}]`] as const),
      ...(s.notReadyAddresses ?? []).map((a, j) => [a, `${at}.notReadyAddresses[${j}]`] as const),
    ];
    for (const [a, p] of addrs) {
      if (!isValidIP(a?.ip)) out.push(fieldErr.invalid(`${p}.ip`, a?.ip, 'must be a valid IP address'));
      if (a?.hostname) for (const m of isDNS1123Label(a.hostname)) out.push(fieldErr.invalid(`${p}.hostname`, a.hostname, m));
    }
    (s.ports ?? []).forEach((port, j) => {
      const pp = `${at}.ports[${j}]`;
      if ((s.ports ?? []).length > 1 && !port.name) out.push(fieldErr.required(`${pp}.name`));
      if (port.name) for (const m of isDNS1123Label(port.name)) out.push(fieldErr.invalid(`${pp}.name`, port.name, m));
      for (const m of isValidPortNum(port.port)) out.push(fieldErr.invalid(`${pp}.port`, port.port, m));
      if (port.protocol && !PROTOCOLS.includes(port.protocol)) out.push(fieldErr.notSupported(`${pp}.protocol`, port.protocol, PROTOCOLS));
    });
  });
  return out;
}

export function validateEndpointsUpdate(ep: Endpoints, old: Endpoints): Causes {
  return [...validateObjectMetaUpdate(ep.metadata, old.metadata), ...validateEndpoints(ep).filter((c) => !c.field?.startsWith('metadata.'))];
}
