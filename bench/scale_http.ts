// bench:scale's HTTPS client, shared by the bench and its forked processes: the admin kubeconfig's client
// certificate over keep-alive connections (as kubectl), bodies kept as raw bytes so that a 150,000-pod list is
// timed to its last byte without being parsed.
import https from 'node:https';
import { loadKubeconfig } from '../src/client/kubeconfig.js';

export interface Creds {
  ca?: Buffer | string;
  cert?: Buffer | string;
  key?: Buffer | string;
}

export interface Reply {
  status: number;
  body: Buffer;
  /** ms from the request's start to its response's first byte. */
  firstByteMs: number;
}

export function credsOf(kubeconfig: string): Creds {
  const kc = loadKubeconfig(kubeconfig);
  return { ca: kc.ca, cert: kc.cert, key: kc.key };
}

export class Api {
  readonly agent: https.Agent;

  constructor(
    readonly base: string,
    readonly creds: Creds,
    maxSockets = 16,
  ) {
    this.agent = new https.Agent({ keepAlive: true, maxSockets, ...creds });
  }

  request(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<Reply> {
    const data = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    const t0 = performance.now();
    return new Promise((resolve, reject) => {
      const r = https.request(
        this.base + path,
        { method, agent: this.agent, headers: data !== undefined ? { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(data) } : {} },
        (resp) => {
          const firstByteMs = performance.now() - t0;
          const chunks: Buffer[] = [];
          resp.on('data', (c: Buffer) => chunks.push(c));
          resp.on('end', () => resolve({ status: resp.statusCode ?? 0, body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks), firstByteMs }));
          resp.on('error', reject);
        },
      );
      r.on('error', reject);
      r.end(data);
    });
  }

  /** The request, failing unless the status is one of `ok`. */
  async expect(method: string, path: string, ok: number[], body?: unknown, contentType?: string): Promise<Reply> {
    const r = await this.request(method, path, body, contentType);
    if (!ok.includes(r.status)) throw new Error(`${method} ${path}: ${r.status} ${r.body.toString().slice(0, 300)}`);
    return r;
  }

  close(): void {
    this.agent.destroy();
  }
}

/** A watch stream's events one parsed line at a time (its own connection, as a watcher has). */
export function watch(
  base: string,
  creds: Creds,
  path: string,
  onEvent: (ev: { type: string; object: Record<string, any> }, at: number) => void,
  onEnd: (why: string) => void = () => {},
): () => void {
  let buf = '';
  let stopped = false;
  const r = https.get(base + path, { agent: false, ...creds }, (resp) => {
    if (resp.statusCode !== 200) onEnd(`watch ${path}: HTTP ${resp.statusCode}`);
    resp.on('end', () => stopped || onEnd(`watch ${path}: stream ended`));
    resp.setEncoding('utf8');
    resp.on('data', (c: string) => {
      const at = performance.now();
      buf += c;
      // one pass over the chunk (a corked chunk carries hundreds of events: re-slicing per line is quadratic)
      let pos = 0;
      for (let i; (i = buf.indexOf('\n', pos)) >= 0; pos = i + 1) if (i > pos) onEvent(JSON.parse(buf.slice(pos, i)), at);
      buf = buf.slice(pos);
    });
  });
  r.on('error', (e) => stopped || onEnd(`watch ${path}: ${e.message}`));
  return () => {
    stopped = true;
    r.destroy();
  };
}

export function pct(xs: number[], p: number): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

export function median(xs: number[]): number {
  return pct(xs, 50);
}

/** Runs fn(i) for i in [0, n) with `workers` concurrent callers. */
export async function pool(n: number, workers: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(workers, n) }, async () => {
      for (;;) {
        const i = next++;
        if (i >= n) return;
        await fn(i);
      }
    }),
  );
}
