// rbac.authorization.k8s.io/v1 resources: Role, ClusterRole, RoleBinding, ClusterRoleBinding, with their
// defaulting and validation (src/api/rbac/v1). PUT may create (upstream AllowCreateOnUpdate), which
// `kubectl auth reconcile` and the bootstrap policy rely on.
import type { KubeObject, StatusCause } from '../../api/types.js';
import type { ClusterRole, ClusterRoleBinding, Role, RoleBinding } from '../../api/rbac/v1/types.js';
import { RBAC_GROUP } from '../../api/rbac/v1/types.js';
import { setDefaultsRoleBinding } from '../../api/rbac/v1/defaults.js';
import * as v from '../../api/rbac/v1/validation.js';
import type { ResourceDef, ResourceStrategy } from '../registry.js';

function strategy<T extends KubeObject>(
  validate: (o: T) => StatusCause[],
  validateUpdate: (o: T, old: T) => StatusCause[],
  defaults?: (o: T) => void,
): ResourceStrategy<T> {
  return { defaults, validate, validateUpdate, allowCreateOnUpdate: true, allowUnconditionalUpdate: true };
}

const rbac = <T extends KubeObject>(d: Omit<ResourceDef<T>, 'group' | 'version' | 'listKind' | 'schemaName'>): ResourceDef<T> => ({
  group: RBAC_GROUP,
  version: 'v1',
  listKind: `${d.kind}List`,
  schemaName: `io.k8s.api.rbac.v1.${d.kind}`,
  ...d,
});

export const rbacResources: ResourceDef[] = [
  rbac<ClusterRoleBinding>({
    kind: 'ClusterRoleBinding',
    resource: 'clusterrolebindings',
    singular: 'clusterrolebinding',
    namespaced: false,
    strategy: strategy(v.validateClusterRoleBinding, v.validateClusterRoleBindingUpdate, setDefaultsRoleBinding),
  }),
  rbac<ClusterRole>({
    kind: 'ClusterRole',
    resource: 'clusterroles',
    singular: 'clusterrole',
    namespaced: false,
    strategy: strategy(v.validateClusterRole, v.validateClusterRoleUpdate),
  }),
  rbac<RoleBinding>({
    kind: 'RoleBinding',
    resource: 'rolebindings',
    singular: 'rolebinding',
    namespaced: true,
    strategy: strategy(v.validateRoleBinding, v.validateRoleBindingUpdate, setDefaultsRoleBinding),
  }),
  rbac<Role>({ kind: 'Role', resource: 'roles', singular: 'role', namespaced: true, strategy: strategy(v.validateRole, v.validateRoleUpdate) }),
];
