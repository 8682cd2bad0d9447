// authorization.k8s.io/v1: SubjectAccessReview, SelfSubjectAccessReview, LocalSubjectAccessReview and
// SelfSubjectRulesReview. Create-only and never stored (upstream pkg/registry/authorization): each POST asks
// the server's authorizer and answers 201 with the review and its status.
import type { KubeObject, StatusCause } from '../../api/types.js';
import { badRequest, invalid } from '../../api/errors.js';
import { AUTHORIZATION_GROUP, type SelfSubjectRulesReview, type SubjectAccessReview, type SubjectAccessReviewSpec } from '../../api/authorization/v1/types.js';
import * as v from '../../api/authorization/v1/validation.js';
import type { ResourceDef } from '../registry.js';
import type { HandlerContext } from '../handlers/context.js';
import { readObject } from '../handlers/write.js';
import { addWarnings, writeJSON } from '../respond.js';
import type { AuthorizationAttributes } from '../filters/authorization.js';
import type { UserInfo } from '../filters/user.js';

/** Upstream authorizationutil.ResourceAttributesFrom / NonResourceAttributesFrom. */
export function attributesOfSpec(user: UserInfo, spec: SubjectAccessReviewSpec): AuthorizationAttributes {
  const ra = spec.resourceAttributes;
  if (ra) {
    return {
      user,
      verb: ra.verb ?? '',
      isResourceRequest: true,
      path: '',
      namespace: ra.namespace ?? '',
      apiGroup: ra.group ?? '',
      apiVersion: ra.version ?? '',
      resource: ra.resource ?? '',
      subresource: ra.subresource ?? '',
      name: ra.name ?? '',
    };
  }
  const nr = spec.nonResourceAttributes ?? {};
  return {
    user,
    verb: nr.verb ?? '',
    isResourceRequest: false,
    path: nr.path ?? '',
    namespace: '',
    apiGroup: '',
    apiVersion: '',
    resource: '',
    subresource: '',
    name: '',
  };
}

function userOfSpec(spec: SubjectAccessReviewSpec): UserInfo {
  return { name: spec.user ?? '', uid: spec.uid ?? '', groups: [...(spec.groups ?? [])], extra: { ...(spec.extra ?? {}) } };
}

type Kind = 'SubjectAccessReview' | 'SelfSubjectAccessReview' | 'LocalSubjectAccessReview';

async function read(ctx: HandlerContext): Promise<{ obj: KubeObject; warnings: string[] }> {
  if (ctx.info.name) throw badRequest('a review has no name in its URL');
  return readObject(ctx);
}

function respond(ctx: HandlerContext, obj: KubeObject, warnings: string[]): void {
  obj.apiVersion = `${AUTHORIZATION_GROUP}/v1`;
  obj.kind = ctx.def.kind;
  obj.metadata = { ...obj.metadata, creationTimestamp: null as unknown as string };
  addWarnings(ctx.res, warnings);
  writeJSON(ctx.res, 201, obj);
}

function accessReview(kind: Kind) {
  return async (c: unknown): Promise<void> => {
    const ctx = c as HandlerContext;
    const { obj, warnings } = await read(ctx);
    const review = obj as SubjectAccessReview;
    review.spec ??= {};
    let causes: StatusCause[];
    let user: UserInfo;
    if (kind === 'SelfSubjectAccessReview') {
      causes = v.validateSelfSubjectAccessReview(review);
      user = ctx.user;
      // upstream echoes nothing of the caller into the spec of a self review
    } else if (kind === 'LocalSubjectAccessReview') {
      const ns = ctx.info.namespace ?? '';
      if (!ns) throw badRequest(`namespace is required on this type: ${ns}`);
      causes = v.validateLocalSubjectAccessReview(review, ns);
      user = userOfSpec(review.spec);
    } else {
      causes = v.validateSubjectAccessReview(review);
      user = userOfSpec(review.spec);
    }
    if (causes.length) throw invalid(AUTHORIZATION_GROUP, kind, '', causes);
    const { decision, reason } = await ctx.svc.authorizer.authorize(attributesOfSpec(user, review.spec));
    review.status = { allowed: decision === 'Allow' };
    if (decision === 'Deny') review.status.denied = true;
    if (reason) review.status.reason = reason;
    respond(ctx, review, warnings);
  };
}

async function rulesReview(c: unknown): Promise<void> {
  const ctx = c as HandlerContext;
  const { obj, warnings } = await read(ctx);
  const review = obj as SelfSubjectRulesReview;
  review.spec ??= {};
  const ns = review.spec.namespace ?? '';
  if (!ns) throw badRequest('no namespace on request');
  const resolver = ctx.svc.authorizer.rulesFor;
  review.status = resolver
    ? resolver.call(ctx.svc.authorizer, ctx.user, ns)
    : { resourceRules: [], nonResourceRules: [], incomplete: true, evaluationError: 'the authorizer cannot list rules' };
  respond(ctx, review, warnings);
}

const noStrategy = {};

const review = (kind: string, resource: string, namespaced: boolean, serveCreate: (c: unknown) => Promise<void>): ResourceDef => ({
  group: AUTHORIZATION_GROUP,
  version: 'v1',
  kind,
  listKind: `${kind}List`,
  resource,
  singular: resource.replace(/s$/, ''),
  namespaced,
  verbs: ['create'],
  strategy: noStrategy,
  schemaName: `io.k8s.api.authorization.v1.${kind}`,
  serveCreate,
});

export const authorizationResources: ResourceDef[] = [
  review('LocalSubjectAccessReview', 'localsubjectaccessreviews', true, accessReview('LocalSubjectAccessReview')),
  review('SelfSubjectAccessReview', 'selfsubjectaccessreviews', false, accessReview('SelfSubjectAccessReview')),
  review('SelfSubjectRulesReview', 'selfsubjectrulesreviews', false, rulesReview),
  review('SubjectAccessReview', 'subjectaccessreviews', false, accessReview('SubjectAccessReview')),
];
