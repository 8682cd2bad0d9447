// A small GET on a node agent's endpoint whose whole answer the API server needs (resource stats for the
// metrics API), dialled like the streaming proxies: the node's preferred address and kubelet port, the
// same scheme, a deadline, the node's errors as Status errors.
import http from 'node:http';
import https from 'node:https';
import type { Node } from '../../api/core/v1/types.js';
import { serviceUnavailable } from '../../api/errors.js';
import { joinHostPort, nodeConnectionInfo, PREFERRED_ADDRESS_TYPES } from './node_conn.js';
import { nodeErrorStatus } from './stream.js';
import type { NodeProxyOptions } from './types.js';

const MAX_BODY = 64 * 1024 * 1024;

export type NodeGetter = (node: Node, path: string) => Promise<string>;

export function createNodeGetter(opts: NodeProxyOptions = {}): NodeGetter {
  const scheme = opts.scheme ?? (opts.tls ? 'https' : 'http');
  const timeoutMs = opts.connectTimeoutMs ?? 5000;
  const preferred = opts.preferredAddressTypes ?? PREFERRED_ADDRESS_TYPES;
  return (node, path) => {
    const c = nodeConnectionInfo(node, scheme, preferred);
    const url = new URL(path, `${c.scheme}://${joinHostPort(c.host, c.port)}/`);
    const mod = url.protocol === 'https:' ? https : http;
    return new Promise<string>((resolve, reject) => {
      const req = mod.request(url, {
        method: 'GET',
        headers: { Accept: 'application/json', 'User-Agent': 'k8ts-apiserver' },
        agent: false,
        timeout: timeoutMs,
        // the API server's kubelet client certificate; the node's serving certificate checked against the cluster CA
        ...(url.protocol === 'https:' ? (opts.tls ?? {}) : {}),
      });
      req.on('timeout', () => req.destroy(new Error('i/o timeout')));
      req.on('error', (e) => reject(serviceUnavailable(`Get "${url.toString()}": ${e.message}`)));
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        let n = 0;
        res.on('data', (b: Buffer) => {
          n += b.length;
          if (n > MAX_BODY) req.destroy(new Error('response too large'));
          else chunks.push(b);
        });
        res.on('error', (e) => reject(serviceUnavailable(`Get "${url.toString()}": ${e.message}`)));
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          const code = res.statusCode ?? 500;
          if (code < 200 || code > 299) reject(nodeErrorStatus(code, body, { qualifiedResource: 'nodes/proxy', name: node.metadata.name ?? '' }));
          else resolve(body);
        });
      });
      req.end();
    });
  };
}
