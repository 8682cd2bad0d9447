// ObjectMeta validation on create and update (upstream apimachinery ValidateObjectMeta /
// ValidateObjectMetaUpdate): names, namespace, labels, annotations, ownerReferences, finalizers.
import { fieldErr } from '../errors.js';
import type { ObjectMeta, OwnerReference } from '../types.js';
import { annotationsSize, isDNS1123Label, isQualifiedName, TotalAnnotationSizeLimitB, type NameValidator } from '../names.js';
import { type Causes, validateLabels, validateNonnegative } from './field.js';

/** Finalizer names that need no domain prefix. */
export const standardFinalizers = new Set(['kubernetes', 'orphan', 'foregroundDeletion']);

export function validateAnnotations(annotations: unknown, field: string): Causes {
  if (annotations === undefined || annotations === null) return [];
  if (typeof annotations !== 'object' || Array.isArray(annotations)) return [fieldErr.typeInvalid(field, annotations, 'must be a map of string to string')];
  const out: Causes = [];
  for (const [k, v] of Object.entries(annotations as Record<string, unknown>)) {
    for (const m of isQualifiedName(k.toLowerCase())) out.push(fieldErr.invalid(field, k, m));
    if (typeof v !== 'string') out.push(fieldErr.typeInvalid(field, v, 'must be a string'));
  }
  if (annotationsSize(annotations as Record<string, string>) > TotalAnnotationSizeLimitB) out.push(fieldErr.tooLong(field, TotalAnnotationSizeLimitB));
  return out;
}

export function validateOwnerReferences(refs: OwnerReference[] | undefined, field: string): Causes {
  const out: Causes = [];
  if (!refs) return out;
  const controllers: string[] = [];
  refs.forEach((r, i) => {
    const p = `${field}[${i}]`;
    const apiVersion = r.apiVersion ?? '';
    const version = apiVersion.includes('/') ? apiVersion.split('/')[1] : apiVersion;
    if (!version) out.push(fieldErr.invalid(`${p}.apiVersion`, apiVersion, 'version must not be empty'));
    if (!r.kind) out.push(fieldErr.invalid(`${p}.kind`, r.kind ?? '', 'kind must not be empty'));
    if (!r.name) out.push(fieldErr.invalid(`${p}.name`, r.name ?? '', 'name must not be empty'));
    if (!r.uid) out.push(fieldErr.invalid(`${p}.uid`, r.uid ?? '', 'uid must not be empty'));
    if (r.controller) controllers.push(`${r.kind}/${r.name}`);
  });
  if (controllers.length > 1) {
    out.push(fieldErr.invalid(field, refs, `Only one reference can have Controller set to true. Found "true" in references for ${controllers.join(' and ')}`));
  }
  return out;
}

export function validateFinalizerName(name: string, field: string): Causes {
  const out = isQualifiedName(name).map((m) => fieldErr.invalid(field, name, m));
  if (out.length === 0 && !name.includes('/') && !standardFinalizers.has(name)) {
    out.push(fieldErr.invalid(field, name, 'name is neither a standard finalizer name nor is it fully qualified'));
  }
  return out;
}

export function validateFinalizers(finalizers: string[] | undefined, field: string): Causes {
  const out: Causes = [];
  if (!finalizers) return out;
  if (!Array.isArray(finalizers)) return [fieldErr.typeInvalid(field, finalizers, 'must be a list of strings')];
  for (const f of finalizers) out.push(...validateFinalizerName(String(f), field));
  return out;
}

function validateMetaCommon(meta: ObjectMeta, path: string): Causes {
  return [
    ...validateNonnegative(meta.generation, `${path}.generation`),
    ...validateLabels(meta.labels, `${path}.labels`),
    ...validateAnnotations(meta.annotations, `${path}.annotations`),
    ...validateOwnerReferences(meta.ownerReferences, `${path}.ownerReferences`),
    ...validateFinalizers(meta.finalizers, `${path}.finalizers`),
  ];
}

/**
 * Validates metadata on create. `nameValidator` is e.g. nameIsDNSSubdomain (pods, configmaps, ...)
 * or nameIsDNSLabel (namespaces). A pending generateName (no name yet) is accepted.
 */
export function validateObjectMeta(meta: ObjectMeta | undefined, namespaced: boolean, nameValidator: NameValidator, path = 'metadata'): Causes {
  const out: Causes = [];
  const m: ObjectMeta = meta ?? {};
  if (m.generateName) {
    for (const msg of nameValidator(m.generateName, true)) out.push(fieldErr.invalid(`${path}.generateName`, m.generateName, msg));
  }
  if (m.name) {
    for (const msg of nameValidator(m.name, false)) out.push(fieldErr.invalid(`${path}.name`, m.name, msg));
  } else if (!m.generateName) {
    out.push(fieldErr.required(`${path}.name`, 'name or generateName is required'));
  }
  if (namespaced) {
    if (!m.namespace) out.push(fieldErr.required(`${path}.namespace`));
    else for (const msg of isDNS1123Label(m.namespace)) out.push(fieldErr.invalid(`${path}.namespace`, m.namespace, msg));
  } else if (m.namespace) {
    out.push(fieldErr.forbidden(`${path}.namespace`, 'not allowed on this type'));
  }
  out.push(...validateMetaCommon(m, path));
  return out;
}

function immutable(newV: unknown, oldV: unknown, field: string): Causes {
  const a = newV === undefined || newV === null ? '' : newV;
  const b = oldV === undefined || oldV === null ? '' : oldV;
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [fieldErr.invalid(field, newV ?? '', 'field is immutable')];
}

export interface ObjectMetaUpdateOptions {
  /** Require metadata.resourceVersion on the new object (default false: the API server fills it for unconditional updates before validating, as upstream does). */
  requireResourceVersion?: boolean;
}

/**
 * Validates metadata on update: name/namespace/uid/creationTimestamp/deletionTimestamp/
 * deletionGracePeriodSeconds immutable, generation never decremented, no new finalizers once deleting.
 */
export function validateObjectMetaUpdate(
  newMeta: ObjectMeta | undefined,
  oldMeta: ObjectMeta | undefined,
  path = 'metadata',
  opts: ObjectMetaUpdateOptions = {},
): Causes {
  const n: ObjectMeta = newMeta ?? {};
  const o: ObjectMeta = oldMeta ?? {};
  const out: Causes = [];
  if ((opts.requireResourceVersion ?? false) && !n.resourceVersion) {
    out.push(fieldErr.invalid(`${path}.resourceVersion`, n.resourceVersion ?? '', 'must be specified for an update'));
  }
  if ((n.generation ?? 0) < (o.generation ?? 0)) out.push(fieldErr.invalid(`${path}.generation`, n.generation ?? 0, 'must not be decremented'));
  out.push(...immutable(n.name, o.name, `${path}.name`));
  out.push(...immutable(n.namespace, o.namespace, `${path}.namespace`));
  out.push(...immutable(n.uid, o.uid, `${path}.uid`));
  out.push(...immutable(n.creationTimestamp, o.creationTimestamp, `${path}.creationTimestamp`));
  out.push(...immutable(n.deletionTimestamp, o.deletionTimestamp, `${path}.deletionTimestamp`));
  out.push(...immutable(n.deletionGracePeriodSeconds, o.deletionGracePeriodSeconds, `${path}.deletionGracePeriodSeconds`));
  if (o.deletionTimestamp) {
    const old = new Set(o.finalizers ?? []);
    const extra = [...new Set((n.finalizers ?? []).filter((f) => !old.has(f)))].sort();
    if (extra.length) {
      out.push(
        fieldErr.forbidden(
          `${path}.finalizers`,
          `no new finalizers can be added if the object is being deleted, found new finalizers []string{${extra.map((f) => JSON.stringify(f)).join(', ')}}`,
        ),
      );
    }
  }
  out.push(...validateMetaCommon(n, path));
  return out;
}
