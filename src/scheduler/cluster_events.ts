// Which informer updates matter to pending pods, as upstream's cluster event action types: node changes that
// could make a pod fit (labels, taints/unschedulable, allocatable, condition statuses — not heartbeats), and
// pod updates other than status/bookkeeping (a pod's own status patch must not retrigger its scheduling).
import type { Node, Pod } from '../api/core/v1/types.js';
import type { ActionType, ClusterEvent } from './framework_types.js';
import type { QueueEvent } from './queue.js';

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** The node update's action types (empty: nothing the scheduler cares about changed). */
export function nodeUpdateActions(oldNode: Node, newNode: Node): ActionType[] {
  const out: ActionType[] = [];
  if (!same(oldNode.metadata.labels, newNode.metadata.labels)) out.push('UpdateNodeLabel');
  if (!same(oldNode.spec?.taints, newNode.spec?.taints) || !!oldNode.spec?.unschedulable !== !!newNode.spec?.unschedulable) out.push('UpdateNodeTaint');
  if (!same(oldNode.status?.allocatable, newNode.status?.allocatable)) out.push('UpdateNodeAllocatable');
  const conds = (n: Node) => (n.status?.conditions ?? []).map((c) => [c.type, c.status]);
  if (!same(conds(oldNode), conds(newNode))) out.push('UpdateNodeCondition');
  return out;
}

export function nodeSchedulingPropertiesChanged(oldNode: Node, newNode: Node): boolean {
  return nodeUpdateActions(oldNode, newNode).length > 0;
}

/** True when something other than status, resourceVersion, managedFields or generation changed. */
export function podSpecOrMetaChanged(oldPod: Pod, newPod: Pod): boolean {
  const strip = (p: Pod) => {
    const { resourceVersion: _rv, managedFields: _mf, generation: _g, ...meta } = p.metadata;
    return { meta, spec: p.spec };
  };
  return !same(strip(oldPod), strip(newPod));
}

/** A pod on a node whose resources were released (finished). */
export function isTerminal(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

/** Does a plugin's registered event cover this event? ('Update' covers every Update* action, 'All' everything.) */
export function eventMatches(reg: ClusterEvent, ev: QueueEvent): boolean {
  const resourceOk = reg.resource === ev.resource || (reg.resource === 'Pod' && ev.resource === 'AssignedPod');
  if (!resourceOk) return false;
  return reg.actions.some((a) => a === 'All' || a === ev.action || (a === 'Update' && ev.action.startsWith('Update')));
}
