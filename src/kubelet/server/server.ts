// The node's endpoint (the "kubelet endpoint" the API server proxies to): HTTPS with the node's serving
// certificate, every request authenticated and authorized (auth.ts); /containerLogs, the routing for /exec,
// /attach and /portForward (protocol handlers plug in), and resource stats (/stats/summary, /metrics/resource).
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import { access } from 'node:fs/promises';
import { constants } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { LogOptionsError, parseContainerLogQuery } from './log_options.js';
import { readContainerLog } from './log_reader.js';
import type { StatsSource } from '../stats/types.js';
import { renderResourceMetrics } from '../stats/resource_metrics.js';
import {
  authenticateNodeRequest,
  defaultNodeAuthorizer,
  nodeAuthorizationErrorMessage,
  nodeForbiddenMessage,
  nodeRequestAttributes,
  type NodeAuthorizer,
  type NodeTokenAuthenticator,
} from './auth.js';

/** Where a container's log is and whether the container runs (provided by the kubelet). */
export interface ContainerLogTarget {
  logPath: string;
  running: boolean;
  /** Follow mode asks this until false; default: resolve again and compare running + logPath. */
  isRunning?: () => boolean | Promise<boolean>;
}

export type ContainerLogResolver = (namespace: string, pod: string, container: string, previous: boolean) => Promise<ContainerLogTarget | undefined>;

/** Thrown by a resolver to answer with a specific status and plain-text message (e.g. 400 "... is waiting to start"). */
export class ContainerLogError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'ContainerLogError';
  }
}

export type StreamKind = 'exec' | 'attach' | 'portForward';

/** A parsed /exec|/attach/{namespace}/{pod}[/{uid}]/{container} or /portForward/{namespace}/{pod}[/{uid}] request. */
export interface StreamTarget {
  kind: StreamKind;
  namespace: string;
  pod: string;
  uid?: string;
  container?: string;
  query: URLSearchParams;
}

/** Protocol handler for a streaming route (issue 5: WebSocket/SPDY remote command and port-forward). */
export interface StreamingHandler {
  /** An HTTP Upgrade request; the handler owns the socket from here. */
  upgrade?(req: IncomingMessage, socket: Duplex, head: Buffer, target: StreamTarget): void;
  /** A plain (non-upgrade) request to the route. */
  request?(req: IncomingMessage, res: ServerResponse, target: StreamTarget): void | Promise<void>;
}

export interface KubeletServerOptions {
  /** Follow mode: how often the container's running state is checked (ms). */
  runningCheckMs?: number;
  /** Follow mode: poll interval for new log data when no file event arrives (ms). */
  pollMs?: number;
  /**
   * Serve HTTPS with this certificate and require an authorized identity on every request (as `k8ts` always
   * runs it). Without it: plain HTTP and no authentication (in-process tests only).
   */
  tls?: NodeServingTLS;
  /** The node's name: the object that requests are authorized on. */
  nodeName?: string;
  /** Default: the API server's kubelet client identity and cluster admins (defaultNodeAuthorizer). */
  authorizer?: NodeAuthorizer;
  /** Bearer tokens (the TokenReview webhook); without: client certificates only. */
  tokenAuthenticator?: NodeTokenAuthenticator;
}

export interface NodeServingTLS {
  cert: string;
  key: string;
  /** Client certificates must chain to this CA. */
  clientCA: string;
}

function tlsOptions(t: NodeServingTLS): https.ServerOptions {
  return { cert: t.cert, key: t.key, ca: t.clientCA, requestCert: true, rejectUnauthorized: false, minVersion: 'TLSv1.2' };
}

function plain(res: ServerResponse, code: number, message: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = message.endsWith('\n') ? message : message + '\n';
  res.writeHead(code, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

function httpRefusal(socket: Duplex, code: number, message: string): void {
  const body = message.endsWith('\n') ? message : message + '\n';
  socket.end(
    `HTTP/1.1 ${code} ${http.STATUS_CODES[code] ?? ''}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

function segments(path: string): string[] {
  return path
    .split('/')
    .filter((s) => s.length > 0)
    .map((s) => decodeURIComponent(s));
}

export function parseStreamTarget(path: string, query: URLSearchParams): StreamTarget | undefined {
  const segs = segments(path);
  const kind = segs[0];
  if (kind === 'exec' || kind === 'attach') {
    if (segs.length === 4) return { kind, namespace: segs[1], pod: segs[2], container: segs[3], query };
    if (segs.length === 5) return { kind, namespace: segs[1], pod: segs[2], uid: segs[3], container: segs[4], query };
    return undefined;
  }
  if (kind === 'portForward') {
    if (segs.length === 3) return { kind, namespace: segs[1], pod: segs[2], query };
    if (segs.length === 4) return { kind, namespace: segs[1], pod: segs[2], uid: segs[3], query };
  }
  return undefined;
}

export class KubeletServer {
  /** The listening server (HTTPS with tls). */
  readonly http: http.Server | https.Server;
  /** Accepts in-process connections (never listens): the same routes, the caller's identity on the connection. */
  readonly local: http.Server;
  private streaming = new Map<StreamKind, StreamingHandler>();
  private upgraded = new Set<Duplex>();
  private stats?: StatsSource;

  constructor(
    private readonly resolveLog: ContainerLogResolver,
    private readonly opts: KubeletServerOptions = {},
  ) {
    const onRequest = (req: IncomingMessage, res: ServerResponse) => {
      this.refuse(req)
        .then((refused) => (refused ? plain(res, refused[0], refused[1]) : this.handle(req, res)))
        .catch((e) => plain(res, 500, e instanceof Error ? e.message : String(e)));
    };
    const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      this.refuse(req)
        .then((refused) => (refused ? httpRefusal(socket, refused[0], refused[1]) : this.handleUpgrade(req, socket, head)))
        .catch((e) => httpRefusal(socket, 500, e instanceof Error ? e.message : String(e)));
    };
    this.http = opts.tls ? https.createServer(tlsOptions(opts.tls), onRequest) : http.createServer(onRequest);
    this.http.on('tlsClientError', (_e: Error, socket: Duplex) => socket.destroy());
    this.local = opts.tls ? http.createServer(onRequest) : (this.http as http.Server);
    this.http.on('upgrade', onUpgrade);
    if (this.local !== this.http) this.local.on('upgrade', onUpgrade);
  }

  /** Swap the serving certificate (rotation) without a restart. */
  setServingCertificate(pair: { cert: string; key: string }): void {
    if (!this.opts.tls || !(this.http instanceof https.Server)) throw new Error('the node endpoint does not serve TLS');
    this.opts.tls = { ...this.opts.tls, ...pair };
    this.http.setSecureContext(tlsOptions(this.opts.tls));
  }

  /** [status, text] when the request may not proceed: no valid identity (401) or not authorized (403). */
  private async refuse(req: IncomingMessage): Promise<[number, string] | undefined> {
    if (!this.opts.tls) return undefined;
    const path = new URL(req.url ?? '/', 'http://node').pathname;
    if (path === '/healthz') return undefined;
    const authn = await authenticateNodeRequest(req, this.opts.tokenAuthenticator);
    if ('error' in authn) return [401, 'Unauthorized'];
    const a = nodeRequestAttributes(authn.user, this.opts.nodeName ?? '', req.method ?? 'GET', path);
    let ok: boolean;
    try {
      ok = await (this.opts.authorizer ?? defaultNodeAuthorizer).authorize(a);
    } catch {
      return [500, nodeAuthorizationErrorMessage(a)];
    }
    if (ok !== true) return [403, nodeForbiddenMessage(a)];
    return undefined;
  }

  /** Install the protocol handler for /exec, /attach or /portForward. */
  setStreamingHandler(kind: StreamKind, handler: StreamingHandler): void {
    this.streaming.set(kind, handler);
  }

  /** Serve /stats/summary and /metrics/resource from `source`. */
  setStatsSource(source: StatsSource): void {
    this.stats = source;
  }

  async listen(host: string, port: number): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(port, host, () => {
        this.http.off('error', reject);
        resolve();
      });
    });
    return (this.http.address() as AddressInfo).port;
  }

  /** Stop listening and end every open stream. */
  async close(): Promise<void> {
    if (!this.http.listening) return;
    const done = new Promise<void>((resolve) => this.http.close(() => resolve()));
    this.http.closeAllConnections();
    for (const s of this.upgraded) s.destroy();
    await done;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://node');
    const path = url.pathname;
    if (path === '/healthz') return plain(res, 200, 'ok');
    if (path.startsWith('/containerLogs/')) return this.containerLogs(req, res, path, url.searchParams);
    if (path === '/stats/summary' || path === '/metrics/resource') return this.resourceStats(req, res, path);
    const target = parseStreamTarget(path, url.searchParams);
    if (target) {
      const h = this.streaming.get(target.kind)?.request;
      if (h) return h(req, res, target);
      return plain(
        res,
        this.streaming.has(target.kind) ? 400 : 501,
        this.streaming.has(target.kind) ? `${target.kind} requires a connection upgrade` : `${target.kind} is not supported by this node yet`,
      );
    }
    plain(res, 404, '404 page not found');
  }

  private handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://node');
    const target = parseStreamTarget(url.pathname, url.searchParams);
    const h = target && this.streaming.get(target.kind)?.upgrade;
    if (!target || !h) {
      const msg = target ? `${target.kind} is not supported by this node yet\n` : '404 page not found\n';
      const code = target ? '501 Not Implemented' : '404 Not Found';
      socket.end(`HTTP/1.1 ${code}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(msg)}\r\nConnection: close\r\n\r\n${msg}`);
      return;
    }
    this.upgraded.add(socket);
    socket.once('close', () => this.upgraded.delete(socket));
    h(req, socket, head, target);
  }

  private async resourceStats(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    if (req.method !== 'GET') return plain(res, 405, `method ${req.method} not allowed`);
    if (!this.stats) return plain(res, 503, 'stats are not available yet');
    const summary = await this.stats.summary();
    const json = path === '/stats/summary';
    const body = json ? JSON.stringify(summary) : renderResourceMetrics(summary);
    res.writeHead(200, {
      'Content-Type': json ? 'application/json' : 'text/plain; version=0.0.4; charset=utf-8',
      'Content-Length': Buffer.byteLength(body),
    });
    res.end(body);
  }

  private async containerLogs(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams): Promise<void> {
    if (req.method !== 'GET') return plain(res, 405, `method ${req.method} not allowed`);
    const segs = segments(path);
    if (segs.length !== 4) return plain(res, 400, segs.length < 3 ? 'missing podID.' : 'missing container name.');
    const [, namespace, pod, container] = segs;
    let opts;
    try {
      opts = parseContainerLogQuery(query);
    } catch (e) {
      if (e instanceof LogOptionsError) return plain(res, 400, e.message);
      throw e;
    }
    let target: ContainerLogTarget | undefined;
    try {
      target = await this.resolveLog(namespace, pod, container, opts.previous);
    } catch (e) {
      if (e instanceof ContainerLogError) return plain(res, e.statusCode, e.message);
      throw e;
    }
    if (!target) {
      if (opts.previous) return plain(res, 400, `previous terminated container "${container}" in pod "${pod}" not found`);
      return plain(res, 404, `container "${container}" not found in pod "${namespace}/${pod}"`);
    }
    const logPath = target.logPath;
    const follow = opts.follow && target.running;
    const isRunning =
      target.isRunning ??
      (async () => {
        const again = await this.resolveLog(namespace, pod, container, opts.previous).catch(() => undefined);
        return !!again && again.running && again.logPath === logPath;
      });

    try {
      await access(logPath, constants.R_OK);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') return plain(res, 500, `failed to open log file "${logPath}": ${(e as Error).message}`);
    }
    const abort = new AbortController();
    res.on('close', () => abort.abort());
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private' });
    res.flushHeaders();
    const write = (chunk: Buffer): Promise<void> | void => {
      if (res.write(chunk)) return;
      return new Promise<void>((resolve) => {
        const done = () => {
          res.off('drain', done);
          res.off('close', done);
          resolve();
        };
        res.on('drain', done);
        res.on('close', done);
      });
    };
    try {
      await readContainerLog(logPath, { ...opts, follow }, write, {
        signal: abort.signal,
        isRunning,
        pollMs: this.opts.pollMs,
        runningCheckMs: this.opts.runningCheckMs,
      });
    } catch {
      // Headers are out: all we can do is cut the stream short.
      res.destroy();
      return;
    }
    res.end();
  }
}
