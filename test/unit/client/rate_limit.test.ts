// Client-side rate limiting (client-go's token bucket; kube-controller-manager's --kube-api-qps/--kube-api-burst):
// the bucket's arithmetic on a fake clock, a limited client spacing requests to a real API server, and the flags'
// parsing (upstream's negative-means-unlimited, 0 → client-go's 5/10).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { KubeClient } from '../../../src/client/rest.js';
import { TokenBucket } from '../../../src/client/token_bucket.js';
import { clientRateLimit, DEFAULT_KUBE_API_BURST, DEFAULT_KUBE_API_QPS } from '../../../src/cli/controller_manager.js';
import { startApi } from './api_fixture.js';

describe('TokenBucket', () => {
  it('gives `burst` tokens at once, then refills at qps, never above burst', () => {
    let now = 0;
    const b = new TokenBucket(10, 3, () => now);
    assert.deepEqual([b.tryAccept(), b.tryAccept(), b.tryAccept(), b.tryAccept()], [true, true, true, false]);
    now += 100;
    assert.equal(b.tryAccept(), true);
    assert.equal(b.tryAccept(), false);
    now += 10_000;
    assert.deepEqual([b.tryAccept(), b.tryAccept(), b.tryAccept(), b.tryAccept()], [true, true, true, false]);
  });

  it('reserves tokens in call order: each further caller waits one more 1/qps', () => {
    const now = 0;
    const b = new TokenBucket(100, 2, () => now);
    assert.deepEqual(
      [b.reserve(), b.reserve(), b.reserve(), b.reserve()].map((ms) => Math.round(ms)),
      [0, 0, 10, 20],
    );
    assert.throws(() => new TokenBucket(0, 1));
  });
});

describe('KubeClient qps/burst', () => {
  it('spaces requests beyond the burst at 1/qps', async () => {
    const api = await startApi();
    const limited = new KubeClient({ server: api.url, qps: 50, burst: 5 });
    try {
      const t = performance.now();
      await Promise.all(Array.from({ length: 25 }, () => limited.get('/api/v1/namespaces/default')));
      const limitedMs = performance.now() - t;
      // 5 at once, then 20 more at 50/s: at least ~400 ms
      assert.ok(limitedMs >= 380, `25 requests at 50 QPS / burst 5 took ${limitedMs.toFixed(0)} ms`);
    } finally {
      limited.close();
      await api.close();
    }
  });

  it('parses --kube-api-qps / --kube-api-burst as upstream', () => {
    assert.deepEqual(clientRateLimit({}), { qps: DEFAULT_KUBE_API_QPS, burst: DEFAULT_KUBE_API_BURST });
    assert.deepEqual(clientRateLimit({ kubeApiQps: '20', kubeApiBurst: '30' }), { qps: 20, burst: 30 });
    assert.deepEqual(clientRateLimit({ kubeApiQps: '0' }), { qps: 5, burst: 10 });
    assert.equal(clientRateLimit({ kubeApiQps: '-1' }).qps, -1);
    assert.throws(() => clientRateLimit({ kubeApiQps: 'fast' }), /--kube-api-qps wants a number/);
    assert.throws(() => clientRateLimit({ kubeApiBurst: '-3' }), /--kube-api-burst wants a non-negative integer/);
  });
});
