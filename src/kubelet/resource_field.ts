// Downward API resource values (upstream pkg/api/v1/resource): limits/requests of cpu, memory,
// ephemeral-storage and hugepages-<size> scaled by a divisor and rounded up; missing limits default
// to the node's allocatable.
import os from 'node:os';
import type { Container, Pod, ResourceFieldSelector, ResourceList } from '../api/core/v1/types.js';
import { parseQuantity, type Quantity } from '../api/quantity.js';

/** The node's allocatable resources when the kubelet did not say: every CPU and all memory. */
export function hostAllocatable(): ResourceList {
  const cpus = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return { cpu: String(cpus), memory: String(os.totalmem()) };
}

const defaultedLimits = ['cpu', 'memory', 'ephemeral-storage'];

/** A copy of the container whose unset cpu/memory/ephemeral-storage limits are the node allocatable. */
export function withAllocatableLimits(container: Container, allocatable: ResourceList): Container {
  const limits: ResourceList = { ...(container.resources?.limits ?? {}) };
  for (const name of defaultedLimits) {
    if (limits[name] === undefined && allocatable[name] !== undefined) limits[name] = allocatable[name]!;
  }
  return { ...container, resources: { ...(container.resources ?? {}), limits } };
}

function quantityOf(list: ResourceList | undefined, name: string): Quantity {
  const v = list?.[name];
  return v === undefined ? parseQuantity('0') : parseQuantity(v);
}

function ceilDiv(a: bigint, b: bigint): bigint {
  if (b === 0n) throw new Error('division by zero divisor');
  const q = a / b;
  return q * b === a ? q : a > 0n === b > 0n ? q + 1n : q;
}

function cpuString(cpu: Quantity, divisor: Quantity): string {
  return ceilDiv(cpu.scaledValue(-3), divisor.scaledValue(-3)).toString();
}

function bytesString(q: Quantity, divisor: Quantity): string {
  return ceilDiv(q.scaledValue(0), divisor.scaledValue(0)).toString();
}

/** Value of `limits.cpu`, `requests.memory`, ... for one container (upstream ExtractContainerResourceValue). */
export function extractContainerResourceValue(fs: ResourceFieldSelector, container: Container): string {
  let divisor = fs.divisor === undefined ? parseQuantity('0') : parseQuantity(fs.divisor);
  if (divisor.isZero()) divisor = parseQuantity('1');
  const limits = container.resources?.limits;
  const requests = container.resources?.requests;
  switch (fs.resource) {
    case 'limits.cpu':
      return cpuString(quantityOf(limits, 'cpu'), divisor);
    case 'limits.memory':
      return bytesString(quantityOf(limits, 'memory'), divisor);
    case 'limits.ephemeral-storage':
      return bytesString(quantityOf(limits, 'ephemeral-storage'), divisor);
    case 'requests.cpu':
      return cpuString(quantityOf(requests, 'cpu'), divisor);
    case 'requests.memory':
      return bytesString(quantityOf(requests, 'memory'), divisor);
    case 'requests.ephemeral-storage':
      return bytesString(quantityOf(requests, 'ephemeral-storage'), divisor);
  }
  const m = /^(limits|requests)\.(hugepages-.+)$/.exec(fs.resource);
  if (m) return bytesString(quantityOf(m[1] === 'limits' ? limits : requests, m[2]!), divisor);
  throw new Error(`unsupported container resource : ${fs.resource}`);
}

/** Finds a container (regular, init or ephemeral) of the pod by name. */
export function findContainerInPod(pod: Pod, name: string): Container {
  const all: Container[] = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? []), ...(pod.spec?.ephemeralContainers ?? [])];
  const c = all.find((x) => x.name === name);
  if (!c) throw new Error(`container ${name} not found`);
  return c;
}

/**
 * Value of a resourceFieldRef: the named container (or `current` when containerName is empty), with
 * unset limits taken from the node allocatable.
 */
export function resourceFieldValue(fs: ResourceFieldSelector, pod: Pod, allocatable: ResourceList, current?: Container): string {
  const container = fs.containerName ? findContainerInPod(pod, fs.containerName) : current;
  if (!container) throw new Error(`container ${fs.containerName ?? ''} not found`);
  return extractContainerResourceValue(fs, withAllocatableLimits(container, allocatable));
}
