// Test fixture for the controller kit: a real in-process API server (memory storage, optional small watch
// history so 410 Expired can be provoked) and a KubeClient that records every request and watch it makes.
import { createApiServer, bootstrapSystemNamespaces } from '../../../src/apiserver/assemble.js';
import { openStorage } from '../../../src/storage/index.js';
import { KubeClient, type RequestOptions, type WatchHandle } from '../../../src/client/rest.js';
import type { WatchEvent } from '../../../src/api/types.js';

/** Records "METHOD path?query" for requests and "WATCH path?query rv=<rv>" for watches. */
export class RecordingClient extends KubeClient {
  readonly log: string[] = [];

  override request<T>(method: string, p: string, body?: unknown, o: RequestOptions = {}): Promise<T> {
    this.log.push(
      `${method} ${p}${
        o.query
          ? `?${new URLSearchParams(
              Object.entries(o.query)
                .filter(([, v]) => v !== undefined)
                .map(([k, v]) => [k, String(v)]),
            ).toString()}`
          : ''
      }`,
    );
    return super.request<T>(method, p, body, o);
  }

  override watch(p: string, resourceVersion: string, onEvent: (ev: WatchEvent) => void, query: RequestOptions['query'] = {}): WatchHandle {
    this.log.push(
      `WATCH ${p}?${new URLSearchParams(
        Object.entries(query ?? {})
          .filter(([k, v]) => v !== undefined && k !== 'timeoutSeconds')
          .map(([k, v]) => [k, String(v)]),
      ).toString()} rv=${resourceVersion}`,
    );
    return super.watch(p, resourceVersion, onEvent, query);
  }

  count(prefix: string): number {
    return this.log.filter((l) => l.startsWith(prefix)).length;
  }
}

export interface ApiFixture {
  url: string;
  client: RecordingClient;
  /** A client whose requests are not recorded (test set-up). */
  admin: KubeClient;
  close(): Promise<void>;
}

export async function startApi(opts: { historySize?: number } = {}): Promise<ApiFixture> {
  const storage = openStorage('memory', { historySize: opts.historySize });
  const api = createApiServer(storage);
  await bootstrapSystemNamespaces(api);
  const addr = await api.listen('127.0.0.1', 0);
  const url = `http://127.0.0.1:${addr.port}`;
  const client = new RecordingClient({ server: url, userAgent: 'k8ts-kit-test' });
  const admin = new KubeClient({ server: url, userAgent: 'k8ts-kit-test-admin' });
  return {
    url,
    client,
    admin,
    close: async () => {
      client.close();
      admin.close();
      await api.close();
      await storage.close();
    },
  };
}

export async function until<T>(what: string, fn: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export const configMap = (ns: string, name: string, data: Record<string, string> = {}, labels?: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: ns, ...(labels ? { labels } : {}) },
  data,
});
