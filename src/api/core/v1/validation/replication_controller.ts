// core/v1 ReplicationController validation (upstream ValidateReplicationController): the selector is a
// label map, required, matched by the template's labels; unlike apps/v1 it may change on update.
import { fieldErr } from '../../../errors.js';
import { Selector, selectorFromSet } from '../../../labels.js';
import { nameIsDNSSubdomain } from '../../../names.js';
import { type Causes, validateLabels, validateNonnegative } from '../../../validation/field.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../../../validation/object_meta.js';
import type { ReplicationController } from '../types.js';
import { validatePodTemplateForReplicas } from './pod_template.js';
import { validateReplicaCounts } from './replica_counts.js';

export function validateReplicationController(rc: ReplicationController): Causes {
  const spec = rc.spec ?? {};
  const out: Causes = [
    ...validateObjectMeta(rc.metadata, true, nameIsDNSSubdomain),
    ...validateNonnegative(spec.replicas, 'spec.replicas'),
    ...validateNonnegative(spec.minReadySeconds, 'spec.minReadySeconds'),
  ];
  const sel = spec.selector;
  if (!sel || Object.keys(sel).length === 0) out.push(fieldErr.required('spec.selector'));
  else out.push(...validateLabels(sel, 'spec.selector'));
  const selector = sel && Object.keys(sel).length ? selectorFromSet(sel) : Selector.nothing();
  const t = spec.template;
  if (!t) out.push(fieldErr.required('spec.template'));
  else out.push(...validatePodTemplateForReplicas(t, selector, 'spec.template', 'selector does not match template labels'));
  return out;
}

export function validateReplicationControllerUpdate(rc: ReplicationController, old: ReplicationController): Causes {
  return validateObjectMetaUpdate(rc.metadata, old.metadata);
}

export function validateReplicationControllerStatusUpdate(rc: ReplicationController, old: ReplicationController): Causes {
  return [...validateObjectMetaUpdate(rc.metadata, old.metadata), ...validateReplicaCounts(rc.status)];
}
