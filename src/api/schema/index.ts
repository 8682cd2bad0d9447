// The schema registry: every definition merged, $ref resolution, kind lookup by group/version/kind, and
// the patch-metadata lookups (merge key, strategy, list type) strategic merge patch and apply need.
import type { Definitions, Schema } from './types.js';
import { metaDefinitions } from './meta.js';
import { coreV1Definitions } from './core_v1.js';
import { coordinationV1Definitions } from './coordination_v1.js';
import { rbacV1Definitions } from './rbac_v1.js';
import { authorizationV1Definitions } from './authorization_v1.js';
import { workloadCoreDefinitions } from './core_v1_workload.js';
import { appsV1Definitions } from './apps_v1.js';
import { autoscalingDefinitions } from './autoscaling.js';
import { metricsV1beta1Definitions } from './metrics_v1beta1.js';
import { serviceDefinitions } from './core_v1_service.js';
import { discoveryV1Definitions } from './discovery_v1.js';
import { batchV1Definitions } from './batch_v1.js';
import { appsV1WorkloadDefinitions } from './apps_v1_workloads.js';
import { authenticationDefinitions } from './authentication_v1.js';
import { policyV1Definitions } from './policy_v1.js';
import { schedulingV1Definitions } from './scheduling_v1.js';
import { certificatesV1Definitions } from './certificates_v1.js';

export type { Schema, Definitions, GroupVersionKind, SchemaType } from './types.js';

/** All definitions, keyed like upstream ("io.k8s.api.core.v1.Pod"). */
export const definitions: Definitions = {
  ...metaDefinitions,
  ...coreV1Definitions,
  ...coordinationV1Definitions,
  ...rbacV1Definitions,
  ...authorizationV1Definitions,
  ...workloadCoreDefinitions,
  ...appsV1Definitions,
  ...autoscalingDefinitions,
  ...metricsV1beta1Definitions,
  ...serviceDefinitions,
  ...discoveryV1Definitions,
  ...batchV1Definitions,
  ...appsV1WorkloadDefinitions,
  ...authenticationDefinitions,
  ...policyV1Definitions,
  ...schedulingV1Definitions,
  ...certificatesV1Definitions,
};

/** Follows $ref (repeatedly) to the named definition; returns the schema itself when it has none. */
export function resolve(schema: Schema | undefined, defs: Definitions = definitions): Schema | undefined {
  let s = schema;
  for (let hops = 0; s && s.$ref !== undefined && hops < 32; hops++) {
    s = defs[refName(s.$ref)];
  }
  return s;
}

/** "io.k8s.api.core.v1.Pod" from any of "io.k8s...Pod", "#/definitions/io.k8s...Pod", "#/components/schemas/io.k8s...Pod". */
export function refName(ref: string): string {
  const i = ref.lastIndexOf('/');
  return i >= 0 ? ref.slice(i + 1) : ref;
}

const byGVK = new Map<string, { name: string; schema: Schema }>();
function gvkKey(group: string, version: string, kind: string): string {
  return `${group}/${version}/${kind}`;
}
for (const [name, schema] of Object.entries(definitions)) {
  for (const g of schema['x-kubernetes-group-version-kind'] ?? []) {
    // Status, DeleteOptions etc. are shared by every group; only the first registration wins.
    const k = gvkKey(g.group, g.version, g.kind);
    if (!byGVK.has(k)) byGVK.set(k, { name, schema });
  }
}

/** The top-level schema of a kind, e.g. schemaForKind('', 'v1', 'Pod'); undefined when unknown. */
export function schemaForKind(group: string, version: string, kind: string): Schema | undefined {
  return byGVK.get(gvkKey(group, version, kind))?.schema;
}

/** The definition name of a kind, e.g. "io.k8s.api.core.v1.Pod". */
export function definitionNameForKind(group: string, version: string, kind: string): string | undefined {
  return byGVK.get(gvkKey(group, version, kind))?.name;
}

/** Patch metadata of one field, as strategic merge patch and server-side apply need it. */
export interface PatchMeta {
  /** The field's schema with $ref resolved; undefined when the field is not in the schema. */
  schema?: Schema;
  /** For list fields: the resolved schema of one element. */
  itemSchema?: Schema;
  /** x-kubernetes-patch-merge-key, e.g. "name" for containers, "containerPort" for ports. */
  patchMergeKey?: string;
  /** x-kubernetes-patch-strategy split on ",": e.g. ["merge"], ["merge", "retainKeys"], [] when none. */
  patchStrategies: string[];
  listType?: 'atomic' | 'set' | 'map';
  listMapKeys?: string[];
  mapType?: 'atomic' | 'granular';
}

/**
 * Looks up field `field` of the object described by `parent` (resolved first; a list schema steps into its
 * items). Unknown fields and maps of arbitrary keys return the map's value schema, or an empty PatchMeta.
 */
export function lookupField(parent: Schema | undefined, field: string, defs: Definitions = definitions): PatchMeta {
  let p = resolve(parent, defs);
  if (p?.type === 'array' && p.items) p = resolve(p.items, defs);
  if (!p) return { patchStrategies: [] };
  let prop: Schema | undefined = p.properties?.[field];
  if (!prop && p.additionalProperties && typeof p.additionalProperties === 'object') prop = p.additionalProperties;
  if (!prop) return { patchStrategies: [] };
  const resolved = resolve(prop, defs);
  // Extensions may sit on the property or on the definition it points to (e.g. atomic structs).
  const pick = <K extends keyof Schema>(k: K): Schema[K] => prop![k] ?? resolved?.[k];
  const meta: PatchMeta = {
    schema: resolved,
    patchStrategies: (pick('x-kubernetes-patch-strategy') ?? '').split(',').filter(Boolean),
  };
  const mk = pick('x-kubernetes-patch-merge-key');
  if (mk) meta.patchMergeKey = mk;
  const lt = pick('x-kubernetes-list-type');
  if (lt) meta.listType = lt;
  const lk = pick('x-kubernetes-list-map-keys');
  if (lk) meta.listMapKeys = lk;
  const mt = pick('x-kubernetes-map-type');
  if (mt) meta.mapType = mt;
  if (resolved?.type === 'array' && resolved.items) meta.itemSchema = resolve(resolved.items, defs);
  return meta;
}

/**
 * Follows a path of field names from a root schema (lists are stepped through transparently, so
 * ['spec', 'containers', 'ports'] gives the ports of a container) and returns the last field's metadata.
 */
export function lookupPatchMeta(root: Schema | undefined, path: string[], defs: Definitions = definitions): PatchMeta {
  let current: Schema | undefined = root;
  let meta: PatchMeta = { schema: resolve(root, defs), patchStrategies: [] };
  for (const field of path) {
    meta = lookupField(current, field, defs);
    if (!meta.schema) return meta;
    current = meta.schema;
  }
  return meta;
}

/** Every $ref target named anywhere in the definitions that does not exist (should be empty). */
export function danglingRefs(defs: Definitions = definitions): string[] {
  const missing = new Set<string>();
  const walk = (s: Schema | undefined): void => {
    if (!s) return;
    if (s.$ref !== undefined && !defs[refName(s.$ref)]) missing.add(s.$ref);
    for (const p of Object.values(s.properties ?? {})) walk(p);
    if (s.items) walk(s.items);
    if (s.additionalProperties && typeof s.additionalProperties === 'object') walk(s.additionalProperties);
  };
  for (const s of Object.values(defs)) walk(s);
  return [...missing].sort();
}
