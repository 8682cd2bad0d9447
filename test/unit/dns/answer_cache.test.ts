// The answer cache's bound (a flood of new names never holds more than its maximum), hits surviving a
// generation turn by promotion, and the records' version: a change drops everything, a no-op update keeps it.
import test from 'node:test';
import assert from 'node:assert/strict';
import { AnswerCache } from '../../../src/dns/answer_cache.js';
import { ClusterRecords } from '../../../src/dns/records.js';

test('a flood of never-repeated keys stays within the bound', () => {
  const c = new AnswerCache(1000);
  c.sync(1);
  for (let i = 0; i < 100_000; i++) {
    c.set(`k${i}`, Buffer.from([i & 0xff]));
    assert.ok(c.size <= 1000, `size ${c.size} at ${i}`);
  }
  assert.equal(c.get('k99999')?.[0], 99999 & 0xff);
  assert.equal(c.get('k0'), undefined);
});

test('a key in use survives generation turns (promoted on a hit)', () => {
  const c = new AnswerCache(100);
  c.sync(1);
  c.set('hot', Buffer.from('hot'));
  for (let i = 0; i < 10_000; i++) {
    c.set(`cold${i}`, Buffer.from('x'));
    if (i % 40 === 0) assert.equal(c.get('hot')?.toString(), 'hot', `lost at ${i}`);
  }
});

test('a new records version drops everything; the same version keeps it', () => {
  const c = new AnswerCache(100);
  c.sync(1);
  c.set('a', Buffer.from('a'));
  c.sync(1);
  assert.ok(c.get('a'));
  c.sync(2);
  assert.equal(c.get('a'), undefined);
  assert.equal(c.size, 0);
});

test('records: an update DNS does not answer from leaves the version (the caches stay warm)', () => {
  const r = new ClusterRecords();
  const svc = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { namespace: 'default', name: 's', resourceVersion: '1' },
    spec: { clusterIP: '10.96.0.20', ports: [{ name: 'http', port: 80 }] },
  };
  r.upsertService(svc);
  const v = r.version;
  r.upsertService({ ...svc, metadata: { ...svc.metadata, resourceVersion: '2', annotations: { a: 'b' } } });
  assert.equal(r.version, v);
  r.upsertService({ ...svc, spec: { ...svc.spec, ports: [{ name: 'http', port: 81 }] } });
  assert.equal(r.version, v + 1);
  assert.equal(r.service('default', 's')?.ports[0]?.port, 81);
  const slice = {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { namespace: 'default', name: 's-1', labels: { 'kubernetes.io/service-name': 's' } },
    addressType: 'IPv4' as const,
    endpoints: [{ addresses: ['10.244.0.5'], conditions: { ready: true } }],
  };
  r.upsertSlice(slice);
  const v2 = r.version;
  r.upsertSlice({ ...slice, metadata: { ...slice.metadata, resourceVersion: '9' } });
  assert.equal(r.version, v2);
  r.upsertSlice({ ...slice, endpoints: [{ addresses: ['10.244.0.5'], conditions: { ready: false } }] });
  assert.equal(r.version, v2 + 1);
  assert.equal(r.endpointForIP('10.244.0.5'), undefined);
});
