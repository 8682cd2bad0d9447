// Schemas of rbac.authorization.k8s.io/v1: Role, ClusterRole, RoleBinding, ClusterRoleBinding (and lists),
// PolicyRule, Subject, RoleRef, AggregationRule. Every list is atomic, as upstream marks them.
import type { Definitions } from './types.js';
import { str, ref, obj, strList, arr, kindSchema, listSchema, META } from './build.js';

const RBAC = 'io.k8s.api.rbac.v1.';
const G = 'rbac.authorization.k8s.io';

const rules = arr({ $ref: RBAC + 'PolicyRule', default: {} }, 'The PolicyRules of this role.', { listType: 'atomic' });
const subjects = arr({ $ref: RBAC + 'Subject', default: {} }, 'References to the objects the role applies to.', { listType: 'atomic' });

export const rbacV1Definitions: Definitions = {
  [RBAC + 'PolicyRule']: obj(
    'PolicyRule holds information that describes a policy rule, but does not contain information about who the rule applies to or which namespace the rule applies to.',
    {
      apiGroups: strList('The names of the APIGroups that contain the resources; "" is the core group, "*" any group.'),
      nonResourceURLs: strList('Partial URLs a user may access; "*" is allowed as the final step only. Only for ClusterRoles.'),
      resourceNames: strList('An optional allow list of names the rule applies to; empty means everything.'),
      resources: strList('Resources this rule applies to ("*" means all; "<resource>/<subresource>" names a subresource).'),
      verbs: strList('Verbs that apply to all the resources in this rule ("*" means all).'),
    },
    ['verbs'],
  ),
  [RBAC + 'Subject']: obj(
    'Subject contains a reference to the object or user identities a role binding applies to: a direct API object reference, or a value for non-objects such as user and group names.',
    {
      apiGroup: str('The API group of the referenced subject: "" for ServiceAccount, "rbac.authorization.k8s.io" for User and Group.'),
      kind: str('Kind of object being referenced: "User", "Group" or "ServiceAccount".'),
      name: str('Name of the object being referenced.'),
      namespace: str('Namespace of the referenced object (ServiceAccount); empty for User and Group.'),
    },
    ['kind', 'name'],
  ),
  [RBAC + 'RoleRef']: {
    ...obj(
      'RoleRef contains information that points to the role being used.',
      {
        apiGroup: str('APIGroup is the group for the resource being referenced.'),
        kind: str('Kind is the type of resource being referenced.'),
        name: str('Name is the name of resource being referenced.'),
      },
      ['apiGroup', 'kind', 'name'],
    ),
    'x-kubernetes-map-type': 'atomic',
  },
  [RBAC + 'AggregationRule']: obj('AggregationRule describes how to locate ClusterRoles to aggregate into the ClusterRole.', {
    clusterRoleSelectors: arr(
      { $ref: META + 'LabelSelector', default: {} },
      "A list of selectors used to find ClusterRoles and create the rules. If any of the selectors match, then the ClusterRole's permissions will be added.",
      { listType: 'atomic' },
    ),
  }),
  [RBAC + 'Role']: kindSchema(G, 'v1', 'Role', 'Role is a namespaced, logical grouping of PolicyRules that can be referenced as a unit by a RoleBinding.', {
    rules,
  }),
  [RBAC + 'RoleList']: listSchema(G, 'v1', 'RoleList', RBAC + 'Role', 'Roles'),
  [RBAC + 'ClusterRole']: kindSchema(
    G,
    'v1',
    'ClusterRole',
    'ClusterRole is a cluster level, logical grouping of PolicyRules that can be referenced as a unit by a RoleBinding or ClusterRoleBinding.',
    {
      aggregationRule: ref(
        RBAC + 'AggregationRule',
        'AggregationRule is an optional field that describes how to build the Rules for this ClusterRole. If set, the controller manages the Rules and overwrites direct changes to them.',
      ),
      rules,
    },
  ),
  [RBAC + 'ClusterRoleList']: listSchema(G, 'v1', 'ClusterRoleList', RBAC + 'ClusterRole', 'ClusterRoles'),
  [RBAC + 'RoleBinding']: kindSchema(
    G,
    'v1',
    'RoleBinding',
    'RoleBinding references a role, but does not contain it. It can reference a Role in the same namespace or a ClusterRole in the global namespace. It adds who information via Subjects and namespace information by which namespace it exists in.',
    {
      roleRef: {
        $ref: RBAC + 'RoleRef',
        default: {},
        description: 'RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace. It cannot be updated.',
      },
      subjects,
    },
    ['roleRef'],
  ),
  [RBAC + 'RoleBindingList']: listSchema(G, 'v1', 'RoleBindingList', RBAC + 'RoleBinding', 'RoleBindings'),
  [RBAC + 'ClusterRoleBinding']: kindSchema(
    G,
    'v1',
    'ClusterRoleBinding',
    'ClusterRoleBinding references a ClusterRole, but not contain it. It can reference a ClusterRole in the global namespace, and adds who information via Subject.',
    {
      roleRef: { $ref: RBAC + 'RoleRef', default: {}, description: 'RoleRef can only reference a ClusterRole in the global namespace. It cannot be updated.' },
      subjects,
    },
    ['roleRef'],
  ),
  [RBAC + 'ClusterRoleBindingList']: listSchema(G, 'v1', 'ClusterRoleBindingList', RBAC + 'ClusterRoleBinding', 'ClusterRoleBindings'),
};
