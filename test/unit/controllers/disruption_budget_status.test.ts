// The disruption controller's arithmetic against upstream's: expected and desired counts for minAvailable
// (int, percent) and maxUnavailable (scaled up), pending disruptions and their timeout, the healthy count,
// disruptionsAllowed clamped at zero, the DisruptionAllowed condition and the fail-safe.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../../src/api/core/v1/types.js';
import type { PodDisruptionBudget } from '../../../src/api/policy/v1/types.js';
import {
  DELETION_TIMEOUT_MS,
  countHealthy,
  expectedAndDesired,
  failSafeStatus,
  needsScale,
  pendingDisruptions,
  statusEqual,
  syncedStatus,
} from '../../../src/controllers/disruption/budget_status.js';

const pdb = (spec: PodDisruptionBudget['spec'], status?: PodDisruptionBudget['status']): PodDisruptionBudget => ({
  metadata: { name: 'b', namespace: 'default', generation: 3 },
  spec,
  status,
});
const pod = (name: string, ready: boolean, deleting = false): Pod =>
  ({
    metadata: { name, namespace: 'default', ...(deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
    spec: { containers: [] },
    status: { conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
  }) as Pod;

test('expected and desired counts as upstream getExpectedPodCount', () => {
  const pods = [pod('a', true), pod('b', true), pod('c', false)];
  assert.deepEqual(expectedAndDesired(pdb({ minAvailable: 2 }), pods, 10), { expectedCount: 3, desiredHealthy: 2 });
  assert.deepEqual(expectedAndDesired(pdb({ minAvailable: '50%' }), pods, 5), { expectedCount: 5, desiredHealthy: 3 });
  // maxUnavailable rounds up: 25% of 5 is 2 pods unavailable, 3 desired
  assert.deepEqual(expectedAndDesired(pdb({ maxUnavailable: '25%' }), pods, 5), { expectedCount: 5, desiredHealthy: 3 });
  assert.deepEqual(expectedAndDesired(pdb({ maxUnavailable: 7 }), pods, 5), { expectedCount: 5, desiredHealthy: 0 });
  assert.equal(needsScale(pdb({ minAvailable: 2 })), false);
  assert.equal(needsScale(pdb({ minAvailable: '10%' })), true);
  assert.equal(needsScale(pdb({ maxUnavailable: 0 })), true);
});

test('pending disruptions expire after the deletion timeout; evicted and deleting pods are not healthy', () => {
  const now = Date.parse('2026-01-01T00:10:00Z');
  const recent = new Date(now - 30_000).toISOString();
  const old = new Date(now - DELETION_TIMEOUT_MS - 1000).toISOString();
  const pods = [pod('a', true), pod('b', true), pod('c', true, true), pod('d', true)];
  const budget = pdb(
    { minAvailable: 1 },
    { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0, disruptedPods: { a: recent, b: old, c: recent, gone: recent } },
  );
  const { disrupted, recheckAt, notDeleted } = pendingDisruptions(budget, pods, now);
  assert.deepEqual(disrupted, { a: recent });
  assert.equal(recheckAt, Date.parse(recent) + DELETION_TIMEOUT_MS);
  assert.deepEqual(
    notDeleted.map((p) => p.metadata.name),
    ['b'],
  );
  assert.equal(countHealthy(pods, disrupted, now), 2); // b and d
});

test('disruptionsAllowed, the DisruptionAllowed condition and the fail-safe', () => {
  const now = '2026-01-01T00:00:00Z';
  const ok = syncedStatus(pdb({ minAvailable: 1 }), { currentHealthy: 3, desiredHealthy: 1, expectedCount: 3, disrupted: {} }, now);
  assert.equal(ok.disruptionsAllowed, 2);
  assert.equal(ok.observedGeneration, 3);
  assert.deepEqual(ok.conditions, [
    { type: 'DisruptionAllowed', status: 'True', reason: 'SufficientPods', message: '', observedGeneration: 3, lastTransitionTime: now },
  ]);
  const none = syncedStatus(pdb({ minAvailable: 5 }, ok), { currentHealthy: 3, desiredHealthy: 5, expectedCount: 3, disrupted: {} }, '2026-01-01T00:01:00Z');
  assert.equal(none.disruptionsAllowed, 0);
  assert.equal(none.conditions![0]!.reason, 'InsufficientPods');
  assert.equal(none.conditions![0]!.lastTransitionTime, '2026-01-01T00:01:00Z');
  // no expected pods: nothing may be disrupted even with healthy ones
  assert.equal(syncedStatus(pdb({}), { currentHealthy: 2, desiredHealthy: 0, expectedCount: 0, disrupted: {} }, now).disruptionsAllowed, 0);
  const failed = failSafeStatus(pdb({ maxUnavailable: 1 }, ok), 'boom', now);
  assert.equal(failed.disruptionsAllowed, 0);
  assert.deepEqual(
    failed.conditions!.map((x) => [x.status, x.reason, x.message]),
    [['False', 'SyncFailed', 'boom']],
  );
  assert.equal(statusEqual(ok, { ...ok }), true);
  assert.equal(statusEqual(ok, none), false);
});
