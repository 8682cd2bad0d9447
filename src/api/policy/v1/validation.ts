// policy/v1 validation (upstream pkg/apis/policy/validation): minAvailable xor maxUnavailable, each a
// non-negative integer or a percentage up to 100%, a valid selector, the unhealthy-pod eviction policy, and
// status counts that are never negative.
import { fieldErr } from '../../errors.js';
import { validateLabelSelector } from '../../labels.js';
import { nameIsDNSSubdomain } from '../../names.js';
import type { StatusCause } from '../../types.js';
import { type Causes, validateNonnegative } from '../../validation/field.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../../validation/object_meta.js';
import { notMoreThan100Percent, validateIntOrPercent } from '../../apps/v1/validation.js';
import type { PodDisruptionBudget, PodDisruptionBudgetSpec, PodDisruptionBudgetStatus } from './types.js';

const EVICTION_POLICIES = ['AlwaysAllow', 'IfHealthyBudget'];
const isSet = (v: unknown) => v !== undefined && v !== null;

export function validatePodDisruptionBudgetSpec(spec: PodDisruptionBudgetSpec | undefined, path = 'spec'): Causes {
  const out: Causes = [];
  const s = spec ?? {};
  if (isSet(s.minAvailable) && isSet(s.maxUnavailable)) out.push(fieldErr.invalid(path, s, 'minAvailable and maxUnavailable cannot be both set'));
  for (const f of ['minAvailable', 'maxUnavailable'] as const) {
    if (!isSet(s[f])) continue;
    out.push(...validateIntOrPercent(s[f], `${path}.${f}`), ...notMoreThan100Percent(s[f], `${path}.${f}`));
  }
  if (isSet(s.selector)) {
    for (const e of validateLabelSelector(s.selector, `${path}.selector`))
      out.push({
        reason: e.reason,
        field: e.field,
        message: e.reason === 'FieldValueInvalid' ? `Invalid value: ${JSON.stringify(e.value)}: ${e.message}` : e.message,
      } as StatusCause);
  }
  if (isSet(s.unhealthyPodEvictionPolicy) && !EVICTION_POLICIES.includes(s.unhealthyPodEvictionPolicy!))
    out.push(fieldErr.notSupported(`${path}.unhealthyPodEvictionPolicy`, s.unhealthyPodEvictionPolicy, EVICTION_POLICIES));
  return out;
}

export function validatePodDisruptionBudget(pdb: PodDisruptionBudget): Causes {
  return [...validateObjectMeta(pdb.metadata, true, nameIsDNSSubdomain), ...validatePodDisruptionBudgetSpec(pdb.spec)];
}

export function validatePodDisruptionBudgetUpdate(pdb: PodDisruptionBudget, old: PodDisruptionBudget): Causes {
  return [...validateObjectMetaUpdate(pdb.metadata, old.metadata), ...validatePodDisruptionBudgetSpec(pdb.spec)];
}

export function validatePodDisruptionBudgetStatus(status: PodDisruptionBudgetStatus | undefined, path = 'status'): Causes {
  const out: Causes = [];
  const s = (status ?? {}) as Partial<PodDisruptionBudgetStatus>;
  for (const f of ['disruptionsAllowed', 'currentHealthy', 'desiredHealthy', 'expectedPods'] as const)
    if (isSet(s[f])) out.push(...validateNonnegative(s[f], `${path}.${f}`));
  return out;
}

export function validatePodDisruptionBudgetStatusUpdate(pdb: PodDisruptionBudget, old: PodDisruptionBudget): Causes {
  return [...validateObjectMetaUpdate(pdb.metadata, old.metadata), ...validatePodDisruptionBudgetStatus(pdb.status)];
}
