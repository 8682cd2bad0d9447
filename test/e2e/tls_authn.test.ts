// HTTPS and client-certificate authentication of `k8ts server` from outside: the PKI files and kubeconfigs it
// writes (0600 keys, reused after a restart), kubectl 1.33 and 1.27 with the admin kubeconfig, a user kubeconfig
// from the client CA, certificates from another CA or expired (401), no credentials (401 except the public
// paths), a refused bearer token, and plain HTTP refused. (@kubernetes/client-node 2.x cannot load on Node 20:
// its undici 8 needs Node 22.19, so it is not exercised here.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import https from 'node:https';
import { statSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TestCluster, readBody } from '../helpers/cluster.js';
import { createCA, certInfo } from '../../src/pki/certs.js';
import { issueClientCert } from '../../src/pki/cluster_pki.js';

let c: TestCluster;
before(async () => {
  c = await new TestCluster({ store: 'sqlite' }).start();
});
after(async () => {
  await c?.cleanup();
});

const UNAUTHORIZED = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 };

/** One HTTPS request with exactly these TLS credentials (no keep-alive pool). */
function send(
  path: string,
  o: { cert?: string | Buffer; key?: string | Buffer; headers?: Record<string, string> } = {},
): Promise<{ status: number; text: string }> {
  const u = new URL(c.server);
  return new Promise((resolve, reject) => {
    const req = https.request({ host: u.hostname, port: u.port, path, ca: c.tls().ca, cert: o.cert, key: o.key, headers: o.headers, agent: false }, (res) =>
      readBody(res).then((b) => resolve({ status: res.statusCode ?? 0, text: b.toString('utf8') }), reject),
    );
    req.on('error', reject);
    req.end();
  });
}

test('the PKI and kubeconfigs are written with private keys 0600', () => {
  const pki = join(c.dataDir, 'pki');
  for (const base of ['ca', 'client-ca', 'apiserver', 'apiserver-kubelet-client', 'admin', 'kube-scheduler', 'kube-controller-manager']) {
    assert.ok(existsSync(join(pki, `${base}.crt`)), `${base}.crt`);
    assert.equal(statSync(join(pki, `${base}.key`)).mode & 0o777, 0o600, `${base}.key`);
  }
  for (const f of ['kubeconfig.yaml', 'scheduler.kubeconfig', 'controller-manager.kubeconfig'])
    assert.equal(statSync(join(c.dataDir, f)).mode & 0o777, 0o600, f);
  const serving = certInfo(readFileSync(join(pki, 'apiserver.crt'), 'utf8'));
  for (const san of [
    '127.0.0.1',
    'localhost',
    'kubernetes',
    'kubernetes.default',
    'kubernetes.default.svc',
    'kubernetes.default.svc.cluster.local',
    '10.96.0.1',
  ]) {
    assert.ok(serving.altNames.includes(san), `SAN ${san} in ${serving.altNames.join(',')}`);
  }
  assert.equal(serving.issuer, 'CN=kubernetes');
  const admin = certInfo(readFileSync(join(pki, 'admin.crt'), 'utf8'));
  assert.match(admin.subject, /CN=kubernetes-admin/);
  assert.match(admin.subject, /O=system:masters/);
  assert.match(c.server, /^https:\/\/127\.0\.0\.1:\d+$/);
});

test('kubectl 1.33 and 1.27 work over TLS with the admin kubeconfig', async () => {
  await c.k(['create', 'configmap', 'over-tls', '--from-literal=a=1']);
  for (const minor of [33, 27]) assert.match(await c.k(['get', 'configmap', 'over-tls', '-o', 'name'], { minor }), /configmap\/over-tls/);
});

test('no credentials: 401 with upstream body, except the public health and version paths', async () => {
  const r = await c.api('GET', '/api/v1/pods', undefined, {}, { auth: false });
  assert.equal(r.status, 401);
  assert.deepEqual(r.body, UNAUTHORIZED);
  for (const p of ['/api', '/apis', '/openapi/v2', '/api/v1/namespaces/default/configmaps/over-tls'])
    assert.equal((await c.api('GET', p, undefined, {}, { auth: false })).status, 401, p);
  for (const p of ['/livez', '/readyz', '/healthz', '/version']) assert.equal((await c.api('GET', p, undefined, {}, { auth: false })).status, 200, p);
  // anonymous may only read them
  const post = await c.api('POST', '/version', '{}', {}, { auth: false });
  assert.equal(post.status, 403);
  assert.equal(post.body.message, 'forbidden: User "system:anonymous" cannot post path "/version"');
});

test('a user kubeconfig from the client CA is authenticated as its CN (kubectl 1.33 and 1.27; RBAC then denies)', async () => {
  const jane = await c.userKubeconfig('jane', ['devs']);
  assert.equal(statSync(jane).mode & 0o777, 0o600);
  for (const minor of [33, 27]) {
    const r = await c.kubectlAs(jane, ['get', 'configmap', 'over-tls', '-o', 'name'], { minor });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /configmaps "over-tls" is forbidden: User "jane" cannot get resource "configmaps" in API group "" in the namespace "default"/);
  }
});

test('a certificate from another CA and an expired one are 401; an unknown bearer token is 401', async () => {
  const now = new Date();
  const other = await createCA('another-ca', now, new Date(now.getTime() + 3600_000));
  const forged = await issueClientCert(other, 'kubernetes-admin', ['system:masters']);
  const r = await send('/api/v1/pods', forged);
  assert.equal(r.status, 401);
  assert.deepEqual(JSON.parse(r.text), UNAUTHORIZED);
  // even on the public paths: a credential that was presented and refused never falls back to anonymous
  assert.equal((await send('/readyz', forged)).status, 401);

  const expired = await c.userKubeconfig('old-jane', [], { now: new Date(now.getTime() - 2 * 86400_000), lifetimeMs: 86400_000 });
  const k = await c.kubectlAs(expired, ['get', 'pods']);
  assert.notEqual(k.code, 0);
  assert.match(k.stderr, /Unauthorized/);

  const token = await send('/api/v1/pods', { headers: { Authorization: 'Bearer not-a-token' } });
  assert.equal(token.status, 401);
  assert.deepEqual(JSON.parse(token.text), UNAUTHORIZED);
});

test('plain HTTP to the API port is refused and changes nothing', async () => {
  const before = (await c.api('GET', '/api/v1/namespaces/default/configmaps')).body.items.length;
  const u = new URL(c.server);
  const body = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'plain-http' } });
  const outcome = await new Promise<string>((resolve) => {
    const req = http.request(
      {
        host: u.hostname,
        port: u.port,
        method: 'POST',
        path: '/api/v1/namespaces/default/configmaps',
        headers: { 'Content-Type': 'application/json' },
        agent: false,
      },
      (res) => resolve(`answered ${res.statusCode}`),
    );
    req.setTimeout(10_000, () => req.destroy(new Error('timeout')));
    req.on('error', (e) => resolve(`error ${(e as NodeJS.ErrnoException).code ?? e.message}`));
    req.end(body);
  });
  assert.match(outcome, /^error /);
  assert.equal((await c.api('GET', '/api/v1/namespaces/default/configmaps/plain-http')).status, 404);
  assert.equal((await c.api('GET', '/api/v1/namespaces/default/configmaps')).body.items.length, before);
});

test('a restart reuses the PKI: same CA, same admin identity, new port', async () => {
  const ca = certInfo(c.tls().ca.toString('utf8')).fingerprint;
  const serving = readFileSync(join(c.dataDir, 'pki', 'apiserver.crt'), 'utf8');
  await c.restart();
  assert.equal(certInfo(c.tls().ca.toString('utf8')).fingerprint, ca);
  assert.equal(readFileSync(join(c.dataDir, 'pki', 'apiserver.crt'), 'utf8'), serving);
  assert.match(await c.k(['get', 'configmap', 'over-tls', '-o', 'name']), /over-tls/);
});
