// WithAuthorization: an Authorizer decides on the request's attributes (RequestInfo + user); anything but
// Allow is 403 Forbidden with upstream's message (plus the authorizers' reasons, when they give one).
import { StatusError, makeStatus } from '../../api/errors.js';
import type { RequestInfo } from '../request_info.js';
import type { Filter } from './request.js';
import type { UserInfo } from './user.js';

export type Decision = 'Allow' | 'Deny' | 'NoOpinion';

/** Upstream's authorizer.Attributes. */
export interface AuthorizationAttributes {
  user: UserInfo;
  verb: string;
  isResourceRequest: boolean;
  /** The URL path (non-resource requests). */
  path: string;
  namespace: string;
  apiGroup: string;
  apiVersion: string;
  resource: string;
  subresource: string;
  name: string;
  /** The request's ?fieldSelector= (list and watch; the Node authorizer allows a kubelet's per-object watches). */
  fieldSelector?: string;
}

/** What a user may do in a namespace (upstream's authorizer.RuleResolver; SelfSubjectRulesReview shows it). */
export interface RulesInfo {
  resourceRules: { verbs: string[]; apiGroups?: string[]; resources?: string[]; resourceNames?: string[] }[];
  nonResourceRules: { verbs: string[]; nonResourceURLs?: string[] }[];
  incomplete: boolean;
  evaluationError?: string;
}

export interface Authorizer {
  authorize(a: AuthorizationAttributes): Promise<{ decision: Decision; reason?: string }>;
  /** The rules that apply to the user in `namespace` (cluster-wide ones included); absent = cannot list them. */
  rulesFor?(user: UserInfo, namespace: string): RulesInfo;
}

export const alwaysAllow: Authorizer = {
  authorize: async () => ({ decision: 'Allow' }),
  rulesFor: () => ({
    resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
    nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
    incomplete: false,
  }),
};

export function attributesFrom(info: RequestInfo, user: UserInfo, query?: URLSearchParams): AuthorizationAttributes {
  const a: AuthorizationAttributes = {
    user,
    verb: info.verb,
    isResourceRequest: info.isResourceRequest,
    path: info.path,
    namespace: info.namespace ?? '',
    apiGroup: info.group,
    apiVersion: info.version,
    resource: info.resource,
    subresource: info.subresource ?? '',
    name: info.name ?? '',
  };
  const fs = query?.get('fieldSelector');
  if (fs) a.fieldSelector = fs;
  return a;
}

/** Upstream's forbiddenMessage. */
export function forbiddenMessage(a: AuthorizationAttributes): string {
  const user = a.user.name;
  if (!a.isResourceRequest) return `User "${user}" cannot ${a.verb} path "${a.path}"`;
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  if (a.namespace) return `User "${user}" cannot ${a.verb} resource "${resource}" in API group "${a.apiGroup}" in the namespace "${a.namespace}"`;
  return `User "${user}" cannot ${a.verb} resource "${resource}" in API group "${a.apiGroup}" at the cluster scope`;
}

/** Upstream's responsewriters.Forbidden: a 403 Status naming the resource (and object) refused. */
export function forbiddenError(a: AuthorizationAttributes, reason?: string): StatusError {
  const why = reason ? `${forbiddenMessage(a)}: ${reason}` : forbiddenMessage(a);
  const qualified = !a.resource ? '' : a.apiGroup ? `${a.resource}.${a.apiGroup}` : a.resource;
  const message = !qualified ? `forbidden: ${why}` : a.name ? `${qualified} "${a.name}" is forbidden: ${why}` : `${qualified} is forbidden: ${why}`;
  return new StatusError(makeStatus(403, 'Forbidden', message, { name: a.name || undefined, group: a.apiGroup || undefined, kind: a.resource || undefined }));
}

export function withAuthorization(authorizer: Authorizer): Filter {
  return (next) => async (r) => {
    const a = attributesFrom(r.info!, r.user!, r.url?.searchParams);
    const { decision, reason } = await authorizer.authorize(a);
    if (decision !== 'Allow') throw forbiddenError(a, reason);
    await next(r);
  };
}
