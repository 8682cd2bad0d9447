// Builds the /openapi/v2 (Swagger 2.0) and /openapi/v3 (index + one OpenAPI 3.0 document per group
// version) documents from our schema definitions and the served resources, hashed for ETags and caching.
import { createHash } from 'node:crypto';
import { definitions as allDefinitions, definitionNameForKind, refName } from '../api/schema/index.js';
import { INT_OR_STRING, QUANTITY } from '../api/schema/build.js';
import type { Definitions, Schema } from '../api/schema/types.js';
import { KUBE_VERSION } from './discovery.js';
import { resourcePaths, type Operation, type Param, type PathItem, type Payload, type ResourceDescription } from './openapi_operations.js';

export type { ResourceDescription } from './openapi_operations.js';

export interface OpenAPIOptions {
  /** info.version; defaults to the served Kubernetes version (KUBE_VERSION.gitVersion), as kube-apiserver's. */
  version?: string;
  defs?: Definitions;
}

/** A rendered document: the object, its JSON text, and its hash (used for ?hash= and the ETag). */
export interface ServedDocument {
  body: unknown;
  json: string;
  /** Upper-case hex SHA-512 of json. */
  hash: string;
  /** Quoted hash, as sent in the ETag header. */
  etag: string;
}

function served(body: unknown): ServedDocument {
  const json = JSON.stringify(body);
  const hash = createHash('sha512').update(json).digest('hex').toUpperCase();
  return { body, json, hash, etag: `"${hash}"` };
}

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1.';

/** Converts one of our schemas to OpenAPI JSON, rewriting $ref to `prefix + name`. */
export function renderSchema(s: Schema, prefix: string, v3: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(s)) {
    if (v === undefined) continue;
    if (k === '$ref') continue;
    if (k === 'properties') {
      const props: Record<string, unknown> = {};
      for (const [pk, pv] of Object.entries(v as Record<string, Schema>)) props[pk] = renderSchema(pv, prefix, v3);
      out.properties = props;
    } else if (k === 'items') {
      out.items = renderSchema(v as Schema, prefix, v3);
    } else if (k === 'additionalProperties') {
      out.additionalProperties = typeof v === 'object' ? renderSchema(v as Schema, prefix, v3) : v;
    } else {
      out[k] = structuredClone(v);
    }
  }
  if (s.$ref !== undefined) {
    const target = prefix + refName(s.$ref);
    // OpenAPI 3 ignores siblings of $ref, so upstream wraps the ref in allOf to keep description/default.
    if (v3 && Object.keys(out).length > 0) return { ...out, allOf: [{ $ref: target }] };
    return { $ref: target, ...out };
  }
  return out;
}

/**
 * A definition as published. IntOrString and Quantity are kept as upstream publishes them: in v2 a plain
 * string (format int-or-string for IntOrString), in v3 a oneOf of their JSON types with no `type`, which is
 * what makes kubectl explain print `<IntOrString>` / `<Quantity>` for the fields that refer to them.
 * x-kubernetes-int-or-string stays internal (field validation reads it); upstream sets it only in CRD schemas.
 */
function renderDefinition(name: string, s: Schema, prefix: string, v3: boolean): Record<string, unknown> {
  const oneOf = name === INT_OR_STRING ? ['integer', 'string'] : name === QUANTITY ? ['string', 'number'] : undefined;
  if (!oneOf) return renderSchema(s, prefix, v3);
  const out: Record<string, unknown> = { description: s.description };
  if (s.format) out.format = s.format;
  if (v3) out.oneOf = oneOf.map((type) => ({ type }));
  else out.type = 'string';
  return out;
}

function payloadSchema(p: Payload, prefix: string): Record<string, unknown> {
  return 'ref' in p ? { $ref: prefix + p.ref } : { type: p.type };
}

const RESPONSE_TEXT: Record<string, string> = { '200': 'OK', '201': 'Created', '202': 'Accepted', '401': 'Unauthorized' };

function tagOf(group: string, version: string): string {
  return `${group === '' ? 'core' : group.replace(/\.k8s\.io$/, '').replace(/\./g, '_')}_${version}`;
}

/** Refs named directly by the paths plus everything reachable from them through the definitions. */
function reachable(items: PathItem[], defs: Definitions): string[] {
  const seen = new Set<string>();
  const stack: string[] = [];
  const add = (name: string) => {
    if (!seen.has(name) && defs[name]) {
      seen.add(name);
      stack.push(name);
    }
  };
  for (const it of items)
    for (const op of it.ops) {
      if (op.body && 'ref' in op.body) add(op.body.ref);
      for (const p of Object.values(op.responses)) if ('ref' in p) add(p.ref);
    }
  const walk = (s: Schema | undefined) => {
    if (!s) return;
    if (s.$ref !== undefined) add(refName(s.$ref));
    for (const p of Object.values(s.properties ?? {})) walk(p);
    walk(s.items);
    if (typeof s.additionalProperties === 'object') walk(s.additionalProperties);
  };
  while (stack.length) walk(defs[stack.pop()!]);
  return [...seen].sort();
}

function namer(defs: Definitions) {
  return (group: string, version: string, kind: string): string | undefined => {
    if (defs === allDefinitions) return definitionNameForKind(group, version, kind);
    for (const [name, s] of Object.entries(defs))
      if (s['x-kubernetes-group-version-kind']?.some((g) => g.group === group && g.version === version && g.kind === kind)) return name;
    return undefined;
  };
}

function gvPath(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : `api/${version}`;
}

/** The discovery endpoint of a group version (GET /api/v1/, /apis/<group>/<version>/). */
function discoveryPath(group: string, version: string): PathItem {
  const gp = (group === '' ? 'Core' : group.replace(/\.k8s\.io$/, '').replace(/^./, (c) => c.toUpperCase())) + version.replace(/^./, (c) => c.toUpperCase());
  return {
    path: `/${gvPath(group, version)}/`,
    params: [],
    ops: [
      {
        method: 'get',
        operationId: `get${gp}APIResources`,
        description: 'get available resources',
        action: '',
        params: [],
        produces: ['application/json', 'application/yaml'],
        responses: { '200': { ref: META + 'APIResourceList' } },
      },
    ],
  };
}

function groupItems(resources: ResourceDescription[], group: string, version: string, defs: Definitions): PathItem[] {
  const items: PathItem[] = [discoveryPath(group, version)];
  const name = namer(defs);
  for (const r of resources) if (r.group === group && r.version === version) items.push(...resourcePaths(r, name));
  return items;
}

function groupVersions(resources: ResourceDescription[]): { group: string; version: string }[] {
  const seen = new Map<string, { group: string; version: string }>();
  for (const r of resources) seen.set(gvPath(r.group, r.version), { group: r.group, version: r.version });
  return [...seen.values()];
}

// ---------- Swagger 2.0 ----------

function v2Param(p: Param): Record<string, unknown> {
  const out: Record<string, unknown> = { uniqueItems: true, type: p.type, description: p.description, name: p.name, in: p.in };
  if (p.required) out.required = true;
  return out;
}

function v2Operation(op: Operation, tag: string): Record<string, unknown> {
  const prefix = '#/definitions/';
  const params: Record<string, unknown>[] = [];
  if (op.body) params.push({ name: 'body', in: 'body', required: !!op.bodyRequired, schema: payloadSchema(op.body, prefix) });
  params.push(...op.params.map(v2Param));
  const responses: Record<string, unknown> = {};
  for (const [code, p] of Object.entries(op.responses)) responses[code] = { description: RESPONSE_TEXT[code] ?? 'OK', schema: payloadSchema(p, prefix) };
  responses['401'] = { description: 'Unauthorized' };
  const out: Record<string, unknown> = {
    description: op.description,
    consumes: op.consumes ?? ['*/*'],
    produces: op.produces,
    schemes: ['https'],
    tags: [tag],
    operationId: op.operationId,
    parameters: params,
    responses,
  };
  if (op.action) out['x-kubernetes-action'] = op.action;
  if (op.gvk) out['x-kubernetes-group-version-kind'] = { ...op.gvk };
  return out;
}

/** The /openapi/v2 document (Swagger 2.0) for the given resources. */
export function buildOpenAPIV2(resources: ResourceDescription[], opts: OpenAPIOptions = {}): Record<string, unknown> {
  const defs = opts.defs ?? allDefinitions;
  const paths: Record<string, unknown> = {};
  for (const { group, version } of groupVersions(resources)) {
    const tag = tagOf(group, version);
    for (const it of groupItems(resources, group, version, defs)) {
      const entry: Record<string, unknown> = {};
      for (const op of it.ops) entry[op.method] = v2Operation(op, tag);
      if (it.params.length) entry.parameters = it.params.map(v2Param);
      paths[it.path] = entry;
    }
  }
  const definitions: Record<string, unknown> = {};
  for (const name of Object.keys(defs).sort()) definitions[name] = renderDefinition(name, defs[name], '#/definitions/', false);
  return {
    swagger: '2.0',
    info: { title: 'Kubernetes', version: opts.version ?? KUBE_VERSION.gitVersion },
    paths,
    definitions,
    securityDefinitions: { BearerToken: { description: 'Bearer Token authentication', type: 'apiKey', name: 'authorization', in: 'header' } },
    security: [{ BearerToken: [] }],
  };
}

// ---------- OpenAPI 3.0 ----------

function v3Param(p: Param): Record<string, unknown> {
  const out: Record<string, unknown> = { name: p.name, in: p.in, description: p.description, schema: { type: p.type, uniqueItems: true } };
  if (p.required) out.required = true;
  return out;
}

function v3Content(types: string[], schema: Record<string, unknown>): Record<string, unknown> {
  const content: Record<string, unknown> = {};
  for (const t of types) content[t] = { schema };
  return content;
}

function v3Operation(op: Operation, tag: string): Record<string, unknown> {
  const prefix = '#/components/schemas/';
  const responses: Record<string, unknown> = {};
  for (const [code, p] of Object.entries(op.responses))
    responses[code] = { description: RESPONSE_TEXT[code] ?? 'OK', content: v3Content(op.produces, payloadSchema(p, prefix)) };
  responses['401'] = { description: 'Unauthorized' };
  const out: Record<string, unknown> = { tags: [tag], description: op.description, operationId: op.operationId };
  if (op.params.length) out.parameters = op.params.map(v3Param);
  if (op.body) out.requestBody = { content: v3Content(op.consumes ?? ['*/*'], payloadSchema(op.body, prefix)), required: !!op.bodyRequired };
  out.responses = responses;
  if (op.action) out['x-kubernetes-action'] = op.action;
  if (op.gvk) out['x-kubernetes-group-version-kind'] = { ...op.gvk };
  return out;
}

function v3Document(items: PathItem[], tag: string, defs: Definitions, version: string): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  for (const it of items) {
    const entry: Record<string, unknown> = {};
    for (const op of it.ops) entry[op.method] = v3Operation(op, tag);
    if (it.params.length) entry.parameters = it.params.map(v3Param);
    paths[it.path] = entry;
  }
  const schemas: Record<string, unknown> = {};
  for (const name of reachable(items, defs)) schemas[name] = renderDefinition(name, defs[name], '#/components/schemas/', true);
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version },
    paths,
    components: {
      schemas,
      securitySchemes: { BearerToken: { type: 'apiKey', description: 'Bearer Token authentication', name: 'authorization', in: 'header' } },
    },
  };
}

/** All /openapi/v3 documents: the index and one document per path ("api/v1", "apis/coordination.k8s.io/v1", "api", "apis"). */
export interface OpenAPIV3Set {
  index: ServedDocument;
  documents: Map<string, ServedDocument>;
}

/** Builds the /openapi/v3 index and per-group-version documents for the given resources. */
export function buildOpenAPIV3(resources: ResourceDescription[], opts: OpenAPIOptions = {}): OpenAPIV3Set {
  const defs = opts.defs ?? allDefinitions;
  const version = opts.version ?? KUBE_VERSION.gitVersion;
  const documents = new Map<string, ServedDocument>();
  for (const { group, version: v } of groupVersions(resources)) {
    documents.set(gvPath(group, v), served(v3Document(groupItems(resources, group, v, defs), tagOf(group, v), defs, version)));
  }
  // Discovery roots, as upstream publishes them.
  const root = (path: string, operationId: string, ref: string): PathItem => ({
    path,
    params: [],
    ops: [
      {
        method: 'get',
        operationId,
        description: 'get available API versions',
        action: '',
        params: [],
        produces: ['application/json', 'application/yaml'],
        responses: { '200': { ref } },
      },
    ],
  });
  documents.set('api', served(v3Document([root('/api/', 'getCoreAPIVersions', META + 'APIVersions')], 'core', defs, version)));
  documents.set('apis', served(v3Document([root('/apis/', 'getAPIVersions', META + 'APIGroupList')], 'apis', defs, version)));
  for (const g of new Set(resources.map((r) => r.group).filter(Boolean))) {
    const id = 'get' + g.replace(/\.k8s\.io$/, '').replace(/^./, (c) => c.toUpperCase()) + 'APIGroup';
    // Tagged with the group's short name ("coordination"), as upstream.
    documents.set(`apis/${g}`, served(v3Document([root(`/apis/${g}/`, id, META + 'APIGroup')], g.replace(/\.k8s\.io$/, ''), defs, version)));
  }
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const key of [...documents.keys()].sort()) paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${documents.get(key)!.hash}` };
  return { index: served({ paths }), documents };
}

/**
 * Computes every OpenAPI document once and serves them: v2(), v3Index(), v3(path) where path is the part
 * after "/openapi/v3/" without the query ("api/v1", "apis/coordination.k8s.io/v1").
 */
export class OpenAPIDocuments {
  private v2doc?: ServedDocument;
  private v3set?: OpenAPIV3Set;
  constructor(
    private readonly resources: ResourceDescription[],
    private readonly opts: OpenAPIOptions = {},
  ) {}
  v2(): ServedDocument {
    return (this.v2doc ??= served(buildOpenAPIV2(this.resources, this.opts)));
  }
  v3Index(): ServedDocument {
    return (this.v3set ??= buildOpenAPIV3(this.resources, this.opts)).index;
  }
  v3(path: string): ServedDocument | undefined {
    this.v3set ??= buildOpenAPIV3(this.resources, this.opts);
    return this.v3set.documents.get(path.replace(/^\/+|\/+$/g, ''));
  }
}

/** The resources k8ts serves, for tests and as a default until the registry provides its own list. */
export function resourcesForOpenAPI(): ResourceDescription[] {
  const all = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
  const core = (kind: string, resource: string, namespaced: boolean, subresources: string[] = []): ResourceDescription => ({
    group: '',
    version: 'v1',
    kind,
    resource,
    namespaced,
    verbs: all,
    subresources,
  });
  return [
    core('Pod', 'pods', true, ['status', 'log', 'exec', 'attach', 'portforward', 'binding', 'eviction', 'ephemeralcontainers']),
    core('Namespace', 'namespaces', false, ['status', 'finalize']),
    core('ConfigMap', 'configmaps', true),
    core('Secret', 'secrets', true),
    core('Event', 'events', true),
    core('ServiceAccount', 'serviceaccounts', true, ['token']),
    core('Node', 'nodes', false, ['status', 'proxy']),
    { group: 'coordination.k8s.io', version: 'v1', kind: 'Lease', resource: 'leases', namespaced: true, verbs: all, subresources: [] },
  ].map((r) => (r.kind === 'Namespace' ? { ...r, verbs: all.filter((v) => v !== 'deletecollection') } : r));
}
