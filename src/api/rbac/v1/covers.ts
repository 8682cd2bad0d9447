// Whether one set of rules grants everything another does (upstream rbac/validation Covers): each rule is broken
// into single-verb, single-resource (single-name) rules and each piece must be covered by one owner rule. The
// escalation check and the bootstrap reconciliation use it; compactString prints a rule as upstream reports it.
import type { PolicyRule } from './types.js';

const has = (set: readonly string[] | undefined, v: string) => (set ?? []).includes(v);
const hasAll = (set: readonly string[] | undefined, want: readonly string[] | undefined) => (want ?? []).every((w) => has(set, w));

/** One rule per verb × group × resource (× name), and per verb × non-resource URL. */
export function breakdownRule(rule: PolicyRule): PolicyRule[] {
  const out: PolicyRule[] = [];
  for (const group of rule.apiGroups ?? []) {
    for (const resource of rule.resources ?? []) {
      if (rule.resourceNames?.length) {
        for (const name of rule.resourceNames)
          for (const verb of rule.verbs ?? []) out.push({ apiGroups: [group], resources: [resource], resourceNames: [name], verbs: [verb] });
      } else {
        for (const verb of rule.verbs ?? []) out.push({ apiGroups: [group], resources: [resource], verbs: [verb] });
      }
    }
  }
  for (const url of rule.nonResourceURLs ?? []) for (const verb of rule.verbs ?? []) out.push({ nonResourceURLs: [url], verbs: [verb] });
  return out;
}

function resourceCoversAll(set: readonly string[] | undefined, covers: readonly string[] | undefined): boolean {
  if (has(set, '*') || hasAll(set, covers)) return true;
  for (const path of covers ?? []) {
    if (has(set, path)) continue;
    const slash = path.indexOf('/');
    if (slash < 0) return false;
    if (!has(set, `*/${path.slice(slash + 1)}`)) return false;
  }
  return true;
}

function nonResourceURLCovers(owner: string, sub: string): boolean {
  return owner === sub || (owner.endsWith('*') && sub.startsWith(owner.replace(/\*+$/, '')));
}

export function ruleCovers(owner: PolicyRule, sub: PolicyRule): boolean {
  const verbs = has(owner.verbs, '*') || hasAll(owner.verbs, sub.verbs);
  const groups = has(owner.apiGroups, '*') || hasAll(owner.apiGroups, sub.apiGroups);
  const resources = resourceCoversAll(owner.resources, sub.resources);
  const urls = (sub.nonResourceURLs ?? []).every((p) => (owner.nonResourceURLs ?? []).some((o) => nonResourceURLCovers(o, p)));
  const ownerNames = owner.resourceNames ?? [];
  const names = (sub.resourceNames ?? []).length === 0 ? ownerNames.length === 0 : ownerNames.length === 0 || hasAll(ownerNames, sub.resourceNames);
  return verbs && groups && resources && names && urls;
}

/** Whether `owner` covers every rule of `servant`, and the broken-down rules it does not. */
export function covers(owner: readonly PolicyRule[], servant: readonly PolicyRule[]): { covered: boolean; uncovered: PolicyRule[] } {
  const uncovered: PolicyRule[] = [];
  for (const r of servant) for (const sub of breakdownRule(r)) if (!owner.some((o) => ruleCovers(o, sub))) uncovered.push(sub);
  return { covered: uncovered.length === 0, uncovered };
}

/** Upstream CompactRules: single-group, single-resource rules without names merge their verbs. */
export function compactRules(rules: readonly PolicyRule[]): PolicyRule[] {
  const out: PolicyRule[] = [];
  const simple = new Map<string, PolicyRule>();
  for (const r of rules) {
    const isSimple =
      (r.apiGroups ?? []).length === 1 && (r.resources ?? []).length === 1 && !(r.resourceNames ?? []).length && !(r.nonResourceURLs ?? []).length;
    if (!isSimple) {
      out.push(r);
      continue;
    }
    const key = `${r.apiGroups![0]}\u0000${r.resources![0]}`;
    const existing = simple.get(key);
    if (existing) {
      for (const v of r.verbs) if (!existing.verbs.includes(v)) existing.verbs.push(v);
    } else {
      const copy: PolicyRule = { apiGroups: [...r.apiGroups!], resources: [...r.resources!], verbs: [...r.verbs] };
      simple.set(key, copy);
      out.push(copy);
    }
  }
  return out;
}

/** Go's %q of a []string: ["a" "b"]. */
function quoted(list: readonly string[]): string {
  return `[${list.map((s) => JSON.stringify(s)).join(' ')}]`;
}

/** Upstream rbacv1helpers.CompactString: {APIGroups:["apps"], Resources:["deployments"], Verbs:["get"]}. */
export function compactString(r: PolicyRule): string {
  const parts: string[] = [];
  if (r.apiGroups?.length) parts.push(`APIGroups:${quoted(r.apiGroups)}`);
  if (r.resources?.length) parts.push(`Resources:${quoted(r.resources)}`);
  if (r.nonResourceURLs?.length) parts.push(`NonResourceURLs:${quoted(r.nonResourceURLs)}`);
  if (r.resourceNames?.length) parts.push(`ResourceNames:${quoted(r.resourceNames)}`);
  if (r.verbs?.length) parts.push(`Verbs:${quoted(r.verbs)}`);
  return `{${parts.join(', ')}}`;
}
