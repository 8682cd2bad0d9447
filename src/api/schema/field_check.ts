// Field validation against a kind's schema: finds unknown fields (for fieldValidation=Strict/Warn) and
// values of the wrong JSON type (which upstream rejects while decoding), and prunes unknown fields.
import type { StatusCause } from '../types.js';
import type { Definitions, Schema } from './types.js';
import { definitions as allDefinitions, refName, resolve } from './index.js';

export interface FieldCheckResult {
  /** Paths of unknown fields, with a leading dot: ".spec.containers[0].foo". */
  unknown: string[];
  /** One cause per value of the wrong type; field is the path without the leading dot. */
  typeErrors: StatusCause[];
}

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
// int64 as JSON numbers parse: 2^63-1 (int64's maximum) has no exact double and reads as 2^63, so the
// upper bound is 2^63 itself; anything beyond (2^63 + 2048 and up) is out of range, as in Go.
const INT64_MIN = -(2 ** 63);
const INT64_MAX = 2 ** 63;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

const nameCache = new WeakMap<Definitions, Map<Schema, string>>();
/** Definition name of a resolved schema object (identity lookup), for Go-style struct names in messages. */
function definitionName(s: Schema, defs: Definitions): string | undefined {
  let m = nameCache.get(defs);
  if (!m) {
    m = new Map();
    for (const [k, v] of Object.entries(defs)) m.set(v, k);
    nameCache.set(defs, m);
  }
  return m.get(s);
}

/** Go package-qualified type name of a definition: "v1.PodSpec", "resource.Quantity", "intstr.IntOrString". */
function goTypeOfDefinition(name: string): string {
  const parts = name.split('.');
  return parts.length >= 2 ? `${parts[parts.length - 2]}.${parts[parts.length - 1]}` : name;
}

function goType(s: Schema, defs: Definitions): string {
  if (s.$ref !== undefined) return goTypeOfDefinition(refName(s.$ref));
  switch (s.type) {
    case 'string':
      return s.format === 'byte' ? '[]uint8' : 'string';
    case 'integer':
      return s.format === 'int32' ? 'int32' : 'int64';
    case 'number':
      return 'float64';
    case 'boolean':
      return 'bool';
    case 'array':
      return '[]' + (s.items ? goType(s.items, defs) : 'interface {}');
    case 'object': {
      const named = definitionName(s, defs);
      if (named) return goTypeOfDefinition(named);
      if (s.additionalProperties && typeof s.additionalProperties === 'object') return 'map[string]' + goType(s.additionalProperties, defs);
      return 'map[string]interface {}';
    }
    default:
      return 'interface {}';
  }
}

/** How Go's JSON decoder names the offending value. */
function jsonKind(v: unknown, integerTarget = false): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return integerTarget ? `number ${v}` : 'number';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return 'array';
  return 'object';
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

interface Walk {
  defs: Definitions;
  unknown: string[];
  typeErrors: StatusCause[];
  /** Drop unknown fields instead of (as well as) reporting them. */
  prune: boolean;
}

function typeError(w: Walk, path: string, goPath: string, struct: string | undefined, value: unknown, s: Schema, integerTarget = false): void {
  const target = goType(s, w.defs);
  const where = struct && goPath ? `Go struct field ${struct}.${goPath}` : 'Go value';
  w.typeErrors.push({
    reason: 'FieldValueTypeInvalid',
    message: `json: cannot unmarshal ${jsonKind(value, integerTarget)} into ${where} of type ${target}`,
    field: path.replace(/^\./, ''),
  });
}

/**
 * path: JSON path with indexes (".spec.containers[0].ports[0]"); goPath: dotted field names without
 * indexes ("spec.containers.ports"), as Go's decoder reports it; struct: short name of the innermost struct.
 */
function walk(w: Walk, value: unknown, schema: Schema, path: string, goPath: string, struct: string | undefined): void {
  if (value === null || value === undefined) return; // JSON null decodes to the zero value
  const s = resolve(schema, w.defs);
  if (!s) return; // unknown definition: nothing to check against
  if (s['x-kubernetes-int-or-string']) {
    if (typeof value === 'string') return;
    // Quantities accept any JSON number; IntOrString only integers.
    if (typeof value === 'number' && (s.format !== 'int-or-string' || Number.isInteger(value))) return;
    typeError(w, path, goPath, struct, value, schema);
    return;
  }
  if (s['x-kubernetes-preserve-unknown-fields'] && s.type === 'object' && !s.properties) return;
  switch (s.type) {
    case 'object': {
      if (!isPlainObject(value)) return typeError(w, path, goPath, struct, value, schema);
      const ownName = definitionName(s, w.defs);
      const childStruct = ownName ? refName(ownName).split('.').pop() : struct;
      const preserve = s['x-kubernetes-preserve-unknown-fields'] === true;
      for (const key of Object.keys(value)) {
        const childPath = `${path}.${key}`;
        const prop = s.properties?.[key];
        if (prop) {
          walk(w, value[key], prop, childPath, goPath ? `${goPath}.${key}` : key, childStruct);
        } else if (s.additionalProperties && typeof s.additionalProperties === 'object') {
          walk(w, value[key], s.additionalProperties, childPath, goPath, struct);
        } else if (s.additionalProperties === true || preserve || (!s.properties && s.additionalProperties === undefined)) {
          // free-form object
        } else {
          w.unknown.push(childPath);
          if (w.prune) delete value[key];
        }
      }
      return;
    }
    case 'array': {
      if (!Array.isArray(value)) return typeError(w, path, goPath, struct, value, schema);
      if (!s.items) return;
      value.forEach((item, i) => walk(w, item, s.items!, `${path}[${i}]`, goPath, struct));
      return;
    }
    case 'string':
      if (typeof value !== 'string') return typeError(w, path, goPath, struct, value, schema);
      if (s.format === 'byte' && !(value.length % 4 === 0 && BASE64.test(value))) {
        const bad = value.search(/[^A-Za-z0-9+/=]/);
        w.typeErrors.push({
          reason: 'FieldValueTypeInvalid',
          message: `illegal base64 data at input byte ${bad >= 0 ? bad : Math.floor(value.length / 4) * 4}`,
          field: path.replace(/^\./, ''),
        });
      }
      return;
    case 'integer': {
      if (typeof value !== 'number') return typeError(w, path, goPath, struct, value, schema);
      const inRange = s.format === 'int32' ? value >= INT32_MIN && value <= INT32_MAX : value >= INT64_MIN && value <= INT64_MAX;
      if (!Number.isInteger(value) || !inRange) typeError(w, path, goPath, struct, value, schema, true);
      return;
    }
    case 'number':
      if (typeof value !== 'number') typeError(w, path, goPath, struct, value, schema);
      return;
    case 'boolean':
      if (typeof value !== 'boolean') typeError(w, path, goPath, struct, value, schema);
      return;
    default:
      return;
  }
}

/**
 * Checks `obj` against `schema` (a top-level kind schema, or any node). Reports unknown fields and
 * wrong-typed values; `path` is prepended to every reported path. Does not modify obj.
 */
export function checkFields(obj: unknown, schema: Schema, path = '', defs: Definitions = allDefinitions): FieldCheckResult {
  const w: Walk = { defs, unknown: [], typeErrors: [], prune: false };
  walk(w, obj, schema, path, '', rootStruct(schema, defs));
  return { unknown: w.unknown, typeErrors: w.typeErrors };
}

/** Removes unknown fields from obj in place (what the server does for fieldValidation Ignore/Warn); returns obj. */
export function pruneUnknown<T>(obj: T, schema: Schema, defs: Definitions = allDefinitions): T {
  const w: Walk = { defs, unknown: [], typeErrors: [], prune: true };
  walk(w, obj, schema, '', '', rootStruct(schema, defs));
  return obj;
}

function rootStruct(schema: Schema, defs: Definitions): string | undefined {
  const name = schema.$ref !== undefined ? refName(schema.$ref) : definitionName(schema, defs);
  return name?.split('.').pop();
}

/**
 * Upstream's Strict-mode message: `strict decoding error: unknown field "spec.foo", unknown field "bar"`;
 * `other` are strict errors found while decoding (e.g. `duplicate field "name"`), listed first.
 */
export function strictDecodingError(unknown: string[], other: string[] = []): string {
  return 'strict decoding error: ' + [...other, ...unknownFieldWarnings(unknown)].join(', ');
}

/** Upstream's Warn-mode warnings, one per field: `unknown field "spec.containers[0].foo"`. */
export function unknownFieldWarnings(unknown: string[]): string[] {
  return unknown.map((p) => `unknown field "${p.replace(/^\./, '')}"`);
}

/** Upstream's 400 message for an undecodable body: `Pod in version "v1" cannot be handled as a Pod: <detail>`. */
export function decodeErrorMessage(kind: string, version: string, detail: string): string {
  return `${kind} in version "${version}" cannot be handled as a ${kind}: ${detail}`;
}
