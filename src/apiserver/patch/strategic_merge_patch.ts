// Strategic merge patch (application/strategic-merge-patch+json), as kubectl uses it: lists with a merge key
// merge by key, `merge` primitive lists union, other lists are replaced; `$patch`, `$retainKeys`,
// `$deleteFromPrimitiveList/<f>` and `$setElementOrder/<f>` directives; null deletes a map key.
// Without patch metadata (unknown kinds) every list is replaced, i.e. JSON merge patch semantics (upstream
// rejects SMP for unregistered types; we deliberately fall back instead).
import { badRequest } from '../../api/errors.js';
import { decodeMergePatch } from './merge_patch.js';
import { clone, deepEqual, isObject, type JsonObject } from './json.js';
import { hasStrategy, smpListMode, type PatchMetaLookup } from './patch_meta.js';

export const DIRECTIVE_PATCH = '$patch';
export const DIRECTIVE_RETAIN_KEYS = '$retainKeys';
export const PREFIX_DELETE_FROM_PRIMITIVE_LIST = '$deleteFromPrimitiveList/';
export const PREFIX_SET_ELEMENT_ORDER = '$setElementOrder/';

/** Applies a strategic merge patch body to `doc` (not modified) and returns the result. */
export function applyStrategicMergePatch<T>(doc: T, body: string | Buffer | unknown, meta?: PatchMetaLookup): T {
  const patch = decodeMergePatch(body);
  const original = isObject(doc) ? (clone(doc) as JsonObject) : {};
  return mergeMap(original, patch, meta) as T;
}

/** Strategic merge of `patch` into `original` (neither is modified; unchanged subtrees may be shared). */
export function strategicMergeValue(original: unknown, patch: unknown, meta?: PatchMetaLookup): unknown {
  if (isObject(patch)) {
    if (hasStrategy(meta, 'replace')) return cleanPatch(patch, meta);
    return mergeMap(isObject(original) ? original : {}, patch, meta);
  }
  if (Array.isArray(patch)) {
    if (hasStrategy(meta, 'replace')) return cleanPatch(patch, meta);
    return mergeList(Array.isArray(original) ? original : [], patch, meta);
  }
  return patch;
}

function mergeMap(original: JsonObject, patch: JsonObject, meta: PatchMetaLookup | undefined): JsonObject {
  const directive = patch[DIRECTIVE_PATCH];
  if (directive === 'replace') return cleanPatch(patch, meta) as JsonObject;
  if (directive === 'delete') return {};
  if (directive !== undefined && directive !== 'merge') {
    throw badRequest(`unknown patch type: ${String(directive)} in map: ${JSON.stringify(patch)}`);
  }
  const out: JsonObject = { ...original };

  const retain = patch[DIRECTIVE_RETAIN_KEYS];
  if (retain !== undefined) {
    if (!Array.isArray(retain)) throw badRequest(`invalid type for ${DIRECTIVE_RETAIN_KEYS} directive: ${JSON.stringify(retain)}`);
    for (const k of Object.keys(out)) if (!retain.includes(k)) delete out[k];
  }

  for (const [k, v] of Object.entries(patch)) {
    if (!k.startsWith(PREFIX_DELETE_FROM_PRIMITIVE_LIST)) continue;
    const field = k.slice(PREFIX_DELETE_FROM_PRIMITIVE_LIST.length);
    if (!Array.isArray(v)) throw badRequest(`invalid type for ${k} directive: ${JSON.stringify(v)}`);
    const cur = out[field];
    if (Array.isArray(cur)) out[field] = cur.filter((x) => !v.some((d) => deepEqual(d, x)));
  }

  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith('$')) continue;
    if (v === null) {
      delete out[k];
      continue;
    }
    out[k] = strategicMergeValue(out[k], v, meta?.child(k));
  }

  for (const [k, v] of Object.entries(patch)) {
    if (!k.startsWith(PREFIX_SET_ELEMENT_ORDER)) continue;
    const field = k.slice(PREFIX_SET_ELEMENT_ORDER.length);
    if (!Array.isArray(v)) throw badRequest(`invalid type for ${k} directive: ${JSON.stringify(v)}`);
    const cur = out[field];
    if (Array.isArray(cur)) out[field] = reorder(cur, v, meta?.child(field));
  }
  return out;
}

function mergeList(original: unknown[], patch: unknown[], meta: PatchMetaLookup | undefined): unknown[] {
  const itemMeta = meta?.items();
  // A {"$patch": "replace"} element means: the list becomes the other elements of the patch.
  if (patch.some((x) => isObject(x) && x[DIRECTIVE_PATCH] === 'replace' && Object.keys(x).length === 1)) {
    return patch.filter((x) => !(isObject(x) && x[DIRECTIVE_PATCH] === 'replace')).map((x) => cleanPatch(x, itemMeta));
  }
  const mode = smpListMode(meta);
  if (mode === 'replace') return cleanPatch(patch, meta) as unknown[];

  if (mode === 'union') {
    const out = original.slice();
    for (const x of patch) {
      if (isObject(x) && x[DIRECTIVE_PATCH] !== undefined) continue;
      if (!out.some((o) => deepEqual(o, x))) out.push(clone(x));
    }
    return out;
  }

  const key = meta!.mergeKey!;
  const out = original.slice();
  for (const item of patch) {
    if (!isObject(item)) {
      if (!out.some((o) => deepEqual(o, item))) out.push(item);
      continue;
    }
    const directive = item[DIRECTIVE_PATCH];
    const kv = item[key];
    if (kv === undefined) {
      throw badRequest(`map: ${JSON.stringify(item)} does not contain declared merge key: ${key}`);
    }
    const matches = (o: unknown): boolean => isObject(o) && deepEqual(o[key], kv);
    if (directive === 'delete') {
      for (let i = out.length - 1; i >= 0; i--) if (matches(out[i])) out.splice(i, 1);
      continue;
    }
    const idx = out.findIndex(matches);
    let merged: unknown;
    if (directive === 'replace') merged = cleanPatch(item, itemMeta);
    else merged = mergeMap(idx >= 0 ? (out[idx] as JsonObject) : {}, item, itemMeta);
    if (idx >= 0) out[idx] = merged;
    else out.push(merged);
  }
  return out;
}

/** The patch value with directives and nulls stripped (used where the patch value replaces the original). */
function cleanPatch(v: unknown, meta: PatchMetaLookup | undefined): unknown {
  if (Array.isArray(v)) {
    const im = meta?.items();
    return v.filter((x) => !(isObject(x) && x[DIRECTIVE_PATCH] === 'delete')).map((x) => cleanPatch(x, im));
  }
  if (isObject(v)) {
    const out: JsonObject = {};
    for (const [k, x] of Object.entries(v)) {
      if (k.startsWith('$') || x === null) continue;
      out[k] = cleanPatch(x, meta?.child(k));
    }
    return out;
  }
  return v;
}

/**
 * `$setElementOrder`: elements named in `order` come in that order; elements not named keep their
 * relative position with respect to the named ones (by their index in the merged list).
 */
function reorder(list: unknown[], order: unknown[], meta: PatchMetaLookup | undefined): unknown[] {
  const key = meta?.mergeKey;
  const id = (x: unknown): unknown => (key && isObject(x) ? x[key] : x);
  const used = new Set<number>();
  const ordered: number[] = [];
  for (const o of order) {
    const want = id(o);
    const i = list.findIndex((x, j) => !used.has(j) && deepEqual(id(x), want));
    if (i >= 0) {
      used.add(i);
      ordered.push(i);
    }
  }
  const serverOnly: number[] = [];
  for (let i = 0; i < list.length; i++) if (!used.has(i)) serverOnly.push(i);
  const out: unknown[] = [];
  let a = 0;
  let b = 0;
  while (a < ordered.length || b < serverOnly.length) {
    if (a < ordered.length && (b >= serverOnly.length || ordered[a] < serverOnly[b])) out.push(list[ordered[a++]]);
    else out.push(list[serverOnly[b++]]);
  }
  return out;
}
