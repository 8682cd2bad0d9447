// A StatefulSet's pods (upstream stateful_set_utils.go): stable names "<set>-<ordinal>", ordinal parsing,
// identity (hostname, subdomain, the pod-name and pod-index labels), the revision label, and the pod a
// revision of the set makes for an ordinal.
import { ControllerRevisionHashLabel, PodIndexLabel, StatefulSetPodNameLabel, type StatefulSet } from '../../api/apps/v1/workload_types.js';
import type { Pod } from '../../api/core/v1/types.js';
import { ownerReferenceTo } from '../history/controller_history.js';

const ORDINAL = /^(.*)-([0-9]+)$/;

/** [parent name, ordinal] of a pod name, or [name, -1] when it has no ordinal suffix. */
export function parentAndOrdinal(podName: string): [string, number] {
  const m = ORDINAL.exec(podName);
  if (!m) return [podName, -1];
  const n = Number(m[2]);
  return Number.isSafeInteger(n) ? [m[1]!, n] : [podName, -1];
}

export function ordinalOf(pod: Pod): number {
  return parentAndOrdinal(pod.metadata.name ?? '')[1];
}

export function podName(set: StatefulSet, ordinal: number): string {
  return `${set.metadata.name}-${ordinal}`;
}

export function startOrdinal(set: StatefulSet): number {
  return set.spec.ordinals?.start ?? 0;
}

/** Ordinals the set wants: [start, start + replicas). */
export function isInRange(set: StatefulSet, ordinal: number): boolean {
  const start = startOrdinal(set);
  return ordinal >= start && ordinal < start + (set.spec.replicas ?? 1);
}

/** Whether a pod is one of the set's by name (isMemberOf). */
export function isMemberOf(set: StatefulSet, pod: Pod): boolean {
  const [parent, ord] = parentAndOrdinal(pod.metadata.name ?? '');
  return parent === set.metadata.name && ord >= 0;
}

export function podRevision(pod: Pod): string {
  return pod.metadata.labels?.[ControllerRevisionHashLabel] ?? '';
}

/** Identity fields that must hold on a set's pod (identityMatches). */
export function identityMatches(set: StatefulSet, pod: Pod): boolean {
  const name = pod.metadata.name ?? '';
  const labels = pod.metadata.labels ?? {};
  return (
    labels[StatefulSetPodNameLabel] === name &&
    labels[PodIndexLabel] === String(ordinalOf(pod)) &&
    (pod.spec?.hostname ?? '') === name &&
    (pod.spec?.subdomain ?? '') === (set.spec.serviceName ?? '')
  );
}

/** The pod `set` (at revision `revision`) makes for `ordinal` (newStatefulSetPod + setPodRevision). */
export function newStatefulSetPod(set: StatefulSet, ordinal: number, revision: string): Pod {
  const t = structuredClone(set.spec.template ?? {});
  const name = podName(set, ordinal);
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      ...(t.metadata ?? {}),
      name,
      namespace: set.metadata.namespace,
      labels: { ...(t.metadata?.labels ?? {}), [StatefulSetPodNameLabel]: name, [PodIndexLabel]: String(ordinal), [ControllerRevisionHashLabel]: revision },
      ownerReferences: [ownerReferenceTo(set, 'StatefulSet')],
    },
    spec: { ...(t.spec ?? { containers: [] }), hostname: name },
  };
  delete pod.metadata.generateName;
  delete pod.metadata.resourceVersion;
  delete pod.metadata.uid;
  delete pod.metadata.creationTimestamp;
  if (set.spec.serviceName) pod.spec!.subdomain = set.spec.serviceName;
  else delete pod.spec!.subdomain;
  return pod;
}
