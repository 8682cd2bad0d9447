// One HTTP GET as the kubelet's probes and hooks do it (upstream pkg/probe/http request/client): URL from
// scheme/host/port/path, kube-probe headers, a new connection per request ("Connection: close", closed
// once the body is read), no certificate check, redirect policy, a bounded body read and one deadline over
// the whole exchange. Errors carry Go-like messages.
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import type { HTTPHeader } from '../../api/core/v1/types.js';
import { joinHostPort } from './ports.js';

const REDIRECT_CODES = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 10;

export interface HTTPGetOptions {
  url: URL;
  /** Header pairs in order (repeats allowed); a Host entry overrides the request's Host. */
  headers: [string, string][];
  /** Whole-exchange deadline in ms; 0/undefined = none. */
  timeoutMs?: number;
  /** false (probes): a redirect to another host ends the chain and its 3xx response is returned. */
  followNonLocalRedirects: boolean;
  /** Bytes of body kept (the rest is not read). */
  maxBody: number;
  signal?: AbortSignal;
}

export interface HTTPGetResponse {
  status: number;
  body: string;
  /** The URL that produced this response (after redirects). */
  url: URL;
}

/** scheme://host:port + path (path may carry a query), as upstream's formatURL. */
export function buildURL(scheme: string | undefined, host: string, port: number, path: string | undefined): URL {
  const u = new URL(`${(scheme ?? 'HTTP').toLowerCase()}://${joinHostPort(host, port)}/`);
  let p = path ?? '';
  const hash = p.indexOf('#');
  if (hash >= 0) p = p.slice(0, hash);
  const q = p.indexOf('?');
  if (q >= 0) {
    u.search = p.slice(q + 1);
    p = p.slice(0, q);
  }
  u.pathname = p.startsWith('/') ? p : `/${p}`;
  return u;
}

/** The request headers upstream sends: the user's (canonicalised), User-Agent and Accept defaults. */
export function requestHeaders(userHeaders: HTTPHeader[] | undefined, userAgent: string): [string, string][] {
  const out: [string, string][] = [];
  const seen = new Set<string>();
  for (const h of userHeaders ?? []) {
    const name = canonicalHeader(h.name);
    seen.add(name);
    out.push([name, h.value]);
  }
  if (!seen.has('User-Agent')) out.push(['User-Agent', userAgent]);
  if (!seen.has('Accept')) out.push(['Accept', '*/*']);
  // An explicitly empty Accept/User-Agent means "send none" (upstream deletes it).
  return out.filter(([n, v]) => !((n === 'Accept' || n === 'User-Agent') && v === ''));
}

/** Go's textproto.CanonicalMIMEHeaderKey: "x-my-header" → "X-My-Header". */
export function canonicalHeader(name: string): string {
  return name
    .split('-')
    .map((w) => (w ? w[0]!.toUpperCase() + w.slice(1).toLowerCase() : w))
    .join('-');
}

/** Go-style text of a dial/read error: "dial tcp 10.0.0.1:80: connect: connection refused". */
export function netErrorText(addr: string, e: NodeJS.ErrnoException): string {
  switch (e.code) {
    case 'ECONNREFUSED':
      return `dial tcp ${addr}: connect: connection refused`;
    case 'EHOSTUNREACH':
      return `dial tcp ${addr}: connect: no route to host`;
    case 'ENETUNREACH':
      return `dial tcp ${addr}: connect: network is unreachable`;
    case 'ECONNRESET':
      return `read tcp ${addr}: read: connection reset by peer`;
    case 'EPIPE':
      return `write tcp ${addr}: write: broken pipe`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `dial tcp: lookup ${addr.replace(/:\d+$/, '')}: no such host`;
    default:
      return e.message || String(e);
  }
}

class TimeoutError extends Error {}

/** Options per URL object and header list: a probe reuses both every period (see runHTTPProbe). */
const optionsCache = new WeakMap<URL, { headers: [string, string][]; options: http.RequestOptions }>();

function cachedRequestOptions(target: URL, headers: [string, string][]): http.RequestOptions {
  const hit = optionsCache.get(target);
  if (hit && hit.headers === headers) return hit.options;
  const options = requestOptions(target, headers);
  optionsCache.set(target, { headers, options });
  return options;
}

/**
 * http.request options for one GET of `target`: a fresh connection of our own (no Agent and its pool
 * bookkeeping), `Connection: close` as Go sends with keep-alives disabled, HTTPS without certificate check
 * and with SNI from the URL's host name (not from a Host header), no TLS session reuse.
 */
export function requestOptions(target: URL, headers: [string, string][]): http.RequestOptions {
  const tlsOn = target.protocol === 'https:';
  const hostname = target.hostname.startsWith('[') ? target.hostname.slice(1, -1) : target.hostname;
  const port = target.port ? Number(target.port) : tlsOn ? 443 : 80;
  const plain: Record<string, string | string[]> = {};
  let hostOverride: string | undefined;
  let connection = false;
  for (const [n, v] of headers) {
    if (n === 'Host') {
      hostOverride ??= v;
      continue;
    }
    if (n === 'Connection') connection = true;
    const prev = plain[n];
    plain[n] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  if (hostOverride) plain['Host'] = hostOverride;
  if (!connection) plain['Connection'] = 'close';
  return {
    method: 'GET',
    protocol: target.protocol,
    hostname,
    port,
    defaultPort: tlsOn ? 443 : 80,
    path: `${target.pathname}${target.search}`,
    headers: plain,
    createConnection: tlsOn
      ? () => tls.connect({ host: hostname, port, servername: net.isIP(hostname) ? undefined : hostname, rejectUnauthorized: false })
      : () => net.connect({ host: hostname, port }),
  };
}

/** GETs opts.url following redirects per policy; rejects with an Error whose message reads like Go's client. */
export function httpGet(opts: HTTPGetOptions): Promise<HTTPGetResponse> {
  const first = opts.url;
  return new Promise<HTTPGetResponse>((resolve, reject) => {
    let done = false;
    let current: http.ClientRequest | undefined;
    let timer: NodeJS.Timeout | undefined;
    let reading = false;
    let url = first;
    const finish = (err: Error | undefined, res?: HTTPGetResponse) => {
      if (done) return;
      done = true;
      if (timer) clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      if (err) reject(err);
      else resolve(res!);
    };
    const onAbort = () => {
      current?.destroy();
      finish(new Error(`Get ${JSON.stringify(url.href)}: context canceled`));
    };
    if (opts.signal?.aborted) return onAbort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    if (opts.timeoutMs && opts.timeoutMs > 0) {
      timer = setTimeout(() => {
        const phase = reading ? 'Client.Timeout or context cancellation while reading body' : 'Client.Timeout exceeded while awaiting headers';
        current?.destroy(new TimeoutError());
        finish(new Error(`Get ${JSON.stringify(url.href)}: context deadline exceeded (${phase})`));
      }, opts.timeoutMs);
    }

    let headers = opts.headers;
    const attempt = (target: URL, via: number) => {
      url = target;
      reading = false;
      const addr = target.host;
      let req: http.ClientRequest;
      try {
        req = (target.protocol === 'https:' ? https : http).request(cachedRequestOptions(target, headers));
      } catch (e) {
        return finish(new Error(`Get ${JSON.stringify(target.href)}: ${(e as Error).message}`));
      }
      current = req;
      req.on('error', (e: NodeJS.ErrnoException) => {
        if (e instanceof TimeoutError) return;
        finish(new Error(`Get ${JSON.stringify(target.href)}: ${netErrorText(addr, e)}`));
      });
      req.on('response', (res) => {
        const status = res.statusCode ?? 0;
        const loc = res.headers.location;
        if (REDIRECT_CODES.has(status) && loc) {
          let next: URL;
          try {
            next = new URL(loc, target);
          } catch {
            res.resume();
            return finish(new Error(`Get ${JSON.stringify(target.href)}: failed to parse Location header ${JSON.stringify(loc)}`));
          }
          const local = next.hostname === first.hostname;
          if (local || opts.followNonLocalRedirects) {
            res.resume();
            res.on('error', () => {});
            if (via + 1 >= MAX_REDIRECTS) return finish(new Error(`Get ${JSON.stringify(next.href)}: stopped after ${MAX_REDIRECTS} redirects`));
            // Go keeps a custom Host only across relative redirects.
            if (/^[a-z][a-z0-9+.-]*:/i.test(loc)) headers = headers.filter(([n]) => n !== 'Host');
            return attempt(next, via + 1);
          }
        }
        reading = true;
        const chunks: Buffer[] = [];
        let size = 0;
        const complete = () => {
          finish(undefined, { status, body: Buffer.concat(chunks).toString('utf8'), url: target });
          // Done with this connection: close it now rather than wait for the server's FIN (as Go does).
          res.socket?.destroy();
        };
        res.on('data', (d: Buffer) => {
          if (done) return;
          const room = opts.maxBody - size;
          if (d.length >= room) {
            chunks.push(d.subarray(0, room));
            size += room;
            complete();
            res.destroy();
            return;
          }
          chunks.push(d);
          size += d.length;
        });
        res.on('end', complete);
        res.on('error', (e: NodeJS.ErrnoException) => {
          if (e instanceof TimeoutError) return;
          // A body cut short still has a status: upstream keeps what it read.
          complete();
        });
        res.on('close', complete);
      });
      req.end();
    };
    attempt(first, 0);
  });
}
