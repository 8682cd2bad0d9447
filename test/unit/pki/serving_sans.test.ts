// The API server's serving certificate names every address it is reached at: loopback, localhost, the host
// name, each --advertise-address, the node IP and the `kubernetes` Service's names and IP; a later start keeps
// the CA and the certificate, unless a wanted address is new (then only the serving certificate is issued again).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setupClusterPKI } from '../../../src/cli/certs.js';
import { certInfo } from '../../../src/pki/certs.js';

test('serving SANs: hostname, advertise addresses, node IP, the kubernetes Service; reissued only for a new address', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-sans-'));
  try {
    const o = { listenHost: '0.0.0.0', advertiseAddresses: ['192.0.2.10', '192.0.2.11'], nodeIp: '198.51.100.7', kubernetesServiceIP: '10.100.0.1' };
    const first = await setupClusterPKI(dir, o);
    const sans = certInfo(first.apiserver.cert).altNames;
    for (const want of [
      '127.0.0.1',
      '::1',
      'localhost',
      hostname().toLowerCase(),
      '192.0.2.10',
      '192.0.2.11',
      '198.51.100.7',
      'kubernetes',
      'kubernetes.default',
      'kubernetes.default.svc',
      'kubernetes.default.svc.cluster.local',
      '10.100.0.1',
    ])
      assert.ok(sans.includes(want), `${want} in ${sans.join(',')}`);
    assert.ok(!sans.includes('0.0.0.0'), 'a wildcard listen address is no name');

    const again = await setupClusterPKI(dir, o);
    assert.equal(again.apiserver.cert, first.apiserver.cert);
    assert.equal(again.ca.cert, first.ca.cert);

    const moved = await setupClusterPKI(dir, { ...o, advertiseAddresses: ['192.0.2.12'] });
    assert.notEqual(moved.apiserver.cert, first.apiserver.cert);
    assert.ok(certInfo(moved.apiserver.cert).altNames.includes('192.0.2.12'));
    assert.equal(moved.ca.cert, first.ca.cert);
    assert.equal(moved.admin.cert, first.admin.cert);
    assert.equal(readFileSync(join(dir, 'pki', 'apiserver.crt'), 'utf8'), moved.apiserver.cert);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
