// PriorityClass defaulting and validation (upstream pkg/apis/scheduling/validation): reserved system- names,
// the user-definable maximum, the preemption policy, and value/preemptionPolicy immutable on update.
import { fieldErr } from '../../errors.js';
import type { StatusCause } from '../../types.js';
import { nameIsDNSSubdomain } from '../../names.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../../validation/object_meta.js';
import { HIGHEST_USER_DEFINABLE_PRIORITY, knownSystemPriorityClassError, SYSTEM_PRIORITY_CLASS_PREFIX, type PriorityClass } from './types.js';

const preemptionPolicies = ['Never', 'PreemptLowerPriority'];

export function setDefaultsPriorityClass(pc: PriorityClass): void {
  if (!pc.preemptionPolicy) pc.preemptionPolicy = 'PreemptLowerPriority';
}

export function validatePriorityClass(pc: PriorityClass): StatusCause[] {
  const out = validateObjectMeta(pc.metadata, false, nameIsDNSSubdomain);
  const name = pc.metadata.name ?? '';
  if (typeof pc.value !== 'number' || !Number.isInteger(pc.value)) out.push(fieldErr.required('value'));
  else if (name.startsWith(SYSTEM_PRIORITY_CLASS_PREFIX)) {
    const err = knownSystemPriorityClassError(name, pc.value, !!pc.globalDefault);
    if (err)
      out.push(
        fieldErr.forbidden(
          'metadata.name',
          `priority class names with '${SYSTEM_PRIORITY_CLASS_PREFIX}' prefix are reserved for system use only. error: ${err}`,
        ),
      );
  } else if (pc.value > HIGHEST_USER_DEFINABLE_PRIORITY) {
    out.push(fieldErr.forbidden('value', `maximum allowed value of a user defined priority is ${HIGHEST_USER_DEFINABLE_PRIORITY}`));
  }
  if (pc.preemptionPolicy !== undefined && !preemptionPolicies.includes(pc.preemptionPolicy))
    out.push(fieldErr.notSupported('preemptionPolicy', pc.preemptionPolicy, preemptionPolicies));
  return out;
}

export function validatePriorityClassUpdate(pc: PriorityClass, old: PriorityClass): StatusCause[] {
  const out = [...validateObjectMetaUpdate(pc.metadata, old.metadata), ...validatePriorityClass(pc).filter((c) => !c.field?.startsWith('metadata.'))];
  if (pc.value !== old.value) out.push(fieldErr.forbidden('value', 'may not be changed in an update.'));
  if ((pc.preemptionPolicy ?? '') !== (old.preemptionPolicy ?? '')) out.push(fieldErr.invalid('preemptionPolicy', pc.preemptionPolicy, 'field is immutable'));
  return out;
}
