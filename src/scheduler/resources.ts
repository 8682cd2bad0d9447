// Resource arithmetic the scheduler needs: a pod's effective requests (app containers summed, the
// init-container max rule with sidecars, pod overhead, pod-level requests) and node allocatable.
import { tryParseQuantity } from '../api/quantity.js';
import type { Container, Pod, ResourceList } from '../api/core/v1/types.js';

/** Requests in scheduler units: cpu in millicores, memory/ephemeral-storage in bytes, scalars in whole units. */
export interface Resource {
  milliCPU: number;
  memory: number;
  ephemeralStorage: number;
  /** Only meaningful for allocatable: the node's `pods` capacity. */
  allowedPodNumber: number;
  /** Extended resources (example.com/gpu), hugepages-*, attachable-volumes-*. */
  scalar: Record<string, number>;
}

/** Defaults the scorer uses for containers that request no cpu/memory (upstream non-zero requests). */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

export function emptyResource(): Resource {
  return { milliCPU: 0, memory: 0, ephemeralStorage: 0, allowedPodNumber: 0, scalar: {} };
}

/** Resource names the fit check treats as scalars (upstream IsScalarResourceName). */
export function isScalarResourceName(name: string): boolean {
  if (name.startsWith('hugepages-') || name.startsWith('attachable-volumes-')) return true;
  // extended resources: fully qualified, outside the kubernetes.io/ namespace, not a quota "requests." name
  if (!name.includes('/')) return false;
  if (name.startsWith('requests.')) return false;
  const domain = name.slice(0, name.indexOf('/'));
  return !(domain === 'kubernetes.io' || domain.endsWith('.kubernetes.io'));
}

function amount(name: string, raw: unknown): number {
  const q = tryParseQuantity(raw);
  if (!q) return 0;
  return name === 'cpu' ? q.milliValue() : q.value();
}

/** Converts a ResourceList into scheduler units (unknown, non-scalar names are ignored). */
export function resourceFromList(list: ResourceList | undefined): Resource {
  const r = emptyResource();
  addList(r, list);
  return r;
}

export function addList(r: Resource, list: ResourceList | undefined): void {
  for (const [name, raw] of Object.entries(list ?? {})) {
    const v = amount(name, raw);
    switch (name) {
      case 'cpu':
        r.milliCPU += v;
        break;
      case 'memory':
        r.memory += v;
        break;
      case 'ephemeral-storage':
        r.ephemeralStorage += v;
        break;
      case 'pods':
        r.allowedPodNumber += v;
        break;
      default:
        if (isScalarResourceName(name)) r.scalar[name] = (r.scalar[name] ?? 0) + v;
    }
  }
}

export function addResource(into: Resource, r: Resource): void {
  into.milliCPU += r.milliCPU;
  into.memory += r.memory;
  into.ephemeralStorage += r.ephemeralStorage;
  into.allowedPodNumber += r.allowedPodNumber;
  for (const [k, v] of Object.entries(r.scalar)) into.scalar[k] = (into.scalar[k] ?? 0) + v;
}

function maxResource(into: Resource, r: Resource): void {
  into.milliCPU = Math.max(into.milliCPU, r.milliCPU);
  into.memory = Math.max(into.memory, r.memory);
  into.ephemeralStorage = Math.max(into.ephemeralStorage, r.ephemeralStorage);
  for (const [k, v] of Object.entries(r.scalar)) into.scalar[k] = Math.max(into.scalar[k] ?? 0, v);
}

function cloneResource(r: Resource): Resource {
  return { ...r, scalar: { ...r.scalar } };
}

function isSidecar(c: Container): boolean {
  return c.restartPolicy === 'Always';
}

export interface PodRequestOptions {
  /** Substitute the scorer's defaults for containers without a cpu/memory request. */
  nonZero?: boolean;
}

function containerRequests(c: Container, opts: PodRequestOptions): Resource {
  const r = resourceFromList(c.resources?.requests);
  if (opts.nonZero) {
    const req = c.resources?.requests ?? {};
    if (!('cpu' in req)) r.milliCPU = DEFAULT_MILLI_CPU_REQUEST;
    if (!('memory' in req)) r.memory = DEFAULT_MEMORY_REQUEST;
  }
  return r;
}

/**
 * A pod's effective requests (upstream resource helpers' PodRequests): the sum over app containers;
 * sidecar (restartPolicy Always) init containers add to that sum; each regular init container needs
 * its own request plus the sidecars started before it, and the pod needs the max of those and the
 * app sum. Pod-level requests (spec.resources) replace cpu/memory when set. Overhead is added last.
 */
export function podRequests(pod: Pod, opts: PodRequestOptions = {}): Resource {
  const spec = pod.spec;
  const reqs = emptyResource();
  for (const c of spec?.containers ?? []) addResource(reqs, containerRequests(c, opts));
  const sidecars = emptyResource();
  const initMax = emptyResource();
  for (const c of spec?.initContainers ?? []) {
    const cr = containerRequests(c, opts);
    let need: Resource;
    if (isSidecar(c)) {
      addResource(reqs, cr);
      addResource(sidecars, cr);
      need = cloneResource(sidecars);
    } else {
      need = cloneResource(cr);
      addResource(need, sidecars);
    }
    maxResource(initMax, need);
  }
  maxResource(reqs, initMax);
  const podLevel = spec?.resources?.requests;
  if (podLevel) {
    if ('cpu' in podLevel) reqs.milliCPU = amount('cpu', podLevel.cpu);
    if ('memory' in podLevel) reqs.memory = amount('memory', podLevel.memory);
  }
  if (spec?.overhead) addList(reqs, spec.overhead);
  return reqs;
}

export function subResource(from: Resource, r: Resource): void {
  from.milliCPU -= r.milliCPU;
  from.memory -= r.memory;
  from.ephemeralStorage -= r.ephemeralStorage;
  from.allowedPodNumber -= r.allowedPodNumber;
  for (const [k, v] of Object.entries(r.scalar)) from.scalar[k] = (from.scalar[k] ?? 0) - v;
}
