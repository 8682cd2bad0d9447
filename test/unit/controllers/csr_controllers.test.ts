// The CSR controllers' decisions: which requests the approver recognizes (node client, self renewal, a node's own
// serving certificate), what the signer refuses, when the cleaner deletes, which tokens the bootstrap signer signs
// for, and the kubelet's rotation deadline.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CertificateSigningRequest } from '../../../src/api/certificates/v1/types.js';
import type { Node, Secret } from '../../../src/api/core/v1/types.js';
import type { ParsedCSR } from '../../../src/pki/csr.js';
import { recognizers } from '../../../src/controllers/certificates/approver.js';
import { nodeClientCSRError, nodeServingCSRError } from '../../../src/controllers/certificates/recognizers.js';
import { cleanupDue, DEFAULT_CLEANER_DEADLINES } from '../../../src/controllers/certificates/cleaner.js';
import { signingTokens } from '../../../src/controllers/certificates/bootstrap_signer.js';
import { rotationDeadline } from '../../../src/kubelet/certificate/manager.js';

const x = (o: Partial<ParsedCSR> = {}): ParsedCSR => ({
  commonName: 'system:node:n1',
  organizations: ['system:nodes'],
  dnsNames: [],
  ipAddresses: [],
  emailAddresses: [],
  uris: [],
  publicKey: Buffer.alloc(0),
  keyAlgorithm: 'ECDSA',
  ...o,
});
const csr = (
  username: string,
  usages = ['digital signature', 'client auth'],
  signerName = 'kubernetes.io/kube-apiserver-client-kubelet',
): CertificateSigningRequest => ({
  metadata: { name: 'c' },
  spec: { request: '', signerName, usages, username, groups: [] },
});
const matching = (c: CertificateSigningRequest, p: ParsedCSR) => recognizers.filter((r) => r.recognize(c, p)).map((r) => r.subresource);

test('approver: a bootstrap token asks for nodeclient, the node itself for selfnodeclient (first), anything else nothing', () => {
  assert.deepEqual(matching(csr('system:bootstrap:abcdef'), x()), ['nodeclient']);
  assert.deepEqual(matching(csr('system:node:n1'), x()), ['selfnodeclient', 'nodeclient']);
  assert.deepEqual(matching(csr('system:node:n2'), x()), ['nodeclient'], 'another node renewing n1 needs nodeclient, which nodes lack');
  assert.deepEqual(matching(csr('system:bootstrap:abcdef', ['digital signature', 'client auth', 'server auth']), x()), []);
  assert.deepEqual(matching(csr('system:bootstrap:abcdef', ['digital signature', 'client auth'], 'kubernetes.io/kube-apiserver-client'), x()), []);
  assert.deepEqual(matching(csr('system:bootstrap:abcdef'), x({ organizations: ['system:masters'] })), []);
  assert.deepEqual(matching(csr('system:bootstrap:abcdef'), x({ dnsNames: ['n1'] })), []);
  assert.deepEqual(matching(csr('system:bootstrap:abcdef'), x({ commonName: 'jane' })), []);
  assert.equal(recognizers.find((r) => r.subresource === 'nodeclient')!.message, 'Auto approving kubelet client certificate after SubjectAccessReview.');
});

test('kubelet client rules: digital signature and client auth; key encipherment only for RSA keys', () => {
  assert.equal(nodeClientCSRError(x(), ['digital signature', 'client auth']), undefined);
  assert.match(nodeClientCSRError(x(), ['client auth'])!, /usages did not match/);
  assert.match(nodeClientCSRError(x(), ['digital signature', 'key encipherment', 'client auth'])!, /usages did not match/);
  assert.equal(nodeClientCSRError(x({ keyAlgorithm: 'RSASSA-PKCS1-v1_5' }), ['digital signature', 'key encipherment', 'client auth']), undefined);
});

test("kubelet serving rules: the node's own names and addresses only", () => {
  const node = {
    metadata: { name: 'n1' },
    status: {
      addresses: [
        { type: 'InternalIP', address: '172.29.9.2' },
        { type: 'Hostname', address: 'n1' },
      ],
    },
  } as Node;
  const usages = ['digital signature', 'server auth'];
  assert.equal(nodeServingCSRError(x({ dnsNames: ['n1'], ipAddresses: ['172.29.9.2'] }), usages, node), undefined);
  assert.match(nodeServingCSRError(x({ dnsNames: ['n1'], ipAddresses: ['172.29.9.1'] }), usages, node)!, /172\.29\.9\.1 are not addresses of node n1/);
  assert.match(nodeServingCSRError(x({ ipAddresses: ['127.0.0.1'] }), usages, node)!, /127\.0\.0\.1/);
  assert.match(nodeServingCSRError(x({ dnsNames: ['n1'] }), ['digital signature', 'client auth'], node)!, /usages did not match/);
  assert.match(nodeServingCSRError(x(), usages, node)!, /DNS or IP subjectAltName is required/);
});

test('cleaner: approved/denied/failed an hour after the condition, pending a day after creation, expired certificates at once', () => {
  const t0 = Date.parse('2026-01-01T00:00:00Z');
  const base = (status?: CertificateSigningRequest['status']): CertificateSigningRequest => ({
    metadata: { name: 'c', creationTimestamp: '2026-01-01T00:00:00Z' },
    spec: { request: '', signerName: 's/x' },
    status,
  });
  assert.equal(cleanupDue(base()), t0 + DEFAULT_CLEANER_DEADLINES.pendingMs);
  assert.equal(cleanupDue(base({ conditions: [{ type: 'Approved', status: 'True', lastUpdateTime: '2026-01-01T00:10:00Z' }] })), t0 + 10 * 60_000 + 3600_000);
  assert.equal(cleanupDue(base({ conditions: [{ type: 'Denied', status: 'True', lastUpdateTime: '2026-01-01T00:00:00Z' }] })), t0 + 3600_000);
  assert.equal(cleanupDue(base({ conditions: [{ type: 'Failed', status: 'True' }] })), t0 + 3600_000, 'no lastUpdateTime: from creation');
});

test('bootstrap signer: tokens that are live, for signing, and well-named', () => {
  const secret = (name: string, data: Record<string, string>, type = 'bootstrap.kubernetes.io/token'): Secret => ({
    metadata: { name, namespace: 'kube-system' },
    type,
    data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
  });
  const now = Date.parse('2026-01-01T00:00:00Z');
  const tokens = signingTokens(
    [
      secret('bootstrap-token-aaaaaa', { 'token-id': 'aaaaaa', 'token-secret': '0123456789abcdef', 'usage-bootstrap-signing': 'true' }),
      secret('bootstrap-token-bbbbbb', { 'token-id': 'bbbbbb', 'token-secret': '0123456789abcdef', 'usage-bootstrap-authentication': 'true' }),
      secret('bootstrap-token-cccccc', {
        'token-id': 'cccccc',
        'token-secret': '0123456789abcdef',
        'usage-bootstrap-signing': 'true',
        expiration: '2025-12-31T00:00:00Z',
      }),
      secret('bootstrap-token-dddddd', { 'token-id': 'eeeeee', 'token-secret': '0123456789abcdef', 'usage-bootstrap-signing': 'true' }),
      secret('bootstrap-token-ffffff', { 'token-id': 'ffffff', 'token-secret': '0123456789abcdef', 'usage-bootstrap-signing': 'true' }, 'Opaque'),
    ],
    now,
  );
  assert.deepEqual([...tokens.keys()], ['aaaaaa']);
});

test('kubelet rotation deadline: 70% to 90% of the lifetime', () => {
  const nb = new Date('2026-01-01T00:00:00Z');
  const na = new Date('2026-01-11T00:00:00Z');
  assert.equal(rotationDeadline(nb, na, 0).toISOString(), '2026-01-08T00:00:00.000Z');
  assert.equal(rotationDeadline(nb, na, 1).toISOString(), '2026-01-10T00:00:00.000Z');
});
