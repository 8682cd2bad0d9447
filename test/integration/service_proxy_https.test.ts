// The seed's dashboard URL form through the real `kubectl proxy`: services/https:<name>:/proxy/ on an in-process
// API server reaches a Service endpoint that speaks TLS with a self-signed certificate (not verified, as
// upstream), rewrites its absolute links under the proxy path, and relays a WebSocket upgrade over that TLS hop.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket, WebSocketServer } from 'ws';
import { openStorage } from '../../src/storage/index.js';
import { createApiServer, bootstrapSystemNamespaces } from '../../src/apiserver/assemble.js';
import type { ApiServer } from '../../src/apiserver/server.js';
import { writeKubeconfig } from '../../src/cli/kubeconfig.js';
import { createCA, issueCert } from '../../src/pki/certs.js';
import { waitFor } from '../helpers/cluster.js';

const NS = 'kubernetes-dashboard';
/** The API server dials endpoints that are pods, never loopback: the backend listens on a real address of this host. */
const hostIP = Object.values(networkInterfaces())
  .flat()
  .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
const skip = hostIP ? false : 'needs a non-loopback IPv4 address';

let api: ApiServer;
let backend: https.Server;
let proxy: ChildProcess;
let dir = '';
let base = '';
const seen: string[] = [];

async function call(server: string, method: string, path: string, body: unknown): Promise<any> {
  const r = await fetch(server + path, { method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  const text = await r.text();
  assert.ok(r.status < 300, `${method} ${path}: ${r.status} ${text}`);
  return JSON.parse(text);
}

before(async () => {
  if (skip) return;
  dir = mkdtempSync(join(tmpdir(), 'k8ts-svcproxy-'));
  const now = Date.now();
  const ca = await createCA('k8ts-test-dashboard-ca', new Date(now - 60_000), new Date(now + 3600_000));
  const leaf = await issueCert(ca, {
    commonName: 'kubernetes-dashboard',
    usage: 'server',
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + 3600_000),
  });
  backend = https.createServer({ cert: leaf.cert, key: leaf.key }, (req, res) => {
    seen.push(`${req.method} ${req.url} proto=${req.headers['x-forwarded-proto'] ?? ''}`);
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end('<html><script src="/app.js"></script>dashboard over TLS</html>');
  });
  const wss = new WebSocketServer({ server: backend, path: '/api/sockjs' });
  wss.on('connection', (ws) => ws.on('message', (m) => ws.send(`echo:${m.toString()}`)));
  await new Promise<void>((r) => backend.listen(0, hostIP, r));
  const port = (backend.address() as AddressInfo).port;

  api = createApiServer(openStorage('memory'));
  await bootstrapSystemNamespaces(api);
  const addr = await api.listen('127.0.0.1', 0);
  const server = `http://127.0.0.1:${addr.port}`;
  await call(server, 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
  const pod = await call(server, 'POST', `/api/v1/namespaces/${NS}/pods`, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'dashboard-0', namespace: NS },
    spec: { nodeName: 'k8ts-fake-1', containers: [{ name: 'dashboard', image: 'busybox:1.35' }] },
  });
  pod.status = { phase: 'Running', podIP: hostIP, podIPs: [{ ip: hostIP }] };
  await call(server, 'PUT', `/api/v1/namespaces/${NS}/pods/dashboard-0/status`, pod);
  // as the dashboard's manifest: one unnamed port 443 → the container's 8443 (here the backend's port)
  await call(server, 'POST', `/api/v1/namespaces/${NS}/services`, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'kubernetes-dashboard', namespace: NS },
    spec: { ports: [{ port: 443, targetPort: port }] },
  });
  await call(server, 'POST', `/api/v1/namespaces/${NS}/endpoints`, {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name: 'kubernetes-dashboard', namespace: NS },
    subsets: [{ addresses: [{ ip: hostIP, targetRef: { kind: 'Pod', namespace: NS, name: 'dashboard-0' } }], ports: [{ port }] }],
  });
  const kubeconfig = join(dir, 'kubeconfig');
  writeKubeconfig(kubeconfig, server, 'k8ts-test-token');
  proxy = spawn('kubectl', ['--kubeconfig', kubeconfig, 'proxy', '--port=0'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, HOME: dir } });
  let out = '';
  proxy.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  const m = await waitFor(async () => /Starting to serve on (127\.0\.0\.1:\d+)/.exec(out) ?? undefined, 20_000);
  base = `http://${m[1]}`;
});

after(async () => {
  proxy?.kill('SIGTERM');
  backend?.closeAllConnections();
  backend?.close();
  await api?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const URL_PATH = `/api/v1/namespaces/${NS}/services/https:kubernetes-dashboard:/proxy/`;

test('kubectl proxy serves the dashboard URL form: services/https:name:/proxy/ to a TLS endpoint', { skip }, async () => {
  const r = await fetch(base + URL_PATH);
  assert.equal(r.status, 200);
  const body = await r.text();
  assert.match(body, /dashboard over TLS/);
  assert.ok(body.includes(`src="${URL_PATH.slice(0, -1)}/app.js"`), body);
  assert.deepEqual(seen.at(-1), 'GET / proto=https');
  // without the trailing slash: redirected to it
  const redirect = await fetch(base + URL_PATH.slice(0, -1), { redirect: 'manual' });
  assert.equal(redirect.status, 301);
  assert.equal(redirect.headers.get('location'), URL_PATH);
});

test('a WebSocket upgrade through kubectl proxy and services/https:…/proxy reaches the TLS endpoint', { skip }, async () => {
  const ws = new WebSocket(`${base.replace('http', 'ws')}${URL_PATH}api/sockjs`);
  const got = await new Promise<string>((resolve, reject) => {
    ws.on('open', () => ws.send('ping'));
    ws.on('message', (m) => resolve(m.toString()));
    ws.on('error', reject);
  });
  ws.close();
  assert.equal(got, 'echo:ping');
});
