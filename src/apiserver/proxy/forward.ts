// Relays one proxy request (pods/proxy, services/proxy, nodes/proxy) to its target, as upstream's
// UpgradeAwareHandler with its rewriting transport does: request headers minus hop-by-hop ones plus
// X-Forwarded-*, the answer streamed back with redirects and HTML links pointed under the proxy path, and
// upgrade requests (WebSocket) relayed byte for byte once the target switches protocols.
import http, { type IncomingHttpHeaders, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { serviceUnavailable } from '../../api/errors.js';
import { pipeCorked } from './pipe.js';

export interface ForwardOptions {
  /** The request's path up to and including the `proxy` segment: what rewritten links start with. */
  prefix: string;
  /** Client certificate (and CA) for a node agent target; other https targets are not verified, as upstream. */
  kubeletTLS?: { ca: string; cert: string; key: string };
  /** An in-process connection to the target (the node agent sharing this process). */
  connect?: () => Duplex | undefined;
  connectTimeoutMs: number;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'host']);
/** HTML bodies larger than this are passed through without link rewriting. */
const MAX_REWRITE_BYTES = 8 * 1024 * 1024;
const LINK_ATTRS = 'href|src|action|formaction|cite|background|codebase|data|longdesc|poster|usemap|manifest|icon|profile|classid';
const LINK_RE = new RegExp(`(<[a-zA-Z][^>]*?\\s(?:${LINK_ATTRS})\\s*=\\s*)(["'])([^"']*)\\2`, 'g');

function requestHeaders(req: IncomingMessage, target: URL, prefix: string, path: string, upgrade: boolean): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [k, v] of Object.entries(req.headers as IncomingHttpHeaders)) {
    if (v === undefined || k.startsWith('impersonate-')) continue;
    if (HOP_BY_HOP.has(k) && !(upgrade && (k === 'connection' || k === 'upgrade'))) continue;
    out[k] = v;
  }
  out.host = target.host;
  const client = req.socket.remoteAddress ?? '';
  const prior = req.headers['x-forwarded-for'];
  out['x-forwarded-for'] = prior ? `${String(prior)}, ${client}` : client;
  out['x-forwarded-host'] = req.headers.host ?? '';
  out['x-forwarded-proto'] = 'https';
  out['x-forwarded-uri'] = prefix + path;
  return out;
}

/** A link of the target's (absolute path, or absolute URL on the target's host) as seen through the proxy. */
export function rewriteLink(link: string, prefix: string, targetHost: string): string {
  if (link.startsWith('//')) return link;
  if (link.startsWith('/')) return prefix + link;
  try {
    const u = new URL(link);
    if ((u.protocol === 'http:' || u.protocol === 'https:') && u.host === targetHost) return prefix + u.pathname + u.search + u.hash;
  } catch {
    // relative link: resolves under the proxy path already
  }
  return link;
}

export function rewriteHTML(html: string, prefix: string, targetHost: string): string {
  return html.replace(LINK_RE, (_m, start: string, q: string, link: string) => `${start}${q}${rewriteLink(link, prefix, targetHost)}${q}`);
}

function dialStatus(target: URL, e: NodeJS.ErrnoException) {
  const hp = `${target.hostname}:${target.port || (target.protocol === 'https:' ? 443 : 80)}`;
  const why =
    e.code === 'ECONNREFUSED'
      ? 'connect: connection refused'
      : e.code === 'EHOSTUNREACH'
        ? 'connect: no route to host'
        : e.code === 'ETIMEDOUT'
          ? 'i/o timeout'
          : e.message;
  return serviceUnavailable(`error trying to reach service: dial tcp ${hp}: ${why}`);
}

function startRequest(target: URL, method: string, headers: OutgoingHttpHeaders, o: ForwardOptions): http.ClientRequest {
  const local = o.connect?.();
  if (local)
    return http.request({
      host: target.hostname,
      port: target.port,
      path: target.pathname + target.search,
      method,
      headers,
      createConnection: () => local as never,
    });
  if (target.protocol === 'https:') {
    const tls = o.kubeletTLS ? { ...o.kubeletTLS } : { rejectUnauthorized: false };
    return https.request(target, { method, headers, agent: false, ...tls });
  }
  return http.request(target, { method, headers, agent: false });
}

/** Answer headers for the client: hop-by-hop ones dropped, a redirect on the target pointed under the proxy. */
function responseHeaders(up: IncomingMessage, prefix: string, targetHost: string, rewriting: boolean): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [k, v] of Object.entries(up.headers)) {
    if (v === undefined || HOP_BY_HOP.has(k)) continue;
    if (rewriting && (k === 'content-length' || k === 'content-encoding')) continue;
    out[k] = v;
  }
  const loc = up.headers.location;
  if (loc && (up.statusCode ?? 0) >= 300 && (up.statusCode ?? 0) < 400) out.location = rewriteLink(loc, prefix, targetHost);
  return out;
}

/** Proxy a plain request to `target` (its path and query already set). Rejects with a Status before answering. */
export function forwardRequest(req: IncomingMessage, res: ServerResponse, target: URL, o: ForwardOptions): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let answered = false;
    const up = startRequest(target, req.method ?? 'GET', requestHeaders(req, target, o.prefix, target.pathname, false), o);
    const timer = setTimeout(() => up.destroy(Object.assign(new Error('i/o timeout'), { code: 'ETIMEDOUT' })), o.connectTimeoutMs);
    up.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (!answered) reject(dialStatus(target, e));
      else res.destroy();
    });
    res.on('close', () => {
      if (!res.writableFinished) up.destroy();
    });
    up.on('response', (ur) => {
      clearTimeout(timer);
      answered = true;
      const type = String(ur.headers['content-type'] ?? '');
      const enc = String(ur.headers['content-encoding'] ?? 'identity');
      const length = Number(ur.headers['content-length'] ?? 0);
      const rewriting = type.startsWith('text/html') && (enc === 'identity' || enc === 'gzip') && length <= MAX_REWRITE_BYTES && req.method !== 'HEAD';
      res.writeHead(ur.statusCode ?? 502, responseHeaders(ur, o.prefix, target.host, rewriting));
      ur.on('error', () => res.destroy());
      if (!rewriting) {
        ur.pipe(res);
        ur.on('end', () => resolve());
        return;
      }
      const body = enc === 'gzip' ? ur.pipe(createGunzip()) : ur;
      const chunks: Buffer[] = [];
      let n = 0;
      body.on('data', (d: Buffer) => {
        n += d.length;
        if (n > MAX_REWRITE_BYTES) return body.destroy();
        chunks.push(d);
      });
      body.on('error', () => res.destroy());
      body.on('end', () => {
        res.end(rewriteHTML(Buffer.concat(chunks).toString('utf8'), o.prefix, target.host));
        resolve();
      });
    });
    req.pipe(up);
  });
}

/** Proxy an upgrade request (WebSocket) to `target`; the target's refusal is relayed as it answered. */
export function forwardUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, target: URL, o: ForwardOptions): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    const up = startRequest(target, req.method ?? 'GET', requestHeaders(req, target, o.prefix, target.pathname, true), o);
    const timer = setTimeout(() => up.destroy(Object.assign(new Error('i/o timeout'), { code: 'ETIMEDOUT' })), o.connectTimeoutMs);
    const done = (e?: unknown) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (e) reject(e);
      else resolve();
    };
    up.on('error', (e: NodeJS.ErrnoException) => done(dialStatus(target, e)));
    socket.once('close', () => {
      if (!settled) {
        up.destroy();
        done();
      }
    });
    up.on('response', (ur) => {
      // not switched: relay the target's answer as is, then close
      clearTimeout(timer);
      settled = true;
      let headText = `HTTP/1.1 ${ur.statusCode} ${ur.statusMessage ?? ''}\r\n`;
      for (let i = 0; i < ur.rawHeaders.length; i += 2) {
        if (!HOP_BY_HOP.has(ur.rawHeaders[i].toLowerCase())) headText += `${ur.rawHeaders[i]}: ${ur.rawHeaders[i + 1]}\r\n`;
      }
      socket.write(headText + 'Connection: close\r\n\r\n');
      ur.pipe(socket);
      ur.on('end', () => resolve());
      ur.on('error', () => socket.destroy());
    });
    up.on('upgrade', (ur, upSocket: Duplex, upHead: Buffer) => {
      if (settled) return upSocket.destroy();
      settled = true;
      clearTimeout(timer);
      let headText = `HTTP/1.1 101 ${ur.statusMessage || 'Switching Protocols'}\r\n`;
      for (let i = 0; i < ur.rawHeaders.length; i += 2) headText += `${ur.rawHeaders[i]}: ${ur.rawHeaders[i + 1]}\r\n`;
      socket.write(headText + '\r\n');
      if (upHead.length) socket.write(upHead);
      if (head.length) upSocket.write(head);
      pipeCorked(socket, upSocket);
      pipeCorked(upSocket, socket);
      const closeBoth = () => {
        socket.destroy();
        upSocket.destroy();
        resolve();
      };
      for (const s of [socket, upSocket]) {
        s.on('error', closeBoth);
        s.on('close', closeBoth);
      }
    });
    up.end();
  });
}
