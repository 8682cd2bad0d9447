// Reconciles the bootstrap policy at every start (upstream's EnsureRBACPolicy with reconciliation): missing
// roles and bindings are created; existing ones get the rules, aggregation selectors, labels, annotations and
// subjects they lack (nothing is removed), unless annotated rbac.authorization.kubernetes.io/autoupdate=false;
// a binding whose roleRef changed is recreated. Aggregated roles are filled here once, then kept by the
// aggregation controller.
import { isDeepStrictEqual } from 'node:util';
import type { KubeObject } from '../../../api/types.js';
import { isStatusError } from '../../../api/errors.js';
import { AUTOUPDATE_ANNOTATION, type ClusterRole, type ClusterRoleBinding, type Subject } from '../../../api/rbac/v1/types.js';
import { covers } from '../../../api/rbac/v1/covers.js';
import { aggregatedRules } from '../../../api/rbac/v1/aggregation.js';
import type { RESTStore } from '../../rest/store.js';
import { bootstrapClusterRoleBindings, bootstrapClusterRoles } from './cluster_roles.js';

async function getOrUndefined(store: RESTStore, name: string): Promise<KubeObject | undefined> {
  try {
    return await store.get(undefined, name);
  } catch (e) {
    if (isStatusError(e) && e.code === 404) return undefined;
    throw e;
  }
}

const isProtected = (o: KubeObject) => o.metadata.annotations?.[AUTOUPDATE_ANNOTATION] === 'false';

/** Labels and annotations the existing object lacks (its own values win, as upstream merges them). */
function mergeMeta(existing: KubeObject, expected: KubeObject): boolean {
  let changed = false;
  for (const field of ['labels', 'annotations'] as const) {
    const want = expected.metadata[field] ?? {};
    const have = (existing.metadata[field] ??= {});
    for (const [k, v] of Object.entries(want)) {
      if (!(k in have)) {
        have[k] = v;
        changed = true;
      }
    }
  }
  return changed;
}

function reconcileRole(existing: ClusterRole, expected: ClusterRole): boolean {
  let changed = mergeMeta(existing, expected);
  if (expected.aggregationRule) {
    const have = (existing.aggregationRule ??= { clusterRoleSelectors: [] });
    const selectors = (have.clusterRoleSelectors ??= []);
    for (const s of expected.aggregationRule.clusterRoleSelectors ?? []) {
      if (!selectors.some((x) => isDeepStrictEqual(x, s))) {
        selectors.push(s);
        changed = true;
      }
    }
    return changed;
  }
  const { uncovered } = covers(existing.rules ?? [], expected.rules ?? []);
  if (uncovered.length) {
    existing.rules = [...(existing.rules ?? []), ...uncovered];
    changed = true;
  }
  return changed;
}

const sameSubject = (a: Subject, b: Subject) => a.kind === b.kind && a.name === b.name && (a.namespace ?? '') === (b.namespace ?? '');

export interface ReconcileStores {
  clusterRoles: RESTStore;
  clusterRoleBindings: RESTStore;
}

export async function reconcileBootstrapPolicy(stores: ReconcileStores): Promise<void> {
  const roles = bootstrapClusterRoles();
  for (const expected of roles) {
    const existing = (await getOrUndefined(stores.clusterRoles, expected.metadata.name!)) as ClusterRole | undefined;
    if (!existing) await stores.clusterRoles.create(undefined, structuredClone(expected));
    else if (!isProtected(existing) && reconcileRole(existing, expected)) await stores.clusterRoles.update(undefined, existing.metadata.name!, existing);
  }
  // fill aggregated roles (admin, edit, view and any user-made one) from what the store now holds
  // (aggregated roles may select aggregated roles — admin selects edit, edit view — so repeat until stable)
  const all = (await stores.clusterRoles.list(undefined)).items as ClusterRole[];
  const changed = new Set<ClusterRole>();
  for (let pass = 0; pass < 8; pass++) {
    let any = false;
    for (const role of all) {
      if (!role.aggregationRule) continue;
      const rules = aggregatedRules(role, all);
      if (isDeepStrictEqual(rules, role.rules ?? [])) continue;
      role.rules = rules;
      changed.add(role);
      any = true;
    }
    if (!any) break;
  }
  for (const role of changed) await stores.clusterRoles.update(undefined, role.metadata.name!, role);
  for (const expected of bootstrapClusterRoleBindings()) {
    const name = expected.metadata.name!;
    const existing = (await getOrUndefined(stores.clusterRoleBindings, name)) as ClusterRoleBinding | undefined;
    if (!existing) {
      await stores.clusterRoleBindings.create(undefined, structuredClone(expected));
      continue;
    }
    if (isProtected(existing)) continue;
    if (!isDeepStrictEqual(existing.roleRef, expected.roleRef)) {
      await stores.clusterRoleBindings.delete(undefined, name);
      await stores.clusterRoleBindings.create(undefined, {
        ...structuredClone(expected),
        subjects: [...(existing.subjects ?? []), ...(expected.subjects ?? [])],
      });
      continue;
    }
    let changed = mergeMeta(existing, expected);
    const subjects = (existing.subjects ??= []);
    for (const s of expected.subjects ?? []) {
      if (!subjects.some((x) => sameSubject(x, s))) {
        subjects.push(s);
        changed = true;
      }
    }
    if (changed) await stores.clusterRoleBindings.update(undefined, name, existing);
  }
}
