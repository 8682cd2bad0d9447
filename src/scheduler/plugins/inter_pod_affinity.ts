// InterPodAffinity (upstream plugins/interpodaffinity): the filter checks the incoming pod's required
// affinity (a matching pod in the node's topology domain, or the pod is the first of a group matching itself)
// and anti-affinity, and the symmetric rule: existing pods' required anti-affinity against the incoming pod.
// The score adds the preferred terms of both sides (and existing pods' required affinity, at
// hardPodAffinityWeight 1) per topology domain, normalised between the lowest and the highest node.
import type { Node, Pod } from '../../api/core/v1/types.js';
import type { Labels } from '../../api/labels.js';
import type { CycleState, FilterResult, FrameworkHandle, NodeScore, Plugin } from '../framework_types.js';
import type { NodeInfo } from '../node_info.js';
import { affinityTermKey, podInfo, termMatches, type AffinityTerm, type PodInfo } from '../pod_info.js';
import { MAX_NODE_SCORE } from '../score.js';
import { keptCounts, type KeptCounts, type Measured, type NodePart } from '../topology_counts.js';

export const INTER_POD_AFFINITY = 'InterPodAffinity';
export const ERR_REASON_AFFINITY_RULES_NOT_MATCH = "node(s) didn't match pod affinity rules";
export const ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH = "node(s) didn't match pod anti-affinity rules";
export const ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH = "node(s) didn't satisfy existing pods anti-affinity rules";
export const HARD_POD_AFFINITY_WEIGHT = 1;

const PRE_FILTER_KEY = 'PreFilter' + INTER_POD_AFFINITY;
const PRE_SCORE_KEY = 'PreScore' + INTER_POD_AFFINITY;

/**
 * Counts per topology pair (key → value → count; pairs at 0 are dropped). Starts as a read-only view of kept
 * counts (topology_counts.ts) and copies them on the first change (preemption's and nominated pods' dry runs).
 */
class TopologyCounts {
  constructor(
    private m: Map<string, Map<string, number>> = new Map(),
    private pairs = 0,
    private shared = false,
  ) {}
  static of(kc: KeptCounts): TopologyCounts {
    return new TopologyCounts(kc.totals, kc.size, true);
  }
  get size(): number {
    return this.pairs;
  }
  bump(key: string, value: string, delta: number): void {
    if (this.shared) {
      this.m = copyCounts(this.m);
      this.shared = false;
    }
    let inner = this.m.get(key);
    if (!inner) this.m.set(key, (inner = new Map()));
    const had = inner.has(value);
    const v = (inner.get(value) ?? 0) + delta;
    if (v === 0) {
      if (had) this.pairs--;
      inner.delete(value);
      if (inner.size === 0) this.m.delete(key);
    } else {
      if (!had) this.pairs++;
      inner.set(value, v);
    }
  }
  at(key: string, value: string): number {
    return this.m.get(key)?.get(value) ?? 0;
  }
  clone(): TopologyCounts {
    return new TopologyCounts(copyCounts(this.m), this.pairs);
  }
}

function copyCounts(m: Map<string, Map<string, number>>): Map<string, Map<string, number>> {
  return new Map([...m].map(([k, inner]) => [k, new Map(inner)]));
}

class PreFilterState {
  constructor(
    readonly pi: PodInfo,
    readonly nsLabels: (ns: string) => Labels,
    public existingAntiAffinityCounts = new TopologyCounts(),
    public affinityCounts = new TopologyCounts(),
    public antiAffinityCounts = new TopologyCounts(),
  ) {}
  clone(): PreFilterState {
    return new PreFilterState(this.pi, this.nsLabels, this.existingAntiAffinityCounts.clone(), this.affinityCounts.clone(), this.antiAffinityCounts.clone());
  }
}

export function namespaceLabelsGetter(h: FrameworkHandle): (ns: string) => Labels {
  return (ns) => h.namespace(ns)?.metadata.labels;
}

/** Existing pods' required anti-affinity terms the incoming pod matches, by topology pair of their node. */
function updateExistingAntiAffinity(s: PreFilterState, existing: PodInfo, node: Node, delta: number): void {
  const labels = node.metadata.labels ?? {};
  for (const t of existing.requiredAntiAffinityTerms) {
    const v = labels[t.topologyKey];
    if (v !== undefined && termMatches(t, s.pi.pod, s.nsLabels)) s.existingAntiAffinityCounts.bump(t.topologyKey, v, delta);
  }
}

/** The incoming pod's required terms matched by an existing pod, by topology pair of its node. */
function updateIncoming(s: PreFilterState, existing: Pod, node: Node, delta: number): void {
  const labels = node.metadata.labels;
  if (!labels) return;
  for (const t of s.pi.requiredAffinityTerms) {
    const v = labels[t.topologyKey];
    if (v !== undefined && termMatches(t, existing, s.nsLabels)) s.affinityCounts.bump(t.topologyKey, v, delta);
  }
  for (const t of s.pi.requiredAntiAffinityTerms) {
    const v = labels[t.topologyKey];
    if (v !== undefined && termMatches(t, existing, s.nsLabels)) s.antiAffinityCounts.bump(t.topologyKey, v, delta);
  }
}

/** The node's pods' required anti-affinity terms the incoming pod matches, as (topologyKey, value, 1) triples. */
function existingAntiAffinityOnNode(s: PreFilterState, ni: NodeInfo): Measured {
  if (ni.podsWithRequiredAntiAffinity === 0) return NOTHING;
  const labels = ni.node.metadata.labels ?? {};
  const part: NodePart = [];
  let keep = true;
  for (const epi of ni.podInfos.values()) {
    for (const t of epi.requiredAntiAffinityTerms) {
      if (t.namespaceSelector) keep = false;
      const v = labels[t.topologyKey];
      if (v !== undefined && termMatches(t, s.pi.pod, s.nsLabels)) part.push(t.topologyKey, v, 1);
    }
  }
  return { part, keep };
}

const NOTHING: Measured = { part: [], keep: true };

/** How many of the node's pods match each of `terms` (the incoming pod's required terms), as (topologyKey, value, count) triples. */
function incomingMatchesOnNode(terms: AffinityTerm[], s: PreFilterState, ni: NodeInfo): Measured {
  const labels = ni.node.metadata.labels;
  if (!labels || ni.podInfos.size === 0) return NOTHING;
  const part: NodePart = [];
  for (const t of terms) {
    const v = labels[t.topologyKey];
    if (v === undefined) continue;
    let n = 0;
    for (const epi of ni.podInfos.values()) if (termMatches(t, epi.pod, s.nsLabels)) n++;
    if (n) part.push(t.topologyKey, v, n);
  }
  return { part, keep: true };
}

function podMatchesAllAffinityTerms(terms: AffinityTerm[], pod: Pod, nsLabels: (ns: string) => Labels): boolean {
  return terms.length > 0 && terms.every((t) => termMatches(t, pod, nsLabels));
}

function updateWithPod(s: PreFilterState, p: Pod, ni: NodeInfo, delta: number): void {
  updateExistingAntiAffinity(s, podInfo(p), ni.node, delta);
  updateIncoming(s, p, ni.node, delta);
}

export function interPodAffinityFilter(state: CycleState, ni: NodeInfo): FilterResult {
  const s = state.read<PreFilterState>(PRE_FILTER_KEY);
  if (!s) return null;
  const labels = ni.node.metadata.labels ?? {};
  // satisfyPodAffinity
  let podsExist = true;
  for (const t of s.pi.requiredAffinityTerms) {
    const v = labels[t.topologyKey];
    if (v === undefined) return { code: 'UnschedulableAndUnresolvable', reasons: [ERR_REASON_AFFINITY_RULES_NOT_MATCH], plugin: INTER_POD_AFFINITY };
    if (s.affinityCounts.at(t.topologyKey, v) <= 0) podsExist = false;
  }
  if (!podsExist && !(s.affinityCounts.size === 0 && podMatchesAllAffinityTerms(s.pi.requiredAffinityTerms, s.pi.pod, s.nsLabels)))
    return { code: 'UnschedulableAndUnresolvable', reasons: [ERR_REASON_AFFINITY_RULES_NOT_MATCH], plugin: INTER_POD_AFFINITY };
  // satisfyPodAntiAffinity
  if (s.antiAffinityCounts.size > 0) {
    for (const t of s.pi.requiredAntiAffinityTerms) {
      const v = labels[t.topologyKey];
      if (v !== undefined && s.antiAffinityCounts.at(t.topologyKey, v) > 0)
        return { code: 'Unschedulable', reasons: [ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH], plugin: INTER_POD_AFFINITY };
    }
  }
  // satisfyExistingPodsAntiAffinity (symmetry)
  if (s.existingAntiAffinityCounts.size > 0) {
    for (const k in labels) {
      if (s.existingAntiAffinityCounts.at(k, labels[k]!) > 0)
        return { code: 'Unschedulable', reasons: [ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH], plugin: INTER_POD_AFFINITY };
    }
  }
  return null;
}

/** Score contributions per topology key and value. */
type TopologyScore = Map<string, Map<string, number>>;

function addScore(m: TopologyScore, key: string, value: string, w: number): void {
  let inner = m.get(key);
  if (!inner) m.set(key, (inner = new Map()));
  inner.set(value, (inner.get(value) ?? 0) + w);
}

function processTerm(m: TopologyScore, t: AffinityTerm, weight: number, pod: Pod, nsLabels: (ns: string) => Labels, node: Node, mult: number): void {
  if (!termMatches(t, pod, nsLabels)) return;
  const v = node.metadata.labels?.[t.topologyKey];
  if (v !== undefined) addScore(m, t.topologyKey, v, weight * mult);
}

function processExistingPod(m: TopologyScore, incoming: PodInfo, existing: PodInfo, node: Node, nsLabels: (ns: string) => Labels): void {
  if (!node.metadata.labels || Object.keys(node.metadata.labels).length === 0) return;
  for (const t of incoming.preferredAffinityTerms) processTerm(m, t, t.weight, existing.pod, nsLabels, node, 1);
  for (const t of incoming.preferredAntiAffinityTerms) processTerm(m, t, t.weight, existing.pod, nsLabels, node, -1);
  for (const t of existing.requiredAffinityTerms) processTerm(m, t, HARD_POD_AFFINITY_WEIGHT, incoming.pod, nsLabels, node, 1);
  for (const t of existing.preferredAffinityTerms) processTerm(m, t, t.weight, incoming.pod, nsLabels, node, 1);
  for (const t of existing.preferredAntiAffinityTerms) processTerm(m, t, t.weight, incoming.pod, nsLabels, node, -1);
}

/** The node's pods' terms that weigh on the incoming pod's score, as (topologyKey, value, weight) triples. */
function existingTermsScoreOnNode(pi: PodInfo, ni: NodeInfo, nsLabels: (ns: string) => Labels): Measured {
  if (ni.podsWithAffinity === 0) return NOTHING;
  const sums: TopologyScore = new Map();
  let keep = true;
  for (const epi of ni.podInfos.values()) {
    if (epi.requiredAffinityTerms.length + epi.preferredAffinityTerms.length + epi.preferredAntiAffinityTerms.length === 0) continue;
    if ([...epi.requiredAffinityTerms, ...epi.preferredAffinityTerms, ...epi.preferredAntiAffinityTerms].some((t) => t.namespaceSelector)) keep = false;
    processExistingPod(sums, pi, epi, ni.node, nsLabels);
  }
  const part: NodePart = [];
  for (const [k, inner] of sums) for (const [v, w] of inner) part.push(k, v, w);
  return { part, keep };
}

export const interPodAffinityPlugin: Plugin = {
  name: INTER_POD_AFFINITY,
  weight: 2,
  events: [
    { resource: 'AssignedPod', actions: ['All'], label: 'AssignedPodChange' },
    { resource: 'Node', actions: ['Add', 'UpdateNodeLabel'], label: 'NodeAdd|NodeLabelChange' },
    { resource: 'Namespace', actions: ['Add', 'Update'], label: 'NamespaceChange' },
  ],
  preFilter: (state, pod, h) => {
    const pi = podInfo(pod);
    const hasTerms = pi.requiredAffinityTerms.length + pi.requiredAntiAffinityTerms.length > 0;
    if (!hasTerms && h.nodeInfosWithRequiredAntiAffinityPods().length === 0) return { skip: true };
    const s = new PreFilterState(pi, namespaceLabelsGetter(h));
    // Both walks below visit every pod of many nodes; the totals are kept across cycles (topology_counts.ts),
    // so a cycle measures again only the nodes whose pods changed since the last.
    const podKey = `${pod.metadata.namespace ?? 'default'}\0${JSON.stringify(pod.metadata.labels ?? {})}`;
    s.existingAntiAffinityCounts = TopologyCounts.of(keptCounts(h, `ipa-ex\0${podKey}`, (ni) => existingAntiAffinityOnNode(s, ni)));
    if (hasTerms) {
      const keys = [...pi.requiredAffinityTerms, ...pi.requiredAntiAffinityTerms].map(affinityTermKey);
      const named = keys.every((k) => k !== undefined) ? keys.join('\0\0') : undefined;
      const aff = pi.requiredAffinityTerms;
      const anti = pi.requiredAntiAffinityTerms;
      if (aff.length) s.affinityCounts = TopologyCounts.of(keptCounts(h, named && `ipa-aff\0${named}`, (ni) => incomingMatchesOnNode(aff, s, ni)));
      if (anti.length) s.antiAffinityCounts = TopologyCounts.of(keptCounts(h, named && `ipa-anti\0${named}`, (ni) => incomingMatchesOnNode(anti, s, ni)));
    }
    if (s.existingAntiAffinityCounts.size === 0 && !hasTerms) return { skip: true };
    state.write(PRE_FILTER_KEY, s);
  },
  addPod: (state, _pod, added, ni) => {
    const s = state.read<PreFilterState>(PRE_FILTER_KEY);
    if (s) updateWithPod(s, added, ni, 1);
  },
  removePod: (state, _pod, removed, ni) => {
    const s = state.read<PreFilterState>(PRE_FILTER_KEY);
    if (s) updateWithPod(s, removed, ni, -1);
  },
  filter: (state, _pod, ni) => interPodAffinityFilter(state, ni),
  preScore: (state, pod, _nodes, h) => {
    const pi = podInfo(pod);
    const hasConstraints = pi.preferredAffinityTerms.length + pi.preferredAntiAffinityTerms.length > 0;
    const withAffinity = h.nodeInfosWithAffinityPods();
    if (!hasConstraints && withAffinity.length === 0) return 'skip';
    const nsLabels = namespaceLabelsGetter(h);
    let m: TopologyScore = new Map();
    if (!hasConstraints) {
      // only the existing pods' terms count: each node's contribution depends on the incoming pod's
      // namespace and labels alone, so the totals are kept across cycles
      const question = `ipa-sc\0${pod.metadata.namespace ?? 'default'}\0${JSON.stringify(pod.metadata.labels ?? {})}`;
      m = keptCounts(h, question, (ni) => existingTermsScoreOnNode(pi, ni, nsLabels)).totals;
    } else {
      for (const ni of h.nodeInfos()) for (const epi of ni.podInfos.values()) processExistingPod(m, pi, epi, ni.node, nsLabels);
    }
    if (m.size === 0) return 'skip';
    state.write(PRE_SCORE_KEY, m);
  },
  score: (state, _pod, ni) => {
    const m = state.read<TopologyScore>(PRE_SCORE_KEY);
    if (!m) return 0;
    const labels = ni.node.metadata.labels ?? {};
    let score = 0;
    for (const [k, values] of m) {
      const v = labels[k];
      if (v !== undefined) score += values.get(v) ?? 0;
    }
    return score;
  },
  normalizeScore: (_state, _pod, scores: NodeScore[]) => {
    if (scores.length === 0) return;
    let min = Infinity;
    let max = -Infinity;
    for (const s of scores) {
      if (s.score < min) min = s.score;
      if (s.score > max) max = s.score;
    }
    const diff = max - min;
    for (const s of scores) s.score = diff > 0 ? Math.trunc(MAX_NODE_SCORE * ((s.score - min) / diff)) : 0;
  },
};
