// upstream helper.DefaultSelector: the labels that select a pod for default topology spreading — the selectors
// of the Services in its namespace that select it, and of its controlling ReplicationController, ReplicaSet
// or StatefulSet, merged.
import type { Pod, ReplicationController } from '../api/core/v1/types.js';
import type { Service } from '../api/core/v1/service_types.js';
import type { KubeObject } from '../api/types.js';
import { labelSelectorAsSelector, newRequirement, selectorFromSet, Selector, type LabelSelector } from '../api/labels.js';

export interface SelectorSources {
  services(): Service[];
  get(kind: 'ReplicationController' | 'ReplicaSet' | 'StatefulSet', namespace: string, name: string): KubeObject | undefined;
}

export function defaultSelector(pod: Pod, src: SelectorSources): Selector {
  const labels = pod.metadata.labels ?? {};
  const ns = pod.metadata.namespace ?? 'default';
  const set: Record<string, string> = {};
  for (const svc of src.services()) {
    if ((svc.metadata.namespace ?? 'default') !== ns) continue;
    const sel = svc.spec?.selector;
    if (!sel || Object.keys(sel).length === 0) continue;
    if (!Object.entries(sel).every(([k, v]) => labels[k] === v)) continue;
    Object.assign(set, sel);
  }
  const owner = pod.metadata.ownerReferences?.find((o) => o.controller);
  if (!owner) return selectorFromSet(set);
  const group = owner.apiVersion.includes('/') ? owner.apiVersion.slice(0, owner.apiVersion.indexOf('/')) : '';
  if (owner.kind === 'ReplicationController' && group === '') {
    const rc = src.get('ReplicationController', ns, owner.name) as ReplicationController | undefined;
    if (rc) Object.assign(set, rc.spec?.selector ?? {});
    return selectorFromSet(set);
  }
  if ((owner.kind === 'ReplicaSet' || owner.kind === 'StatefulSet') && group === 'apps') {
    const obj = src.get(owner.kind, ns, owner.name) as { spec?: { selector?: LabelSelector } } | undefined;
    const base = selectorFromSet(set);
    if (!obj?.spec?.selector) return base;
    try {
      const other = labelSelectorAsSelector(obj.spec.selector);
      return new Selector([...base.requirements, ...other.requirements.map((r) => newRequirement(r.key, r.operator, r.values))]);
    } catch {
      return base;
    }
  }
  return selectorFromSet(set);
}
