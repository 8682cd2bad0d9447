// PriorityClass and pod priority through the real kubectl without a node: the built-in system classes, the
// printer (NAME VALUE GLOBAL-DEFAULT AGE PREEMPTIONPOLICY), validation (422/403 with upstream's messages), the
// Priority admission plugin (class → spec.priority/preemptionPolicy, global default, unknown class → 403), and
// the pod validation of topology spread and affinity (422 naming the field).
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

const pod = (name: string, extra = '') => `apiVersion: v1
kind: Pod
metadata: {name: ${name}}
spec:
  containers: [{name: c, image: busybox}]
${extra}`;

test('system classes exist, print as upstream, and cannot be deleted', async () => {
  for (const minor of [33, 27]) {
    const out = (await c.kubectl(['get', 'priorityclasses'], { minor })).stdout;
    assert.match(out, /^NAME\s+VALUE\s+GLOBAL-DEFAULT\s+AGE\s+PREEMPTIONPOLICY$/m);
    assert.match(out, /^system-cluster-critical\s+2000000000\s+false\s+\S+\s+PreemptLowerPriority$/m);
    assert.match(out, /^system-node-critical\s+2000001000\s+false\s+\S+\s+PreemptLowerPriority$/m);
  }
  const del = await c.kubectl(['delete', 'pc', 'system-node-critical']);
  assert.notEqual(del.code, 0);
  assert.match(del.stderr, /priorityclasses.scheduling.k8s.io "system-node-critical" is forbidden: this is a system priority class and cannot be deleted/);
});

test('PriorityClass validation: reserved names, the user maximum, immutable value, one global default', async () => {
  const pc = (name: string, value: number, extra = '') =>
    `apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {name: ${name}}\nvalue: ${value}\n${extra}`;
  let r = await c.kubectl(['create', '-f', '-'], { input: pc('system-mine', 5) });
  assert.match(
    r.stderr,
    /metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: system-mine is not a known system priority class/,
  );
  r = await c.kubectl(['create', '-f', '-'], { input: pc('too-high', 1_000_000_001) });
  assert.match(r.stderr, /value: Forbidden: maximum allowed value of a user defined priority is 1000000000/);
  r = await c.kubectl(['create', '-f', '-'], { input: pc('bad-policy', 5, 'preemptionPolicy: Sometimes') });
  assert.match(r.stderr, /preemptionPolicy: Unsupported value: "Sometimes"/);
  await c.k(['create', '-f', '-'], { input: pc('high', 1000, 'description: important') });
  r = await c.kubectl(['patch', 'pc', 'high', '--type=merge', '-p', '{"value":5}']);
  assert.match(r.stderr, /value: Forbidden: may not be changed in an update/);
  await c.k(['create', '-f', '-'], { input: pc('default-low', 10, 'globalDefault: true\npreemptionPolicy: Never') });
  r = await c.kubectl(['create', '-f', '-'], { input: pc('another-default', 20, 'globalDefault: true') });
  assert.match(r.stderr, /PriorityClass default-low is already marked as default. Only one default can exist/);
  const out = await c.k(['get', 'pc', 'default-low', 'high']);
  assert.match(out, /^default-low\s+10\s+true\s+\S+\s+Never$/m);
  assert.match(out, /^high\s+1000\s+false\s+\S+\s+PreemptLowerPriority$/m);
});

test('the Priority admission plugin resolves a pod’s class, the global default, and refuses unknown classes', async () => {
  await c.k(['create', '-f', '-'], { input: pod('p-high', '  priorityClassName: high') });
  let got = JSON.parse(await c.k(['get', 'pod', 'p-high', '-o', 'json']));
  assert.equal(got.spec.priority, 1000);
  assert.equal(got.spec.preemptionPolicy, 'PreemptLowerPriority');
  await c.k(['create', '-f', '-'], { input: pod('p-default') });
  got = JSON.parse(await c.k(['get', 'pod', 'p-default', '-o', 'json']));
  assert.equal(got.spec.priorityClassName, 'default-low');
  assert.equal(got.spec.priority, 10);
  assert.equal(got.spec.preemptionPolicy, 'Never');
  await c.k(['create', '-f', '-'], { input: pod('p-critical', '  priorityClassName: system-cluster-critical') });
  got = JSON.parse(await c.k(['get', 'pod', 'p-critical', '-o', 'json']));
  assert.equal(got.spec.priority, 2000000000);
  let r = await c.kubectl(['create', '-f', '-'], { input: pod('p-none', '  priorityClassName: nope') });
  assert.match(r.stderr, /pods "p-none" is forbidden: no PriorityClass with name nope was found/);
  r = await c.kubectl(['create', '-f', '-'], { input: pod('p-prio', '  priorityClassName: high\n  priority: 7') });
  assert.match(
    r.stderr,
    /the integer value of priority \(7\) must not be provided in pod spec; priority admission controller computed 1000 from the given PriorityClass name/,
  );
  await c.k(['delete', 'pc', 'default-low']);
  await c.k(['create', '-f', '-'], { input: pod('p-zero') });
  got = JSON.parse(await c.k(['get', 'pod', 'p-zero', '-o', 'json']));
  assert.equal(got.spec.priority, 0);
  assert.equal(got.spec.priorityClassName, undefined);
});

test('invalid topology spread and affinity: 422 naming the field', async () => {
  const spread = (c1: string) => pod('bad', `  topologySpreadConstraints:\n  - ${c1}`);
  let r = await c.kubectl(['create', '-f', '-'], {
    input: spread('{maxSkew: 0, topologyKey: zone, whenUnsatisfiable: DoNotSchedule, labelSelector: {matchLabels: {a: b}}}'),
  });
  assert.match(r.stderr, /spec.topologySpreadConstraints\[0\].maxSkew: Invalid value: 0: must be greater than zero/);
  r = await c.kubectl(['create', '-f', '-'], { input: spread('{maxSkew: 1, topologyKey: zone, whenUnsatisfiable: Sometimes}') });
  assert.match(
    r.stderr,
    /spec.topologySpreadConstraints\[0\].whenUnsatisfiable: Unsupported value: "Sometimes": supported values: "DoNotSchedule", "ScheduleAnyway"/,
  );
  r = await c.kubectl(['create', '-f', '-'], { input: spread('{maxSkew: 1, topologyKey: zone, whenUnsatisfiable: ScheduleAnyway, minDomains: 2}') });
  assert.match(
    r.stderr,
    /spec.topologySpreadConstraints\[0\].minDomains: Invalid value: 2: can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ScheduleAnyway/,
  );
  r = await c.kubectl(['create', '-f', '-'], {
    input: pod(
      'bad',
      '  affinity:\n    nodeAffinity:\n      requiredDuringSchedulingIgnoredDuringExecution:\n        nodeSelectorTerms: [{matchExpressions: [{key: disk, operator: Near, values: [ssd]}]}]',
    ),
  });
  assert.match(
    r.stderr,
    /spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms\[0\].matchExpressions\[0\].operator: Invalid value: "Near": not a valid selector operator/,
  );
  r = await c.kubectl(['create', '-f', '-'], {
    input: pod(
      'bad',
      '  affinity:\n    podAntiAffinity:\n      requiredDuringSchedulingIgnoredDuringExecution:\n      - {topologyKey: zone, labelSelector: {matchExpressions: [{key: app, operator: Equals, values: [x]}]}}',
    ),
  });
  assert.match(
    r.stderr,
    /spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution\[0\].labelSelector.matchExpressions\[0\].operator: Invalid value: "Equals": not a valid selector operator/,
  );
  const none = await c.kubectl(['get', 'pod', 'bad']);
  assert.notEqual(none.code, 0, 'nothing was created');
});
