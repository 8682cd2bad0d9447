// The scheduling framework's types (upstream pkg/scheduler/framework/interface.go): plugin statuses, the
// per-cycle state, the extension points a plugin may implement (PreFilter, Filter, PreScore, Score,
// NormalizeScore, PreFilter extensions for preemption's dry runs) and the cluster events it requeues on.
// Shared by framework.ts, the plugins, the queue and preemption, so that none of them imports another.
import type { Namespace, Pod } from '../api/core/v1/types.js';
import type { NodeInfo } from './node_info.js';
import type { Selector } from '../api/labels.js';

/**
 * Unschedulable: the node may fit after something changes on it (preemption could help).
 * UnschedulableAndUnresolvable: nothing done to the node's pods would help.
 */
export type StatusCode = 'Unschedulable' | 'UnschedulableAndUnresolvable';

export interface FilterStatus {
  code: StatusCode;
  /** Upstream reason strings, e.g. "Insufficient cpu"; one node may have several. */
  reasons: string[];
  plugin: string;
}

/** null = the node passes. */
export type FilterResult = FilterStatus | null;

/** Data plugins compute once per scheduling cycle (PreFilter/PreScore) and read per node. */
export class CycleState {
  private readonly data = new Map<string, unknown>();
  /** Plugins whose PreFilter said Skip: their Filter is not run this cycle. */
  readonly skipFilter = new Set<string>();
  readonly skipScore = new Set<string>();
  /** The framework's list of the filters not skipped (valid while skipFilter keeps that size). */
  activeFilters?: { plugins: Plugin[]; skipped: number };

  read<T>(key: string): T | undefined {
    return this.data.get(key) as T | undefined;
  }

  write(key: string, v: unknown): void {
    this.data.set(key, v);
  }

  /** A copy for a dry run (preemption): values with a clone() are cloned, others shared. */
  clone(): CycleState {
    const c = new CycleState();
    for (const [k, v] of this.data) {
      const cl = (v as { clone?: () => unknown } | null)?.clone;
      c.data.set(k, typeof cl === 'function' ? cl.call(v) : v);
    }
    for (const s of this.skipFilter) c.skipFilter.add(s);
    for (const s of this.skipScore) c.skipScore.add(s);
    return c;
  }
}

/** What plugins may ask of the scheduler besides the node they look at. */
export interface FrameworkHandle {
  /** Every node the scheduler knows, with the pods it counts on each. */
  nodeInfos(): NodeInfo[];
  nodeInfo(name: string): NodeInfo | undefined;
  /** Nodes that have at least one pod with (anti-)affinity terms (upstream HavePodsWithAffinityList). */
  nodeInfosWithAffinityPods(): NodeInfo[];
  nodeInfosWithRequiredAntiAffinityPods(): NodeInfo[];
  namespace(name: string): Namespace | undefined;
  namespaces(): Namespace[];
  /** How many nodes have the image (ImageLocality's spread factor). */
  imageNumNodes(image: string): number;
  /** Selectors of the Services/ReplicaSets/StatefulSets/ReplicationControllers that select the pod (default spreading). */
  defaultSelectorFor(pod: Pod): Selector | undefined;
}

/** PreFilter's outcome: "skip" means Filter need not run for this pod (nothing to check). */
export type PreFilterResult = { status?: FilterStatus; skip?: boolean; nodeNames?: Set<string> } | void;

export type ClusterEventResource = 'Pod' | 'AssignedPod' | 'Node' | 'Namespace' | 'PersistentVolumeClaim' | 'Service' | 'PodDisruptionBudget';
export type ActionType =
  | 'Add'
  | 'Delete'
  | 'Update'
  | 'UpdateNodeLabel'
  | 'UpdateNodeTaint'
  | 'UpdateNodeAllocatable'
  | 'UpdateNodeCondition'
  | 'UpdatePodLabel'
  | 'UpdatePodScaleDown'
  | 'All';

/** A change in the cluster that can make a pending pod schedulable (upstream framework.ClusterEvent). */
export interface ClusterEvent {
  resource: ClusterEventResource;
  actions: ActionType[];
  label: string;
}

export interface NodeScore {
  name: string;
  score: number;
}

export interface Plugin {
  readonly name: string;
  /** Score weight in the profile (upstream's default profile weights). */
  readonly weight?: number;
  /** Events after which pods this plugin rejected get another try. */
  readonly events?: ClusterEvent[];
  preFilter?(state: CycleState, pod: Pod, h: FrameworkHandle): PreFilterResult;
  filter?(state: CycleState, pod: Pod, ni: NodeInfo, h: FrameworkHandle): FilterResult;
  /** PreFilter extensions: keep the cycle state right while preemption adds/removes pods on a node. */
  addPod?(state: CycleState, pod: Pod, added: Pod, ni: NodeInfo, h: FrameworkHandle): void;
  removePod?(state: CycleState, pod: Pod, removed: Pod, ni: NodeInfo, h: FrameworkHandle): void;
  /** Returns 'skip' when Score need not run (nothing to score). */
  preScore?(state: CycleState, pod: Pod, nodes: NodeInfo[], h: FrameworkHandle): 'skip' | void;
  score?(state: CycleState, pod: Pod, ni: NodeInfo, h: FrameworkHandle): number;
  normalizeScore?(state: CycleState, pod: Pod, scores: NodeScore[]): void;
}

/** Filter function shape of the simple plugins (no cycle state). */
export type FilterFn = (pod: Pod, nodeInfo: NodeInfo) => FilterResult;

export interface FilterPlugin {
  name: string;
  filter: FilterFn;
}
