// The "0/N nodes are available: ..." message of a failed scheduling attempt, including the
// "preemption: ..." part the default preemption plugin appends (k8ts never evicts pods; it reports
// what upstream's dry run would conclude when no victim can help).
import type { Pod } from '../api/core/v1/types.js';
import { findNodesThatFit, runFilters, type FilterPlugin, type FilterStatus, defaultFilterPlugins } from './framework.js';
import { newNodeInfo, type NodeInfo } from './node_info.js';

export const ERR_NO_NODES_AVAILABLE = 'no nodes available to schedule pods';
export const PREEMPTION_NOT_HELPFUL = 'Preemption is not helpful for scheduling';
export const NO_PREEMPTION_VICTIMS = 'No preemption victims found for incoming pod';
export const PREEMPTION_POLICY_NEVER = 'not eligible due to preemptionPolicy=Never.';
/** Upstream's limit on an event note / condition message from the scheduler. */
export const NOTE_LENGTH_LIMIT = 1024;

/** "0/N nodes are available: <count reason, ...sorted>." */
export function formatFitError(numAllNodes: number, statuses: Iterable<FilterStatus>, absent?: { count: number; reason: string }): string {
  const counts = new Map<string, number>();
  for (const st of statuses) for (const r of st.reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  if (absent && absent.count > 0) counts.set(absent.reason, (counts.get(absent.reason) ?? 0) + absent.count);
  const parts = [...counts].map(([reason, n]) => `${n} ${reason}`).sort();
  let msg = `0/${numAllNodes} nodes are available:`;
  if (parts.length) msg += ` ${parts.join(', ')}.`;
  return msg;
}

function priorityOf(pod: Pod): number {
  return pod.spec?.priority ?? 0;
}

/**
 * The preemption plugin's verdict as upstream words it: nodes rejected for unresolvable reasons are
 * "not helpful"; on the others, pods of lower priority are the only possible victims.
 */
export function preemptionMessage(
  pod: Pod,
  nodeInfos: NodeInfo[],
  statuses: Map<string, FilterStatus>,
  plugins: FilterPlugin[] = defaultFilterPlugins,
): string {
  if (pod.spec?.preemptionPolicy === 'Never') return `preemption: ${PREEMPTION_POLICY_NEVER}`;
  const evaluated: FilterStatus[] = [];
  for (const ni of nodeInfos) {
    const st = statuses.get(ni.node.metadata.name ?? '');
    if (!st || st.code !== 'Unschedulable') continue;
    const keep = ni.pods.filter((p) => priorityOf(p) >= priorityOf(pod));
    if (keep.length === ni.pods.length) {
      evaluated.push({ code: 'UnschedulableAndUnresolvable', reasons: [NO_PREEMPTION_VICTIMS], plugin: 'DefaultPreemption' });
      continue;
    }
    // Victims exist: would the pod fit with them gone? k8ts does not evict, so either way the pod
    // stays pending; report the remaining rejection, or the original one when eviction would help.
    const after = runFilters(pod, newNodeInfo(ni.node, keep), plugins);
    evaluated.push(after ?? st);
  }
  const n = nodeInfos.length;
  return `preemption: ${formatFitError(n, evaluated, { count: n - evaluated.length, reason: PREEMPTION_NOT_HELPFUL })}`;
}

export function truncateMessage(msg: string): string {
  if (msg.length <= NOTE_LENGTH_LIMIT) return msg;
  const suffix = ' ...';
  return msg.slice(0, NOTE_LENGTH_LIMIT - suffix.length) + suffix;
}

/** Filters the nodes for the pod; on failure builds the complete upstream message. `statuses`: why each rejected node was. */
export function diagnose(
  pod: Pod,
  nodeInfos: NodeInfo[],
  plugins: FilterPlugin[] = defaultFilterPlugins,
): { feasible: NodeInfo[]; statuses: Map<string, FilterStatus>; message?: string } {
  if (nodeInfos.length === 0) return { feasible: [], statuses: new Map(), message: ERR_NO_NODES_AVAILABLE };
  const { feasible, statuses } = findNodesThatFit(pod, nodeInfos, plugins);
  if (feasible.length) return { feasible, statuses };
  const msg = `${formatFitError(nodeInfos.length, statuses.values())} ${preemptionMessage(pod, nodeInfos, statuses, plugins)}`;
  return { feasible, statuses, message: msg };
}
