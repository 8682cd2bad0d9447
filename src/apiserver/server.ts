// The HTTP front of the API server: every request (and upgrade) passes the filter chain (filters/), then
// health endpoints, discovery, OpenAPI, or dispatch of resource requests to the verb handlers and the
// subresource handlers the ResourceDef declares. Owns the listening socket and graceful shutdown.
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import tls from 'node:tls';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { StatusError, makeStatus, methodNotAllowed } from '../api/errors.js';
import type { Storage } from '../storage/interface.js';
import { DEFAULT_VERBS, deprecationWarning, subresourceOf, type ResourceDef, type ResourceRegistry } from './registry.js';
import type { RequestInfo } from './request_info.js';
import { RESTStore } from './rest/store.js';
import { convertingStorage } from './rest/converting_storage.js';
import { addWarnings, writeJSON, writeStatus } from './respond.js';
import { aggregatedDiscovery as wantsAggregated } from './negotiate.js';
import { aggregatedDiscovery, apiGroup, apiGroupList, apiResourceList, apiVersions, versionInfo } from './discovery.js';
import type { HandlerContext, Services, UpgradeContext } from './handlers/context.js';
import { handleGet, handleList } from './handlers/read.js';
import { handleCreate, handleDelete, handleDeleteCollection, handleUpdate } from './handlers/write.js';
import { handlePatch } from './handlers/patch.js';
import { handleWatch } from './handlers/watch.js';
import { logUpgradeRequest, withHTTPLogging } from './httplog.js';
import { logger, type Logger } from '../log/logger.js';
import { buildHandlerChain, type ChainConfig } from './filters/handler_chain.js';
import { alwaysAllow } from './filters/authorization.js';
import { resolved, type ApiRequest, type Handler } from './filters/request.js';

export interface OpenAPIProvider {
  /** Serve /openapi/v2, /openapi/v3 and /openapi/v3/<gv>; return false when the path is not OpenAPI's. */
  serve(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams): boolean;
}

export interface ApiServerOptions {
  storage: Storage;
  registry: ResourceRegistry;
  services: Omit<Services, 'storage' | 'storeFor' | 'lookup' | 'authorizer'>;
  openapi?: OpenAPIProvider;
  /** Extra non-resource routes (e.g. /metrics); return true when handled. */
  extraRoutes?: (req: IncomingMessage, res: ServerResponse, path: string) => boolean | Promise<boolean>;
  /** The API server's logger (component apiserver); HTTP requests are logged at debug. */
  log?: Logger;
  /**
   * Authentication, audit and authorization of the filter chain (default: no audit, allow; the authenticator:
   * with TLS, client certificates then anonymous; without, an in-process test server's everyone-is-admin).
   */
  chain?: ChainConfig;
  /** Serve HTTPS (the only way `k8ts server` serves); without it plain HTTP, for in-process test servers. */
  tls?: ServingTLS;
}

/** The serving certificate and the CA that client certificates must chain to. */
export interface ServingTLS {
  cert: string;
  key: string;
  clientCA: string;
}

/**
 * kube-apiserver's TLS settings: TLS 1.2 at least, client certificates asked for but not required (a request
 * without one may still carry a token, or be anonymous), their chain checked against the client CA by the
 * handshake and judged per request by the x509 authenticator (so a bad one is a 401 Status, not a reset).
 * Node's cipher list, at OpenSSL security level 0: a TLS 1.2 client that sends no signature_algorithms
 * (busybox wget's own TLS, in pods) must get the SHA-1 signature RFC 5246 prescribes then, as Go's TLS of
 * kube-apiserver gives it; clients that do send the extension negotiate as before.
 */
export function tlsServerOptions(t: ServingTLS): https.ServerOptions {
  return {
    cert: t.cert,
    key: t.key,
    ca: t.clientCA,
    requestCert: true,
    rejectUnauthorized: false,
    minVersion: 'TLSv1.2',
    ciphers: `${tls.DEFAULT_CIPHERS}:@SECLEVEL=0`,
  };
}

/**
 * The listening socket's limits, as kube-apiserver's http.Server sets them: headers must arrive within 32 s
 * (ReadHeaderTimeout) and an idle keep-alive connection is closed after 90 s (IdleTimeout). The request
 * (headers and body) must be received within 60 s; Node's requestTimeout stops at the end of the request
 * body, so watches, log follows and upgraded streams stay open. Node checks the deadlines every 2 s.
 */
export const HTTP_TIMEOUTS = {
  headersTimeout: 32_000,
  requestTimeout: 60_000,
  keepAliveTimeout: 90_000,
  connectionsCheckingInterval: 2_000,
} as const;

const NOT_FOUND = makeStatus(404, 'NotFound', 'the server could not find the requested resource', {});

export class ApiServer {
  readonly http: http.Server | https.Server;
  readonly services: Services;
  private stores = new Map<ResourceDef, RESTStore>();
  private ready = false;
  private address = '127.0.0.1:6443';
  readonly log: Logger;
  private readonly chain: Handler;

  constructor(private readonly opts: ApiServerOptions) {
    this.log = opts.log ?? logger('apiserver');
    const registry = opts.registry;
    this.services = {
      ...opts.services,
      storage: opts.storage,
      storeFor: (def) => this.storeFor(def),
      lookup: (g, v, r) => registry.lookup(g, v, r),
      authorizer: opts.chain?.authorizer ?? alwaysAllow,
    };
    this.chain = buildHandlerChain((r) => (r.upgrade ? this.handleUpgrade(r) : this.handle(r)), { ...opts.chain, log: this.log }, !!opts.tls);
    // the chain answers every error itself (panic recovery); a failure past that only drops the connection
    const onRequest = (req: IncomingMessage, res: ServerResponse) => {
      withHTTPLogging(this.log, req, res);
      this.chain({ req, res }).catch(() => res.destroy());
    };
    this.http = opts.tls ? https.createServer({ ...HTTP_TIMEOUTS, ...tlsServerOptions(opts.tls) }, onRequest) : http.createServer(HTTP_TIMEOUTS, onRequest);
    // a failed handshake (plain HTTP to the TLS port, an unknown protocol) only drops that connection
    this.http.on('tlsClientError', (_e: Error, socket: Duplex) => socket.destroy());
    // Node's headersTimeout starts with the first byte; a connection that never sends one gets the same deadline.
    this.http.on('connection', (socket: Socket) => {
      const t = setTimeout(() => {
        if (socket.bytesRead === 0) socket.destroy();
      }, this.http.headersTimeout);
      t.unref();
      socket.once('close', () => clearTimeout(t));
    });
    this.http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      socket.on('error', () => {});
      logUpgradeRequest(this.log, req);
      this.chain({ req, upgrade: { socket, head } }).catch(() => socket.destroy());
    });
  }

  /** Swap the serving certificate (rotation) without a restart: new connections get it, open ones keep theirs. */
  setServingCertificate(pair: { cert: string; key: string }): void {
    if (!this.opts.tls || !(this.http instanceof https.Server)) throw new Error('the API server does not serve TLS');
    this.opts.tls = { ...this.opts.tls, ...pair };
    this.http.setSecureContext(tlsServerOptions(this.opts.tls));
  }

  storeFor(def: ResourceDef): RESTStore {
    let s = this.stores.get(def);
    if (!s) {
      s = new RESTStore(def, def.conversion ? convertingStorage(this.opts.storage, def.conversion) : this.opts.storage);
      this.stores.set(def, s);
    }
    return s;
  }

  async listen(host: string, port: number): Promise<AddressInfo> {
    await new Promise<void>((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(port, host, () => {
        this.http.off('error', reject);
        resolve();
      });
    });
    const a = this.http.address() as AddressInfo;
    this.address = `${a.address}:${a.port}`;
    this.ready = true;
    return a;
  }

  /** Stop accepting, end watches and idle connections, wait for in-flight requests. */
  async close(): Promise<void> {
    this.ready = false;
    const done = new Promise<void>((resolve) => this.http.close(() => resolve()));
    this.http.closeIdleConnections();
    this.shutdownHooks.forEach((f) => f());
    const t = setTimeout(() => this.http.closeAllConnections(), 5000);
    await done;
    clearTimeout(t);
  }

  private shutdownHooks = new Set<() => void>();

  private async handle(r: ApiRequest): Promise<void> {
    const { url, info, user } = resolved(r);
    const req = r.req;
    const res = r.res!;
    const path = url.pathname;
    const query = url.searchParams;
    const method = req.method ?? 'GET';
    if (
      path === '/readyz' ||
      path === '/livez' ||
      path === '/healthz' ||
      path.startsWith('/readyz/') ||
      path.startsWith('/livez/') ||
      path.startsWith('/healthz/')
    ) {
      const ok = this.ready || path.startsWith('/livez');
      res.writeHead(ok ? 200 : 503, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(ok ? 'ok' : 'not ready');
      return;
    }
    if (path === '/version' || path === '/version/') return writeJSON(res, 200, versionInfo());
    if (this.opts.openapi && path.startsWith('/openapi/')) {
      if (this.opts.openapi.serve(req, res, path, query)) return;
    }
    if (this.opts.extraRoutes && (await this.opts.extraRoutes(req, res, path))) return;

    if (!info.isResourceRequest) return this.discovery(req, res, info, method);
    const def = this.opts.registry.lookup(info.group, info.version, info.resource);
    if (!def) return writeStatus(res, NOT_FOUND);
    if (def.namespaced === false && info.namespace) return writeStatus(res, NOT_FOUND);
    // A namespaced kind's all-namespaces path serves list and watch only, as upstream routes it.
    if (def.namespaced !== false && info.namespace === undefined) {
      if (info.name) return writeStatus(res, NOT_FOUND);
      if (info.verb !== 'list' && info.verb !== 'watch') throw methodNotAllowed();
    }
    const ctx: HandlerContext = { req, res, info, query, def, store: this.storeFor(def), svc: this.services, user };
    await this.dispatch(ctx);
  }

  /** Upgrade requests (pods/exec, attach, portforward): served by the subresource's upgrade handler. */
  private async handleUpgrade(r: ApiRequest): Promise<void> {
    const { url, info, user } = resolved(r);
    const def = info.isResourceRequest ? this.opts.registry.lookup(info.group, info.version, info.resource) : undefined;
    const sub = def ? subresourceOf(def, info.subresource) : undefined;
    if (!def || !sub?.upgrade) throw new StatusError(NOT_FOUND);
    const { socket, head } = r.upgrade!;
    const ctx: UpgradeContext = { req: r.req, socket, head, info, query: url.searchParams, def, store: this.storeFor(def), svc: this.services, user };
    await sub.upgrade(ctx);
  }

  private async dispatch(ctx: HandlerContext): Promise<void> {
    const { info, def } = ctx;
    if (info.subresource) {
      const sub = subresourceOf(def, info.subresource);
      // No such route, as upstream's mux answers it (not "<resource> <name> not found").
      if (!sub) throw new StatusError(NOT_FOUND);
      if (!info.name || !sub.verbs.includes(info.verb)) throw methodNotAllowed();
      return sub.serve(ctx);
    }
    const verbs = def.verbs ?? DEFAULT_VERBS;
    if (!verbs.includes(info.verb)) throw methodNotAllowed();
    const deprecation = deprecationWarning(def);
    if (deprecation) addWarnings(ctx.res, [deprecation]);
    const own = def.handlers?.[info.verb as 'get' | 'list'];
    if (own) return own(ctx);
    switch (info.verb) {
      case 'get':
        return handleGet(ctx);
      case 'list':
        return handleList(ctx);
      case 'watch':
        return this.watch(ctx);
      case 'create':
        return def.serveCreate ? def.serveCreate(ctx) : handleCreate(ctx);
      case 'update':
        return handleUpdate(ctx);
      case 'patch':
        return handlePatch(ctx);
      case 'delete':
        return handleDelete(ctx);
      case 'deletecollection':
        return handleDeleteCollection(ctx);
      default:
        throw methodNotAllowed();
    }
  }

  private async watch(ctx: HandlerContext): Promise<void> {
    const end = () => ctx.res.end();
    this.shutdownHooks.add(end);
    ctx.res.on('close', () => this.shutdownHooks.delete(end));
    await handleWatch(ctx);
  }

  private discovery(req: IncomingMessage, res: ServerResponse, info: RequestInfo, method: string): void {
    if (method !== 'GET' && method !== 'HEAD') return writeStatus(res, NOT_FOUND);
    const reg = this.opts.registry;
    const p = info.path.replace(/\/+$/, '');
    if (p === '/api' || p === '/apis') {
      const v = wantsAggregated(req);
      if (v) {
        return writeJSON(res, 200, aggregatedDiscovery(reg, p === '/api', v), `application/json;g=apidiscovery.k8s.io;v=${v};as=APIGroupDiscoveryList`);
      }
      return writeJSON(res, 200, p === '/api' ? apiVersions(this.address) : apiGroupList(reg));
    }
    if (info.apiPrefix === 'api' && info.version === 'v1' && !info.group) return writeJSON(res, 200, apiResourceList(reg, '', 'v1'));
    if (info.apiPrefix === 'apis') {
      const segs = p.split('/').filter(Boolean);
      const versions = reg.groups().get(segs[1] ?? '');
      if (versions && segs.length === 2) return writeJSON(res, 200, apiGroup(segs[1], versions));
      if (versions && segs.length === 3 && versions.includes(segs[2])) return writeJSON(res, 200, apiResourceList(reg, segs[1], segs[2]));
    }
    writeStatus(res, NOT_FOUND);
  }
}
