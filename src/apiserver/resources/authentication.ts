// authentication.k8s.io resources: TokenReview (v1) and SelfSubjectReview (v1, v1beta1, v1alpha1), both
// create-only and never stored: the answer is computed from the token or from the requester's identity.
import { AUTHENTICATION_GROUP, type SelfSubjectReview, type TokenReview, type UserInfo as ApiUserInfo } from '../../api/authentication/v1/types.js';
import { badRequest, makeStatus, StatusError } from '../../api/errors.js';
import type { KubeObject } from '../../api/types.js';
import { reviewToken } from '../authentication/token_authenticator.js';
import type { UserInfo } from '../filters/user.js';
import type { HandlerContext } from '../handlers/context.js';
import type { ResourceDef, SubresourceRequest } from '../registry.js';
import { nowRFC3339 } from '../rest/meta.js';
import { readObject } from '../handlers/write.js';
import { addWarnings, writeJSON } from '../respond.js';

/** POST of a review: decoded and field-checked like any create, answered 201 by `fn`, never stored. */
function createOnly<T extends KubeObject>(fn: (ctx: HandlerContext, obj: T) => Promise<KubeObject>): (ctx: SubresourceRequest) => Promise<void> {
  return async (c) => {
    const ctx = c as HandlerContext;
    if (ctx.info.name) throw badRequest('a review has no name in its URL');
    const { obj, warnings } = await readObject(ctx);
    const answer = await fn(ctx, obj as T);
    addWarnings(ctx.res, warnings);
    writeJSON(ctx.res, 201, answer);
  };
}

function apiUserInfo(u: UserInfo): ApiUserInfo {
  const out: ApiUserInfo = { username: u.name };
  if (u.uid) out.uid = u.uid;
  if (u.groups.length) out.groups = [...u.groups];
  if (Object.keys(u.extra).length) out.extra = structuredClone(u.extra);
  return out;
}

const reviewMeta = (obj: KubeObject): KubeObject['metadata'] => ({ ...obj.metadata, creationTimestamp: nowRFC3339() });

async function createTokenReview(ctx: HandlerContext, review: TokenReview): Promise<KubeObject> {
  const token = review.spec?.token ?? '';
  if (!token) throw badRequest(`token is required for TokenReview in ${AUTHENTICATION_GROUP}`);
  const tokens = ctx.svc.authentication?.tokens;
  if (!tokens) throw new StatusError(makeStatus(503, 'ServiceUnavailable', 'no token authenticator is configured'));
  const audiences = review.spec.audiences ?? [];
  const r = await reviewToken(tokens, token, audiences.length ? audiences : undefined);
  const status: TokenReview['status'] =
    'error' in r ? { user: {}, error: r.error } : { authenticated: true, user: apiUserInfo(r.user), audiences: r.audiences };
  return { kind: 'TokenReview', apiVersion: `${AUTHENTICATION_GROUP}/v1`, metadata: reviewMeta(review), spec: review.spec, status };
}

function selfSubjectReviewDef(version: string): ResourceDef<SelfSubjectReview> {
  return {
    group: AUTHENTICATION_GROUP,
    version,
    kind: 'SelfSubjectReview',
    listKind: 'SelfSubjectReviewList',
    resource: 'selfsubjectreviews',
    singular: 'selfsubjectreview',
    namespaced: false,
    verbs: ['create'],
    schemaName: `io.k8s.api.authentication.${version}.SelfSubjectReview`,
    strategy: {},
    serveCreate: createOnly<SelfSubjectReview>(async (ctx, obj) => ({
      kind: 'SelfSubjectReview',
      apiVersion: `${AUTHENTICATION_GROUP}/${version}`,
      metadata: reviewMeta(obj),
      status: { userInfo: apiUserInfo(ctx.user) },
    })),
  };
}

export const authenticationResources: ResourceDef[] = [
  {
    group: AUTHENTICATION_GROUP,
    version: 'v1',
    kind: 'TokenReview',
    listKind: 'TokenReviewList',
    resource: 'tokenreviews',
    singular: 'tokenreview',
    namespaced: false,
    verbs: ['create'],
    schemaName: 'io.k8s.api.authentication.v1.TokenReview',
    strategy: {},
    serveCreate: createOnly<TokenReview>(createTokenReview),
  } as ResourceDef<TokenReview> as unknown as ResourceDef,
  selfSubjectReviewDef('v1') as unknown as ResourceDef,
  selfSubjectReviewDef('v1beta1') as unknown as ResourceDef,
  selfSubjectReviewDef('v1alpha1') as unknown as ResourceDef,
];
