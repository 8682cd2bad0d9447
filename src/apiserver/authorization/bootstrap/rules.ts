// A small builder for bootstrap policy rules (upstream's rbacv1helpers.NewRule(...).Groups(...).Resources(...)),
// and the verb sets upstream's bootstrap policy uses.
import type { PolicyRule } from '../../../api/rbac/v1/types.js';

export const READ = ['get', 'list', 'watch'];
export const WRITE = ['create', 'update', 'patch', 'delete', 'deletecollection'];
export const READ_WRITE = [...READ, ...WRITE];

export const LEGACY = '';
export const APPS = 'apps';
export const AUTHENTICATION = 'authentication.k8s.io';
export const AUTHORIZATION = 'authorization.k8s.io';
export const AUTOSCALING = 'autoscaling';
export const BATCH = 'batch';
export const CERTIFICATES = 'certificates.k8s.io';
export const COORDINATION = 'coordination.k8s.io';
export const DISCOVERY = 'discovery.k8s.io';
export const EVENTS = 'events.k8s.io';
export const EXTENSIONS = 'extensions';
export const NETWORKING = 'networking.k8s.io';
export const POLICY = 'policy';
export const RBAC = 'rbac.authorization.k8s.io';
export const STORAGE = 'storage.k8s.io';
export const NODE = 'node.k8s.io';

/** A resource rule: `verbs` on `resources` of `groups`, optionally only the objects `names`. */
export function rule(verbs: string[] | string, groups: string[] | string, resources: string[], names?: string[]): PolicyRule {
  const r: PolicyRule = { verbs: [verbs].flat(), apiGroups: [groups].flat(), resources };
  if (names?.length) r.resourceNames = names;
  return r;
}

/** A non-resource rule: `verbs` on URL paths (a trailing "*" matches a prefix). */
export function urls(verbs: string[] | string, paths: string[]): PolicyRule {
  return { verbs: [verbs].flat(), nonResourceURLs: paths };
}

/** Creating, updating and patching events, core and events.k8s.io (upstream's eventsRule). */
export function eventsRule(): PolicyRule {
  return rule(['create', 'update', 'patch'], [LEGACY, EVENTS], ['events']);
}
