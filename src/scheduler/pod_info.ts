// PodInfo: what the scheduler derives from a pod once and reads many times (upstream framework.PodInfo):
// its requests (plain and with the scorer's non-zero defaults), host ports, and its pod (anti-)affinity terms
// with compiled selectors. Cached per pod object (informer objects are replaced, never mutated).
import type { ContainerPort, LabelSelectorRequirement, Pod, PodAffinityTerm } from '../api/core/v1/types.js';
import { labelSelectorAsSelector, Selector, type Labels } from '../api/labels.js';
import { podRequests, type Resource } from './resources.js';

/** A pod affinity term ready to match: the namespaces it names, its namespace selector, its label selector. */
export interface AffinityTerm {
  namespaces: Set<string>;
  /** undefined = no namespaceSelector; an empty selector selects every namespace. */
  namespaceSelector?: Selector;
  selector: Selector;
  topologyKey: string;
}

export interface WeightedAffinityTerm extends AffinityTerm {
  weight: number;
}

export interface PodInfo {
  pod: Pod;
  requests: Resource;
  nonZeroRequests: Resource;
  hostPorts: ContainerPort[];
  requiredAffinityTerms: AffinityTerm[];
  requiredAntiAffinityTerms: AffinityTerm[];
  preferredAffinityTerms: WeightedAffinityTerm[];
  preferredAntiAffinityTerms: WeightedAffinityTerm[];
}

const cache = new WeakMap<Pod, PodInfo>();

/** The host ports a pod asks for (app containers and sidecar init containers with hostPort > 0). */
export function podHostPorts(pod: Pod): ContainerPort[] {
  const out: ContainerPort[] = [];
  const containers = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always')];
  for (const c of containers) for (const p of c.ports ?? []) if ((p.hostPort ?? 0) > 0) out.push(p);
  return out;
}

function safeSelector(ls: PodAffinityTerm['labelSelector'] | null | undefined): Selector {
  try {
    return labelSelectorAsSelector(ls);
  } catch {
    return Selector.nothing();
  }
}

/**
 * upstream newAffinityTerm + mergeAffinityTermLabelSelectorAndNamespaces: matchLabelKeys/mismatchLabelKeys fold
 * the pod's own label values into the selector; no namespaces and no namespaceSelector mean the pod's namespace.
 */
export function newAffinityTerm(pod: Pod, t: PodAffinityTerm): AffinityTerm {
  let ls = t.labelSelector;
  const own = pod.metadata.labels ?? {};
  const extra: LabelSelectorRequirement[] = [
    ...(t.matchLabelKeys ?? []).filter((k) => k in own).map((k) => ({ key: k, operator: 'In' as const, values: [own[k]!] })),
    ...(t.mismatchLabelKeys ?? []).filter((k) => k in own).map((k) => ({ key: k, operator: 'NotIn' as const, values: [own[k]!] })),
  ];
  if (extra.length && ls) ls = { ...ls, matchExpressions: [...(ls.matchExpressions ?? []), ...extra] };
  const namespaces = new Set(t.namespaces ?? []);
  const nsSel = t.namespaceSelector ? safeSelector(t.namespaceSelector) : undefined;
  if (namespaces.size === 0 && !nsSel) namespaces.add(pod.metadata.namespace ?? 'default');
  return { namespaces, namespaceSelector: nsSel, selector: safeSelector(ls), topologyKey: t.topologyKey };
}

export function podInfo(pod: Pod): PodInfo {
  let pi = cache.get(pod);
  if (pi) return pi;
  const a = pod.spec?.affinity;
  const req = (terms: PodAffinityTerm[] | undefined) => (terms ?? []).map((t) => newAffinityTerm(pod, t));
  const pref = (terms: { weight: number; podAffinityTerm: PodAffinityTerm }[] | undefined) =>
    (terms ?? []).filter((t) => t.weight).map((t) => ({ ...newAffinityTerm(pod, t.podAffinityTerm), weight: t.weight }));
  pi = {
    pod,
    requests: podRequests(pod),
    nonZeroRequests: podRequests(pod, { nonZero: true }),
    hostPorts: podHostPorts(pod),
    requiredAffinityTerms: req(a?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution),
    requiredAntiAffinityTerms: req(a?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution),
    preferredAffinityTerms: pref(a?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution),
    preferredAntiAffinityTerms: pref(a?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution),
  };
  cache.set(pod, pi);
  return pi;
}

/**
 * The PodInfo of `copy`, a copy of `pod` that differs only where no PodInfo field looks (the assumed pod with
 * its spec.nodeName set): `pod`'s info is reused rather than worked out again.
 */
export function podInfoOfCopy(pod: Pod, copy: Pod): PodInfo {
  let pi = cache.get(copy);
  if (!pi) {
    pi = { ...podInfo(pod), pod: copy };
    cache.set(copy, pi);
  }
  return pi;
}

export function hasAffinityTerms(pi: PodInfo): boolean {
  return pi.requiredAffinityTerms.length + pi.requiredAntiAffinityTerms.length + pi.preferredAffinityTerms.length + pi.preferredAntiAffinityTerms.length > 0;
}

/** upstream AffinityTerm.Matches: the pod is in one of the term's namespaces (or selected ones) and its labels match. */
export function termMatches(term: AffinityTerm, pod: Pod, nsLabels: (ns: string) => Labels): boolean {
  const ns = pod.metadata.namespace ?? 'default';
  if (!term.namespaces.has(ns)) {
    if (!term.namespaceSelector || !term.namespaceSelector.matches(nsLabels(ns))) return false;
  }
  return term.selector.matches(pod.metadata.labels);
}

const selectorKeys = new WeakMap<Selector, string>();

/** A string that is equal for selectors that match the same labels the same way (memo keys). */
export function selectorKey(sel: Selector): string {
  let k = selectorKeys.get(sel);
  if (k === undefined) {
    k = sel.empty() ? '*' : JSON.stringify(sel.requirements);
    selectorKeys.set(sel, k);
  }
  return k;
}

/** The memo key of an affinity term, or undefined when it has a namespaceSelector (its matches then depend on namespaces' labels too). */
export function affinityTermKey(t: AffinityTerm): string | undefined {
  if (t.namespaceSelector) return undefined;
  return `${t.topologyKey}\0${[...t.namespaces].sort().join(',')}\0${selectorKey(t.selector)}`;
}
