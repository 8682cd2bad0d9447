// Admission errors (upstream admission.NewForbidden): the 403 names the object as upstream's
// extractResourceName does — its name, else the generateName prefix (names are generated after admission),
// else "Unknown".
import { forbidden, type StatusError } from '../../api/errors.js';
import type { AdmissionAttributes } from './interfaces.js';

export function admissionResourceName(a: AdmissionAttributes): string {
  if (a.name) return a.name;
  const meta = a.object?.metadata;
  return meta?.name || meta?.generateName || 'Unknown';
}

/** `<resource> "<name>" is forbidden: <why>` for the request's resource. */
export function admissionForbidden(a: AdmissionAttributes, why: string): StatusError {
  return forbidden({ group: a.resource.group, resource: a.resource.resource }, admissionResourceName(a), why);
}
