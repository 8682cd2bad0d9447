// TaintToleration: NoSchedule/NoExecute taints the pod does not tolerate reject the node (filter); nodes
// with fewer untolerated PreferNoSchedule taints score higher (reverse-normalised count). Node
// readiness is folded in the way upstream's node lifecycle controller does it: a node whose Ready
// condition is False carries node.kubernetes.io/not-ready:NoSchedule, Unknown/missing carries
// node.kubernetes.io/unreachable:NoSchedule.
import type { Node, Pod, Taint } from '../../api/core/v1/types.js';
import type { FilterResult, Plugin } from '../framework_types.js';
import { defaultNormalizeScore } from './normalize.js';
import type { NodeInfo } from '../node_info.js';
import { findMatchingUntoleratedTaint, toleratesTaint } from './tolerations.js';

export const TAINT_NODE_NOT_READY = 'node.kubernetes.io/not-ready';
export const TAINT_NODE_UNREACHABLE = 'node.kubernetes.io/unreachable';

export function untoleratedTaintReason(t: Taint): string {
  return `node(s) had untolerated taint {${t.key}: ${t.value ?? ''}}`;
}

/** The condition taint a node would carry for its Ready condition, if any. */
export function readinessTaint(node: Node): Taint | undefined {
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  if (ready?.status === 'True') return undefined;
  return { key: ready?.status === 'False' ? TAINT_NODE_NOT_READY : TAINT_NODE_UNREACHABLE, effect: 'NoSchedule' };
}

const effective = new WeakMap<Node, Taint[]>();

/**
 * The node's taints plus the readiness taint (unless an equal key/effect taint is already there). Kept per
 * node object (informer objects are replaced on change, never mutated): the filter asks for every node of
 * every cycle. Callers must not change the list.
 */
export function effectiveTaints(node: Node): Taint[] {
  let taints = effective.get(node);
  if (taints) return taints;
  taints = [...(node.spec?.taints ?? [])];
  const rt = readinessTaint(node);
  if (rt && !taints.some((t) => t.key === rt.key && t.effect === rt.effect)) taints.push(rt);
  effective.set(node, taints);
  return taints;
}

const doNotSchedule = (t: Taint) => t.effect === 'NoSchedule' || t.effect === 'NoExecute';

export function taintTolerationFilter(pod: Pod, ni: NodeInfo): FilterResult {
  const taints = (ni.derived.taints ??= effectiveTaints(ni.node));
  if (taints.length === 0) return null;
  const taint = findMatchingUntoleratedTaint(taints, pod.spec?.tolerations, doNotSchedule);
  if (!taint) return null;
  return { code: 'UnschedulableAndUnresolvable', reasons: [untoleratedTaintReason(taint)], plugin: 'TaintToleration' };
}

/** How many PreferNoSchedule taints of the node the pod's (empty or PreferNoSchedule effect) tolerations miss. */
export function intolerablePreferNoScheduleTaints(pod: Pod, node: Node): number {
  if (!node.spec?.taints?.length) return 0;
  const tolerations = (pod.spec?.tolerations ?? []).filter((t) => !t.effect || t.effect === 'PreferNoSchedule');
  let n = 0;
  for (const t of node.spec?.taints ?? []) {
    if (t.effect !== 'PreferNoSchedule') continue;
    if (!tolerations.some((tol) => toleratesTaint(tol, t))) n++;
  }
  return n;
}

export const taintTolerationPlugin: Plugin = {
  name: 'TaintToleration',
  weight: 3,
  events: [{ resource: 'Node', actions: ['Add', 'UpdateNodeTaint', 'UpdateNodeCondition'], label: 'NodeAdd|NodeTaintChange' }],
  filter: (_s, pod, ni) => taintTolerationFilter(pod, ni),
  score: (_s, pod, ni) => intolerablePreferNoScheduleTaints(pod, ni.node),
  normalizeScore: (_s, _pod, scores) => defaultNormalizeScore(scores, true),
};
