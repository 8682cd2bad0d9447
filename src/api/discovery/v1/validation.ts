// EndpointSlice validation (upstream ValidateEndpointSlice): addressType, addresses of that type, at most 1000
// endpoints and 100 ports, unique port names, hostnames as DNS labels, and an immutable addressType.
import { fieldErr } from '../../errors.js';
import { isDNS1123Label, isDNS1123Subdomain, isValidPortNum, nameIsDNSSubdomain } from '../../names.js';
import { isValidIP, moreFieldErr, type Causes } from '../../validation/field.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../../validation/object_meta.js';
import type { EndpointSlice } from './types.js';

const ADDRESS_TYPES = ['IPv4', 'IPv6', 'FQDN'];
const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];
const MAX_ENDPOINTS = 1000;
const MAX_PORTS = 100;
const MAX_ADDRESSES = 100;

function addressErrors(type: string, a: unknown, field: string): Causes {
  if (typeof a !== 'string') return [fieldErr.invalid(field, a, 'must be a string')];
  if (type === 'FQDN') return isDNS1123Subdomain(a).map((m) => fieldErr.invalid(field, a, m));
  const ok = isValidIP(a) && (type === 'IPv6') === a.includes(':');
  return ok ? [] : [fieldErr.invalid(field, a, `must be a valid ${type} address`)];
}

export function validateEndpointSlice(s: EndpointSlice): Causes {
  const out = validateObjectMeta(s.metadata, true, nameIsDNSSubdomain);
  if (!s.addressType) out.push(fieldErr.required('addressType'));
  else if (!ADDRESS_TYPES.includes(s.addressType)) out.push(fieldErr.notSupported('addressType', s.addressType, ADDRESS_TYPES));
  const eps = Array.isArray(s.endpoints) ? s.endpoints : [];
  if (!Array.isArray(s.endpoints)) out.push(fieldErr.required('endpoints'));
  if (eps.length > MAX_ENDPOINTS) out.push(moreFieldErr.tooMany('endpoints', eps.length, MAX_ENDPOINTS));
  eps.forEach((e, i) => {
    const at = `endpoints[${i}]`;
    const addrs = Array.isArray(e?.addresses) ? e.addresses : [];
    if (addrs.length === 0) out.push(fieldErr.required(`${at}.addresses`, 'must contain at least 1 address'));
    if (addrs.length > MAX_ADDRESSES) out.push(moreFieldErr.tooMany(`${at}.addresses`, addrs.length, MAX_ADDRESSES));
    addrs.forEach((a, j) => out.push(...addressErrors(s.addressType, a, `${at}.addresses[${j}]`)));
    if (e?.hostname) for (const m of isDNS1123Label(e.hostname)) out.push(fieldErr.invalid(`${at}.hostname`, e.hostname, m));
    if (e?.nodeName) for (const m of isDNS1123Subdomain(e.nodeName)) out.push(fieldErr.invalid(`${at}.nodeName`, e.nodeName, m));
  });
  const ports = Array.isArray(s.ports) ? s.ports : [];
  if (ports.length > MAX_PORTS) out.push(moreFieldErr.tooMany('ports', ports.length, MAX_PORTS));
  const names = new Set<string>();
  ports.forEach((p, i) => {
    const at = `ports[${i}]`;
    const name = p?.name ?? '';
    if (name) for (const m of isDNS1123Label(name)) out.push(fieldErr.invalid(`${at}.name`, name, m));
    if (names.has(name)) out.push(fieldErr.duplicate(`${at}.name`, name));
    names.add(name);
    if (p?.port !== undefined && p.port !== null) for (const m of isValidPortNum(p.port)) out.push(fieldErr.invalid(`${at}.port`, p.port, m));
    if (p?.protocol && !PROTOCOLS.includes(p.protocol)) out.push(fieldErr.notSupported(`${at}.protocol`, p.protocol, PROTOCOLS));
  });
  return out;
}

export function validateEndpointSliceUpdate(s: EndpointSlice, old: EndpointSlice): Causes {
  const out = validateObjectMetaUpdate(s.metadata, old.metadata);
  if (s.addressType !== old.addressType) out.push(fieldErr.invalid('addressType', s.addressType, 'field is immutable'));
  out.push(...validateEndpointSlice(s).filter((c) => !c.field?.startsWith('metadata.')));
  return out;
}

export function setDefaultsEndpointSlice(s: EndpointSlice): void {
  for (const p of s.ports ?? []) if (p && typeof p === 'object') p.protocol ??= 'TCP';
  for (const e of s.endpoints ?? []) if (e && typeof e === 'object') e.conditions ??= {};
}
