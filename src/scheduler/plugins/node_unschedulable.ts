// NodeUnschedulable filter: a cordoned node (spec.unschedulable) takes only pods that tolerate the
// node.kubernetes.io/unschedulable:NoSchedule taint.
import type { Pod } from '../../api/core/v1/types.js';
import type { FilterResult, Plugin } from '../framework_types.js';
import type { NodeInfo } from '../node_info.js';
import { tolerationsTolerateTaint } from './tolerations.js';

export const TAINT_NODE_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';
export const ERR_REASON_UNSCHEDULABLE = 'node(s) were unschedulable';

export function nodeUnschedulableFilter(pod: Pod, ni: NodeInfo): FilterResult {
  if (!ni.node.spec?.unschedulable) return null;
  if (tolerationsTolerateTaint(pod.spec?.tolerations, { key: TAINT_NODE_UNSCHEDULABLE, effect: 'NoSchedule' })) return null;
  return { code: 'UnschedulableAndUnresolvable', reasons: [ERR_REASON_UNSCHEDULABLE], plugin: 'NodeUnschedulable' };
}

export const nodeUnschedulablePlugin: Plugin = {
  name: 'NodeUnschedulable',
  events: [{ resource: 'Node', actions: ['Add', 'UpdateNodeTaint'], label: 'NodeAdd|NodeTaintChange' }],
  filter: (_s, pod, ni) => nodeUnschedulableFilter(pod, ni),
};
