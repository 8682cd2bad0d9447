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
    const cpuAlloc = ni.allocatable.milliCPU;
    const memAlloc = ni.allocatable.memory;
    // the two-resource case (cpu and memory, upstream's default) without building a list per node
    if (cpuAlloc === 0 || memAlloc === 0) {
      const fractions: number[] = [];
      if (cpuAlloc !== 0) fractions.push(Math.min((ni.requested.milliCPU + r.milliCPU) / cpuAlloc, 1));
      if (memAlloc !== 0) fractions.push(Math.min((ni.requested.memory + r.memory) / memAlloc, 1));
      return balancedAllocationScore(fractions);
    }
    const cpu = Math.min((ni.requested.milliCPU + r.milliCPU) / cpuAlloc, 1);
    const mem = Math.min((ni.requested.memory + r.memory) / memAlloc, 1);
    return Math.trunc((1 - Math.abs((cpu - mem) / 2)) * MAX_NODE_SCORE);
  },
};
