// Small constructors for writing Schema definitions tersely (strings, integers, refs, lists with
// their patch/list-type metadata, maps, and top-level kinds carrying x-kubernetes-group-version-kind).
import type { Schema } from './types.js';

export const META = 'io.k8s.apimachinery.pkg.apis.meta.v1.';
export const CORE = 'io.k8s.api.core.v1.';
export const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
export const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';
export const TIME = META + 'Time';

export function str(description: string, enumValues?: string[]): Schema {
  const s: Schema = { type: 'string', description };
  if (enumValues) s.enum = enumValues;
  return s;
}
export function int32(description: string): Schema {
  return { type: 'integer', format: 'int32', description };
}
export function int64(description: string): Schema {
  return { type: 'integer', format: 'int64', description };
}
export function num(description: string): Schema {
  return { type: 'number', format: 'double', description };
}
export function bool(description: string): Schema {
  return { type: 'boolean', description };
}
export function bytes(description: string): Schema {
  return { type: 'string', format: 'byte', description };
}
/** A field whose type is a named definition. */
export function ref(name: string, description?: string): Schema {
  const s: Schema = { $ref: name };
  if (description) s.description = description;
  return s;
}
export function time(description: string): Schema {
  return ref(TIME, description);
}
export function quantity(description?: string): Schema {
  return ref(QUANTITY, description);
}
export function intOrString(description: string): Schema {
  return ref(INT_OR_STRING, description);
}

export interface ListOpts {
  /** x-kubernetes-patch-merge-key */
  mergeKey?: string;
  /** x-kubernetes-patch-strategy */
  strategy?: string;
  listType?: 'atomic' | 'set' | 'map';
  mapKeys?: string[];
}
export function arr(items: Schema, description: string, o: ListOpts = {}): Schema {
  const s: Schema = { type: 'array', description, items };
  if (o.mergeKey) s['x-kubernetes-patch-merge-key'] = o.mergeKey;
  if (o.strategy) s['x-kubernetes-patch-strategy'] = o.strategy;
  if (o.listType) s['x-kubernetes-list-type'] = o.listType;
  if (o.mapKeys) s['x-kubernetes-list-map-keys'] = o.mapKeys;
  return s;
}
/** Atomic list of strings (command, args, finalizers-like lists). */
export function strList(description: string, listType: 'atomic' | 'set' = 'atomic'): Schema {
  return arr({ type: 'string', default: '' }, description, { listType });
}
/** Keyed-by-name list merged on "name" (containers, env, imagePullSecrets, ...). */
export function namedList(itemRef: string, description: string, strategy = 'merge'): Schema {
  return arr({ $ref: itemRef, default: {} }, description, {
    mergeKey: 'name',
    strategy,
    listType: 'map',
    mapKeys: ['name'],
  });
}
export function strMap(description: string, atomic = false): Schema {
  const s: Schema = { type: 'object', description, additionalProperties: { type: 'string', default: '' } };
  if (atomic) s['x-kubernetes-map-type'] = 'atomic';
  return s;
}
export function mapOf(values: Schema, description: string): Schema {
  return { type: 'object', description, additionalProperties: values };
}
export function obj(description: string, properties: Record<string, Schema>, required?: string[]): Schema {
  const s: Schema = { type: 'object', description, properties };
  if (required && required.length) s.required = required;
  return s;
}
/** Same as obj, marked as an atomic struct (replaced whole by apply). */
export function atomicObj(description: string, properties: Record<string, Schema>, required?: string[]): Schema {
  const s = obj(description, properties, required);
  s['x-kubernetes-map-type'] = 'atomic';
  return s;
}

const API_VERSION_DESC =
  'The versioned schema of this representation of an object (group/version). Servers convert recognized schemas to the latest internal value.';
const KIND_DESC = 'The REST resource type this object represents, in CamelCase. Inferred from the endpoint the client sends to.';

/** A top-level kind: adds apiVersion, kind, metadata and the group-version-kind extension. */
export function kindSchema(group: string, version: string, kind: string, description: string, properties: Record<string, Schema>, required?: string[]): Schema {
  const s: Schema = {
    type: 'object',
    description,
    properties: {
      apiVersion: str(API_VERSION_DESC),
      kind: str(KIND_DESC),
      metadata: { $ref: META + 'ObjectMeta', default: {}, description: 'Standard object metadata: name, namespace, labels, annotations, owners, ...' },
      ...properties,
    },
    'x-kubernetes-group-version-kind': [{ group, version, kind }],
  };
  if (required && required.length) s.required = required;
  return s;
}

/** The list kind for an item definition, e.g. PodList with items []Pod. */
export function listSchema(group: string, version: string, kind: string, itemRef: string, what: string): Schema {
  return {
    type: 'object',
    description: `${kind} is a list of ${what}.`,
    properties: {
      apiVersion: str(API_VERSION_DESC),
      items: arr({ $ref: itemRef, default: {} }, `The ${what} in this list.`),
      kind: str(KIND_DESC),
      metadata: { $ref: META + 'ListMeta', default: {}, description: 'Standard list metadata: resourceVersion and continue token.' },
    },
    required: ['items'],
    'x-kubernetes-group-version-kind': [{ group, version, kind }],
  };
}
