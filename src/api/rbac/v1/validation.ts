// Validation of rbac.authorization.k8s.io/v1 kinds as upstream (pkg/apis/rbac/validation): names are valid
// path segments, rules need verbs and either resources+apiGroups or nonResourceURLs (cluster roles only),
// roleRef is immutable and names a Role or ClusterRole of the RBAC group, subjects are User/Group/ServiceAccount.
import { fieldErr } from '../../errors.js';
import type { StatusCause } from '../../types.js';
import { isDNS1123Subdomain, isValidPathSegmentName, type NameValidator } from '../../names.js';
import { labelSelectorAsSelector, validateLabelSelector } from '../../labels.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../../validation/object_meta.js';
import { RBAC_GROUP, type ClusterRole, type ClusterRoleBinding, type PolicyRule, type Role, type RoleBinding, type Subject } from './types.js';

/** Upstream ValidateRBACName: any valid path segment. */
export const nameIsRBACName: NameValidator = (name, prefix) => isValidPathSegmentName(name, prefix);

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

export function validatePolicyRule(rule: PolicyRule, namespaced: boolean, path: string): StatusCause[] {
  const out: StatusCause[] = [];
  if (!rule || typeof rule !== 'object') return [fieldErr.required(path)];
  if (list(rule.verbs).length === 0) out.push(fieldErr.required(`${path}.verbs`, 'verbs must contain at least one value'));
  const urls = list(rule.nonResourceURLs);
  if (urls.length > 0) {
    if (namespaced) out.push(fieldErr.invalid(`${path}.nonResourceURLs`, urls, 'namespaced rules cannot apply to non-resource URLs'));
    if (list(rule.apiGroups).length || list(rule.resources).length || list(rule.resourceNames).length) {
      out.push(fieldErr.invalid(`${path}.nonResourceURLs`, urls, 'rules cannot apply to both regular resources and non-resource URLs'));
    }
    return out;
  }
  if (list(rule.apiGroups).length === 0) out.push(fieldErr.required(`${path}.apiGroups`, 'resource rules must supply at least one api group'));
  if (list(rule.resources).length === 0) out.push(fieldErr.required(`${path}.resources`, 'resource rules must supply at least one resource'));
  return out;
}

function validateRules(rules: PolicyRule[] | undefined, namespaced: boolean): StatusCause[] {
  return list(rules).flatMap((r, i) => validatePolicyRule(r as PolicyRule, namespaced, `rules[${i}]`));
}

export function validateRole(role: Role): StatusCause[] {
  return [...validateObjectMeta(role.metadata, true, nameIsRBACName), ...validateRules(role.rules, true)];
}

export function validateRoleUpdate(role: Role, old: Role): StatusCause[] {
  return [...validateObjectMetaUpdate(role.metadata, old.metadata), ...validateRules(role.rules, true)];
}

function validateAggregationRule(role: ClusterRole): StatusCause[] {
  const rule = role.aggregationRule;
  if (rule === undefined || rule === null) return [];
  const selectors = list(rule.clusterRoleSelectors);
  if (selectors.length === 0) {
    return [fieldErr.required('aggregationRule.clusterRoleSelectors', 'at least one clusterRoleSelector required if aggregationRule is non-nil')];
  }
  const out: StatusCause[] = [];
  selectors.forEach((sel, i) => {
    const path = `aggregationRule.clusterRoleSelectors[${i}]`;
    const errs = validateLabelSelector(sel as never, path);
    for (const e of errs)
      out.push({
        reason: e.reason,
        field: e.field,
        message: e.reason === 'FieldValueInvalid' ? `Invalid value: ${JSON.stringify(e.value)}: ${e.message}` : e.message,
      });
    if (!errs.length) {
      try {
        labelSelectorAsSelector(sel as never);
      } catch {
        out.push(fieldErr.invalid(path, sel, 'invalid label selector.'));
      }
    }
  });
  return out;
}

export function validateClusterRole(role: ClusterRole): StatusCause[] {
  return [...validateObjectMeta(role.metadata, false, nameIsRBACName), ...validateRules(role.rules, false), ...validateAggregationRule(role)];
}

export function validateClusterRoleUpdate(role: ClusterRole, old: ClusterRole): StatusCause[] {
  return [...validateObjectMetaUpdate(role.metadata, old.metadata), ...validateRules(role.rules, false), ...validateAggregationRule(role)];
}

export function validateSubject(s: Subject, namespaced: boolean, path: string): StatusCause[] {
  const out: StatusCause[] = [];
  if (!s || typeof s !== 'object') return [fieldErr.required(path)];
  if (!s.name) out.push(fieldErr.required(`${path}.name`));
  switch (s.kind) {
    case 'ServiceAccount':
      if (s.name) for (const m of isDNS1123Subdomain(s.name)) out.push(fieldErr.invalid(`${path}.name`, s.name, m));
      if (s.apiGroup) out.push(fieldErr.notSupported(`${path}.apiGroup`, s.apiGroup, ['']));
      if (!namespaced && !s.namespace) out.push(fieldErr.required(`${path}.namespace`));
      break;
    case 'User':
    case 'Group':
      if (s.apiGroup !== RBAC_GROUP) out.push(fieldErr.notSupported(`${path}.apiGroup`, s.apiGroup ?? '', [RBAC_GROUP]));
      break;
    default:
      out.push(fieldErr.notSupported(`${path}.kind`, s.kind ?? '', ['ServiceAccount', 'User', 'Group']));
  }
  return out;
}

function validateBinding(b: RoleBinding, namespaced: boolean): StatusCause[] {
  const out: StatusCause[] = [];
  const ref = b.roleRef ?? { apiGroup: '', kind: '', name: '' };
  if (ref.apiGroup !== RBAC_GROUP) out.push(fieldErr.notSupported('roleRef.apiGroup', ref.apiGroup ?? '', [RBAC_GROUP]));
  const kinds = namespaced ? ['Role', 'ClusterRole'] : ['ClusterRole'];
  if (!kinds.includes(ref.kind)) out.push(fieldErr.notSupported('roleRef.kind', ref.kind ?? '', kinds));
  if (!ref.name) out.push(fieldErr.required('roleRef.name'));
  else for (const m of nameIsRBACName(ref.name, false)) out.push(fieldErr.invalid('roleRef.name', ref.name, m));
  list(b.subjects).forEach((s, i) => out.push(...validateSubject(s as Subject, namespaced, `subjects[${i}]`)));
  return out;
}

function sameRoleRef(a: RoleBinding['roleRef'] | undefined, b: RoleBinding['roleRef'] | undefined): boolean {
  return (a?.apiGroup ?? '') === (b?.apiGroup ?? '') && (a?.kind ?? '') === (b?.kind ?? '') && (a?.name ?? '') === (b?.name ?? '');
}

/** Go's %v of a RoleRef struct, as upstream's "cannot change roleRef" cause prints the value. */
function roleRefValue(r: RoleBinding['roleRef'] | undefined): string {
  return `{APIGroup:${r?.apiGroup ?? ''} Kind:${r?.kind ?? ''} Name:${r?.name ?? ''}}`;
}

function roleRefImmutable(b: RoleBinding, old: RoleBinding): StatusCause[] {
  if (sameRoleRef(b.roleRef, old.roleRef)) return [];
  return [{ reason: 'FieldValueInvalid', field: 'roleRef', message: `Invalid value: "${roleRefValue(b.roleRef)}": cannot change roleRef` }];
}

export function validateRoleBinding(b: RoleBinding): StatusCause[] {
  return [...validateObjectMeta(b.metadata, true, nameIsRBACName), ...validateBinding(b, true)];
}

export function validateRoleBindingUpdate(b: RoleBinding, old: RoleBinding): StatusCause[] {
  return [...validateObjectMetaUpdate(b.metadata, old.metadata), ...validateBinding(b, true), ...roleRefImmutable(b, old)];
}

export function validateClusterRoleBinding(b: ClusterRoleBinding): StatusCause[] {
  return [...validateObjectMeta(b.metadata, false, nameIsRBACName), ...validateBinding(b, false)];
}

export function validateClusterRoleBindingUpdate(b: ClusterRoleBinding, old: ClusterRoleBinding): StatusCause[] {
  return [...validateObjectMetaUpdate(b.metadata, old.metadata), ...validateBinding(b, false), ...roleRefImmutable(b, old)];
}
