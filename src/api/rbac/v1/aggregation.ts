// ClusterRole aggregation (upstream clusterroleaggregation controller's rule): a ClusterRole with an
// aggregationRule gets the rules of every other ClusterRole one of its selectors matches, selector by selector in name order,
// each distinct rule once.
import { isDeepStrictEqual } from 'node:util';
import { labelSelectorAsSelector } from '../../labels.js';
import type { ClusterRole, PolicyRule } from './types.js';

export function aggregatedRules(role: ClusterRole, all: Iterable<ClusterRole>): PolicyRule[] {
  const roles = [...all].sort((a, b) => ((a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1));
  const rules: PolicyRule[] = [];
  // selector by selector, each one's matches in name order (upstream's order)
  for (const sel of role.aggregationRule?.clusterRoleSelectors ?? []) {
    let selector;
    try {
      selector = labelSelectorAsSelector(sel);
    } catch {
      continue;
    }
    for (const r of roles) {
      if (r.metadata.name === role.metadata.name || !selector.matches(r.metadata.labels ?? {})) continue;
      for (const rule of r.rules ?? []) if (!rules.some((x) => isDeepStrictEqual(x, rule))) rules.push(structuredClone(rule));
    }
  }
  return rules;
}
