// Schemas of the authentication.k8s.io reviews: TokenReview (v1) and SelfSubjectReview (v1, v1beta1 and
// v1alpha1, which kubectl 1.27's `auth whoami` uses). TokenRequest's are beside Lease's (coordination_v1.ts).
import type { Definitions, Schema } from './types.js';
import { bool, kindSchema, obj, strList, str, ref } from './build.js';

const AUTHN = 'io.k8s.api.authentication.';

function userInfo(): Schema {
  return obj('Information about a user.', {
    username: str('The name that uniquely identifies this user among all active users.'),
    uid: str('A unique value that identifies this user across time.'),
    groups: strList('The names of groups this user is a part of.'),
    extra: {
      type: 'object',
      description: 'Any additional information provided by the authenticator.',
      additionalProperties: { type: 'array', items: { type: 'string', default: '' } },
    },
  });
}

function selfSubjectReview(version: string): Definitions {
  const p = `${AUTHN}${version}.`;
  return {
    [p + 'UserInfo']: userInfo(),
    [p + 'SelfSubjectReviewStatus']: obj('The user information of the requester.', {
      userInfo: ref(p + 'UserInfo', 'User attributes of the user making this request.'),
    }),
    [p + 'SelfSubjectReview']: kindSchema(
      'authentication.k8s.io',
      version,
      'SelfSubjectReview',
      'Returns the user attributes the API server has for the requester (kubectl auth whoami).',
      { status: { $ref: p + 'SelfSubjectReviewStatus', default: {}, description: 'Filled in by the server with the user attributes.' } },
    ),
  };
}

const V1 = AUTHN + 'v1.';

export const authenticationDefinitions: Definitions = {
  ...selfSubjectReview('v1beta1'),
  ...selfSubjectReview('v1alpha1'),
  ...selfSubjectReview('v1'),
  [V1 + 'TokenReviewSpec']: obj('The token to authenticate.', {
    token: str('The opaque bearer token.'),
    audiences: strList('Identifiers the resource server presented with the token identifies as.'),
  }),
  [V1 + 'TokenReviewStatus']: obj('The result of the token authentication.', {
    authenticated: bool('Whether the token is associated with a known user.'),
    user: ref(V1 + 'UserInfo', 'The user the token stands for.'),
    audiences: strList('Audience identifiers chosen by the authenticator that are compatible with both the TokenReview and token.'),
    error: str('Why the token could not be checked.'),
  }),
  [V1 + 'TokenReview']: kindSchema(
    'authentication.k8s.io',
    'v1',
    'TokenReview',
    'Attempts to authenticate a token to a known user.',
    {
      spec: { $ref: V1 + 'TokenReviewSpec', default: {}, description: 'The token to authenticate.' },
      status: { $ref: V1 + 'TokenReviewStatus', default: {}, description: 'Filled in by the server: whether the token can be authenticated.' },
    },
    ['spec'],
  ),
};
