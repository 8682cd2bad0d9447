// One scheduling cycle for one pod (upstream schedule_one.go's schedulePod + PostFilter), synchronous over the
// cache: PreFilter, the nominated node first, then Filter over a round-robin share of the nodes
// (numFeasibleNodesToFind), Score and host selection; when nothing fits, the FitError message and the
// preemption dry run. Binding, events and status writes are the caller's (scheduler.ts).
import type { Node, Pod } from '../api/core/v1/types.js';
import type { SchedulerCache } from './cache.js';
import { ERR_NO_NODES_AVAILABLE, formatFitError, formatPreFilterError } from './fit_error.js';
import { defaultPlugins, Framework, numFeasibleNodesToFind } from './framework.js';
import { CycleState, type FilterStatus, type Plugin } from './framework_types.js';
import { cacheFrom, cacheHandle, type HandleSources } from './handle.js';
import type { NodeInfo } from './node_info.js';
import { preempt, type Candidate, type DisruptionBudget } from './preemption.js';
import { selectHost } from './score.js';

export interface ScheduleContext {
  fw: Framework;
  cache: SchedulerCache;
  pdbs?: () => DisruptionBudget[];
  /** Where the next node search starts (upstream nextStartNodeIndex); updated by schedulePod. */
  nextStart: number;
  /** percentageOfNodesToScore; 0 = adaptive. */
  percentageOfNodesToScore?: number;
  rand?: () => number;
}

export interface ScheduleResult {
  host?: string;
  evaluatedNodes: number;
  feasibleNodes: number;
  statuses: Map<string, FilterStatus>;
  /** The nodes that passed every filter (for the debug log). */
  feasible?: NodeInfo[];
  /** The FailedScheduling message when no node fits. */
  message?: string;
  /** Plugins that rejected nodes (the queue requeues on their events). */
  rejectors: Set<string>;
  /** Preemption's choice: delete these victims, nominate this node. */
  candidate?: Candidate;
}

export function schedulePod(ctx: ScheduleContext, pod: Pod): ScheduleResult {
  const { fw, cache } = ctx;
  const nodes = cache.nodeInfos();
  const n = nodes.length;
  const rejectors = new Set<string>();
  if (n === 0) return { evaluatedNodes: 0, feasibleNodes: 0, statuses: new Map(), message: ERR_NO_NODES_AVAILABLE, rejectors };
  const state = new CycleState();
  const pre = fw.runPreFilter(state, pod);
  let statuses = new Map<string, FilterStatus>();
  let feasible: NodeInfo[] = [];
  let evaluated = 0;
  if (pre) {
    for (const ni of nodes) statuses.set(ni.node.metadata.name ?? '', pre);
    rejectors.add(pre.plugin);
    evaluated = n;
  } else {
    const nominatedName = pod.status?.nominatedNodeName;
    const nominated = nominatedName ? cache.nodeInfo(nominatedName) : undefined;
    if (nominated && !fw.runFilterWithNominatedPods(state, pod, nominated)) {
      feasible = [nominated];
      evaluated = 1;
    } else {
      const limit = numFeasibleNodesToFind(n, ctx.percentageOfNodesToScore);
      const start = ctx.nextStart % n;
      const r = fw.findNodesThatPassFilters(state, pod, nodes, limit, start);
      ctx.nextStart = (start + r.processed) % n;
      feasible = r.feasible;
      statuses = r.statuses;
      evaluated = r.processed;
    }
  }
  if (feasible.length === 1) return { host: feasible[0]!.node.metadata.name, evaluatedNodes: evaluated, feasibleNodes: 1, statuses, feasible, rejectors };
  if (feasible.length > 1) {
    const scores = fw.prioritize(state, pod, feasible);
    return { host: selectHost(scores, ctx.rand), evaluatedNodes: evaluated, feasibleNodes: feasible.length, statuses, feasible, rejectors };
  }
  for (const st of statuses.values()) rejectors.add(st.plugin);
  const fitMsg = pre ? formatPreFilterError(n, pre) : formatFitError(n, statuses.values());
  const nominatedNode = pod.status?.nominatedNodeName ? cache.nodeInfo(pod.status.nominatedNodeName) : undefined;
  const pr = preempt(fw, state, pod, nodes, statuses, ctx.pdbs?.() ?? [], nominatedNode);
  if (pr.candidate) return { evaluatedNodes: evaluated, feasibleNodes: 0, statuses, rejectors, message: fitMsg, candidate: pr.candidate };
  return { evaluatedNodes: evaluated, feasibleNodes: 0, statuses, rejectors, message: `${fitMsg} ${pr.message}` };
}

/** One cycle over fixed nodes and pods with the default profile (or `plugins`): tests and simulations. */
export function scheduleOnSnapshot(
  pod: Pod,
  nodes: Node[],
  pods: Pod[] = [],
  o: HandleSources & { plugins?: Plugin[]; pdbs?: DisruptionBudget[]; rand?: () => number; percentageOfNodesToScore?: number } = {},
): ScheduleResult {
  const cache = cacheFrom(nodes, pods);
  const fw = new Framework(cacheHandle(cache, o), o.plugins ?? defaultPlugins(), (n) => cache.nominatedPodsFor(n));
  return schedulePod({ fw, cache, nextStart: 0, pdbs: () => o.pdbs ?? [], rand: o.rand, percentageOfNodesToScore: o.percentageOfNodesToScore }, pod);
}
