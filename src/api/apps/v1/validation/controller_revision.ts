// ControllerRevision validation (upstream ValidateControllerRevision/Update): a valid name, data present,
// revision non-negative; data is immutable once written.
import { fieldErr } from '../../../errors.js';
import { nameIsDNSSubdomain } from '../../../names.js';
import { type Causes, validateNonnegative } from '../../../validation/field.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../../../validation/object_meta.js';
import type { ControllerRevision } from '../workload_types.js';
import { canonical } from './stateful_set.js';

export function validateControllerRevision(cr: ControllerRevision): Causes {
  const out: Causes = [...validateObjectMeta(cr.metadata, true, nameIsDNSSubdomain)];
  if (cr.data === undefined || cr.data === null) out.push(fieldErr.required('data', 'data is mandatory'));
  out.push(...validateNonnegative(cr.revision, 'revision'));
  return out;
}

export function validateControllerRevisionUpdate(cr: ControllerRevision, old: ControllerRevision): Causes {
  const out: Causes = [...validateObjectMetaUpdate(cr.metadata, old.metadata), ...validateControllerRevision(cr)];
  if (canonical(cr.data ?? null) !== canonical(old.data ?? null)) out.push(fieldErr.invalid('data', cr.data ?? null, 'field is immutable'));
  return out;
}
