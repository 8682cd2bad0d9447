// The pod template of a replicated workload (upstream ValidatePodTemplateSpecForReplicaSet / ForRC): its
// labels match the owner's selector, its spec is a valid pod spec with restartPolicy Always.
import { fieldErr } from '../../../errors.js';
import type { Selector } from '../../../labels.js';
import { type Causes, validateLabels } from '../../../validation/field.js';
import { validateAnnotations } from '../../../validation/object_meta.js';
import type { PodTemplateSpec } from '../types.js';
import { validatePodSpec } from './pod_spec.js';

/** A pod template of a replicated workload (upstream ValidatePodTemplateSpecForReplicaSet). */
export function validatePodTemplateForReplicas(
  t: PodTemplateSpec | undefined,
  selector: Selector,
  field: string,
  mismatch = '`selector` does not match template `labels`',
): Causes {
  if (!t || typeof t !== 'object') return [fieldErr.required(field)];
  const out: Causes = [];
  const labels = t.metadata?.labels ?? {};
  if (!selector.empty() && !selector.matches(labels)) {
    out.push(fieldErr.invalid(`${field}.metadata.labels`, labels, mismatch));
  }
  out.push(...validateLabels(t.metadata?.labels, `${field}.metadata.labels`));
  out.push(...validateAnnotations(t.metadata?.annotations, `${field}.metadata.annotations`));
  out.push(...validatePodSpec(t.spec, `${field}.spec`));
  if ((t.spec?.ephemeralContainers ?? []).length > 0)
    out.push(fieldErr.forbidden(`${field}.spec.ephemeralContainers`, 'ephemeral containers not allowed in pod template'));
  const rp = t.spec?.restartPolicy;
  if (rp && rp !== 'Always') out.push(fieldErr.notSupported(`${field}.spec.restartPolicy`, rp, ['Always']));
  if (t.spec?.activeDeadlineSeconds !== undefined && t.spec.activeDeadlineSeconds !== null)
    out.push(fieldErr.forbidden(`${field}.spec.activeDeadlineSeconds`, 'activeDeadlineSeconds in ReplicaSet is not Supported'));
  return out;
}
