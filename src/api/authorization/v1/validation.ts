// Validation of the authorization.k8s.io/v1 reviews as upstream (pkg/apis/authorization/validation): exactly
// one of resourceAttributes / nonResourceAttributes; a SubjectAccessReview names a user or groups (or a uid);
// a LocalSubjectAccessReview's namespace matches the request's.
import { fieldErr } from '../../errors.js';
import type { StatusCause } from '../../types.js';
import type { SubjectAccessReview, SubjectAccessReviewSpec } from './types.js';

function validateAttributes(spec: SubjectAccessReviewSpec | undefined, path: string): StatusCause[] {
  const s = spec ?? {};
  if (s.resourceAttributes && s.nonResourceAttributes) {
    return [fieldErr.invalid(`${path}.nonResourceAttributes`, s.nonResourceAttributes, 'cannot be specified in combination with resourceAttributes')];
  }
  if (!s.resourceAttributes && !s.nonResourceAttributes) {
    return [fieldErr.invalid(`${path}.resourceAttributes`, null, 'exactly one of nonResourceAttributes or resourceAttributes must be specified')];
  }
  return [];
}

export function validateSubjectAccessReview(r: SubjectAccessReview): StatusCause[] {
  const out = validateAttributes(r.spec, 'spec');
  const s = r.spec ?? {};
  if (!s.user && !(s.groups ?? []).length && !s.uid) out.push(fieldErr.invalid('spec.user', s.user ?? '', '`user` or `groups` must be specified'));
  return out;
}

export function validateSelfSubjectAccessReview(r: SubjectAccessReview): StatusCause[] {
  return validateAttributes(r.spec, 'spec');
}

export function validateLocalSubjectAccessReview(r: SubjectAccessReview, namespace: string): StatusCause[] {
  const out = validateSubjectAccessReview(r);
  const ra = r.spec?.resourceAttributes;
  if (r.spec?.nonResourceAttributes)
    out.push(fieldErr.invalid('spec.nonResourceAttributes', r.spec.nonResourceAttributes, 'disallowed on this kind of request'));
  if (ra && (ra.namespace ?? '') !== namespace)
    out.push(fieldErr.invalid('spec.resourceAttributes.namespace', ra.namespace ?? '', 'must match metadata.namespace'));
  return out;
}
