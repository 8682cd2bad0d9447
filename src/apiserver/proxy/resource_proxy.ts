// The proxy subresources' service (Services.resourceProxy): pods/proxy, services/proxy and nodes/proxy
// resolved to their target (proxy_location.ts) and relayed (forward.ts), plain requests and upgrades.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { notFound } from '../../api/errors.js';
import type { RequestInfo } from '../request_info.js';
import { forwardRequest, forwardUpgrade, type ForwardOptions } from './forward.js';
import { nodeLocation, podLocation, serviceLocation, type ProxyLocation, type ProxyLookup } from './proxy_location.js';
import type { NodeProxyOptions } from './types.js';

export interface ResourceProxy {
  serve(info: RequestInfo, req: IncomingMessage, res: ServerResponse): Promise<void>;
  upgrade(info: RequestInfo, req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void>;
}

/** The part of the raw URL path after `<resource>/<name>/proxy`, and the path up to it. */
export function splitProxyPath(rawPath: string, resource: string): { prefix: string; path: string } | undefined {
  const segs = rawPath.split('/');
  for (let i = 0; i + 2 < segs.length; i++) {
    if (segs[i] === resource && segs[i + 2] === 'proxy') {
      const prefix = segs.slice(0, i + 3).join('/');
      return { prefix, path: rawPath.slice(prefix.length) };
    }
  }
  return undefined;
}

export function createResourceProxy(lookup: ProxyLookup, nodeOpts: NodeProxyOptions = {}): ResourceProxy {
  const kubeletScheme = nodeOpts.scheme ?? (nodeOpts.tls ? 'https' : 'http');
  const connectTimeoutMs = nodeOpts.connectTimeoutMs ?? 10_000;

  async function locate(info: RequestInfo): Promise<ProxyLocation> {
    const id = info.name ?? '';
    switch (info.resource) {
      case 'pods':
        return podLocation(lookup, info.namespace ?? 'default', id);
      case 'services':
        return serviceLocation(lookup, info.namespace ?? 'default', id);
      case 'nodes':
        return nodeLocation(lookup, id, kubeletScheme);
      default:
        throw notFound({ group: info.group, resource: `${info.resource}/proxy` }, id);
    }
  }

  async function target(info: RequestInfo, req: IncomingMessage): Promise<{ url: URL; opts: ForwardOptions; redirect?: string }> {
    const raw = new URL(req.url ?? '/', 'http://localhost');
    const split = splitProxyPath(raw.pathname, info.resource);
    if (!split) throw notFound({ group: info.group, resource: `${info.resource}/proxy` }, info.name ?? '');
    const loc = await locate(info);
    const url = new URL(loc.url);
    url.pathname = split.path || '/';
    url.search = raw.search;
    const opts: ForwardOptions = {
      prefix: split.prefix,
      connectTimeoutMs,
      kubeletTLS: loc.kubelet ? nodeOpts.tls : undefined,
      connect: loc.kubelet && nodeOpts.connectNode ? () => nodeOpts.connectNode!(loc.url.hostname, Number(loc.url.port)) : undefined,
    };
    // `.../proxy` itself: a GET is sent to `.../proxy/`, so relative links resolve under the proxy
    const redirect = split.path === '' && (req.method === 'GET' || req.method === 'HEAD') ? `${split.prefix}/${raw.search}` : undefined;
    return { url, opts, redirect };
  }

  return {
    async serve(info, req, res) {
      const t = await target(info, req);
      if (t.redirect) {
        res.writeHead(301, { Location: t.redirect, 'Content-Type': 'text/html; charset=utf-8' });
        res.end(`<a href="${t.redirect.replace(/"/g, '&quot;')}">Moved Permanently</a>.\n`);
        return;
      }
      await forwardRequest(req, res, t.url, t.opts);
    },
    async upgrade(info, req, socket, head) {
      const t = await target(info, req);
      await forwardUpgrade(req, socket, head, t.url, t.opts);
    },
  };
}
