// The real kubectl against a real `k8ts server`: namespaces, pods, configmaps, secrets, output formats,
// labels/annotations/selectors, apply (client- and server-side), deletion, shutdown.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestCluster, waitFor } from '../helpers/cluster.js';

let c: TestCluster;
let dir: string;

const POD = (name: string, labels: Record<string, string> = {}) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  labels: ${JSON.stringify(labels)}
spec:
  containers:
  - name: main
    image: busybox:1.35
    command: ["sleep", "3600"]
    ports:
    - containerPort: 8080
`;

before(async () => {
  c = await new TestCluster({ store: 'sqlite' }).start();
  dir = mkdtempSync(join(tmpdir(), 'k8ts-e2e-'));
});
after(async () => {
  await c.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

test('readyz, version and the system namespaces', async () => {
  const r = await c.api('GET', '/readyz');
  assert.equal(r.status, 200);
  assert.equal(r.text, 'ok');
  const out = await c.k(['get', 'namespaces']);
  for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) assert.match(out, new RegExp(`^${ns}\\s+Active\\s+\\d+s`, 'm'));
  assert.match(out, /^NAME\s+STATUS\s+AGE/m);
  const v = await c.k(['version', '-o', 'json']);
  assert.equal(JSON.parse(v).serverVersion.major, '1');
});

test('create a pod and read it back in every output format', async () => {
  await c.k(['create', '-f', '-'], { input: POD('web', { app: 'web', tier: 'front' }) });
  const table = await c.k(['get', 'pods']);
  assert.match(table, /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/m);
  assert.match(table, /^web\s+0\/1\s+Pending\s+0\s+\d+s$/m);
  const wide = await c.k(['get', 'pod', 'web', '-o', 'wide']);
  assert.match(wide, /IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES/);
  assert.match(wide, /^web\s+0\/1\s+Pending\s+0\s+\d+s\s+<none>\s+<none>\s+<none>\s+<none>$/m);
  const pod = JSON.parse(await c.k(['get', 'pod', 'web', '-o', 'json']));
  assert.equal(pod.kind, 'Pod');
  assert.equal(pod.spec.restartPolicy, 'Always');
  assert.equal(pod.spec.terminationGracePeriodSeconds, 30);
  assert.equal(pod.spec.dnsPolicy, 'ClusterFirst');
  assert.equal(pod.spec.schedulerName, 'default-scheduler');
  assert.equal(pod.spec.containers[0].imagePullPolicy, 'IfNotPresent');
  assert.equal(pod.spec.containers[0].terminationMessagePath, '/dev/termination-log');
  assert.equal(pod.spec.containers[0].ports[0].protocol, 'TCP');
  assert.equal(pod.status.phase, 'Pending');
  assert.equal(pod.status.qosClass, 'BestEffort');
  assert.match(pod.metadata.uid, /^[0-9a-f-]{36}$/);
  assert.match(pod.metadata.resourceVersion, /^\d+$/);
  assert.match(pod.metadata.creationTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  const yaml = await c.k(['get', 'pod', 'web', '-o', 'yaml']);
  assert.match(yaml, /^kind: Pod$/m);
  assert.match(yaml, /restartPolicy: Always/);
  assert.equal((await c.k(['get', 'pods', '-o', 'name'])).trim(), 'pod/web');
  assert.equal(await c.k(['get', 'pod', 'web', '-o', 'jsonpath={.spec.containers[0].image}']), 'busybox:1.35');
  // imagePullPolicy Always for :latest / untagged
  await c.k(['run', 'latest', '--image=busybox', '--restart=Never']);
  const p2 = JSON.parse(await c.k(['get', 'pod', 'latest', '-o', 'json']));
  assert.equal(p2.spec.containers[0].imagePullPolicy, 'Always');
  assert.equal(p2.spec.restartPolicy, 'Never');
  await c.k(['delete', 'pod', 'latest']);
});

test('labels, annotations and every label selector form', async () => {
  await c.k(['create', '-f', '-'], { input: POD('api', { app: 'api', tier: 'back' }) });
  await c.k(['create', '-f', '-'], { input: POD('db', { app: 'db' }) });
  const names = async (sel: string) =>
    (await c.k(['get', 'pods', '-l', sel, '-o', 'name']))
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((s) => s.replace('pod/', ''))
      .sort();
  assert.deepEqual(await names('app=web'), ['web']);
  assert.deepEqual(await names('app==api'), ['api']);
  assert.deepEqual(await names('app!=web'), ['api', 'db']);
  assert.deepEqual(await names('app in (web,db)'), ['db', 'web']);
  assert.deepEqual(await names('app notin (web,db)'), ['api']);
  assert.deepEqual(await names('tier'), ['api', 'web']);
  assert.deepEqual(await names('!tier'), ['db']);
  assert.deepEqual(await names('tier,app!=api'), ['web']);

  await c.k(['label', 'pod', 'db', 'env=prod']);
  const refused = await c.kubectl(['label', 'pod', 'db', 'env=dev']);
  assert.notEqual(refused.code, 0);
  assert.match(refused.stderr, /already has a value \(prod\)/);
  await c.k(['label', 'pod', 'db', 'env=dev', '--overwrite']);
  let shown = await c.k(['get', 'pod', 'db', '--show-labels']);
  assert.match(shown, /LABELS/);
  assert.match(shown, /app=db,env=dev/);
  const col = await c.k(['get', 'pods', '-L', 'env']);
  assert.match(col, /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+ENV$/m);
  assert.match(col, /^db\s+.*\s+dev$/m);
  await c.k(['label', 'pod', 'db', 'env-']);
  shown = await c.k(['get', 'pod', 'db', '--show-labels']);
  assert.doesNotMatch(shown, /env=/);

  await c.k(['annotate', 'pod', 'db', 'owner=team-a']);
  assert.equal(await c.k(['get', 'pod', 'db', '-o', 'jsonpath={.metadata.annotations.owner}']), 'team-a');

  const bad = await c.kubectl(['get', 'pods', '-l', 'app in (']);
  assert.notEqual(bad.code, 0);
});

test('configmaps and secrets from literals and files', async () => {
  const f = join(dir, 'app.properties');
  writeFileSync(f, 'color=blue\nsize=3\n');
  await c.k(['create', 'configmap', 'cfg', `--from-file=${f}`, '--from-literal=mode=fast']);
  const cm = JSON.parse(await c.k(['get', 'configmap', 'cfg', '-o', 'json']));
  assert.equal(cm.data['app.properties'], 'color=blue\nsize=3\n');
  assert.equal(cm.data.mode, 'fast');
  assert.match(await c.k(['get', 'cm']), /^cfg\s+2\s+\d+s$/m);

  const key = join(dir, 'key.bin');
  writeFileSync(key, Buffer.from([0, 1, 2, 255]));
  await c.k(['create', 'secret', 'generic', 'creds', '--from-literal=user=admin', `--from-file=${key}`]);
  const s = JSON.parse(await c.k(['get', 'secret', 'creds', '-o', 'json']));
  assert.equal(s.type, 'Opaque');
  assert.equal(Buffer.from(s.data.user, 'base64').toString(), 'admin');
  assert.deepEqual([...Buffer.from(s.data['key.bin'], 'base64')], [0, 1, 2, 255]);
  assert.match(await c.k(['get', 'secrets']), /^creds\s+Opaque\s+2\s+\d+s$/m);
});

test('apply creates, then applies a changed manifest (client-side and server-side)', async () => {
  const v1 = `apiVersion: v1
kind: ConfigMap
metadata:
  name: applied
  labels: {stage: one}
data:
  a: "1"
  b: "2"
`;
  assert.match(await c.k(['apply', '-f', '-'], { input: v1 }), /configmap\/applied created/);
  assert.match(await c.k(['apply', '-f', '-'], { input: v1 }), /configmap\/applied unchanged/);
  const v2 = v1.replace('stage: one', 'stage: two').replace('  b: "2"\n', '  c: "3"\n');
  assert.match(await c.k(['apply', '-f', '-'], { input: v2 }), /configmap\/applied configured/);
  const cm = JSON.parse(await c.k(['get', 'cm', 'applied', '-o', 'json']));
  assert.deepEqual(cm.data, { a: '1', c: '3' });
  assert.equal(cm.metadata.labels.stage, 'two');
  assert.ok(cm.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']);

  const ss = v1.replace('name: applied', 'name: ssa');
  assert.match(await c.k(['apply', '--server-side', '-f', '-'], { input: ss }), /configmap\/ssa serverside-applied/);
  const ss2 = ss.replace('  b: "2"\n', '');
  await c.k(['apply', '--server-side', '-f', '-'], { input: ss2 });
  const got = (await c.api('GET', '/api/v1/namespaces/default/configmaps/ssa')).body;
  assert.deepEqual(got.data, { a: '1' });
  assert.ok(got.metadata.managedFields.some((m: { manager: string; operation: string }) => m.manager === 'kubectl' && m.operation === 'Apply'));
});

test('pod updates: image may change, other spec fields may not', async () => {
  await c.k(['set', 'image', 'pod/web', 'main=busybox:1.36']);
  assert.equal(await c.k(['get', 'pod', 'web', '-o', 'jsonpath={.spec.containers[0].image}']), 'busybox:1.36');
  const r = await c.kubectl(['patch', 'pod', 'web', '-p', '{"spec":{"restartPolicy":"Never"}}']);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /Forbidden: pod updates may not change fields other than/);
  assert.equal(await c.k(['get', 'pod', 'web', '-o', 'jsonpath={.spec.restartPolicy}']), 'Always');
});

test('chunked lists (limit + continue) return everything once', async () => {
  for (let i = 0; i < 7; i++) await c.k(['create', 'configmap', `chunk-${i}`, '--from-literal=k=v']);
  const out = await c.k(['get', 'cm', '--chunk-size=2', '-o', 'name']);
  const chunkNames = out
    .trim()
    .split('\n')
    .filter((l) => l.includes('chunk-'));
  assert.deepEqual(
    chunkNames,
    [0, 1, 2, 3, 4, 5, 6].map((i) => `configmap/chunk-${i}`),
  );
  const page = await c.api('GET', '/api/v1/namespaces/default/configmaps?limit=3');
  assert.equal(page.body.items.length, 3);
  assert.ok(page.body.metadata.continue);
});

test('delete -l, delete --all, and a cluster-wide list', async () => {
  const all = await c.k(['get', 'pods', '--all-namespaces']);
  assert.match(all, /^NAMESPACE\s+NAME\s+READY/m);
  assert.match(await c.k(['delete', 'pods', '-l', 'app=db']), /pod "db" deleted/);
  assert.match(await c.k(['delete', 'pods', '--all']), /deleted/);
  const r = await c.kubectl(['get', 'pods']);
  assert.equal(r.stdout.trim(), '');
  assert.match(r.stderr, /No resources found in default namespace/);
});

test('a namespace is deleted with its contents', async () => {
  await c.k(['create', 'namespace', 'scratch']);
  await c.k(['-n', 'scratch', 'create', 'configmap', 'x', '--from-literal=a=b']);
  await c.k(['-n', 'scratch', 'create', '-f', '-'], { input: POD('p1') });
  await c.k(['delete', 'namespace', 'scratch', '--wait=false']);
  await waitFor(async () => (await c.kubectl(['get', 'namespace', 'scratch'])).stderr.includes('NotFound'), 20_000, 200);
  const created = await c.kubectl(['-n', 'scratch', 'create', 'configmap', 'y', '--from-literal=a=b']);
  assert.notEqual(created.code, 0);
  assert.match(created.stderr, /namespaces "scratch" not found/);
  const refused = await c.kubectl(['delete', 'namespace', 'default']);
  assert.match(refused.stderr, /Forbidden|forbidden/);
});

test('a pod bound to a node waits in Terminating for the node agent', async () => {
  const bound = POD('bound').replace('spec:\n', 'spec:\n  nodeName: node-a\n');
  await c.k(['create', '-f', '-'], { input: bound });
  await c.k(['delete', 'pod', 'bound', '--wait=false']);
  assert.match(await c.k(['get', 'pod', 'bound']), /^bound\s+0\/1\s+Terminating\s+0/m);
  const p = JSON.parse(await c.k(['get', 'pod', 'bound', '-o', 'json']));
  assert.ok(p.metadata.deletionTimestamp);
  assert.equal(p.metadata.deletionGracePeriodSeconds, 30);
  await c.k(['delete', 'pod', 'bound', '--grace-period=0', '--force']);
  assert.match((await c.kubectl(['get', 'pod', 'bound'])).stderr, /NotFound/);
});

test('SIGTERM shuts down cleanly with exit code 0 and data survives a restart', async () => {
  await c.k(['create', 'configmap', 'durable', '--from-literal=x=1']);
  assert.equal(await c.stop('SIGTERM'), 0);
  await c.restart();
  assert.equal(await c.k(['get', 'cm', 'durable', '-o', 'jsonpath={.data.x}']), '1');
});
