// Upgrade-aware proxying of pods/exec, pods/attach and pods/portforward to the node agent (upstream's
// UpgradeAwareHandler): validate the pod and container, forward the client's Upgrade request (WebSocket,
// or SPDY from older kubectl) to the node's /exec|/attach|/portForward endpoint, relay the node's 101
// and then bytes both ways. The node's refusals become Status errors; an unreachable node a quick 503.
import http, { STATUS_CODES, type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';
import { StatusError, badRequest, methodNotAllowed, notFound, serviceUnavailable } from '../../api/errors.js';
import type { Status } from '../../api/types.js';
import type { ResourceDef } from '../registry.js';
import type { RequestInfo } from '../request_info.js';
import { resolveContainer } from './containers.js';
import { joinHostPort, nodeConnectionInfo, PREFERRED_ADDRESS_TYPES } from './node_conn.js';
import type { NodeProxyLookup, NodeProxyOptions } from './types.js';
import { pipeCorked } from './pipe.js';
import { nodeErrorStatus } from './stream.js';

export type NodeUpgradeProxy = (def: ResourceDef, info: RequestInfo, req: IncomingMessage, socket: Duplex, head: Buffer) => Promise<void>;

/** Request headers worth passing to the node on an upgrade. */
const FORWARDED = [
  'upgrade',
  'connection',
  'sec-websocket-key',
  'sec-websocket-version',
  'sec-websocket-protocol',
  'sec-websocket-extensions',
  'x-stream-protocol-version',
  'user-agent',
];
const MAX_ERROR_BODY = 16 * 1024;

/** Write a Status as a complete HTTP response on a not-yet-upgraded socket, then close it. */
export function writeUpgradeError(socket: Duplex, e: unknown): void {
  const st: Status =
    e instanceof StatusError
      ? e.status
      : {
          apiVersion: 'v1',
          kind: 'Status',
          metadata: {},
          status: 'Failure',
          message: e instanceof Error ? e.message : String(e),
          reason: 'InternalError',
          code: 500,
        };
  const body = JSON.stringify(st);
  if (socket.writable) {
    socket.end(
      `HTTP/1.1 ${st.code} ${STATUS_CODES[st.code] ?? 'Error'}\r\nContent-Type: application/json\r\nCache-Control: no-cache, private\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  setTimeout(() => socket.destroy(), 1000).unref();
}

/** Upstream's refusal to stream into a pod that has finished. */
export function completedPodMessage(sub: string, phase: string): string {
  const verb = sub === 'attach' ? 'attach to' : sub === 'portforward' ? 'port-forward to' : 'exec into';
  return `cannot ${verb} a container in a completed pod; current phase is ${phase}`;
}

export function createNodeUpgradeProxy(lookup: NodeProxyLookup, opts: NodeProxyOptions = {}): NodeUpgradeProxy {
  const scheme = opts.scheme ?? (opts.tls ? 'https' : 'http');
  const connectTimeoutMs = opts.connectTimeoutMs ?? 5000;
  const preferred = opts.preferredAddressTypes ?? PREFERRED_ADDRESS_TYPES;

  return async (def, info, req, socket, head) => {
    const sub = info.subresource;
    if (def.group !== '' || def.resource !== 'pods' || !info.name || (sub !== 'exec' && sub !== 'attach' && sub !== 'portforward')) {
      throw notFound({ group: def.group, resource: `${def.resource}/${sub ?? ''}` }, info.name ?? '');
    }
    if (req.method !== 'GET' && req.method !== 'POST') throw methodNotAllowed();
    const ns = info.namespace ?? 'default';
    const name = info.name;
    const url = new URL(req.url ?? '/', 'http://localhost');
    const pod = await lookup.getPod(ns, name);
    if (!pod) throw notFound({ group: '', resource: 'pods' }, name);
    let nodePath: string;
    if (sub === 'portforward') {
      nodePath = `/portForward/${encodeURIComponent(ns)}/${encodeURIComponent(name)}`;
    } else {
      const container = resolveContainer(pod, url.searchParams.get('container') || undefined);
      nodePath = `/${sub}/${encodeURIComponent(ns)}/${encodeURIComponent(name)}/${encodeURIComponent(container)}`;
    }
    const phase = pod.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') throw badRequest(completedPodMessage(sub, phase));
    if (!pod.spec?.nodeName) throw badRequest(`pod ${name} does not have a host assigned`);
    const node = await lookup.getNode(pod.spec.nodeName);
    if (!node) throw notFound({ group: '', resource: 'nodes' }, pod.spec.nodeName);
    const c = nodeConnectionInfo(node, scheme, preferred);
    const target = new URL(`${c.scheme}://${joinHostPort(c.host, c.port)}${nodePath}${url.search}`);

    const headers: Record<string, string | string[]> = {};
    for (const h of FORWARDED) {
      const v = req.headers[h];
      if (v !== undefined) headers[h] = v;
    }
    // Several X-Stream-Protocol-Version lines arrive joined; pass each protocol on.
    const xs = req.headersDistinct['x-stream-protocol-version'];
    if (xs) headers['x-stream-protocol-version'] = xs;

    await new Promise<void>((resolve, reject) => {
      let settled = false;
      const settle = (e?: unknown) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (e) reject(e);
        else resolve();
      };
      // in process: plain HTTP over memory (the node authorizes the identity on the connection); else TLS
      const local = opts.connectNode?.(c.host, c.port);
      const upstream = local
        ? http.request(new URL(`http://${target.host}${target.pathname}${target.search}`), {
            method: req.method,
            headers,
            createConnection: () => local as never,
          })
        : c.scheme === 'https'
          ? https.request(target, { method: req.method, headers, agent: false, ...(opts.tls ?? {}) })
          : http.request(target, { method: req.method, headers, agent: false });
      const timer = setTimeout(() => {
        upstream.destroy();
        settle(serviceUnavailable(`error dialing backend: dial tcp ${c.host}:${c.port}: i/o timeout`));
      }, connectTimeoutMs);
      socket.once('close', () => {
        if (!settled) {
          upstream.destroy();
          settle();
        }
      });
      upstream.on('error', (e: NodeJS.ErrnoException) => {
        const why = e.code === 'ECONNREFUSED' ? 'connect: connection refused' : e.code === 'EHOSTUNREACH' ? 'connect: no route to host' : e.message;
        settle(serviceUnavailable(`error dialing backend: dial tcp ${c.host}:${c.port}: ${why}`));
      });
      upstream.on('response', (res) => {
        const chunks: Buffer[] = [];
        let n = 0;
        res.on('data', (d: Buffer) => {
          if (n < MAX_ERROR_BODY) chunks.push(d);
          n += d.length;
        });
        res.on('end', () =>
          settle(
            nodeErrorStatus(res.statusCode ?? 500, Buffer.concat(chunks).toString('utf8').slice(0, MAX_ERROR_BODY), { qualifiedResource: `pods/${sub}`, name }),
          ),
        );
        res.on('error', () => settle(serviceUnavailable('the node agent closed the connection')));
      });
      upstream.on('upgrade', (res, up: Duplex, upHead: Buffer) => {
        if (settled) return up.destroy();
        settled = true;
        clearTimeout(timer);
        let head101 = `HTTP/1.1 101 ${res.statusMessage || 'Switching Protocols'}\r\n`;
        for (let i = 0; i < res.rawHeaders.length; i += 2) head101 += `${res.rawHeaders[i]}: ${res.rawHeaders[i + 1]}\r\n`;
        socket.write(head101 + '\r\n');
        if (upHead.length) socket.write(upHead);
        if (head.length) up.write(head);
        const s = socket as Duplex & { setNoDelay?: (b: boolean) => void };
        s.setNoDelay?.(true);
        (up as Duplex & { setNoDelay?: (b: boolean) => void }).setNoDelay?.(true);
        pipeCorked(socket, up);
        pipeCorked(up, socket);
        const closeBoth = () => {
          socket.destroy();
          up.destroy();
          resolve();
        };
        socket.on('error', closeBoth);
        up.on('error', closeBoth);
        socket.on('close', closeBoth);
        up.on('close', closeBoth);
      });
      upstream.end();
    });
  };
}
