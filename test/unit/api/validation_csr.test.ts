// CertificateSigningRequest validation as upstream's: create (request, usages, signerName, expirationSeconds,
// conditions) and the three update paths (main, /status, /approval).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CertificateSigningRequest } from '../../../src/api/certificates/v1/types.js';
import {
  validateCertificateSigningRequest,
  validateCertificateSigningRequestUpdate,
  validateSignerName,
  type CSRPemChecks,
} from '../../../src/api/certificates/v1/validation.js';

const checks: CSRPemChecks = {
  request: (pem) => (pem === 'good csr' ? undefined : 'PEM block type must be CERTIFICATE REQUEST'),
  certificate: (pem) => (pem.startsWith('cert') ? undefined : 'must contain at least one CERTIFICATE PEM block'),
};
const b64 = (s: string) => Buffer.from(s).toString('base64');

function csr(o: Partial<CertificateSigningRequest['spec']> = {}, status?: CertificateSigningRequest['status']): CertificateSigningRequest {
  return {
    metadata: { name: 'c1', resourceVersion: '1' },
    spec: { request: b64('good csr'), signerName: 'kubernetes.io/kube-apiserver-client', usages: ['client auth'], ...o },
    status,
  };
}
const fields = (causes: { field?: string; message?: string }[]) => causes.map((c) => `${c.field}: ${c.message}`);

test('a good request passes; each bad field is named', () => {
  assert.deepEqual(validateCertificateSigningRequest(csr(), checks), []);
  const out = fields(
    validateCertificateSigningRequest(
      csr({ request: b64('junk'), usages: ['client auth', 'client auth', 'flying'], signerName: 'foo', expirationSeconds: 599 }),
      checks,
    ),
  );
  assert.ok(
    out.some((m) => m.startsWith('spec.request: Invalid value') && m.includes('PEM block type must be CERTIFICATE REQUEST')),
    out.join('\n'),
  );
  assert.ok(out.includes('spec.usages[1]: Duplicate value: "client auth"'));
  assert.ok(out.some((m) => m.startsWith('spec.usages[2]: Unsupported value: "flying"')));
  assert.ok(out.includes(`spec.signerName: Invalid value: "foo": must be a fully qualified domain and path of the form 'example.com/signer-name'`));
  assert.ok(out.includes('spec.expirationSeconds: Invalid value: 599: may not specify a duration less than 600 seconds (10 minutes)'));
  assert.deepEqual(fields(validateCertificateSigningRequest(csr({ usages: [] }), checks)), ['spec.usages: Required value']);
  assert.match(fields(validateCertificateSigningRequest(csr({ signerName: 'kubernetes.io/legacy-unknown' }), checks))[0]!, /legacy signerName is not allowed/);
});

test('signerName: required, a domain with two labels, a path of DNS subdomains', () => {
  assert.deepEqual(validateSignerName('example.com/my-signer'), []);
  assert.deepEqual(fields(validateSignerName('')), ['spec.signerName: Required value']);
  assert.match(fields(validateSignerName('example/signer'))[0]!, /at least two segments separated by dots/);
  assert.match(fields(validateSignerName('example.com/Bad_Path'))[0]!, /validating component "Bad_Path"/);
});

test('conditions: Approved/Denied/Failed only True, Approved and Denied exclusive, no duplicates', () => {
  const out = fields(
    validateCertificateSigningRequest(
      csr(
        {},
        {
          conditions: [
            { type: 'Approved', status: 'False' },
            { type: 'Denied', status: 'True' },
            { type: 'Denied', status: 'True' },
          ],
        },
      ),
      checks,
    ),
  );
  assert.ok(out.includes('status.conditions[0].status: Unsupported value: "False": supported values: "True"'), out.join('\n'));
  assert.ok(out.includes('status.conditions[1].type: Invalid value: "Denied": Approved and Denied conditions are mutually exclusive'));
  assert.ok(out.includes('status.conditions[2].type: Duplicate value: "Denied"'));
});

test('updates: approval only through /approval, the certificate only through /status and only once, no condition removed', () => {
  const old = csr();
  const approved = csr({}, { conditions: [{ type: 'Approved', status: 'True', reason: 'R' }] });
  assert.deepEqual(validateCertificateSigningRequestUpdate(approved, old, checks, 'approval'), []);
  assert.deepEqual(fields(validateCertificateSigningRequestUpdate(approved, old, checks, 'status')), [
    'status.conditions: Forbidden: updates may not add a condition of type "Approved"',
  ]);
  const issued = csr({}, { conditions: approved.status!.conditions, certificate: b64('cert 1') });
  assert.deepEqual(validateCertificateSigningRequestUpdate(issued, approved, checks, 'status'), []);
  assert.deepEqual(fields(validateCertificateSigningRequestUpdate(issued, approved, checks, 'approval')), [
    'status.certificate: Forbidden: updates may not set certificate content',
  ]);
  const reissued = csr({}, { conditions: approved.status!.conditions, certificate: b64('cert 2') });
  assert.deepEqual(fields(validateCertificateSigningRequestUpdate(reissued, issued, checks, 'status')), [
    'status.certificate: Forbidden: updates may not modify existing certificate content',
  ]);
  assert.deepEqual(fields(validateCertificateSigningRequestUpdate(old, approved, checks, 'approval')), [
    'status.conditions: Forbidden: updates may not remove a condition of type "Approved"',
  ]);
  const badCert = csr({}, { conditions: approved.status!.conditions, certificate: b64('nonsense') });
  assert.match(
    fields(validateCertificateSigningRequestUpdate(badCert, approved, checks, 'status'))[0]!,
    /status.certificate: Invalid value: "<certificate data>"/,
  );
});
