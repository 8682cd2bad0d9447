// RFC 7386 JSON merge patch (application/merge-patch+json): maps merge recursively, null deletes a key,
// lists and scalars are replaced wholesale.
import { badRequest } from '../../api/errors.js';
import { clone, isObject, parsePatchBody } from './json.js';

/** Parses a merge-patch body; a non-object body is a 400 BadRequest. */
export function decodeMergePatch(body: string | Buffer | unknown): Record<string, unknown> {
  const doc = parsePatchBody(body);
  if (!isObject(doc)) throw badRequest('Invalid JSON Patch');
  return doc;
}

/** RFC 7386 MergePatch(target, patch); never mutates its inputs. */
export function mergePatchValue(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return clone(patch);
  const out: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatchValue(out[k], v);
  }
  return out;
}

/** Applies a JSON merge patch body to `doc` and returns the patched copy. */
export function applyMergePatch<T>(doc: T, body: string | Buffer | unknown): T {
  return mergePatchValue(clone(doc), decodeMergePatch(body)) as T;
}
