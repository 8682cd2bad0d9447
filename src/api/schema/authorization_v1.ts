// Schemas of authorization.k8s.io/v1: SubjectAccessReview, SelfSubjectAccessReview, LocalSubjectAccessReview,
// SelfSubjectRulesReview and their specs and statuses.
import type { Definitions, Schema } from './types.js';
import { str, bool, obj, strList, arr, kindSchema, mapOf } from './build.js';

const AUTHZ = 'io.k8s.api.authorization.v1.';
const G = 'authorization.k8s.io';

const resourceAttributes: Schema = {
  $ref: AUTHZ + 'ResourceAttributes',
  description: 'Information for a resource access request.',
};
const nonResourceAttributes: Schema = {
  $ref: AUTHZ + 'NonResourceAttributes',
  description: 'Information for a non-resource access request.',
};
const sarStatus: Schema = { $ref: AUTHZ + 'SubjectAccessReviewStatus', default: {}, description: 'Filled in by the server: whether the request is allowed.' };

function review(kind: string, description: string, spec: string): Schema {
  return kindSchema(G, 'v1', kind, description, { spec: { $ref: AUTHZ + spec, default: {}, description: 'What is being checked.' }, status: sarStatus }, [
    'spec',
  ]);
}

export const authorizationV1Definitions: Definitions = {
  [AUTHZ + 'ResourceAttributes']: obj('The authorization attributes of a resource request, as the Authorizer interface takes them.', {
    group: str('The API group of the resource; "*" means all.'),
    name: str('The name of the resource requested for a "get" or deleted for a "delete"; "" means all.'),
    namespace: str('The namespace of the action requested; "" means all namespaces for namespaced resources.'),
    resource: str('One of the existing resource types; "*" means all.'),
    subresource: str('One of the existing subresources; "" means none.'),
    verb: str('A Kubernetes resource API verb (get, list, watch, create, update, delete, proxy); "*" means all.'),
    version: str('The API version of the resource; "*" means all.'),
  }),
  [AUTHZ + 'NonResourceAttributes']: obj('The authorization attributes of a non-resource request.', {
    path: str('The URL path of the request.'),
    verb: str('The standard HTTP verb.'),
  }),
  [AUTHZ + 'SubjectAccessReviewSpec']: obj('A description of the access request; exactly one of resourceAttributes and nonResourceAttributes must be set.', {
    extra: mapOf(strList('Values of one extra key.'), "Extra attributes of the user (the authenticator's)."),
    groups: strList('The groups you are testing for.'),
    nonResourceAttributes,
    resourceAttributes,
    uid: str('Information about the requesting user.'),
    user: str('The user you are testing for.'),
  }),
  [AUTHZ + 'SelfSubjectAccessReviewSpec']: obj(
    'A description of the access request; exactly one of resourceAttributes and nonResourceAttributes must be set.',
    {
      nonResourceAttributes,
      resourceAttributes,
    },
  ),
  [AUTHZ + 'SubjectAccessReviewStatus']: obj(
    'The answer of a review.',
    {
      allowed: bool('Whether the action is allowed.'),
      denied: bool('Whether the action is explicitly denied (allowed is false then).'),
      evaluationError: str('An indication that some error occurred during the authorization check.'),
      reason: str('Why the action is allowed or denied.'),
    },
    ['allowed'],
  ),
  [AUTHZ + 'SubjectAccessReview']: review(
    'SubjectAccessReview',
    'SubjectAccessReview checks whether or not a user or group can perform an action.',
    'SubjectAccessReviewSpec',
  ),
  [AUTHZ + 'SelfSubjectAccessReview']: review(
    'SelfSubjectAccessReview',
    'SelfSubjectAccessReview checks whether or the current user can perform an action. Not filling in a spec.namespace means "in all namespaces".',
    'SelfSubjectAccessReviewSpec',
  ),
  [AUTHZ + 'LocalSubjectAccessReview']: review(
    'LocalSubjectAccessReview',
    'LocalSubjectAccessReview checks whether or not a user or group can perform an action in a given namespace.',
    'SubjectAccessReviewSpec',
  ),
  [AUTHZ + 'SelfSubjectRulesReviewSpec']: obj('The namespace whose rules are listed.', { namespace: str('The namespace to evaluate rules for. Required.') }),
  [AUTHZ + 'ResourceRule']: obj(
    'The list of actions the subject is allowed to perform on resources.',
    {
      apiGroups: strList('The API groups of the resources.'),
      resourceNames: strList('An optional allow list of names.'),
      resources: strList('The resources this rule applies to.'),
      verbs: strList('The verbs allowed.'),
    },
    ['verbs'],
  ),
  [AUTHZ + 'NonResourceRule']: obj(
    'The list of actions the subject is allowed to perform on non-resources.',
    { nonResourceURLs: strList('Partial URLs a user should have access to.'), verbs: strList('The verbs allowed.') },
    ['verbs'],
  ),
  [AUTHZ + 'SubjectRulesReviewStatus']: obj(
    'The set of actions a user can perform in a namespace.',
    {
      evaluationError: str('Set when the rules could not all be evaluated.'),
      incomplete: bool('True when the rules are incomplete (an authorizer does not support listing).'),
      nonResourceRules: arr({ $ref: AUTHZ + 'NonResourceRule', default: {} }, 'Actions allowed on non-resources.', { listType: 'atomic' }),
      resourceRules: arr({ $ref: AUTHZ + 'ResourceRule', default: {} }, 'Actions allowed on resources.', { listType: 'atomic' }),
    },
    ['resourceRules', 'nonResourceRules', 'incomplete'],
  ),
  [AUTHZ + 'SelfSubjectRulesReview']: kindSchema(
    G,
    'v1',
    'SelfSubjectRulesReview',
    'SelfSubjectRulesReview enumerates the set of actions the current user can perform within a namespace.',
    {
      spec: { $ref: AUTHZ + 'SelfSubjectRulesReviewSpec', default: {}, description: 'Spec holds information about the request being evaluated.' },
      status: { $ref: AUTHZ + 'SubjectRulesReviewStatus', default: {}, description: 'Status is filled in by the server.' },
    },
    ['spec'],
  ),
};
