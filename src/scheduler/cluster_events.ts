// Which informer updates matter to pending pods: node changes that could make a pod fit (labels,
// taints, unschedulable, allocatable, condition statuses — not heartbeats), and pod updates other than
// status/bookkeeping (a pod's own status patch must not retrigger its scheduling).
import type { Node, Pod } from '../api/core/v1/types.js';

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

export function nodeSchedulingPropertiesChanged(oldNode: Node, newNode: Node): boolean {
  if (!same(oldNode.metadata.labels, newNode.metadata.labels)) return true;
  if (!same(oldNode.spec?.taints, newNode.spec?.taints)) return true;
  if (!!oldNode.spec?.unschedulable !== !!newNode.spec?.unschedulable) return true;
  if (!same(oldNode.status?.allocatable, newNode.status?.allocatable)) return true;
  const conds = (n: Node) => (n.status?.conditions ?? []).map((c) => [c.type, c.status]);
  return !same(conds(oldNode), conds(newNode));
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
