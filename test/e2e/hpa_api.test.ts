// HorizontalPodAutoscaler through the real kubectl without a node: autoscaling/v2 and v1 served from one
// stored object, defaults, validation as 422 with field causes, the printer, short name, explain, describe.
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

const V2 = `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 2
  maxReplicas: 5
  metrics:
  - type: Resource
    resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}
  behavior:
    scaleDown: {stabilizationWindowSeconds: 10}
`;

test('an autoscaling/v2 HPA: defaults, table, short name, v1 view of the same object', async () => {
  await c.k(['apply', '-f', '-'], { input: V2 });
  const got = JSON.parse(await c.k(['get', 'hpa', 'web', '-o', 'json']));
  assert.equal(got.apiVersion, 'autoscaling/v2');
  assert.deepEqual(got.spec.behavior.scaleUp.policies, [
    { type: 'Pods', value: 4, periodSeconds: 15 },
    { type: 'Percent', value: 100, periodSeconds: 15 },
  ]);
  assert.equal(got.spec.behavior.scaleDown.stabilizationWindowSeconds, 10);
  for (const minor of [33, 27]) {
    const table = (await c.kubectl(['get', 'horizontalpodautoscalers'], { minor })).stdout;
    assert.match(table, /^NAME\s+REFERENCE\s+TARGETS\s+MINPODS\s+MAXPODS\s+REPLICAS\s+AGE$/m);
    assert.match(table, /^web\s+Deployment\/web\s+cpu: <unknown>\/50%\s+2\s+5\s+0\s+\d+s$/m);
  }
  const v1 = await c.api('GET', '/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers/web');
  assert.equal(v1.status, 200);
  assert.equal(v1.body.apiVersion, 'autoscaling/v1');
  assert.equal(v1.body.spec.targetCPUUtilizationPercentage, 50);
  assert.ok(v1.body.metadata.annotations['autoscaling.alpha.kubernetes.io/behavior']);
  const all = await c.k(['get', 'all']);
  assert.match(all, /horizontalpodautoscaler\.autoscaling\/web/);
});

test('an autoscaling/v1 HPA is stored once and read in v2', async () => {
  const r = await c.api('POST', '/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers', {
    apiVersion: 'autoscaling/v1',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'old' },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'old' }, maxReplicas: 3, targetCPUUtilizationPercentage: 60 },
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.spec.minReplicas, 1);
  const v2 = JSON.parse(await c.k(['get', 'hpa.v2.autoscaling', 'old', '-o', 'json']));
  assert.deepEqual(v2.spec.metrics, [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } }]);
  const list = await c.api('GET', '/apis/autoscaling/v1/horizontalpodautoscalers');
  assert.deepEqual(list.body.items.map((i: { metadata: { name: string } }) => i.metadata.name).sort(), ['old', 'web']);
  assert.ok(list.body.items.every((i: { apiVersion: string }) => i.apiVersion === 'autoscaling/v1'));
});

test('bad HPAs are 422 Invalid naming the field, and nothing is stored', async () => {
  const bad = V2.replace('name: web}', 'name: bad}').replace('minReplicas: 2', 'minReplicas: 7');
  const r = await c.kubectl(['apply', '-f', '-'], { input: bad });
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /spec\.maxReplicas: Invalid value: 5: must be greater than or equal to `minReplicas`/);
  const neg = await c.kubectl(['apply', '-f', '-'], {
    input: V2.replace('name: web}', 'name: bad}').replace('averageUtilization: 50', 'averageUtilization: -1'),
  });
  assert.match(neg.stderr, /spec\.metrics\[0\]\.resource\.target\.averageUtilization: Invalid value: -1: must be greater than 0/);
  const unknown = await c.kubectl(['apply', '-f', '-'], {
    input: V2.replace('name: web}', 'name: bad}').replace('maxReplicas: 5', 'maxReplicas: 5\n  maxReplica: 5'),
  });
  assert.match(unknown.stderr, /unknown field "spec.maxReplica"/);
  const get = await c.kubectl(['get', 'hpa', 'bad']);
  assert.match(get.stderr, /NotFound|not found/);
});

test('explain, describe and api-resources know the kind', async () => {
  const ex = await c.k(['explain', 'hpa.spec.behavior.scaleDown']);
  assert.match(ex, /stabilizationWindowSeconds/);
  const d = await c.k(['describe', 'hpa', 'web']);
  assert.match(d, /^Reference:\s+Deployment\/web$/m);
  assert.match(d, /^Min replicas:\s+2$/m);
  assert.match(d, /^Max replicas:\s+5$/m);
  const ar = await c.k(['api-resources', '--api-group=autoscaling', '--no-headers']);
  assert.match(ar, /^horizontalpodautoscalers\s+hpa\s+autoscaling\/v2\s+true\s+HorizontalPodAutoscaler$/m);
});
