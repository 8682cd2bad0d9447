// emptyDir volumes: the world-writable directory, and the size of memory-backed (tmpfs) ones computed
// like upstream (smallest positive of node allocatable memory, the pod's memory limit, the sizeLimit).
import fs from 'node:fs/promises';
import type { Container, Pod, ResourceList } from '../../api/core/v1/types.js';
import { parseQuantity } from '../../api/quantity.js';

const emptyDirPerm = 0o777;

/** Creates dir with mode 0777 (chmod'ing past the umask), like upstream setupDir. */
export async function setupDir(dir: string): Promise<void> {
  await fs.mkdir(dir, { recursive: true, mode: emptyDirPerm });
  const st = await fs.lstat(dir);
  if ((st.mode & 0o777) !== emptyDirPerm) await fs.chmod(dir, (st.mode & 0o7000) | emptyDirPerm);
}

function memoryLimit(c: Container): bigint | undefined {
  const v = c.resources?.limits?.memory;
  if (v === undefined) return undefined;
  const b = parseQuantity(v).scaledValue(0);
  return b > 0n ? b : undefined;
}

/**
 * The pod's memory limit in bytes, or undefined when some app container has none: the larger of the
 * app containers (plus restartable init containers) summed and the largest init container, plus overhead.
 */
export function podMemoryLimit(pod: Pod): bigint | undefined {
  const spec = pod.spec;
  if (!spec) return undefined;
  let sum = 0n;
  for (const c of spec.containers ?? []) {
    const l = memoryLimit(c);
    if (l === undefined) return undefined;
    sum += l;
  }
  let initMax = 0n;
  for (const c of spec.initContainers ?? []) {
    const l = memoryLimit(c);
    if (c.restartPolicy === 'Always') {
      if (l === undefined) return undefined;
      sum += l;
    } else if (l !== undefined && l > initMax) {
      initMax = l;
    }
  }
  let total = sum > initMax ? sum : initMax;
  const overhead = spec.overhead?.memory;
  if (overhead !== undefined) total += parseQuantity(overhead).scaledValue(0);
  return total;
}

/** Size of a memory-backed volume in bytes; undefined means the kernel default. */
export function memoryVolumeSize(pod: Pod, sizeLimit: string | number | undefined, allocatable: ResourceList | undefined): bigint | undefined {
  let size: bigint | undefined;
  const alloc = allocatable?.memory;
  if (alloc !== undefined) {
    const b = parseQuantity(alloc).scaledValue(0);
    if (b > 0n) size = b;
  }
  const podLimit = podMemoryLimit(pod);
  if (podLimit !== undefined && podLimit > 0n && (size === undefined || podLimit <= size)) size = podLimit;
  if (sizeLimit !== undefined) {
    const b = parseQuantity(sizeLimit).scaledValue(0);
    if (b > 0n && (size === undefined || b <= size)) size = b;
  }
  return size;
}
