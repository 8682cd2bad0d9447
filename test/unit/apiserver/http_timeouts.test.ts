// The API server's socket deadlines: slow-loris headers and silent connections are closed, idle
// keep-alive connections too, while a watch (a request already received) stays open past them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import http from 'node:http';
import { MemoryStorage } from '../../../src/storage/memory.js';
import { bootstrapSystemNamespaces, createApiServer } from '../../../src/apiserver/assemble.js';
import type { ApiServer } from '../../../src/apiserver/server.js';
import { HTTP_TIMEOUTS } from '../../../src/apiserver/server.js';

let api: ApiServer;
let port: number;
before(async () => {
  api = createApiServer(new MemoryStorage());
  await bootstrapSystemNamespaces(api);
  // the production values are 32 s / 60 s / 90 s; shortened so the test waits seconds, not minutes
  api.http.headersTimeout = 1000;
  api.http.requestTimeout = 1500;
  api.http.keepAliveTimeout = 1000;
  port = (await api.listen('127.0.0.1', 0)).port;
});
after(async () => {
  await api.close();
});

/** Resolves with what the server sent once it closes the connection (or rejects after `ms`). */
function closedWithin(sock: net.Socket, ms: number): Promise<string> {
  let got = '';
  sock.on('data', (d) => (got += d.toString()));
  sock.on('error', () => {});
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`connection still open after ${ms} ms`)), ms);
    sock.on('close', () => {
      clearTimeout(t);
      resolve(got);
    });
  });
}

test('the server keeps upstream-like deadlines by default', () => {
  assert.equal(HTTP_TIMEOUTS.headersTimeout, 32_000);
  assert.equal(HTTP_TIMEOUTS.keepAliveTimeout, 90_000);
  const fresh = createApiServer(new MemoryStorage());
  assert.equal(fresh.http.headersTimeout, 32_000);
  assert.equal(fresh.http.requestTimeout, 60_000);
  assert.equal(fresh.http.keepAliveTimeout, 90_000);
});

test('headers sent a byte every 200 ms: the connection is closed', async () => {
  const sock = net.connect(port, '127.0.0.1');
  const request = 'GET /api/v1/namespaces HTTP/1.1\r\nHost: x\r\nX-Slow: ' + 'a'.repeat(10_000);
  let i = 0;
  const iv = setInterval(() => {
    if (!sock.destroyed) sock.write(request[i++]);
  }, 200);
  try {
    const got = await closedWithin(sock, 30_000);
    assert.ok(got === '' || got.startsWith('HTTP/1.1 408'), got);
  } finally {
    clearInterval(iv);
  }
});

test('a connection that never sends a byte is closed', async () => {
  const sock = net.connect(port, '127.0.0.1');
  assert.equal(await closedWithin(sock, 30_000), '');
});

test('an idle keep-alive connection is closed after its response', async () => {
  const sock = net.connect(port, '127.0.0.1');
  sock.write('GET /readyz HTTP/1.1\r\nHost: x\r\n\r\n');
  const got = await closedWithin(sock, 30_000);
  assert.match(got, /^HTTP\/1\.1 200/);
});

test('a watch stays open past the header and request deadlines and still delivers events', async () => {
  const events: string[] = [];
  const req = http.get({ host: '127.0.0.1', port, path: '/api/v1/namespaces/default/configmaps?watch=true', agent: false });
  const res = await new Promise<http.IncomingMessage>((resolve) => req.on('response', resolve));
  assert.equal(res.statusCode, 200);
  let closed = false;
  res.on('close', () => (closed = true));
  res.on('data', (d: Buffer) => events.push(...d.toString().split('\n').filter(Boolean)));
  await new Promise((r) => setTimeout(r, 5000)); // > headersTimeout + requestTimeout + Node's check interval
  assert.equal(closed, false);
  const store = api.storeFor(api.services.lookup('', 'v1', 'configmaps')!);
  await store.create('default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'late' } });
  for (let i = 0; i < 50 && events.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
  assert.equal(JSON.parse(events[0]).type, 'ADDED');
  assert.equal(JSON.parse(events[0]).object.metadata.name, 'late');
  req.destroy();
});
