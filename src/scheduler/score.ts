// Scoring: NodeResourcesFit's LeastAllocated strategy over cpu and memory (equal weights), using the
// non-zero requests of the pods on the node plus the incoming pod; the highest score wins, ties go to
// the node whose name sorts first.
import type { Pod } from '../api/core/v1/types.js';
import type { NodeInfo } from './node_info.js';
import { podRequests } from './resources.js';

export const MAX_NODE_SCORE = 100;

function leastRequested(requested: number, capacity: number): number {
  if (capacity <= 0 || requested > capacity) return 0;
  return Math.floor(((capacity - requested) * MAX_NODE_SCORE) / capacity);
}

export function leastAllocatedScore(pod: Pod, ni: NodeInfo): number {
  const req = podRequests(pod, { nonZero: true });
  const cpu = leastRequested(ni.nonZeroRequested.milliCPU + req.milliCPU, ni.allocatable.milliCPU);
  const mem = leastRequested(ni.nonZeroRequested.memory + req.memory, ni.allocatable.memory);
  return Math.floor((cpu + mem) / 2);
}

/** The best feasible node for the pod, or undefined when there is none. */
export function selectHost(pod: Pod, feasible: NodeInfo[]): NodeInfo | undefined {
  let best: NodeInfo | undefined;
  let bestScore = -1;
  for (const ni of feasible) {
    const s = leastAllocatedScore(pod, ni);
    const name = ni.node.metadata.name ?? '';
    if (s > bestScore || (s === bestScore && best && name < (best.node.metadata.name ?? ''))) {
      best = ni;
      bestScore = s;
    }
  }
  return best;
}
