// PodTopologySpread against upstream's semantics: the skew arithmetic (the seed's example: a 4th app=foo pod
// goes to the empty zone under maxSkew 1), minDomains, missing topology keys, matchLabelKeys, inclusion
// policies, and the ScheduleAnyway score.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node, Pod, TopologySpreadConstraint } from '../../../src/api/core/v1/types.js';
import { scheduleOnSnapshot } from '../../../src/scheduler/schedule_one.js';
import { selectorFromSet } from '../../../src/api/labels.js';
import { scoreForCount } from '../../../src/scheduler/plugins/pod_topology_spread.js';
import { makeNode, makePod } from './fixtures.js';

const ZONE = 'topology.kubernetes.io/zone';

function zoneNode(name: string, zone: string, extra: Partial<Node['spec']> = {}): Node {
  const n = makeNode(name, { labels: { 'kubernetes.io/hostname': name, [ZONE]: zone } });
  n.spec = { ...extra };
  return n;
}

function foo(name: string, o: { nodeName?: string; spread?: TopologySpreadConstraint[]; labels?: Record<string, string> } = {}): Pod {
  const p = makePod(name, { nodeName: o.nodeName, ...(o.spread ? { topologySpreadConstraints: o.spread } : {}) });
  p.metadata.labels = o.labels ?? { app: 'foo' };
  return p;
}

const zoneSpread = (maxSkew = 1, extra: Partial<TopologySpreadConstraint> = {}): TopologySpreadConstraint[] => [
  { maxSkew, topologyKey: ZONE, whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'foo' } }, ...extra },
];

test("the seed's example: the 4th app=foo pod goes to the empty zone under maxSkew 1", () => {
  const nodes = [zoneNode('a1', 'a'), zoneNode('a2', 'a'), zoneNode('b1', 'b'), zoneNode('c1', 'c')];
  const existing = [foo('p1', { nodeName: 'a1' }), foo('p2', { nodeName: 'a2' }), foo('p3', { nodeName: 'b1' })];
  for (let i = 0; i < 5; i++) {
    const r = scheduleOnSnapshot(foo('p4', { spread: zoneSpread() }), nodes, existing);
    assert.equal(r.host, 'c1');
  }
  // with maxSkew 2 zone b (1 + 1 - 0 = 2) is allowed too, zone a (2 + 1 - 0 = 3) still is not
  const r = scheduleOnSnapshot(foo('p4', { spread: zoneSpread(2) }), nodes, existing);
  assert.equal(r.feasibleNodes, 2);
  assert.equal(r.statuses.get('a1')?.reasons[0], "node(s) didn't match pod topology spread constraints");
});

test('the FailedScheduling message: taint on the empty zone, spread on the others', () => {
  const nodes = [zoneNode('n1', 'a'), zoneNode('n2', 'b'), zoneNode('n3', 'c', { taints: [{ key: 'k', value: 'v', effect: 'NoSchedule' }] })];
  const existing = [foo('p1', { nodeName: 'n1' }), foo('p2', { nodeName: 'n2' })];
  const r = scheduleOnSnapshot(foo('new', { spread: zoneSpread() }), nodes, existing);
  assert.equal(r.host, undefined);
  assert.equal(
    r.message,
    "0/3 nodes are available: 1 node(s) had untolerated taint {k: v}, 2 node(s) didn't match pod topology spread constraints. " +
      'preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.',
  );
  // nodeTaintsPolicy Honor: the tainted zone is no domain, so the minimum is 1 and both others fit
  const honor = scheduleOnSnapshot(foo('new', { spread: zoneSpread(1, { nodeTaintsPolicy: 'Honor' }) }), nodes, existing);
  assert.equal(honor.feasibleNodes, 2);
});

test('minDomains: fewer domains than minDomains makes the global minimum 0', () => {
  const nodes = [zoneNode('n1', 'a'), zoneNode('n2', 'b')];
  const existing = [foo('p1', { nodeName: 'n1' }), foo('p2', { nodeName: 'n2' })];
  assert.equal(scheduleOnSnapshot(foo('x', { spread: zoneSpread(1) }), nodes, existing).feasibleNodes, 2);
  const r = scheduleOnSnapshot(foo('x', { spread: zoneSpread(1, { minDomains: 3 }) }), nodes, existing);
  assert.equal(r.feasibleNodes, 0);
  assert.match(r.message!, /2 node\(s\) didn't match pod topology spread constraints\./);
});

test('nodes without the topology key are unresolvable (missing required label)', () => {
  const nodes = [zoneNode('n1', 'a'), makeNode('bare')];
  const r = scheduleOnSnapshot(foo('x', { spread: zoneSpread() }), nodes);
  assert.equal(r.host, 'n1');
  const only = scheduleOnSnapshot(foo('x', { spread: zoneSpread() }), [makeNode('bare')]);
  assert.equal(
    only.message,
    "0/1 nodes are available: 1 node(s) didn't match pod topology spread constraints (missing required label). preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.",
  );
});

test("only the pod's namespace and matching labels count; matchLabelKeys narrows the selector", () => {
  const nodes = [zoneNode('n1', 'a'), zoneNode('n2', 'b')];
  const other = foo('o1', { nodeName: 'n1' });
  other.metadata.namespace = 'other';
  const v1 = foo('v1', { nodeName: 'n1', labels: { app: 'foo', rev: '1' } });
  assert.equal(scheduleOnSnapshot(foo('x', { spread: zoneSpread() }), nodes, [other]).feasibleNodes, 2, 'other namespace ignored');
  const x = foo('x', { spread: zoneSpread(1, { matchLabelKeys: ['rev'] }), labels: { app: 'foo', rev: '2' } });
  assert.equal(scheduleOnSnapshot(x, nodes, [v1]).feasibleNodes, 2, 'rev=1 pods are not counted for a rev=2 pod');
  const y = foo('y', { spread: zoneSpread(1, { matchLabelKeys: ['rev'] }), labels: { app: 'foo', rev: '1' } });
  assert.equal(scheduleOnSnapshot(y, nodes, [v1]).host, 'n2');
});

test('nodeAffinityPolicy Honor (default) ignores domains the pod cannot go to; Ignore counts them', () => {
  const nodes = [zoneNode('n1', 'a'), zoneNode('n2', 'b'), zoneNode('n3', 'c')];
  nodes[2]!.metadata.labels!.pool = 'other';
  const existing = [foo('p1', { nodeName: 'n1' }), foo('p2', { nodeName: 'n2' })];
  const honor = foo('x', { spread: zoneSpread() });
  honor.spec!.affinity = {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'pool', operator: 'DoesNotExist' }] }] },
    },
  };
  assert.equal(scheduleOnSnapshot(honor, nodes, existing).feasibleNodes, 2, 'zone c is no domain: min 1, both a and b fit');
  const ignore = foo('x', { spread: zoneSpread(1, { nodeAffinityPolicy: 'Ignore' }) });
  ignore.spec!.affinity = honor.spec!.affinity;
  assert.equal(scheduleOnSnapshot(ignore, nodes, existing).feasibleNodes, 0, 'zone c counts with 0 pods');
});

test('ScheduleAnyway scores the emptier domain higher (cnt * log(domains + 2) + maxSkew - 1)', () => {
  assert.equal(scoreForCount(2, 1, Math.log(5)), 2 * Math.log(5));
  const nodes = [zoneNode('n1', 'a'), zoneNode('n2', 'b'), zoneNode('n3', 'c')];
  const existing = [foo('p1', { nodeName: 'n1' }), foo('p2', { nodeName: 'n1' }), foo('p3', { nodeName: 'n2' })];
  const soft = zoneSpread(1, { whenUnsatisfiable: 'ScheduleAnyway' });
  for (let i = 0; i < 5; i++) assert.equal(scheduleOnSnapshot(foo('x', { spread: soft }), nodes, existing).host, 'n3');
});

test('default constraints spread pods of one Service over hostnames', () => {
  const nodes = [zoneNode('n1', 'a'), zoneNode('n2', 'a')];
  const existing = [foo('p1', { nodeName: 'n1' }), foo('p2', { nodeName: 'n1' })];
  for (let i = 0; i < 5; i++) {
    const r = scheduleOnSnapshot(foo('x'), nodes, existing, { defaultSelectorFor: () => selectorFromSet({ app: 'foo' }) });
    assert.equal(r.host, 'n2');
  }
  // without a Service or controller selecting the pod there is nothing to spread: both nodes tie on spreading
  const seen = new Set<string>();
  for (let i = 0; i < 40; i++) seen.add(scheduleOnSnapshot(foo('x'), nodes, [], {}).host!);
  assert.equal(seen.size, 2);
});
