// Turns an HTTP method + URL path into a Kubernetes RequestInfo (verb, group, version, namespace,
// resource, name, subresource), the way upstream's request-info resolver reads API paths.

export interface RequestInfo {
  isResourceRequest: boolean;
  path: string;
  verb: string;
  apiPrefix: string; // "api" | "apis"
  group: string;
  version: string;
  namespace?: string;
  resource: string;
  subresource?: string;
  name?: string;
  parts: string[];
}

export function resolveRequestInfo(method: string, path: string, query: URLSearchParams): RequestInfo {
  const info: RequestInfo = { isResourceRequest: false, path, verb: method.toLowerCase(), apiPrefix: '', group: '', version: '', resource: '', parts: [] };
  const segs = path.split('/').filter((s) => s.length > 0).map((s) => decodeURIComponent(s));
  if (segs.length === 0 || (segs[0] !== 'api' && segs[0] !== 'apis')) return info;
  info.apiPrefix = segs[0];
  let rest = segs.slice(1);
  if (info.apiPrefix === 'apis') {
    if (rest.length < 2) return info; // /apis, /apis/<group>
    info.group = rest[0];
    rest = rest.slice(1);
  }
  if (rest.length < 1) return info; // /api
  info.version = rest[0];
  rest = rest.slice(1);
  if (rest.length === 0) return info; // /api/v1 discovery
  info.isResourceRequest = true;

  let isWatchPath = false;
  if (rest[0] === 'watch') {
    isWatchPath = true;
    rest = rest.slice(1);
  }
  // namespaces/<ns>/<resource>... is a namespaced request; namespaces, namespaces/<ns> and
  // namespaces/<ns>/{status,finalize} address the namespaces resource itself.
  const nsSelf = rest[0] === 'namespaces' && (rest.length <= 2 || (rest.length === 3 && (rest[2] === 'status' || rest[2] === 'finalize')));
  if (rest[0] === 'namespaces' && !nsSelf) {
    info.namespace = rest[1];
    rest = rest.slice(2);
  }
  info.parts = rest;
  info.resource = rest[0] ?? '';
  info.name = rest[1];
  info.subresource = rest[2];

  const m = method.toUpperCase();
  const watchParam = query.get('watch');
  const isWatch = isWatchPath || watchParam === 'true' || watchParam === '1';
  switch (m) {
    case 'POST':
      info.verb = 'create';
      break;
    case 'GET':
    case 'HEAD':
      info.verb = info.name ? (isWatch ? 'watch' : 'get') : isWatch ? 'watch' : 'list';
      break;
    case 'PUT':
      info.verb = 'update';
      break;
    case 'PATCH':
      info.verb = 'patch';
      break;
    case 'DELETE':
      info.verb = info.name ? 'delete' : 'deletecollection';
      break;
    default:
      info.verb = m.toLowerCase();
  }
  return info;
}
