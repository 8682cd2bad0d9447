// RBAC escalation prevention (upstream pkg/registry/rbac/*/policybased): creating or updating a Role or
// ClusterRole needs the user to hold every rule it grants (or the "escalate" verb on it); an aggregationRule
// needs full authority; a binding needs the referenced role's rules in the binding's namespace (or "bind" on
// that role). Members of system:masters pass. A validating admission plugin, so it sees the final object.
import { isDeepStrictEqual } from 'node:util';
import type { KubeObject } from '../../../api/types.js';
import { forbidden } from '../../../api/errors.js';
import { compactRules, compactString, covers } from '../../../api/rbac/v1/covers.js';
import { RBAC_GROUP, type ClusterRole, type PolicyRule, type Role, type RoleBinding } from '../../../api/rbac/v1/types.js';
import type { AdmissionAttributes, AdmissionPlugin } from '../../admission/interfaces.js';
import type { Authorizer } from '../../filters/authorization.js';
import { SYSTEM_MASTERS, type UserInfo } from '../../filters/user.js';
import type { RBACAuthorizer } from './rbac_authorizer.js';

const FULL_AUTHORITY: PolicyRule[] = [
  { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
  { verbs: ['*'], nonResourceURLs: ['*'] },
];

/** Go's %q of a []string. */
const goQuoted = (l: string[]) => `[${l.map((s) => JSON.stringify(s)).join(' ')}]`;

/** Upstream ConfirmNoEscalation: undefined when the user holds `rules` in `namespace`, else the error text. */
export function escalationError(rbac: RBACAuthorizer, user: UserInfo, namespace: string, rules: PolicyRule[]): string | undefined {
  const owner = rbac.rules(user, namespace);
  const { covered, uncovered } = covers(owner.rules, rules);
  if (covered) return undefined;
  const missing = [...new Set(compactRules(uncovered).map(compactString))].sort();
  let msg = `user ${JSON.stringify(user.name)} (groups=${goQuoted(user.groups)}) is attempting to grant RBAC permissions not currently held:\n${missing.join('\n')}`;
  if (owner.errors.length) msg += `; resolution errors: [${owner.errors.join(' ')}]`;
  return msg;
}

/** Everything but the fields a garbage collector may change (upstream IsOnlyMutatingGCFields). */
function withoutGCFields(o: KubeObject): KubeObject {
  const c = structuredClone(o);
  for (const k of ['ownerReferences', 'finalizers', 'managedFields', 'resourceVersion', 'generation'] as const) delete c.metadata[k];
  return c;
}

export function rbacEscalation(
  rbac: RBACAuthorizer,
  authorizer: () => Authorizer,
  getRoleRules: (ref: RoleBinding['roleRef'], ns: string) => Promise<PolicyRule[]>,
): AdmissionPlugin {
  const allowedVerb = async (user: UserInfo, verb: string, resource: string, namespace: string, name: string) =>
    (
      await authorizer().authorize({
        user,
        verb,
        isResourceRequest: true,
        path: '',
        namespace,
        apiGroup: RBAC_GROUP,
        apiVersion: '',
        resource,
        subresource: '',
        name,
      })
    ).decision === 'Allow';

  return {
    name: 'RBACEscalation',
    handles: (op) => op === 'CREATE' || op === 'UPDATE',
    async validate(a: AdmissionAttributes) {
      if (a.resource.group !== RBAC_GROUP || a.subresource || !a.object) return;
      if (a.userInfo.groups.includes(SYSTEM_MASTERS)) return;
      if (a.oldObject && isDeepStrictEqual(withoutGCFields(a.object), withoutGCFields(a.oldObject))) return;
      const gr = { group: RBAC_GROUP, resource: a.resource.resource };
      const name = a.object.metadata.name ?? a.name;
      const ns = a.namespace;
      switch (a.resource.resource) {
        case 'roles':
        case 'clusterroles': {
          const role = a.object as Role & ClusterRole;
          if (await allowedVerb(a.userInfo, 'escalate', a.resource.resource, ns, name)) return;
          const err = escalationError(rbac, a.userInfo, ns, role.rules ?? []);
          if (err) throw forbidden(gr, name, err);
          if (role.aggregationRule && escalationError(rbac, a.userInfo, ns, FULL_AUTHORITY)) {
            throw forbidden(gr, name, 'must have cluster-admin privileges to use the aggregationRule');
          }
          return;
        }
        case 'rolebindings':
        case 'clusterrolebindings': {
          const b = a.object as RoleBinding;
          const ref = b.roleRef;
          const refResource = ref.kind === 'Role' ? 'roles' : 'clusterroles';
          if (await allowedVerb(a.userInfo, 'bind', refResource, ns, ref.name)) return;
          let rules: PolicyRule[];
          try {
            rules = await getRoleRules(ref, ns);
          } catch (e) {
            throw forbidden(gr, name, (e as Error).message);
          }
          const err = escalationError(rbac, a.userInfo, ns, rules);
          if (err) throw forbidden(gr, name, err);
          return;
        }
      }
    },
  };
}
