// The garbage collector through the real kubectl (1.33 and 1.27): `kubectl delete --cascade=background|orphan|
// foreground` of a ConfigMap that owns ConfigMaps and a Pod; Foreground waits for a blockOwnerDeletion dependent
// held by a finalizer; dangling ownerReferences left while the collector was off are collected after a restart;
// a reference to an owner in another namespace is reported (OwnerRefInvalidNamespace) and treated as absent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TestCluster, waitFor } from '../helpers/cluster.js';

type Cluster = TestCluster;

async function uidOf(c: Cluster, ns: string, kind: string, name: string): Promise<string> {
  return (await c.k(['get', kind, name, '-n', ns, '-o', 'jsonpath={.metadata.uid}'])).trim();
}

function ownerRef(name: string, uid: string, block = false): string {
  return `  ownerReferences:\n  - {apiVersion: v1, kind: ConfigMap, name: ${name}, uid: ${uid}${block ? ', blockOwnerDeletion: true' : ''}}\n`;
}

async function makeFamily(c: Cluster, ns: string, owner: string, opts: { blockAndHold?: boolean } = {}): Promise<string> {
  await c.k(['create', 'configmap', owner, '-n', ns]);
  const uid = await uidOf(c, ns, 'configmap', owner);
  const docs = [
    `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${owner}-dep1\n  namespace: ${ns}\n${ownerRef(owner, uid, opts.blockAndHold)}${opts.blockAndHold ? '  finalizers: [example.com/hold]\n' : ''}`,
    `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${owner}-dep2\n  namespace: ${ns}\n${ownerRef(owner, uid)}`,
    `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${owner}-pod\n  namespace: ${ns}\n${ownerRef(owner, uid)}spec:\n  containers:\n  - {name: c, image: busybox:1.35}\n`,
  ];
  await c.k(['apply', '-f', '-'], { input: docs.join('---\n') });
  return uid;
}

const exists = async (c: Cluster, ns: string, kind: string, name: string) => (await c.kubectl(['get', kind, name, '-n', ns])).code === 0;

for (const minor of [33, 27]) {
  test(`kubectl 1.${minor} delete --cascade=background|orphan|foreground`, async () => {
    const c = await new TestCluster().start();
    try {
      const ns = 'gc';
      await c.k(['create', 'namespace', ns]);

      // background (kubectl's default): the owner goes at once, the collector deletes its dependents
      await makeFamily(c, ns, 'bg');
      await c.k(['delete', 'configmap', 'bg', '-n', ns], { minor });
      assert.equal(await exists(c, ns, 'configmap', 'bg'), false);
      await waitFor(
        async () => !(await exists(c, ns, 'configmap', 'bg-dep1')) && !(await exists(c, ns, 'configmap', 'bg-dep2')) && !(await exists(c, ns, 'pod', 'bg-pod')),
      );

      // orphan: the dependents stay, without the reference to their deleted owner
      await makeFamily(c, ns, 'or');
      await c.k(['delete', 'configmap', 'or', '-n', ns, '--cascade=orphan'], { minor });
      assert.equal(await exists(c, ns, 'configmap', 'or'), false);
      for (const [kind, name] of [
        ['configmap', 'or-dep1'],
        ['configmap', 'or-dep2'],
        ['pod', 'or-pod'],
      ]) {
        const refs = await c.k(['get', kind!, name!, '-n', ns, '-o', 'jsonpath={.metadata.ownerReferences}']);
        assert.equal(refs.trim(), '', `${name} keeps no ownerReference`);
      }

      // foreground: the owner waits, marked, until its blockOwnerDeletion dependent (held by a finalizer) is gone
      await makeFamily(c, ns, 'fg', { blockAndHold: true });
      await c.k(['delete', 'configmap', 'fg', '-n', ns, '--cascade=foreground', '--wait=false'], { minor });
      await waitFor(async () => !(await exists(c, ns, 'configmap', 'fg-dep2')) && !(await exists(c, ns, 'pod', 'fg-pod')));
      const held = JSON.parse(await c.k(['get', 'configmap', 'fg-dep1', '-n', ns, '-o', 'json']));
      assert.ok(held.metadata.deletionTimestamp, 'the blocking dependent is being deleted');
      const owner = JSON.parse(await c.k(['get', 'configmap', 'fg', '-n', ns, '-o', 'json']));
      assert.ok(owner.metadata.deletionTimestamp);
      assert.deepEqual(owner.metadata.finalizers, ['foregroundDeletion']);
      await c.k(['patch', 'configmap', 'fg-dep1', '-n', ns, '--type=merge', '-p', '{"metadata":{"finalizers":null}}'], { minor });
      await waitFor(async () => !(await exists(c, ns, 'configmap', 'fg')));
      assert.equal(await exists(c, ns, 'configmap', 'fg-dep1'), false);

      // foreground through kubectl's wait: returns once the owner is gone
      await makeFamily(c, ns, 'fw');
      await c.k(['delete', 'configmap', 'fw', '-n', ns, '--cascade=foreground'], { minor });
      assert.equal(await exists(c, ns, 'configmap', 'fw'), false);
      assert.equal(await exists(c, ns, 'configmap', 'fw-dep1'), false, 'dependents were deleted before the owner');
    } finally {
      await c.cleanup();
    }
  });
}

test('DeleteOptions: legacy orphanDependents, both set is 422, the orphan finalizer set by a delete', async () => {
  const c = await new TestCluster().start();
  try {
    await makeFamily(c, 'default', 'leg');
    const both = await c.api('DELETE', '/api/v1/namespaces/default/configmaps/leg', {
      kind: 'DeleteOptions',
      apiVersion: 'v1',
      orphanDependents: true,
      propagationPolicy: 'Background',
    });
    assert.equal(both.status, 422);
    assert.match(both.body.message, /orphanDependents and deletionPropagation cannot be both set/);
    assert.equal(await exists(c, 'default', 'configmap', 'leg'), true, 'nothing changed');
    const r = await c.api('DELETE', '/api/v1/namespaces/default/configmaps/leg', { kind: 'DeleteOptions', apiVersion: 'v1', orphanDependents: true });
    assert.ok(r.status === 200 || r.status === 202, r.text);
    assert.deepEqual(r.body.metadata.finalizers, ['orphan'], 'the owner is kept with the orphan finalizer');
    assert.ok(r.body.metadata.deletionTimestamp);
    await waitFor(async () => !(await exists(c, 'default', 'configmap', 'leg')));
    assert.equal((await c.k(['get', 'configmap', 'leg-dep2', '-o', 'jsonpath={.metadata.ownerReferences}'])).trim(), '');
    // core/v1 ReplicationController keeps upstream's old default: a delete without a policy orphans
    await c.k(['apply', '-f', '-'], {
      input:
        'apiVersion: v1\nkind: ReplicationController\nmetadata: {name: rc}\nspec:\n  replicas: 0\n  selector: {app: rc}\n  template:\n    metadata: {labels: {app: rc}}\n    spec: {containers: [{name: c, image: busybox:1.35}]}\n',
    });
    const rc = await c.api('DELETE', '/api/v1/namespaces/default/replicationcontrollers/rc');
    assert.deepEqual(rc.body.metadata.finalizers, ['orphan'], rc.text);
    await waitFor(async () => !(await exists(c, 'default', 'rc', 'rc')));
  } finally {
    await c.cleanup();
  }
});

test('dangling ownerReferences left while the collector was off are collected after a restart', async () => {
  const extraArgs = ['--controllers', '*,-garbagecollector'];
  const c = await new TestCluster({ store: 'sqlite', extraArgs }).start();
  try {
    await makeFamily(c, 'default', 'gone');
    // a reference to an owner whose name now belongs to another object (another UID) is dangling too
    await makeFamily(c, 'default', 'reborn');
    await c.k(['delete', 'configmap', 'gone', 'reborn']);
    await c.k(['create', 'configmap', 'reborn']);
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(await exists(c, 'default', 'configmap', 'gone-dep1'), true, 'no collector: the dependents stay');
    extraArgs.length = 0; // restart with every controller
    await c.restart();
    await waitFor(async () => {
      for (const n of ['gone-dep1', 'gone-dep2', 'reborn-dep1', 'reborn-dep2']) if (await exists(c, 'default', 'configmap', n)) return false;
      return !(await exists(c, 'default', 'pod', 'gone-pod')) && !(await exists(c, 'default', 'pod', 'reborn-pod'));
    }, 30_000);
    assert.equal(await exists(c, 'default', 'configmap', 'reborn'), true, 'the new object of that name stays');
  } finally {
    await c.cleanup();
  }
});

test('a reference to an owner in another namespace is reported and treated as absent', async () => {
  const c = await new TestCluster().start();
  try {
    await c.k(['create', 'namespace', 'a']);
    await c.k(['create', 'namespace', 'b']);
    await c.k(['create', 'configmap', 'owner', '-n', 'a']);
    const uid = await uidOf(c, 'a', 'configmap', 'owner');
    await c.k(['apply', '-f', '-'], { input: `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cross\n  namespace: b\n${ownerRef('owner', uid)}` });
    await waitFor(async () => !(await exists(c, 'b', 'configmap', 'cross')));
    assert.equal(await exists(c, 'a', 'configmap', 'owner'), true);
    const ev = await waitFor(async () => {
      const out = JSON.parse(await c.k(['get', 'events', '-n', 'b', '--field-selector', 'reason=OwnerRefInvalidNamespace', '-o', 'json']));
      return out.items[0];
    });
    assert.equal(ev.type, 'Warning');
    assert.equal(ev.involvedObject.name, 'cross');
    assert.equal(ev.message, `ownerRef [v1/ConfigMap, namespace: b, name: owner, uid: ${uid}] does not exist in namespace "b"`);
  } finally {
    await c.cleanup();
  }
});

test('ReplicaSets: orphan keeps the pods (released), background and foreground delete them', async () => {
  const c = await new TestCluster().start();
  try {
    const rs = (name: string) =>
      `apiVersion: apps/v1\nkind: ReplicaSet\nmetadata: {name: ${name}}\nspec:\n  replicas: 3\n  selector: {matchLabels: {app: ${name}}}\n  template:\n    metadata: {labels: {app: ${name}}}\n    spec: {containers: [{name: c, image: busybox:1.35}]}\n`;
    const pods = async (app: string) => JSON.parse(await c.k(['get', 'pods', '-l', `app=${app}`, '-o', 'json'])).items as any[];
    for (const name of ['rs-orphan', 'rs-bg', 'rs-fg']) {
      await c.k(['apply', '-f', '-'], { input: rs(name) });
      await waitFor(async () => (await pods(name)).length === 3, 30_000);
    }
    const owned = (await pods('rs-fg'))[0].metadata.ownerReferences[0];
    assert.equal(owned.kind, 'ReplicaSet');
    assert.equal(owned.blockOwnerDeletion, true);

    await c.k(['delete', 'rs', 'rs-orphan', '--cascade=orphan'], { minor: 27 });
    await waitFor(async () => (await pods('rs-orphan')).every((p) => !p.metadata.ownerReferences?.length));
    assert.equal((await pods('rs-orphan')).length, 3, 'orphaned pods stay');

    await c.k(['delete', 'rs', 'rs-bg']);
    await waitFor(async () => (await pods('rs-bg')).length === 0, 30_000);

    await c.k(['delete', 'rs', 'rs-fg', '--cascade=foreground']);
    assert.equal((await pods('rs-fg')).length, 0, 'foreground: the ReplicaSet went after its pods');
    assert.equal((await c.kubectl(['get', 'rs', 'rs-fg'])).code, 1);
  } finally {
    await c.cleanup();
  }
});
