// The ReplicaSet and ReplicationController controllers against the API server alone (no node agent: pods
// stay Pending unless the test binds them and writes their status): creation with controller references,
// adoption of matching orphans, release of pods relabelled away, scale-down ranking, status, events.
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

const NS = '/api/v1/namespaces/default';
const RS = '/apis/apps/v1/namespaces/default/replicasets';

const template = (labels: Record<string, string>) => ({ metadata: { labels }, spec: { containers: [{ name: 'c', image: 'busybox:1.35' }] } });
const rsBody = (name: string, replicas: number, labels: Record<string, string> = { app: name }) => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: { name },
  spec: { replicas, selector: { matchLabels: labels }, template: template(labels) },
});

async function podsOf(selector: string): Promise<any[]> {
  return (await c.api('GET', `${NS}/pods?labelSelector=${encodeURIComponent(selector)}`)).body.items;
}

async function waitPods(selector: string, n: number, pred: (p: any) => boolean = () => true): Promise<any[]> {
  return waitFor(async () => {
    const pods = (await podsOf(selector)).filter((p) => !p.metadata.deletionTimestamp);
    return pods.length === n && pods.every(pred) ? pods : false;
  }, 30_000);
}

/** Binds a pod to a (fake) node and writes its status: Running, Ready or not. */
async function runPod(name: string, ready: boolean, readySince = new Date().toISOString().replace(/\.\d+Z$/, 'Z')) {
  const b = await c.api('POST', `${NS}/pods/${name}/binding`, { apiVersion: 'v1', kind: 'Binding', metadata: { name }, target: { kind: 'Node', name: 'n1' } });
  assert.equal(b.status, 201, b.text);
  const pod = (await c.api('GET', `${NS}/pods/${name}`)).body;
  pod.status = {
    ...pod.status,
    phase: 'Running',
    conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: readySince }],
  };
  const r = await c.api('PUT', `${NS}/pods/${name}/status`, pod);
  assert.equal(r.status, 200, r.text);
}

test('a ReplicaSet creates its pods with a controller reference, reports status and SuccessfulCreate events', async () => {
  assert.equal((await c.api('POST', RS, rsBody('web', 3))).status, 201);
  const pods = await waitPods('app=web', 3);
  const rs = (await c.api('GET', `${RS}/web`)).body;
  for (const p of pods) {
    assert.match(p.metadata.name, /^web-[a-z0-9]{5}$/);
    assert.deepEqual(p.metadata.ownerReferences, [
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: rs.metadata.uid, controller: true, blockOwnerDeletion: true },
    ]);
    assert.equal(p.spec.containers[0].image, 'busybox:1.35');
  }
  const st = await waitFor(async () => {
    const s = (await c.api('GET', `${RS}/web`)).body.status;
    return s.replicas === 3 && s.observedGeneration === 1 ? s : false;
  });
  assert.equal(st.fullyLabeledReplicas, 3);
  assert.equal(st.readyReplicas ?? 0, 0);
  const events = await waitFor(async () => {
    const evs = (await c.api('GET', `${NS}/events?fieldSelector=involvedObject.name=web`)).body.items;
    return evs.filter((e: any) => e.reason === 'SuccessfulCreate').length === 3 ? evs : false;
  });
  for (const e of events.filter((x: any) => x.reason === 'SuccessfulCreate')) {
    assert.match(e.message, /^Created pod: web-[a-z0-9]{5}$/);
    assert.equal(e.source.component, 'replicaset-controller');
    assert.equal(e.involvedObject.kind, 'ReplicaSet');
  }
  const describe = await c.k(['describe', 'rs', 'web']);
  assert.match(describe, /Replicas:\s+3 current \/ 3 desired/);
  assert.match(describe, /SuccessfulCreate\s+\S+\s+replicaset-controller\s+Created pod: web-/);
});

test('a deleted pod is replaced; a pod relabelled away is released and replaced', async () => {
  const [first, second] = await waitPods('app=web', 3);
  assert.equal((await c.api('DELETE', `${NS}/pods/${first.metadata.name}`)).status, 200);
  await waitPods('app=web', 3, (p) => p.metadata.name !== first.metadata.name);
  // relabel: the RS lets go of the pod (its ownerReference removed) and makes another
  await c.k(['label', 'pod', second.metadata.name, 'app=elsewhere', '--overwrite']);
  const released = await waitFor(async () => {
    const p = (await c.api('GET', `${NS}/pods/${second.metadata.name}`)).body;
    return (p.metadata.ownerReferences ?? []).length === 0 ? p : false;
  });
  assert.equal(released.metadata.labels.app, 'elsewhere');
  await waitPods('app=web', 3);
  // an orphan labelled back in is adopted, and the RS (now 4) deletes one
  await c.k(['label', 'pod', second.metadata.name, 'app=web', '--overwrite']);
  await waitPods('app=web', 3);
});

test('matching orphans are adopted rather than new pods created', async () => {
  const orphan = (name: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { app: 'adopt' } }, spec: template({}).spec });
  for (const n of ['o1', 'o2']) assert.equal((await c.api('POST', `${NS}/pods`, orphan(n))).status, 201);
  assert.equal((await c.api('POST', RS, rsBody('adopt', 3))).status, 201);
  const pods = await waitPods('app=adopt', 3, (p) => p.metadata.ownerReferences?.[0]?.name === 'adopt');
  const names = pods.map((p) => p.metadata.name).sort();
  assert.ok(names.includes('o1') && names.includes('o2'), names.join(','));
  const adopted = pods.find((p) => p.metadata.name === 'o1');
  assert.equal(adopted.metadata.ownerReferences[0].controller, true);
  assert.equal(adopted.metadata.ownerReferences[0].blockOwnerDeletion, true);
});

test('scale-down deletes unassigned before assigned, not-ready before ready, newer ready before older', async () => {
  assert.equal((await c.api('POST', RS, rsBody('rank', 5))).status, 201);
  const pods = await waitPods('app=rank', 5);
  const [a, b, d, e] = pods.map((p) => p.metadata.name);
  const old = new Date(Date.now() - 3600_000).toISOString().replace(/\.\d+Z$/, 'Z');
  await runPod(a, true, old); // ready for an hour: kept longest
  await runPod(b, true); // ready just now
  await runPod(d, false); // running, not ready
  await runPod(e, true, old);
  // the fifth stays unassigned and Pending
  await c.k(['scale', 'rs/rank', '--replicas=4']);
  let left = await waitPods('app=rank', 4);
  assert.deepEqual(left.map((p) => p.metadata.name).sort(), [a, b, d, e].sort());
  await c.k(['scale', 'rs/rank', '--replicas=3']);
  left = await waitPods('app=rank', 3);
  assert.ok(!left.some((p) => p.metadata.name === d), 'the not-ready pod goes first');
  await c.k(['scale', 'rs/rank', '--replicas=2']);
  left = await waitPods('app=rank', 2);
  assert.deepEqual(left.map((p) => p.metadata.name).sort(), [a, e].sort());
  const st = await waitFor(async () => {
    const s = (await c.api('GET', `${RS}/rank`)).body.status;
    return s.replicas === 2 && s.readyReplicas === 2 ? s : false;
  });
  assert.equal(st.availableReplicas, 2);
  const evs = (await c.api('GET', `${NS}/events?fieldSelector=involvedObject.name=rank`)).body.items;
  assert.ok(evs.some((x: any) => x.reason === 'SuccessfulDelete' && x.message === `Deleted pod: ${d}`));
});

test('a ReplicationController keeps its replicas, scales with kubectl scale (1.27 too)', async () => {
  const rc = { apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'rc1' }, spec: { replicas: 2, template: template({ app: 'rc1' }) } };
  assert.match(await c.k(['create', '-f', '-'], { input: JSON.stringify(rc), minor: 27 }), /replicationcontroller\/rc1 created/);
  const pods = await waitPods('app=rc1', 2);
  assert.equal(pods[0].metadata.ownerReferences[0].kind, 'ReplicationController');
  assert.equal(pods[0].metadata.ownerReferences[0].apiVersion, 'v1');
  await c.k(['scale', 'rc/rc1', '--replicas=4'], { minor: 27 });
  await waitPods('app=rc1', 4);
  const out = await waitFor(async () => {
    const o = await c.k(['get', 'rc', 'rc1', '--no-headers']);
    return /^rc1\s+4\s+4\s+0\s+/.test(o) ? o : false;
  });
  assert.ok(out);
  const described = await c.k(['describe', 'rc', 'rc1'], { minor: 27 });
  assert.match(described, /^Name:\s+rc1$/m);
  assert.match(described, /^Selector:\s+app=rc1$/m);
  assert.match(described, /^Replicas:\s+4 current \/ 4 desired$/m);
  assert.match(described, /^Pods Status:\s+0 Running \/ 4 Waiting \/ 0 Succeeded \/ 0 Failed$/m);
  assert.match(described, /SuccessfulCreate\s+\S+\s+replication-controller\s+Created pod: rc1-[a-z0-9]{5}/);
  await c.k(['scale', 'rc/rc1', '--replicas=0']);
  await waitPods('app=rc1', 0);
});

test('minReadySeconds: a ready pod counts as available only once it has been ready that long', async () => {
  const body = rsBody('slow', 1);
  (body.spec as Record<string, unknown>).minReadySeconds = 3;
  assert.equal((await c.api('POST', RS, body)).status, 201);
  const [pod] = await waitPods('app=slow', 1);
  await runPod(pod.metadata.name, true);
  const early = await waitFor(async () => {
    const s = (await c.api('GET', `${RS}/slow`)).body.status;
    return s.readyReplicas === 1 ? s : false;
  });
  assert.equal(early.availableReplicas ?? 0, 0, 'ready for less than minReadySeconds');
  // nothing else happens to the pod: the controller must come back by itself once the 3 s have passed
  const later = await waitFor(async () => {
    const s = (await c.api('GET', `${RS}/slow`)).body.status;
    return s.availableReplicas === 1 ? s : false;
  }, 15_000);
  assert.equal(later.readyReplicas, 1);
});
