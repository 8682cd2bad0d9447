// Validation and defaulting of rbac.authorization.k8s.io/v1 kinds against upstream's messages and field paths.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setDefaultsRoleBinding } from '../../../src/api/rbac/v1/defaults.js';
import * as v from '../../../src/api/rbac/v1/validation.js';
import type { ClusterRole, RoleBinding } from '../../../src/api/rbac/v1/types.js';

const fields = (causes: { field?: string; message?: string }[]) => causes.map((c) => `${c.field}: ${c.message}`);

test('a rule needs verbs and either apiGroups+resources or nonResourceURLs (cluster roles only)', () => {
  assert.deepEqual(fields(v.validatePolicyRule({ verbs: [] }, true, 'rules[0]')), [
    'rules[0].verbs: Required value: verbs must contain at least one value',
    'rules[0].apiGroups: Required value: resource rules must supply at least one api group',
    'rules[0].resources: Required value: resource rules must supply at least one resource',
  ]);
  assert.deepEqual(v.validatePolicyRule({ verbs: ['get'], nonResourceURLs: ['/healthz'] }, false, 'r'), []);
  assert.deepEqual(fields(v.validatePolicyRule({ verbs: ['get'], nonResourceURLs: ['/x'], resources: ['pods'] }, true, 'r')), [
    'r.nonResourceURLs: Invalid value: ["/x"]: namespaced rules cannot apply to non-resource URLs',
    'r.nonResourceURLs: Invalid value: ["/x"]: rules cannot apply to both regular resources and non-resource URLs',
  ]);
  assert.deepEqual(v.validatePolicyRule({ verbs: ['*'], apiGroups: [''], resources: ['pods/log'] }, true, 'r'), []);
});

test('names are path segments; an aggregationRule needs a selector', () => {
  const role: ClusterRole = { metadata: { name: 'system:a/b' }, aggregationRule: { clusterRoleSelectors: [] } };
  assert.deepEqual(fields(v.validateClusterRole(role)), [
    `metadata.name: Invalid value: "system:a/b": may not contain '/'`,
    'aggregationRule.clusterRoleSelectors: Required value: at least one clusterRoleSelector required if aggregationRule is non-nil',
  ]);
  assert.deepEqual(v.validateClusterRole({ metadata: { name: 'system:ok' }, aggregationRule: { clusterRoleSelectors: [{ matchLabels: { a: 'b' } }] } }), []);
});

test('bindings: defaults fill apiGroups; roleRef kinds, subjects and immutability as upstream', () => {
  const b: RoleBinding = {
    metadata: { name: 'rb', namespace: 'dev' },
    roleRef: { apiGroup: '', kind: 'ClusterRole', name: 'view' },
    subjects: [
      { kind: 'User', name: 'jane' },
      { kind: 'ServiceAccount', name: 'default' },
    ],
  };
  setDefaultsRoleBinding(b);
  assert.equal(b.roleRef.apiGroup, 'rbac.authorization.k8s.io');
  assert.equal(b.subjects![0].apiGroup, 'rbac.authorization.k8s.io');
  assert.equal(b.subjects![1].apiGroup, '');
  assert.deepEqual(v.validateRoleBinding(b), []);
  // a ClusterRoleBinding's ServiceAccount needs a namespace, and it can only reference a ClusterRole
  const crb: RoleBinding = {
    metadata: { name: 'c' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'x' },
    subjects: [b.subjects![1], { kind: 'Robot', name: 'r' }],
  };
  assert.deepEqual(fields(v.validateClusterRoleBinding(crb)), [
    'roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"',
    'subjects[0].namespace: Required value',
    'subjects[1].kind: Unsupported value: "Robot": supported values: "ServiceAccount", "User", "Group"',
  ]);
  const changed = structuredClone(b);
  changed.roleRef.name = 'edit';
  assert.deepEqual(fields(v.validateRoleBindingUpdate(changed, b)), [
    'roleRef: Invalid value: "{APIGroup:rbac.authorization.k8s.io Kind:ClusterRole Name:edit}": cannot change roleRef',
  ]);
  const badGroup: RoleBinding = { metadata: { name: 'g', namespace: 'dev' }, roleRef: b.roleRef, subjects: [{ kind: 'Group', apiGroup: 'x', name: 'g' }] };
  assert.deepEqual(fields(v.validateRoleBinding(badGroup)), ['subjects[0].apiGroup: Unsupported value: "x": supported values: "rbac.authorization.k8s.io"']);
});
