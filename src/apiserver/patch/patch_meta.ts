// Patch metadata: what strategic merge patch and server-side apply need to know about a field (merge key,
// patch strategy, list type and map keys), looked up lazily from the structural schema (src/api/schema).
import type { Definitions, Schema } from '../../api/schema/types.js';

export interface PatchMetaLookup {
  /** Metadata of a field of this object (a property, or the value schema of a map). */
  child(field: string): PatchMetaLookup | undefined;
  /** Metadata of the elements when this is a list. */
  items(): PatchMetaLookup | undefined;
  /** x-kubernetes-patch-merge-key */
  mergeKey?: string;
  /** x-kubernetes-patch-strategy: "merge", "replace", "retainKeys", "merge,retainKeys" */
  strategy?: string;
  /** x-kubernetes-list-type */
  listType?: 'atomic' | 'set' | 'map';
  /** x-kubernetes-list-map-keys */
  listMapKeys?: string[];
  /** x-kubernetes-map-type */
  mapType?: 'atomic' | 'granular';
  isList?: boolean;
  isObject?: boolean;
  /** The schema default of this field (used for list-map key fields left out, e.g. ports' protocol "TCP"). */
  default?: unknown;
}

/** How a list is merged by strategic merge patch. */
export function smpListMode(meta: PatchMetaLookup | undefined): 'mergeByKey' | 'union' | 'replace' {
  const strategies = (meta?.strategy ?? '').split(',');
  if (!strategies.includes('merge')) return 'replace';
  return meta?.mergeKey ? 'mergeByKey' : 'union';
}

export function hasStrategy(meta: PatchMetaLookup | undefined, strategy: string): boolean {
  return (meta?.strategy ?? '').split(',').includes(strategy);
}

/** Keys identifying an element of a list for server-side apply, or undefined when the list is not a map. */
export function ssaListKeys(meta: PatchMetaLookup | undefined): string[] | undefined {
  if (!meta) return undefined;
  if (meta.listType === 'map') {
    if (meta.listMapKeys && meta.listMapKeys.length > 0) return meta.listMapKeys;
    return meta.mergeKey ? [meta.mergeKey] : undefined;
  }
  if (meta.listType === undefined && meta.mergeKey && hasStrategy(meta, 'merge')) {
    return meta.listMapKeys && meta.listMapKeys.length > 0 ? meta.listMapKeys : [meta.mergeKey];
  }
  return undefined;
}

/** Defaults of the key fields of a keyed list's elements (key fields omitted by clients still identify items). */
export function ssaKeyDefaults(meta: PatchMetaLookup | undefined, keys: string[]): Record<string, unknown> | undefined {
  const im = meta?.items();
  if (!im) return undefined;
  let out: Record<string, unknown> | undefined;
  for (const k of keys) {
    const d = im.child(k)?.default;
    if (d !== undefined) (out ??= {})[k] = d;
  }
  return out;
}

/** Whether a list is a set (primitive values unioned) for server-side apply. */
export function ssaIsSet(meta: PatchMetaLookup | undefined): boolean {
  if (!meta) return false;
  if (meta.listType === 'set') return true;
  return meta.listType === undefined && !meta.mergeKey && hasStrategy(meta, 'merge');
}

const REF_PREFIXES = ['#/definitions/', '#/components/schemas/'];

/** Resolver for `$ref`s against a Definitions map (accepts bare names and "#/definitions/..." refs). */
export function definitionsResolver(defs: Definitions): (s: Schema) => Schema {
  return (s: Schema): Schema => {
    let cur = s;
    for (let depth = 0; cur.$ref && depth < 32; depth++) {
      let name = cur.$ref;
      for (const p of REF_PREFIXES) if (name.startsWith(p)) name = name.slice(p.length);
      const target = defs[name];
      if (!target) return cur;
      // Extensions written next to the $ref win over the target's own.
      const { $ref: _ignored, ...own } = cur;
      cur = { ...target, ...own };
    }
    return cur;
  };
}

class SchemaPatchMeta implements PatchMetaLookup {
  mergeKey?: string;
  strategy?: string;
  listType?: 'atomic' | 'set' | 'map';
  listMapKeys?: string[];
  mapType?: 'atomic' | 'granular';
  isList?: boolean;
  isObject?: boolean;
  default?: unknown;
  private readonly kids = new Map<string, PatchMetaLookup | undefined>();
  private itemMeta: PatchMetaLookup | undefined | null = null;

  constructor(
    private readonly schema: Schema,
    private readonly resolve: (s: Schema) => Schema,
  ) {
    this.mergeKey = schema['x-kubernetes-patch-merge-key'];
    this.strategy = schema['x-kubernetes-patch-strategy'];
    this.listType = schema['x-kubernetes-list-type'];
    this.listMapKeys = schema['x-kubernetes-list-map-keys'];
    this.mapType = schema['x-kubernetes-map-type'];
    this.default = schema.default;
    this.isList = schema.type === 'array' || schema.items !== undefined;
    this.isObject = schema.type === 'object' || schema.properties !== undefined || schema.additionalProperties !== undefined;
  }

  child(field: string): PatchMetaLookup | undefined {
    if (this.kids.has(field)) return this.kids.get(field);
    let sub: Schema | undefined = this.schema.properties?.[field];
    if (!sub && typeof this.schema.additionalProperties === 'object') sub = this.schema.additionalProperties;
    const meta = sub ? patchMetaFromSchema(sub, this.resolve) : undefined;
    this.kids.set(field, meta);
    return meta;
  }

  items(): PatchMetaLookup | undefined {
    if (this.itemMeta === null) this.itemMeta = this.schema.items ? patchMetaFromSchema(this.schema.items, this.resolve) : undefined;
    return this.itemMeta;
  }
}

const identity = (s: Schema): Schema => s;
const cache = new WeakMap<Schema, WeakMap<(s: Schema) => Schema, PatchMetaLookup>>();

/** Patch metadata for a schema node; `resolve` follows `$ref` (see definitionsResolver). Cached per schema. */
export function patchMetaFromSchema(schema: Schema, resolve: (s: Schema) => Schema = identity): PatchMetaLookup {
  let byResolver = cache.get(schema);
  if (!byResolver) {
    byResolver = new WeakMap();
    cache.set(schema, byResolver);
  }
  let meta = byResolver.get(resolve);
  if (!meta) {
    meta = new SchemaPatchMeta(schema.$ref ? resolve(schema) : schema, resolve);
    byResolver.set(resolve, meta);
  }
  return meta;
}

/** Patch metadata for a named definition (e.g. "io.k8s.api.core.v1.Pod"), or undefined if unknown. */
export function patchMetaForDefinition(defs: Definitions, name: string): PatchMetaLookup | undefined {
  const schema = defs[name];
  if (!schema) return undefined;
  return patchMetaFromSchema(schema, resolverFor(defs));
}

const resolvers = new WeakMap<Definitions, (s: Schema) => Schema>();
function resolverFor(defs: Definitions): (s: Schema) => Schema {
  let r = resolvers.get(defs);
  if (!r) {
    r = definitionsResolver(defs);
    resolvers.set(defs, r);
  }
  return r;
}
