// Binds the pure patch functions to served kinds: looks up a kind's patch metadata from the schema
// registry (by ResourceDef.schemaName) and exposes the `patchers` the PATCH handler calls.
import type { KubeObject } from '../../api/types.js';
import { definitions } from '../../api/schema/index.js';
import type { ResourceDef } from '../registry.js';
import { applyJsonPatch } from './json_patch.js';
import { applyMergePatch } from './merge_patch.js';
import { applyStrategicMergePatch } from './strategic_merge_patch.js';
import { serverSideApply } from './apply.js';
import { recordUpdate } from './managed_fields.js';
import { patchMetaForDefinition, type PatchMetaLookup } from './patch_meta.js';

/** Patch metadata of a served kind; undefined for kinds without a schema (lists then replace wholesale). */
export function patchMetaFor(def: Pick<ResourceDef, 'schemaName'>): PatchMetaLookup | undefined {
  return def.schemaName ? patchMetaForDefinition(definitions, def.schemaName) : undefined;
}

export interface ApplyCallOptions {
  manager: string;
  force?: boolean;
  apiVersion?: string;
  subresource?: string;
}

export const patchers = {
  json(cur: KubeObject, ops: unknown[]): KubeObject {
    return applyJsonPatch(cur, ops);
  },
  merge(cur: KubeObject, patch: Record<string, unknown>): KubeObject {
    return applyMergePatch(cur, patch);
  },
  strategic(def: Pick<ResourceDef, 'schemaName'>, cur: KubeObject, patch: Record<string, unknown>): KubeObject {
    return applyStrategicMergePatch(cur, patch, patchMetaFor(def));
  },
  /** Server-side apply; `cur` may be an empty object (creation through apply). Manages managedFields itself. */
  apply(def: Pick<ResourceDef, 'schemaName'>, cur: KubeObject | undefined, config: Record<string, unknown>, o: ApplyCallOptions): KubeObject {
    return serverSideApply(cur, config, { fieldManager: o.manager, force: o.force, subresource: o.subresource, meta: patchMetaFor(def) }).object;
  },
};

/** recordUpdate with the kind's patch metadata (keyed lists tracked per item). */
export function recordUpdateFor(
  def: Pick<ResourceDef, 'schemaName'>,
  live: KubeObject,
  oldLive: KubeObject | undefined,
  manager: string,
  apiVersion: string,
  subresource?: string,
): KubeObject {
  return recordUpdate(live, oldLive, manager, apiVersion, subresource, { meta: patchMetaFor(def) });
}
