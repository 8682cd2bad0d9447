// Builds the REST paths and operations (operationId, parameters, bodies, responses, x-kubernetes-action,
// x-kubernetes-group-version-kind) for each served resource, in a neutral form that openapi.ts renders
// as Swagger 2.0 or OpenAPI 3.0.
export interface ResourceDescription {
  group: string;
  version: string;
  kind: string;
  /** Plural resource name, e.g. "pods". */
  resource: string;
  namespaced: boolean;
  /** get, list, watch, create, update, patch, delete, deletecollection */
  verbs: string[];
  /** e.g. ["status", "log", "exec", "binding", "eviction"] */
  subresources: string[];
}

export type ParamType = 'string' | 'integer' | 'boolean';
export interface Param {
  name: string;
  in: 'path' | 'query';
  type: ParamType;
  description: string;
  required?: boolean;
}

/** A response or body: a definition name, or a primitive type. */
export type Payload = { ref: string } | { type: 'string' | 'object' };

export interface Operation {
  method: 'get' | 'put' | 'post' | 'delete' | 'patch';
  operationId: string;
  description: string;
  action: string;
  gvk?: { group: string; version: string; kind: string };
  params: Param[];
  body?: Payload;
  bodyRequired?: boolean;
  consumes?: string[];
  produces: string[];
  /** status code -> payload */
  responses: Record<string, Payload>;
}

export interface PathItem {
  path: string;
  /** Parameters common to every operation of the path (name, namespace, pretty). */
  params: Param[];
  ops: Operation[];
}

const Q = (name: string, type: ParamType, description: string): Param => ({ name, in: 'query', type, description });
const P = (name: string, description: string): Param => ({ name, in: 'path', type: 'string', description, required: true });

export const PARAMS = {
  pretty: Q('pretty', 'string', "If 'true', the output is pretty printed."),
  dryRun: Q('dryRun', 'string', 'When present ("All"), the request is processed but not persisted.'),
  fieldManager: Q('fieldManager', 'string', 'Name of the actor making the change, recorded in managedFields.'),
  fieldValidation: Q(
    'fieldValidation',
    'string',
    'What to do with unknown or duplicate fields in the body: Ignore (drop them), Warn (drop them and send a Warning header) or Strict (fail the request).',
  ),
  force: Q('force', 'boolean', 'Apply requests only: take over fields owned by other managers instead of failing with a conflict.'),
  gracePeriodSeconds: Q('gracePeriodSeconds', 'integer', 'Seconds before the object is deleted; 0 means now.'),
  propagationPolicy: Q('propagationPolicy', 'string', 'Orphan, Background or Foreground handling of dependents.'),
  orphanDependents: Q('orphanDependents', 'boolean', 'Deprecated: use propagationPolicy.'),
  labelSelector: Q('labelSelector', 'string', 'Only objects whose labels match this selector.'),
  fieldSelector: Q('fieldSelector', 'string', 'Only objects whose fields match this selector.'),
  limit: Q('limit', 'integer', 'Maximum number of items to return; a continue token is returned when there are more.'),
  continue: Q('continue', 'string', 'Token from a previous list call, to fetch the next chunk.'),
  resourceVersion: Q('resourceVersion', 'string', 'Constrains which resource version the result may come from.'),
  resourceVersionMatch: Q('resourceVersionMatch', 'string', 'How resourceVersion is applied to list calls: Exact or NotOlderThan.'),
  watch: Q('watch', 'boolean', 'Stream changes (watch) instead of returning a list.'),
  allowWatchBookmarks: Q('allowWatchBookmarks', 'boolean', 'Ask for BOOKMARK events on watches.'),
  sendInitialEvents: Q('sendInitialEvents', 'boolean', 'Start a watch with synthetic events for existing objects.'),
  timeoutSeconds: Q('timeoutSeconds', 'integer', 'Time limit of the list or watch call.'),
  name: (kind: string) => P('name', `name of the ${kind}`),
  namespace: P('namespace', 'object name and auth scope, such as for teams and projects'),
};

const JSON_YAML = ['application/json', 'application/yaml'];
const WATCH_TYPES = ['application/json', 'application/json;stream=watch'];
const PATCH_TYPES = ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml'];
const META = 'io.k8s.apimachinery.pkg.apis.meta.v1.';

function groupPrefix(group: string, version: string): string {
  // "" -> "CoreV1", "coordination.k8s.io" -> "CoordinationV1"
  const g = group === '' ? 'core' : group.replace(/\.k8s\.io$/, '').split('.')[0];
  const camel = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
  return camel(g.split('-').map(camel).join('')) + camel(version);
}

const WRITE_PARAMS = [PARAMS.dryRun, PARAMS.fieldManager, PARAMS.fieldValidation];
const LIST_PARAMS = [
  PARAMS.allowWatchBookmarks,
  PARAMS.continue,
  PARAMS.fieldSelector,
  PARAMS.labelSelector,
  PARAMS.limit,
  PARAMS.resourceVersion,
  PARAMS.resourceVersionMatch,
  PARAMS.sendInitialEvents,
  PARAMS.timeoutSeconds,
  PARAMS.watch,
];

/** Definition names used by a resource: "io.k8s.api.core.v1.Pod" etc. Callers can override via `defName`. */
export type DefinitionNamer = (group: string, version: string, kind: string) => string | undefined;

/** The paths of one resource with all of its operations and subresources. */
export function resourcePaths(r: ResourceDescription, defName: DefinitionNamer): PathItem[] {
  const prefix = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  const gp = groupPrefix(r.group, r.version);
  const gvk = { group: r.group, version: r.version, kind: r.kind };
  const ns = r.namespaced ? 'Namespaced' : '';
  const kindDef = defName(r.group, r.version, r.kind);
  const listDef = defName(r.group, r.version, r.kind + 'List');
  const obj: Payload = kindDef ? { ref: kindDef } : { type: 'object' };
  const list: Payload = listDef ? { ref: listDef } : { type: 'object' };
  const status: Payload = { ref: META + 'Status' };
  const watchEvent: Payload = { ref: META + 'WatchEvent' };
  const has = (v: string) => r.verbs.includes(v);
  const base = r.namespaced ? `${prefix}/namespaces/{namespace}/${r.resource}` : `${prefix}/${r.resource}`;
  const scopeParams = r.namespaced ? [PARAMS.namespace] : [];
  const items: PathItem[] = [];
  const lower = r.kind.charAt(0).toLowerCase() + r.kind.slice(1);

  // Collection: list, create, deletecollection.
  const coll: PathItem = { path: base, params: [...scopeParams, PARAMS.pretty], ops: [] };
  if (has('list'))
    coll.ops.push({
      method: 'get',
      operationId: `list${gp}${ns}${r.kind}`,
      description: `list or watch objects of kind ${r.kind}`,
      action: 'list',
      gvk,
      params: LIST_PARAMS,
      produces: [...JSON_YAML, 'application/json;stream=watch'],
      responses: { '200': list },
    });
  if (has('create'))
    coll.ops.push({
      method: 'post',
      operationId: `create${gp}${ns}${r.kind}`,
      description: `create a ${r.kind}`,
      action: 'post',
      gvk,
      params: WRITE_PARAMS,
      body: obj,
      bodyRequired: true,
      consumes: ['*/*'],
      produces: JSON_YAML,
      responses: { '200': obj, '201': obj, '202': obj },
    });
  if (has('deletecollection'))
    coll.ops.push({
      method: 'delete',
      operationId: `delete${gp}Collection${ns}${r.kind}`,
      description: `delete collection of ${r.kind}`,
      action: 'deletecollection',
      gvk,
      params: [
        PARAMS.dryRun,
        PARAMS.gracePeriodSeconds,
        PARAMS.orphanDependents,
        PARAMS.propagationPolicy,
        ...LIST_PARAMS.filter((p) => p.name !== 'watch' && p.name !== 'allowWatchBookmarks'),
      ],
      body: { ref: META + 'DeleteOptions' },
      consumes: ['*/*'],
      produces: JSON_YAML,
      responses: { '200': status },
    });
  if (coll.ops.length) items.push(coll);

  // Object: read, replace, patch, delete.
  const item: PathItem = { path: `${base}/{name}`, params: [PARAMS.name(r.kind), ...scopeParams, PARAMS.pretty], ops: [] };
  if (has('get'))
    item.ops.push({
      method: 'get',
      operationId: `read${gp}${ns}${r.kind}`,
      description: `read the specified ${r.kind}`,
      action: 'get',
      gvk,
      params: [],
      produces: JSON_YAML,
      responses: { '200': obj },
    });
  if (has('update'))
    item.ops.push({
      method: 'put',
      operationId: `replace${gp}${ns}${r.kind}`,
      description: `replace the specified ${r.kind}`,
      action: 'put',
      gvk,
      params: WRITE_PARAMS,
      body: obj,
      bodyRequired: true,
      consumes: ['*/*'],
      produces: JSON_YAML,
      responses: { '200': obj, '201': obj },
    });
  if (has('patch'))
    item.ops.push({
      method: 'patch',
      operationId: `patch${gp}${ns}${r.kind}`,
      description: `partially update the specified ${r.kind}`,
      action: 'patch',
      gvk,
      params: [...WRITE_PARAMS, PARAMS.force],
      body: { ref: META + 'Patch' },
      bodyRequired: true,
      consumes: PATCH_TYPES,
      produces: JSON_YAML,
      responses: { '200': obj, '201': obj },
    });
  if (has('delete'))
    item.ops.push({
      method: 'delete',
      operationId: `delete${gp}${ns}${r.kind}`,
      description: `delete a ${r.kind}`,
      action: 'delete',
      gvk,
      params: [PARAMS.dryRun, PARAMS.gracePeriodSeconds, PARAMS.orphanDependents, PARAMS.propagationPolicy],
      body: { ref: META + 'DeleteOptions' },
      consumes: ['*/*'],
      produces: JSON_YAML,
      responses: { '200': obj, '202': obj },
    });
  if (item.ops.length) items.push(item);

  // Watch endpoints (deprecated but still published upstream).
  if (has('watch')) {
    const watchBase = r.namespaced ? `${prefix}/watch/namespaces/{namespace}/${r.resource}` : `${prefix}/watch/${r.resource}`;
    items.push({
      path: watchBase,
      params: [...scopeParams, PARAMS.pretty, ...LIST_PARAMS],
      ops: [
        {
          method: 'get',
          operationId: `watch${gp}${ns}${r.kind}List`,
          description: `watch individual changes to a list of ${r.kind}. deprecated: use the 'watch' parameter with a list operation instead.`,
          action: 'watchlist',
          gvk,
          params: [],
          produces: WATCH_TYPES,
          responses: { '200': watchEvent },
        },
      ],
    });
    items.push({
      path: `${watchBase}/{name}`,
      params: [PARAMS.name(r.kind), ...scopeParams, PARAMS.pretty, ...LIST_PARAMS],
      ops: [
        {
          method: 'get',
          operationId: `watch${gp}${ns}${r.kind}`,
          description: `watch changes to an object of kind ${r.kind}. deprecated: use the 'watch' parameter with a list operation instead, filtered to a single item with the 'fieldSelector' parameter.`,
          action: 'watch',
          gvk,
          params: [],
          produces: WATCH_TYPES,
          responses: { '200': watchEvent },
        },
      ],
    });
  }
  // Across all namespaces.
  if (r.namespaced && has('list')) {
    items.push({
      path: `${prefix}/${r.resource}`,
      params: [PARAMS.pretty, ...LIST_PARAMS],
      ops: [
        {
          method: 'get',
          operationId: `list${gp}${r.kind}ForAllNamespaces`,
          description: `list or watch objects of kind ${r.kind}`,
          action: 'list',
          gvk,
          params: [],
          produces: [...JSON_YAML, 'application/json;stream=watch'],
          responses: { '200': list },
        },
      ],
    });
    if (has('watch'))
      items.push({
        path: `${prefix}/watch/${r.resource}`,
        params: [PARAMS.pretty, ...LIST_PARAMS],
        ops: [
          {
            method: 'get',
            operationId: `watch${gp}${r.kind}ListForAllNamespaces`,
            description: `watch individual changes to a list of ${r.kind}. deprecated: use the 'watch' parameter with a list operation instead.`,
            action: 'watchlist',
            gvk,
            params: [],
            produces: WATCH_TYPES,
            responses: { '200': watchEvent },
          },
        ],
      });
  }

  for (const sub of r.subresources) items.push(...subresourcePaths(r, sub, base, scopeParams, gp, ns, obj, defName, lower));
  return items;
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function subresourcePaths(
  r: ResourceDescription,
  sub: string,
  base: string,
  scopeParams: Param[],
  gp: string,
  ns: string,
  obj: Payload,
  defName: DefinitionNamer,
  _lower: string,
): PathItem[] {
  const path = `${base}/{name}/${sub}`;
  const Sub = cap(sub);
  const common: Param[] = [PARAMS.name(r.kind), ...scopeParams, PARAMS.pretty];
  const gvk = { group: r.group, version: r.version, kind: r.kind };
  switch (sub) {
    case 'status':
    case 'ephemeralcontainers':
    case 'resize':
    case 'finalize': {
      const SubName = sub === 'ephemeralcontainers' ? 'EphemeralContainers' : Sub;
      const ops: Operation[] = [];
      if (sub !== 'finalize') {
        ops.push({
          method: 'get',
          operationId: `read${gp}${ns}${r.kind}${SubName}`,
          description: `read ${sub} of the specified ${r.kind}`,
          action: 'get',
          gvk,
          params: [],
          produces: JSON_YAML,
          responses: { '200': obj },
        });
      }
      ops.push({
        method: 'put',
        operationId: `replace${gp}${ns}${r.kind}${SubName}`,
        description: `replace ${sub} of the specified ${r.kind}`,
        action: 'put',
        gvk,
        params: WRITE_PARAMS,
        body: obj,
        bodyRequired: true,
        consumes: ['*/*'],
        produces: JSON_YAML,
        responses: { '200': obj, '201': obj },
      });
      if (sub !== 'finalize') {
        ops.push({
          method: 'patch',
          operationId: `patch${gp}${ns}${r.kind}${SubName}`,
          description: `partially update ${sub} of the specified ${r.kind}`,
          action: 'patch',
          gvk,
          params: [...WRITE_PARAMS, PARAMS.force],
          body: { ref: META + 'Patch' },
          bodyRequired: true,
          consumes: PATCH_TYPES,
          produces: JSON_YAML,
          responses: { '200': obj, '201': obj },
        });
      }
      return [{ path, params: common, ops }];
    }
    case 'log':
      return [
        {
          path,
          params: common,
          ops: [
            {
              method: 'get',
              operationId: `read${gp}${ns}${r.kind}Log`,
              description: `read log of the specified ${r.kind}`,
              action: 'get',
              gvk,
              params: [
                { name: 'container', in: 'query', type: 'string', description: 'The container to stream logs of; optional when the pod has one container.' },
                { name: 'follow', in: 'query', type: 'boolean', description: 'Keep streaming new log lines.' },
                { name: 'limitBytes', in: 'query', type: 'integer', description: 'Stop after this many bytes.' },
                { name: 'previous', in: 'query', type: 'boolean', description: 'Logs of the previous, terminated instance of the container.' },
                { name: 'sinceSeconds', in: 'query', type: 'integer', description: 'Only lines newer than this many seconds.' },
                { name: 'sinceTime', in: 'query', type: 'string', description: 'Only lines after this RFC 3339 time.' },
                { name: 'stream', in: 'query', type: 'string', description: 'All, Stdout or Stderr.' },
                { name: 'tailLines', in: 'query', type: 'integer', description: 'Only the last this many lines.' },
                { name: 'timestamps', in: 'query', type: 'boolean', description: 'Prefix every line with its RFC 3339 timestamp.' },
              ],
              produces: ['text/plain', 'application/json', 'application/yaml'],
              responses: { '200': { type: 'string' } },
            },
          ],
        },
      ];
    case 'exec':
    case 'attach':
    case 'portforward':
    case 'proxy': {
      const Name = sub === 'portforward' ? 'Portforward' : Sub;
      const opts = `${r.kind}${cap(sub === 'portforward' ? 'PortForward' : Sub)}Options`;
      const params: Param[] =
        sub === 'exec' || sub === 'attach'
          ? [
              ...(sub === 'exec'
                ? [{ name: 'command', in: 'query' as const, type: 'string' as const, description: 'The command to run, one parameter per argument.' }]
                : []),
              { name: 'container', in: 'query', type: 'string', description: 'The container to connect to.' },
              { name: 'stderr', in: 'query', type: 'boolean', description: 'Redirect standard error.' },
              { name: 'stdin', in: 'query', type: 'boolean', description: 'Redirect standard input.' },
              { name: 'stdout', in: 'query', type: 'boolean', description: 'Redirect standard output.' },
              { name: 'tty', in: 'query', type: 'boolean', description: 'Allocate a TTY.' },
            ]
          : sub === 'portforward'
            ? [{ name: 'ports', in: 'query', type: 'integer', description: 'Ports to forward.' }]
            : [{ name: 'path', in: 'query', type: 'string', description: 'Path to proxy to.' }];
      const connect = (method: 'get' | 'post'): Operation => ({
        method,
        operationId: `connect${gp}${cap(method)}${ns}${r.kind}${Name}`,
        description: `connect ${method.toUpperCase()} requests to ${sub} of ${r.kind}`,
        action: 'connect',
        gvk: { group: r.group, version: r.version, kind: opts },
        params,
        produces: ['*/*'],
        responses: { '200': { type: 'string' } },
      });
      return [{ path, params: [PARAMS.name(opts), ...scopeParams], ops: [connect('get'), connect('post')] }];
    }
    case 'binding':
    case 'eviction':
    case 'token': {
      const bodyKind =
        sub === 'binding'
          ? { g: '', v: 'v1', k: 'Binding' }
          : sub === 'eviction'
            ? { g: 'policy', v: 'v1', k: 'Eviction' }
            : { g: 'authentication.k8s.io', v: 'v1', k: 'TokenRequest' };
      const bdef = defName(bodyKind.g, bodyKind.v, bodyKind.k);
      const body: Payload = bdef ? { ref: bdef } : { type: 'object' };
      return [
        {
          path,
          params: [{ ...PARAMS.name(bodyKind.k) }, ...scopeParams, PARAMS.pretty],
          ops: [
            {
              method: 'post',
              operationId: `create${gp}${ns}${r.kind}${Sub}`,
              description: `create ${sub} of a ${r.kind}`,
              action: 'post',
              gvk: { group: bodyKind.g, version: bodyKind.v, kind: bodyKind.k },
              params: WRITE_PARAMS,
              body,
              bodyRequired: true,
              consumes: ['*/*'],
              produces: JSON_YAML,
              responses: { '200': body, '201': body, '202': body },
            },
          ],
        },
      ];
    }
    default:
      return [];
  }
}
