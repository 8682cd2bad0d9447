// Serving certificate renewal: when a certificate is due (renewal.ts), the rotator issues a new one from the CA,
// writes it, and the API server serves it to new connections without a restart (a clock injected, no waiting).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import tls from 'node:tls';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { ensureClusterPKI, leafDefs } from '../../../src/pki/cluster_pki.js';
import { renewalDue } from '../../../src/pki/renewal.js';
import { ServingCertRotator } from '../../../src/pki/rotation.js';
import { startServer } from '../apiserver/fixture.js';

const HOUR = 3600_000;

test('renewal is due once less than a third of the lifetime (and at most 30 days) is left', () => {
  const t0 = new Date('2026-01-01T00:00:00Z');
  const at = (ms: number) => new Date(t0.getTime() + ms);
  assert.equal(renewalDue(t0, at(3 * HOUR), at(1.9 * HOUR)), false);
  assert.equal(renewalDue(t0, at(3 * HOUR), at(2.1 * HOUR)), true);
  const year = 365 * 24 * HOUR;
  assert.equal(renewalDue(t0, at(year), at(year - 31 * 24 * HOUR)), false);
  assert.equal(renewalDue(t0, at(year), at(year - 29 * 24 * HOUR)), true);
});

/** SHA-256 of the certificate a TLS handshake with the server presents. */
function servedFingerprint(port: number, ca: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = tls.connect({ host: '127.0.0.1', port, ca, servername: 'localhost' }, () => {
      const raw = s.getPeerCertificate().raw;
      s.end();
      resolve(createHash('sha256').update(raw).digest('hex'));
    });
    s.on('error', reject);
  });
}

const fingerprint = (pem: string) =>
  createHash('sha256')
    .update(Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64'))
    .digest('hex');

test('a due serving certificate is reissued, written and served without a restart; keys stay 0600', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-pki-'));
  // the first certificate is issued 2.5 h in the past, so that "now" finds it due (and TLS clients, on the real
  // clock, still accept both it and its successor)
  let now = new Date(Date.now() - 2.5 * HOUR);
  const o = { dir, apiserverAltNames: ['127.0.0.1', 'localhost'], now: () => now, leafLifetimeMs: 3 * HOUR };
  const pki = await ensureClusterPKI(o);
  const s = await startServer({ tls: { cert: pki.apiserver.cert, key: pki.apiserver.key, clientCA: pki.clientCA.cert } });
  let rotated = 0;
  const rotator = new ServingCertRotator({
    dir,
    def: leafDefs(o).apiserver!,
    ca: pki.ca,
    now: () => now,
    lifetimeMs: 3 * HOUR,
    onRotate: (pair) => {
      rotated++;
      s.api.setServingCertificate(pair);
    },
  });
  try {
    const first = await servedFingerprint(s.port, pki.ca.cert);
    assert.equal(first, fingerprint(pki.apiserver.cert));
    assert.equal(await rotator.check(), false, 'not due yet');
    now = new Date();
    assert.equal(await rotator.check(), true, 'due with half an hour left');
    assert.equal(rotated, 1);
    const written = readFileSync(join(dir, 'apiserver.crt'), 'utf8');
    assert.notEqual(fingerprint(written), first);
    assert.equal(statSync(join(dir, 'apiserver.key')).mode & 0o777, 0o600);
    assert.equal(await servedFingerprint(s.port, pki.ca.cert), fingerprint(written), 'the new certificate is served');
    assert.equal(await rotator.check(), false, 'the new one is not due');
    // a start after that reuses everything
    const again = await ensureClusterPKI(o);
    assert.equal(again.apiserver.cert, written);
    assert.equal(again.ca.cert, pki.ca.cert);
  } finally {
    rotator.stop();
    await s.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
