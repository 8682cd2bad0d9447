// apps/v1 Deployment and ReplicaSet and core/v1 ReplicationController through the real kubectl (1.33 and
// 1.27), with no controllers running (--disable-controller-manager) so only the API's behaviour shows:
// discovery, defaults, printing, explain, the scale subresource, bad input (422/400 naming the field,
// nothing stored).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TestCluster } from '../helpers/cluster.js';

let c: TestCluster;
before(async () => {
  c = await new TestCluster({ store: 'sqlite', extraArgs: ['--disable-controller-manager'] }).start();
});
after(async () => {
  await c.cleanup();
});

const DEPLOY = '/apis/apps/v1/namespaces/default/deployments';
const RS = '/apis/apps/v1/namespaces/default/replicasets';
const RC = '/api/v1/namespaces/default/replicationcontrollers';

const template = (labels: Record<string, string>, extra: Record<string, unknown> = {}) => ({
  metadata: { labels },
  spec: { containers: [{ name: 'c', image: 'busybox:1.35' }], ...extra },
});

function deployment(name: string, spec: Record<string, unknown> = {}) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: { selector: { matchLabels: { app: name } }, template: template({ app: name }), ...spec },
  };
}

function replicaSet(name: string, spec: Record<string, unknown> = {}) {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name },
    spec: { selector: { matchLabels: { app: name } }, template: template({ app: name }), ...spec },
  };
}

test('api-resources lists deployments, replicasets, replicationcontrollers, statefulsets, daemonsets and controllerrevisions with their short names', async () => {
  for (const minor of [33, 27]) {
    const out = await c.k(['api-resources', '--no-headers'], { minor });
    assert.match(out, /^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m);
    assert.match(out, /^replicasets\s+rs\s+apps\/v1\s+true\s+ReplicaSet$/m);
    assert.match(out, /^replicationcontrollers\s+rc\s+v1\s+true\s+ReplicationController$/m);
    assert.match(out, /^statefulsets\s+sts\s+apps\/v1\s+true\s+StatefulSet$/m);
    assert.match(out, /^daemonsets\s+ds\s+apps\/v1\s+true\s+DaemonSet$/m);
    assert.match(out, /^controllerrevisions\s+apps\/v1\s+true\s+ControllerRevision$/m);
  }
  const cats = await c.k(['api-resources', '--categories=all', '-o', 'name']);
  for (const r of ['deployments.apps', 'replicasets.apps', 'replicationcontrollers']) assert.ok(cats.split('\n').includes(r), cats);
});

test('a Deployment gets upstream defaults; a ReplicaSet and an RC theirs', async () => {
  assert.match(await c.k(['create', 'deployment', 'web', '--image=busybox:1.35']), /deployment.apps\/web created/);
  const d = (await c.api('GET', `${DEPLOY}/web`)).body;
  assert.equal(d.spec.replicas, 1);
  assert.deepEqual(d.spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } });
  assert.equal(d.spec.revisionHistoryLimit, 10);
  assert.equal(d.spec.progressDeadlineSeconds, 600);
  assert.equal(d.metadata.generation, 1);
  assert.deepEqual(d.status, {});
  const ps = d.spec.template.spec;
  assert.equal(ps.restartPolicy, 'Always');
  assert.equal(ps.dnsPolicy, 'ClusterFirst');
  assert.equal(ps.terminationGracePeriodSeconds, 30);
  assert.equal(ps.containers[0].imagePullPolicy, 'IfNotPresent');
  assert.equal(ps.containers[0].terminationMessagePath, '/dev/termination-log');
  // only pods get a service account, a priority and service links (admission and SetDefaults_Pod), not templates
  const podOnly = ['serviceAccountName', 'serviceAccount', 'priority', 'preemptionPolicy', 'enableServiceLinks'];
  for (const k of podOnly) assert.equal(ps[k], undefined, k);

  const rs = await c.api('POST', RS, replicaSet('rs1'));
  assert.equal(rs.status, 201, rs.text);
  assert.equal(rs.body.spec.replicas, 1);

  const rc = await c.api('POST', RC, {
    apiVersion: 'v1',
    kind: 'ReplicationController',
    metadata: { name: 'rc1' },
    spec: { template: template({ app: 'rc1', tier: 'x' }) },
  });
  assert.equal(rc.status, 201, rc.text);
  // the selector and the labels are the template's labels, replicas 1
  assert.deepEqual(rc.body.spec.selector, { app: 'rc1', tier: 'x' });
  assert.deepEqual(rc.body.metadata.labels, { app: 'rc1', tier: 'x' });
  assert.equal(rc.body.spec.replicas, 1);
  for (const k of podOnly) assert.equal(rc.body.spec.template.spec[k], undefined, k);
  assert.match(await c.k(['describe', 'rc', 'rc1']), /^Pod Template:\n {2}Labels:\s+app=rc1\n\s+tier=x\n {2}Containers:/m);
});

test('get deploy,rs,rc prints upstream columns, -o wide adds CONTAINERS IMAGES SELECTOR', async () => {
  for (const minor of [33, 27]) {
    const out = await c.k(['get', 'deploy,rs,rc', '-o', 'wide'], { minor });
    assert.match(out, /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\s+CONTAINERS\s+IMAGES\s+SELECTOR$/m);
    assert.match(out, /^deployment\.apps\/web\s+0\/1\s+0\s+0\s+\S+\s+busybox\s+busybox:1\.35\s+app=web$/m);
    assert.match(out, /^NAME\s+DESIRED\s+CURRENT\s+READY\s+AGE\s+CONTAINERS\s+IMAGES\s+SELECTOR$/m);
    assert.match(out, /^replicaset\.apps\/rs1\s+1\s+0\s+0\s+\S+\s+c\s+busybox:1\.35\s+app=rs1$/m);
    assert.match(out, /^replicationcontroller\/rc1\s+1\s+0\s+0\s+\S+\s+c\s+busybox:1\.35\s+app=rc1,tier=x$/m);
  }
  const plain = await c.k(['get', 'deploy']);
  assert.match(plain, /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE$/m);
});

test('explain deployment.spec.strategy, sts and ds update strategies (1.33 and 1.27)', async () => {
  for (const minor of [33, 27]) {
    const out = await c.k(['explain', 'deployment.spec.strategy'], { minor });
    assert.match(out, /KIND:\s+Deployment/);
    assert.match(out, /rollingUpdate\s+<RollingUpdateDeployment>/);
    assert.match(out, /type\s+<string>/);
    const sts = await c.k(['explain', 'sts.spec.updateStrategy.rollingUpdate'], { minor });
    assert.match(sts, /KIND:\s+StatefulSet/);
    assert.match(sts, /partition\s+<integer>/);
    const ds = await c.k(['explain', 'ds.spec.updateStrategy'], { minor });
    assert.match(ds, /KIND:\s+DaemonSet/);
    assert.match(ds, /rollingUpdate\s+<RollingUpdateDaemonSet>/);
  }
  const ru = await c.k(['explain', 'deployment.spec.strategy.rollingUpdate.maxSurge']);
  assert.match(ru, /FIELD: maxSurge <IntOrString>/);
  assert.match(ru, /rounded up/);
});

test('explain prints int-or-string fields as <IntOrString> and quantities as Quantity (OpenAPI v3), <string> from v2 (1.33 and 1.27)', async () => {
  for (const minor of [33, 27]) {
    const ru = await c.k(['explain', 'deployment.spec.strategy.rollingUpdate'], { minor });
    assert.match(ru, /^ {2}maxSurge\t<IntOrString>$/m);
    assert.match(ru, /^ {2}maxUnavailable\t<IntOrString>$/m);
    assert.match(await c.k(['explain', 'service.spec.ports'], { minor }), /^ {2}targetPort\t<IntOrString>$/m);
    assert.match(await c.k(['explain', 'pod.spec.containers.resources'], { minor }), /^ {2}limits\t<map\[string\]Quantity>$/m);
    // the v2 document publishes them as strings, as upstream's swagger.json
    const v2 = await c.k(['explain', 'deployment.spec.strategy.rollingUpdate', '--output=plaintext-openapiv2'], { minor });
    assert.match(v2, /^ {3}maxSurge\t<string>$/m);
  }
});

test('kubectl scale writes spec.replicas through the scale subresource; generation bumps', async () => {
  assert.match(await c.k(['scale', 'deployment/web', '--replicas=3']), /deployment.apps\/web scaled/);
  const d = (await c.api('GET', `${DEPLOY}/web`)).body;
  assert.equal(d.spec.replicas, 3);
  assert.equal(d.metadata.generation, 2);
  assert.match(await c.k(['scale', 'rs/rs1', '--replicas=0'], { minor: 27 }), /replicaset.apps\/rs1 scaled/);
  assert.equal((await c.api('GET', `${RS}/rs1`)).body.spec.replicas, 0);
  assert.match(await c.k(['scale', 'rc/rc1', '--replicas=2']), /replicationcontroller\/rc1 scaled/);
  assert.equal((await c.api('GET', `${RC}/rc1`)).body.spec.replicas, 2);

  const scale = await c.api('GET', `${DEPLOY}/web/scale`);
  assert.equal(scale.status, 200);
  assert.equal(scale.body.kind, 'Scale');
  assert.equal(scale.body.apiVersion, 'autoscaling/v1');
  assert.deepEqual(scale.body.spec, { replicas: 3 });
  assert.deepEqual(scale.body.status, { replicas: 0, selector: 'app=web' });
  assert.equal((await c.api('GET', `${RC}/rc1/scale`)).body.status.selector, 'app=rc1,tier=x');

  // a stale resourceVersion is a 409; negative replicas a 422 on the Scale
  const stale = await c.api('PUT', `${DEPLOY}/web/scale`, { ...scale.body, metadata: { ...scale.body.metadata, resourceVersion: '1' } });
  assert.equal(stale.status, 409, stale.text);
  const neg = await c.api('PUT', `${DEPLOY}/web/scale`, { ...scale.body, spec: { replicas: -1 } });
  assert.equal(neg.status, 422, neg.text);
  assert.equal(neg.body.details.causes[0].field, 'spec.replicas');
  const bad = await c.kubectl(['scale', 'deployment/web', '--replicas=-2']);
  assert.notEqual(bad.code, 0);
  assert.equal((await c.api('GET', `${DEPLOY}/web`)).body.spec.replicas, 3);

  // scale changes nothing but spec.replicas
  const merge = await c.api(
    'PATCH',
    `${DEPLOY}/web/scale`,
    { spec: { replicas: 4 }, status: { replicas: 9 } },
    { 'Content-Type': 'application/merge-patch+json' },
  );
  assert.equal(merge.status, 200, merge.text);
  assert.equal(merge.body.spec.replicas, 4);
  assert.equal(merge.body.status.replicas, 0);
});

test('status is written only through /status; spec changes bump generation', async () => {
  const cur = (await c.api('GET', `${RS}/rs1`)).body;
  const put = await c.api('PUT', `${RS}/rs1`, { ...cur, status: { replicas: 5 } });
  assert.equal(put.status, 200, put.text);
  assert.deepEqual(put.body.status, {});
  const st = await c.api('PUT', `${RS}/rs1/status`, { ...put.body, status: { replicas: 2, readyReplicas: 1, availableReplicas: 1, observedGeneration: 2 } });
  assert.equal(st.status, 200, st.text);
  assert.equal(st.body.status.replicas, 2);
  const badSt = await c.api('PUT', `${RS}/rs1/status`, { ...st.body, status: { replicas: 1, readyReplicas: 1, availableReplicas: 2 } });
  assert.equal(badSt.status, 422, badSt.text);
});

async function assertInvalid(path: string, body: unknown, field: string, message: RegExp, method = 'POST', code = 422) {
  const r = await c.api(method, path, body);
  assert.equal(r.status, code, r.text);
  assert.equal(r.body.kind, 'Status');
  if (code === 422) {
    assert.equal(r.body.reason, 'Invalid');
    const cause = r.body.details.causes.find((x: { field: string }) => x.field === field);
    assert.ok(cause, `no cause for ${field}: ${r.text}`);
    assert.match(cause.message, message);
  } else assert.match(r.body.message, message);
}

test('bad input is refused naming the field, and nothing is stored', async () => {
  const before = (await c.api('GET', DEPLOY)).body.items.length;
  await assertInvalid(
    DEPLOY,
    deployment('b1', { template: template({ app: 'other' }) }),
    'spec.template.metadata.labels',
    /`selector` does not match template `labels`/,
  );
  await assertInvalid(DEPLOY, deployment('b2', { replicas: -1 }), 'spec.replicas', /must be greater than or equal to 0/);
  await assertInvalid(
    DEPLOY,
    deployment('b3', { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: '0%' } } }),
    'spec.strategy.rollingUpdate.maxUnavailable',
    /may not be 0 when `maxSurge` is 0/,
  );
  await assertInvalid(
    DEPLOY,
    deployment('b4', { strategy: { rollingUpdate: { maxSurge: '30x' } } }),
    'spec.strategy.rollingUpdate.maxSurge',
    /valid percent string/,
  );
  await assertInvalid(
    DEPLOY,
    deployment('b5', { minReadySeconds: 10, progressDeadlineSeconds: 10 }),
    'spec.progressDeadlineSeconds',
    /must be greater than minReadySeconds/,
  );
  await assertInvalid(
    DEPLOY,
    deployment('b6', { template: template({ app: 'b6' }, { restartPolicy: 'Never' }) }),
    'spec.template.spec.restartPolicy',
    /supported values: "Always"/,
  );
  await assertInvalid(
    DEPLOY,
    deployment('b7', { strategy: { type: 'Recreate', rollingUpdate: { maxSurge: 1 } } }),
    'spec.strategy.rollingUpdate',
    /may not be specified/,
  );
  await assertInvalid(DEPLOY, { ...deployment('b8'), spec: { template: template({ app: 'b8' }) } }, 'spec.selector', /Required value/);
  await assertInvalid(DEPLOY, deployment('b9', { selector: {} }), 'spec.selector', /empty selector is invalid/);
  await assertInvalid(DEPLOY, deployment('b10', { revisionHistoryLimit: -1 }), 'spec.revisionHistoryLimit', /greater than or equal to 0/);
  await assertInvalid(RS, replicaSet('b11', { replicas: -3 }), 'spec.replicas', /greater than or equal to 0/);
  await assertInvalid(
    RC,
    { apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'b12' }, spec: { selector: { app: 'x' }, template: template({ app: 'y' }) } },
    'spec.template.metadata.labels',
    /selector does not match template labels/,
  );
  // unknown field under Strict: 400
  const strict = await c.api('POST', `${DEPLOY}?fieldValidation=Strict`, deployment('b13', { replicaz: 2 }));
  assert.equal(strict.status, 400, strict.text);
  assert.match(strict.body.message, /unknown field "spec.replicaz"/);
  // kubectl says the same through its own validation
  const k = await c.kubectl(['create', '-f', '-'], { input: JSON.stringify(deployment('b14', { replicas: -1 })) });
  assert.notEqual(k.code, 0);
  assert.match(k.stderr, /spec\.replicas: Invalid value: -1: must be greater than or equal to 0/);

  assert.equal((await c.api('GET', DEPLOY)).body.items.length, before);
  assert.equal((await c.api('GET', `${RS}/b11`)).status, 404);
  assert.equal((await c.api('GET', `${RC}/b12`)).status, 404);

  // the selector is immutable in apps/v1 (RC's is not)
  const cur = (await c.api('GET', `${DEPLOY}/web`)).body;
  await assertInvalid(
    `${DEPLOY}/web`,
    { ...cur, spec: { ...cur.spec, selector: { matchLabels: { app: 'web', x: 'y' } }, template: template({ app: 'web', x: 'y' }) } },
    'spec.selector',
    /field is immutable/,
    'PUT',
  );
  const patch = await c.kubectl(['patch', 'deployment', 'web', '-p', '{"spec":{"selector":{"matchLabels":{"app":"zz"}}}}']);
  assert.notEqual(patch.code, 0);
  assert.equal((await c.api('GET', `${DEPLOY}/web`)).body.spec.selector.matchLabels.app, 'web');
});

test('apply of a Deployment and re-apply with a change (1.33 and 1.27)', async () => {
  for (const minor of [33, 27]) {
    const name = `ap${minor}`;
    const d = deployment(name, { replicas: 2 });
    assert.match(await c.k(['apply', '-f', '-'], { input: JSON.stringify(d), minor }), new RegExp(`deployment.apps/${name} created`));
    const changed = deployment(name, { replicas: 2, template: { ...template({ app: name }), spec: { containers: [{ name: 'c', image: 'busybox:1.36' }] } } });
    assert.match(await c.k(['apply', '-f', '-'], { input: JSON.stringify(changed), minor }), new RegExp(`deployment.apps/${name} configured`));
    const got = (await c.api('GET', `${DEPLOY}/${name}`)).body;
    assert.equal(got.spec.template.spec.containers[0].image, 'busybox:1.36');
    assert.equal(got.spec.template.spec.containers.length, 1);
    assert.equal(got.metadata.generation, 2);
    const ss = await c.k(['apply', '--server-side', '--force-conflicts', '-f', '-'], {
      input: JSON.stringify({ ...changed, spec: { ...changed.spec, replicas: 5 } }),
      minor,
    });
    assert.match(ss, /serverside-applied/);
    assert.equal((await c.api('GET', `${DEPLOY}/${name}`)).body.spec.replicas, 5);
  }
});
