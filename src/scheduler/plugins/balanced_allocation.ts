// NodeResourcesBalancedAllocation: favours nodes whose cpu and memory would be used in equal shares after
// placing the pod: score = (1 - std of the requested/allocatable fractions) * 100, with plain (not
// non-zero) requests; skipped for pods that request nothing (upstream's BestEffort skip).
import type { Plugin } from '../framework_types.js';
import { podInfo } from '../pod_info.js';
import { MAX_NODE_SCORE } from '../score.js';
import { resourceEvents } from './node_resources.js';

export const BALANCED_ALLOCATION = 'NodeResourcesBalancedAllocation';

export function balancedAllocationScore(fractions: number[]): number {
  let std = 0;
  if (fractions.length === 2) std = Math.abs((fractions[0]! - fractions[1]!) / 2);
  else if (fractions.length > 2) {
    const mean = fractions.reduce((a, b) => a + b, 0) / fractions.length;
    std = Math.sqrt(fractions.reduce((a, f) => a + (f - mean) ** 2, 0) / fractions.length);
  }
  return Math.trunc((1 - std) * MAX_NODE_SCORE);
}

export const balancedAllocationPlugin: Plugin = {
  name: BALANCED_ALLOCATION,
  weight: 1,
  events: resourceEvents,
  preScore: (_s, pod) => {
    const r = podInfo(pod).requests;
    if (r.milliCPU === 0 && r.memory === 0) return 'skip';
  },
  score: (_s, pod, ni) => {
    const r = podInfo(pod).requests;
    const fractions: number[] = [];
    for (const [req, alloc] of [
      [ni.requested.milliCPU + r.milliCPU, ni.allocatable.milliCPU],
      [ni.requested.memory + r.memory, ni.allocatable.memory],
    ] as const) {
      if (alloc === 0) continue;
      fractions.push(Math.min(req / alloc, 1));
    }
    return balancedAllocationScore(fractions);
  },
};
