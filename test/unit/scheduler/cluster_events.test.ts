import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nodeSchedulingPropertiesChanged, podSpecOrMetaChanged } from '../../../src/scheduler/cluster_events.js';
import { makeNode, makePod } from './fixtures.js';

test('node heartbeats are not scheduling changes; labels, taints, allocatable and readiness are', () => {
  const a = makeNode('n1');
  const heartbeat = structuredClone(a);
  heartbeat.status!.conditions![0]!.lastHeartbeatTime = '2024-01-01T00:00:10Z';
  heartbeat.metadata.resourceVersion = '99';
  assert.equal(nodeSchedulingPropertiesChanged(a, heartbeat), false);
  const relabeled = structuredClone(a);
  relabeled.metadata.labels = { disk: 'ssd' };
  assert.equal(nodeSchedulingPropertiesChanged(a, relabeled), true);
  const tainted = structuredClone(a);
  tainted.spec = { taints: [{ key: 'k', effect: 'NoSchedule' }] };
  assert.equal(nodeSchedulingPropertiesChanged(a, tainted), true);
  assert.equal(nodeSchedulingPropertiesChanged(a, makeNode('n1', { cpu: '8' })), true);
  assert.equal(nodeSchedulingPropertiesChanged(makeNode('n1', { ready: 'False' }), a), true);
});

test('status-only pod updates do not count as pod changes', () => {
  const p = makePod('p');
  const st = structuredClone(p);
  st.status = { conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' }] };
  st.metadata.resourceVersion = '5';
  assert.equal(podSpecOrMetaChanged(p, st), false);
  const relabeled = structuredClone(p);
  relabeled.metadata.labels = { a: 'b' };
  assert.equal(podSpecOrMetaChanged(p, relabeled), true);
  const tolerating = structuredClone(p);
  tolerating.spec!.tolerations = [{ operator: 'Exists' }];
  assert.equal(podSpecOrMetaChanged(p, tolerating), true);
});
