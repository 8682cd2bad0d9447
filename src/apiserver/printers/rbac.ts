// RoleBinding and ClusterRoleBinding printers (upstream printRoleBinding/printClusterRoleBinding): NAME,
// ROLE (<kind>/<name>), AGE, and with -o wide USERS, GROUPS, SERVICEACCOUNTS (<namespace>/<name>).
// Roles and ClusterRoles have no printer upstream: the default NAME / CREATED AT table.
import { ageColumn, column, nameColumn } from './columns.js';
import { translateTimestampSince } from './duration.js';
import { asArray, asDict, asString } from './format.js';
import type { Printer } from './types.js';

/** Upstream rbac.SubjectsStrings: users, groups and service accounts of a binding. */
export function subjectsStrings(subjects: unknown): { users: string[]; groups: string[]; serviceAccounts: string[] } {
  const out = { users: [] as string[], groups: [] as string[], serviceAccounts: [] as string[] };
  for (const s of asArray(subjects)) {
    const d = asDict(s);
    const name = asString(d.name);
    if (d.kind === 'User') out.users.push(name);
    else if (d.kind === 'Group') out.groups.push(name);
    else if (d.kind === 'ServiceAccount') out.serviceAccounts.push(`${asString(d.namespace)}/${name}`);
  }
  return out;
}

function bindingPrinter(what: string): Printer {
  return {
    columns: [
      nameColumn,
      column('Role', 'string', `RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace.`),
      ageColumn,
      column('Users', 'string', `Users in the ${what}`, 1),
      column('Groups', 'string', `Groups in the ${what}`, 1),
      column('ServiceAccounts', 'string', `ServiceAccounts in the ${what}`, 1),
    ],
    cells: (b, now) => {
      const ref = asDict(b.roleRef);
      const s = subjectsStrings(b.subjects);
      return [
        asString(b.metadata.name),
        `${asString(ref.kind)}/${asString(ref.name)}`,
        translateTimestampSince(b.metadata.creationTimestamp, now),
        s.users.join(', '),
        s.groups.join(', '),
        s.serviceAccounts.join(', '),
      ];
    },
  };
}

export const roleBindingPrinter = bindingPrinter('roleBinding');
export const clusterRoleBindingPrinter = bindingPrinter('clusterRoleBinding');
