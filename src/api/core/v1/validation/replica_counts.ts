// Status counters of replicated workloads (ReplicaSet, ReplicationController, Deployment): non-negative,
// none above status.replicas, available never above ready (upstream ValidateReplicaSetStatus & co.).
import { fieldErr } from '../../../errors.js';
import { type Causes, validateNonnegative } from '../../../validation/field.js';

export interface ReplicaCounts {
  replicas?: number;
  fullyLabeledReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  observedGeneration?: number;
  updatedReplicas?: number;
  unavailableReplicas?: number;
  collisionCount?: number;
}

export function validateReplicaCounts(s: ReplicaCounts | undefined): Causes {
  if (!s) return [];
  const out: Causes = [];
  for (const k of [
    'replicas',
    'fullyLabeledReplicas',
    'readyReplicas',
    'availableReplicas',
    'observedGeneration',
    'updatedReplicas',
    'unavailableReplicas',
    'collisionCount',
  ] as const)
    out.push(...validateNonnegative(s[k], `status.${k}`));
  const r = s.replicas ?? 0;
  if ((s.fullyLabeledReplicas ?? 0) > r)
    out.push(fieldErr.invalid('status.fullyLabeledReplicas', s.fullyLabeledReplicas, 'cannot be greater than status.replicas'));
  if ((s.updatedReplicas ?? 0) > r) out.push(fieldErr.invalid('status.updatedReplicas', s.updatedReplicas, 'cannot be greater than status.replicas'));
  if ((s.readyReplicas ?? 0) > r) out.push(fieldErr.invalid('status.readyReplicas', s.readyReplicas, 'cannot be greater than status.replicas'));
  if ((s.availableReplicas ?? 0) > r) out.push(fieldErr.invalid('status.availableReplicas', s.availableReplicas, 'cannot be greater than status.replicas'));
  if ((s.availableReplicas ?? 0) > (s.readyReplicas ?? 0))
    out.push(fieldErr.invalid('status.availableReplicas', s.availableReplicas, 'cannot be greater than readyReplicas'));
  return out;
}
