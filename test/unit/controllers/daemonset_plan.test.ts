// The pure parts of the DaemonSet controller: where a daemon pod may run (node name, selector, affinity,
// taints with the automatic tolerations), per-node create/delete decisions, RollingUpdate steps with
// maxUnavailable and maxSurge (absolute and percent, rounded up as upstream), status counts, failed-pod backoff.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DaemonSet } from '../../../src/api/apps/v1/workload_types.js';
import type { Node, Pod, Taint } from '../../../src/api/core/v1/types.js';
import {
  daemonPodTemplate,
  nodeShouldRunDaemonPod,
  pinToNode,
  surgeCount,
  targetNodeName,
  unavailableCount,
} from '../../../src/controllers/daemonset/daemon_pod.js';
import { computeStatus, planNode, planRollingUpdate } from '../../../src/controllers/daemonset/sync_plan.js';
import { FailedPodBackoff } from '../../../src/controllers/daemonset/failed_pod_backoff.js';

const NOW = Date.parse('2026-01-01T00:00:00Z');

function ds(rollingUpdate: { maxSurge?: number | string; maxUnavailable?: number | string } = {}, podSpec: Record<string, unknown> = {}): DaemonSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'd', namespace: 'default', uid: 'u1', annotations: { 'deprecated.daemonset.template.generation': '2' } },
    spec: {
      selector: { matchLabels: { app: 'd' } },
      template: { metadata: { labels: { app: 'd' } }, spec: { containers: [{ name: 'c', image: 'x' }], ...podSpec } },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0, ...rollingUpdate } },
    },
  };
}

const node = (name: string, labels: Record<string, string> = {}, taints: Taint[] = []): Node => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, labels },
  spec: { taints },
});

let seq = 0;
function pod(nodeName: string, hash: string, o: { ready?: boolean; phase?: string; deleting?: boolean; created?: number } = {}): Pod {
  seq++;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `p${seq}`,
      uid: `uid${seq}`,
      namespace: 'default',
      labels: { app: 'd', 'controller-revision-hash': hash },
      creationTimestamp: new Date(o.created ?? NOW - 60_000 + seq).toISOString(),
      ...(o.deleting ? { deletionTimestamp: new Date(NOW).toISOString() } : {}),
    },
    spec: { nodeName, containers: [{ name: 'c', image: 'x' }] },
    status: {
      phase: (o.phase ?? 'Running') as 'Running',
      conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True', lastTransitionTime: new Date(NOW - 30_000).toISOString() }],
    },
  };
}

test('nodeShouldRunDaemonPod: node name, nodeSelector, required affinity, NoSchedule vs NoExecute taints, automatic tolerations', () => {
  assert.deepEqual(nodeShouldRunDaemonPod(node('a'), ds()), { shouldRun: true, shouldContinueRunning: true });
  assert.deepEqual(nodeShouldRunDaemonPod(node('a'), ds({}, { nodeName: 'b' })), { shouldRun: false, shouldContinueRunning: false });
  assert.deepEqual(nodeShouldRunDaemonPod(node('a', { disk: 'hdd' }), ds({}, { nodeSelector: { disk: 'ssd' } })), {
    shouldRun: false,
    shouldContinueRunning: false,
  });
  const affinity = {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['z1'] }] }] },
    },
  };
  assert.equal(nodeShouldRunDaemonPod(node('a', { zone: 'z1' }), ds({}, { affinity })).shouldRun, true);
  assert.equal(nodeShouldRunDaemonPod(node('a', { zone: 'z2' }), ds({}, { affinity })).shouldRun, false);
  assert.deepEqual(nodeShouldRunDaemonPod(node('a', {}, [{ key: 'k', effect: 'NoSchedule' }]), ds()), { shouldRun: false, shouldContinueRunning: true });
  assert.deepEqual(nodeShouldRunDaemonPod(node('a', {}, [{ key: 'k', effect: 'NoExecute' }]), ds()), { shouldRun: false, shouldContinueRunning: false });
  assert.deepEqual(nodeShouldRunDaemonPod(node('a', {}, [{ key: 'k', effect: 'PreferNoSchedule' }]), ds()), { shouldRun: true, shouldContinueRunning: true });
  // tolerated by every DaemonSet pod
  for (const t of [
    { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' as const },
    { key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' as const },
    { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' as const },
    { key: 'node.kubernetes.io/disk-pressure', effect: 'NoSchedule' as const },
    { key: 'node.kubernetes.io/memory-pressure', effect: 'NoSchedule' as const },
    { key: 'node.kubernetes.io/pid-pressure', effect: 'NoSchedule' as const },
  ])
    assert.equal(nodeShouldRunDaemonPod(node('a', {}, [t]), ds()).shouldRun, true, t.key);
  // network-unavailable only for hostNetwork pods
  const netTaint = [{ key: 'node.kubernetes.io/network-unavailable', effect: 'NoSchedule' as const }];
  assert.equal(nodeShouldRunDaemonPod(node('a', {}, netTaint), ds()).shouldRun, false);
  assert.equal(nodeShouldRunDaemonPod(node('a', {}, netTaint), ds({}, { hostNetwork: true })).shouldRun, true);
  // the user's own toleration
  assert.equal(
    nodeShouldRunDaemonPod(node('a', {}, [{ key: 'k', value: 'v', effect: 'NoExecute' }]), ds({}, { tolerations: [{ key: 'k', operator: 'Exists' }] }))
      .shouldRun,
    true,
  );
});

test('the pod template: labels, tolerations without duplicates; pinned by metadata.name In [node]', () => {
  const t = daemonPodTemplate(
    ds({}, { tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 5 }] }).spec.template,
    2,
    'abc',
  );
  assert.deepEqual(t.metadata?.labels, { app: 'd', 'pod-template-generation': '2', 'controller-revision-hash': 'abc' });
  const notReady = t.spec!.tolerations!.filter((x) => x.key === 'node.kubernetes.io/not-ready');
  assert.deepEqual(notReady, [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' }]);
  const a = pinToNode(
    { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'x', operator: 'Exists' }] }] } } },
    'n1',
  );
  assert.deepEqual(a.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution, {
    nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] }],
  });
  const p: Pod = { metadata: {}, spec: { containers: [], affinity: a } };
  assert.equal(targetNodeName(p), 'n1');
  assert.equal(targetNodeName({ metadata: {}, spec: { containers: [], nodeName: 'n2', affinity: a } }), 'n2');
});

test('maxSurge/maxUnavailable: absolute values and percentages of the desired nodes, rounded up', () => {
  assert.equal(unavailableCount(ds({ maxUnavailable: '10%' }), 25), 3);
  assert.equal(unavailableCount(ds({ maxUnavailable: 2 }), 25), 2);
  assert.equal(surgeCount(ds({ maxSurge: '25%', maxUnavailable: 0 }), 5), 2);
  assert.equal(surgeCount(ds({ maxSurge: '1%', maxUnavailable: 0 }), 1), 1);
  const onDelete = ds();
  onDelete.spec.updateStrategy = { type: 'OnDelete' };
  assert.equal(unavailableCount(onDelete, 10), 0);
});

test('planNode: create where missing, keep the oldest, delete failed/succeeded/misscheduled; with surge keep one new and one old', () => {
  const d = ds();
  assert.deepEqual(planNode(d, { shouldRun: true, shouldContinueRunning: true }, undefined, 'h', NOW), { create: true, delete: [], failed: [], succeeded: [] });
  const a = pod('n', 'h', { created: NOW - 2000 });
  const b = pod('n', 'h', { created: NOW - 1000 });
  assert.deepEqual(
    planNode(d, { shouldRun: true, shouldContinueRunning: true }, [b, a], 'h', NOW).delete.map((p) => p.metadata.name),
    [b.metadata.name],
  );
  const failed = pod('n', 'h', { phase: 'Failed' });
  const plan = planNode(d, { shouldRun: true, shouldContinueRunning: true }, [failed], 'h', NOW);
  assert.deepEqual([plan.create, plan.failed.length, plan.delete.length], [false, 1, 0]);
  assert.deepEqual(planNode(d, { shouldRun: false, shouldContinueRunning: false }, [a, pod('n', 'h', { deleting: true })], 'h', NOW).delete, [a]);
  assert.deepEqual(planNode(d, { shouldRun: false, shouldContinueRunning: true }, [a], 'h', NOW).delete, []);
  // surge: the old pod goes once the new one is available
  const s = ds({ maxSurge: 1, maxUnavailable: 0 });
  const old = pod('n', 'old', { created: NOW - 5000 });
  const fresh = pod('n', 'new', { created: NOW - 1000 });
  assert.deepEqual(planNode(s, { shouldRun: true, shouldContinueRunning: true }, [old, fresh], 'new', NOW).delete, [old]);
  const notReady = pod('n', 'new', { ready: false });
  assert.deepEqual(planNode(s, { shouldRun: true, shouldContinueRunning: true }, [old, notReady], 'new', NOW).delete, []);
});

test('planRollingUpdate without surge: old unavailable pods at once, available ones within maxUnavailable', () => {
  const nodes = ['a', 'b', 'c', 'd'].map((n) => node(n));
  const d = ds({ maxUnavailable: 2 });
  const pods = new Map<string, Pod[]>([
    ['a', [pod('a', 'old')]],
    ['b', [pod('b', 'old')]],
    ['c', [pod('c', 'old', { ready: false })]],
    ['d', [pod('d', 'new')]],
  ]);
  const plan = planRollingUpdate(d, nodes, pods, 'new', undefined, NOW);
  // c is unavailable (replaced at once and counted), leaving room for one available old pod
  assert.equal(plan.delete.length, 2);
  assert.ok(plan.delete.includes(pods.get('c')![0]!));
  assert.deepEqual(plan.create, []);
  // a node with no pod counts as unavailable
  const missing = new Map<string, Pod[]>([
    ['a', [pod('a', 'old')]],
    ['b', [pod('b', 'old')]],
  ]);
  assert.equal(planRollingUpdate(ds({ maxUnavailable: 2 }), nodes, missing, 'new', undefined, NOW).delete.length, 0);
  // the template generation label also marks a pod as updated
  const gen = pod('a', 'other');
  gen.metadata.labels!['pod-template-generation'] = '7';
  assert.deepEqual(planRollingUpdate(ds({ maxUnavailable: 1 }), [node('a')], new Map([['a', [gen]]]), 'new', 7, NOW).delete, []);
});

test('planRollingUpdate with surge: at most maxSurge new pods beside available old ones; unavailable old pods get one at once', () => {
  const nodes = ['a', 'b', 'c'].map((n) => node(n));
  const d = ds({ maxSurge: 1, maxUnavailable: 0 });
  const pods = new Map<string, Pod[]>([
    ['a', [pod('a', 'old')]],
    ['b', [pod('b', 'old')]],
    ['c', [pod('c', 'old', { ready: false })]],
  ]);
  const plan = planRollingUpdate(d, nodes, pods, 'new', undefined, NOW);
  assert.equal(plan.create.length, 2);
  assert.ok(plan.create.includes('c'));
  assert.deepEqual(plan.delete, []);
  // a surge in progress uses the budget; an available new pod retires its old one
  const surging = new Map<string, Pod[]>([
    ['a', [pod('a', 'old'), pod('a', 'new', { ready: false })]],
    ['b', [pod('b', 'old')]],
    ['c', [pod('c', 'old'), pod('c', 'new')]],
  ]);
  const p2 = planRollingUpdate(d, nodes, surging, 'new', undefined, NOW);
  assert.deepEqual(p2.create, []);
  assert.deepEqual(
    p2.delete.map((p) => p.spec?.nodeName),
    ['c'],
  );
});

test('computeStatus counts desired, current, misscheduled, ready, updated, available and unavailable', () => {
  const nodes = [node('a'), node('b'), node('c', {}, [{ key: 'k', effect: 'NoSchedule' }]), node('e')];
  const pods = new Map<string, Pod[]>([
    ['a', [pod('a', 'new')]],
    ['b', [pod('b', 'old', { ready: false })]],
    ['c', [pod('c', 'new')]],
  ]);
  assert.deepEqual(computeStatus(ds(), nodes, pods, 'new', undefined, NOW), {
    desiredNumberScheduled: 3,
    currentNumberScheduled: 2,
    numberMisscheduled: 1,
    numberReady: 1,
    updatedNumberScheduled: 1,
    numberAvailable: 1,
    numberUnavailable: 2,
  });
});

test('failed-pod backoff: 1 s, doubling, capped', () => {
  let t = 0;
  const b = new FailedPodBackoff(() => t, 1000, 4000);
  assert.equal(b.remaining('k'), 0);
  b.next('k');
  assert.equal(b.remaining('k'), 1000);
  t = 1000;
  assert.equal(b.remaining('k'), 0);
  b.next('k');
  assert.equal(b.remaining('k'), 2000);
  b.next('k');
  b.next('k');
  assert.equal(b.remaining('k'), 4000);
});
