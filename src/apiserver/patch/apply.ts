// Server-side apply (application/apply-patch+yaml): merges an applied configuration into the live object
// (map lists by key, sets unioned, atomic lists replaced), detects conflicts with other field managers
// (409 unless force), removes fields the manager stopped applying, and records ownership in managedFields.
import { parse as parseYaml } from 'yaml';
import type { KubeObject, StatusCause } from '../../api/types.js';
import { StatusError, badRequest, fieldErr, invalid, makeStatus } from '../../api/errors.js';
import { clone, deepEqual, isObject, type JsonObject } from './json.js';
import { difference, intersection, isUnder, keyElem, pathString, splitPath, union, type EncodedPath, type FieldSet } from './field_path.js';
import { fieldSetOf, removeAt, valueAt } from './field_set.js';
import { decodeManagedFields, encodeManagedFields, formatTime, isEntryFor, type ManagerEntry } from './managed_fields.js';
import { ssaIsSet, ssaKeyDefaults, ssaListKeys, type PatchMetaLookup } from './patch_meta.js';

/** Manager upstream assigns the fields of an object that had no managedFields when first applied to. */
export const BEFORE_FIRST_APPLY_MANAGER = 'before-first-apply';

export interface ApplyOptions {
  /** ?fieldManager= (required). */
  fieldManager?: string;
  /** ?force=true: take ownership of conflicting fields instead of failing. */
  force?: boolean;
  /** Patch metadata of the kind (list types/keys); without it all lists are atomic. */
  meta?: PatchMetaLookup;
  subresource?: string;
  now?: Date;
}

export interface ApplyResult {
  object: KubeObject;
  /** False when the apply was a no-op (object incl. managedFields deep-equal to the live one). */
  changed: boolean;
}

export interface FieldConflict {
  manager: ManagerEntry;
  path: EncodedPath;
}

/** Parses an apply body (YAML or JSON) into an object; 400 BadRequest when unusable. */
export function parseApplyConfiguration(body: string | Buffer | unknown): KubeObject {
  let doc: unknown = body;
  if (typeof body === 'string' || Buffer.isBuffer(body)) {
    const text = body.toString();
    try {
      doc = parseYaml(text);
    } catch (e) {
      throw badRequest(`error decoding YAML: ${(e as Error).message}`);
    }
    if (!isObject(doc)) throw badRequest(`error decoding YAML: object expected, got ${Array.isArray(doc) ? 'array' : typeof doc}`);
    if (typeof doc.kind !== 'string' || doc.kind === '') throw badRequest(`Object 'Kind' is missing in '${text.trim()}'`);
  }
  if (!isObject(doc)) throw badRequest('apply configuration must be an object');
  if (typeof doc.kind !== 'string' || doc.kind === '') throw badRequest(`Object 'Kind' is missing in '${JSON.stringify(doc)}'`);
  if (typeof doc.apiVersion !== 'string' || doc.apiVersion === '') throw badRequest(`Object 'apiVersion' is missing in '${JSON.stringify(doc)}'`);
  if (doc.metadata !== undefined && !isObject(doc.metadata)) throw badRequest('metadata must be an object');
  if (isObject(doc.metadata) && doc.metadata.managedFields != null) throw badRequest('metadata.managedFields must be nil');
  return dropNulls(doc) as KubeObject;
}

/** The live object to apply against when the object does not exist yet (creation through apply). */
export function emptyLiveObject(config: KubeObject): KubeObject {
  return { apiVersion: config.apiVersion, kind: config.kind, metadata: {} };
}

/**
 * Server-side apply of `body` by `opts.fieldManager` onto `live` (undefined = the object does not exist).
 * Returns the new object (inputs are not modified). Throws 422 without fieldManager, 400 on a bad body,
 * 409 Conflict on conflicts unless `force`.
 */
export function serverSideApply(live: KubeObject | undefined, body: string | Buffer | unknown, opts: ApplyOptions): ApplyResult {
  const manager = opts.fieldManager;
  if (!manager) {
    throw invalid('meta.k8s.io', 'PatchOptions', '', [fieldErr.required('fieldManager', 'is required for apply patch')]);
  }
  const config = parseApplyConfiguration(body);
  if (live?.kind && live.kind !== config.kind) {
    throw badRequest(`the kind in the apply configuration (${config.kind}) does not match the object (${live.kind})`);
  }
  const meta = opts.meta;
  const base = live ? clone(live) : emptyLiveObject(config);
  if (!isObject(base.metadata)) base.metadata = {};

  const hadManagedFields = Array.isArray(base.metadata.managedFields) && base.metadata.managedFields.length > 0;
  const entries = decodeManagedFields(base.metadata.managedFields);
  delete base.metadata.managedFields;
  if (live && !hadManagedFields) {
    const all = fieldSetOf(base, meta);
    if (all.size > 0) entries.push({ manager: BEFORE_FIRST_APPLY_MANAGER, operation: 'Update', apiVersion: base.apiVersion, set: all });
  }

  let mine = entries.find((e) => isEntryFor(e, manager, 'Apply', opts.subresource));
  const previous: FieldSet = mine ? mine.set : new Set();
  const applied = fieldSetOf(config, meta);
  const others = entries.filter((e) => e !== mine);

  const conflicts = findConflicts(base, config, applied, others);
  if (conflicts.length > 0) {
    if (!opts.force) throw conflictError(conflicts);
    for (const c of conflicts) c.manager.set.delete(c.path);
  }

  const merged = mergeApplied(base, config, meta) as KubeObject;
  merged.apiVersion = config.apiVersion;
  merged.kind = config.kind;

  let ownedByOthers: FieldSet = new Set();
  for (const e of others) ownedByOthers = union(ownedByOthers, e.set);
  removeStale(merged, difference(difference(previous, applied), ownedByOthers), union(applied, ownedByOthers));

  const setChanged = !mine || previous.size !== applied.size || difference(previous, applied).size > 0;
  if (!mine) {
    mine = { manager, operation: 'Apply', set: applied };
    entries.push(mine);
  }
  mine.set = applied;
  mine.apiVersion = config.apiVersion;
  if (opts.subresource) mine.subresource = opts.subresource;
  if (setChanged || conflicts.length > 0 || !deepEqual(base, merged)) mine.time = formatTime(opts.now ?? new Date());

  const encoded = encodeManagedFields(entries);
  if (encoded.length > 0) merged.metadata.managedFields = encoded;
  return { object: merged, changed: !live || !deepEqual(live, merged) };
}

/** Fields `config` sets to a different value than `live` has, that another manager owns. */
export function findConflicts(live: unknown, config: unknown, applied: FieldSet, others: ManagerEntry[]): FieldConflict[] {
  const out: FieldConflict[] = [];
  for (const e of others) {
    for (const p of intersection(e.set, applied)) {
      const before = valueAt(live, p);
      if (!before.found) continue;
      const last = splitPath(p).pop() ?? '';
      if (!last.startsWith('f:')) continue; // list items / set values present on both sides agree
      const after = valueAt(config, p);
      if (!deepEqual(before.value, after.value)) out.push({ manager: e, path: p });
    }
  }
  return out;
}

function printManager(e: ManagerEntry): string {
  let s = JSON.stringify(e.manager);
  if (e.subresource) s += ` with subresource ${JSON.stringify(e.subresource)}`;
  if (e.operation === 'Update') s += ` using ${e.apiVersion ?? ''}`;
  return s;
}

/** 409 Conflict with upstream's message shape and one FieldManagerConflict cause per field. */
export function conflictError(conflicts: FieldConflict[]): StatusError {
  const causes: StatusCause[] = conflicts.map((c) => ({
    reason: 'FieldManagerConflict',
    message: `conflict with ${printManager(c.manager)}`,
    field: pathString(c.path),
  }));
  let message: string;
  if (conflicts.length === 1) {
    message = `Apply failed with 1 conflict: conflict with ${printManager(conflicts[0].manager)}: ${pathString(conflicts[0].path)}`;
  } else {
    const byManager = new Map<string, string[]>();
    for (const c of conflicts) {
      const m = printManager(c.manager);
      if (!byManager.has(m)) byManager.set(m, []);
      byManager.get(m)!.push(pathString(c.path));
    }
    const lines: string[] = [];
    for (const m of [...byManager.keys()].sort()) {
      lines.push(`conflicts with ${m}:`);
      for (const p of byManager.get(m)!) lines.push(`- ${p}`);
    }
    message = `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
  }
  return new StatusError(makeStatus(409, 'Conflict', message, { causes }));
}

/** Merges an applied configuration into a live value (returns a new value; `live` is not modified). */
export function mergeApplied(live: unknown, config: unknown, meta: PatchMetaLookup | undefined): unknown {
  if (isObject(config)) {
    if (meta?.mapType === 'atomic') return clone(config);
    const out: JsonObject = isObject(live) ? { ...live } : {};
    for (const [k, v] of Object.entries(config)) out[k] = mergeApplied(out[k], v, meta?.child(k));
    return out;
  }
  if (Array.isArray(config)) {
    if (!Array.isArray(live)) return clone(config);
    const keys = ssaListKeys(meta);
    if (keys) {
      const im = meta?.items();
      const defaults = ssaKeyDefaults(meta, keys);
      const out = live.slice();
      for (const item of config) {
        const e = isObject(item) ? keyElem(item, keys, defaults) : undefined;
        const idx = e === undefined ? -1 : out.findIndex((x) => isObject(x) && keyElem(x, keys, defaults) === e);
        if (idx >= 0) out[idx] = mergeApplied(out[idx], item, im);
        else out.push(clone(item));
      }
      return out;
    }
    if (ssaIsSet(meta)) {
      const out = live.slice();
      for (const v of config) if (!out.some((x) => deepEqual(x, v))) out.push(clone(v));
      return out;
    }
    return clone(config);
  }
  return config;
}

/**
 * Removes fields the manager no longer applies (in place). A list item is kept while anyone still owns a
 * field inside it; maps and lists emptied by the removal are pruned unless they are themselves owned.
 */
function removeStale(obj: KubeObject, stale: FieldSet, owned: FieldSet): void {
  if (stale.size === 0) return;
  const ownedList = [...owned];
  // Shallow first: removing a list item takes its fields along (they are not findable by key afterwards).
  const paths = [...stale].sort((a, b) => splitPath(a).length - splitPath(b).length);
  for (const p of paths) {
    if (ownedList.some((o) => o !== p && isUnder(o, p))) continue;
    const elems = splitPath(p);
    if (isKeyFieldOfItem(elems)) continue;
    if (!removeAt(obj, p)) continue;
    for (let n = elems.length - 1; n >= 1; n--) {
      const parentPath = elems.slice(0, n).join('\n');
      if (parentPath === 'f:metadata' || owned.has(parentPath) || ownedList.some((o) => isUnder(o, parentPath))) break;
      const parent = valueAt(obj, parentPath);
      const v = parent.value;
      const empty = (isObject(v) && Object.keys(v).length === 0) || (Array.isArray(v) && v.length === 0);
      if (!parent.found || !empty) break;
      removeAt(obj, parentPath);
    }
  }
}

/** A key field of a keyed list item (e.g. a container's name) is never removed on its own. */
function isKeyFieldOfItem(elems: string[]): boolean {
  if (elems.length < 2) return false;
  const parent = elems[elems.length - 2];
  const last = elems[elems.length - 1];
  if (!parent.startsWith('k:') || !last.startsWith('f:')) return false;
  return Object.prototype.hasOwnProperty.call(JSON.parse(parent.slice(2)) as JsonObject, last.slice(2));
}

function dropNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(dropNulls);
  if (isObject(v)) {
    const out: JsonObject = {};
    for (const [k, x] of Object.entries(v)) if (x !== null) out[k] = dropNulls(x);
    return out;
  }
  return v;
}
