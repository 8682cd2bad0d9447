// The node lifecycle without a node agent: a Node created through the API that stops heartbeating goes
// Unknown (NodeStatusUnknown, "Kubelet stopped posting node status."), is tainted unreachable (NoExecute with
// timeAdded, and NoSchedule), its pods turn Ready=False; DefaultTolerationSeconds gives pods 300 s; a pod with
// a short tolerationSeconds is deleted by the taint eviction (TaintManagerEviction) and shows Unknown (NodeLost)
// in kubectl get pods; a heartbeat clears it all; a node posting Ready=False is tainted not-ready; a deleted
// node's pods are removed by the pod GC, and so are the oldest terminated pods past --terminated-pod-gc-threshold.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TestCluster, waitFor } from '../helpers/cluster.js';

let c: TestCluster;
before(async () => {
  c = await new TestCluster({
    store: 'memory',
    extraArgs: ['--node-monitor-grace-period=3s', '--node-monitor-period=500ms', '--node-startup-grace-period=3s', '--terminated-pod-gc-threshold=2'],
  }).start();
});
after(async () => {
  await c.cleanup();
});

const PODS = '/api/v1/namespaces/default/pods';
const stamp = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

function readyConditions(now: string, ready = true) {
  const mk = (type: string, status: string, reason: string) => ({ type, status, reason, message: reason, lastHeartbeatTime: now, lastTransitionTime: now });
  return [
    mk('MemoryPressure', 'False', 'KubeletHasSufficientMemory'),
    mk('DiskPressure', 'False', 'KubeletHasNoDiskPressure'),
    mk('PIDPressure', 'False', 'KubeletHasSufficientPID'),
    ready ? mk('Ready', 'True', 'KubeletReady') : mk('Ready', 'False', 'KubeletNotReady'),
  ];
}

/** What a kubelet's status update would post: every condition with a fresh heartbeat (Ready unless `ready` is false). */
async function heartbeat(name: string, ready = true) {
  for (let i = 0; ; i++) {
    const cur = (await c.api('GET', `/api/v1/nodes/${name}`)).body;
    const r = await c.api('PUT', `/api/v1/nodes/${name}/status`, { ...cur, status: { ...cur.status, conditions: readyConditions(stamp(), ready) } });
    if (r.status === 200 || i > 5) return r;
  }
}

const taintsOf = async (name: string): Promise<string[]> =>
  ((await c.api('GET', `/api/v1/nodes/${name}`)).body.spec?.taints ?? []).map((t: any) => `${t.key}:${t.effect}`).sort();

async function podOn(name: string, node: string, tolerations?: unknown[]) {
  const r = await c.api('POST', PODS, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { app: name } },
    spec: { nodeName: node, containers: [{ name: 'c', image: 'busybox:1.35' }], ...(tolerations ? { tolerations } : {}) },
  });
  assert.equal(r.status, 201, r.text);
  const st = await c.api(
    'PATCH',
    `${PODS}/${name}/status`,
    JSON.stringify({ status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: stamp() }] } }),
    {
      'Content-Type': 'application/merge-patch+json',
    },
  );
  assert.equal(st.status, 200, st.text);
  return r.body;
}

test('DefaultTolerationSeconds: 300 s for not-ready and unreachable unless the pod tolerates them already', async () => {
  const plain = await podOn('dts-plain', 'nowhere');
  assert.deepEqual(plain.spec.tolerations, [
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
  ]);
  const own = await podOn('dts-own', 'nowhere', [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 7 }]);
  assert.deepEqual(own.spec.tolerations, [
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 7 },
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
  ]);
  const all = await podOn('dts-all', 'nowhere', [{ operator: 'Exists' }]);
  assert.deepEqual(all.spec.tolerations, [{ operator: 'Exists' }]);
  for (const n of ['dts-plain', 'dts-own', 'dts-all']) await c.api('DELETE', `${PODS}/${n}?gracePeriodSeconds=0`);
});

test('a silent node goes Unknown and is tainted, its pods not Ready, short-toleration pods evicted (NodeLost), a heartbeat clears it', async () => {
  const r = await c.api('POST', '/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'quiet' } });
  assert.equal(r.status, 201, r.text);
  assert.equal((await heartbeat('quiet')).status, 200);
  await podOn('stays', 'quiet');
  await podOn('leaves', 'quiet', [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 2 }]);

  const node = await waitFor(async () => {
    const n = (await c.api('GET', '/api/v1/nodes/quiet')).body;
    return n.spec?.taints?.some((t: any) => t.key === 'node.kubernetes.io/unreachable' && t.effect === 'NoExecute') ? n : undefined;
  }, 30_000);
  for (const type of ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure']) {
    const cond = node.status.conditions.find((x: any) => x.type === type);
    assert.deepEqual([cond.status, cond.reason, cond.message], ['Unknown', 'NodeStatusUnknown', 'Kubelet stopped posting node status.'], type);
  }
  const noExec = node.spec.taints.find((t: any) => t.effect === 'NoExecute');
  assert.equal(noExec.key, 'node.kubernetes.io/unreachable');
  assert.ok(Date.parse(noExec.timeAdded) > 0, 'timeAdded is set');
  assert.ok(node.spec.taints.some((t: any) => t.key === 'node.kubernetes.io/unreachable' && t.effect === 'NoSchedule'));
  const table = await c.k(['get', 'nodes', 'quiet']);
  assert.match(table, /^quiet\s+NotReady\s/m);

  const stays = await waitFor(async () => {
    const p = (await c.api('GET', `${PODS}/stays`)).body;
    return p.status.conditions.find((x: any) => x.type === 'Ready')?.status === 'False' ? p : undefined;
  });
  assert.equal(stays.metadata.deletionTimestamp, undefined, 'the 300 s default toleration keeps it for now');

  const leaving = await waitFor(async () => {
    const p = (await c.api('GET', `${PODS}/leaves`)).body;
    return p.metadata.deletionTimestamp ? p : undefined;
  }, 20_000);
  assert.equal(leaving.status.reason, 'NodeLost');
  assert.equal(leaving.status.message, 'Node quiet which was running pod leaves is unresponsive');
  assert.ok(leaving.status.conditions.some((x: any) => x.type === 'DisruptionTarget' && x.reason === 'DeletionByTaintManager'));
  const pods = await c.k(['get', 'pods']);
  assert.match(pods, /^leaves\s+0\/1\s+Unknown\s/m);
  assert.match(pods, /^stays\s+0\/1\s+Running\s/m);
  const events = await c.k(['get', 'events', '--field-selector', 'involvedObject.name=leaves']);
  assert.match(events, /TaintManagerEviction\s+pod\/leaves\s+Marking for deletion Pod default\/leaves/);

  // the kubelet is back: conditions from its status, taints gone
  await heartbeat('quiet');
  const back = await waitFor(async () => {
    await heartbeat('quiet');
    const n = (await c.api('GET', '/api/v1/nodes/quiet')).body;
    return (n.spec?.taints ?? []).length === 0 ? n : undefined;
  }, 20_000);
  assert.equal(back.status.conditions.find((x: any) => x.type === 'Ready').status, 'True');
});

test('pod GC: the pods of a node deleted from the API are deleted', async () => {
  const r = await c.api('POST', '/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'doomed' } });
  assert.equal(r.status, 201, r.text);
  await podOn('orphan', 'doomed', [{ operator: 'Exists' }]);
  assert.equal((await c.api('DELETE', '/api/v1/nodes/doomed')).status, 200);
  // upstream quarantines a missing node for 40 s before it trusts its absence
  await waitFor(async () => (await c.api('GET', `${PODS}/orphan`)).status === 404, 90_000, 500);
});

test('a node whose kubelet posts Ready=False is tainted not-ready (NoExecute and NoSchedule) until it is Ready again', async () => {
  const r = await c.api('POST', '/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'sick' } });
  assert.equal(r.status, 201, r.text);
  // the kubelet keeps posting (Ready=False), so the node never goes Unknown
  const taints = await waitFor(async () => {
    assert.equal((await heartbeat('sick', false)).status, 200);
    const n = (await c.api('GET', '/api/v1/nodes/sick')).body;
    return (n.spec?.taints ?? []).length === 2 ? n.spec.taints : undefined;
  }, 20_000);
  assert.deepEqual(taints.map((t: any) => `${t.key}:${t.effect}`).sort(), [
    'node.kubernetes.io/not-ready:NoExecute',
    'node.kubernetes.io/not-ready:NoSchedule',
  ]);
  assert.ok(Date.parse(taints.find((t: any) => t.effect === 'NoExecute').timeAdded) > 0, 'timeAdded is set');
  assert.match(await c.k(['get', 'nodes', 'sick']), /^sick\s+NotReady\s/m);
  const ready = await waitFor(async () => {
    await heartbeat('sick');
    return (await taintsOf('sick')).length === 0 || undefined;
  }, 20_000);
  assert.ok(ready);
  assert.match(await c.k(['get', 'nodes', 'sick']), /^sick\s+Ready\s/m);
});

test('pod GC: terminated pods past --terminated-pod-gc-threshold go, oldest first; running pods stay', async () => {
  const r = await c.api('POST', '/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'busy' } });
  assert.equal(r.status, 201, r.text);
  await heartbeat('busy');
  const finish = async (name: string, phase: string) => {
    const st = await c.api('PATCH', `${PODS}/${name}/status`, JSON.stringify({ status: { phase } }), { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(st.status, 200, st.text);
  };
  // creationTimestamp has a resolution of one second: one second apart, the age order is certain
  for (const [i, phase] of ['Succeeded', 'Failed', 'Succeeded', 'Failed'].entries()) {
    await podOn(`done-${i}`, 'busy', [{ operator: 'Exists' }]);
    await finish(`done-${i}`, phase!);
    await new Promise((res) => setTimeout(res, 1100));
  }
  await podOn('running', 'busy', [{ operator: 'Exists' }]);
  const exists = async (name: string) => (await c.api('GET', `${PODS}/${name}`)).status === 200;
  // the GC looks every 20 s
  await waitFor(async () => !(await exists('done-0')) && !(await exists('done-1')), 45_000, 500);
  for (const n of ['done-2', 'done-3', 'running']) assert.ok(await exists(n), `${n} is kept`);
});
