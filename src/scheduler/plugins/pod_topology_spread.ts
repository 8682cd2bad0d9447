// PodTopologySpread (upstream plugins/podtopologyspread): DoNotSchedule constraints filter (matching pods in
// the node's domain + self - the global minimum must not exceed maxSkew; minDomains makes the minimum 0 while
// there are fewer domains; nodes without the topology key are unresolvable), ScheduleAnyway constraints — or,
// when the pod has none, the cluster's default constraints (hostname maxSkew 3, zone maxSkew 5) over the pods
// its Services/controllers select — score: fewer matching pods in the domain is better, weighted by
// log(domains + 2). labelSelector, matchLabelKeys, nodeAffinityPolicy (Honor) and nodeTaintsPolicy (Ignore).
// The per-domain counts over all nodes are kept across cycles (topology_counts.ts): a cycle re-counts only the
// nodes that changed.
import type { Node, Pod, Taint, TopologySpreadConstraint } from '../../api/core/v1/types.js';
import { labelSelectorAsSelector, newRequirement, Selector } from '../../api/labels.js';
import type { CycleState, FilterResult, FrameworkHandle, NodeScore, Plugin } from '../framework_types.js';
import type { NodeInfo } from '../node_info.js';
import { selectorKey } from '../pod_info.js';
import { MAX_NODE_SCORE } from '../score.js';
import { keptCounts, type Measured } from '../topology_counts.js';
import { podMatchesNodeSelectorAndAffinityTerms } from './node_affinity.js';
import { findMatchingUntoleratedTaint } from './tolerations.js';

export const POD_TOPOLOGY_SPREAD = 'PodTopologySpread';
export const ERR_REASON_CONSTRAINTS_NOT_MATCH = "node(s) didn't match pod topology spread constraints";
export const ERR_REASON_NODE_LABEL_NOT_MATCH = ERR_REASON_CONSTRAINTS_NOT_MATCH + ' (missing required label)';
export const LABEL_HOSTNAME = 'kubernetes.io/hostname';
export const LABEL_ZONE = 'topology.kubernetes.io/zone';

/** The scheduler's default spreading (upstream systemDefaultConstraints). */
export const SYSTEM_DEFAULT_CONSTRAINTS: Omit<TopologySpreadConstraint, 'labelSelector'>[] = [
  { topologyKey: LABEL_HOSTNAME, whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 3 },
  { topologyKey: LABEL_ZONE, whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 5 },
];

const PRE_FILTER_KEY = 'PreFilter' + POD_TOPOLOGY_SPREAD;
const PRE_SCORE_KEY = 'PreScore' + POD_TOPOLOGY_SPREAD;

export interface Constraint {
  maxSkew: number;
  topologyKey: string;
  selector: Selector;
  minDomains: number;
  honorNodeAffinity: boolean;
  honorNodeTaints: boolean;
}

function safeSelector(c: TopologySpreadConstraint, pod: Pod): Selector {
  try {
    const sel = labelSelectorAsSelector(c.labelSelector);
    const own = pod.metadata.labels ?? {};
    const extra = (c.labelSelector ? (c.matchLabelKeys ?? []) : []).filter((k) => k in own).map((k) => newRequirement(k, 'in', [own[k]!]));
    return extra.length ? new Selector([...sel.requirements, ...extra]) : sel;
  } catch {
    return Selector.nothing();
  }
}

export function buildConstraints(pod: Pod, cs: TopologySpreadConstraint[], when: 'DoNotSchedule' | 'ScheduleAnyway'): Constraint[] {
  return cs
    .filter((c) => c.whenUnsatisfiable === when)
    .map((c) => ({
      maxSkew: c.maxSkew,
      topologyKey: c.topologyKey,
      selector: safeSelector(c, pod),
      minDomains: c.minDomains ?? 1,
      honorNodeAffinity: (c.nodeAffinityPolicy ?? 'Honor') === 'Honor',
      honorNodeTaints: c.nodeTaintsPolicy === 'Honor',
    }));
}

const noScheduleEffects = (t: Taint) => t.effect === 'NoSchedule' || t.effect === 'NoExecute';

function matchNodeInclusionPolicies(c: Constraint, pod: Pod, node: Node): boolean {
  if (c.honorNodeAffinity && !podMatchesNodeSelectorAndAffinityTerms(pod, node)) return false;
  if (c.honorNodeTaints && findMatchingUntoleratedTaint(node.spec?.taints ?? [], pod.spec?.tolerations, noScheduleEffects)) return false;
  return true;
}

function nodeHasAllKeys(node: Node, cs: Constraint[]): boolean {
  const labels = node.metadata.labels ?? {};
  return cs.every((c) => c.topologyKey in labels);
}

/** Pods in `ns`, not being deleted, whose labels the selector matches. */
export function countPodsMatchSelector(pods: Pod[], selector: Selector, ns: string): number {
  if (selector.requirements.length === 0 && !selector.empty()) return 0;
  let n = 0;
  for (const p of pods) {
    if (p.metadata.deletionTimestamp || (p.metadata.namespace ?? 'default') !== ns) continue;
    if (selector.matches(p.metadata.labels)) n++;
  }
  return n;
}

class PreFilterState {
  constructor(
    readonly constraints: Constraint[],
    /** per constraint: domain value → matching pods (the kept counts' own maps until first written) */
    public tpValueToMatchNum: Map<string, number>[],
    /** per constraint: the minimum over its domains */
    public minMatch: number[],
    /** per constraint: whether the incoming pod matches its own selector (counts itself) */
    readonly selfMatch: number[],
    private shared = true,
  ) {}
  clone(): PreFilterState {
    return new PreFilterState(
      this.constraints,
      this.tpValueToMatchNum.map((m) => new Map(m)),
      [...this.minMatch],
      this.selfMatch,
      false,
    );
  }
  /** The counts to change (addPod/removePod): this state's own copies, never the kept ones. */
  writable(i: number): Map<string, number> {
    if (this.shared) {
      this.tpValueToMatchNum = this.tpValueToMatchNum.map((m) => new Map(m));
      this.shared = false;
    }
    return this.tpValueToMatchNum[i]!;
  }
  recomputeMin(i: number): void {
    let min = Infinity;
    for (const v of this.tpValueToMatchNum[i]!.values()) if (v < min) min = v;
    this.minMatch[i] = min === Infinity ? 0 : min;
  }
  minMatchNum(i: number): number {
    const c = this.constraints[i]!;
    if (c.minDomains > 1 && this.tpValueToMatchNum[i]!.size < c.minDomains) return 0;
    return this.minMatch[i]!;
  }
}

/** What a node adds to a constraint's domain counts: nothing without every key or outside the inclusion policies. */
function nodePart(c: Constraint, requiredKeys: Constraint[], pod: Pod, ns: string, ni: NodeInfo): Measured {
  const node = ni.node;
  const v = node.metadata.labels?.[c.topologyKey];
  if (v === undefined || !nodeHasAllKeys(node, requiredKeys) || !matchNodeInclusionPolicies(c, pod, node)) return NOT_COUNTED;
  return { part: [c.topologyKey, v, countPodsMatchSelector(ni.pods, c.selector, ns)], keep: true };
}

const NOT_COUNTED: Measured = { part: [], keep: true };

/** What the node inclusion policies look at in the incoming pod (part of the kept counts' question). */
function inclusionKey(c: Constraint, pod: Pod): string {
  const aff = c.honorNodeAffinity
    ? JSON.stringify([pod.spec?.nodeSelector ?? null, pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? null])
    : '';
  const taints = c.honorNodeTaints ? JSON.stringify(pod.spec?.tolerations ?? null) : '';
  return `${aff}\0${taints}`;
}

/**
 * The matching pods per domain of constraint `c` over every node that has all of `requiredKeys`' topology keys
 * and that the inclusion policies admit, kept across cycles (topology_counts.ts).
 */
function domainCounts(h: FrameworkHandle, c: Constraint, requiredKeys: Constraint[], pod: Pod): Map<string, number> {
  const ns = pod.metadata.namespace ?? 'default';
  const keys = requiredKeys.map((r) => r.topologyKey).join('\0');
  const question = `pts\0${ns}\0${selectorKey(c.selector)}\0${c.topologyKey}\0${keys}\0${inclusionKey(c, pod)}`;
  return keptCounts(h, question, (ni) => nodePart(c, requiredKeys, pod, ns, ni)).totals.get(c.topologyKey) ?? new Map();
}

function filterConstraints(pod: Pod): Constraint[] {
  return buildConstraints(pod, pod.spec?.topologySpreadConstraints ?? [], 'DoNotSchedule');
}

function updateWithPod(s: PreFilterState, incoming: Pod, p: Pod, ni: NodeInfo, delta: number): void {
  if (!nodeHasAllKeys(ni.node, s.constraints)) return;
  if ((p.metadata.namespace ?? 'default') !== (incoming.metadata.namespace ?? 'default')) return;
  s.constraints.forEach((c, i) => {
    if (!matchNodeInclusionPolicies(c, incoming, ni.node) || !c.selector.matches(p.metadata.labels)) return;
    const v = ni.node.metadata.labels![c.topologyKey]!;
    const m = s.writable(i);
    m.set(v, (m.get(v) ?? 0) + delta);
    s.recomputeMin(i);
  });
}

export function topologySpreadFilter(state: CycleState, ni: NodeInfo): FilterResult {
  const s = state.read<PreFilterState>(PRE_FILTER_KEY);
  if (!s) return null;
  const labels = ni.node.metadata.labels ?? {};
  for (let i = 0; i < s.constraints.length; i++) {
    const c = s.constraints[i]!;
    const v = labels[c.topologyKey];
    if (v === undefined) return { code: 'UnschedulableAndUnresolvable', reasons: [ERR_REASON_NODE_LABEL_NOT_MATCH], plugin: POD_TOPOLOGY_SPREAD };
    const skew = (s.tpValueToMatchNum[i]!.get(v) ?? 0) + s.selfMatch[i]! - s.minMatchNum(i);
    if (skew > c.maxSkew) return { code: 'Unschedulable', reasons: [ERR_REASON_CONSTRAINTS_NOT_MATCH], plugin: POD_TOPOLOGY_SPREAD };
  }
  return null;
}

class PreScoreState {
  constructor(
    readonly constraints: Constraint[],
    readonly ignoredNodes: Set<string>,
    /** per constraint (non-hostname keys): domain value → matching pods */
    readonly pairCounts: Map<string, number>[],
    readonly weights: number[],
  ) {}
}

export function scoreForCount(cnt: number, maxSkew: number, tpWeight: number): number {
  return cnt * tpWeight + (maxSkew - 1);
}

export const podTopologySpreadPlugin: Plugin = {
  name: POD_TOPOLOGY_SPREAD,
  weight: 2,
  events: [
    { resource: 'AssignedPod', actions: ['All'], label: 'AssignedPodChange' },
    { resource: 'Node', actions: ['Add', 'Delete', 'UpdateNodeLabel', 'UpdateNodeTaint'], label: 'NodeChange' },
  ],
  preFilter: (state, pod, h) => {
    const cs = filterConstraints(pod);
    if (cs.length === 0) return { skip: true };
    const s = new PreFilterState(
      cs,
      cs.map((c) => domainCounts(h, c, cs, pod)),
      [],
      cs.map((c) => (c.selector.matches(pod.metadata.labels) ? 1 : 0)),
    );
    cs.forEach((_c, i) => s.recomputeMin(i));
    state.write(PRE_FILTER_KEY, s);
  },
  addPod: (state, pod, added, ni) => {
    const s = state.read<PreFilterState>(PRE_FILTER_KEY);
    if (s) updateWithPod(s, pod, added, ni, 1);
  },
  removePod: (state, pod, removed, ni) => {
    const s = state.read<PreFilterState>(PRE_FILTER_KEY);
    if (s) updateWithPod(s, pod, removed, ni, -1);
  },
  filter: (state, _pod, ni) => topologySpreadFilter(state, ni),
  preScore: (state, pod, filtered, h) => {
    const own = pod.spec?.topologySpreadConstraints ?? [];
    let cs: Constraint[];
    let requireAll = true;
    if (own.length > 0) cs = buildConstraints(pod, own, 'ScheduleAnyway');
    else {
      const sel = h.defaultSelectorFor(pod);
      if (!sel || sel.empty()) return 'skip';
      requireAll = false;
      cs = SYSTEM_DEFAULT_CONSTRAINTS.map((c) => ({
        maxSkew: c.maxSkew,
        topologyKey: c.topologyKey,
        selector: sel,
        minDomains: 1,
        honorNodeAffinity: true,
        honorNodeTaints: false,
      }));
    }
    if (cs.length === 0) return 'skip';
    const ignored = new Set<string>();
    const pairCounts = cs.map(() => new Map<string, number>());
    const sizes = cs.map(() => 0);
    for (const ni of filtered) {
      const node = ni.node;
      if (requireAll && !nodeHasAllKeys(node, cs)) {
        ignored.add(node.metadata.name ?? '');
        continue;
      }
      cs.forEach((c, i) => {
        if (c.topologyKey === LABEL_HOSTNAME) return;
        const v = node.metadata.labels?.[c.topologyKey];
        if (v !== undefined && !pairCounts[i]!.has(v)) pairCounts[i]!.set(v, 0);
      });
    }
    cs.forEach((c, i) => {
      sizes[i] = c.topologyKey === LABEL_HOSTNAME ? filtered.length - ignored.size : pairCounts[i]!.size;
    });
    // the counts over every node (not only the filtered ones) of the domains the filtered nodes are in
    cs.forEach((c, i) => {
      if (c.topologyKey === LABEL_HOSTNAME) return;
      const totals = domainCounts(h, c, requireAll ? cs : [], pod);
      const m = pairCounts[i]!;
      for (const v of m.keys()) m.set(v, totals.get(v) ?? 0);
    });
    state.write(
      PRE_SCORE_KEY,
      new PreScoreState(
        cs,
        ignored,
        pairCounts,
        sizes.map((n) => Math.log(n + 2)),
      ),
    );
  },
  score: (state, pod, ni) => {
    const s = state.read<PreScoreState>(PRE_SCORE_KEY);
    if (!s || s.ignoredNodes.has(ni.node.metadata.name ?? '')) return 0;
    const labels = ni.node.metadata.labels ?? {};
    const ns = pod.metadata.namespace ?? 'default';
    let score = 0;
    s.constraints.forEach((c, i) => {
      const v = labels[c.topologyKey];
      if (v === undefined) return;
      const cnt = c.topologyKey === LABEL_HOSTNAME ? countPodsMatchSelector(ni.pods, c.selector, ns) : (s.pairCounts[i]!.get(v) ?? 0);
      score += scoreForCount(cnt, c.maxSkew, s.weights[i]!);
    });
    return Math.round(score);
  },
  normalizeScore: (state, _pod, scores: NodeScore[]) => {
    const s = state.read<PreScoreState>(PRE_SCORE_KEY);
    if (!s) return;
    let min = Infinity;
    let max = 0;
    for (const sc of scores) {
      if (s.ignoredNodes.has(sc.name)) continue;
      if (sc.score < min) min = sc.score;
      if (sc.score > max) max = sc.score;
    }
    for (const sc of scores) {
      if (s.ignoredNodes.has(sc.name)) sc.score = 0;
      else if (max === 0) sc.score = MAX_NODE_SCORE;
      else sc.score = Math.trunc((MAX_NODE_SCORE * (max + min - sc.score)) / max);
    }
  },
};
