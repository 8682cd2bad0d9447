// Scale-down ranking as upstream's ActivePodsWithRanks: the pods a ReplicaSet deletes first.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../../src/api/core/v1/types.js';
import { podsToDelete, POD_DELETION_COST } from '../../../src/controllers/replicaset/pod_ranking.js';

const NOW = Date.parse('2026-01-01T12:00:00Z');
const ago = (s: number) => new Date(NOW - s * 1000).toISOString();

function pod(name: string, o: { node?: string; phase?: string; ready?: boolean; readyFor?: number; restarts?: number; age?: number; cost?: number } = {}): Pod {
  return {
    metadata: {
      name,
      creationTimestamp: ago(o.age ?? 3600),
      ...(o.cost !== undefined ? { annotations: { [POD_DELETION_COST]: String(o.cost) } } : {}),
    },
    spec: { containers: [], ...(o.node ? { nodeName: o.node } : {}) },
    status: {
      phase: (o.phase ?? 'Running') as 'Running',
      conditions: o.ready === undefined ? [] : [{ type: 'Ready', status: o.ready ? 'True' : 'False', lastTransitionTime: ago(o.readyFor ?? 600) }],
      containerStatuses: [{ name: 'c', restartCount: o.restarts ?? 0, ready: !!o.ready, image: 'x', imageID: '' }],
    },
  } as Pod;
}

const order = (pods: Pod[]) => podsToDelete(pods, pods.length - 1, NOW).map((p) => p.metadata.name);

test('unassigned < assigned; Pending < Unknown < Running; not ready < ready', () => {
  const pods = [
    pod('ready', { node: 'n1', ready: true }),
    pod('running', { node: 'n2', ready: false }),
    pod('unknown', { node: 'n3', phase: 'Unknown' }),
    pod('pending', { node: 'n4', phase: 'Pending' }),
    pod('unassigned', { phase: 'Pending' }),
  ];
  assert.deepEqual(order(pods), ['unassigned', 'pending', 'unknown', 'running']);
});

test('lower deletion cost first; doubled-up on a node first', () => {
  assert.deepEqual(order([pod('cheap', { node: 'a', ready: true, cost: -5 }), pod('dear', { node: 'b', ready: true, cost: 10 })]), ['cheap']);
  const pods = [pod('alone', { node: 'a', ready: true }), pod('twin1', { node: 'b', ready: true }), pod('twin2', { node: 'b', ready: true })];
  assert.deepEqual(
    podsToDelete(pods, 2, NOW)
      .map((p) => p.metadata.name)
      .sort(),
    ['twin1', 'twin2'],
  );
});

test('ready for less time first (log scale), then more restarts, then newer', () => {
  assert.deepEqual(order([pod('old', { node: 'a', ready: true, readyFor: 7200 }), pod('fresh', { node: 'b', ready: true, readyFor: 5 })]), ['fresh']);
  // same log2 bucket of readiness: restarts decide
  assert.deepEqual(order([pod('calm', { node: 'a', ready: true, readyFor: 600 }), pod('flappy', { node: 'b', ready: true, readyFor: 610, restarts: 4 })]), [
    'flappy',
  ]);
  assert.deepEqual(order([pod('older', { node: 'a', age: 86400 }), pod('newer', { node: 'b', age: 30 })]), ['newer']);
});

test('asking for more than there are returns them all', () => {
  const pods = [pod('a'), pod('b')];
  assert.equal(podsToDelete(pods, 5, NOW).length, 2);
});
