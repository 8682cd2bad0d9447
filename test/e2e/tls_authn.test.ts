// HTTPS and client-certificate authentication of `k8ts server` from outside: the PKI files and kubeconfigs it
// writes (0600 keys, reused after a restart), kubectl 1.33 and 1.27 with the admin kubeconfig, a user kubeconfig
// from the client CA, certificates from another CA or expired (401), no credentials (401 except the public
// paths), a refused bearer token, plain HTTP and TLS below 1.2 refused; jane's own kubeconfig against RBAC and impersonation;
// the identities of the component kubeconfigs; the bootstrap policy reconciled on restart.
// (@kubernetes/client-node with the written kubeconfig: test/node/clients/client_node.test.ts.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import https from 'node:https';
import tls from 'node:tls';
import { statSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hostname } from 'node:os';
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
  assert.ok(serving.altNames.includes(hostname().toLowerCase()), `SAN ${hostname()} in ${serving.altNames.join(',')}`);
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

test("jane's own kubeconfig: forbidden, then allowed by a RoleBinding only in its namespace; no impersonation without the verb", async () => {
  const jane = await c.userKubeconfig('jane');
  await c.k(['create', 'namespace', 'jane-ns']);
  await c.k(['create', 'configmap', 'mine', '-n', 'jane-ns', '--from-literal=a=1']);
  const before = await c.kubectlAs(jane, ['get', 'configmaps', '-n', 'jane-ns']);
  assert.equal(before.code, 1);
  assert.equal(
    before.stderr.trim(),
    'Error from server (Forbidden): configmaps is forbidden: User "jane" cannot list resource "configmaps" in API group "" in the namespace "jane-ns"',
  );
  assert.equal((await c.kubectlAs(jane, ['auth', 'can-i', 'list', 'configmaps', '-n', 'jane-ns'])).stdout.trim(), 'no');
  await c.k(['create', 'rolebinding', 'jane-edit', '-n', 'jane-ns', '--clusterrole=edit', '--user=jane']);
  for (const minor of [33, 27]) {
    assert.match((await c.kubectlAs(jane, ['get', 'configmaps', '-n', 'jane-ns'], { minor })).stdout, /^mine\s+1\s/m, `kubectl 1.${minor}`);
    assert.equal((await c.kubectlAs(jane, ['auth', 'can-i', 'create', 'deployments', '-n', 'jane-ns'], { minor })).stdout.trim(), 'yes');
  }
  const created = await c.kubectlAs(jane, ['create', 'configmap', 'by-jane', '-n', 'jane-ns', '--from-literal=b=2']);
  assert.equal(created.code, 0, created.stderr);
  // only there
  const elsewhere = await c.kubectlAs(jane, ['create', 'configmap', 'by-jane', '-n', 'default', '--from-literal=b=2']);
  assert.equal(
    elsewhere.stderr.trim(),
    'error: failed to create configmap: configmaps is forbidden: User "jane" cannot create resource "configmaps" in API group "" in the namespace "default"',
  );
  assert.equal((await c.kubectlAs(jane, ['auth', 'can-i', 'list', 'configmaps', '-n', 'default'])).stdout.trim(), 'no');
  // impersonation needs the impersonate verb
  const as = await c.kubectlAs(jane, ['get', 'configmaps', '-n', 'jane-ns', '--as', 'kubernetes-admin', '--as-group', 'system:masters']);
  assert.equal(as.code, 1);
  assert.equal(
    as.stderr.trim(),
    'Error from server (Forbidden): users "kubernetes-admin" is forbidden: User "jane" cannot impersonate resource "users" in API group "" at the cluster scope',
  );
  await c.k(['create', 'clusterrole', 'impersonate-bob', '--verb=impersonate', '--resource=users', '--resource-name=bob']);
  await c.k(['create', 'clusterrolebinding', 'jane-as-bob', '--clusterrole=impersonate-bob', '--user=jane']);
  const whoami = JSON.parse((await c.kubectlAs(jane, ['auth', 'whoami', '-o', 'json', '--as', 'bob'])).stdout);
  assert.deepEqual(whoami.status.userInfo, { username: 'bob', groups: ['system:authenticated'] });
  const group = await c.kubectlAs(jane, ['get', 'configmaps', '-n', 'jane-ns', '--as', 'bob', '--as-group', 'system:masters']);
  assert.match(group.stderr, /groups "system:masters" is forbidden: User "jane" cannot impersonate resource "groups" in API group "" at the cluster scope/);
});

test('each component kubeconfig carries its own identity, with least privilege', async () => {
  const who = async (file: string) => {
    const r = await c.kubectlAs(join(c.dataDir, file), ['auth', 'whoami', '-o', 'json']);
    assert.equal(r.code, 0, `${file}: ${r.stderr}`);
    const u = JSON.parse(r.stdout).status.userInfo;
    return [u.username, ...(u.groups ?? [])].join(' ');
  };
  const can = async (file: string, ...args: string[]) => (await c.kubectlAs(join(c.dataDir, file), ['auth', 'can-i', ...args])).stdout.trim();
  assert.equal(await who('kubeconfig.yaml'), 'kubernetes-admin system:masters system:authenticated');
  assert.equal(await who('scheduler.kubeconfig'), 'system:kube-scheduler system:authenticated');
  assert.equal(await who('controller-manager.kubeconfig'), 'system:kube-controller-manager system:authenticated');
  assert.equal(await who('kube-proxy.kubeconfig'), 'system:kube-proxy system:authenticated');
  assert.equal(
    await who('dns.kubeconfig'),
    'system:serviceaccount:kube-system:coredns system:serviceaccounts system:serviceaccounts:kube-system system:authenticated',
  );
  assert.equal(await can('scheduler.kubeconfig', 'create', 'pods', '--subresource=binding', '-n', 'default'), 'yes');
  assert.equal(await can('scheduler.kubeconfig', 'get', 'secrets', '-n', 'default'), 'no');
  assert.equal(await can('scheduler.kubeconfig', 'delete', 'nodes'), 'no');
  assert.equal(await can('controller-manager.kubeconfig', 'create', 'pods', '--subresource=exec', '-n', 'default'), 'no');
  assert.equal(await can('controller-manager.kubeconfig', 'impersonate', 'users'), 'no');
  assert.equal(await can('kube-proxy.kubeconfig', 'list', 'endpointslices.discovery.k8s.io'), 'yes');
  assert.equal(await can('kube-proxy.kubeconfig', 'list', 'secrets', '-A'), 'no');
  assert.equal(await can('kube-proxy.kubeconfig', 'create', 'pods', '-n', 'default'), 'no');
  assert.equal(await can('dns.kubeconfig', 'list', 'services', '-A'), 'yes');
  assert.equal(await can('dns.kubeconfig', 'get', 'secrets', '-n', 'kube-system'), 'no');
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

test('TLS 1.2 and 1.3 only: a TLS 1.1 client gets a protocol_version alert', async () => {
  const u = new URL(c.server);
  const handshake = (version: tls.SecureVersion) =>
    new Promise<string>((resolve) => {
      // SECLEVEL=0 lets this client offer TLS 1.1 at all: the refusal is then the server's
      const s = tls.connect(
        { host: u.hostname, port: Number(u.port), ca: c.tls().ca, minVersion: 'TLSv1', maxVersion: version, ciphers: 'DEFAULT@SECLEVEL=0' },
        () => {
          resolve(`ok ${s.getProtocol()}`);
          s.end();
        },
      );
      s.on('error', (e: NodeJS.ErrnoException) => resolve(`error ${e.code ?? e.message}`));
    });
  assert.equal(await handshake('TLSv1.1'), 'error ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION');
  assert.equal(await handshake('TLSv1.2'), 'ok TLSv1.2');
  assert.equal(await handshake('TLSv1.3'), 'ok TLSv1.3');
});

test('a restart reuses the PKI (same CA, same admin identity, new port) and reconciles the bootstrap policy', async () => {
  const ca = certInfo(c.tls().ca.toString('utf8')).fingerprint;
  const serving = readFileSync(join(c.dataDir, 'pki', 'apiserver.crt'), 'utf8');
  // a bootstrap binding deleted, a bootstrap role stripped, and one the admin opted out of reconciliation
  const getJSON = async (kind: string, name: string) => JSON.parse(await c.k(['get', kind, name, '-o', 'json']));
  const discoveryRules = (await getJSON('clusterrole', 'system:discovery')).rules;
  await c.k(['delete', 'clusterrolebinding', 'system:basic-user']);
  await c.k(['patch', 'clusterrole', 'system:discovery', '--type=merge', '-p', '{"rules":[]}']);
  await c.k(['annotate', 'clusterrole', 'system:heapster', 'rbac.authorization.kubernetes.io/autoupdate=false', '--overwrite']);
  await c.k(['patch', 'clusterrole', 'system:heapster', '--type=merge', '-p', '{"rules":[]}']);
  await c.restart();
  assert.equal(certInfo(c.tls().ca.toString('utf8')).fingerprint, ca);
  assert.equal(readFileSync(join(c.dataDir, 'pki', 'apiserver.crt'), 'utf8'), serving);
  assert.match(await c.k(['get', 'configmap', 'over-tls', '-o', 'name']), /over-tls/);
  const basicUser = await getJSON('clusterrolebinding', 'system:basic-user');
  assert.deepEqual(basicUser.subjects, [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'system:authenticated' }]);
  assert.deepEqual(basicUser.roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:basic-user' });
  // as upstream, the missing rules come back broken down (one verb and URL each)
  const urls = (rules: { nonResourceURLs?: string[]; verbs: string[] }[]) =>
    rules.flatMap((r) => (r.nonResourceURLs ?? []).flatMap((u) => r.verbs.map((v) => `${v} ${u}`))).sort();
  assert.deepEqual(urls((await getJSON('clusterrole', 'system:discovery')).rules), urls(discoveryRules));
  assert.ok(!(await getJSON('clusterrole', 'system:heapster')).rules?.length, 'an autoupdate=false role is left as it is');
});
