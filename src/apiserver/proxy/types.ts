// What the node proxies (node_proxy.ts for plain requests, upgrade.ts for streams) are given: how to read pods and
// nodes, and how to reach a node.
import type { Duplex } from 'node:stream';
import type { Node, Pod } from '../../api/core/v1/types.js';

/** Reads the API server's own objects; each may return undefined or throw a NotFound StatusError. */
export interface NodeProxyLookup {
  getPod(namespace: string, name: string): Promise<Pod | undefined>;
  getNode(name: string): Promise<Node | undefined>;
}

/** The API server's side of TLS to the nodes: its kubelet client certificate, and the CA of their serving certificates. */
export interface NodeClientTLS {
  ca: string;
  cert: string;
  key: string;
}

export interface NodeProxyOptions {
  /** Scheme of the kubelet endpoints (default: https when `tls` is given, else http). */
  scheme?: 'http' | 'https';
  tls?: NodeClientTLS;
  /** Time to connect to the node and get its response headers. */
  connectTimeoutMs?: number;
  preferredAddressTypes?: string[];
  /**
   * An in-process connection to the node's server at host:port (a node agent sharing this process, which
   * authorizes the identity the connection carries), or undefined to dial TCP. Used for upgrade
   * (exec/attach/portforward) streams.
   */
  connectNode?: (host: string, port: number) => Duplex | undefined;
}
