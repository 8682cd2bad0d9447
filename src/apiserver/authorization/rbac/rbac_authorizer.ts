// The RBAC authorizer (upstream plugin/pkg/auth/authorizer/rbac): allows a request when a rule of a role bound
// to the user — through a ClusterRoleBinding, or a RoleBinding in the request's namespace — allows it; otherwise
// no opinion. Reads only the in-memory PolicyCache, and only the bindings indexed under the user's name and groups.
import type { PolicyRule, RoleBinding, Subject } from '../../../api/rbac/v1/types.js';
import type { AuthorizationAttributes, Authorizer, Decision, RulesInfo } from '../../filters/authorization.js';
import type { UserInfo } from '../../filters/user.js';
import type { IndexedBinding, PolicyCache } from './policy_cache.js';
import { ruleAllows } from './rule_match.js';

function describeSubject(s: Subject, bindingNamespace: string): string {
  if (s.kind === 'ServiceAccount') return `${s.kind} "${s.name}/${s.namespace || bindingNamespace}"`;
  return `${s.kind} "${s.name}"`;
}

function describeBinding(e: IndexedBinding): string {
  const b = e.binding;
  const ns = b.metadata.namespace;
  const what = ns ? `RoleBinding "${b.metadata.name}/${ns}"` : `ClusterRoleBinding "${b.metadata.name}"`;
  return `${what} of ${b.roleRef.kind} "${b.roleRef.name}" to ${describeSubject(e.subject, ns ?? '')}`;
}

/** Index keys under which bindings for this user are found. */
function keysOf(user: UserInfo): string[] {
  const keys = [`u:${user.name}`];
  for (const g of user.groups) keys.push(`g:${g}`);
  return keys;
}

/** Go's utilerrors.NewAggregate(...).Error(): one message as is, several in brackets. */
export function aggregateErrors(errs: string[]): string {
  return errs.length === 1 ? errs[0] : `[${errs.join(', ')}]`;
}

export class RBACAuthorizer implements Authorizer {
  constructor(readonly cache: PolicyCache) {}

  /**
   * Calls `visit` with each binding that applies to the user (cluster-wide first, then the namespace's) and its
   * rules, until it returns false (upstream's VisitRulesFor). Missing roles are reported through `onError`.
   */
  visitRulesFor(user: UserInfo, namespace: string, visit: (e: IndexedBinding, rules: readonly PolicyRule[]) => boolean, onError?: (e: string) => void): void {
    const keys = keysOf(user);
    const seen = new Set<RoleBinding>();
    const walk = (list: readonly IndexedBinding[] | undefined): boolean => {
      for (const e of list ?? []) {
        if (seen.has(e.binding)) continue;
        seen.add(e.binding);
        const { rules, error } = this.cache.rulesOf(e.binding);
        if (error) onError?.(error);
        if (!visit(e, rules)) return false;
      }
      return true;
    };
    for (const k of keys) if (!walk(this.cache.clusterRoleBindings.get(k))) return;
    if (!namespace) return;
    const idx = this.cache.roleBindingsIn(namespace);
    if (!idx) return;
    for (const k of keys) if (!walk(idx.get(k))) return;
  }

  async authorize(a: AuthorizationAttributes): Promise<{ decision: Decision; reason?: string }> {
    return this.decide(a);
  }

  /** Synchronous decision (the union, escalation checks and the benchmark call it directly). */
  decide(a: AuthorizationAttributes): { decision: Decision; reason?: string } {
    let allowedBy: IndexedBinding | undefined;
    const errors: string[] = [];
    this.visitRulesFor(
      a.user,
      a.namespace,
      (e, rules) => {
        for (const r of rules) {
          if (ruleAllows(a, r)) {
            allowedBy = e;
            return false;
          }
        }
        return true;
      },
      (err) => errors.push(err),
    );
    if (allowedBy) return { decision: 'Allow', reason: `RBAC: allowed by ${describeBinding(allowedBy)}` };
    return { decision: 'NoOpinion', reason: errors.length ? `RBAC: ${aggregateErrors(errors)}` : '' };
  }

  /** Every rule that applies to the user in `namespace` (cluster-wide bindings included). */
  rules(user: UserInfo, namespace: string): { rules: PolicyRule[]; errors: string[] } {
    const rules: PolicyRule[] = [];
    const errors: string[] = [];
    this.visitRulesFor(
      user,
      namespace,
      (_e, rs) => {
        rules.push(...rs);
        return true;
      },
      (err) => errors.push(err),
    );
    return { rules, errors };
  }

  rulesFor(user: UserInfo, namespace: string): RulesInfo {
    const { rules, errors } = this.rules(user, namespace);
    const info: RulesInfo = { resourceRules: [], nonResourceRules: [], incomplete: false };
    for (const r of rules) {
      if ((r.resources ?? []).length) {
        const rr: RulesInfo['resourceRules'][number] = { verbs: [...r.verbs] };
        if (r.apiGroups?.length) rr.apiGroups = [...r.apiGroups];
        rr.resources = [...(r.resources ?? [])];
        if (r.resourceNames?.length) rr.resourceNames = [...r.resourceNames];
        info.resourceRules.push(rr);
      }
      if ((r.nonResourceURLs ?? []).length) info.nonResourceRules.push({ verbs: [...r.verbs], nonResourceURLs: [...(r.nonResourceURLs ?? [])] });
    }
    if (errors.length) {
      info.incomplete = true;
      info.evaluationError = aggregateErrors(errors);
    }
    return info;
  }
}
