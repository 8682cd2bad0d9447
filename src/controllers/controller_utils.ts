// Helpers shared by the workload controllers (upstream pkg/controller/controller_utils.go): which pods
// count (active, ready, available), the controller reference of an object, pods made from a template
// with their owner's controller reference, and slowStartBatch for creating many objects without
// flooding the API server with calls that all fail the same way.
import type { OwnerReference, KubeObject } from '../api/types.js';
import type { Pod, PodTemplateSpec } from '../api/core/v1/types.js';

/** Not finished and not being deleted (upstream IsPodActive). */
export function isPodActive(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && !pod.metadata.deletionTimestamp;
}

function readyCondition(pod: Pod) {
  return (pod.status?.conditions ?? []).find((c) => c.type === 'Ready');
}

export function isPodReady(pod: Pod): boolean {
  return readyCondition(pod)?.status === 'True';
}

/** When the pod last became Ready (undefined when it is not ready). */
export function podReadySince(pod: Pod): number | undefined {
  const c = readyCondition(pod);
  if (c?.status !== 'True') return undefined;
  const t = c.lastTransitionTime ? Date.parse(c.lastTransitionTime) : NaN;
  return Number.isFinite(t) ? t : undefined;
}

/** Ready for at least minReadySeconds at `now` (upstream IsPodAvailable). */
export function isPodAvailable(pod: Pod, minReadySeconds: number, now: number): boolean {
  if (!isPodReady(pod)) return false;
  if (minReadySeconds <= 0) return true;
  const since = podReadySince(pod);
  return since !== undefined && since + minReadySeconds * 1000 <= now;
}

export function controllerRefOf(obj: KubeObject): OwnerReference | undefined {
  return (obj.metadata.ownerReferences ?? []).find((r) => r.controller === true);
}

/** The controller reference an owner puts on what it creates (controller and blockOwnerDeletion true). */
export function newControllerRef(owner: KubeObject, apiVersion: string, kind: string): OwnerReference {
  return { apiVersion, kind, name: owner.metadata.name!, uid: owner.metadata.uid!, controller: true, blockOwnerDeletion: true };
}

/** A pod for `template`, named "<owner>-<random>", owned by `controllerRef` (upstream GetPodFromTemplate). */
export function podFromTemplate(template: PodTemplateSpec, namespace: string, controllerRef: OwnerReference, generateName = `${controllerRef.name}-`): Pod {
  const tm = template.metadata ?? {};
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { generateName, namespace, ownerReferences: [controllerRef] },
    spec: structuredClone(template.spec ?? { containers: [] }),
  };
  if (tm.labels) pod.metadata.labels = { ...tm.labels };
  if (tm.annotations) pod.metadata.annotations = { ...tm.annotations };
  if (tm.finalizers) pod.metadata.finalizers = [...tm.finalizers];
  return pod;
}

/**
 * Calls `fn` `count` times in batches of 1, 2, 4, ... (each batch in parallel), stopping after the first
 * batch with a failure. Returns how many calls succeeded and the first error (upstream slowStartBatch).
 */
export async function slowStartBatch(count: number, initialBatchSize: number, fn: () => Promise<void>): Promise<{ successes: number; error?: unknown }> {
  let remaining = count;
  let successes = 0;
  for (let batch = Math.min(remaining, initialBatchSize); batch > 0; batch = Math.min(2 * batch, remaining)) {
    const results = await Promise.allSettled(Array.from({ length: batch }, () => fn()));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    successes += results.length - results.filter((r) => r.status === 'rejected').length;
    if (failed) return { successes, error: failed.reason };
    remaining -= batch;
  }
  return { successes };
}

/** The message of an error from the API (a Status's message) or anything else. */
export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
