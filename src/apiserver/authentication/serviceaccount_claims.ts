// ServiceAccount token claims (upstream pkg/serviceaccount claims.go, legacy.go): what a bound token
// (TokenRequest) and a legacy Secret-based token carry, the issuers and audiences the API server uses,
// and the user a token stands for.
import type { UserInfo } from '../filters/user.js';
import { ALL_AUTHENTICATED, SERVICE_ACCOUNT_PREFIX, SERVICE_ACCOUNTS_GROUP } from '../filters/user.js';
import { serviceAccountUsername } from '../../api/serviceaccount.js';

export { LEGACY_CLAIMS, LEGACY_ISSUER, serviceAccountUsername } from '../../api/serviceaccount.js';

/** Upstream's usual --service-account-issuer; also the API server's audience (--api-audiences defaults to it). */
export const DEFAULT_ISSUER = 'https://kubernetes.default.svc.cluster.local';
/** The kubelet-facing lifetime the ServiceAccount admission plugin asks for (WarnOnlyBoundTokenExpirationSeconds). */
export const WARN_ONLY_BOUND_TOKEN_EXPIRATION_SECONDS = 3607;
/** Such tokens are issued for a year (--service-account-extend-token-expiration), with warnafter at 3607 s. */
export const EXPIRATION_EXTENSION_SECONDS = 365 * 24 * 3600;
export const MIN_TOKEN_EXPIRATION_SECONDS = 600;
export const DEFAULT_TOKEN_EXPIRATION_SECONDS = 3600;

/** Extra keys of a ServiceAccount user (k8s.io/apiserver/pkg/authentication/serviceaccount). */
export const EXTRA_POD_NAME = 'authentication.kubernetes.io/pod-name';
export const EXTRA_POD_UID = 'authentication.kubernetes.io/pod-uid';
export const EXTRA_NODE_NAME = 'authentication.kubernetes.io/node-name';
export const EXTRA_NODE_UID = 'authentication.kubernetes.io/node-uid';
export const EXTRA_CREDENTIAL_ID = 'authentication.kubernetes.io/credential-id';

export interface ObjectRef {
  name: string;
  uid: string;
}

/** The "kubernetes.io" claim of a bound token. */
export interface BoundClaims {
  namespace: string;
  serviceaccount: ObjectRef;
  pod?: ObjectRef;
  secret?: ObjectRef;
  node?: ObjectRef;
  warnafter?: number;
}

/** "system:serviceaccount:<ns>:<name>" → its namespace and name, else undefined. */
export function splitServiceAccountUsername(user: string): { namespace: string; name: string } | undefined {
  if (!user.startsWith(SERVICE_ACCOUNT_PREFIX)) return undefined;
  const parts = user.slice(SERVICE_ACCOUNT_PREFIX.length).split(':');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return undefined;
  return { namespace: parts[0], name: parts[1] };
}

/** What a verified ServiceAccount token says about its holder. */
export interface ServiceAccountInfo {
  namespace: string;
  name: string;
  uid: string;
  podName?: string;
  podUID?: string;
  nodeName?: string;
  nodeUID?: string;
  credentialID?: string;
}

export function serviceAccountUser(info: ServiceAccountInfo): UserInfo {
  const extra: Record<string, string[]> = {};
  if (info.podName) extra[EXTRA_POD_NAME] = [info.podName];
  if (info.podUID) extra[EXTRA_POD_UID] = [info.podUID];
  if (info.nodeName) extra[EXTRA_NODE_NAME] = [info.nodeName];
  if (info.nodeUID) extra[EXTRA_NODE_UID] = [info.nodeUID];
  if (info.credentialID) extra[EXTRA_CREDENTIAL_ID] = [info.credentialID];
  return {
    name: serviceAccountUsername(info.namespace, info.name),
    uid: info.uid,
    groups: [SERVICE_ACCOUNTS_GROUP, `${SERVICE_ACCOUNTS_GROUP}:${info.namespace}`, ALL_AUTHENTICATED],
    extra,
  };
}
