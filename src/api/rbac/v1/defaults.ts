// Defaulting of rbac.authorization.k8s.io/v1 (upstream SetDefaults_*): roleRef.apiGroup and subjects'
// apiGroup default to the RBAC group (User, Group) or "" (ServiceAccount).
import { RBAC_GROUP, type RoleBinding, type Subject } from './types.js';

export function setDefaultsSubject(s: Subject): void {
  if (s.apiGroup === undefined || s.apiGroup === '') {
    if (s.kind === 'User' || s.kind === 'Group') s.apiGroup = RBAC_GROUP;
    else if (s.kind === 'ServiceAccount') s.apiGroup = '';
  }
}

export function setDefaultsRoleBinding(b: RoleBinding): void {
  if (b.roleRef && typeof b.roleRef === 'object' && !b.roleRef.apiGroup) b.roleRef.apiGroup = RBAC_GROUP;
  if (Array.isArray(b.subjects)) for (const s of b.subjects) if (s && typeof s === 'object') setDefaultsSubject(s);
}
