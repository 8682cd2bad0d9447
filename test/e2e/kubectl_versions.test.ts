// Older and newer real kubectl versions against `k8ts server`: kubectl 1.33 `create` generators (protobuf
// request bodies), kubectl 1.27/1.28 `apply` and `explain` (the gnostic protobuf /openapi/v2 document).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestCluster, readBody } from '../helpers/cluster.js';

let c: TestCluster;
let dir: string;

before(async () => {
  c = await new TestCluster({ store: 'memory' }).start();
  dir = mkdtempSync(join(tmpdir(), 'k8ts-e2e-versions-'));
});
after(async () => {
  await c.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64');

test('kubectl 1.33 create configmap (literals and a binary file) sends protobuf and reads back', async () => {
  const bin = join(dir, 'blob.bin');
  writeFileSync(bin, Buffer.from([0, 1, 2, 0xfe, 0xff]));
  const out = await c.k(['create', 'configmap', 'cm133', '--from-literal=a=b', '--from-literal=empty=', `--from-file=blob=${bin}`], { minor: 33 });
  assert.match(out, /configmap\/cm133 created/);
  const r = await c.api('GET', '/api/v1/namespaces/default/configmaps/cm133');
  assert.equal(r.status, 200);
  assert.deepEqual(r.body.data, { a: 'b', empty: '' });
  assert.deepEqual(r.body.binaryData, { blob: b64(Buffer.from([0, 1, 2, 0xfe, 0xff])) });
  // the JSON path and the protobuf path agree: read it back through kubectl too
  const got = JSON.parse(await c.k(['get', 'configmap', 'cm133', '-o', 'json'], { minor: 33 }));
  assert.equal(got.data.a, 'b');
});

test('kubectl 1.33 create secret generic / namespace / serviceaccount', async () => {
  assert.match(
    await c.k(['create', 'secret', 'generic', 's133', '--from-literal=user=admin', '--from-literal=pass=s3cr3t'], { minor: 33 }),
    /secret\/s133 created/,
  );
  const s = await c.api('GET', '/api/v1/namespaces/default/secrets/s133');
  assert.deepEqual(s.body.data, { user: b64('admin'), pass: b64('s3cr3t') });
  assert.equal(s.body.type, 'Opaque');

  assert.match(await c.k(['create', 'namespace', 'ns133'], { minor: 33 }), /namespace\/ns133 created/);
  const ns = await c.api('GET', '/api/v1/namespaces/ns133');
  assert.equal(ns.status, 200);
  assert.equal(ns.body.status.phase, 'Active');

  assert.match(await c.k(['create', 'serviceaccount', 'sa133', '-n', 'ns133'], { minor: 33 }), /serviceaccount\/sa133 created/);
  const sa = await c.api('GET', '/api/v1/namespaces/ns133/serviceaccounts/sa133');
  assert.equal(sa.status, 200);
  assert.equal(sa.body.metadata.namespace, 'ns133');
});

test('kubectl 1.33 create deployment (protobuf apps/v1 body)', async () => {
  assert.match(await c.k(['create', 'deployment', 'd133', '--image=nginx:1.27', '--replicas=2', '--port=80'], { minor: 33 }), /deployment.apps\/d133 created/);
  const d = await c.api('GET', '/apis/apps/v1/namespaces/default/deployments/d133');
  assert.equal(d.body.spec.replicas, 2);
  assert.equal(d.body.spec.template.spec.containers[0].image, 'nginx:1.27');
  assert.equal(d.body.spec.template.spec.containers[0].ports[0].containerPort, 80);
});

test('a malformed protobuf body is a 400 BadRequest, not a crash', async () => {
  const headers = { 'Content-Type': 'application/vnd.kubernetes.protobuf' };
  for (const body of [Buffer.from('k8s\0\x0a\xff\xff\xff'), Buffer.from('not protobuf'), Buffer.concat([Buffer.from('k8s\0'), Buffer.alloc(5000, 0x7b)])]) {
    const r = await c.api('POST', '/api/v1/namespaces/default/configmaps', body, headers);
    assert.equal(r.status, 400, r.text);
    assert.equal(r.body.reason, 'BadRequest');
  }
  assert.equal((await c.api('GET', '/readyz')).status, 200);
});

test('/openapi/v2 is served as gnostic protobuf with an ETag', async () => {
  const accept = 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf';
  const r = await c.request('GET', '/openapi/v2', { headers: { Accept: accept } });
  assert.equal(r.statusCode, 200);
  assert.equal(r.headers['content-type'], 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf');
  const etag = r.headers.etag;
  assert.ok(etag);
  const bytes = await readBody(r);
  assert.ok(bytes.length > 1000);
  assert.ok(bytes.includes(Buffer.from('io.k8s.api.core.v1.Pod')));
  const again = await c.api('GET', '/openapi/v2', undefined, { Accept: accept, 'If-None-Match': etag });
  assert.equal(again.status, 304);
  const json = await c.api('GET', '/openapi/v2', undefined, { Accept: 'application/json' });
  assert.equal(json.headers.get('content-type'), 'application/json');
  assert.equal(json.body.swagger, '2.0');
});

const CM = (name: string, value: string) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}
data:
  key: "${value}"
  fixed: "same"
`;

const POD = (name: string, image: string, label: string) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  labels: {tier: "${label}"}
spec:
  containers:
  - name: app
    image: ${image}
    env: [{name: MODE, value: "one"}]
  - name: sidecar
    image: busybox:1.36
    command: ["sleep", "3600"]
`;

for (const minor of [27, 28]) {
  test(`kubectl 1.${minor} apply -f creates then configures a configmap`, async () => {
    const f = join(dir, `cm-${minor}.yaml`);
    writeFileSync(f, CM(`cm-apply-${minor}`, 'v1'));
    assert.match(await c.k(['apply', '-f', f], { minor }), new RegExp(`configmap/cm-apply-${minor} created`));
    writeFileSync(f, CM(`cm-apply-${minor}`, 'v2'));
    assert.match(await c.k(['apply', '-f', f], { minor }), new RegExp(`configmap/cm-apply-${minor} configured`));
    const r = await c.api('GET', `/api/v1/namespaces/default/configmaps/cm-apply-${minor}`);
    assert.deepEqual(r.body.data, { key: 'v2', fixed: 'same' });
    assert.ok(r.body.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'].includes('"v2"'));
  });

  test(`kubectl 1.${minor} apply -f creates then configures a pod (containers merged by name)`, async () => {
    const name = `pod-apply-${minor}`;
    const f = join(dir, `${name}.yaml`);
    writeFileSync(f, POD(name, 'nginx:1.26', 'a'));
    assert.match(await c.k(['apply', '-f', f], { minor }), new RegExp(`pod/${name} created`));
    writeFileSync(f, POD(name, 'nginx:1.27', 'b'));
    assert.match(await c.k(['apply', '-f', f], { minor }), new RegExp(`pod/${name} configured`));
    const r = await c.api('GET', `/api/v1/namespaces/default/pods/${name}`);
    assert.equal(r.status, 200);
    assert.equal(r.body.metadata.labels.tier, 'b');
    const containers = r.body.spec.containers as Array<{ name: string; image: string; env?: unknown; command?: string[] }>;
    assert.deepEqual(
      containers.map((x) => x.name),
      ['app', 'sidecar'],
    );
    assert.equal(containers[0].image, 'nginx:1.27');
    assert.deepEqual(containers[0].env, [{ name: 'MODE', value: 'one' }]);
    assert.equal(containers[1].image, 'busybox:1.36');
    assert.deepEqual(containers[1].command, ['sleep', '3600']);
  });
}

test('kubectl 1.27 explain pod.spec', async () => {
  const out = await c.k(['explain', 'pod.spec'], { minor: 27 });
  assert.match(out, /KIND:\s+Pod/);
  assert.match(out, /containers\s+<\[\]Container>/);
  const deep = await c.k(['explain', 'pod.spec.containers.image'], { minor: 27 });
  assert.match(deep, /FIELD:\s+image\s+<string>/);
});
