// Rollout arithmetic against upstream's examples: surge rounds up, unavailable down, the 0/0 fencepost,
// how far a new ReplicaSet may grow, and proportional scaling of a resize mid-rollout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Deployment, ReplicaSet } from '../../../src/api/apps/v1/types.js';
import { maxUnavailable, newRSNewReplicas, proportionalSizes, resolveFenceposts } from '../../../src/controllers/deployment/rollout_math.js';
import { computeHash, equalIgnoreHash } from '../../../src/controllers/deployment/hash.js';

const dep = (replicas: number, maxSurge: number | string, maxUnav: number | string): Deployment => ({
  metadata: { name: 'd' },
  spec: { replicas, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge, maxUnavailable: maxUnav } } },
});
const rs = (name: string, replicas: number, maxReplicas?: number, created = '2026-01-01T00:00:00Z'): ReplicaSet => ({
  metadata: {
    name,
    creationTimestamp: created,
    annotations: maxReplicas === undefined ? {} : { 'deployment.kubernetes.io/max-replicas': String(maxReplicas) },
  },
  spec: { replicas },
});

test('surge rounds up, unavailable rounds down; both 0 means 1 unavailable', () => {
  assert.deepEqual(resolveFenceposts(dep(10, '25%', '25%')), { surge: 3, unavailable: 2 });
  assert.deepEqual(resolveFenceposts(dep(1, '25%', '25%')), { surge: 1, unavailable: 0 });
  assert.deepEqual(resolveFenceposts(dep(5, '0%', '10%')), { surge: 0, unavailable: 1 });
  assert.deepEqual(resolveFenceposts(dep(3, 2, 1)), { surge: 2, unavailable: 1 });
  assert.equal(maxUnavailable(dep(2, 0, 5)), 2);
});

test('the new ReplicaSet grows within replicas + maxSurge', () => {
  const d = dep(3, 1, 0);
  const newRS = rs('new', 0);
  assert.equal(newRSNewReplicas(d, [newRS, rs('old', 3)], newRS), 1);
  const grown = rs('new', 1);
  assert.equal(newRSNewReplicas(d, [grown, rs('old', 3)], grown), 1, 'at 4 pods wanted: no more');
  assert.equal(newRSNewReplicas(d, [grown, rs('old', 2)], grown), 2);
  assert.equal(newRSNewReplicas(dep(10, '25%', '25%'), [rs('n', 0), rs('o', 10)], rs('n', 0)), 3);
});

test('proportional scaling: upstream example 10 → 15 with maxSurge 3 mid-rollout', () => {
  // upstream docs: 10 replicas, maxSurge 3, maxUnavailable 2; a rollout in progress holds 8 old and 5 new
  // (13 = 10 + 3); scaled to 15 replicas (allowed 18): +5 split in proportion 8:5 → old +3, new +2
  const d = dep(15, 3, 2);
  const old = rs('old', 8, 13, '2026-01-01T00:00:00Z');
  const fresh = rs('new', 5, 13, '2026-01-01T00:10:00Z');
  const sizes = proportionalSizes(d, [fresh, old]);
  assert.equal(sizes.get(old), 11);
  assert.equal(sizes.get(fresh), 7);
  // scaling down splits the same way
  const down = proportionalSizes(dep(5, 3, 2), [fresh, old]);
  assert.equal((down.get(old) ?? 0) + (down.get(fresh) ?? 0), 8);
  assert.ok((down.get(old) ?? 0) > (down.get(fresh) ?? 0));
});

test('pod-template-hash is stable, differs per template and collision count, ignores empty fields', () => {
  const t = { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } };
  assert.equal(computeHash(t), computeHash(structuredClone(t)));
  assert.notEqual(computeHash(t), computeHash(t, 1));
  assert.notEqual(computeHash(t), computeHash({ ...t, spec: { containers: [{ name: 'c', image: 'busybox:2' }] } }));
  assert.match(computeHash(t), /^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
  const withHash = {
    metadata: { labels: { app: 'x', 'pod-template-hash': 'abc' }, creationTimestamp: null },
    spec: { containers: [{ name: 'c', image: 'busybox', resources: {} }] },
  };
  assert.equal(equalIgnoreHash(t, withHash as never), true);
});
