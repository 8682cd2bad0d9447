// The FrameworkHandle plugins get: the cache's nodes and image counts, plus namespaces and the default
// spreading selector from wherever the caller keeps them (informers in the scheduler, lists in tests).
import type { Namespace, Node, Pod } from '../api/core/v1/types.js';
import type { Selector } from '../api/labels.js';
import { SchedulerCache } from './cache.js';
import type { FrameworkHandle } from './framework_types.js';

export interface HandleSources {
  namespace?: (name: string) => Namespace | undefined;
  namespaces?: () => Namespace[];
  defaultSelectorFor?: (pod: Pod) => Selector | undefined;
}

export function cacheHandle(cache: SchedulerCache, src: HandleSources = {}): FrameworkHandle {
  return {
    nodeInfos: () => cache.nodeInfos(),
    nodeInfo: (n) => cache.nodeInfo(n),
    nodeInfosWithAffinityPods: () => cache.nodeInfosWithAffinityPods(),
    nodeInfosWithRequiredAntiAffinityPods: () => cache.nodeInfosWithRequiredAntiAffinityPods(),
    namespace: (n) => src.namespace?.(n),
    namespaces: () => src.namespaces?.() ?? [],
    imageNumNodes: (i) => cache.imageNumNodes(i),
    defaultSelectorFor: (pod) => src.defaultSelectorFor?.(pod),
  };
}

/** A cache holding these nodes and pods (tests, simulations). */
export function cacheFrom(nodes: Node[], pods: Pod[] = []): SchedulerCache {
  const c = new SchedulerCache();
  for (const n of nodes) c.addNode(n);
  for (const p of pods) c.setPod(p);
  return c;
}
