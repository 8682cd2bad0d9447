// NodeResourcesFit: the filter (the pod's requests must fit in allocatable minus what the node's pods
// already request: cpu, memory, ephemeral-storage, scalar resources, and the node's `pods` count; a request
// larger than the whole allocatable is unresolvable) and the LeastAllocated score over cpu and memory
// (weight 1 each, non-zero requests), as upstream's default profile configures it.
import type { Pod } from '../../api/core/v1/types.js';
import type { ClusterEvent, FilterResult, Plugin } from '../framework_types.js';
import type { NodeInfo } from '../node_info.js';
import { podInfo } from '../pod_info.js';
import type { Resource } from '../resources.js';
import { MAX_NODE_SCORE } from '../score.js';

export const NODE_RESOURCES_FIT = 'NodeResourcesFit';

export interface InsufficientResource {
  resourceName: string;
  reason: string;
  requested: number;
  used: number;
  capacity: number;
  /** The request alone exceeds the node's allocatable. */
  unresolvable: boolean;
}

const NONE: InsufficientResource[] = [];

const scalarRequests = new WeakMap<Resource, boolean>();

/** Whether the request names a scalar resource (asked per node: answered once per request object). */
function requestsScalars(req: Resource): boolean {
  let any = scalarRequests.get(req);
  if (any === undefined) {
    any = Object.values(req.scalar).some((v) => v > 0);
    scalarRequests.set(req, any);
  }
  return any;
}

/** What of the request does not fit on the node; the shared empty list when everything fits (the hot path allocates nothing). */
export function fitsRequest(req: Resource, ni: NodeInfo): InsufficientResource[] {
  let out = NONE;
  const alloc = ni.allocatable;
  const used = ni.requested;
  if (ni.podInfos.size + 1 > alloc.allowedPodNumber) {
    out = [
      {
        resourceName: 'pods',
        reason: 'Too many pods',
        requested: 1,
        used: ni.podInfos.size,
        capacity: alloc.allowedPodNumber,
        unresolvable: alloc.allowedPodNumber < 1,
      },
    ];
  }
  const anyScalar = requestsScalars(req);
  if (req.milliCPU === 0 && req.memory === 0 && req.ephemeralStorage === 0 && !anyScalar) return out;
  if (req.milliCPU > alloc.milliCPU - used.milliCPU) out = insufficient(out, 'cpu', req.milliCPU, used.milliCPU, alloc.milliCPU);
  if (req.memory > alloc.memory - used.memory) out = insufficient(out, 'memory', req.memory, used.memory, alloc.memory);
  if (req.ephemeralStorage > alloc.ephemeralStorage - used.ephemeralStorage)
    out = insufficient(out, 'ephemeral-storage', req.ephemeralStorage, used.ephemeralStorage, alloc.ephemeralStorage);
  if (anyScalar)
    for (const [name, v] of Object.entries(req.scalar)) {
      const u = used.scalar[name] ?? 0;
      const c = alloc.scalar[name] ?? 0;
      if (v > c - u) out = insufficient(out, name, v, u, c);
    }
  return out;
}

function insufficient(out: InsufficientResource[], name: string, r: number, u: number, c: number): InsufficientResource[] {
  if (r <= 0) return out;
  const next = out === NONE ? [] : out;
  next.push({ resourceName: name, reason: `Insufficient ${name}`, requested: r, used: u, capacity: c, unresolvable: r > c });
  return next;
}

export function nodeResourcesFitFilter(pod: Pod, ni: NodeInfo): FilterResult {
  const insufficient = fitsRequest(podInfo(pod).requests, ni);
  if (insufficient.length === 0) return null;
  return {
    code: insufficient.some((i) => i.unresolvable) ? 'UnschedulableAndUnresolvable' : 'Unschedulable',
    reasons: insufficient.map((i) => i.reason),
    plugin: NODE_RESOURCES_FIT,
  };
}

function leastRequested(requested: number, capacity: number): number {
  if (capacity <= 0 || requested > capacity) return 0;
  return Math.floor(((capacity - requested) * MAX_NODE_SCORE) / capacity);
}

/** LeastAllocated: the mean of (allocatable - requested) / allocatable over cpu and memory, non-zero requests. */
export function leastAllocatedScore(pod: Pod, ni: NodeInfo): number {
  const req = podInfo(pod).nonZeroRequests;
  const cpuCap = ni.allocatable.milliCPU;
  const memCap = ni.allocatable.memory;
  let sum = 0;
  let weights = 0;
  if (cpuCap !== 0) {
    sum += leastRequested(ni.nonZeroRequested.milliCPU + req.milliCPU, cpuCap);
    weights++;
  }
  if (memCap !== 0) {
    sum += leastRequested(ni.nonZeroRequested.memory + req.memory, memCap);
    weights++;
  }
  return weights ? Math.floor(sum / weights) : 0;
}

export const resourceEvents: ClusterEvent[] = [
  { resource: 'AssignedPod', actions: ['Delete', 'UpdatePodScaleDown'], label: 'AssignedPodDelete' },
  { resource: 'Node', actions: ['Add', 'UpdateNodeAllocatable'], label: 'NodeAdd|NodeAllocatableChange' },
];

export const nodeResourcesFitPlugin: Plugin = {
  name: NODE_RESOURCES_FIT,
  weight: 1,
  events: resourceEvents,
  filter: (_s, pod, ni) => nodeResourcesFitFilter(pod, ni),
  score: (_s, pod, ni) => leastAllocatedScore(pod, ni),
};
