// Where pods/proxy, services/proxy and nodes/proxy go (upstream's ResourceLocation of each registry): the
// `[scheme:]name[:port]` id of the URL resolved against the pod's IP and ports, the Service's Endpoints, or
// the node's address and kubelet port.
import { isIP } from 'node:net';
import { badRequest, notFound, serviceUnavailable } from '../../api/errors.js';
import type { Node, Pod } from '../../api/core/v1/types.js';
import type { Endpoints, Service } from '../../api/core/v1/service_types.js';
import { joinHostPort, nodeConnectionInfo, PREFERRED_ADDRESS_TYPES } from './node_conn.js';

export interface SchemeNamePort {
  scheme: '' | 'http' | 'https';
  name: string;
  port: string;
}

/** Upstream's SplitSchemeNamePort: "name", "name:port" or "scheme:name:port", scheme http, https or empty. */
export function splitSchemeNamePort(id: string): SchemeNamePort | undefined {
  const parts = id.split(':');
  let scheme = '';
  let name = '';
  let port = '';
  if (parts.length === 1) name = parts[0];
  else if (parts.length === 2) [name, port] = parts;
  else if (parts.length === 3) [scheme, name, port] = parts;
  else return undefined;
  if (!name || (scheme !== '' && scheme !== 'http' && scheme !== 'https')) return undefined;
  return { scheme: scheme as SchemeNamePort['scheme'], name, port };
}

/** What a proxy request dials: `url` (scheme, host, port; the path is added by the caller). */
export interface ProxyLocation {
  url: URL;
  /** The target is a node agent: dial it with the API server's kubelet client certificate. */
  kubelet?: boolean;
}

export interface ProxyLookup {
  getPod(namespace: string, name: string): Promise<Pod>;
  getService(namespace: string, name: string): Promise<Service>;
  getEndpoints(namespace: string, name: string): Promise<Endpoints | undefined>;
  getNode(name: string): Promise<Node>;
}

/** An address the API server may dial for a pod or endpoint: a unicast IP, not loopback or link-local. */
function proxyableIP(ip: string | undefined): boolean {
  if (!ip || isIP(ip) !== 4) return false;
  const [a, b] = ip.split('.').map(Number);
  return !(a === 0 || a === 127 || (a === 169 && b === 254) || a >= 224);
}

function podURL(scheme: string, ip: string, port: string): URL {
  return new URL(`${scheme || 'http'}://${port ? joinHostPort(ip, Number(port)) : ip}/`);
}

export async function podLocation(lookup: ProxyLookup, namespace: string, id: string): Promise<ProxyLocation> {
  const snp = splitSchemeNamePort(id);
  if (!snp) throw badRequest(`invalid pod request "${id}"`);
  const pod = await lookup.getPod(namespace, snp.name);
  const containers = pod.spec?.containers ?? [];
  let port = snp.port;
  // no port: the first declared container port, as upstream
  if (port === '') port = String(containers.find((c) => c.ports?.length)?.ports?.[0]?.containerPort ?? '');
  else if (!/^\d+$/.test(port)) {
    // a named container port
    const named = containers.flatMap((c) => c.ports ?? []).find((p) => p.name === port);
    if (!named) throw serviceUnavailable(`no port named "${port}" found in pod "${snp.name}"`);
    port = String(named.containerPort);
  }
  const ip = pod.status?.podIP;
  if (!proxyableIP(ip)) throw badRequest('address not allowed');
  return { url: podURL(snp.scheme, ip!, port) };
}

export async function serviceLocation(lookup: ProxyLookup, namespace: string, id: string): Promise<ProxyLocation> {
  const snp = splitSchemeNamePort(id);
  if (!snp) throw badRequest(`invalid service request "${id}"`);
  const svc = await lookup.getService(namespace, snp.name);
  let portName = snp.port;
  // a port number names the Service port with that number
  if (/^\d+$/.test(portName)) {
    const sp = (svc.spec?.ports ?? []).find((p) => p.port === Number(portName));
    if (!sp) throw serviceUnavailable(`no service port ${portName} found for service "${snp.name}"`);
    portName = sp.name ?? '';
  }
  const eps = await lookup.getEndpoints(namespace, snp.name);
  const subsets = eps?.subsets ?? [];
  if (subsets.length === 0) throw serviceUnavailable(`no endpoints available for service "${snp.name}"`);
  const start = Math.floor(Math.random() * subsets.length);
  for (let i = 0; i < subsets.length; i++) {
    const ss = subsets[(start + i) % subsets.length];
    const addrs = ss.addresses ?? [];
    if (addrs.length === 0) continue;
    const port = (ss.ports ?? []).find((p) => (p.name ?? '') === portName);
    if (!port) continue;
    const a0 = Math.floor(Math.random() * addrs.length);
    for (let t = 0; t < addrs.length; t++) {
      const addr = addrs[(a0 + t) % addrs.length];
      // only addresses that are pods with that IP, as upstream
      if (addr.targetRef?.kind !== 'Pod' || !addr.targetRef.name) continue;
      const pod = await lookup.getPod(addr.targetRef.namespace ?? namespace, addr.targetRef.name).catch(() => undefined);
      if (!pod || !(pod.status?.podIPs?.some((p) => p.ip === addr.ip) || pod.status?.podIP === addr.ip)) continue;
      return { url: new URL(`${snp.scheme || 'http'}://${joinHostPort(addr.ip, port.port)}/`) };
    }
  }
  throw serviceUnavailable(`no endpoints available for service "${id}"`);
}

export async function nodeLocation(lookup: ProxyLookup, id: string, kubeletScheme: 'http' | 'https'): Promise<ProxyLocation> {
  const snp = splitSchemeNamePort(id);
  if (!snp) throw badRequest(`invalid node request "${id}"`);
  const node = await lookup.getNode(snp.name).catch((e: unknown) => {
    throw e instanceof Error && 'status' in e ? e : notFound({ group: '', resource: 'nodes' }, snp.name);
  });
  const c = nodeConnectionInfo(node, kubeletScheme, PREFERRED_ADDRESS_TYPES);
  // The kubelet's own port: its transport (the kubelet client certificate). A node on loopback is allowed
  // here (k8ts' single-node default), unlike upstream, since the node endpoint authenticates the API server.
  if (snp.port === '' || Number(snp.port) === c.port) {
    return { url: new URL(`${c.scheme}://${joinHostPort(c.host, c.port)}/`), kubelet: true };
  }
  if (!/^\d+$/.test(snp.port) || Number(snp.port) > 65535) throw badRequest(`invalid node request "${id}"`);
  if (!proxyableIP(c.host)) throw badRequest('address not allowed');
  return { url: new URL(`${snp.scheme || 'http'}://${joinHostPort(c.host, Number(snp.port))}/`) };
}
