// WithRequestInfo: resolves the URL into a RequestInfo (verb, group, version, namespace, resource, name,
// subresource) that every later filter and the handler read; a malformed URL or name is a 400 here.
import { parseRequestURL, rawRequestPath, resolveRequestInfo } from '../request_info.js';
import type { Filter } from './request.js';

export const withRequestInfo: Filter = (next) => async (r) => {
  r.url = parseRequestURL(r.req.url);
  r.info = resolveRequestInfo(r.req.method ?? 'GET', rawRequestPath(r.req.url), r.url.searchParams);
  await next(r);
};
