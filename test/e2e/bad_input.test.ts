// Bad input gets a Kubernetes Status with the upstream reason and code, the server keeps serving, and
// nothing is stored.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TestCluster } from '../helpers/cluster.js';

let c: TestCluster;
before(async () => {
  c = await new TestCluster({ store: 'sqlite' }).start();
});
after(async () => {
  await c.cleanup();
});

const pod = (name: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name },
  spec: { containers: [{ name: 'c', image: 'busybox:1.35' }] },
  ...extra,
});

async function podCount(): Promise<number> {
  const r = await c.api('GET', '/api/v1/namespaces/default/pods');
  return r.body.items.length;
}

function assertStatus(r: { status: number; body: any }, code: number, reason: string) {
  assert.equal(r.status, code, JSON.stringify(r.body));
  assert.equal(r.body.kind, 'Status');
  assert.equal(r.body.apiVersion, 'v1');
  assert.equal(r.body.status, 'Failure');
  assert.equal(r.body.code, code);
  assert.equal(r.body.reason, reason);
  assert.equal(typeof r.body.message, 'string');
}

test('malformed JSON and YAML are 400 BadRequest', async () => {
  assertStatus(await c.api('POST', '/api/v1/namespaces/default/pods', '{"metadata": {'), 400, 'BadRequest');
  assertStatus(await c.api('POST', '/api/v1/namespaces/default/pods', 'metadata: {name: [', { 'Content-Type': 'application/yaml' }), 400, 'BadRequest');
  assertStatus(await c.api('POST', '/api/v1/namespaces/default/pods', '[1,2]'), 400, 'BadRequest');
  const r = await c.kubectl(['create', '-f', '-'], { input: 'apiVersion: v1\nkind: Pod\nmetadata: {name: x\n' });
  assert.notEqual(r.code, 0);
  assert.equal(await podCount(), 0);
});

test('wrong types, unknown fields (Strict/Warn/Ignore) and a wrong kind', async () => {
  const wrongType = pod('typed');
  (wrongType.spec.containers[0] as Record<string, unknown>).ports = [{ containerPort: 'eighty' }];
  assertStatus(await c.api('POST', '/api/v1/namespaces/default/pods', wrongType), 400, 'BadRequest');

  const unknown = pod('unknown');
  (unknown.spec as Record<string, unknown>).bogus = true;
  const strict = await c.api('POST', '/api/v1/namespaces/default/pods?fieldValidation=Strict', unknown);
  assertStatus(strict, 400, 'BadRequest');
  assert.match(strict.body.message, /unknown field "spec.bogus"/);
  assert.equal(await podCount(), 0);

  const warn = await c.api('POST', '/api/v1/namespaces/default/pods?fieldValidation=Warn', unknown);
  assert.equal(warn.status, 201);
  assert.match(warn.headers.get('warning') ?? '', /unknown field \\?"spec.bogus\\?"/);
  assert.equal(warn.body.spec.bogus, undefined);
  await c.api('DELETE', '/api/v1/namespaces/default/pods/unknown');

  // kubectl validates strictly by default
  const k = await c.kubectl(['create', '-f', '-'], {
    input: 'apiVersion: v1\nkind: Pod\nmetadata: {name: kx}\nspec:\n  containers:\n  - name: c\n    image: busybox\n    imagePulPolicy: Always\n',
  });
  assert.notEqual(k.code, 0);
  assert.match(k.stderr, /unknown field "spec.containers\[0\].imagePulPolicy"/);

  const wrongKind = { ...pod('wk'), kind: 'ConfigMap' };
  assertStatus(await c.api('POST', '/api/v1/namespaces/default/pods', wrongKind), 400, 'BadRequest');
  assert.equal(await podCount(), 0);
});

test('invalid objects are 422 Invalid with field causes', async () => {
  const r = await c.api('POST', '/api/v1/namespaces/default/pods', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'Bad_Name' },
    spec: {
      containers: [
        { name: 'c', image: 'busybox' },
        { name: 'c', image: '' },
      ],
    },
  });
  assertStatus(r, 422, 'Invalid');
  const fields = r.body.details.causes.map((x: { field: string }) => x.field);
  assert.ok(fields.includes('metadata.name'), fields.join());
  assert.ok(fields.includes('spec.containers[1].name'), fields.join());
  assert.ok(fields.includes('spec.containers[1].image'), fields.join());
  assert.equal(r.body.details.kind, 'Pod');

  const noContainers = await c.api('POST', '/api/v1/namespaces/default/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'empty' }, spec: {} });
  assertStatus(noContainers, 422, 'Invalid');
  const limits = pod('limits');
  (limits.spec.containers[0] as Record<string, unknown>).resources = { requests: { memory: '2Gi' }, limits: { memory: '1Gi' } };
  assertStatus(await c.api('POST', '/api/v1/namespaces/default/pods', limits), 422, 'Invalid');
  const badQty = pod('qty');
  (badQty.spec.containers[0] as Record<string, unknown>).resources = { limits: { cpu: 'lots' } };
  const q = await c.api('POST', '/api/v1/namespaces/default/pods', badQty);
  assert.ok(q.status === 400 || q.status === 422, String(q.status));
  const mount = pod('mount');
  (mount.spec.containers[0] as Record<string, unknown>).volumeMounts = [{ name: 'missing', mountPath: '/data' }];
  assertStatus(await c.api('POST', '/api/v1/namespaces/default/pods', mount), 422, 'Invalid');
  const hostile = await c.api('POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: '../../etc/passwd' }, data: {} });
  assertStatus(hostile, 422, 'Invalid');
  assert.equal(await podCount(), 0);
});

test('NotFound, AlreadyExists, Conflict, MethodNotAllowed, UnsupportedMediaType, RequestEntityTooLarge', async () => {
  assertStatus(await c.api('GET', '/api/v1/namespaces/default/pods/nope'), 404, 'NotFound');
  const nf = await c.api('GET', '/api/v1/namespaces/default/pods/nope');
  assert.equal(nf.body.message, 'pods "nope" not found');
  assertStatus(await c.api('GET', '/api/v1/nonsense'), 404, 'NotFound');
  assertStatus(await c.api('POST', '/api/v1/namespaces/nowhere/pods', pod('x')), 404, 'NotFound');

  assert.equal((await c.api('POST', '/api/v1/namespaces/default/pods', pod('dup'))).status, 201);
  const dup = await c.api('POST', '/api/v1/namespaces/default/pods', pod('dup'));
  assertStatus(dup, 409, 'AlreadyExists');
  assert.equal(dup.body.message, 'pods "dup" already exists');

  const cur = (await c.api('GET', '/api/v1/namespaces/default/pods/dup')).body;
  const first = structuredClone(cur);
  first.metadata.labels = { a: 'b' };
  assert.equal((await c.api('PUT', '/api/v1/namespaces/default/pods/dup', first)).status, 200);
  const stale = structuredClone(cur);
  stale.metadata.labels = { a: 'c' };
  const conflict = await c.api('PUT', '/api/v1/namespaces/default/pods/dup', stale);
  assertStatus(conflict, 409, 'Conflict');
  assert.match(conflict.body.message, /the object has been modified/);

  assertStatus(await c.api('DELETE', '/api/v1/namespaces/default/pods/dup/status'), 405, 'MethodNotAllowed');
  assertStatus(await c.api('POST', '/api/v1/namespaces/default/pods', 'x', { 'Content-Type': 'text/plain' }), 415, 'UnsupportedMediaType');
  assertStatus(await c.api('PATCH', '/api/v1/namespaces/default/pods/dup', '{}', { 'Content-Type': 'application/json' }), 415, 'UnsupportedMediaType');

  const huge = pod('huge');
  (huge.metadata as Record<string, unknown>).annotations = { big: 'x'.repeat(4 * 1024 * 1024) };
  assertStatus(await c.api('POST', '/api/v1/namespaces/default/pods', huge), 413, 'RequestEntityTooLarge');
  const names = (await c.api('GET', '/api/v1/namespaces/default/pods')).body.items.map((p: any) => p.metadata.name);
  assert.deepEqual(names, ['dup']);
});

test('bad selectors, limits and resourceVersions are 400; an expired watch gets 410 Gone', async () => {
  assertStatus(await c.api('GET', '/api/v1/pods?labelSelector=' + encodeURIComponent('a in (')), 400, 'BadRequest');
  assertStatus(await c.api('GET', '/api/v1/pods?fieldSelector=spec.bogus%3Dx'), 400, 'BadRequest');
  assertStatus(await c.api('GET', '/api/v1/pods?limit=abc'), 400, 'BadRequest');
  assertStatus(await c.api('GET', '/api/v1/pods?resourceVersion=xyz'), 400, 'BadRequest');
  assertStatus(await c.api('GET', '/api/v1/pods?continue=garbage&limit=1'), 400, 'BadRequest');
  // a restarted sqlite store keeps no watch history before its current revision: 410 Expired
  await c.k(['create', 'configmap', 'before-restart', '--from-literal=a=1']);
  await c.restart();
  const r = await c.api('GET', '/api/v1/pods?watch=1&resourceVersion=1&timeoutSeconds=2');
  assert.equal(r.status, 200);
  const first = JSON.parse(r.text.split('\n')[0]);
  assert.equal(first.type, 'ERROR');
  assert.equal(first.object.code, 410);
  assert.equal(first.object.reason, 'Expired');
  const ready = await c.api('GET', '/readyz');
  assert.equal(ready.status, 200);
});

test('kubectl replace with a stale resourceVersion is a conflict', async () => {
  const cm = JSON.parse(await c.k(['create', 'configmap', 'cc', '--from-literal=a=1', '-o', 'json']));
  await c.k(['patch', 'cm', 'cc', '-p', '{"data":{"a":"2"}}']);
  cm.data.a = '3';
  const r = await c.kubectl(['replace', '-f', '-'], { input: JSON.stringify(cm) });
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /the object has been modified/);
  assert.equal(await c.k(['get', 'cm', 'cc', '-o', 'jsonpath={.data.a}']), '2');
});
