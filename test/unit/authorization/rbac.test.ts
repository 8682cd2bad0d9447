// RBAC as upstream decides it: rule matching (verbs, groups, resource/subresource and */subresource, names,
// non-resource URL prefixes), bindings by user, group and service account, RoleBinding to a ClusterRole, the
// reasons given, rules listing, coverage (escalation checks), aggregation and the bootstrap reconciliation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryStorage } from '../../../src/storage/memory.js';
import type { KubeObject } from '../../../src/api/types.js';
import type { AuthorizationAttributes } from '../../../src/apiserver/filters/authorization.js';
import type { UserInfo } from '../../../src/apiserver/filters/user.js';
import { ruleAllows } from '../../../src/apiserver/authorization/rbac/rule_match.js';
import { PolicyCache } from '../../../src/apiserver/authorization/rbac/policy_cache.js';
import { RBACAuthorizer } from '../../../src/apiserver/authorization/rbac/rbac_authorizer.js';
import { escalationError } from '../../../src/apiserver/authorization/rbac/escalation.js';
import { covers, compactString } from '../../../src/api/rbac/v1/covers.js';
import { aggregatedRules } from '../../../src/api/rbac/v1/aggregation.js';
import type { ClusterRole } from '../../../src/api/rbac/v1/types.js';

const user = (name: string, groups: string[] = ['system:authenticated']): UserInfo => ({ name, uid: '', groups, extra: {} });
function attrs(u: UserInfo, verb: string, resource: string, o: Partial<AuthorizationAttributes> = {}): AuthorizationAttributes {
  return { user: u, verb, isResourceRequest: true, path: '', namespace: '', apiGroup: '', apiVersion: 'v1', resource, subresource: '', name: '', ...o };
}

test('rule matching: verbs, groups, subresources, */subresource, resourceNames, URL prefixes', () => {
  const jane = user('jane');
  const r = { verbs: ['get', 'list'], apiGroups: [''], resources: ['pods', 'pods/log'] };
  assert.equal(ruleAllows(attrs(jane, 'get', 'pods'), r), true);
  assert.equal(ruleAllows(attrs(jane, 'get', 'pods', { subresource: 'log' }), r), true);
  assert.equal(ruleAllows(attrs(jane, 'get', 'pods', { subresource: 'exec' }), r), false);
  assert.equal(ruleAllows(attrs(jane, 'delete', 'pods'), r), false);
  assert.equal(ruleAllows(attrs(jane, 'get', 'pods', { apiGroup: 'apps' }), r), false);
  assert.equal(
    ruleAllows(attrs(jane, 'get', 'deployments', { apiGroup: 'apps', subresource: 'scale' }), { verbs: ['*'], apiGroups: ['*'], resources: ['*/scale'] }),
    true,
  );
  assert.equal(ruleAllows(attrs(jane, 'get', 'deployments', { apiGroup: 'apps' }), { verbs: ['*'], apiGroups: ['*'], resources: ['*/scale'] }), false);
  const named = { verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['app'] };
  assert.equal(ruleAllows(attrs(jane, 'get', 'configmaps', { name: 'app' }), named), true);
  assert.equal(ruleAllows(attrs(jane, 'get', 'configmaps', { name: 'other' }), named), false);
  assert.equal(ruleAllows(attrs(jane, 'list', 'configmaps'), { ...named, verbs: ['list'] }), false);
  const url = { verbs: ['get'], nonResourceURLs: ['/healthz', '/apis/*'] };
  const nr = (path: string, verb = 'get') => ({ ...attrs(jane, verb, ''), isResourceRequest: false, path });
  assert.equal(ruleAllows(nr('/healthz'), url), true);
  assert.equal(ruleAllows(nr('/healthz/etcd'), url), false);
  assert.equal(ruleAllows(nr('/apis/apps/v1'), url), true);
  assert.equal(ruleAllows(nr('/apis'), url), false);
  assert.equal(ruleAllows(nr('/healthz', 'post'), url), false);
});

async function policy(objects: { prefix: string; obj: KubeObject }[]) {
  const storage = new MemoryStorage();
  for (const { prefix, obj } of objects) {
    const key = `/registry/rbac.authorization.k8s.io/${prefix}/${obj.metadata.namespace ? obj.metadata.namespace + '/' : ''}${obj.metadata.name}`;
    await storage.create(key, obj);
  }
  const cache = new PolicyCache(storage);
  await cache.start();
  return { storage, cache, rbac: new RBACAuthorizer(cache) };
}

const G = 'rbac.authorization.k8s.io';
const view: KubeObject = { metadata: { name: 'view' }, rules: [{ verbs: ['get', 'list', 'watch'], apiGroups: [''], resources: ['pods', 'configmaps'] }] };
const rb = (name: string, ns: string, kind: string, role: string, subjects: unknown[]): KubeObject => ({
  metadata: { name, namespace: ns || undefined },
  roleRef: { apiGroup: G, kind, name: role },
  subjects,
});

test('bindings apply by user, group and service account; a RoleBinding to a ClusterRole grants it only in its namespace', async () => {
  const { rbac, storage, cache } = await policy([
    { prefix: 'clusterroles', obj: view },
    { prefix: 'rolebindings', obj: rb('jane-view', 'dev', 'ClusterRole', 'view', [{ kind: 'User', apiGroup: G, name: 'jane' }]) },
    { prefix: 'clusterrolebindings', obj: rb('auditors', '', 'ClusterRole', 'view', [{ kind: 'Group', apiGroup: G, name: 'auditors' }]) },
    { prefix: 'rolebindings', obj: rb('robot', 'dev', 'ClusterRole', 'view', [{ kind: 'ServiceAccount', name: 'robot' }]) },
  ]);
  const jane = user('jane');
  assert.deepEqual(rbac.decide(attrs(jane, 'list', 'pods', { namespace: 'dev' })), {
    decision: 'Allow',
    reason: 'RBAC: allowed by RoleBinding "jane-view/dev" of ClusterRole "view" to User "jane"',
  });
  assert.deepEqual(rbac.decide(attrs(jane, 'list', 'pods', { namespace: 'default' })), { decision: 'NoOpinion', reason: '' });
  assert.equal(rbac.decide(attrs(jane, 'delete', 'pods', { namespace: 'dev' })).decision, 'NoOpinion');
  assert.equal(rbac.decide(attrs(user('x', ['auditors']), 'list', 'pods')).decision, 'Allow');
  // a ServiceAccount subject without a namespace means the binding's
  const sa = user('system:serviceaccount:dev:robot', ['system:serviceaccounts', 'system:serviceaccounts:dev']);
  assert.deepEqual(rbac.decide(attrs(sa, 'get', 'configmaps', { namespace: 'dev' })), {
    decision: 'Allow',
    reason: 'RBAC: allowed by RoleBinding "robot/dev" of ClusterRole "view" to ServiceAccount "robot/dev"',
  });
  assert.equal(rbac.decide(attrs(user('system:serviceaccount:other:robot'), 'get', 'configmaps', { namespace: 'dev' })).decision, 'NoOpinion');
  // the watch keeps the cache current: removing the binding revokes at once
  await storage.delete('/registry/rbac.authorization.k8s.io/rolebindings/dev/jane-view');
  await new Promise((r) => setImmediate(r));
  assert.equal(rbac.decide(attrs(jane, 'list', 'pods', { namespace: 'dev' })).decision, 'NoOpinion');
  cache.stop();
});

test('a binding to a missing role is reported as upstream; rulesFor lists what applies', async () => {
  const { rbac, cache } = await policy([
    { prefix: 'clusterroles', obj: view },
    { prefix: 'rolebindings', obj: rb('a', 'dev', 'Role', 'gone', [{ kind: 'User', apiGroup: G, name: 'jane' }]) },
    { prefix: 'rolebindings', obj: rb('b', 'dev', 'ClusterRole', 'view', [{ kind: 'User', apiGroup: G, name: 'jane' }]) },
  ]);
  const jane = user('jane');
  assert.deepEqual(rbac.decide(attrs(jane, 'delete', 'pods', { namespace: 'dev' })), {
    decision: 'NoOpinion',
    reason: 'RBAC: role.rbac.authorization.k8s.io "gone" not found',
  });
  const info = rbac.rulesFor(jane, 'dev');
  assert.deepEqual(info.resourceRules, [{ verbs: ['get', 'list', 'watch'], apiGroups: [''], resources: ['pods', 'configmaps'] }]);
  assert.equal(info.incomplete, true);
  assert.equal(info.evaluationError, 'role.rbac.authorization.k8s.io "gone" not found');
  cache.stop();
});

test('coverage and the escalation message name exactly the rules not held', async () => {
  const owner = [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods', '*/status'] }];
  assert.equal(covers(owner, [{ verbs: ['get'], apiGroups: [''], resources: ['pods', 'nodes/status'] }]).covered, true);
  assert.equal(covers(owner, [{ verbs: ['get'], apiGroups: [''], resources: ['pods'], resourceNames: ['a'] }]).covered, true);
  assert.equal(covers([{ ...owner[0], resourceNames: ['a'] }], [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }]).covered, false);
  assert.equal(covers([{ verbs: ['get'], nonResourceURLs: ['/apis/*'] }], [{ verbs: ['get'], nonResourceURLs: ['/apis/apps'] }]).covered, true);
  assert.equal(
    compactString({ verbs: ['get', 'list'], apiGroups: ['apps'], resources: ['deployments'] }),
    '{APIGroups:["apps"], Resources:["deployments"], Verbs:["get" "list"]}',
  );
  const { rbac, cache } = await policy([
    { prefix: 'clusterroles', obj: view },
    { prefix: 'rolebindings', obj: rb('b', 'dev', 'ClusterRole', 'view', [{ kind: 'User', apiGroup: G, name: 'jane' }]) },
  ]);
  const jane = user('jane');
  assert.equal(escalationError(rbac, jane, 'dev', [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }]), undefined);
  assert.equal(
    escalationError(rbac, jane, 'dev', [{ verbs: ['get', 'delete', 'create'], apiGroups: [''], resources: ['pods', 'secrets'] }]),
    'user "jane" (groups=["system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n' +
      '{APIGroups:[""], Resources:["pods"], Verbs:["delete" "create"]}\n' +
      '{APIGroups:[""], Resources:["secrets"], Verbs:["get" "delete" "create"]}',
  );
  // held in dev only, not cluster-wide
  assert.match(escalationError(rbac, jane, '', [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }]) ?? '', /not currently held/);
  cache.stop();
});

test('aggregation: selected roles by label, selector by selector in name order, each rule once, never itself', () => {
  const agg: ClusterRole = {
    metadata: { name: 'agg', labels: { x: 'true' } },
    aggregationRule: { clusterRoleSelectors: [{ matchLabels: { x: 'true' } }, { matchLabels: { y: 'true' } }] },
    rules: [{ verbs: ['stale'], apiGroups: [''], resources: ['x'] }],
  };
  const b: ClusterRole = { metadata: { name: 'b', labels: { x: 'true' } }, rules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }] };
  const a: ClusterRole = {
    metadata: { name: 'a', labels: { x: 'true', y: 'true' } },
    rules: [
      { verbs: ['list'], apiGroups: [''], resources: ['pods'] },
      { verbs: ['get'], apiGroups: [''], resources: ['pods'] },
    ],
  };
  const c: ClusterRole = { metadata: { name: 'c', labels: { y: 'true' } }, rules: [{ verbs: ['watch'], apiGroups: [''], resources: ['pods'] }] };
  const other: ClusterRole = { metadata: { name: 'd' }, rules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }] };
  assert.deepEqual(
    aggregatedRules(agg, [agg, c, b, a, other]).map((r) => r.verbs[0]),
    ['list', 'get', 'watch'],
  );
});
