// The API server's nodeProxy service: pods/log streamed from the node's /containerLogs endpoint;
// plain (non-upgrade) pods/exec, attach and portforward requests validated and answered 400 "Upgrade
// request required" like upstream (upgrade requests are proxied by upgrade.ts).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { badRequest, methodNotAllowed, notFound } from '../../api/errors.js';
import type { Pod } from '../../api/core/v1/types.js';
import type { ResourceDef } from '../registry.js';
import type { RequestInfo } from '../request_info.js';
import { containerLogStatusError, resolveContainer } from './containers.js';
import { joinHostPort, nodeConnectionInfo, PREFERRED_ADDRESS_TYPES } from './node_conn.js';
import { containerLogsQuery, parsePodLogOptions } from './pod_log_options.js';
import { streamFromNode } from './stream.js';
import type { NodeProxyLookup, NodeProxyOptions } from './types.js';
import { completedPodMessage } from './upgrade.js';

export type { NodeProxyLookup, NodeProxyOptions } from './types.js';

export type NodeProxy = (def: ResourceDef, info: RequestInfo, req: IncomingMessage, res: ServerResponse) => Promise<void>;

export function createNodeProxy(lookup: NodeProxyLookup, opts: NodeProxyOptions = {}): NodeProxy {
  const scheme = opts.scheme ?? (opts.tls ? 'https' : 'http');
  const connectTimeoutMs = opts.connectTimeoutMs ?? 5000;
  const preferred = opts.preferredAddressTypes ?? PREFERRED_ADDRESS_TYPES;

  const getPod = async (ns: string, name: string): Promise<Pod> => {
    const p = await lookup.getPod(ns, name);
    if (!p) throw notFound({ group: '', resource: 'pods' }, name);
    return p;
  };
  const nodeBase = async (nodeName: string): Promise<URL> => {
    const node = await lookup.getNode(nodeName);
    if (!node) throw notFound({ group: '', resource: 'nodes' }, nodeName);
    const c = nodeConnectionInfo(node, scheme, preferred);
    return new URL(`${c.scheme}://${joinHostPort(c.host, c.port)}/`);
  };

  async function podLog(info: RequestInfo, req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'GET') throw methodNotAllowed();
    const ns = info.namespace ?? 'default';
    const name = info.name ?? '';
    const query = new URL(req.url ?? '/', 'http://localhost').searchParams;
    const o = parsePodLogOptions(query, name);
    const pod = await getPod(ns, name);
    const container = resolveContainer(pod, o.container);
    if (!pod.spec?.nodeName) {
      // Upstream: a pod without a host has no logs yet; the answer is an empty stream.
      res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': 0 });
      res.end();
      return;
    }
    const waiting = containerLogStatusError(pod, container, o.previous);
    if (waiting) throw badRequest(waiting);
    const url = new URL(
      `/containerLogs/${encodeURIComponent(ns)}/${encodeURIComponent(name)}/${encodeURIComponent(container)}`,
      await nodeBase(pod.spec.nodeName),
    );
    url.search = containerLogsQuery(o).toString();
    await streamFromNode(url, req, res, { qualifiedResource: 'pods/log', name, connectTimeoutMs, contentType: 'text/plain', tls: opts.tls });
  }

  /**
   * exec/attach/portforward without an Upgrade header (those go to the upgrade proxy): the checks
   * upstream makes before streaming, then its answer, 400 "Upgrade request required".
   */
  async function podStream(info: RequestInfo, req: IncomingMessage): Promise<void> {
    const sub = info.subresource!;
    if (req.method !== 'GET' && req.method !== 'POST') throw methodNotAllowed();
    const ns = info.namespace ?? 'default';
    const name = info.name ?? '';
    const query = new URL(req.url ?? '/', 'http://localhost').searchParams;
    const pod = await getPod(ns, name);
    if (sub === 'exec' || sub === 'attach') resolveContainer(pod, query.get('container') || undefined);
    const phase = pod.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') throw badRequest(completedPodMessage(sub, phase));
    if (!pod.spec?.nodeName) throw badRequest(`pod ${name} does not have a host assigned`);
    await nodeBase(pod.spec.nodeName);
    throw badRequest('Upgrade request required');
  }

  return async (def, info, req, res) => {
    if (def.group !== '' || def.resource !== 'pods' || !info.name) {
      throw notFound({ group: def.group, resource: `${def.resource}/${info.subresource ?? ''}` }, info.name ?? '');
    }
    switch (info.subresource) {
      case 'log':
        return podLog(info, req, res);
      case 'exec':
      case 'attach':
      case 'portforward':
        return podStream(info, req);
      default:
        throw notFound({ group: '', resource: `pods/${info.subresource ?? ''}` }, info.name);
    }
  };
}
