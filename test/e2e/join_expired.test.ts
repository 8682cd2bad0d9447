// A node whose client certificate has expired bootstraps again by itself with its token, as kubelet falls back to
// its bootstrap kubeconfig: on its next start (even while its Node still shows Ready, since the data dir proves
// it is the same node), and while it runs (the certificate manager asks with the token once its own identity is
// gone). Against a real `k8ts server` whose signer issues 6-second certificates (--cluster-signing-duration).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestCluster, waitFor } from '../helpers/cluster.js';
import { bootstrapClient, bootstrapNodeCredentials, type NodeCredentials } from '../../src/kubelet/certificate/bootstrap.js';
import { CertificateManager } from '../../src/kubelet/certificate/manager.js';
import { KubeClient } from '../../src/client/rest.js';
import type { CertKeyPair } from '../../src/pki/certs.js';
import { logger } from '../../src/log/logger.js';

let c: TestCluster;
let joinToken = '';
let caHash = '';
const scratch = mkdtempSync(join(tmpdir(), 'k8ts-join-expired-'));
const log = logger('test');

before(async () => {
  c = await new TestCluster({ store: 'memory', extraArgs: ['--cluster-signing-duration', '6s'] }).start();
  const line = await waitFor(async () => /^join: (.*)$/m.exec(c.logs)?.[1], 20_000);
  joinToken = /--token (\S+)/.exec(line)![1]!;
  caHash = /--discovery-token-ca-cert-hash (\S+)/.exec(line)![1]!;
});
after(async () => {
  await c?.cleanup();
  rmSync(scratch, { recursive: true, force: true });
});

const notAfter = (pem: string) => Date.parse(new X509Certificate(pem).validTo);

/** Waits until the certificate has expired (and a little more, for the server's clock check). */
async function outlive(pem: string): Promise<void> {
  const ms = notAfter(pem) - Date.now() + 1200;
  if (ms > 0) await new Promise((r) => setTimeout(r, ms));
}

/** The HTTP code the API answers this identity for a GET of its own Node (401: not authenticated). */
async function codeFor(pair: CertKeyPair & { ca: string }, node: string): Promise<number> {
  const client = new KubeClient({ server: c.server, ca: pair.ca, cert: pair.cert, key: pair.key });
  try {
    await client.get(`/api/v1/nodes/${node}`);
    return 200;
  } catch (e) {
    return (e as { code?: number }).code ?? -1;
  } finally {
    client.close();
  }
}

/** Who asked for the certificate `pem` (the CSR that carries it) and the approval reasons. */
async function requesterOf(pem: string): Promise<{ username: string; reasons: string[] } | undefined> {
  const items = JSON.parse(await c.k(['get', 'csr', '-o', 'json'])).items as {
    spec: { username: string };
    status: { conditions?: { reason: string }[]; certificate?: string };
  }[];
  const csr = items.find((x) => x.status.certificate && Buffer.from(x.status.certificate, 'base64').toString().trim() === pem.trim());
  return csr && { username: csr.spec.username, reasons: (csr.status.conditions ?? []).map((k) => k.reason) };
}

async function bootstrapNode(node: string, token?: string): Promise<NodeCredentials> {
  return bootstrapNodeCredentials({ dataDir: join(scratch, node), nodeName: node, server: c.server, token, caCertHashes: token ? [caHash] : [], log });
}

test('an expired client certificate: the next start bootstraps again with the token, though the Node still shows Ready', async () => {
  const first = await bootstrapNode('node-x', joinToken);
  assert.equal(first.bootstrapped, true);
  assert.ok(notAfter(first.cert) - Date.now() <= 6_500, 'the signer issued a short-lived certificate');
  // the node registers itself and is Ready, as its kubelet would make it
  const nodeClient = new KubeClient({ server: c.server, ca: first.ca, cert: first.cert, key: first.key });
  await nodeClient.create('/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-x' } });
  nodeClient.close();
  const ready = await c.api(
    'PATCH',
    '/api/v1/nodes/node-x/status',
    { status: { conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' }] } },
    { 'Content-Type': 'application/merge-patch+json' },
  );
  assert.equal(ready.status, 200, ready.text);
  assert.equal(await codeFor(first, 'node-x'), 200);
  await outlive(first.cert);
  assert.equal(await codeFor(first, 'node-x'), 401, 'the server refuses the expired certificate');
  // without its token the node cannot, and says why
  await assert.rejects(bootstrapNode('node-x'), /no valid client certificate for system:node:node-x in .*kubelet-client-current\.pem, and no --token/);
  const again = await bootstrapNode('node-x', joinToken);
  assert.equal(again.bootstrapped, true);
  assert.notEqual(again.cert, first.cert);
  assert.ok(notAfter(again.cert) > Date.now());
  assert.equal(readFileSync(again.certFile, 'utf8').includes(again.cert.trim()), true, 'written to kubelet-client-current.pem');
  assert.equal(await codeFor(again, 'node-x'), 200);
  assert.deepEqual(await requesterOf(again.cert), { username: `system:bootstrap:${joinToken.split('.')[0]}`, reasons: ['AutoApproved'] });
  // another machine (no certificate of node-x on disk) joining under the Ready node's name is still refused
  await assert.rejects(
    bootstrapNodeCredentials({ dataDir: join(scratch, 'elsewhere'), nodeName: 'node-x', server: c.server, token: joinToken, caCertHashes: [caHash], log }),
    /a Node with name "node-x" and status "Ready" already exists in the cluster/,
  );
});

test('a running node whose certificate expired renews it with the bootstrap token, not its lost identity', async () => {
  const creds = await bootstrapNode('node-y', joinToken);
  const client = new KubeClient({ server: c.server, ca: creds.ca, cert: creds.cert, key: creds.key });
  const rotated: CertKeyPair[] = [];
  const m = new CertificateManager({
    file: creds.certFile,
    request: {
      signerName: 'kubernetes.io/kube-apiserver-client-kubelet',
      commonName: 'system:node:node-y',
      organizations: ['system:nodes'],
      usages: ['digital signature', 'client auth'],
    },
    client,
    bootstrapClient: () => bootstrapClient(c.server, creds.ca, joinToken),
    onRotate: (pair) => {
      client.setClientCertificate(pair);
      rotated.push(pair);
    },
    log,
    retryMs: 200,
  });
  try {
    // the machine slept through the renewal: the manager wakes with the certificate expired
    await outlive(creds.cert);
    assert.equal(await codeFor(creds, 'node-y'), 401);
    m.start();
    await waitFor(async () => rotated.length > 0 || undefined, 15_000);
    m.stop();
    const renewed = rotated[0]!;
    assert.equal(new X509Certificate(renewed.cert).subject, 'O=system:nodes\nCN=system:node:node-y');
    assert.equal(readFileSync(creds.certFile, 'utf8').includes(renewed.cert.trim()), true, 'written to kubelet-client-current.pem');
    // asked as system:bootstrap:<id> (the node's own expired identity would be 401), and the node is itself again
    assert.deepEqual(await requesterOf(renewed.cert), { username: `system:bootstrap:${joinToken.split('.')[0]}`, reasons: ['AutoApproved'] });
    const code = await codeFor({ ...renewed, ca: creds.ca }, 'node-y');
    assert.ok(code === 200 || code === 404, `authenticated as the node again (${code})`);
  } finally {
    m.stop();
    client.close();
  }
});
