// The node lifecycle controller's decisions (upstream doNoExecuteTaintingPass / doNoScheduleTaintingPass and
// tryUpdateNodeHealth): which taints a node's conditions call for — not-ready for Ready=False, unreachable for
// Ready=Unknown, the NoSchedule taints of pressure and cordoning — that others' taints are kept, that a returning
// node loses ours, and the conditions a silent node gets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node, NodeCondition, Taint } from '../../../src/api/core/v1/types.js';
import { desiredTaints, unknownConditions } from '../../../src/controllers/nodelifecycle/node_health.js';

const NOW = '2026-01-01T12:00:00Z';
const BEFORE = '2026-01-01T11:00:00Z';

function node(conds: Record<string, string>, o: { taints?: Taint[]; unschedulable?: boolean } = {}): Node {
  const conditions: NodeCondition[] = Object.entries(conds).map(([type, status]) => ({
    type,
    status: status as 'True',
    reason: 'Kubelet',
    message: 'from the kubelet',
    lastHeartbeatTime: BEFORE,
    lastTransitionTime: BEFORE,
  }));
  return {
    metadata: { name: 'n1', creationTimestamp: BEFORE },
    spec: { ...(o.taints ? { taints: o.taints } : {}), ...(o.unschedulable ? { unschedulable: true } : {}) },
    status: { conditions },
  } as Node;
}

const keys = (ts: Taint[] | undefined) => (ts ?? []).map((t) => `${t.key}:${t.effect}`).sort();

test('Ready=False: not-ready NoExecute (with timeAdded) and NoSchedule', () => {
  const t = desiredTaints(node({ Ready: 'False' }), NOW);
  assert.deepEqual(keys(t), ['node.kubernetes.io/not-ready:NoExecute', 'node.kubernetes.io/not-ready:NoSchedule']);
  assert.equal(t!.find((x) => x.effect === 'NoExecute')!.timeAdded, NOW);
  assert.equal(t!.find((x) => x.effect === 'NoSchedule')!.timeAdded, undefined);
});

test('Ready=Unknown: unreachable replaces not-ready (timeAdded now), then stays as it is', () => {
  const notReady = node({ Ready: 'False' });
  notReady.spec!.taints = desiredTaints(notReady, BEFORE);
  notReady.status!.conditions![0]!.status = 'Unknown';
  const t = desiredTaints(notReady, NOW);
  assert.deepEqual(keys(t), ['node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/unreachable:NoSchedule']);
  assert.equal(t!.find((x) => x.effect === 'NoExecute')!.timeAdded, NOW);
  const again = node({ Ready: 'Unknown' }, { taints: t });
  assert.equal(desiredTaints(again, '2026-01-01T13:00:00Z'), undefined, 'nothing changes while the node stays unreachable');
});

test('pressure conditions and cordoning add their NoSchedule taints; a healthy node keeps only the taints of others', () => {
  const t = desiredTaints(node({ Ready: 'True', MemoryPressure: 'True', DiskPressure: 'True', PIDPressure: 'False' }, { unschedulable: true }), NOW);
  assert.deepEqual(keys(t), [
    'node.kubernetes.io/disk-pressure:NoSchedule',
    'node.kubernetes.io/memory-pressure:NoSchedule',
    'node.kubernetes.io/unschedulable:NoSchedule',
  ]);
  const mine: Taint = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' };
  const back = node(
    { Ready: 'True', MemoryPressure: 'False' },
    {
      taints: [
        mine,
        { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: BEFORE },
        { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' },
      ],
    },
  );
  assert.deepEqual(desiredTaints(back, NOW), [mine]);
  assert.equal(desiredTaints(node({ Ready: 'True' }, { taints: [mine] }), NOW), undefined);
});

test('a silent node: every kubelet condition Unknown (NodeStatusUnknown), missing ones NodeStatusNeverUpdated', () => {
  const conds = unknownConditions(node({ Ready: 'True', MemoryPressure: 'False' }), NOW)!;
  const byType = Object.fromEntries(conds.map((c) => [c.type, [c.status, c.reason, c.message, c.lastTransitionTime]]));
  assert.deepEqual(byType.Ready, ['Unknown', 'NodeStatusUnknown', 'Kubelet stopped posting node status.', NOW]);
  assert.deepEqual(byType.MemoryPressure, ['Unknown', 'NodeStatusUnknown', 'Kubelet stopped posting node status.', NOW]);
  assert.deepEqual(byType.DiskPressure, ['Unknown', 'NodeStatusNeverUpdated', 'Kubelet never posted node status.', NOW]);
  assert.deepEqual(byType.PIDPressure, ['Unknown', 'NodeStatusNeverUpdated', 'Kubelet never posted node status.', NOW]);
  assert.equal(unknownConditions({ ...node({}), status: { conditions: conds } }, NOW), undefined, 'already Unknown: no write');
});
