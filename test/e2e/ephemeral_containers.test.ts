// The pods/ephemeralcontainers subresource over HTTP and kubectl (no node): discovery and OpenAPI list
// it; ephemeral containers are added only there (strategic merge patch as kubectl debug sends, and PUT),
// never on create nor through PUT /pods; existing ones may be neither removed nor changed; fields an
// ephemeral container may not have, duplicate names and unknown targets are 422 Invalid; nothing else of
// the pod changes through it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TestCluster } from '../helpers/cluster.js';

let c: TestCluster;
before(async () => {
  c = await new TestCluster({ store: 'memory' }).start();
});
after(async () => {
  await c.cleanup();
});

const PODS = '/api/v1/namespaces/default/pods';
const SMP = { 'Content-Type': 'application/strategic-merge-patch+json' };
const pod = (name: string, spec: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name },
  spec: { containers: [{ name: 'c', image: 'busybox:1.35' }], ...spec },
});
const debugger1 = { name: 'dbg', image: 'busybox:1.35', targetContainerName: 'c', stdin: true, tty: true };

test('discovery and OpenAPI list pods/ephemeralcontainers (get, patch, update)', async () => {
  const list = (await c.api('GET', '/api/v1')).body;
  const sub = list.resources.find((r: { name: string }) => r.name === 'pods/ephemeralcontainers');
  assert.deepEqual(sub && { kind: sub.kind, verbs: sub.verbs }, { kind: 'Pod', verbs: ['get', 'patch', 'update'] });
  const v3 = (await c.api('GET', '/openapi/v3/api/v1')).body;
  const path = v3.paths['/api/v1/namespaces/{namespace}/pods/{name}/ephemeralcontainers'];
  assert.ok(path?.patch && path?.put && path?.get, 'OpenAPI v3 has the path with get/put/patch');
});

test('a pod may not be created with ephemeral containers', async () => {
  const r = await c.api('POST', PODS, pod('eph-create', { ephemeralContainers: [debugger1] }));
  assert.equal(r.status, 422, r.text);
  assert.match(r.body.message, /spec\.ephemeralContainers: Forbidden: cannot be set on create/);
});

test('added through the subresource (strategic merge patch), defaulted, and read back from it', async () => {
  const created = (await c.api('POST', PODS, pod('eph-add'))).body;
  const r = await c.api('PATCH', `${PODS}/eph-add/ephemeralcontainers`, { spec: { ephemeralContainers: [debugger1] } }, SMP);
  assert.equal(r.status, 200, r.text);
  const ec = r.body.spec.ephemeralContainers;
  assert.equal(ec.length, 1);
  assert.equal(ec[0].targetContainerName, 'c');
  assert.equal(ec[0].terminationMessagePolicy, 'File');
  assert.equal(ec[0].imagePullPolicy, 'IfNotPresent');
  assert.ok(Number(r.body.metadata.resourceVersion) > Number(created.metadata.resourceVersion));
  const got = await c.api('GET', `${PODS}/eph-add/ephemeralcontainers`);
  assert.equal(got.status, 200);
  assert.equal(got.body.kind, 'Pod');
  assert.equal(got.body.spec.ephemeralContainers[0].name, 'dbg');
  // a second one is merged in by name
  const two = await c.api('PATCH', `${PODS}/eph-add/ephemeralcontainers`, { spec: { ephemeralContainers: [{ name: 'dbg2', image: 'busybox:1.35' }] } }, SMP);
  assert.equal(two.status, 200, two.text);
  assert.deepEqual(
    two.body.spec.ephemeralContainers.map((e: { name: string }) => e.name),
    ['dbg', 'dbg2'],
  );
});

test('PUT on the subresource adds; only spec.ephemeralContainers is taken from the body', async () => {
  await c.api('POST', PODS, pod('eph-put'));
  const cur = (await c.api('GET', `${PODS}/eph-put`)).body;
  cur.spec.ephemeralContainers = [{ name: 'dbg', image: 'busybox:1.35' }];
  cur.spec.containers[0].image = 'busybox:9.9';
  cur.metadata.labels = { sneaky: 'yes' };
  const r = await c.api('PUT', `${PODS}/eph-put/ephemeralcontainers`, cur);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.spec.ephemeralContainers[0].name, 'dbg');
  assert.equal(r.body.spec.containers[0].image, 'busybox:1.35');
  assert.equal(r.body.metadata.labels, undefined);
});

test('existing ephemeral containers may be neither removed nor changed; the pod is left as it was', async () => {
  await c.api('POST', PODS, pod('eph-keep'));
  const added = (await c.api('PATCH', `${PODS}/eph-keep/ephemeralcontainers`, { spec: { ephemeralContainers: [debugger1] } }, SMP)).body;
  const removed = structuredClone(added);
  removed.spec.ephemeralContainers = [{ name: 'other', image: 'busybox:1.35' }];
  const r1 = await c.api('PUT', `${PODS}/eph-keep/ephemeralcontainers`, removed);
  assert.equal(r1.status, 422, r1.text);
  assert.match(r1.body.message, /spec\.ephemeralContainers: Forbidden: existing ephemeral containers "dbg" may not be removed/);
  const r2 = await c.api('PATCH', `${PODS}/eph-keep/ephemeralcontainers`, { spec: { ephemeralContainers: [{ name: 'dbg', image: 'busybox:1.36' }] } }, SMP);
  assert.equal(r2.status, 422, r2.text);
  assert.match(r2.body.message, /spec\.ephemeralContainers\[dbg\]: Forbidden: existing ephemeral containers "dbg" may not be changed/);
  const now = (await c.api('GET', `${PODS}/eph-keep`)).body;
  assert.equal(now.metadata.resourceVersion, added.metadata.resourceVersion, 'nothing was written');
  assert.equal(now.spec.ephemeralContainers.length, 1);
});

test('PUT /pods may not add, change or remove ephemeral containers', async () => {
  await c.api('POST', PODS, pod('eph-main'));
  const cur = (await c.api('GET', `${PODS}/eph-main`)).body;
  cur.spec.ephemeralContainers = [{ name: 'dbg', image: 'busybox:1.35', imagePullPolicy: 'IfNotPresent', terminationMessagePolicy: 'File' }];
  const r = await c.api('PUT', `${PODS}/eph-main`, cur);
  assert.equal(r.status, 422, r.text);
  assert.match(r.body.message, /spec: Forbidden: pod updates may not change fields/);
  const added = (await c.api('PATCH', `${PODS}/eph-main/ephemeralcontainers`, { spec: { ephemeralContainers: [{ name: 'dbg', image: 'busybox:1.35' }] } }, SMP))
    .body;
  delete added.spec.ephemeralContainers;
  const r2 = await c.api('PUT', `${PODS}/eph-main`, added);
  assert.equal(r2.status, 422, r2.text);
  // an update that keeps them is fine
  const keep = (await c.api('GET', `${PODS}/eph-main`)).body;
  keep.metadata.labels = { a: 'b' };
  assert.equal((await c.api('PUT', `${PODS}/eph-main`, keep)).status, 200);
});

test('ephemeral container rules: no ports/probes/resources/lifecycle/subPath, unique names, known target', async () => {
  await c.api('POST', PODS, pod('eph-bad'));
  const tryAdd = (ec: Record<string, unknown>) =>
    c.api('PATCH', `${PODS}/eph-bad/ephemeralcontainers`, { spec: { ephemeralContainers: [{ name: 'dbg', image: 'busybox:1.35', ...ec }] } }, SMP);
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ ports: [{ containerPort: 80 }] }, /spec\.ephemeralContainers\[0\]\.ports: Forbidden: cannot be set for an Ephemeral Container/],
    [
      { readinessProbe: { exec: { command: ['true'] } } },
      /spec\.ephemeralContainers\[0\]\.readinessProbe: Forbidden: cannot be set for an Ephemeral Container/,
    ],
    [{ resources: { limits: { cpu: '1' } } }, /spec\.ephemeralContainers\[0\]\.resources: Forbidden: cannot be set for an Ephemeral Container/],
    [
      { lifecycle: { preStop: { exec: { command: ['true'] } } } },
      /spec\.ephemeralContainers\[0\]\.lifecycle: Forbidden: cannot be set for an Ephemeral Container/,
    ],
    [{ name: 'c' }, /spec\.ephemeralContainers\[0\]\.name: Duplicate value: "c"/],
    [{ targetContainerName: 'nope' }, /spec\.ephemeralContainers\[0\]\.targetContainerName: Not found: "nope"/],
  ];
  for (const [ec, re] of cases) {
    const r = await tryAdd(ec);
    assert.equal(r.status, 422, `${JSON.stringify(ec)}: ${r.text}`);
    assert.equal(r.body.reason, 'Invalid');
    assert.match(r.body.message, re);
  }
  assert.equal((await c.api('GET', `${PODS}/eph-bad`)).body.spec.ephemeralContainers, undefined);
});
