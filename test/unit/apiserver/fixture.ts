// An in-process API server (memory storage) on a loopback port, with the chain and admission a test
// configures, plus small HTTP helpers.
import net from 'node:net';
import { openStorage } from '../../../src/storage/index.js';
import { bootstrapSystemNamespaces, createApiServer, defaultRegistry, type ServerConfig } from '../../../src/apiserver/assemble.js';
import type { ApiServer } from '../../../src/apiserver/server.js';
import type { ResourceRegistry } from '../../../src/apiserver/registry.js';

export interface TestServer {
  api: ApiServer;
  base: string;
  port: number;
  close(): Promise<void>;
}

export async function startServer(config: ServerConfig = {}, registry: ResourceRegistry = defaultRegistry()): Promise<TestServer> {
  const api = createApiServer(openStorage('memory'), registry, {}, undefined, config);
  await bootstrapSystemNamespaces(api);
  const addr = await api.listen('127.0.0.1', 0);
  return { api, base: `${config.tls ? 'https' : 'http'}://127.0.0.1:${addr.port}`, port: addr.port, close: () => api.close() };
}

export interface Reply {
  status: number;
  body: Record<string, unknown>;
}

export async function call(base: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  const res = await fetch(base + path, {
    method,
    headers: { 'Content-Type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = text ? JSON.parse(text) : {};
  } catch {
    parsed = { text };
  }
  return { status: res.status, body: parsed };
}

/** Send a raw upgrade request and return the first response head + body the server writes. */
export function rawUpgrade(port: number, path: string, method = 'POST'): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1');
    let data = '';
    s.on('data', (d) => (data += d.toString('utf8')));
    s.on('error', reject);
    s.on('close', () => resolve(data));
    s.write(
      `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n` +
        `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Protocol: v5.channel.k8s.io\r\n\r\n`,
    );
    setTimeout(() => s.destroy(), 5000).unref();
  });
}

export function pod(name: string, extra: Record<string, unknown> = {}) {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'main', image: 'busybox' }] }, ...extra };
}

export function configMap(name: string, data: Record<string, string> = { a: '1' }) {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data };
}
