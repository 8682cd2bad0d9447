// Preemption's victim choice as upstream: only lower-priority pods, a minimal set (the more important pods are
// reprieved first), PodDisruptionBudgets respected where possible, the node chosen by fewest violations, then
// lowest victim priority, then fewest victims; preemptionPolicy Never; and the "preemption: ..." verdicts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../../src/api/core/v1/types.js';
import { selectorFromSet } from '../../../src/api/labels.js';
import { scheduleOnSnapshot } from '../../../src/scheduler/schedule_one.js';
import { pickOneNodeForPreemption, filterPodsWithPDBViolation } from '../../../src/scheduler/preemption.js';
import { makeNode, makePod } from './fixtures.js';

function p(name: string, node: string | undefined, cpu: string, priority: number, labels?: Record<string, string>): Pod {
  const pod = makePod(name, { nodeName: node, requests: { cpu }, priority });
  if (labels) pod.metadata.labels = labels;
  return pod;
}

test('victims are a minimal set of lower-priority pods, least important first', () => {
  const nodes = [makeNode('n1', { cpu: '4' })];
  const existing = [p('low', 'n1', '1', 1), p('mid', 'n1', '1', 5), p('same', 'n1', '2', 10)];
  const r = scheduleOnSnapshot(p('hi', undefined, '1', 10), nodes, existing);
  assert.equal(r.host, undefined);
  assert.equal(r.candidate?.node, 'n1');
  assert.deepEqual(
    r.candidate?.victims.map((v) => v.metadata.name),
    ['low'],
    'removing low alone makes room; mid is reprieved',
  );
  assert.equal(r.message, '0/1 nodes are available: 1 Insufficient cpu.', 'a successful preemption adds no preemption verdict');
  const big = scheduleOnSnapshot(p('hi', undefined, '2', 10), nodes, existing);
  assert.deepEqual(big.candidate?.victims.map((v) => v.metadata.name).sort(), ['low', 'mid']);
  const huge = scheduleOnSnapshot(p('hi', undefined, '3', 10), nodes, existing);
  assert.equal(huge.candidate, undefined, 'even without every lower-priority pod it does not fit');
  assert.equal(huge.message, '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 Insufficient cpu.');
});

test('the node with the lowest-priority victims wins; then the fewest victims', () => {
  const nodes = [makeNode('a', { cpu: '2' }), makeNode('b', { cpu: '2' }), makeNode('c', { cpu: '2' })];
  const existing = [p('a1', 'a', '2', 5), p('b1', 'b', '1', 1), p('b2', 'b', '1', 1), p('c1', 'c', '2', 1)];
  const r = scheduleOnSnapshot(p('hi', undefined, '2', 100), nodes, existing);
  assert.equal(r.candidate?.node, 'c', 'b and c have priority-1 victims; c needs one victim, b two (sum of priorities)');
});

test('PodDisruptionBudgets: a node whose victims break no budget is preferred', () => {
  const nodes = [makeNode('a', { cpu: '1' }), makeNode('b', { cpu: '1' })];
  const existing = [p('guarded', 'a', '1', 0, { app: 'db' }), p('free', 'b', '1', 0, { app: 'web' })];
  const pdbs = [{ namespace: 'default', selector: selectorFromSet({ app: 'db' }), disruptionsAllowed: 0, disruptedPods: new Set<string>() }];
  for (let i = 0; i < 5; i++) assert.equal(scheduleOnSnapshot(p('hi', undefined, '1', 10), nodes, existing, { pdbs }).candidate?.node, 'b');
  // with only the guarded node left, the budget is violated (upstream: PDBs are best effort)
  const only = scheduleOnSnapshot(p('hi', undefined, '1', 10), [nodes[0]!], [existing[0]!], { pdbs });
  assert.equal(only.candidate?.numPDBViolations, 1);
  const split = filterPodsWithPDBViolation([existing[0]!, existing[1]!], [{ ...pdbs[0]!, disruptionsAllowed: 1 }]);
  assert.equal(split.violating.length, 0);
  assert.equal(pickOneNodeForPreemption([]), undefined);
});

test('preemptionPolicy Never and unresolvable nodes', () => {
  const nodes = [makeNode('n1', { cpu: '1' }), makeNode('n2', { cpu: '1', labels: { pool: 'x' } })];
  nodes[1]!.spec = { unschedulable: true };
  const existing = [p('low', 'n1', '1', 0)];
  const never = makePod('hi', { requests: { cpu: '1' }, priority: 10, preemptionPolicy: 'Never' });
  assert.equal(
    scheduleOnSnapshot(never, nodes, existing).message,
    '0/2 nodes are available: 1 Insufficient cpu, 1 node(s) were unschedulable. preemption: not eligible due to preemptionPolicy=Never.',
  );
  const r = scheduleOnSnapshot(p('hi', undefined, '1', 10), nodes, existing);
  assert.equal(r.candidate?.node, 'n1');
  assert.deepEqual(
    r.candidate?.victims.map((v) => v.metadata.name),
    ['low'],
  );
});

test('a pod nominated to a node waits for its victims; others cannot take the room meanwhile', () => {
  const nodes = [makeNode('n1', { cpu: '2' })];
  const nominated = p('hi', undefined, '2', 10);
  nominated.status = { nominatedNodeName: 'n1' };
  // the victim is going (terminating): the preemptor is not eligible to preempt again
  const going = p('low', 'n1', '2', 0);
  going.metadata.deletionTimestamp = '2026-01-01T00:00:00Z';
  assert.equal(
    scheduleOnSnapshot(nominated, nodes, [going]).message,
    '0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to a terminating pod on the nominated node.',
  );
  // once it is gone, a lower-priority pod does not get the nominated room
  const small = p('small', undefined, '1', 0);
  assert.equal(scheduleOnSnapshot(small, nodes, [nominated]).host, undefined);
  assert.equal(scheduleOnSnapshot(nominated, nodes, []).host, 'n1');
});
