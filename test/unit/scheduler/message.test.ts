import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatFitError, truncateMessage } from '../../../src/scheduler/fit_error.js';
import { buildNodeInfos } from '../../../src/scheduler/node_info.js';
import { leastAllocatedScore } from '../../../src/scheduler/plugins/node_resources.js';
import { selectHost } from '../../../src/scheduler/score.js';
import { scheduleOnSnapshot } from '../../../src/scheduler/schedule_one.js';
import type { Node, Pod } from '../../../src/api/core/v1/types.js';
import { makeNode, makePod } from './fixtures.js';

/** One cycle over these nodes and pods; the FailedScheduling message when nothing fits. */
function diagnose(pod: Pod, nodes: Node[], pods: Pod[] = []) {
  const r = scheduleOnSnapshot(pod, nodes, pods);
  return { feasible: r.feasibleNodes, host: r.host, message: r.message };
}

test('no nodes at all', () => {
  assert.equal(diagnose(makePod('p'), []).message, 'no nodes available to schedule pods');
});

test('single node, selector mismatch (the upstream example)', () => {
  const { feasible, message } = diagnose(makePod('p', { nodeSelector: { disk: 'ssd' } }), [makeNode('n1')]);
  assert.equal(feasible, 0);
  assert.equal(
    message,
    "0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.",
  );
});

test('reasons are counted per node and sorted; resolvable nodes get a preemption verdict', () => {
  const tainted = makeNode('n2');
  tainted.spec = { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] };
  const cordoned = makeNode('n3');
  cordoned.spec = { unschedulable: true };
  const nodes = [makeNode('n1', { cpu: '2' }), tainted, cordoned, makeNode('n4', { cpu: '2' }), makeNode('n5', { cpu: '1' })];
  const busy = [makePod('e1', { nodeName: 'n1', requests: { cpu: '1500m' } }), makePod('e4', { nodeName: 'n4', requests: { cpu: '1500m' } })];
  const { message } = diagnose(makePod('p', { requests: { cpu: '1' } }), nodes, busy);
  // n5 has 1 cpu free: fits. Make it not fit by asking for 1500m instead.
  assert.equal(message, undefined);
  const { message: m2 } = diagnose(makePod('p', { requests: { cpu: '1500m' } }), nodes, busy);
  assert.equal(
    m2,
    '0/5 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 1 node(s) were unschedulable, 3 Insufficient cpu. ' +
      'preemption: 0/5 nodes are available: 2 No preemption victims found for incoming pod, 3 Preemption is not helpful for scheduling.',
  );
});

test('preemptionPolicy Never', () => {
  const { message } = diagnose(
    makePod('p', { requests: { cpu: '500m' }, preemptionPolicy: 'Never' }),
    [makeNode('n1', { cpu: '1' })],
    [makePod('e', { nodeName: 'n1', requests: { cpu: '1' } })],
  );
  assert.equal(message, '0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never.');
});

test('lower-priority pods on the node: the reasons left after removing them are reported', () => {
  const nodes = [makeNode('n1', { cpu: '1', memory: '1Gi' })];
  const low = makePod('low', { nodeName: 'n1', requests: { cpu: '500m' }, priority: -10 });
  const same = makePod('same', { nodeName: 'n1', requests: { cpu: '500m', memory: '1Gi' } });
  const { message } = diagnose(makePod('p', { requests: { cpu: '500m', memory: '1' } }), nodes, [low, same]);
  assert.equal(message, '0/1 nodes are available: 1 Insufficient cpu, 1 Insufficient memory. preemption: 0/1 nodes are available: 1 Insufficient memory.');
});

test('formatFitError and truncation', () => {
  assert.equal(
    formatFitError(3, [
      { code: 'Unschedulable', reasons: ['b', 'a'], plugin: 'x' },
      { code: 'Unschedulable', reasons: ['a'], plugin: 'x' },
    ]),
    '0/3 nodes are available: 1 b, 2 a.',
  );
  const long = 'x'.repeat(2000);
  const t = truncateMessage(long);
  assert.equal(t.length, 1024);
  assert.ok(t.endsWith(' ...'));
  assert.equal(truncateMessage('short'), 'short');
});

test('scoring prefers the least allocated node; ties are broken among the best', () => {
  const nodes = [makeNode('b'), makeNode('a'), makeNode('c', { cpu: '8', memory: '16Gi' })];
  assert.equal(scheduleOnSnapshot(makePod('p', { requests: { cpu: '1' } }), nodes).host, 'c');
  const first = () => 0.99;
  assert.equal(
    scheduleOnSnapshot(makePod('p'), [makeNode('b'), makeNode('a')], [], { rand: first }).host,
    'b',
    'a tie keeps the first unless the draw says otherwise',
  );
  assert.equal(scheduleOnSnapshot(makePod('p'), [makeNode('b'), makeNode('a')], [], { rand: () => 0 }).host, 'a');
  const busy = [makePod('e', { nodeName: 'a', requests: { cpu: '2', memory: '4Gi' } })];
  assert.equal(scheduleOnSnapshot(makePod('p'), [makeNode('a'), makeNode('b')], busy).host, 'b');
  const loaded = buildNodeInfos([makeNode('a'), makeNode('b')], busy);
  assert.ok(leastAllocatedScore(makePod('p'), loaded[1]!) > leastAllocatedScore(makePod('p'), loaded[0]!));
  assert.equal(selectHost([]), undefined);
});
