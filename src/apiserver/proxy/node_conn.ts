// How the API server reaches a node's kubelet endpoint (upstream's NodeConnectionInfoGetter): the
// preferred node address and the port from status.daemonEndpoints.kubeletEndpoint.
import { internalError } from '../../api/errors.js';
import type { Node } from '../../api/core/v1/types.js';

export const DEFAULT_KUBELET_PORT = 10250;
export const PREFERRED_ADDRESS_TYPES = ['InternalIP', 'InternalDNS', 'ExternalIP', 'ExternalDNS', 'Hostname'];

export interface NodeConnectionInfo {
  scheme: 'http' | 'https';
  host: string;
  port: number;
}

export function nodeConnectionInfo(node: Node, scheme: 'http' | 'https' = 'http', preferred: string[] = PREFERRED_ADDRESS_TYPES): NodeConnectionInfo {
  const addrs = node.status?.addresses ?? [];
  let host: string | undefined;
  for (const t of preferred) {
    host = addrs.find((a) => a.type === t && a.address)?.address;
    if (host) break;
  }
  if (!host) {
    const known = addrs.map((a) => `{${a.type} ${a.address}}`).join(' ');
    throw internalError(`no preferred addresses found; known addresses: [${known}]`);
  }
  const p = node.status?.daemonEndpoints?.kubeletEndpoint?.Port;
  return { scheme, host, port: p && p > 0 ? p : DEFAULT_KUBELET_PORT };
}

/** "host:port" with IPv6 literals bracketed. */
export function joinHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
