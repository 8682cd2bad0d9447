// metadata.managedFields bookkeeping: decoding/encoding entries (FieldsV1), and recordUpdate, which gives a
// non-apply writer (operation "Update") ownership of the fields it changed and takes them from everyone else.
import type { KubeObject, ManagedFieldsEntry } from '../../api/types.js';
import { fieldsV1ToSet, setToFieldsV1, splitPath, type FieldSet } from './field_path.js';
import { treeAdd, treeRemove, treeRemoveUnder } from './fields_tree.js';
import { isObject } from './json.js';
import { diffFields, fieldSetOf } from './field_set.js';
import type { PatchMetaLookup } from './patch_meta.js';

/** A decoded managedFields entry: the entry's identity/time plus its field set. */
export interface ManagerEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion?: string;
  time?: string;
  subresource?: string;
  set: FieldSet;
}

/** RFC 3339 with second precision, like metav1.Time. */
export function formatTime(d: Date): string {
  return d.toISOString().replace(/\.\d+Z$/, 'Z');
}

export function decodeManagedFields(list: ManagedFieldsEntry[] | undefined): ManagerEntry[] {
  if (!Array.isArray(list)) return [];
  return list.map((e) => ({
    manager: e.manager ?? '',
    operation: e.operation === 'Apply' ? 'Apply' : 'Update',
    apiVersion: e.apiVersion,
    time: e.time,
    subresource: e.subresource,
    set: fieldsV1ToSet(e.fieldsV1 ?? {}),
  }));
}

/** Entries with an empty set are dropped; order is upstream's (operation, time, manager, apiVersion). */
export function encodeManagedFields(entries: ManagerEntry[]): ManagedFieldsEntry[] {
  const kept = entries.filter((e) => e.set.size > 0);
  kept.sort(
    (p, q) => cmp(p.operation, q.operation) || cmp(p.time ?? '', q.time ?? '') || cmp(p.manager, q.manager) || cmp(p.apiVersion ?? '', q.apiVersion ?? ''),
  );
  return kept.map((e) => {
    const out: ManagedFieldsEntry = { manager: e.manager, operation: e.operation };
    if (e.apiVersion) out.apiVersion = e.apiVersion;
    if (e.time) out.time = e.time;
    out.fieldsType = 'FieldsV1';
    out.fieldsV1 = setToFieldsV1(e.set);
    if (e.subresource) out.subresource = e.subresource;
    return out;
  });
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Whether an entry belongs to (manager, operation, subresource[, apiVersion for Update]) — upstream's identity. */
export function isEntryFor(e: ManagerEntry, manager: string, operation: 'Apply' | 'Update', subresource?: string, apiVersion?: string): boolean {
  if (e.manager !== manager || e.operation !== operation || (e.subresource ?? '') !== (subresource ?? '')) return false;
  return operation === 'Apply' || (e.apiVersion ?? '') === (apiVersion ?? '');
}

export interface RecordUpdateOptions {
  /** Patch metadata of the kind (list keys); without it lists are tracked as atomic values. */
  meta?: PatchMetaLookup;
  now?: Date;
}

/**
 * Updates `live.metadata.managedFields` (in place; also returns `live`) for a non-apply write by `manager`:
 * fields added or changed since `oldLive` become owned by manager's "Update" entry and leave other entries;
 * removed fields leave every entry. `oldLive` undefined means creation (manager owns everything).
 * A client-sent `managedFields: []` resets tracking (the field is dropped), as upstream.
 */
export function recordUpdate(
  live: KubeObject,
  oldLive: KubeObject | undefined,
  manager: string,
  apiVersion: string,
  subresource?: string,
  opts: RecordUpdateOptions = {},
): KubeObject {
  const sent = live.metadata.managedFields;
  const previous = oldLive?.metadata?.managedFields;
  if (Array.isArray(sent) && sent.length === 0 && previous && previous.length > 0) {
    delete live.metadata.managedFields;
    return live;
  }
  const base = sent !== undefined && sent.length > 0 ? sent : previous;

  let changed: FieldSet;
  let removed: string[] = [];
  if (!oldLive) {
    changed = fieldSetOf(live, opts.meta);
  } else {
    const d = diffFields(oldLive, live, opts.meta);
    changed = d.changed;
    removed = d.removed;
  }
  if (changed.size === 0 && removed.length === 0) {
    if (base === undefined) delete live.metadata.managedFields;
    else live.metadata.managedFields = base;
    return live;
  }

  // Edit the FieldsV1 trees directly (copy-on-write): far cheaper than decoding every entry.
  const changedElems = [...changed].map(splitPath);
  const removedElems = removed.map(splitPath);
  const entries: ManagedFieldsEntry[] = [];
  let mine: ManagedFieldsEntry | undefined;
  for (const e of base ?? []) {
    let tree = (isObject(e.fieldsV1) ? e.fieldsV1 : {}) as Record<string, unknown>;
    for (const r of removedElems) tree = treeRemoveUnder(tree, r);
    const own = e.manager === manager && e.operation === 'Update' && (e.subresource ?? '') === (subresource ?? '') && (e.apiVersion ?? '') === apiVersion;
    if (own) {
      for (const c of changedElems) tree = treeAdd(tree, c);
      mine = { ...e, fieldsV1: tree };
      entries.push(mine);
      continue;
    }
    for (const c of changedElems) tree = treeRemove(tree, c);
    if (Object.keys(tree).length > 0) entries.push(tree === e.fieldsV1 ? e : { ...e, fieldsV1: tree });
  }
  const time = formatTime(opts.now ?? new Date());
  if (!mine) {
    let tree: Record<string, unknown> = {};
    for (const c of changedElems) tree = treeAdd(tree, c);
    mine = { manager, operation: 'Update', apiVersion, time, fieldsType: 'FieldsV1', fieldsV1: tree };
    if (subresource) mine.subresource = subresource;
    entries.push(mine);
  } else {
    mine.time = time;
  }
  const kept = entries.filter((e) => isObject(e.fieldsV1) && Object.keys(e.fieldsV1).length > 0);
  kept.sort(
    (p, q) =>
      cmp(p.operation ?? '', q.operation ?? '') ||
      cmp(p.time ?? '', q.time ?? '') ||
      cmp(p.manager ?? '', q.manager ?? '') ||
      cmp(p.apiVersion ?? '', q.apiVersion ?? ''),
  );
  if (kept.length > 0) live.metadata.managedFields = kept;
  else delete live.metadata.managedFields;
  return live;
}
