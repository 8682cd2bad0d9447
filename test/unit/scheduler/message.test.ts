import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diagnose, formatFitError, truncateMessage } from '../../../src/scheduler/fit_error.js';
import { buildNodeInfos, newNodeInfo } from '../../../src/scheduler/node_info.js';
import { selectHost, leastAllocatedScore } from '../../../src/scheduler/score.js';
import { makeNode, makePod } from './fixtures.js';

test('no nodes at all', () => {
  assert.equal(diagnose(makePod('p'), []).message, 'no nodes available to schedule pods');
});

test('single node, selector mismatch (the upstream example)', () => {
  const { feasible, message } = diagnose(makePod('p', { nodeSelector: { disk: 'ssd' } }), [newNodeInfo(makeNode('n1'))]);
  assert.equal(feasible.length, 0);
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
  const { message } = diagnose(makePod('p', { requests: { cpu: '1' } }), buildNodeInfos(nodes, busy));
  // n5 has 1 cpu free: fits. Make it not fit by asking for 1500m instead.
  assert.equal(message, undefined);
  const { message: m2 } = diagnose(makePod('p', { requests: { cpu: '1500m' } }), buildNodeInfos(nodes, busy));
  assert.equal(
    m2,
    '0/5 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 1 node(s) were unschedulable, 3 Insufficient cpu. ' +
      'preemption: 0/5 nodes are available: 2 No preemption victims found for incoming pod, 3 Preemption is not helpful for scheduling.',
  );
});

test('preemptionPolicy Never', () => {
  const ni = buildNodeInfos([makeNode('n1', { cpu: '1' })], [makePod('e', { nodeName: 'n1', requests: { cpu: '1' } })]);
  const { message } = diagnose(makePod('p', { requests: { cpu: '500m' }, preemptionPolicy: 'Never' }), ni);
  assert.equal(message, '0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never.');
});

test('lower-priority pods on the node: the reasons left after removing them are reported', () => {
  const nodes = [makeNode('n1', { cpu: '1', memory: '1Gi' })];
  const low = makePod('low', { nodeName: 'n1', requests: { cpu: '500m' }, priority: -10 });
  const same = makePod('same', { nodeName: 'n1', requests: { cpu: '500m', memory: '1Gi' } });
  const { message } = diagnose(makePod('p', { requests: { cpu: '500m', memory: '1' } }), buildNodeInfos(nodes, [low, same]));
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

test('scoring prefers the least allocated node; ties go to the first name', () => {
  const nodes = [makeNode('b'), makeNode('a'), makeNode('c', { cpu: '8', memory: '16Gi' })];
  const infos = buildNodeInfos(nodes, []);
  assert.equal(selectHost(makePod('p', { requests: { cpu: '1' } }), infos)?.node.metadata.name, 'c');
  const equal = buildNodeInfos([makeNode('b'), makeNode('a')], []);
  assert.equal(selectHost(makePod('p'), equal)?.node.metadata.name, 'a');
  const loaded = buildNodeInfos([makeNode('a'), makeNode('b')], [makePod('e', { nodeName: 'a', requests: { cpu: '2', memory: '4Gi' } })]);
  assert.equal(selectHost(makePod('p'), loaded)?.node.metadata.name, 'b');
  assert.ok(leastAllocatedScore(makePod('p'), loaded[1]!) > leastAllocatedScore(makePod('p'), loaded[0]!));
  assert.equal(selectHost(makePod('p'), []), undefined);
});
