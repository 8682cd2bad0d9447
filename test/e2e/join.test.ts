// Joining, from outside a real `k8ts server` (control plane only) with real kubectl: the printed join command
// (token + the CA's SPKI pin), the token's identity (system:bootstrap:<id>), cluster-info read anonymously with a JWS per signing token, k8ts token
// create/list/delete, CertificateSigningRequests through kubectl (get csr columns, certificate approve|deny,
// 422 for a bad request), a node's TLS bootstrap and renewal (AutoApproved by SubjectAccessReview), and the
// agent refusing bad input: a wrong, expired or authentication-less token (401), a CA that does not match the
// pin, a name a Ready node holds.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compactVerify } from 'jose';
import { K8TS_BIN, TestCluster, waitFor } from '../helpers/cluster.js';
import { createCSR } from '../../src/pki/csr.js';
import { bootstrapNodeCredentials } from '../../src/kubelet/certificate/bootstrap.js';
import { CertificateManager } from '../../src/kubelet/certificate/manager.js';
import { KubeClient } from '../../src/client/rest.js';
import { logger } from '../../src/log/logger.js';

let c: TestCluster;
let joinToken = '';
let caHash = '';
const scratch = mkdtempSync(join(tmpdir(), 'k8ts-join-'));

before(async () => {
  c = await new TestCluster({ store: 'memory' }).start();
  const line = await waitFor(async () => /^join: (.*)$/m.exec(c.logs)?.[1], 20_000);
  joinToken = /--token (\S+)/.exec(line)![1];
  caHash = /--discovery-token-ca-cert-hash (\S+)/.exec(line)![1];
});
after(async () => {
  await c?.cleanup();
  rmSync(scratch, { recursive: true, force: true });
});

function k8ts(args: string[], timeoutMs = 60_000): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [K8TS_BIN, ...args], { timeout: timeoutMs }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}
const token = (...args: string[]) => k8ts(['token', ...args, '--kubeconfig', c.kubeconfig]);
const agent = (dir: string, ...args: string[]) => k8ts(['agent', '--server', c.server, '--data-dir', join(scratch, dir), '--node-name', dir, ...args]);

test('the server prints the join command: its token and the SHA-256 pin of the CA public key', () => {
  assert.match(joinToken, /^[a-z0-9]{6}\.[a-z0-9]{16}$/);
  const spki = new X509Certificate(readFileSync(join(c.dataDir, 'pki', 'ca.crt'))).publicKey.export({ type: 'spki', format: 'der' });
  assert.equal(caHash, `sha256:${createHash('sha256').update(spki).digest('hex')}`);
  assert.match(
    c.logs,
    new RegExp(`^join: k8ts agent --server https://127\\.0\\.0\\.1:\\d+ --token ${joinToken} --discovery-token-ca-cert-hash ${caHash}$`, 'm'),
  );
});

test('the join token authenticates as system:bootstrap:<id> in system:bootstrappers and its extra groups; a wrong secret is 401', async () => {
  const review = (t: string) =>
    c.api(
      'POST',
      '/apis/authentication.k8s.io/v1/selfsubjectreviews',
      { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
      { Authorization: `Bearer ${t}` },
      { auth: false },
    );
  const r = await review(joinToken);
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(r.body.status.userInfo, {
    username: `system:bootstrap:${joinToken.split('.')[0]}`,
    groups: ['system:bootstrappers', 'system:bootstrappers:kubeadm:default-node-token', 'system:authenticated'],
  });
  const wrong = await review(`${joinToken.split('.')[0]}.0000000000000000`);
  assert.equal(wrong.status, 401);
  assert.equal(wrong.body.reason, 'Unauthorized');
  // it may read nodes (kubeadm:get-nodes) and ask for a client certificate, nothing more
  const get = await c.api('GET', '/api/v1/secrets', undefined, { Authorization: `Bearer ${joinToken}` }, { auth: false });
  assert.equal(get.status, 403);
  assert.equal(
    get.body.message,
    `secrets is forbidden: User "system:bootstrap:${joinToken.split('.')[0]}" cannot list resource "secrets" in API group "" at the cluster scope`,
  );
});

test('cluster-info is readable without credentials and signed (JWS, HS256, kid) for the join token', async () => {
  const r = await c.api('GET', '/api/v1/namespaces/kube-public/configmaps/cluster-info', undefined, {}, { auth: false });
  assert.equal(r.status, 200);
  const [id, secret] = joinToken.split('.');
  const sig = await waitFor(async () => {
    const cm = (await c.api('GET', '/api/v1/namespaces/kube-public/configmaps/cluster-info', undefined, {}, { auth: false })).body;
    return cm.data[`jws-kubeconfig-${id}`] as string | undefined;
  });
  const { kubeconfig } = r.body.data as { kubeconfig: string };
  assert.match(kubeconfig, /certificate-authority-data: /);
  const [header, empty, signature] = sig.split('.');
  assert.equal(empty, '', 'detached: no payload');
  const { protectedHeader } = await compactVerify(`${header}.${Buffer.from(kubeconfig).toString('base64url')}.${signature}`, new TextEncoder().encode(secret));
  assert.deepEqual(protectedHeader, { alg: 'HS256', kid: id });
  // nothing else in kube-public, and no other ConfigMap, is anonymous
  assert.equal((await c.api('GET', '/api/v1/namespaces/kube-public/configmaps', undefined, {}, { auth: false })).status, 401);
});

test('k8ts token create, list and delete (kubeadm token)', async () => {
  const created = await token('create', '--ttl', '2h', '--description', 'for e2e');
  assert.equal(created.code, 0, created.stderr);
  const t = created.stdout.trim();
  assert.match(t, /^[a-z0-9]{6}\.[a-z0-9]{16}$/);
  const list = await token('list');
  assert.equal(list.code, 0, list.stderr);
  const lines = list.stdout.trimEnd().split('\n');
  assert.match(lines[0]!, /^TOKEN\s+TTL\s+EXPIRES\s+USAGES\s+DESCRIPTION\s+EXTRA GROUPS$/);
  const row = lines.find((l) => l.startsWith(t));
  assert.ok(row, list.stdout);
  assert.match(row!, /\s(1h|2h)\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\s+authentication,signing\s+for e2e\s+system:bootstrappers:kubeadm:default-node-token$/);
  assert.ok(
    lines.some((l) => l.startsWith(joinToken)),
    'the server keeps its own token',
  );
  const join = await token('create', '--print-join-command', '--usages', 'signing,authentication');
  assert.match(
    join.stdout,
    /^k8ts agent --server https:\/\/127\.0\.0\.1:\d+ --token [a-z0-9]{6}\.[a-z0-9]{16} --discovery-token-ca-cert-hash sha256:[0-9a-f]{64}\n$/,
  );
  const del = await token('delete', t.split('.')[0]!);
  assert.equal(del.code, 0, del.stderr);
  assert.equal(del.stdout, `bootstrap token "${t.split('.')[0]}" deleted\n`);
  assert.ok(!(await token('list')).stdout.includes(t));
  const bad = await token('create', 'not-a-token');
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /was not of the form/);
  assert.notEqual((await token('create', '--usages', 'flying')).code, 0);
});

function csrYaml(name: string, request: string, signer = 'kubernetes.io/kube-apiserver-client', extra = ''): string {
  return `apiVersion: certificates.k8s.io/v1
kind: CertificateSigningRequest
metadata: {name: ${name}}
spec:
  request: ${Buffer.from(request).toString('base64')}
  signerName: ${signer}
  usages: [client auth]
${extra}`;
}

test('kubectl get csr, certificate approve and deny (kubectl 1.33 and 1.27)', async () => {
  const { csr } = await createCSR({ commonName: 'jane', organizations: ['devs'] });
  await c.k(['apply', '-f', '-'], { input: csrYaml('jane', csr, undefined, '  expirationSeconds: 3600\n') });
  await c.k(['apply', '-f', '-'], { input: csrYaml('joe', csr) });
  const pending = await c.k(['get', 'csr', 'jane']);
  assert.match(
    pending,
    /^NAME\s+AGE\s+SIGNERNAME\s+REQUESTOR\s+REQUESTEDDURATION\s+CONDITION\njane\s+\S+\s+kubernetes\.io\/kube-apiserver-client\s+kubernetes-admin\s+60m\s+Pending\n$/,
  );
  assert.match(await c.k(['certificate', 'approve', 'jane']), /certificatesigningrequest.certificates.k8s.io\/jane approved/);
  assert.match(await c.k(['certificate', 'deny', 'joe'], { minor: 27 }), /joe denied/);
  const issued = await waitFor(async () => {
    const o = JSON.parse(await c.k(['get', 'csr', 'jane', '-o', 'json']));
    return o.status.certificate ? o : undefined;
  });
  assert.deepEqual(
    issued.status.conditions.map((x: { type: string; reason: string }) => [x.type, x.reason]),
    [['Approved', 'KubectlApprove']],
  );
  const cert = new X509Certificate(Buffer.from(issued.status.certificate, 'base64'));
  assert.equal(cert.subject, 'O=devs\nCN=jane');
  assert.ok(cert.checkIssued(new X509Certificate(readFileSync(join(c.dataDir, 'pki', 'client-ca.crt')))));
  const hours = (Date.parse(cert.validTo) - Date.now()) / 3600_000;
  assert.ok(hours > 0.9 && hours <= 1.01, `expirationSeconds respected: ${hours}h`);
  assert.match(await c.k(['get', 'csr'], { minor: 27 }), /jane\s.*Approved,Issued\n(.*\n)*joe\s.*Denied/);
  // approving a denied request is refused (by kubectl), and its conditions stay
  const r = await c.kubectl(['certificate', 'approve', 'joe']);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /already Denied/);
  // a user may not approve without "approve" on the signer
  const jane = await c.userKubeconfig('jane');
  await c.k(['create', 'clusterrole', 'csr-editor', '--verb=get,list,update', '--resource=certificatesigningrequests,certificatesigningrequests/approval']);
  await c.k(['create', 'clusterrolebinding', 'csr-editor', '--clusterrole=csr-editor', '--user=jane']);
  await c.k(['apply', '-f', '-'], { input: csrYaml('third', csr) });
  const forbidden = await c.kubectlAs(jane, ['certificate', 'approve', 'third']);
  assert.notEqual(forbidden.code, 0);
  assert.match(forbidden.stderr, /user not permitted to approve requests with signerName "kubernetes.io\/kube-apiserver-client"/);
});

test('a bad CertificateSigningRequest is 422 naming the fields, and system:masters cannot be asked for', async () => {
  const r = await c.kubectl(['apply', '-f', '-'], {
    input: `apiVersion: certificates.k8s.io/v1
kind: CertificateSigningRequest
metadata: {name: bad}
spec:
  request: aGVsbG8=
  signerName: foo
  expirationSeconds: 10
  usages: [client auth, client auth, flying]
`,
  });
  assert.notEqual(r.code, 0);
  for (const m of [
    /spec\.request: Invalid value: .*PEM block type must be CERTIFICATE REQUEST/,
    /spec\.usages\[1\]: Duplicate value: "client auth"/,
    /spec\.usages\[2\]: Unsupported value: "flying"/,
    /spec\.signerName: Invalid value: "foo": must be a fully qualified domain and path of the form 'example.com\/signer-name'/,
    /spec\.expirationSeconds: Invalid value: 10: may not specify a duration less than 600 seconds/,
  ])
    assert.match(r.stderr, m);
  const { csr } = await createCSR({ commonName: 'root', organizations: ['system:masters'] });
  const masters = await c.kubectl(['apply', '-f', '-'], { input: csrYaml('masters', csr) });
  assert.notEqual(masters.code, 0);
  assert.match(masters.stderr, /use of kubernetes.io\/kube-apiserver-client signer with system:masters group is not allowed/);
  assert.equal((await c.kubectl(['get', 'csr', 'bad'])).code, 1, 'nothing was stored');
});

test("a node's TLS bootstrap with the token, reuse on the next start, and renewal with its own identity", async () => {
  const dir = join(scratch, 'node-a');
  const log = logger('test');
  const creds = await bootstrapNodeCredentials({ dataDir: dir, nodeName: 'node-a', server: c.server, token: joinToken, caCertHashes: [caHash], log });
  assert.equal(creds.bootstrapped, true);
  const cert = new X509Certificate(readFileSync(join(dir, 'pki', 'kubelet-client-current.pem')));
  assert.equal(cert.subject, 'O=system:nodes\nCN=system:node:node-a');
  const again = await bootstrapNodeCredentials({ dataDir: dir, nodeName: 'node-a', server: c.server, caCertHashes: [], log });
  assert.equal(again.bootstrapped, false, 'a later start reuses the certificate, without a token');
  const csrs = JSON.parse(await c.k(['get', 'csr', '-o', 'json'])).items as {
    spec: { username: string };
    status: { conditions?: { reason: string; message: string }[] };
  }[];
  const first = csrs.find((x) => x.spec.username === `system:bootstrap:${joinToken.split('.')[0]}`);
  assert.deepEqual(
    first?.status.conditions?.map((x) => [x.reason, x.message]),
    [['AutoApproved', 'Auto approving kubelet client certificate after SubjectAccessReview.']],
  );
  // renewal: a CSR as system:node:node-a, approved through selfnodeclient
  const client = new KubeClient({ server: c.server, ca: creds.ca, cert: creds.cert, key: creds.key });
  let rotated = '';
  const m = new CertificateManager({
    file: creds.certFile,
    request: {
      signerName: 'kubernetes.io/kube-apiserver-client-kubelet',
      commonName: 'system:node:node-a',
      organizations: ['system:nodes'],
      usages: ['digital signature', 'client auth'],
    },
    client,
    onRotate: (p) => (rotated = p.cert),
    log,
  });
  await m.rotate();
  client.close();
  assert.ok(rotated && rotated !== creds.cert);
  assert.equal(readFileSync(creds.certFile, 'utf8').includes(rotated.trim()), true, 'written to kubelet-client-current.pem');
  const renewal = (
    JSON.parse(await c.k(['get', 'csr', '-o', 'json'])).items as { spec: { username: string }; status: { conditions?: { message: string }[] } }[]
  ).find((x) => x.spec.username === 'system:node:node-a');
  assert.equal(renewal?.status.conditions?.[0]?.message, 'Auto approving self kubelet client certificate after SubjectAccessReview.');
});

test('the agent refuses bad input and exits non-zero: wrong, expired or authentication-less tokens (401), a wrong pin, a taken name', async () => {
  const [id] = joinToken.split('.');
  const wrong = await agent('bad1', '--token', `${id}.0000000000000000`, '--discovery-token-ca-cert-hash', caHash);
  assert.equal(wrong.code, 1);
  assert.match(
    wrong.stderr,
    /^error: token id "[a-z0-9]{6}" is invalid for this cluster or it has expired: the API server refused the token: 401 Unauthorized/m,
  );
  const unknown = await agent('bad2', '--token', 'zzzzzz.0000000000000000', '--discovery-token-ca-cert-hash', caHash);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /401 Unauthorized/);
  // a token for signing only: discovery works, then the API server refuses it
  const signingOnly = (await token('create', '--usages', 'signing')).stdout.trim();
  await waitFor(
    async () => (await c.api('GET', '/api/v1/namespaces/kube-public/configmaps/cluster-info')).body.data[`jws-kubeconfig-${signingOnly.split('.')[0]}`],
  );
  const noAuth = await agent('bad3', '--token', signingOnly, '--discovery-token-ca-cert-hash', caHash);
  assert.equal(noAuth.code, 1);
  assert.match(noAuth.stderr, /^error: the API server refused the bootstrap token: 401 Unauthorized/m);
  // expired: the authenticator refuses it and the bootstrap signer drops its signature
  const expiring = (await token('create', '--ttl', '1s')).stdout.trim();
  await new Promise((r) => setTimeout(r, 2500));
  const expired = await agent('bad4', '--token', expiring, '--discovery-token-ca-cert-hash', caHash);
  assert.equal(expired.code, 1);
  assert.match(expired.stderr, /401 Unauthorized/);
  const pin = await agent('bad5', '--token', joinToken, '--discovery-token-ca-cert-hash', `sha256:${'0'.repeat(64)}`);
  assert.equal(pin.code, 1);
  assert.match(pin.stderr, /^error: cluster CA found in cluster-info ConfigMap is invalid: none of the public keys "sha256:0{64}" are pinned/m);
  assert.match((await agent('bad6', '--token', joinToken)).stderr, /--discovery-token-ca-cert-hash is required/);
  // a Ready node holds the name
  await c.k(['apply', '-f', '-'], { input: 'apiVersion: v1\nkind: Node\nmetadata: {name: taken}\n' });
  const st = await c.api(
    'PATCH',
    '/api/v1/nodes/taken/status',
    { status: { conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'ready' }] } },
    {
      'Content-Type': 'application/merge-patch+json',
    },
  );
  assert.equal(st.status, 200, st.text);
  const taken = await agent('taken', '--token', joinToken, '--discovery-token-ca-cert-hash', caHash);
  assert.equal(taken.code, 1);
  assert.match(taken.stderr, /^error: a Node with name "taken" and status "Ready" already exists in the cluster/m);
  // none of them got a certificate
  const users = (JSON.parse(await c.k(['get', 'csr', '-o', 'json'])).items as { spec: { username: string } }[]).map((x) => x.spec.username);
  assert.ok(!users.some((u) => u.includes('zzzzzz')));
  assert.equal(users.filter((u) => u.startsWith('system:bootstrap:')).length, 1, 'only node-a bootstrapped');
});
