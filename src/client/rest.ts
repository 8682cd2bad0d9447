// A small Kubernetes REST client over HTTPS (client certificate or bearer token; plain HTTP for in-process test
// servers): typed verbs on API paths, Status errors surfaced as StatusError, and streaming watches
// (newline-delimited JSON events).
import http from 'node:http';
import https from 'node:https';
import { StatusError, makeStatus } from '../api/errors.js';
import type { KubeList, KubeObject, Status, WatchEvent } from '../api/types.js';
import { TokenBucket } from './token_bucket.js';

export interface ClientOptions {
  /** e.g. https://127.0.0.1:6443 */
  server: string;
  token?: string;
  /** PEM: the CA the server's certificate must chain to (default: the system's roots). */
  ca?: string | Buffer;
  /** PEM client certificate and key (x509 authentication). */
  cert?: string | Buffer;
  key?: string | Buffer;
  /** Accept any server certificate (kubeconfig insecure-skip-tls-verify). */
  insecureSkipTLSVerify?: boolean;
  /** Name the server certificate must carry when it differs from the URL's host (kubeconfig tls-server-name). */
  tlsServerName?: string;
  /** Sent as the User-Agent and default fieldManager. */
  userAgent?: string;
  /**
   * Client-side rate limit (rest.Config QPS/Burst, e.g. kube-controller-manager's --kube-api-qps/--kube-api-burst):
   * requests wait for a token of a bucket of `burst` refilled at `qps` per second. Unset or ≤ 0: no limit.
   * Watches are not limited (each is opened once and held).
   */
  qps?: number;
  burst?: number;
}

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined>;
  contentType?: string;
  accept?: string;
}

/** How a watch stream ended: the server closed it (timeout), it was stopped, or the connection failed. */
export interface WatchEnd {
  reason: 'closed' | 'stopped' | 'error';
  error?: Error;
}

export interface WatchHandle {
  stop(): void;
  /** Resolves when the stream ends (server timeout, error, or stop()); never rejects. */
  done: Promise<WatchEnd>;
}

export class KubeClient {
  private agent: http.Agent;
  private url: URL;

  private tls: https.AgentOptions;
  private readonly limiter?: TokenBucket;

  constructor(readonly opts: ClientOptions) {
    this.url = new URL(opts.server);
    if (opts.qps !== undefined && opts.qps > 0)
      this.limiter = new TokenBucket(opts.qps, Math.max(1, opts.burst ?? Math.ceil(opts.qps)), () => performance.now());
    this.tls = {
      ca: opts.ca,
      cert: opts.cert,
      key: opts.key,
      rejectUnauthorized: !opts.insecureSkipTLSVerify,
      ...(opts.tlsServerName ? { servername: opts.tlsServerName } : {}),
    };
    this.agent = this.newAgent();
  }

  private newAgent(): http.Agent {
    return this.url.protocol === 'https:'
      ? new https.Agent({ keepAlive: true, maxSockets: 64, ...this.tls })
      : new http.Agent({ keepAlive: true, maxSockets: 64 });
  }

  /**
   * A new client certificate (a rotated kubelet client certificate): new connections present it. Requests in
   * flight (watches too) finish on their old connections, which close once free; the idle ones close now.
   */
  setClientCertificate(pair: { cert: string | Buffer; key: string | Buffer }): void {
    if (this.url.protocol !== 'https:') return;
    this.tls = { ...this.tls, cert: pair.cert, key: pair.key };
    const old = this.agent;
    this.agent = this.newAgent();
    for (const sockets of Object.values(old.freeSockets)) for (const s of sockets ?? []) s.destroy();
    old.on('free', (socket: { destroy(): void }) => socket.destroy());
  }

  private path(p: string, query?: RequestOptions['query']): string {
    if (!query) return p;
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined) qs.set(k, String(v));
    const s = qs.toString();
    return s ? `${p}?${s}` : p;
  }

  private async raw(method: string, p: string, body: unknown, o: RequestOptions): Promise<{ code: number; text: string }> {
    try {
      return await this.rawOnce(method, p, body, o);
    } catch (e) {
      // A keep-alive socket the server closed just as we reused it: a read is safe to send again (as Go's
      // transport retries an idempotent request that failed on a reused connection).
      if ((method === 'GET' || method === 'HEAD') && (e as { reusedSocket?: boolean }).reusedSocket && (e as NodeJS.ErrnoException).code === 'ECONNRESET')
        return this.rawOnce(method, p, body, o);
      throw e;
    }
  }

  private rawOnce(method: string, p: string, body: unknown, o: RequestOptions): Promise<{ code: number; text: string }> {
    const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    const mod = this.url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const req = mod.request(
        {
          protocol: this.url.protocol,
          hostname: this.url.hostname,
          port: this.url.port,
          method,
          path: this.path(p, o.query),
          agent: this.agent,
          headers: {
            Accept: o.accept ?? 'application/json',
            'User-Agent': this.opts.userAgent ?? 'k8ts',
            ...(payload !== undefined ? { 'Content-Type': o.contentType ?? 'application/json', 'Content-Length': Buffer.byteLength(payload) } : {}),
            ...(this.opts.token ? { Authorization: `Bearer ${this.opts.token}` } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ code: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        },
      );
      req.on('error', (e) => reject(Object.assign(e, { reusedSocket: req.reusedSocket })));
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }

  async request<T = KubeObject>(method: string, p: string, body?: unknown, o: RequestOptions = {}): Promise<T> {
    const throttled = this.limiter?.wait();
    if (throttled) await throttled;
    const { code, text } = await this.raw(method, p, body, o);
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    if (code >= 400) {
      const st = parsed as Status | undefined;
      if (st && st.kind === 'Status') throw new StatusError(st);
      throw new StatusError(makeStatus(code, 'Unknown', text.slice(0, 200) || `HTTP ${code}`));
    }
    return parsed as T;
  }

  get<T = KubeObject>(p: string, o?: RequestOptions): Promise<T> {
    return this.request<T>('GET', p, undefined, o);
  }
  list<T extends KubeObject = KubeObject>(p: string, o?: RequestOptions): Promise<KubeList<T>> {
    return this.request<KubeList<T>>('GET', p, undefined, o);
  }
  create<T = KubeObject>(p: string, obj: unknown, o?: RequestOptions): Promise<T> {
    return this.request<T>('POST', p, obj, o);
  }
  update<T = KubeObject>(p: string, obj: unknown, o?: RequestOptions): Promise<T> {
    return this.request<T>('PUT', p, obj, o);
  }
  patch<T = KubeObject>(p: string, patch: unknown, type: 'merge' | 'strategic' | 'json' = 'merge', o: RequestOptions = {}): Promise<T> {
    const ct = { merge: 'application/merge-patch+json', strategic: 'application/strategic-merge-patch+json', json: 'application/json-patch+json' }[type];
    return this.request<T>('PATCH', p, patch, { ...o, contentType: ct });
  }
  delete<T = KubeObject>(p: string, opts?: { gracePeriodSeconds?: number; propagationPolicy?: string }, o?: RequestOptions): Promise<T> {
    return this.request<T>('DELETE', p, opts ? { kind: 'DeleteOptions', apiVersion: 'v1', ...opts } : undefined, o);
  }

  /**
   * Stream watch events for a collection path from `resourceVersion` (bookmarks requested). An HTTP error
   * answer arrives as one ERROR event carrying its Status; a line that is not JSON ends the stream as an error.
   */
  watch(p: string, resourceVersion: string, onEvent: (ev: WatchEvent) => void, query: RequestOptions['query'] = {}): WatchHandle {
    const mod = this.url.protocol === 'https:' ? https : http;
    let req: http.ClientRequest | undefined;
    let stopped = false;
    let finish: (end: WatchEnd) => void = () => {};
    const done = new Promise<WatchEnd>((resolve) => {
      let ended = false;
      finish = (end) => {
        if (ended) return;
        ended = true;
        resolve(stopped ? { reason: 'stopped' } : end);
      };
      req = mod.request(
        {
          protocol: this.url.protocol,
          hostname: this.url.hostname,
          port: this.url.port,
          // a watch holds its connection for minutes: its own, not one of the pool's
          agent: false,
          ...(this.url.protocol === 'https:' ? this.tls : {}),
          method: 'GET',
          path: this.path(p, { ...query, watch: 'true', resourceVersion, allowWatchBookmarks: 'true' }),
          headers: {
            Accept: 'application/json',
            'User-Agent': this.opts.userAgent ?? 'k8ts',
            ...(this.opts.token ? { Authorization: `Bearer ${this.opts.token}` } : {}),
          },
        },
        (res) => {
          const code = res.statusCode ?? 0;
          if (code >= 400) {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => {
              let st: unknown;
              try {
                st = JSON.parse(Buffer.concat(chunks).toString('utf8'));
              } catch {
                st = undefined;
              }
              const status = st && (st as Status).kind === 'Status' ? st : makeStatus(code, 'Unknown', `watch failed: HTTP ${code}`);
              if (!stopped) onEvent({ type: 'ERROR', object: status as unknown as KubeObject });
              finish({ reason: 'closed' });
            });
            res.on('error', (e) => finish({ reason: 'error', error: e }));
            return;
          }
          let buf = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            buf += chunk;
            let i: number;
            while ((i = buf.indexOf('\n')) >= 0) {
              const line = buf.slice(0, i);
              buf = buf.slice(i + 1);
              if (!line.trim() || stopped) continue;
              let ev: WatchEvent;
              try {
                ev = JSON.parse(line) as WatchEvent;
              } catch (e) {
                req?.destroy();
                finish({ reason: 'error', error: new Error(`malformed watch event: ${(e as Error).message}`) });
                return;
              }
              onEvent(ev);
            }
          });
          res.on('end', () => finish({ reason: 'closed' }));
          res.on('error', (e) => finish({ reason: 'error', error: e }));
          res.on('close', () => finish({ reason: 'closed' }));
        },
      );
      req.on('error', (e) => finish({ reason: 'error', error: e }));
      req.end();
    });
    return {
      stop: () => {
        stopped = true;
        req?.destroy();
        finish({ reason: 'stopped' });
      },
      done,
    };
  }

  close(): void {
    this.agent.destroy();
  }
}
