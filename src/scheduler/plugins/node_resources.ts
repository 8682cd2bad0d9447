// NodeResourcesFit filter: the pod's requests must fit in allocatable minus what pods on the node
// already request (cpu, memory, ephemeral-storage, scalar resources) and the node's `pods` count.
// A request larger than the node's whole allocatable is unresolvable (preemption cannot help).
import type { Pod } from '../../api/core/v1/types.js';
import type { FilterResult } from '../framework_types.js';
import type { NodeInfo } from '../node_info.js';
import { podRequests, type Resource } from '../resources.js';

export interface InsufficientResource {
  resourceName: string;
  reason: string;
  requested: number;
  used: number;
  capacity: number;
  /** The request alone exceeds the node's allocatable. */
  unresolvable: boolean;
}

export function fitsRequest(req: Resource, ni: NodeInfo): InsufficientResource[] {
  const out: InsufficientResource[] = [];
  const alloc = ni.allocatable;
  const used = ni.requested;
  if (ni.pods.length + 1 > alloc.allowedPodNumber) {
    out.push({
      resourceName: 'pods',
      reason: 'Too many pods',
      requested: 1,
      used: ni.pods.length,
      capacity: alloc.allowedPodNumber,
      unresolvable: alloc.allowedPodNumber < 1,
    });
  }
  const scalars = Object.entries(req.scalar).filter(([, v]) => v > 0);
  if (req.milliCPU === 0 && req.memory === 0 && req.ephemeralStorage === 0 && scalars.length === 0) return out;
  const check = (name: string, r: number, u: number, c: number) => {
    if (r > 0 && r > c - u) out.push({ resourceName: name, reason: `Insufficient ${name}`, requested: r, used: u, capacity: c, unresolvable: r > c });
  };
  check('cpu', req.milliCPU, used.milliCPU, alloc.milliCPU);
  check('memory', req.memory, used.memory, alloc.memory);
  check('ephemeral-storage', req.ephemeralStorage, used.ephemeralStorage, alloc.ephemeralStorage);
  for (const [name, v] of scalars) check(name, v, used.scalar[name] ?? 0, alloc.scalar[name] ?? 0);
  return out;
}

export function nodeResourcesFitFilter(pod: Pod, ni: NodeInfo): FilterResult {
  const insufficient = fitsRequest(podRequests(pod), ni);
  if (insufficient.length === 0) return null;
  return {
    code: insufficient.some((i) => i.unresolvable) ? 'UnschedulableAndUnresolvable' : 'Unschedulable',
    reasons: insufficient.map((i) => i.reason),
    plugin: 'NodeResourcesFit',
  };
}
