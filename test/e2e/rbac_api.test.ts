// rbac.authorization.k8s.io/v1 through the real kubectl: create role|clusterrole|rolebinding|clusterrolebinding,
// get (-o wide: ROLE, USERS, GROUPS, SERVICEACCOUNTS), describe, explain, roleRef immutability, auth reconcile.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TestCluster } from '../helpers/cluster.js';

let c: TestCluster;
before(async () => {
  c = await new TestCluster({ store: 'memory', agent: false }).start();
  await c.k(['create', 'namespace', 'dev']);
});
after(async () => {
  await c.cleanup();
});

test('kubectl create and get the four RBAC kinds, with upstream columns', async () => {
  await c.k(['create', 'clusterrole', 'pod-reader', '--verb=get,list,watch', '--resource=pods,pods/log']);
  await c.k(['create', 'role', 'cm-editor', '-n', 'dev', '--verb=get,update', '--resource=configmaps', '--resource-name=app']);
  await c.k(['create', 'rolebinding', 'readers', '-n', 'dev', '--clusterrole=pod-reader', '--user=jane', '--group=devs', '--serviceaccount=dev:robot']);
  await c.k(['create', 'clusterrolebinding', 'read-all', '--clusterrole=pod-reader', '--group=auditors']);
  const wide = await c.k(['get', 'rolebinding', 'readers', '-n', 'dev', '-o', 'wide']);
  assert.match(wide, /^NAME\s+ROLE\s+AGE\s+USERS\s+GROUPS\s+SERVICEACCOUNTS$/m);
  assert.match(wide, /^readers\s+ClusterRole\/pod-reader\s+\d+s\s+jane\s+devs\s+dev\/robot$/m);
  const crb = await c.k(['get', 'clusterrolebinding', 'read-all']);
  assert.match(crb, /^NAME\s+ROLE\s+AGE$/m);
  assert.match(crb, /^read-all\s+ClusterRole\/pod-reader\s+\d+s$/m);
  const roles = await c.k(['get', 'role', '-n', 'dev']);
  assert.match(roles, /^NAME\s+CREATED AT$/m);
  assert.match(roles, /^cm-editor\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/m);
  const desc = await c.k(['describe', 'clusterrole', 'pod-reader']);
  assert.match(desc, /pods\/log\s+\[\]\s+\[\]\s+\[get list watch\]/);
  const rbDesc = await c.k(['describe', 'rolebinding', 'readers', '-n', 'dev']);
  assert.match(rbDesc, /ServiceAccount\s+robot\s+dev/);
  const explain = await c.k(['explain', 'clusterrole.aggregationRule']);
  assert.match(explain, /clusterRoleSelectors/);
});

test('roleRef cannot change; bad subjects and rules are 422 with upstream causes', async () => {
  await c.k(['create', 'rolebinding', 'rr', '-n', 'dev', '--clusterrole=view', '--user=u']);
  const r = await c.kubectl(['patch', 'rolebinding', 'rr', '-n', 'dev', '--type=merge', '-p', '{"roleRef":{"name":"edit"}}']);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /roleRef: Invalid value: "\{APIGroup:rbac.authorization.k8s.io Kind:ClusterRole Name:edit\}": cannot change roleRef/);
  const bad = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: { name: 'bad', namespace: 'dev' },
    rules: [{ verbs: ['get'], nonResourceURLs: ['/healthz'] }],
  };
  const res = await c.kubectl(['create', '-f', '-'], { input: JSON.stringify(bad) });
  assert.notEqual(res.code, 0);
  assert.match(
    res.stderr,
    /rules\[0\]\.nonResourceURLs: Invalid value: \[\]string\{"\/healthz"\}: namespaced rules cannot apply to non-resource URLs|rules\[0\]\.nonResourceURLs: Invalid value: \["\/healthz"\]: namespaced rules cannot apply to non-resource URLs/,
  );
});

test('kubectl auth reconcile creates, then adds missing rules without removing others', async () => {
  const role = (verbs: string[]) =>
    JSON.stringify({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'reconciled' },
      rules: [{ apiGroups: [''], resources: ['secrets'], verbs }],
    });
  const first = await c.k(['auth', 'reconcile', '-f', '-'], { input: role(['get']) });
  assert.match(first, /clusterrole.rbac.authorization.k8s.io\/reconciled reconciled/);
  await c.k(['auth', 'reconcile', '-f', '-'], { input: role(['list']) });
  const got = JSON.parse(await c.k(['get', 'clusterrole', 'reconciled', '-o', 'json']));
  const verbs = got.rules.flatMap((r: { verbs: string[] }) => r.verbs).sort();
  assert.deepEqual(verbs, ['get', 'list']);
});
