// Eviction and kubectl cordon/uncordon/drain against PodDisruptionBudgets, without a node agent: a Node
// created through the API and Ready pods bound to it. The disruption controller keeps the budget's status;
// pods/eviction answers 429 with the DisruptionBudget cause when a budget forbids it; drain (1.33 and 1.27)
// is blocked by the budget and completes once the budget allows it; DaemonSet pods refuse a drain without
// --ignore-daemonsets and stay with it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TestCluster, waitFor } from '../helpers/cluster.js';

let c: TestCluster;
before(async () => {
  c = await new TestCluster({ store: 'memory' }).start();
});
after(async () => {
  await c.cleanup();
});

const PODS = '/api/v1/namespaces/default/pods';
const PDBS = '/apis/policy/v1/namespaces/default/poddisruptionbudgets';

async function node(name: string) {
  const r = await c.api('POST', '/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'kubernetes.io/hostname': name } } });
  assert.equal(r.status, 201, r.text);
}

/** A pod bound to `nodeName` whose status says Running and Ready (as a kubelet would write it). */
async function readyPod(name: string, nodeName: string, labels: Record<string, string>, extra: Record<string, unknown> = {}) {
  const r = await c.api('POST', PODS, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels },
    spec: { nodeName, containers: [{ name: 'c', image: 'busybox:1.35' }], ...extra },
  });
  assert.equal(r.status, 201, r.text);
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const st = await c.api(
    'PATCH',
    `${PODS}/${name}/status`,
    JSON.stringify({ status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: now }] } }),
    {
      'Content-Type': 'application/merge-patch+json',
    },
  );
  assert.equal(st.status, 200, st.text);
}

async function pdbStatus(name: string, want: (s: any) => boolean) {
  return waitFor(async () => {
    const r = await c.api('GET', `${PDBS}/${name}`);
    return r.status === 200 && r.body.status && want(r.body.status) ? r.body.status : undefined;
  }, 20_000);
}

const evict = (name: string, body: Record<string, unknown> = {}) =>
  c.api('POST', `${PODS}/${name}/eviction`, { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name }, ...body });

test('pods/eviction: budget status, decrement, 429 with the DisruptionBudget cause, and discovery names policy/v1', async () => {
  const res = await c.api('GET', '/api/v1');
  const ev = res.body.resources.find((r: { name: string }) => r.name === 'pods/eviction');
  assert.deepEqual(
    { group: ev.group, version: ev.version, kind: ev.kind, verbs: ev.verbs },
    { group: 'policy', version: 'v1', kind: 'Eviction', verbs: ['create'] },
  );

  await node('ev-node');
  await readyPod('ev-a', 'ev-node', { app: 'ev' });
  await readyPod('ev-b', 'ev-node', { app: 'ev' });
  await c.k(['create', 'pdb', 'ev', '--selector=app=ev', '--min-available=1']);
  const st = await pdbStatus('ev', (s) => s.currentHealthy === 2 && s.observedGeneration === 1);
  assert.equal(st.desiredHealthy, 1);
  assert.equal(st.expectedPods, 2);
  assert.equal(st.disruptionsAllowed, 1);
  assert.deepEqual(
    st.conditions.map((x: any) => [x.type, x.status, x.reason]),
    [['DisruptionAllowed', 'True', 'SufficientPods']],
  );

  const mismatch = await c.api('POST', `${PODS}/ev-a/eviction`, { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'other' } });
  assert.equal(mismatch.status, 400);

  const first = await evict('ev-a', { deleteOptions: { gracePeriodSeconds: 0 } });
  assert.equal(first.status, 201, first.text);
  assert.equal(first.body.status, 'Success');
  assert.equal((await c.api('GET', `${PODS}/ev-a`)).status, 404);

  // once the controller saw the eviction through, the budget is at zero
  await pdbStatus('ev', (s) => s.currentHealthy === 1 && s.expectedPods === 1);
  const second = await evict('ev-b');
  assert.equal(second.status, 429, second.text);
  assert.equal(second.body.reason, 'TooManyRequests');
  assert.equal(second.body.message, "Cannot evict pod as it would violate the pod's disruption budget.");
  assert.deepEqual(second.body.details.causes, [{ reason: 'DisruptionBudget', message: 'The disruption budget ev needs 1 healthy pods and has 1 currently' }]);
  assert.equal((await c.api('GET', `${PODS}/ev-b`)).status, 200, 'a refused eviction changes nothing');
  const after = await pdbStatus('ev', (s) => s.currentHealthy === 1);
  assert.equal(after.disruptionsAllowed, 0);
  assert.deepEqual(
    after.conditions.map((x: any) => [x.type, x.status, x.reason]),
    [['DisruptionAllowed', 'False', 'InsufficientPods']],
  );

  // evicting a pod that is not there
  assert.equal((await evict('nope')).status, 404);
});

test('kubectl drain is blocked by a PodDisruptionBudget, then completes once the budget allows it (1.33 and 1.27)', async () => {
  for (const minor of [33, 27]) {
    const n = `drain-${minor}`;
    await node(n);
    await readyPod(`${n}-a`, n, { app: n });
    await readyPod(`${n}-b`, n, { app: n });
    await readyPod(`${n}-scratch`, n, { app: `${n}-scratch` }, { volumes: [{ name: 'tmp', emptyDir: {} }] });
    await c.k(['create', 'pdb', n, `--selector=app=${n}`, '--min-available=2']);
    await pdbStatus(n, (s) => s.currentHealthy === 2 && s.observedGeneration === 1);

    const blocked = await c.kubectl(['drain', n, '--ignore-daemonsets', '--delete-emptydir-data', '--force', '--grace-period=0', '--timeout=6s'], {
      minor,
      timeoutMs: 60_000,
    });
    assert.notEqual(blocked.code, 0, blocked.stdout);
    assert.match(blocked.stdout + blocked.stderr, /node\/drain-\d+ cordoned/);
    assert.match(blocked.stderr, /Cannot evict pod as it would violate the pod's disruption budget\./);
    const cordoned = await c.api('GET', `/api/v1/nodes/${n}`);
    assert.equal(cordoned.body.spec.unschedulable, true);
    assert.equal((await c.api('GET', `${PODS}/${n}-a`)).status, 200);
    assert.equal((await c.api('GET', `${PODS}/${n}-scratch`)).status, 404, 'the pod without a budget was evicted');

    await c.k(['patch', 'pdb', n, '--type=merge', '-p', '{"spec":{"minAvailable":0}}']);
    await pdbStatus(n, (s) => s.observedGeneration === 2 && s.disruptionsAllowed === 2);
    const ok = await c.kubectl(['drain', n, '--ignore-daemonsets', '--delete-emptydir-data', '--force', '--grace-period=0', '--timeout=30s'], {
      minor,
      timeoutMs: 60_000,
    });
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, new RegExp(`pod/${n}-a evicted`));
    assert.match(ok.stdout, new RegExp(`node/${n} drained`));
    for (const p of ['a', 'b']) assert.equal((await c.api('GET', `${PODS}/${n}-${p}`)).status, 404);

    const un = await c.kubectl(['uncordon', n], { minor });
    assert.equal(un.code, 0, un.stderr);
    assert.match(un.stdout, new RegExp(`node/${n} uncordoned`));
    assert.equal((await c.api('GET', `/api/v1/nodes/${n}`)).body.spec.unschedulable, undefined);
    const again = await c.kubectl(['cordon', n], { minor });
    assert.match(again.stdout, new RegExp(`node/${n} cordoned`));
  }
});

test('kubectl drain and DaemonSet pods: refused without --ignore-daemonsets, left in place with it', async () => {
  await node('drain-ds');
  await c.k(['label', 'node', 'drain-ds', 'drain-ds=yes']);
  await c.k(['apply', '-f', '-'], {
    input: `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      nodeSelector: {drain-ds: "yes"}
      containers: [{name: c, image: busybox:1.35}]
`,
  });
  const pod = await waitFor(async () => {
    const items = (await c.api('GET', `${PODS}?labelSelector=app%3Dagent`)).body.items;
    return items.length === 1 ? items[0] : undefined;
  });
  // play the scheduler: the DaemonSet's pod is bound to its node
  const bind = await c.api('POST', `${PODS}/${pod.metadata.name}/binding`, {
    apiVersion: 'v1',
    kind: 'Binding',
    metadata: { name: pod.metadata.name },
    target: { apiVersion: 'v1', kind: 'Node', name: 'drain-ds' },
  });
  assert.equal(bind.status, 201, bind.text);
  const refused = await c.kubectl(['drain', 'drain-ds', '--timeout=10s'], { timeoutMs: 60_000 });
  assert.notEqual(refused.code, 0);
  assert.match(refused.stderr, /cannot delete DaemonSet-managed Pods \(use --ignore-daemonsets to ignore\): default\/agent-/);
  const ok = await c.kubectl(['drain', 'drain-ds', '--ignore-daemonsets', '--timeout=10s'], { timeoutMs: 60_000 });
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stderr, /ignoring DaemonSet-managed Pods: default\/agent-/);
  assert.match(ok.stdout, /node\/drain-ds drained/);
  assert.equal((await c.api('GET', `${PODS}/${pod.metadata.name}`)).status, 200, 'the DaemonSet pod stays');
  await c.k(['delete', 'daemonset', 'agent']);
});
