// WithImpersonation: Impersonate-User / Impersonate-Group / Impersonate-Uid / Impersonate-Extra-<key>
// headers make the request act as another user. Each requested identity is authorized as the verb
// "impersonate" on users, groups, serviceaccounts, uids or userextras (so the admin may impersonate anyone);
// the resulting user is the one authorization and admission see.
import { internalError } from '../../api/errors.js';
import { forbiddenError, type AuthorizationAttributes, type Authorizer } from './authorization.js';
import type { Filter } from './request.js';
import { ALL_AUTHENTICATED, ALL_UNAUTHENTICATED, ANONYMOUS, SERVICE_ACCOUNTS_GROUP, SERVICE_ACCOUNT_PREFIX, type UserInfo } from './user.js';

const USER = 'impersonate-user';
const GROUP = 'impersonate-group';
const UID = 'impersonate-uid';
const EXTRA = 'impersonate-extra-';

interface ImpersonationRequest {
  kind: 'User' | 'ServiceAccount' | 'Group' | 'UID' | 'UserExtra';
  name: string;
  namespace?: string;
  extraKey?: string;
}

function values(h: string | string[] | undefined): string[] {
  if (h === undefined) return [];
  return Array.isArray(h) ? h : [h];
}

/** Extra keys are percent-encoded in header names (upstream unescapes them); a malformed one stays as is. */
function unescapeKey(k: string): string {
  try {
    return decodeURIComponent(k);
  } catch {
    return k;
  }
}

/** What the headers ask to impersonate, in upstream's order: user, groups, extras, uid. */
function requestsFrom(headers: NodeJS.Dict<string[]>): ImpersonationRequest[] {
  const out: ImpersonationRequest[] = [];
  const user = values(headers[USER])[0] ?? '';
  if (user) {
    const sa = user.startsWith(SERVICE_ACCOUNT_PREFIX) ? user.slice(SERVICE_ACCOUNT_PREFIX.length).split(':') : [];
    if (sa.length === 2 && sa[0] && sa[1]) out.push({ kind: 'ServiceAccount', namespace: sa[0], name: sa[1] });
    else out.push({ kind: 'User', name: user });
  }
  for (const g of values(headers[GROUP])) out.push({ kind: 'Group', name: g });
  for (const [h, v] of Object.entries(headers)) {
    if (!h.startsWith(EXTRA)) continue;
    const key = unescapeKey(h.slice(EXTRA.length)).toLowerCase();
    for (const value of values(v)) out.push({ kind: 'UserExtra', name: value, extraKey: key });
  }
  const uid = values(headers[UID])[0] ?? '';
  if (uid) out.push({ kind: 'UID', name: uid });
  if (!user && out.length) {
    throw internalError(`requested [${out.map((r) => `${r.kind} "${r.name}"`).join(' ')}] without impersonating a user`);
  }
  return out;
}

function asksToImpersonate(headers: NodeJS.Dict<string | string[]>): boolean {
  if (headers[USER] !== undefined || headers[GROUP] !== undefined || headers[UID] !== undefined) return true;
  for (const h in headers) if (h.startsWith(EXTRA)) return true;
  return false;
}

function attributesOf(requestor: UserInfo, r: ImpersonationRequest): AuthorizationAttributes {
  const base = { user: requestor, verb: 'impersonate', isResourceRequest: true, path: '', apiVersion: '', namespace: '', subresource: '', name: r.name };
  switch (r.kind) {
    case 'ServiceAccount':
      return { ...base, apiGroup: '', resource: 'serviceaccounts', namespace: r.namespace ?? '' };
    case 'User':
      return { ...base, apiGroup: '', resource: 'users' };
    case 'Group':
      return { ...base, apiGroup: '', resource: 'groups' };
    case 'UID':
      return { ...base, apiGroup: 'authentication.k8s.io', resource: 'uids' };
    case 'UserExtra':
      return { ...base, apiGroup: 'authentication.k8s.io', resource: 'userextras', subresource: r.extraKey ?? '' };
  }
}

export function withImpersonation(authorizer: Authorizer): Filter {
  return (next) => async (r) => {
    // Most requests impersonate nobody: skip building the distinct-headers view for them.
    if (!asksToImpersonate(r.req.headers)) return next(r);
    const requests = requestsFrom(r.req.headersDistinct);
    if (!requests.length) return next(r);
    const requestor = r.user!;
    const groupsSpecified = requests.some((q) => q.kind === 'Group');
    const user: UserInfo = { name: '', uid: '', groups: [], extra: {} };
    for (const q of requests) {
      const a = attributesOf(requestor, q);
      const { decision, reason } = await authorizer.authorize(a);
      if (decision !== 'Allow') throw forbiddenError(a, reason);
      switch (q.kind) {
        case 'ServiceAccount':
          user.name = `${SERVICE_ACCOUNT_PREFIX}${q.namespace}:${q.name}`;
          if (!groupsSpecified) user.groups.push(SERVICE_ACCOUNTS_GROUP, `${SERVICE_ACCOUNTS_GROUP}:${q.namespace}`);
          break;
        case 'User':
          user.name = q.name;
          break;
        case 'Group':
          user.groups.push(q.name);
          break;
        case 'UID':
          user.uid = q.name;
          break;
        case 'UserExtra':
          (user.extra[q.extraKey ?? ''] ??= []).push(q.name);
          break;
      }
    }
    if (user.name !== ANONYMOUS && !user.groups.includes(ALL_AUTHENTICATED) && !user.groups.includes(ALL_UNAUTHENTICATED)) {
      user.groups.push(ALL_AUTHENTICATED);
    }
    r.user = user;
    if (r.audit) r.audit.impersonatedUser = user;
    const headers = r.req.headers;
    for (const h of Object.keys(headers)) if (h === USER || h === GROUP || h === UID || h.startsWith(EXTRA)) delete headers[h];
    await next(r);
  };
}
