// The filter framework: the default plugin order, running the filters for a pod over one node (first rejection
// wins, as upstream), and picking the feasible nodes. What a plugin returns is in framework_types.ts.
import type { Pod } from '../api/core/v1/types.js';
import type { NodeInfo } from './node_info.js';
import type { FilterPlugin, FilterResult, FilterStatus } from './framework_types.js';
import { nodeUnschedulableFilter } from './plugins/node_unschedulable.js';
import { taintTolerationFilter } from './plugins/taint_toleration.js';
import { nodeAffinityFilter } from './plugins/node_affinity.js';
import { nodePortsFilter } from './plugins/node_ports.js';
import { nodeResourcesFitFilter } from './plugins/node_resources.js';

export type { FilterFn, FilterPlugin, FilterResult, FilterStatus, StatusCode } from './framework_types.js';

/** Default filter plugins in upstream's order (NodeName is handled before scheduling: bound pods are skipped). */
export const defaultFilterPlugins: FilterPlugin[] = [
  { name: 'NodeUnschedulable', filter: nodeUnschedulableFilter },
  { name: 'TaintToleration', filter: taintTolerationFilter },
  { name: 'NodeAffinity', filter: nodeAffinityFilter },
  { name: 'NodePorts', filter: nodePortsFilter },
  { name: 'NodeResourcesFit', filter: nodeResourcesFitFilter },
];

/** Runs the plugins in order and returns the first rejection, or null when the node fits. */
export function runFilters(pod: Pod, nodeInfo: NodeInfo, plugins: FilterPlugin[] = defaultFilterPlugins): FilterResult {
  for (const p of plugins) {
    const st = p.filter(pod, nodeInfo);
    if (st) return st;
  }
  return null;
}

export interface FindResult {
  feasible: NodeInfo[];
  /** node name -> why it was rejected */
  statuses: Map<string, FilterStatus>;
}

export function findNodesThatFit(pod: Pod, nodeInfos: NodeInfo[], plugins: FilterPlugin[] = defaultFilterPlugins): FindResult {
  const feasible: NodeInfo[] = [];
  const statuses = new Map<string, FilterStatus>();
  for (const ni of nodeInfos) {
    const st = runFilters(pod, ni, plugins);
    if (st) statuses.set(ni.node.metadata.name ?? '', st);
    else feasible.push(ni);
  }
  return { feasible, statuses };
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
