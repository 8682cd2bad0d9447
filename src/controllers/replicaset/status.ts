// A ReplicaSet's status from its pods (upstream calculateStatus): replicas, fullyLabeledReplicas,
// readyReplicas, availableReplicas (ready for minReadySeconds), observedGeneration, and the
// ReplicaFailure condition set while creating or deleting pods fails.
import type { Pod } from '../../api/core/v1/types.js';
import { timestamp } from '../../client/events.js';
import { isPodAvailable, isPodReady } from '../controller_utils.js';
import type { ReplicaCondition, ReplicaStatus, ReplicatedObject } from './adapter.js';

export function calculateStatus(rs: ReplicatedObject, pods: Pod[], manageError: { reason: string; message: string } | undefined, now: number): ReplicaStatus {
  const templateLabels = rs.spec?.template?.metadata?.labels ?? {};
  const minReady = rs.spec?.minReadySeconds ?? 0;
  let fullyLabeled = 0;
  let ready = 0;
  let available = 0;
  for (const p of pods) {
    const labels = p.metadata.labels ?? {};
    if (Object.entries(templateLabels).every(([k, v]) => labels[k] === v)) fullyLabeled++;
    if (isPodReady(p)) {
      ready++;
      if (isPodAvailable(p, minReady, now)) available++;
    }
  }
  const status: ReplicaStatus = {
    ...rs.status,
    replicas: pods.length,
    fullyLabeledReplicas: fullyLabeled,
    readyReplicas: ready,
    availableReplicas: available,
  };
  const conditions = (rs.status?.conditions ?? []).filter((c) => c.type !== 'ReplicaFailure');
  const failure = (rs.status?.conditions ?? []).find((c) => c.type === 'ReplicaFailure');
  if (manageError) {
    // a failure condition already there is kept as it is (upstream sets it only when missing)
    const cond: ReplicaCondition = failure ?? {
      type: 'ReplicaFailure',
      status: 'True',
      lastTransitionTime: timestamp(new Date(now)),
      reason: manageError.reason,
      message: manageError.message,
    };
    conditions.push(cond);
  }
  if (conditions.length) status.conditions = conditions;
  else delete status.conditions;
  return status;
}
