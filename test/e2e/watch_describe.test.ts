// Watch (kubectl get -w and the raw API), events with kubectl describe, explain via OpenAPI, discovery,
// and the supported kubectl versions (1.27 ... 1.33).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { TestCluster, kubectlBinary, readBody, waitFor } from '../helpers/cluster.js';

let c: TestCluster;
before(async () => {
  c = await new TestCluster({ store: 'memory' }).start();
});
after(async () => {
  await c.cleanup();
});

test('kubectl get -w --output-watch-events sees ADDED, MODIFIED, DELETED', async () => {
  await c.k(['create', 'configmap', 'w0', '--from-literal=a=0']);
  const child = spawn('kubectl', ['--kubeconfig', c.kubeconfig, 'get', 'configmaps', '-w', '--output-watch-events'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  try {
    await waitFor(async () => /ADDED\s+w0/.test(out));
    await c.k(['create', 'configmap', 'w1', '--from-literal=a=1']);
    await c.k(['patch', 'configmap', 'w1', '-p', '{"data":{"a":"2"}}']);
    await c.k(['delete', 'configmap', 'w1']);
    await waitFor(async () => /DELETED\s+w1/.test(out));
    assert.match(out, /^EVENT\s+NAME\s+DATA\s+AGE$/m);
    assert.match(out, /ADDED\s+w1\s+1\s+\d+s[\s\S]*MODIFIED\s+w1[\s\S]*DELETED\s+w1/);
  } finally {
    child.kill();
  }
});

test('raw watch: ordered events with increasing resourceVersions, selectors, timeoutSeconds', async () => {
  const list = await c.api('GET', '/api/v1/namespaces/default/configmaps');
  const rv = list.body.metadata.resourceVersion;
  const res = await c.request('GET', `/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=${rv}&labelSelector=team%3Da&timeoutSeconds=3`, {
    agent: false,
  });
  assert.equal(res.statusCode, 200);
  const started = Date.now();
  await c.api('POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: 's1', labels: { team: 'a' } } });
  await c.api('POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: 's2', labels: { team: 'b' } } });
  await c.api('PATCH', '/api/v1/namespaces/default/configmaps/s2', '{"metadata":{"labels":{"team":"a"}}}', { 'Content-Type': 'application/merge-patch+json' });
  await c.api('PATCH', '/api/v1/namespaces/default/configmaps/s1', '{"metadata":{"labels":{"team":"c"}}}', { 'Content-Type': 'application/merge-patch+json' });
  const text = (await readBody(res)).toString('utf8'); // ends by timeoutSeconds
  assert.ok(Date.now() - started >= 2500);
  const evs = text
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.deepEqual(
    evs.map((e) => `${e.type} ${e.object.metadata.name}`),
    ['ADDED s1', 'ADDED s2', 'DELETED s1'], // s2 enters the selection, s1 leaves it
  );
  const rvs = evs.map((e) => Number(e.object.metadata.resourceVersion));
  assert.deepEqual(
    [...rvs].sort((a, b) => a - b),
    rvs,
  );
});

test('kubectl describe shows a pod with its events', async () => {
  await c.k(['run', 'described', '--image=busybox:1.35', '--labels=app=d', '--', 'sleep', '100']);
  const pod = JSON.parse(await c.k(['get', 'pod', 'described', '-o', 'json']));
  const ev = {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: 'described.1', namespace: 'default' },
    involvedObject: { kind: 'Pod', name: 'described', namespace: 'default', uid: pod.metadata.uid, apiVersion: 'v1' },
    reason: 'Scheduled',
    message: 'Successfully assigned default/described to node-a',
    type: 'Normal',
    source: { component: 'default-scheduler' },
    firstTimestamp: new Date().toISOString().replace(/\.\d+Z/, 'Z'),
    lastTimestamp: new Date().toISOString().replace(/\.\d+Z/, 'Z'),
    count: 1,
  };
  await c.k(['create', '-f', '-'], { input: JSON.stringify(ev) });
  const d = await c.k(['describe', 'pod', 'described']);
  assert.match(d, /^Name:\s+described$/m);
  assert.match(d, /^Namespace:\s+default$/m);
  assert.match(d, /^Labels:\s+app=d$/m);
  assert.match(d, /^Status:\s+Pending$/m);
  assert.match(d, /Normal\s+Scheduled\s+\S+\s+default-scheduler\s+Successfully assigned default\/described to node-a/);
  const evs = await c.k(['get', 'events']);
  assert.match(evs, /LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE/);
  assert.match(evs, /Normal\s+Scheduled\s+pod\/described/);
});

test('kubectl explain pod.spec uses our OpenAPI', async () => {
  const out = await c.k(['explain', 'pod.spec']);
  assert.match(out, /KIND:\s+Pod/);
  assert.match(out, /containers\s+<\[\]Container> -required-/);
  const ctr = await c.k(['explain', 'pod.spec.containers.image']);
  assert.match(ctr, /FIELD:\s+image <string>/);
});

test('discovery: api-resources, short names and categories', async () => {
  const out = await c.k(['api-resources']);
  assert.match(out, /^pods\s+po\s+v1\s+true\s+Pod$/m);
  assert.match(out, /^namespaces\s+ns\s+v1\s+false\s+Namespace$/m);
  assert.match(out, /^leases\s+coordination\.k8s\.io\/v1\s+true\s+Lease$/m);
  await c.k(['get', 'po,cm,ns']);
  await c.k(['get', 'all']);
  const legacy = await c.api('GET', '/api/v1');
  assert.ok(legacy.body.resources.some((r: { name: string }) => r.name === 'pods/status'));
});

for (const minor of [27, 28, 29, 30, 31, 33]) {
  test(`kubectl 1.${minor} creates, lists and deletes`, async (t) => {
    if (kubectlBinary(minor) === 'kubectl') {
      t.skip(`kubectl.1.${minor} is not installed`);
      return;
    }
    const name = `v${minor}`;
    await c.k(['create', 'configmap', name, '--from-literal=a=b'], { minor });
    assert.match(await c.k(['get', 'cm', name], { minor }), new RegExp(`^${name}\\s+1\\s+\\d+s$`, 'm'));
    await c.k(['run', `pod${minor}`, '--image=busybox:1.35'], { minor });
    assert.match(await c.k(['get', 'pods', `pod${minor}`], { minor }), /Pending/);
    await c.k(['apply', '-f', '-'], { minor, input: `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ap${minor}}\ndata: {x: "1"}\n` });
    await c.k(['delete', 'cm', name, `ap${minor}`], { minor });
    await c.k(['delete', 'pod', `pod${minor}`], { minor });
  });
}
