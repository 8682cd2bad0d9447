// The field set of an object (which leaf fields, list items and set values it contains), the changes between
// two objects as field paths, and reading/removing the value at a field path. Lists are keyed by their
// list-map keys, sets by value, everything else is atomic (see patchMeta's ssaListKeys/ssaIsSet).
import { deepEqual, isObject, type JsonObject } from './json.js';
import { SEP, fieldElem, indexElem, joinPath, keyElem, splitPath, valueElem, type EncodedPath, type FieldSet } from './field_path.js';
import { ssaIsSet, ssaKeyDefaults, ssaListKeys, type PatchMetaLookup } from './patch_meta.js';

/** Fields never tracked in managedFields (set by the server or identifying the object). */
const IGNORED_TOP = new Set(['apiVersion', 'kind']);
const IGNORED_META = new Set(['name', 'namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'selfLink', 'clusterName', 'managedFields']);

function isIgnored(prefix: EncodedPath, key: string, depth: number): boolean {
  if (depth === 0) return IGNORED_TOP.has(key);
  return depth === 1 && prefix === 'f:metadata' && IGNORED_META.has(key);
}

function itemElem(item: unknown, i: number, keys: string[], defaults: Record<string, unknown> | undefined): string {
  return (isObject(item) && keyElem(item, keys, defaults)) || indexElem(i);
}

/** Adds to `out` every member path of `v` (located at `prefix`). */
export function collectFields(v: unknown, meta: PatchMetaLookup | undefined, prefix: EncodedPath, out: FieldSet, depth = 2): void {
  if (isObject(v)) {
    const keys = Object.keys(v);
    if (prefix !== '' && (keys.length === 0 || meta?.mapType === 'atomic')) {
      out.add(prefix);
      return;
    }
    for (const k of keys) {
      if (depth < 2 && isIgnored(prefix, k, depth)) continue;
      collectFields(v[k], meta?.child(k), joinPath(prefix, fieldElem(k)), out, depth + 1);
    }
    return;
  }
  if (Array.isArray(v)) {
    const keys = ssaListKeys(meta);
    if (keys) {
      const im = meta?.items();
      const defaults = ssaKeyDefaults(meta, keys);
      v.forEach((item, i) => {
        const p = joinPath(prefix, itemElem(item, i, keys, defaults));
        out.add(p);
        if (isObject(item)) for (const k of Object.keys(item)) collectFields(item[k], im?.child(k), joinPath(p, fieldElem(k)), out, 3);
      });
      return;
    }
    if (ssaIsSet(meta)) {
      for (const item of v) out.add(joinPath(prefix, valueElem(item)));
      return;
    }
  }
  if (prefix !== '') out.add(prefix);
}

/** The field set of a whole object (identity and server-owned metadata excluded). */
export function fieldSetOf(obj: unknown, meta: PatchMetaLookup | undefined): FieldSet {
  const out: FieldSet = new Set();
  collectFields(obj, meta, '', out, 0);
  return out;
}

export interface FieldChanges {
  /** Member paths that are new or whose value changed. */
  changed: FieldSet;
  /** Paths that disappeared (everything at or below them is gone). */
  removed: EncodedPath[];
}

function kindOf(v: unknown): 'object' | 'array' | 'scalar' {
  return isObject(v) ? 'object' : Array.isArray(v) ? 'array' : 'scalar';
}

/** What changed from `oldV` to `newV`, as field paths. Cheap when most of the object is unchanged. */
export function diffFields(oldV: unknown, newV: unknown, meta: PatchMetaLookup | undefined): FieldChanges {
  const res: FieldChanges = { changed: new Set(), removed: [] };
  diffInto(oldV, newV, meta, '', 0, res);
  return res;
}

function diffInto(a: unknown, b: unknown, meta: PatchMetaLookup | undefined, prefix: EncodedPath, depth: number, res: FieldChanges): void {
  if (a === b) return;
  const ka = kindOf(a);
  const kb = kindOf(b);
  if (ka === 'object' && kb === 'object' && (prefix === '' || meta?.mapType !== 'atomic')) {
    const ao = a as JsonObject;
    const bo = b as JsonObject;
    const aEmpty = Object.keys(ao).length === 0;
    const bEmpty = Object.keys(bo).length === 0;
    if (prefix !== '' && aEmpty !== bEmpty) {
      res.removed.push(prefix);
      collectFields(b, meta, prefix, res.changed, depth);
      return;
    }
    for (const k of Object.keys(bo)) {
      if (depth < 2 && isIgnored(prefix, k, depth)) continue;
      const p = joinPath(prefix, fieldElem(k));
      if (!(k in ao)) collectFields(bo[k], meta?.child(k), p, res.changed, depth + 1);
      else diffInto(ao[k], bo[k], meta?.child(k), p, depth + 1, res);
    }
    for (const k of Object.keys(ao)) {
      if (k in bo || (depth < 2 && isIgnored(prefix, k, depth))) continue;
      res.removed.push(joinPath(prefix, fieldElem(k)));
    }
    return;
  }
  if (ka === 'array' && kb === 'array') {
    const av = a as unknown[];
    const bv = b as unknown[];
    const keys = ssaListKeys(meta);
    if (keys) {
      const im = meta?.items();
      const defaults = ssaKeyDefaults(meta, keys);
      const old = new Map<string, unknown>();
      av.forEach((item, i) => old.set(itemElem(item, i, keys, defaults), item));
      const seen = new Set<string>();
      bv.forEach((item, i) => {
        const e = itemElem(item, i, keys, defaults);
        seen.add(e);
        const p = joinPath(prefix, e);
        if (!old.has(e)) {
          res.changed.add(p);
          if (isObject(item)) for (const k of Object.keys(item)) collectFields(item[k], im?.child(k), joinPath(p, fieldElem(k)), res.changed, 3);
        } else {
          diffInto(old.get(e), item, im, p, 3, res);
        }
      });
      for (const e of old.keys()) if (!seen.has(e)) res.removed.push(joinPath(prefix, e));
      return;
    }
    if (ssaIsSet(meta)) {
      const as = new Set(av.map((x) => valueElem(x)));
      const bs = new Set(bv.map((x) => valueElem(x)));
      for (const e of bs) if (!as.has(e)) res.changed.add(joinPath(prefix, e));
      for (const e of as) if (!bs.has(e)) res.removed.push(joinPath(prefix, e));
      return;
    }
  }
  if (ka === kb && deepEqual(a, b)) return;
  if (ka !== kb && ka !== 'scalar') res.removed.push(prefix);
  collectFields(b, meta, prefix, res.changed, depth);
}

function parseElem(e: string): { t: string; body: string } {
  return { t: e[0], body: e.slice(2) };
}

function findItem(list: unknown[], e: string): number {
  const { t, body } = parseElem(e);
  if (t === 'i') return Number(body) < list.length ? Number(body) : -1;
  if (t === 'v') {
    const want = JSON.parse(body) as unknown;
    return list.findIndex((x) => deepEqual(x, want));
  }
  if (t === 'k') {
    const want = Object.entries(JSON.parse(body) as JsonObject);
    const exact = list.findIndex((x) => isObject(x) && want.every(([k, v]) => deepEqual(x[k], v)));
    if (exact >= 0) return exact;
    // A key field left out (to be defaulted, e.g. a port's protocol) still matches its defaulted key.
    return list.findIndex((x) => isObject(x) && want.every(([k, v]) => x[k] === undefined || deepEqual(x[k], v)));
  }
  return -1;
}

/** Value at a field path, if present. */
export function valueAt(obj: unknown, path: EncodedPath): { found: boolean; value?: unknown } {
  let cur: unknown = obj;
  for (const e of splitPath(path)) {
    if (e.startsWith('f:')) {
      if (!isObject(cur) || !(e.slice(2) in cur)) return { found: false };
      cur = cur[e.slice(2)];
    } else {
      if (!Array.isArray(cur)) return { found: false };
      const i = findItem(cur, e);
      if (i < 0) return { found: false };
      cur = cur[i];
    }
  }
  return { found: true, value: cur };
}

/** Removes the value at a field path (in place); returns whether something was removed. */
export function removeAt(obj: unknown, path: EncodedPath): boolean {
  const elems = splitPath(path);
  if (elems.length === 0) return false;
  const parent = valueAt(obj, elems.slice(0, -1).join(SEP));
  if (!parent.found) return false;
  const last = elems[elems.length - 1];
  if (last.startsWith('f:')) {
    if (!isObject(parent.value) || !(last.slice(2) in parent.value)) return false;
    delete parent.value[last.slice(2)];
    return true;
  }
  if (!Array.isArray(parent.value)) return false;
  const i = findItem(parent.value, last);
  if (i < 0) return false;
  parent.value.splice(i, 1);
  return true;
}
