// API machinery semantics over HTTP and kubectl: generation, generateName, finalizers and deletion,
// ownerReferences, field selectors, namespace termination admission, status subresource, bookmarks, dry run.
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

const pod = (name: string, spec: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name },
  spec: { containers: [{ name: 'c', image: 'busybox:1.35' }], ...spec },
});
const MERGE = { 'Content-Type': 'application/merge-patch+json' };
const PODS = '/api/v1/namespaces/default/pods';

test('generation bumps on spec changes only; resourceVersion on every change', async () => {
  const created = (await c.api('POST', PODS, pod('gen'))).body;
  assert.equal(created.metadata.generation, 1);
  const labelled = (await c.api('PATCH', `${PODS}/gen`, '{"metadata":{"labels":{"a":"b"}}}', MERGE)).body;
  assert.equal(labelled.metadata.generation, 1);
  assert.ok(Number(labelled.metadata.resourceVersion) > Number(created.metadata.resourceVersion));
  const imaged = (
    await c.api('PATCH', `${PODS}/gen`, '{"spec":{"containers":[{"name":"c","image":"busybox:1.36"}]}}', {
      'Content-Type': 'application/strategic-merge-patch+json',
    })
  ).body;
  assert.equal(imaged.metadata.generation, 2);
  // an update that changes nothing keeps the resourceVersion
  const same = (await c.api('PATCH', `${PODS}/gen`, '{"metadata":{"labels":{"a":"b"}}}', MERGE)).body;
  assert.equal(same.metadata.resourceVersion, imaged.metadata.resourceVersion);
  // immutable identity fields
  const bad = await c.api('PATCH', `${PODS}/gen`, '{"metadata":{"uid":"0000"}}', MERGE);
  assert.equal(bad.status, 422);
});

test('activeDeadlineSeconds may be set and lowered but not raised; tolerations only added', async () => {
  await c.api('POST', PODS, pod('upd'));
  assert.equal((await c.api('PATCH', `${PODS}/upd`, '{"spec":{"activeDeadlineSeconds":100}}', MERGE)).status, 200);
  assert.equal((await c.api('PATCH', `${PODS}/upd`, '{"spec":{"activeDeadlineSeconds":50}}', MERGE)).status, 200);
  const raised = await c.api('PATCH', `${PODS}/upd`, '{"spec":{"activeDeadlineSeconds":500}}', MERGE);
  assert.equal(raised.status, 422);
  const tol = { key: 'k', operator: 'Exists', effect: 'NoSchedule' };
  // the DefaultTolerationSeconds admission already gave the pod its not-ready/unreachable tolerations
  const existing = (await c.api('GET', `${PODS}/upd`)).body.spec.tolerations;
  assert.equal((await c.api('PATCH', `${PODS}/upd`, JSON.stringify({ spec: { tolerations: [...existing, tol] } }), MERGE)).status, 200);
  const removed = await c.api('PATCH', `${PODS}/upd`, '{"spec":{"tolerations":[]}}', MERGE);
  assert.equal(removed.status, 422);
});

test('generateName gives a unique name with a 5-character suffix', async () => {
  const a = (await c.api('POST', '/api/v1/namespaces/default/configmaps', { metadata: { generateName: 'gen-' } })).body;
  const b = (await c.api('POST', '/api/v1/namespaces/default/configmaps', { metadata: { generateName: 'gen-' } })).body;
  assert.match(a.metadata.name, /^gen-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  assert.notEqual(a.metadata.name, b.metadata.name);
  const out = await c.k(['create', '-f', '-'], { input: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {generateName: kgen-}\n' });
  assert.match(out, /configmap\/kgen-\w{5} created/);
});

test('finalizers hold a deleted object until they are removed; none may be added meanwhile', async () => {
  const cm = '/api/v1/namespaces/default/configmaps';
  await c.api('POST', cm, {
    metadata: {
      name: 'held',
      finalizers: ['example.com/hold'],
      ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: '7b5b1d4c-0000-4000-8000-000000000001' }],
    },
  });
  const del = await c.api('DELETE', `${cm}/held`);
  assert.ok(del.status === 200 || del.status === 202);
  const held = (await c.api('GET', `${cm}/held`)).body;
  assert.ok(held.metadata.deletionTimestamp);
  assert.equal(held.metadata.ownerReferences[0].name, 'owner');
  const add = await c.api('PATCH', `${cm}/held`, '{"metadata":{"finalizers":["example.com/hold","example.com/more"]}}', MERGE);
  assert.equal(add.status, 422);
  assert.match(add.body.message, /no new finalizers can be added if the object is being deleted/);
  const release = await c.api('PATCH', `${cm}/held`, '{"metadata":{"finalizers":null}}', MERGE);
  assert.equal(release.status, 200);
  assert.equal((await c.api('GET', `${cm}/held`)).status, 404);
});

test('field selectors: metadata.name, spec.nodeName, status.phase', async () => {
  await c.api('POST', PODS, pod('on-a', { nodeName: 'node-a' }));
  await c.api('POST', PODS, pod('on-b', { nodeName: 'node-b' }));
  const names = async (sel: string) =>
    (await c.api('GET', `${PODS}?fieldSelector=${encodeURIComponent(sel)}`)).body.items.map((p: any) => p.metadata.name).sort();
  assert.deepEqual(await names('spec.nodeName=node-a'), ['on-a']);
  assert.deepEqual(await names('metadata.name=on-b'), ['on-b']);
  assert.ok((await names('spec.nodeName!=node-a')).includes('on-b'));
  assert.ok((await names('status.phase=Pending')).includes('on-a'));
  assert.deepEqual(await names('status.phase=Running'), []);
  const k = await c.k(['get', 'pods', '--field-selector', 'spec.nodeName=node-b', '-o', 'name']);
  assert.equal(k.trim(), 'pod/on-b');
});

test('the status subresource: only status changes there, and spec updates keep status', async () => {
  const cur = (await c.api('GET', `${PODS}/on-a`)).body;
  const st = structuredClone(cur);
  st.status.phase = 'Running';
  st.spec.containers[0].image = 'ignored:1';
  st.metadata.labels = { ignored: 'yes' };
  const r = await c.api('PUT', `${PODS}/on-a/status`, st);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.status.phase, 'Running');
  assert.equal(r.body.spec.containers[0].image, 'busybox:1.35');
  assert.equal(r.body.metadata.labels, undefined);
  const main = structuredClone(r.body);
  main.status.phase = 'Failed';
  main.metadata.labels = { kept: 'yes' };
  const m = await c.api('PUT', `${PODS}/on-a`, main);
  assert.equal(m.body.status.phase, 'Running');
  assert.equal(m.body.metadata.labels.kept, 'yes');
  const cond = await c.k([
    'patch',
    'pod',
    'on-a',
    '--subresource=status',
    '--type=merge',
    '-p',
    '{"status":{"conditions":[{"type":"example.com/gate","status":"True"}]}}',
  ]);
  assert.match(cond, /patched/);
});

test('binding assigns a node once', async () => {
  await c.api('POST', PODS, pod('tobind'));
  const b = { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'tobind' }, target: { kind: 'Node', name: 'node-x' } };
  assert.equal((await c.api('POST', `${PODS}/tobind/binding`, b)).status, 201);
  assert.equal((await c.api('GET', `${PODS}/tobind`)).body.spec.nodeName, 'node-x');
  const again = await c.api('POST', `${PODS}/tobind/binding`, b);
  assert.equal(again.status, 409);
});

test('a terminating namespace refuses new content with Forbidden', async () => {
  await c.k(['create', 'namespace', 'closing']);
  await c.api('POST', '/api/v1/namespaces/closing/pods', pod('stuck', { nodeName: 'gone-node' }));
  await c.api('DELETE', '/api/v1/namespaces/closing');
  const r = await c.api('POST', '/api/v1/namespaces/closing/configmaps', { metadata: { name: 'late' } });
  assert.equal(r.status, 403);
  assert.equal(r.body.reason, 'Forbidden');
  assert.match(r.body.message, /unable to create new content in namespace closing because it is being terminated/);
  assert.match(await c.k(['get', 'ns', 'closing']), /closing\s+Terminating/);
  // the bound pod waits for a node agent; force-deleting it lets the namespace go
  await waitFor(async () => (await c.api('GET', '/api/v1/namespaces/closing/pods/stuck')).body?.metadata?.deletionTimestamp);
  await c.api('DELETE', '/api/v1/namespaces/closing/pods/stuck?gracePeriodSeconds=0');
  await waitFor(async () => (await c.api('GET', '/api/v1/namespaces/closing')).status === 404, 15_000, 200);
});

test('watch bookmarks and dry run', async () => {
  const rv = (await c.api('GET', '/api/v1/namespaces/default/configmaps')).body.metadata.resourceVersion;
  const res = await c.api('GET', `/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=${rv}&allowWatchBookmarks=true&timeoutSeconds=1`);
  const lines = res.text
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  const bm = lines.find((l) => l.type === 'BOOKMARK');
  assert.ok(bm, 'a bookmark before the watch ends');
  assert.equal(bm.object.kind, 'ConfigMap');
  assert.match(bm.object.metadata.resourceVersion, /^\d+$/);

  const dry = await c.api('POST', '/api/v1/namespaces/default/configmaps?dryRun=All', { metadata: { name: 'dry' } });
  assert.equal(dry.status, 201);
  assert.equal((await c.api('GET', '/api/v1/namespaces/default/configmaps/dry')).status, 404);
  assert.match(await c.k(['create', 'configmap', 'dry2', '--dry-run=server', '--from-literal=a=b']), /created \(server dry run\)/);
  assert.equal((await c.api('GET', '/api/v1/namespaces/default/configmaps/dry2')).status, 404);
});
