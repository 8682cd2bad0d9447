import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newNodeInfo } from '../../../src/scheduler/node_info.js';
import { nodeUnschedulableFilter } from '../../../src/scheduler/plugins/node_unschedulable.js';
import { taintTolerationFilter, effectiveTaints } from '../../../src/scheduler/plugins/taint_toleration.js';
import { toleratesTaint } from '../../../src/scheduler/plugins/tolerations.js';
import { nodeAffinityFilter, nodeSelectorRequirementMatches } from '../../../src/scheduler/plugins/node_affinity.js';
import { nodePortsFilter } from '../../../src/scheduler/plugins/node_ports.js';
import { nodeResourcesFitFilter } from '../../../src/scheduler/plugins/node_resources.js';
import { Framework, CycleState, needsScheduling } from '../../../src/scheduler/framework.js';
import { cacheFrom, cacheHandle } from '../../../src/scheduler/handle.js';
import { container, makeNode, makePod } from './fixtures.js';

test('toleration matching rules', () => {
  const taint = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' as const };
  assert.equal(toleratesTaint({ key: 'dedicated', value: 'gpu' }, taint), true, 'default operator Equal, empty effect = all');
  assert.equal(toleratesTaint({ key: 'dedicated', operator: 'Equal', value: 'cpu' }, taint), false);
  assert.equal(toleratesTaint({ key: 'dedicated', operator: 'Exists' }, taint), true);
  assert.equal(toleratesTaint({ operator: 'Exists' }, taint), true, 'empty key + Exists tolerates everything');
  assert.equal(toleratesTaint({ key: 'dedicated', operator: 'Exists', effect: 'NoExecute' }, taint), false, 'effect must match');
  assert.equal(toleratesTaint({ key: 'other', operator: 'Exists' }, taint), false);
  assert.equal(toleratesTaint({ key: 'k', value: '' }, { key: 'k', effect: 'NoSchedule' }), true, 'missing values compare equal');
});

test('NodeUnschedulable rejects cordoned nodes unless tolerated', () => {
  const node = makeNode('n1');
  node.spec = { unschedulable: true };
  const ni = newNodeInfo(node);
  const st = nodeUnschedulableFilter(makePod('p'), ni);
  assert.deepEqual(st, { code: 'UnschedulableAndUnresolvable', reasons: ['node(s) were unschedulable'], plugin: 'NodeUnschedulable' });
  const tolerant = makePod('p', { tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }] });
  assert.equal(nodeUnschedulableFilter(tolerant, ni), null);
  assert.equal(nodeUnschedulableFilter(makePod('p'), newNodeInfo(makeNode('n2'))), null);
});

test('TaintToleration: NoSchedule/NoExecute taints reject, PreferNoSchedule does not', () => {
  const node = makeNode('n1');
  node.spec = {
    taints: [
      { key: 'soft', effect: 'PreferNoSchedule' },
      { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' },
    ],
  };
  const ni = newNodeInfo(node);
  assert.deepEqual(taintTolerationFilter(makePod('p'), ni)?.reasons, ['node(s) had untolerated taint {dedicated: gpu}']);
  const ok = makePod('p', { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }] });
  assert.equal(taintTolerationFilter(ok, ni), null);
  const exec = makeNode('n2');
  exec.spec = { taints: [{ key: 'evict', effect: 'NoExecute' }] };
  assert.deepEqual(taintTolerationFilter(makePod('p'), newNodeInfo(exec))?.reasons, ['node(s) had untolerated taint {evict: }']);
});

test('not-ready and unreachable nodes carry condition taints', () => {
  const notReady = makeNode('n1', { ready: 'False' });
  assert.deepEqual(taintTolerationFilter(makePod('p'), newNodeInfo(notReady))?.reasons, ['node(s) had untolerated taint {node.kubernetes.io/not-ready: }']);
  const unknown = makeNode('n2', { ready: 'Unknown' });
  assert.deepEqual(taintTolerationFilter(makePod('p'), newNodeInfo(unknown))?.reasons, ['node(s) had untolerated taint {node.kubernetes.io/unreachable: }']);
  const never = makeNode('n3', { ready: null });
  assert.equal(effectiveTaints(never)[0]?.key, 'node.kubernetes.io/unreachable');
  // The default NoExecute tolerations every pod gets do not tolerate the NoSchedule condition taint.
  const defaults = makePod('p', { tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }] });
  assert.notEqual(taintTolerationFilter(defaults, newNodeInfo(notReady)), null);
  const tolerant = makePod('p', { tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists' }] });
  assert.equal(taintTolerationFilter(tolerant, newNodeInfo(notReady)), null);
  assert.equal(taintTolerationFilter(makePod('p'), newNodeInfo(makeNode('ok'))), null);
});

test('node selector requirement operators', () => {
  const labels = { zone: 'a', gen: '5', bad: 'x' };
  const m = (operator: string, key: string, values?: string[]) => nodeSelectorRequirementMatches({ key, operator: operator as 'In', values }, labels);
  assert.equal(m('In', 'zone', ['a', 'b']), true);
  assert.equal(m('In', 'zone', ['b']), false);
  assert.equal(m('In', 'missing', ['a']), false);
  assert.equal(m('NotIn', 'zone', ['b']), true);
  assert.equal(m('NotIn', 'zone', ['a']), false);
  assert.equal(m('NotIn', 'missing', ['a']), true);
  assert.equal(m('Exists', 'zone'), true);
  assert.equal(m('Exists', 'missing'), false);
  assert.equal(m('DoesNotExist', 'missing'), true);
  assert.equal(m('DoesNotExist', 'zone'), false);
  assert.equal(m('Gt', 'gen', ['4']), true);
  assert.equal(m('Gt', 'gen', ['5']), false);
  assert.equal(m('Lt', 'gen', ['6']), true);
  assert.equal(m('Lt', 'gen', ['5']), false);
  assert.equal(m('Gt', 'bad', ['1']), false, 'non-integer label value');
  assert.equal(m('Gt', 'gen', ['x']), false, 'non-integer requirement');
  assert.equal(m('In', 'zone', []), false, 'In needs values');
});

test('NodeAffinity: nodeSelector and required terms', () => {
  const ni = newNodeInfo(makeNode('n1', { labels: { disk: 'ssd', zone: 'a' } }));
  const reason = ["node(s) didn't match Pod's node affinity/selector"];
  assert.equal(nodeAffinityFilter(makePod('p', { nodeSelector: { disk: 'ssd' } }), ni), null);
  assert.deepEqual(nodeAffinityFilter(makePod('p', { nodeSelector: { disk: 'hdd' } }), ni)?.reasons, reason);
  const affinity = (terms: object[]) =>
    makePod('p', { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms as never } } } });
  // terms are ORed
  assert.equal(
    nodeAffinityFilter(
      affinity([
        { matchExpressions: [{ key: 'zone', operator: 'In', values: ['b'] }] },
        { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] },
      ]),
      ni,
    ),
    null,
  );
  // expressions within a term are ANDed
  assert.deepEqual(
    nodeAffinityFilter(
      affinity([
        {
          matchExpressions: [
            { key: 'zone', operator: 'In', values: ['a'] },
            { key: 'disk', operator: 'DoesNotExist' },
          ],
        },
      ]),
      ni,
    )?.reasons,
    reason,
  );
  // matchFields on metadata.name
  assert.equal(nodeAffinityFilter(affinity([{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] }]), ni), null);
  assert.notEqual(nodeAffinityFilter(affinity([{ matchFields: [{ key: 'metadata.name', operator: 'NotIn', values: ['n1'] }] }]), ni), null);
  // an empty term matches nothing; so does an empty term list
  assert.notEqual(nodeAffinityFilter(affinity([{}]), ni), null);
  assert.notEqual(nodeAffinityFilter(affinity([]), ni), null);
  // both nodeSelector and affinity must hold
  const both = affinity([{ matchExpressions: [{ key: 'zone', operator: 'Exists' }] }]);
  both.spec!.nodeSelector = { disk: 'hdd' };
  assert.notEqual(nodeAffinityFilter(both, ni), null);
});

test('NodePorts: hostPort conflicts by protocol and host IP', () => {
  const withPort = (name: string, hostPort: number, protocol?: 'TCP' | 'UDP', hostIP?: string) =>
    makePod(name, { nodeName: 'n1', containers: [container('c', undefined, { ports: [{ containerPort: 80, hostPort, protocol, hostIP }] })] });
  const ni = newNodeInfo(makeNode('n1'), [withPort('a', 8080), withPort('b', 9090, 'TCP', '10.0.0.1')]);
  const reason = ["node(s) didn't have free ports for the requested pod ports"];
  assert.deepEqual(nodePortsFilter(withPort('x', 8080), ni)?.reasons, reason);
  assert.equal(nodePortsFilter(withPort('x', 8080, 'UDP'), ni), null, 'different protocol');
  assert.deepEqual(nodePortsFilter(withPort('x', 8080, 'TCP', '10.0.0.2'), ni)?.reasons, reason, '0.0.0.0 holds every address');
  assert.deepEqual(nodePortsFilter(withPort('x', 9090), ni)?.reasons, reason, 'wildcard request clashes with a specific address');
  assert.equal(nodePortsFilter(withPort('x', 9090, 'TCP', '10.0.0.2'), ni), null, 'other specific address is free');
  assert.equal(nodePortsFilter(makePod('x'), ni), null);
  assert.equal(nodePortsFilter(withPort('x', 8080), newNodeInfo(makeNode('n1'))), null);
});

test('NodeResourcesFit: requests against allocatable minus used', () => {
  const existing = makePod('e', { nodeName: 'n1', requests: { cpu: '3', memory: '1Gi' } });
  const ni = newNodeInfo(makeNode('n1', { cpu: '4', memory: '2Gi' }), [existing]);
  assert.equal(nodeResourcesFitFilter(makePod('p', { requests: { cpu: '1', memory: '1Gi' } }), ni), null, 'exactly fits');
  assert.deepEqual(nodeResourcesFitFilter(makePod('p', { requests: { cpu: '1500m' } }), ni), {
    code: 'Unschedulable',
    reasons: ['Insufficient cpu'],
    plugin: 'NodeResourcesFit',
  });
  assert.deepEqual(nodeResourcesFitFilter(makePod('p', { requests: { cpu: '2', memory: '2Gi' } }), ni)?.reasons, ['Insufficient cpu', 'Insufficient memory']);
  // more than the whole node: preemption cannot help
  assert.equal(nodeResourcesFitFilter(makePod('p', { requests: { cpu: '5' } }), ni)?.code, 'UnschedulableAndUnresolvable');
  assert.equal(nodeResourcesFitFilter(makePod('p'), ni), null, 'best-effort pods need no resources');
  const eph = newNodeInfo(makeNode('n1', { extra: { 'ephemeral-storage': '10Gi', 'example.com/gpu': '1' } }));
  assert.deepEqual(nodeResourcesFitFilter(makePod('p', { requests: { 'ephemeral-storage': '11Gi' } }), eph)?.reasons, ['Insufficient ephemeral-storage']);
  assert.deepEqual(nodeResourcesFitFilter(makePod('p', { requests: { 'example.com/gpu': '2' } }), eph)?.reasons, ['Insufficient example.com/gpu']);
  assert.equal(nodeResourcesFitFilter(makePod('p', { requests: { 'example.com/gpu': '1' } }), eph), null);
});

test('NodeResourcesFit: pod count and init-container rule', () => {
  const full = newNodeInfo(makeNode('n1', { pods: '1' }), [makePod('e', { nodeName: 'n1' })]);
  assert.deepEqual(nodeResourcesFitFilter(makePod('p'), full)?.reasons, ['Too many pods']);
  assert.equal(nodeResourcesFitFilter(makePod('p'), full)?.code, 'Unschedulable');
  const ni = newNodeInfo(makeNode('n1', { cpu: '2' }));
  const initHeavy = makePod('p', { containers: [container('a', { cpu: '100m' })], initContainers: [container('i', { cpu: '3' })] });
  assert.deepEqual(nodeResourcesFitFilter(initHeavy, ni)?.reasons, ['Insufficient cpu']);
  const overhead = makePod('p', { requests: { cpu: '2' }, overhead: { cpu: '1m' } });
  assert.deepEqual(nodeResourcesFitFilter(overhead, ni)?.reasons, ['Insufficient cpu']);
});

test('runFilters stops at the first rejecting plugin (upstream order)', () => {
  const node = makeNode('n1', { cpu: '1', labels: { a: 'b' } });
  node.spec = { unschedulable: true };
  const fw = new Framework(cacheHandle(cacheFrom([node])));
  const pod = makePod('p', { requests: { cpu: '2' }, nodeSelector: { x: 'y' } });
  const state = new CycleState();
  assert.equal(fw.runPreFilter(state, pod), null);
  const st = fw.runFilterPlugins(state, pod, newNodeInfo(node));
  assert.equal(st?.plugin, 'NodeUnschedulable');
});

test('needsScheduling: unbound, this scheduler, not deleting, not finished', () => {
  assert.equal(needsScheduling(makePod('p'), 'default-scheduler'), true, 'schedulerName defaults to default-scheduler');
  assert.equal(needsScheduling(makePod('p', { nodeName: 'n1' }), 'default-scheduler'), false);
  assert.equal(needsScheduling(makePod('p', { schedulerName: 'other' }), 'default-scheduler'), false);
  const deleting = makePod('p');
  deleting.metadata.deletionTimestamp = '2024-01-01T00:00:00Z';
  assert.equal(needsScheduling(deleting, 'default-scheduler'), false);
  const done = makePod('p');
  done.status = { phase: 'Succeeded' };
  assert.equal(needsScheduling(done, 'default-scheduler'), false);
});
