// Turns an HTTP method + URL path into a Kubernetes RequestInfo (verb, group, version, namespace,
// resource, name, subresource), the way upstream's request-info resolver reads API paths. The path is
// the raw request path (no dot-segment folding: `%2E%2E` must stay a name, never climb a level); a
// malformed escape, or a namespace or name that is not a valid path segment, is a 400.
import { badRequest } from '../api/errors.js';

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

/** The request target as a URL (for the query and non-resource paths); an unparseable target is a 400. */
export function parseRequestURL(url: string | undefined): URL {
  try {
    return new URL(url ?? '/', 'http://localhost');
  } catch {
    throw badRequest(`invalid request URI ${JSON.stringify(url ?? '')}`);
  }
}

/** The request target's path exactly as sent (before `?`), without the URL parser's `.`/`..` folding. */
export function rawRequestPath(url: string | undefined): string {
  const u = url ?? '/';
  if (!u.startsWith('/')) return parseRequestURL(u).pathname; // absolute-form target
  const q = u.search(/[?#]/);
  return q < 0 ? u : u.slice(0, q);
}

function decodeSegment(seg: string): string {
  if (!seg.includes('%')) return seg; // the common case: nothing to decode
  try {
    return decodeURIComponent(seg);
  } catch {
    const bad = /%(?![0-9a-fA-F]{2}).{0,2}/.exec(seg)?.[0] ?? seg;
    throw badRequest(`invalid URL escape ${JSON.stringify(bad)}`);
  }
}

/** apimachinery's IsValidPathSegmentName: what a name or namespace in a URL path may not be or contain. */
export function pathSegmentNameErrors(name: string): string[] {
  if (name === '.' || name === '..') return [`may not be '${name}'`];
  const out: string[] = [];
  if (name.includes('/')) out.push("may not contain '/'");
  if (name.includes('%')) out.push("may not contain '%'");
  return out;
}

function checkPathSegment(what: 'Name' | 'Namespace', value: string | undefined): void {
  if (value === undefined) return;
  const errs = pathSegmentNameErrors(value);
  if (errs.length) throw badRequest(`${what} parameter invalid: ${JSON.stringify(value)}: ${errs.join(';')}`);
}

/** Upstream's query decoding of `watch`: any value but `0` or `false` (any case) asks for a watch. */
export function isWatchParam(value: string | null): boolean {
  if (value === null) return false;
  const v = value.toLowerCase();
  return v !== '0' && v !== 'false';
}

export function resolveRequestInfo(method: string, path: string, query: URLSearchParams): RequestInfo {
  const info: RequestInfo = { isResourceRequest: false, path, verb: method.toLowerCase(), apiPrefix: '', group: '', version: '', resource: '', parts: [] };
  const segs = path
    .split('/')
    .filter((s) => s.length > 0)
    .map(decodeSegment);
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
  checkPathSegment('Namespace', info.namespace);
  checkPathSegment('Name', info.name);

  const m = method.toUpperCase();
  const watchParam = query.get('watch');
  const isWatch = isWatchPath || isWatchParam(watchParam);
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
