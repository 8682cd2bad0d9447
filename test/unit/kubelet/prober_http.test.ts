// httpGet probe handler against servers on 127.0.0.1: status codes, redirects, headers, timeouts,
// named ports, body limit, HTTPS without certificate verification, one connection per probe closed promptly.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import https from 'node:https';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import net, { type AddressInfo } from 'node:net';
import { runHTTPProbe } from '../../../src/kubelet/prober/http_runner.js';
import { buildURL, canonicalHeader, requestHeaders, requestOptions } from '../../../src/kubelet/prober/http_get.js';

let server: http.Server;
let port = 0;
const seen: { url: string; headers: http.IncomingHttpHeaders }[] = [];
const sockets = new Set<import('node:net').Socket>();

before(async () => {
  server = http.createServer((req, res) => {
    seen.push({ url: req.url!, headers: req.headers });
    const u = new URL(req.url!, 'http://x');
    const p = u.pathname;
    if (p === '/ok') return res.end('all good');
    if (p === '/code') {
      res.statusCode = Number(u.searchParams.get('c'));
      return res.end('code body');
    }
    if (p === '/local-redirect') {
      res.writeHead(302, { Location: '/ok' });
      return res.end();
    }
    if (p === '/abs-redirect') {
      res.writeHead(301, { Location: `http://127.0.0.1:${port}/ok` });
      return res.end();
    }
    if (p === '/foreign-redirect') {
      res.writeHead(302, { Location: `http://localhost:${port}/foreign-target` });
      return res.end('moved away');
    }
    if (p === '/loop') {
      res.writeHead(302, { Location: '/loop' });
      return res.end();
    }
    if (p === '/slow') {
      const t = setTimeout(() => res.end('late'), 3000);
      res.on('close', () => clearTimeout(t));
      return;
    }
    if (p === '/big') return res.end('x'.repeat(50 * 1024));
    if (p === '/echo') return res.end(JSON.stringify(req.headers));
    res.statusCode = 404;
    res.end('nope');
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});

after(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((r) => server.close(r));
});

const container = { name: 'c', ports: [{ name: 'http', containerPort: 0 }] };
const probe = (p: string, extra: Partial<Parameters<typeof runHTTPProbe>[0]['action']> = {}, timeoutSec = 1) =>
  runHTTPProbe({ action: { port, path: p, host: '127.0.0.1', ...extra }, container, timeoutSec });

test('200 is Success with the body as output', async () => {
  const r = await probe('/ok');
  assert.equal(r.result, 'Success');
  assert.equal(r.output, 'all good');
  assert.equal(r.warning, undefined);
});

test('200..399 succeed, 400+ and 1xx-free others fail with upstream message', async () => {
  for (const c of [200, 204, 299]) assert.equal((await probe(`/code?c=${c}`)).result, 'Success', `code ${c}`);
  for (const c of [400, 404, 500, 503]) {
    const r = await probe(`/code?c=${c}`);
    assert.equal(r.result, 'Failure', `code ${c}`);
    assert.equal(r.output, `HTTP probe failed with statuscode: ${c}`);
  }
});

test('redirects to the same host are followed (relative and absolute)', async () => {
  for (const p of ['/local-redirect', '/abs-redirect']) {
    const r = await probe(p);
    assert.equal(r.result, 'Success');
    assert.equal(r.output, 'all good');
    assert.equal(r.warning, undefined);
  }
});

test('a redirect to another host is not followed: Success with a warning', async () => {
  const before = seen.filter((s) => s.url === '/foreign-target').length;
  const r = await probe('/foreign-redirect');
  assert.equal(r.result, 'Success');
  assert.equal(r.warning, 'Probe terminated redirects, Response body: moved away');
  assert.equal(seen.filter((s) => s.url === '/foreign-target').length, before, 'foreign target must not be requested');
});

test('a redirect loop stops after 10 redirects as a Failure', async () => {
  const r = await probe('/loop');
  assert.equal(r.result, 'Failure');
  assert.match(r.output, /stopped after 10 redirects/);
});

test('headers: kube-probe User-Agent, Accept */*, custom headers and Host override', async () => {
  seen.length = 0;
  const r = await probe('/echo', {
    httpHeaders: [
      { name: 'x-custom', value: 'v1' },
      { name: 'Host', value: 'example.test' },
    ],
  });
  assert.equal(r.result, 'Success');
  const h = JSON.parse(r.output) as Record<string, string>;
  assert.equal(h['user-agent'], 'kube-probe/1.33');
  assert.equal(h['accept'], '*/*');
  assert.equal(h['x-custom'], 'v1');
  assert.equal(h['host'], 'example.test');
  assert.equal(h['connection'], 'close');
});

test('a user User-Agent replaces the default; kubeVersion sets major.minor', async () => {
  const mine = await probe('/echo', { httpHeaders: [{ name: 'User-Agent', value: 'mine/1' }] });
  assert.equal((JSON.parse(mine.output) as Record<string, string>)['user-agent'], 'mine/1');
  const v = await runHTTPProbe({ action: { port, path: '/echo', host: '127.0.0.1' }, container, timeoutSec: 1, kubeVersion: 'v1.33.2' });
  assert.equal((JSON.parse(v.output) as Record<string, string>)['user-agent'], 'kube-probe/1.33');
});

test('timeoutSeconds is enforced', async () => {
  const t0 = Date.now();
  const r = await probe('/slow', {}, 1);
  const took = Date.now() - t0;
  assert.equal(r.result, 'Failure');
  assert.match(r.output, /context deadline exceeded/);
  assert.ok(took >= 950 && took < 1600, `took ${took} ms`);
});

test('host defaults to the pod IP; port by container port name', async () => {
  const c = { name: 'c', ports: [{ name: 'web', containerPort: port }] };
  const r = await runHTTPProbe({ action: { port: 'web', path: '/ok' }, container: c, podIP: '127.0.0.1', timeoutSec: 1 });
  assert.equal(r.result, 'Success');
  const bad = await runHTTPProbe({ action: { port: 'nosuch', path: '/ok' }, container: c, podIP: '127.0.0.1', timeoutSec: 1 });
  assert.equal(bad.result, 'Unknown');
  assert.match(bad.output, /couldn't find port: nosuch/);
  const str = await runHTTPProbe({ action: { port: String(port), path: '/ok' }, container: c, podIP: '127.0.0.1', timeoutSec: 1 });
  assert.equal(str.result, 'Success');
});

test('connection refused is a Failure with a dial error', async () => {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const closed = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  const r = await runHTTPProbe({ action: { port: closed, path: '/' }, container, podIP: '127.0.0.1', timeoutSec: 1 });
  assert.equal(r.result, 'Failure');
  assert.equal(r.output, `Get "http://127.0.0.1:${closed}/": dial tcp 127.0.0.1:${closed}: connect: connection refused`);
});

test('the body read is limited to 10 KiB', async () => {
  const r = await probe('/big');
  assert.equal(r.result, 'Success');
  assert.equal(r.output.length, 10 * 1024);
});

test('HTTPS without certificate verification', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'k8ts-probe-tls-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-subj',
        '/CN=k8ts-test',
        '-days',
        '1',
        '-keyout',
        path.join(dir, 'k.pem'),
        '-out',
        path.join(dir, 'c.pem'),
      ],
      { stdio: 'ignore' },
    );
    const s = https.createServer({ key: fs.readFileSync(path.join(dir, 'k.pem')), cert: fs.readFileSync(path.join(dir, 'c.pem')) }, (_req, res) =>
      res.end('secure'),
    );
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    const p = (s.address() as AddressInfo).port;
    try {
      const r = await runHTTPProbe({ action: { port: p, path: '/', scheme: 'HTTPS' }, container, podIP: '127.0.0.1', timeoutSec: 2 });
      assert.equal(r.result, 'Success');
      assert.equal(r.output, 'secure');
    } finally {
      s.closeAllConnections();
      await new Promise((r) => s.close(r));
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('URL building and header helpers', () => {
  assert.equal(buildURL('HTTP', '10.244.0.5', 8080, '/healthz?x=1').href, 'http://10.244.0.5:8080/healthz?x=1');
  assert.equal(buildURL('HTTPS', 'fd00::1', 443, 'ready').href, 'https://[fd00::1]/ready');
  assert.equal(buildURL(undefined, '127.0.0.1', 8080, '//evil/x').host, '127.0.0.1:8080');
  assert.equal(canonicalHeader('x-my-HEADER'), 'X-My-Header');
  assert.deepEqual(requestHeaders([{ name: 'accept', value: '' }], 'ua'), [['User-Agent', 'ua']]);
});

test('request options: Connection: close unless the user sent one, IPv6 host unbracketed, default ports, path and query', () => {
  const o = requestOptions(buildURL('HTTP', '10.244.0.5', 8080, '/healthz?x=1'), requestHeaders(undefined, 'kube-probe/1.31'));
  assert.equal(o.hostname, '10.244.0.5');
  assert.equal(o.port, 8080);
  assert.equal(o.path, '/healthz?x=1');
  assert.equal(o.agent, undefined, 'no Agent: a connection of its own');
  assert.equal(typeof o.createConnection, 'function');
  assert.deepEqual(o.headers, { 'User-Agent': 'kube-probe/1.31', Accept: '*/*', Connection: 'close' });
  const v6 = requestOptions(buildURL('HTTPS', 'fd00::1', 443, '/'), [
    ['Connection', 'keep-alive'],
    ['Host', 'example.test'],
  ]);
  assert.equal(v6.hostname, 'fd00::1');
  assert.equal(v6.port, 443);
  assert.equal(v6.defaultPort, 443);
  assert.deepEqual(v6.headers, { Connection: 'keep-alive', Host: 'example.test' });
  assert.equal(requestOptions(new URL('http://10.0.0.1/'), []).port, 80);
});

test('the connection is closed once the body is read, even if the server would keep it open', async () => {
  const closed: number[] = [];
  const t0 = Date.now();
  const raw = net.createServer((s) => {
    s.once('data', () => s.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\nok'));
    s.on('end', () => closed.push(Date.now() - t0));
    s.on('error', () => {});
  });
  await new Promise<void>((r) => raw.listen(0, '127.0.0.1', r));
  const p = (raw.address() as AddressInfo).port;
  try {
    const r = await runHTTPProbe({ action: { port: p, path: '/' }, container, podIP: '127.0.0.1', timeoutSec: 5 });
    assert.equal(r.result, 'Success');
    assert.equal(r.output, 'ok');
    for (let i = 0; i < 100 && !closed.length; i++) await new Promise((res) => setTimeout(res, 10));
    assert.equal(closed.length, 1, 'the probe closed its connection');
  } finally {
    await new Promise((r) => raw.close(r));
  }
});

test('a probe re-targets when the pod IP changes (the prepared URL is per host)', async () => {
  const action = { port, path: '/ok' };
  assert.equal((await runHTTPProbe({ action, container, podIP: '127.0.0.1', timeoutSec: 1 })).result, 'Success');
  const moved = await runHTTPProbe({ action, container, podIP: '127.0.0.2', timeoutSec: 1 });
  assert.equal(moved.result, 'Failure');
  assert.match(moved.output, new RegExp(`^Get "http://127\\.0\\.0\\.2:${port}/ok": `));
  assert.equal((await runHTTPProbe({ action, container, podIP: '127.0.0.1', timeoutSec: 1 })).result, 'Success');
});
