// What the node proxies (node_proxy.ts for plain requests, upgrade.ts for streams) are given: how to read pods and
// nodes, and how to reach a node.
import type { Duplex } from 'node:stream';
import type { Node, Pod } from '../../api/core/v1/types.js';

/** Reads the API server's own objects; each may return undefined or throw a NotFound StatusError. */
export interface NodeProxyLookup {
  getPod(namespace: string, name: string): Promise<Pod | undefined>;
  getNode(name: string): Promise<Node | undefined>;
}

export interface NodeProxyOptions {
  /** Scheme of the kubelet endpoints (ours serve plain HTTP). */
  scheme?: 'http' | 'https';
  /** Time to connect to the node and get its response headers. */
  connectTimeoutMs?: number;
  preferredAddressTypes?: string[];
  /**
   * An in-process connection to the node's server at host:port (a node agent sharing this process), or
   * undefined to dial TCP. Used for upgrade (exec/attach/portforward) streams.
   */
  connectNode?: (host: string, port: number) => Duplex | undefined;
}
