// The PKI pieces of joining: CA public key pins (kubeadm's sha256 of the SPKI), detached JWS of cluster-info,
// CSRs (made, parsed with their signature checked, refused when tampered), and signing them with a CA.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, X509Certificate } from 'node:crypto';
import { createCA } from '../../../src/pki/certs.js';
import { caCertHash, matchesAnyPin, pinFormatError } from '../../../src/pki/pubkey_pin.js';
import { computeDetachedSignature, detachedSignatureValid } from '../../../src/pki/jws.js';
import { certificateBundleError, combinedPEM, createCSR, parseCSR, signCSR, splitCombinedPEM } from '../../../src/pki/csr.js';

const day = 24 * 3600_000;

test('the CA pin is sha256 of the DER SubjectPublicKeyInfo, and a bundle matches when one certificate is pinned', async () => {
  const ca = await createCA('kubernetes', new Date(), new Date(Date.now() + day));
  const other = await createCA('other', new Date(), new Date(Date.now() + day));
  const spki = new X509Certificate(ca.cert).publicKey.export({ type: 'spki', format: 'der' });
  assert.equal(caCertHash(ca.cert), `sha256:${createHash('sha256').update(spki).digest('hex')}`);
  assert.ok(matchesAnyPin(other.cert + ca.cert, [caCertHash(ca.cert)]));
  assert.ok(matchesAnyPin(ca.cert, [caCertHash(ca.cert).toUpperCase().replace('SHA256', 'sha256')]), 'hex case does not matter');
  assert.ok(!matchesAnyPin(other.cert, [caCertHash(ca.cert)]));
  assert.equal(pinFormatError(caCertHash(ca.cert)), undefined);
  assert.match(pinFormatError('md5:abcd')!, /unsupported hash format/);
  assert.match(pinFormatError('sha256:abcd')!, /64 hex digits/);
});

test('detached JWS: header..signature, valid only for the same content, token secret and id', async () => {
  const sig = await computeDetachedSignature('kubeconfig', 'abcdef', '0123456789abcdef');
  const [header, payload, signature] = sig.split('.');
  assert.equal(payload, '');
  assert.deepEqual(JSON.parse(Buffer.from(header!, 'base64url').toString()), { alg: 'HS256', kid: 'abcdef' });
  assert.ok(signature!.length > 0);
  assert.ok(await detachedSignatureValid(sig, 'kubeconfig', 'abcdef', '0123456789abcdef'));
  assert.ok(!(await detachedSignatureValid(sig, 'kubeconfig2', 'abcdef', '0123456789abcdef')), 'other content');
  assert.ok(!(await detachedSignatureValid(sig, 'kubeconfig', 'abcdef', '0123456789abcdeg')), 'other secret');
  assert.ok(!(await detachedSignatureValid(sig, 'kubeconfig', 'abcdeg', '0123456789abcdef')), 'other kid');
  assert.ok(!(await detachedSignatureValid('garbage', 'kubeconfig', 'abcdef', '0123456789abcdef')));
});

test('a CSR parses with its subject and SANs; a tampered one fails its signature check', async () => {
  const { csr, key } = await createCSR({ commonName: 'system:node:n1', organizations: ['system:nodes'], altNames: ['n1', '10.0.0.7'] });
  assert.match(key, /^-----BEGIN PRIVATE KEY-----/);
  const p = parseCSR(csr);
  assert.equal(p.commonName, 'system:node:n1');
  assert.deepEqual(p.organizations, ['system:nodes']);
  assert.deepEqual(p.dnsNames, ['n1']);
  assert.deepEqual(p.ipAddresses, ['10.0.0.7']);
  assert.equal(p.keyAlgorithm, 'ECDSA');
  const der = Buffer.from(csr.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
  der[der.indexOf(Buffer.from('n1')) + 1] = 0x32; // CN system:node:n2
  assert.throws(
    () => parseCSR(`-----BEGIN CERTIFICATE REQUEST-----\n${der.toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`),
    /signature verification failure/,
  );
  assert.throws(() => parseCSR('hello'), /PEM block type must be CERTIFICATE REQUEST/);
});

test('signing a CSR: its subject and SANs, the usages as key usage and EKU, not a CA, capped at the CA expiry', async () => {
  const ca = await createCA('kubernetes-client-ca', new Date(Date.now() - 1000), new Date(Date.now() + 2 * day));
  const { csr } = await createCSR({ commonName: 'jane', organizations: ['devs'] });
  const pem = await signCSR(ca, parseCSR(csr), ['digital signature', 'client auth'], new Date(Date.now() - 300_000), new Date(Date.now() + 10 * day));
  const cert = new X509Certificate(pem);
  assert.equal(cert.subject, 'O=devs\nCN=jane');
  assert.ok(cert.checkIssued(new X509Certificate(ca.cert)));
  assert.ok(cert.verify(new X509Certificate(ca.cert).publicKey));
  assert.equal(cert.ca, false);
  assert.deepEqual(cert.keyUsage, ['1.3.6.1.5.5.7.3.2']);
  assert.ok(Date.parse(cert.validTo) <= Date.parse(new X509Certificate(ca.cert).validTo), 'not beyond the CA');
  assert.equal(certificateBundleError(pem), undefined);
  assert.match(certificateBundleError('nothing')!, /at least one CERTIFICATE PEM block/);
  assert.match(certificateBundleError(csr)!, /only CERTIFICATE PEM blocks are allowed, found "CERTIFICATE REQUEST"/);
  const { key } = await createCSR({ commonName: 'x' });
  const both = splitCombinedPEM(combinedPEM({ cert: pem, key }));
  assert.equal(both?.cert.trim(), pem.trim());
  assert.equal(both?.key.trim(), key.trim());
});
