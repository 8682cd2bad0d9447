// The scheduling framework (upstream pkg/scheduler/framework/runtime): upstream's default profile (plugin order
// and score weights), running PreFilter, Filter (first rejection wins; pods nominated to the node with at
// least the pod's priority counted as if placed, as upstream), PreScore, Score, NormalizeScore and weights,
// and the PreFilter extensions preemption uses. What a plugin is lives in framework_types.ts.
import type { Pod } from '../api/core/v1/types.js';
import { CycleState, type FilterResult, type FilterStatus, type FrameworkHandle, type NodeScore, type Plugin } from './framework_types.js';
import { cloneNodeInfo, addPod, type NodeInfo } from './node_info.js';
import { nodeUnschedulablePlugin } from './plugins/node_unschedulable.js';
import { nodeNamePlugin } from './plugins/node_name.js';
import { taintTolerationPlugin } from './plugins/taint_toleration.js';
import { nodeAffinityPlugin } from './plugins/node_affinity.js';
import { nodePortsPlugin } from './plugins/node_ports.js';
import { nodeResourcesFitPlugin } from './plugins/node_resources.js';
import { volumeRestrictionsPlugin } from './plugins/volume_restrictions.js';
import { podTopologySpreadPlugin } from './plugins/pod_topology_spread.js';
import { interPodAffinityPlugin } from './plugins/inter_pod_affinity.js';
import { balancedAllocationPlugin } from './plugins/balanced_allocation.js';
import { imageLocalityPlugin } from './plugins/image_locality.js';

export { CycleState } from './framework_types.js';
export type { FilterResult, FilterStatus, Plugin, StatusCode } from './framework_types.js';

/** upstream's default profile, in its order; weights: TaintToleration 3, NodeAffinity 2, PodTopologySpread 2, InterPodAffinity 2, the rest 1. */
export function defaultPlugins(): Plugin[] {
  return [
    nodeUnschedulablePlugin,
    nodeNamePlugin,
    taintTolerationPlugin,
    nodeAffinityPlugin,
    nodePortsPlugin,
    nodeResourcesFitPlugin,
    volumeRestrictionsPlugin,
    podTopologySpreadPlugin,
    interPodAffinityPlugin,
    balancedAllocationPlugin,
    imageLocalityPlugin,
  ];
}

/** upstream numFeasibleNodesToFind with the adaptive percentageOfNodesToScore (50% - nodes/125, at least 5%, at least 100 nodes). */
export function numFeasibleNodesToFind(numAllNodes: number, percentage = 0): number {
  if (numAllNodes < 100) return numAllNodes;
  let pct = percentage;
  if (pct <= 0) {
    pct = 50 - Math.trunc(numAllNodes / 125);
    if (pct < 5) pct = 5;
  }
  if (pct >= 100) return numAllNodes;
  const n = Math.trunc((numAllNodes * pct) / 100);
  return n < 100 ? 100 : n;
}

export interface FindResult {
  feasible: NodeInfo[];
  /** node name -> why it was rejected */
  statuses: Map<string, FilterStatus>;
  /** How many nodes were looked at (the next search starts after them). */
  processed: number;
}

export class Framework {
  readonly plugins: Plugin[];
  private readonly filterPlugins: Plugin[];
  private readonly scorePlugins: Plugin[];

  constructor(
    readonly handle: FrameworkHandle,
    plugins: Plugin[] = defaultPlugins(),
    /** Pods nominated to a node (preemptors waiting for their victims to go). */
    private readonly nominatedPods: (node: string) => Pod[] = () => [],
  ) {
    this.plugins = plugins;
    this.filterPlugins = plugins.filter((p) => p.filter);
    this.scorePlugins = plugins.filter((p) => p.score);
  }

  pluginByName(name: string): Plugin | undefined {
    return this.plugins.find((p) => p.name === name);
  }

  /** PreFilter; a returned status rejects every node alike (e.g. a pod that no node can take). */
  runPreFilter(state: CycleState, pod: Pod): FilterStatus | null {
    for (const p of this.plugins) {
      if (!p.preFilter) continue;
      const r = p.preFilter(state, pod, this.handle);
      if (!r) continue;
      if (r.status) return r.status;
      if (r.skip) state.skipFilter.add(p.name);
    }
    return null;
  }

  runFilterPlugins(state: CycleState, pod: Pod, ni: NodeInfo): FilterResult {
    const active = this.activeFilters(state);
    for (let i = 0; i < active.length; i++) {
      const st = active[i]!.filter!(state, pod, ni, this.handle);
      if (st) return st;
    }
    return null;
  }

  /** The filter plugins PreFilter did not skip, worked out once per cycle state (it is asked per node). */
  private activeFilters(state: CycleState): Plugin[] {
    let active = state.activeFilters;
    if (!active || active.skipped !== state.skipFilter.size) {
      active = { plugins: this.filterPlugins.filter((p) => !state.skipFilter.has(p.name)), skipped: state.skipFilter.size };
      state.activeFilters = active;
    }
    return active.plugins;
  }

  /**
   * Filters with the pods nominated to the node that have the pod's priority or more counted as placed
   * (they will get there), then, if that passes, without them too (affinity to them must not be assumed).
   */
  runFilterWithNominatedPods(state: CycleState, pod: Pod, ni: NodeInfo): FilterResult {
    const name = ni.node.metadata.name ?? '';
    const prio = pod.spec?.priority ?? 0;
    const onNode = this.nominatedPods(name);
    if (onNode.length === 0) return this.runFilterPlugins(state, pod, ni);
    const nominated = onNode.filter((p) => p.metadata.uid !== pod.metadata.uid && (p.spec?.priority ?? 0) >= prio);
    if (nominated.length === 0) return this.runFilterPlugins(state, pod, ni);
    const s2 = state.clone();
    const ni2 = cloneNodeInfo(ni);
    for (const np of nominated) {
      addPod(ni2, np);
      this.runAddPod(s2, pod, np, ni2);
    }
    const st = this.runFilterPlugins(s2, pod, ni2);
    if (st) return st;
    return this.runFilterPlugins(state, pod, ni);
  }

  runAddPod(state: CycleState, pod: Pod, added: Pod, ni: NodeInfo): void {
    for (const p of this.plugins) if (p.addPod && !state.skipFilter.has(p.name)) p.addPod(state, pod, added, ni, this.handle);
  }

  runRemovePod(state: CycleState, pod: Pod, removed: Pod, ni: NodeInfo): void {
    for (const p of this.plugins) if (p.removePod && !state.skipFilter.has(p.name)) p.removePod(state, pod, removed, ni, this.handle);
  }

  /**
   * Filters nodes starting at `start` (round robin, as upstream's nextStartNodeIndex) until `limit` feasible
   * ones are found or all were looked at.
   */
  findNodesThatPassFilters(state: CycleState, pod: Pod, nodes: NodeInfo[], limit = nodes.length, start = 0): FindResult {
    const feasible: NodeInfo[] = [];
    const statuses = new Map<string, FilterStatus>();
    const n = nodes.length;
    let processed = 0;
    for (let i = 0; i < n && feasible.length < limit; i++) {
      const ni = nodes[(start + i) % n]!;
      processed++;
      const st = this.runFilterWithNominatedPods(state, pod, ni);
      if (st) statuses.set(ni.node.metadata.name ?? '', st);
      else feasible.push(ni);
    }
    return { feasible, statuses, processed };
  }

  /** PreScore + Score + NormalizeScore, weighted and summed per node. */
  prioritize(state: CycleState, pod: Pod, feasible: NodeInfo[]): NodeScore[] {
    const totals: NodeScore[] = feasible.map((ni) => ({ name: ni.node.metadata.name ?? '', score: 0 }));
    for (const p of this.plugins) {
      if (p.preScore && p.preScore(state, pod, feasible, this.handle) === 'skip') state.skipScore.add(p.name);
    }
    // one scratch list for every plugin's raw (then normalised) scores
    const scores: NodeScore[] = totals.map((t) => ({ name: t.name, score: 0 }));
    const n = feasible.length;
    for (const p of this.scorePlugins) {
      if (state.skipScore.has(p.name)) continue;
      const score = p.score!;
      for (let i = 0; i < n; i++) scores[i]!.score = score(state, pod, feasible[i]!, this.handle);
      p.normalizeScore?.(state, pod, scores);
      const w = p.weight ?? 1;
      for (let i = 0; i < n; i++) totals[i]!.score += scores[i]!.score * w;
    }
    return totals;
  }
}

/** A fresh cycle state. */
export function newCycleState(): CycleState {
  return new CycleState();
}

/** A pod is the scheduler's to place when it names this scheduler, has no node, and is not being deleted or finished. */
export function needsScheduling(pod: Pod, schedulerName: string): boolean {
  const spec = pod.spec;
  if (!spec || spec.nodeName) return false;
  if ((spec.schedulerName || 'default-scheduler') !== schedulerName) return false;
  if (pod.metadata.deletionTimestamp) return false;
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  return true;
}

/** Pods held back by scheduling gates are not attempted until the gates are removed. */
export function isSchedulingGated(pod: Pod): boolean {
  return (pod.spec?.schedulingGates?.length ?? 0) > 0;
}
