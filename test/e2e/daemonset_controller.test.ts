// The DaemonSet controller against the API server alone (no node agent, no scheduler): Node objects made
// through the API; pods stay Pending unless the test plays scheduler and kubelet (binds a pod to the node its
// affinity names and writes Running/Ready status). Checks one pod per eligible node (nodeSelector, taints,
// the automatic tolerations), reactions to nodes added, relabelled, tainted and removed, RollingUpdate with
// maxUnavailable and with maxSurge, OnDelete, revisions and kubectl rollout status|history|undo, status
// counts and events.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TestCluster, waitFor } from '../helpers/cluster.js';

let c: TestCluster;
before(async () => {
  // the fake nodes post no heartbeats: keep the node lifecycle controller from tainting them unreachable mid-test
  c = await new TestCluster({ store: 'memory', extraArgs: ['--node-startup-grace-period', '10m', '--node-monitor-grace-period', '10m'] }).start();
});
after(async () => {
  await c.cleanup();
});

const NS = '/api/v1/namespaces/default';
const DS = '/apis/apps/v1/namespaces/default/daemonsets';
const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

async function makeNode(name: string, labels: Record<string, string> = {}, taints: unknown[] = []) {
  const r = await c.api('POST', '/api/v1/nodes', {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...labels } },
    spec: { taints },
  });
  assert.equal(r.status, 201, r.text);
}

async function patchNode(name: string, patch: unknown) {
  const r = await c.api('PATCH', `/api/v1/nodes/${name}`, patch, { 'Content-Type': 'application/merge-patch+json' });
  assert.equal(r.status, 200, r.text);
}

const dsBody = (name: string, spec: Record<string, unknown> = {}, podSpec: Record<string, unknown> = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: { name },
  spec: {
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'busybox:1.35' }], ...podSpec } },
    ...spec,
  },
});

async function podsOf(app: string, all = false): Promise<any[]> {
  const items = (await c.api('GET', `${NS}/pods?labelSelector=app%3D${app}`)).body.items as any[];
  return all ? items : items.filter((p) => !p.metadata.deletionTimestamp);
}

const targetNode = (p: any): string =>
  p.spec.nodeName || p.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0].values[0];

async function waitNodes(app: string, nodes: string[]): Promise<any[]> {
  return waitFor(async () => {
    const pods = await podsOf(app);
    const got = pods.map(targetNode).sort();
    return JSON.stringify(got) === JSON.stringify([...nodes].sort()) ? pods : false;
  }, 30_000);
}

/** Plays kubelet for pods being deleted: removes them for good. */
async function finishDeletions(app: string): Promise<void> {
  for (const p of await podsOf(app, true)) if (p.metadata.deletionTimestamp) await c.api('DELETE', `${NS}/pods/${p.metadata.name}`, { gracePeriodSeconds: 0 });
}

/** Plays scheduler + kubelet once: binds pending pods to their node, marks them Running and Ready, finishes deletions. */
async function simulateNodes(app: string): Promise<void> {
  for (const p of await podsOf(app, true)) {
    const name = p.metadata.name;
    if (p.metadata.deletionTimestamp) {
      await c.api('DELETE', `${NS}/pods/${name}`, { gracePeriodSeconds: 0 });
      continue;
    }
    if (!p.spec.nodeName) {
      const b = await c.api('POST', `${NS}/pods/${name}/binding`, {
        apiVersion: 'v1',
        kind: 'Binding',
        metadata: { name },
        target: { kind: 'Node', name: targetNode(p) },
      });
      if (b.status !== 201) continue;
    }
    if (p.status?.phase === 'Running') continue;
    const cur = (await c.api('GET', `${NS}/pods/${name}`)).body;
    if (!cur?.metadata) continue;
    cur.status = { ...cur.status, phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: now() }] };
    await c.api('PUT', `${NS}/pods/${name}/status`, cur);
  }
}

async function events(name: string): Promise<any[]> {
  return (await c.api('GET', `${NS}/events?fieldSelector=${encodeURIComponent(`involvedObject.name=${name},involvedObject.kind=DaemonSet`)}`)).body.items;
}

test('one pod per eligible node, pinned by node affinity, with the DaemonSet tolerations, labels, owner and events', async () => {
  await makeNode('n1', { disk: 'ssd' });
  await makeNode('n2', { disk: 'ssd' });
  await makeNode('n3', { disk: 'hdd' });
  const created = await c.api('POST', DS, dsBody('agent', {}, { nodeSelector: { disk: 'ssd' } }));
  assert.equal(created.status, 201, created.text);
  assert.equal(created.body.metadata.annotations['deprecated.daemonset.template.generation'], '1');
  const pods = await waitNodes('agent', ['n1', 'n2']);
  const ds = (await c.api('GET', `${DS}/agent`)).body;
  for (const p of pods) {
    assert.match(p.metadata.name, /^agent-[a-z0-9]{5}$/);
    assert.deepEqual(p.metadata.ownerReferences, [
      { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'agent', uid: ds.metadata.uid, controller: true, blockOwnerDeletion: true },
    ]);
    assert.equal(p.metadata.labels['pod-template-generation'], '1');
    assert.match(p.metadata.labels['controller-revision-hash'], /^[a-z0-9]+$/);
    assert.equal(p.spec.nodeName, undefined, 'placed by the scheduler, not by the controller');
    const keys = p.spec.tolerations.map((t: any) => `${t.key}:${t.effect}`);
    for (const k of [
      'node.kubernetes.io/not-ready:NoExecute',
      'node.kubernetes.io/unreachable:NoExecute',
      'node.kubernetes.io/disk-pressure:NoSchedule',
      'node.kubernetes.io/memory-pressure:NoSchedule',
      'node.kubernetes.io/pid-pressure:NoSchedule',
      'node.kubernetes.io/unschedulable:NoSchedule',
    ])
      assert.ok(keys.includes(k), `toleration ${k} in ${keys}`);
    assert.ok(!keys.includes('node.kubernetes.io/network-unavailable:NoSchedule'), 'network-unavailable only for hostNetwork pods');
  }
  // the revision that names the pods' hash
  const revs = (await c.api('GET', '/apis/apps/v1/namespaces/default/controllerrevisions?labelSelector=app%3Dagent')).body.items;
  assert.equal(revs.length, 1);
  assert.equal(revs[0].metadata.name, `agent-${pods[0].metadata.labels['controller-revision-hash']}`);
  assert.equal(revs[0].revision, 1);
  assert.equal(revs[0].metadata.labels['controller-revision-hash'], pods[0].metadata.labels['controller-revision-hash']);
  const st = await waitFor(async () => {
    const s = (await c.api('GET', `${DS}/agent`)).body.status;
    return s.desiredNumberScheduled === 2 && s.currentNumberScheduled === 2 && s.observedGeneration === 1 ? s : false;
  });
  assert.deepEqual(
    {
      ready: st.numberReady,
      updated: st.updatedNumberScheduled,
      available: st.numberAvailable ?? 0,
      unavailable: st.numberUnavailable,
      mis: st.numberMisscheduled,
    },
    { ready: 0, updated: 2, available: 0, unavailable: 2, mis: 0 },
  );
  const ev = await waitFor(async () => {
    const e = (await events('agent')).filter((x) => x.reason === 'SuccessfulCreate');
    return e.length === 2 ? e : false;
  });
  assert.ok(ev.every((e) => /^Created pod: agent-[a-z0-9]{5}$/.test(e.message) && e.source.component === 'daemonset-controller'));
  // kubectl: the printed columns and the pods become ready
  await simulateNodes('agent');
  await waitFor(async () => ((await c.api('GET', `${DS}/agent`)).body.status.numberReady === 2 ? true : false));
  const table = await c.k(['get', 'ds', 'agent', '-o', 'wide']);
  assert.match(table, /NAME\s+DESIRED\s+CURRENT\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+NODE SELECTOR\s+AGE\s+CONTAINERS\s+IMAGES\s+SELECTOR/);
  assert.match(table, /agent\s+2\s+2\s+2\s+2\s+2\s+disk=ssd\s+\S+\s+c\s+busybox:1\.35\s+app=agent/);
});

test('pods follow nodes: added, relabelled, tainted NoSchedule (kept) and NoExecute (deleted), removed', async () => {
  await makeNode('n4', { disk: 'ssd' });
  await waitNodes('agent', ['n1', 'n2', 'n4']);
  // relabelled away and back
  await patchNode('n2', { metadata: { labels: { disk: 'hdd' } } });
  await waitNodes('agent', ['n1', 'n4']);
  await patchNode('n3', { metadata: { labels: { disk: 'ssd' } } });
  await waitNodes('agent', ['n1', 'n3', 'n4']);
  // finish the deletion of n2's (bound) pod: a terminating pod still counts on its node
  await finishDeletions('agent');
  await waitFor(async () => ((await podsOf('agent', true)).length === 3 ? true : false));
  // NoSchedule: an existing pod stays, but the node no longer counts as desired
  await patchNode('n3', { spec: { taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] } });
  await waitFor(async () => {
    const s = (await c.api('GET', `${DS}/agent`)).body.status;
    return s.desiredNumberScheduled === 2 && s.numberMisscheduled === 1 ? s : false;
  });
  assert.deepEqual((await podsOf('agent')).map(targetNode).sort(), ['n1', 'n3', 'n4']);
  // NoExecute it does not tolerate: the pod goes
  await patchNode('n3', { spec: { taints: [{ key: 'dedicated', value: 'db', effect: 'NoExecute' }] } });
  await waitNodes('agent', ['n1', 'n4']);
  // a node that is gone takes its (never scheduled) pod with it
  assert.equal((await c.api('DELETE', '/api/v1/nodes/n4')).status, 200);
  await waitNodes('agent', ['n1']);
  // a template that tolerates the taint brings a pod back to n3
  const r = await c.api(
    'PATCH',
    `${DS}/agent`,
    { spec: { template: { spec: { tolerations: [{ key: 'dedicated', operator: 'Exists' }] } } } },
    { 'Content-Type': 'application/strategic-merge-patch+json' },
  );
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.metadata.annotations['deprecated.daemonset.template.generation'], '2');
  await waitNodes('agent', ['n1', 'n3']);
  const s = await waitFor(async () => {
    const st = (await c.api('GET', `${DS}/agent`)).body.status;
    // the status written right after the create may not count the new pod yet (the informer shows it a moment later)
    return st.observedGeneration === 2 && st.desiredNumberScheduled === 2 && st.numberMisscheduled === 0 && st.currentNumberScheduled === 2 ? st : false;
  });
  assert.equal(s.numberMisscheduled, 0);
  const reasons = new Set((await events('agent')).map((e) => e.reason));
  assert.ok(reasons.has('SuccessfulDelete'), [...reasons].join(','));
});

test('RollingUpdate maxUnavailable 1: one node at a time; rollout status, history and undo through kubectl', async () => {
  for (const n of ['r1', 'r2', 'r3']) await makeNode(n, { pool: 'roll' });
  assert.equal((await c.api('POST', DS, dsBody('roll', { minReadySeconds: 0 }, { nodeSelector: { pool: 'roll' } }))).status, 201);
  await waitNodes('roll', ['r1', 'r2', 'r3']);
  await simulateNodes('roll');
  await waitFor(async () => ((await c.api('GET', `${DS}/roll`)).body.status.numberAvailable === 3 ? true : false));
  const st = await c.kubectl(['rollout', 'status', 'ds/roll', '--timeout=20s']);
  assert.equal(st.code, 0, st.stderr);
  assert.match(st.stdout, /daemon set "roll" successfully rolled out/);
  const oldHash = (await podsOf('roll'))[0].metadata.labels['controller-revision-hash'];

  await c.k(['set', 'image', 'ds/roll', 'c=busybox:latest']);
  let maxMissing = 0;
  let done = false;
  for (let i = 0; i < 300 && !done; i++) {
    const pods = await podsOf('roll');
    const nodesWithAvailable = new Set(pods.filter((p) => p.status?.conditions?.some((x: any) => x.type === 'Ready' && x.status === 'True')).map(targetNode));
    maxMissing = Math.max(maxMissing, 3 - nodesWithAvailable.size);
    const s = (await c.api('GET', `${DS}/roll`)).body.status;
    done =
      s.observedGeneration === 2 &&
      s.updatedNumberScheduled === 3 &&
      s.numberAvailable === 3 &&
      pods.length === 3 &&
      pods.every((p) => p.spec.containers[0].image === 'busybox:latest');
    await simulateNodes('roll');
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(done, 'the rollout finished');
  assert.ok(maxMissing <= 1, `at most one node without an available pod (saw ${maxMissing})`);
  const newHash = (await podsOf('roll'))[0].metadata.labels['controller-revision-hash'];
  assert.notEqual(newHash, oldHash);
  assert.ok((await podsOf('roll')).every((p) => p.metadata.labels['pod-template-generation'] === '2'));

  for (const minor of [undefined, 27]) {
    const h = await c.kubectl(['rollout', 'history', 'ds/roll'], { minor });
    assert.equal(h.code, 0, h.stderr);
    assert.match(h.stdout, /REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>/);
  }
  const h1 = await c.k(['rollout', 'history', 'ds/roll', '--revision=1']);
  assert.match(h1, /Image:\s+busybox:1\.35/);

  const undo = await c.kubectl(['rollout', 'undo', 'ds/roll']);
  assert.equal(undo.code, 0, undo.stderr);
  assert.match(undo.stdout, /daemonset.apps\/roll rolled back/);
  for (let i = 0; i < 300; i++) {
    await simulateNodes('roll');
    const pods = await podsOf('roll');
    const s = (await c.api('GET', `${DS}/roll`)).body.status;
    if (
      s.observedGeneration === 3 &&
      s.updatedNumberScheduled === 3 &&
      s.numberAvailable === 3 &&
      pods.length === 3 &&
      pods.every((p) => p.spec.containers[0].image === 'busybox:1.35')
    )
      break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const pods = await podsOf('roll');
  assert.ok(pods.every((p) => p.metadata.labels['controller-revision-hash'] === oldHash && p.spec.containers[0].image === 'busybox:1.35'));
  // the old revision became the newest (3); no third revision was made
  const revs = (await c.api('GET', '/apis/apps/v1/namespaces/default/controllerrevisions?labelSelector=app%3Droll')).body.items as any[];
  assert.deepEqual(
    revs.map((r) => [r.metadata.name.replace(/^roll-/, ''), r.revision]).sort((a, b) => a[1] - b[1]),
    [
      [newHash, 2],
      [oldHash, 3],
    ],
  );
  const st27 = await c.kubectl(['rollout', 'status', 'ds/roll', '--timeout=20s'], { minor: 27 });
  assert.equal(st27.code, 0, st27.stderr);
});

test('RollingUpdate maxSurge 1 (maxUnavailable 0): a new pod beside the old one until it is available; never a node without one', async () => {
  for (const n of ['s1', 's2', 's3']) await makeNode(n, { pool: 'surge' });
  const spec = { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } };
  assert.equal((await c.api('POST', DS, dsBody('surge', spec, { nodeSelector: { pool: 'surge' } }))).status, 201);
  await waitNodes('surge', ['s1', 's2', 's3']);
  await simulateNodes('surge');
  await waitFor(async () => ((await c.api('GET', `${DS}/surge`)).body.status.numberAvailable === 3 ? true : false));
  await c.k(['set', 'image', 'ds/surge', 'c=busybox:latest']);
  let maxPods = 0;
  let maxMissing = 0;
  let done = false;
  for (let i = 0; i < 300 && !done; i++) {
    const pods = await podsOf('surge');
    maxPods = Math.max(maxPods, pods.length);
    const ready = new Set(pods.filter((p) => p.status?.conditions?.some((x: any) => x.type === 'Ready' && x.status === 'True')).map(targetNode));
    maxMissing = Math.max(maxMissing, 3 - ready.size);
    const s = (await c.api('GET', `${DS}/surge`)).body.status;
    done =
      s.observedGeneration === 2 &&
      s.updatedNumberScheduled === 3 &&
      s.numberAvailable === 3 &&
      pods.length === 3 &&
      pods.every((p) => p.spec.containers[0].image === 'busybox:latest');
    await simulateNodes('surge');
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(done, 'the rollout finished');
  assert.equal(maxMissing, 0, 'every node kept an available pod');
  assert.ok(maxPods <= 4, `at most one surge pod at a time (saw ${maxPods})`);
});

test('OnDelete: a template change replaces a pod only once it is deleted; a failed pod is replaced with FailedDaemonPod', async () => {
  await makeNode('o1', { pool: 'ondelete' });
  const spec = { updateStrategy: { type: 'OnDelete' } };
  assert.equal((await c.api('POST', DS, dsBody('od', spec, { nodeSelector: { pool: 'ondelete' } }))).status, 201);
  const [first] = await waitNodes('od', ['o1']);
  await simulateNodes('od');
  await c.k(['set', 'image', 'ds/od', 'c=busybox:latest']);
  await waitFor(async () => ((await c.api('GET', `${DS}/od`)).body.status.observedGeneration === 2 ? true : false));
  const s = (await c.api('GET', `${DS}/od`)).body.status;
  assert.equal(s.updatedNumberScheduled, 0);
  assert.equal((await podsOf('od'))[0].metadata.uid, first.metadata.uid, 'the old pod is left alone');
  assert.equal((await c.api('DELETE', `${NS}/pods/${first.metadata.name}`, { gracePeriodSeconds: 0 })).status, 200);
  const [second] = await waitFor(async () => {
    const pods = await podsOf('od');
    return pods.length === 1 && pods[0].metadata.uid !== first.metadata.uid ? pods : false;
  });
  assert.equal(second.spec.containers[0].image, 'busybox:latest');
  // the kubelet reports the pod Failed: the controller deletes it and makes another
  await simulateNodes('od');
  const cur = (await c.api('GET', `${NS}/pods/${second.metadata.name}`)).body;
  cur.status = { ...cur.status, phase: 'Failed', reason: 'Evicted' };
  assert.equal((await c.api('PUT', `${NS}/pods/${second.metadata.name}/status`, cur)).status, 200);
  // the replacement waits out the failed-pod back-off (1 s, doubling per node) on top of two delete round trips
  await waitFor(async () => {
    await simulateNodes('od');
    const pods = await podsOf('od');
    return pods.length === 1 && pods[0].metadata.uid !== second.metadata.uid ? pods : false;
  }, 45_000);
  const failed = (await events('od')).find((e) => e.reason === 'FailedDaemonPod');
  assert.ok(failed, 'FailedDaemonPod event');
  assert.equal(failed.type, 'Warning');
  assert.equal(failed.message, `Found failed daemon pod default/${second.metadata.name} on node o1, will try to kill it`);
});

test('kubectl describe ds shows the counts, the pod status line and the events; delete cascades to the pods', async () => {
  // the template change of the second test rolls n1's old pod once the (simulated) nodes play along
  await waitFor(async () => {
    await simulateNodes('agent');
    const st = (await c.api('GET', `${DS}/agent`)).body.status;
    return st.updatedNumberScheduled === 2 && st.numberAvailable === 2 && (await podsOf('agent', true)).length === 2;
  });
  const out = await c.k(['describe', 'ds', 'agent']);
  assert.match(out, /Desired Number of Nodes Scheduled: 2/);
  assert.match(out, /Current Number of Nodes Scheduled: 2/);
  assert.match(out, /Number of Nodes Scheduled with Up-to-date Pods: 2/);
  assert.match(out, /Number of Nodes Misscheduled: 0/);
  assert.match(out, /Pods Status:\s+\d+ Running \/ \d+ Waiting \/ 0 Succeeded \/ 0 Failed/);
  assert.match(out, /SuccessfulCreate\s+\S+\s+daemonset-controller\s+Created pod: agent-/);
  await c.k(['delete', 'ds', 'od']);
  await waitFor(async () => {
    await simulateNodes('od');
    return (await podsOf('od', true)).length === 0;
  }, 30_000);
});

test('a DaemonSet deleted with --cascade=orphan and created again adopts its pods and its ControllerRevision: nothing is replaced', async () => {
  await makeNode('orph-node', { orph: 'yes' });
  const body = dsBody('orph', {}, { nodeSelector: { orph: 'yes' } });
  assert.equal((await c.api('POST', DS, body)).status, 201);
  const [pod] = await waitNodes('orph', ['orph-node']);
  const revisions = async () =>
    ((await c.api('GET', '/apis/apps/v1/namespaces/default/controllerrevisions?labelSelector=app%3Dorph')).body.items as any[]).map((r) => ({
      name: r.metadata.name,
      owner: r.metadata.ownerReferences?.find((o: any) => o.controller)?.uid,
    }));
  const [rev] = await waitFor(async () => {
    const rs = await revisions();
    return rs.length === 1 && rs[0]!.owner ? rs : false;
  });
  await c.k(['delete', 'ds', 'orph', '--cascade=orphan']);
  await waitFor(async () => (await revisions()).every((r) => !r.owner) && (await podsOf('orph')).every((p) => !p.metadata.ownerReferences?.length));
  const created = await c.api('POST', DS, body);
  assert.equal(created.status, 201);
  const uid = created.body.metadata.uid;
  // the orphans come back under the new DaemonSet: the same revision (no hash collision, no second one) and pod
  const adopted = await waitFor(async () => {
    const rs = await revisions();
    return rs.length === 1 && rs[0]!.owner === uid ? rs : false;
  });
  assert.equal(adopted[0]!.name, rev!.name);
  await waitFor(async () => {
    const pods = await podsOf('orph');
    return pods.length === 1 && pods[0].metadata.ownerReferences?.[0]?.uid === uid;
  });
  const st = await waitFor(async () => {
    const s = (await c.api('GET', `${DS}/orph`)).body.status;
    return s?.observedGeneration === 1 && s.updatedNumberScheduled === 1 ? s : false;
  });
  assert.equal(st.collisionCount ?? 0, 0);
  assert.equal((await podsOf('orph', true))[0].metadata.uid, pod.metadata.uid, 'the adopted pod is kept, not replaced');
  await c.k(['delete', 'ds', 'orph']);
});
