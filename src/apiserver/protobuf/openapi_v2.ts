// Encodes a Swagger 2.0 (OpenAPI v2) JSON document as gnostic's openapi.v2.Document protobuf, the form
// kubectl 1.27/1.28 request from /openapi/v2 (schemas, paths, parameters, responses, x-* extensions).
import { stringify as toYAML } from 'yaml';
import { gnosticRoot } from './roots.js';

/** The media type served (Go's mime parser rejects the '@' spelling, so responses use this one). */
export const OPENAPI_V2_PROTOBUF = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';
/** The spelling kubectl 1.27/1.28 put in Accept. */
export const OPENAPI_V2_PROTOBUF_ACCEPT = 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf';

type J = Record<string, unknown>;
type Out = Record<string, unknown>;

const isObj = (v: unknown): v is J => v !== null && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const nbr = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const bool = (v: unknown): boolean | undefined => (typeof v === 'boolean' ? v : undefined);
const strs = (v: unknown): string[] | undefined => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined);

/** gnostic's Any: arbitrary JSON values travel as YAML text. */
function any(v: unknown): Out | undefined {
  return v === undefined ? undefined : { yaml: toYAML(v) };
}

function vendorExtensions(o: J): Out[] | undefined {
  const out = Object.entries(o)
    .filter(([k, v]) => k.startsWith('x-') && v !== undefined)
    .map(([name, v]) => ({ name, value: any(v) }));
  return out.length ? out : undefined;
}

/** Copies defined values only (protobufjs skips null/undefined anyway; this keeps objects small). */
function compact(o: Out): Out {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}

function schema(s: unknown, depth = 0): Out {
  if (!isObj(s) || depth > 64) return {};
  const ap = s.additionalProperties;
  const items = s.items;
  return compact({
    _ref: str(s.$ref),
    format: str(s.format),
    title: str(s.title),
    description: str(s.description),
    default: any(s.default),
    multiple_of: nbr(s.multipleOf),
    maximum: nbr(s.maximum),
    exclusive_maximum: bool(s.exclusiveMaximum),
    minimum: nbr(s.minimum),
    exclusive_minimum: bool(s.exclusiveMinimum),
    max_length: nbr(s.maxLength),
    min_length: nbr(s.minLength),
    pattern: str(s.pattern),
    max_items: nbr(s.maxItems),
    min_items: nbr(s.minItems),
    unique_items: bool(s.uniqueItems),
    max_properties: nbr(s.maxProperties),
    min_properties: nbr(s.minProperties),
    required: strs(s.required),
    enum: Array.isArray(s.enum) ? s.enum.map(any) : undefined,
    additional_properties: typeof ap === 'boolean' ? { boolean: ap } : isObj(ap) ? { schema: schema(ap, depth + 1) } : undefined,
    type: typeof s.type === 'string' ? { value: [s.type] } : Array.isArray(s.type) ? { value: strs(s.type) } : undefined,
    items: Array.isArray(items) ? { schema: items.map((i) => schema(i, depth + 1)) } : isObj(items) ? { schema: [schema(items, depth + 1)] } : undefined,
    all_of: Array.isArray(s.allOf) ? s.allOf.map((x) => schema(x, depth + 1)) : undefined,
    properties: isObj(s.properties)
      ? { additional_properties: Object.entries(s.properties).map(([name, v]) => ({ name, value: schema(v, depth + 1) })) }
      : undefined,
    discriminator: str(s.discriminator),
    read_only: bool(s.readOnly),
    example: any(s.example),
    vendor_extension: vendorExtensions(s),
  });
}

function primitivesItems(i: unknown, depth = 0): Out | undefined {
  if (!isObj(i) || depth > 16) return undefined;
  return compact({
    type: str(i.type),
    format: str(i.format),
    items: primitivesItems(i.items, depth + 1),
    collection_format: str(i.collectionFormat),
    default: any(i.default),
    enum: Array.isArray(i.enum) ? i.enum.map(any) : undefined,
    unique_items: bool(i.uniqueItems),
    vendor_extension: vendorExtensions(i),
  });
}

const SUB_SCHEMA: Record<string, string> = {
  query: 'query_parameter_sub_schema',
  header: 'header_parameter_sub_schema',
  path: 'path_parameter_sub_schema',
  formData: 'form_data_parameter_sub_schema',
};

function parameter(p: unknown): Out {
  if (!isObj(p)) return {};
  if (typeof p.$ref === 'string') return { json_reference: compact({ _ref: p.$ref, description: str(p.description) }) };
  if (p.in === 'body') {
    return {
      parameter: {
        body_parameter: compact({
          description: str(p.description),
          name: str(p.name),
          in: 'body',
          required: bool(p.required),
          schema: schema(p.schema),
          vendor_extension: vendorExtensions(p),
        }),
      },
    };
  }
  const sub = compact({
    required: bool(p.required),
    in: str(p.in),
    description: str(p.description),
    name: str(p.name),
    allow_empty_value: p.in === 'query' || p.in === 'formData' ? bool(p.allowEmptyValue) : undefined,
    type: str(p.type),
    format: str(p.format),
    items: primitivesItems(p.items),
    collection_format: str(p.collectionFormat),
    default: any(p.default),
    maximum: nbr(p.maximum),
    minimum: nbr(p.minimum),
    pattern: str(p.pattern),
    unique_items: bool(p.uniqueItems),
    enum: Array.isArray(p.enum) ? p.enum.map(any) : undefined,
    vendor_extension: vendorExtensions(p),
  });
  const key = SUB_SCHEMA[String(p.in)] ?? 'query_parameter_sub_schema';
  return { parameter: { non_body_parameter: { [key]: sub } } };
}

function responses(r: unknown): Out | undefined {
  if (!isObj(r)) return undefined;
  const codes = Object.entries(r)
    .filter(([k]) => !k.startsWith('x-'))
    .map(([name, v]) => {
      const resp = isObj(v) ? v : {};
      const value =
        typeof resp.$ref === 'string'
          ? { json_reference: { _ref: resp.$ref } }
          : {
              response: compact({
                description: str(resp.description) ?? '',
                schema: isObj(resp.schema) ? { schema: schema(resp.schema) } : undefined,
                vendor_extension: vendorExtensions(resp),
              }),
            };
      return { name, value };
    });
  return compact({ response_code: codes, vendor_extension: vendorExtensions(r) });
}

function operation(o: unknown): Out | undefined {
  if (!isObj(o)) return undefined;
  return compact({
    tags: strs(o.tags),
    summary: str(o.summary),
    description: str(o.description),
    operation_id: str(o.operationId),
    produces: strs(o.produces),
    consumes: strs(o.consumes),
    parameters: Array.isArray(o.parameters) ? o.parameters.map(parameter) : undefined,
    responses: responses(o.responses),
    schemes: strs(o.schemes),
    deprecated: bool(o.deprecated),
    vendor_extension: vendorExtensions(o),
  });
}

function pathItem(p: unknown): Out {
  if (!isObj(p)) return {};
  return compact({
    _ref: str(p.$ref),
    get: operation(p.get),
    put: operation(p.put),
    post: operation(p.post),
    delete: operation(p.delete),
    options: operation(p.options),
    head: operation(p.head),
    patch: operation(p.patch),
    parameters: Array.isArray(p.parameters) ? p.parameters.map(parameter) : undefined,
    vendor_extension: vendorExtensions(p),
  });
}

function securityDefinitions(s: unknown): Out | undefined {
  if (!isObj(s)) return undefined;
  const items = Object.entries(s)
    .filter(([, v]) => isObj(v) && v.type === 'apiKey')
    .map(([name, v]) => {
      const d = v as J;
      return { name, value: { api_key_security: compact({ type: 'apiKey', name: str(d.name), in: str(d.in), description: str(d.description) }) } };
    });
  return items.length ? { additional_properties: items } : undefined;
}

/** The gnostic Document (as a plain object keyed by proto field names) for a Swagger 2.0 JSON document. */
export function gnosticDocument(doc: unknown): Out {
  const d = isObj(doc) ? doc : {};
  const info = isObj(d.info) ? d.info : {};
  return compact({
    swagger: str(d.swagger) ?? '2.0',
    info: compact({ title: str(info.title), version: str(info.version), description: str(info.description), vendor_extension: vendorExtensions(info) }),
    host: str(d.host),
    base_path: str(d.basePath),
    schemes: strs(d.schemes),
    consumes: strs(d.consumes),
    produces: strs(d.produces),
    paths: isObj(d.paths)
      ? compact({
          path: Object.entries(d.paths)
            .filter(([k]) => k.startsWith('/'))
            .map(([name, v]) => ({ name, value: pathItem(v) })),
          vendor_extension: vendorExtensions(d.paths),
        })
      : undefined,
    definitions: isObj(d.definitions) ? { additional_properties: Object.entries(d.definitions).map(([name, v]) => ({ name, value: schema(v) })) } : undefined,
    security: Array.isArray(d.security)
      ? d.security.filter(isObj).map((req) => ({ additional_properties: Object.entries(req).map(([name, v]) => ({ name, value: { value: strs(v) ?? [] } })) }))
      : undefined,
    security_definitions: securityDefinitions(d.securityDefinitions),
    vendor_extension: vendorExtensions(d),
  });
}

/** Protobuf bytes of gnostic's openapi.v2.Document for a Swagger 2.0 JSON document. */
export function encodeOpenAPIV2(doc: unknown): Uint8Array {
  const type = gnosticRoot().lookupType('openapi.v2.Document');
  return type.encode(gnosticDocument(doc)).finish();
}

/** Decodes gnostic Document bytes back to a plain object (proto field names); used by tests. */
export function decodeOpenAPIV2(buf: Uint8Array): Record<string, unknown> {
  const type = gnosticRoot().lookupType('openapi.v2.Document');
  return type.toObject(type.decode(buf), { defaults: false, arrays: false, longs: Number }) as Record<string, unknown>;
}
