// Entry point of the patch package: dispatch a PATCH body by Content-Type to JSON patch, merge patch,
// strategic merge patch or server-side apply, and re-export the pieces the API server uses.
import type { KubeObject } from '../../api/types.js';
import { badRequest, unsupportedMediaType } from '../../api/errors.js';
import { applyJsonPatch } from './json_patch.js';
import { applyMergePatch } from './merge_patch.js';
import { applyStrategicMergePatch } from './strategic_merge_patch.js';
import { serverSideApply } from './apply.js';
import type { PatchMetaLookup } from './patch_meta.js';
import { deepEqual, isObject } from './json.js';

export const PATCH_TYPES = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
} as const;

export type PatchType = keyof typeof PATCH_TYPES;

/** Patch type for a Content-Type header value (parameters like charset ignored), or undefined. */
export function patchTypeFor(contentType: string | undefined): PatchType | undefined {
  const mt = (contentType ?? '').split(';')[0].trim().toLowerCase();
  for (const [k, v] of Object.entries(PATCH_TYPES)) if (v === mt) return k as PatchType;
  return undefined;
}

export interface PatchOptions {
  /** Patch metadata of the kind (from the schema); needed for strategic merge and apply list handling. */
  meta?: PatchMetaLookup;
  fieldManager?: string;
  force?: boolean;
  subresource?: string;
  now?: Date;
}

/**
 * Applies a PATCH body of the given Content-Type. `live` undefined is only valid for apply (creation);
 * other types need an existing object (the caller answers 404). Non-apply results carry no managedFields
 * update: call recordUpdate() afterwards. `force` is only allowed with apply (400 otherwise, like upstream).
 */
export function patchObject(
  live: KubeObject | undefined,
  body: string | Buffer,
  contentType: string | undefined,
  opts: PatchOptions = {},
): { object: KubeObject; changed: boolean } {
  const type = patchTypeFor(contentType);
  if (!type) throw unsupportedMediaType(contentType ?? '');
  if (type === 'apply') return serverSideApply(live, body, opts);
  if (opts.force) throw badRequest('force: Forbidden: may not be specified for non-apply patch');
  if (!live) throw badRequest('cannot patch an object that does not exist');
  let object: unknown;
  if (type === 'json') object = applyJsonPatch(live, body);
  else if (type === 'merge') object = applyMergePatch(live, body);
  else object = applyStrategicMergePatch(live, body, opts.meta);
  if (!isObject(object)) throw badRequest('the patched object must be a JSON object');
  const out = object as KubeObject;
  if (!isObject(out.metadata)) out.metadata = {};
  return { object: out, changed: !deepEqual(live, out) };
}

export * from './patch_meta.js';
export * from './json_patch.js';
export * from './merge_patch.js';
export * from './strategic_merge_patch.js';
export * from './apply.js';
export * from './managed_fields.js';
export * from './field_path.js';
export * from './field_set.js';
