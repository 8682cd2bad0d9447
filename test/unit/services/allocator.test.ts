// Service ClusterIP / NodePort allocation: fresh and requested values, upstream's messages for taken and
// out-of-range values, reservations that lapse after a failed create, the index rebuilt from the store, and
// KEP-3070's bands (dynamic allocation from the upper band first, so early Services never take 10.96.0.10).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ServiceAllocators, staticBandSize } from '../../../src/apiserver/resources/service/allocator.js';
import { MemoryStorage } from '../../../src/storage/memory.js';
import { StatusError } from '../../../src/api/errors.js';
import type { Service } from '../../../src/api/core/v1/service_types.js';
import type { KubeObject } from '../../../src/api/types.js';

const svc = (name: string, spec: Service['spec'] = {}): Service => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: 'default' },
  spec: { type: 'ClusterIP', ports: [{ port: 80, protocol: 'TCP' }], ...spec },
});

function message(fn: () => void): string {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof StatusError);
    assert.equal(e.status.code, 422);
    return e.status.message ?? '';
  }
  assert.fail('expected a 422');
}

describe('ServiceAllocators', () => {
  it('hands out distinct IPs from the range, skipping the network address, and the first IP is the kubernetes one', () => {
    const a = new ServiceAllocators({ serviceCIDR: '10.96.0.0/29' });
    assert.equal(a.firstIP, '10.96.0.1');
    const got = new Set<string>();
    for (let i = 0; i < 6; i++) {
      const s = svc(`s${i}`);
      a.allocate(s);
      got.add(s.spec!.clusterIP!);
      assert.deepEqual(s.spec!.clusterIPs, [s.spec!.clusterIP]);
      assert.deepEqual(s.spec!.ipFamilies, ['IPv4']);
    }
    assert.equal(got.size, 6);
    assert.ok(![...got].includes('10.96.0.0') && ![...got].includes('10.96.0.7'));
    assert.match(
      message(() => a.allocate(svc('full'))),
      /range is full/,
    );
  });

  it('sizes the static band as KEP-3070: min(max(16, size/16), 256), none for 16 addresses or fewer', () => {
    assert.equal(staticBandSize(8), 0);
    assert.equal(staticBandSize(16), 0);
    assert.equal(staticBandSize(32), 16);
    assert.equal(staticBandSize(256), 16);
    assert.equal(staticBandSize(1024), 64);
    assert.equal(staticBandSize(4096), 256);
    assert.equal(staticBandSize(2 ** 20), 256);
  });

  it("allocates dynamically from the upper band first, leaving the lower band (kube-dns's 10th address) to explicit clusterIPs", () => {
    // a /24: the band is .1-.16, so 238 dynamic Services fit above it
    const a = new ServiceAllocators({ serviceCIDR: '10.100.7.0/24' });
    const seen: number[] = [];
    for (let i = 0; i < 238; i++) {
      const s = svc(`early-${i}`);
      a.allocate(s);
      seen.push(Number(s.spec!.clusterIP!.split('.')[3]));
    }
    assert.equal(new Set(seen).size, 238);
    assert.ok(
      seen.every((n) => n > 16 && n < 255),
      `dynamic IPs in the upper band: ${seen.filter((n) => n <= 16)}`,
    );
    // the explicit addresses of the lower band are still free
    const dns = svc('kube-dns', { clusterIP: '10.100.7.10' });
    a.allocate(dns);
    assert.equal(dns.spec!.clusterIP, '10.100.7.10');
    // the upper band full: dynamic allocation falls back to the lower band, skipping what is taken
    const low: number[] = [];
    for (let i = 0; i < 15; i++) {
      const s = svc(`late-${i}`);
      a.allocate(s);
      low.push(Number(s.spec!.clusterIP!.split('.')[3]));
    }
    assert.deepEqual(
      low.sort((x, y) => x - y),
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15, 16],
    );
    assert.match(
      message(() => a.allocate(svc('full'))),
      /range is full/,
    );
    // the default range: the band is 10.96.0.1-10.96.1.0, the first dynamic address above it
    const d = new ServiceAllocators();
    const first = svc('first');
    d.allocate(first);
    assert.equal(first.spec!.clusterIP, '10.96.1.1');
  });

  it('refuses requested IPs outside the range or already taken, with upstream messages', () => {
    const a = new ServiceAllocators();
    assert.equal(
      message(() => a.allocate(svc('x', { clusterIP: '1.1.1.1' }))),
      'Service "x" is invalid: spec.clusterIPs: Invalid value: []string{"1.1.1.1"}: failed to allocate IP 1.1.1.1: the provided IP (1.1.1.1) is not in the valid range. The range of valid IPs is 10.96.0.0/12',
    );
    a.allocate(svc('dns', { clusterIP: '10.96.0.10' }));
    assert.equal(
      message(() => a.allocate(svc('y', { clusterIP: '10.96.0.10' }))),
      'Service "y" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.10"}: failed to allocate IP 10.96.0.10: provided IP is already allocated',
    );
    // an update keeping its own IP is fine
    const own = svc('dns', { clusterIP: '10.96.0.10' });
    a.allocate(own, svc('dns', { clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'] }));
  });

  it('allocates node ports in 30000-32767 and refuses taken or out-of-range ones', () => {
    const a = new ServiceAllocators();
    const np = svc('np', {
      type: 'NodePort',
      ports: [
        { port: 80, protocol: 'TCP' },
        { port: 443, protocol: 'TCP', name: 'https' },
      ],
    });
    a.allocate(np);
    const ports = np.spec!.ports!.map((p) => p.nodePort!);
    assert.equal(new Set(ports).size, 2);
    for (const p of ports) assert.ok(p >= 30000 && p <= 32767);
    assert.equal(
      message(() => a.allocate(svc('b', { type: 'NodePort', ports: [{ port: 80, protocol: 'TCP', nodePort: ports[0] }] }))),
      `Service "b" is invalid: spec.ports[0].nodePort: Invalid value: ${ports[0]}: provided port is already allocated`,
    );
    assert.equal(
      message(() => a.allocate(svc('c', { type: 'NodePort', ports: [{ port: 80, protocol: 'TCP', nodePort: 8080 }] }))),
      'Service "c" is invalid: spec.ports[0].nodePort: Invalid value: 8080: provided port is not in the valid range. The range of valid ports is 30000-32767',
    );
    // a ClusterIP Service has none
    const cip = svc('d', { ports: [{ port: 80, protocol: 'TCP', nodePort: 30500 }] });
    a.allocate(cip);
    assert.equal(cip.spec!.ports![0].nodePort, undefined);
  });

  it('lets a reservation of a create that never landed lapse, and follows the store', async () => {
    let now = 1_000_000;
    const storage = new MemoryStorage();
    const a = new ServiceAllocators({ serviceCIDR: '10.96.0.0/30' }, () => now);
    await a.start(storage);
    // two usable addresses, both reserved by creates that never land
    a.allocate(svc('a1'));
    a.allocate(svc('a2'));
    assert.match(
      message(() => a.allocate(svc('b'))),
      /range is full/,
    );
    now += 31_000;
    const b = svc('b');
    a.allocate(b);
    // stored: held by the index even after its reservation lapses
    await storage.create('/registry/services/default/b', b as KubeObject);
    await new Promise((r) => setTimeout(r, 20));
    now += 31_000;
    const c = svc('c');
    a.allocate(c);
    assert.notEqual(c.spec!.clusterIP, b.spec!.clusterIP);
    assert.match(
      message(() => a.allocate(svc('d'))),
      /range is full/,
    );
    // deleted: free again
    await storage.delete('/registry/services/default/b');
    await new Promise((r) => setTimeout(r, 20));
    const e = svc('e');
    a.allocate(e);
    assert.equal(e.spec!.clusterIP, b.spec!.clusterIP);
    a.stop();
  });

  it('rebuilds what is taken from the stored Services on start', async () => {
    const storage = new MemoryStorage();
    const s = svc('kept', { clusterIP: '10.96.0.20', clusterIPs: ['10.96.0.20'], type: 'NodePort', ports: [{ port: 80, protocol: 'TCP', nodePort: 31000 }] });
    await storage.create('/registry/services/default/kept', s as KubeObject);
    const a = new ServiceAllocators();
    await a.start(storage);
    assert.match(
      message(() => a.allocate(svc('x', { clusterIP: '10.96.0.20' }))),
      /already allocated/,
    );
    assert.match(
      message(() => a.allocate(svc('y', { type: 'NodePort', ports: [{ port: 80, protocol: 'TCP', nodePort: 31000 }] }))),
      /already allocated/,
    );
    a.stop();
  });
});
