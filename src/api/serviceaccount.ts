// ServiceAccount names shared by the API server, the controllers, the admission plugin and the node agent:
// the default account, legacy token Secrets, the root CA ConfigMap, where tokens are mounted, the legacy
// token claims and the key ID both token signers put in the JWT header.
import { createHash, type KeyObject } from 'node:crypto';

export const DEFAULT_SERVICE_ACCOUNT = 'default';
export const SERVICE_ACCOUNT_TOKEN_SECRET_TYPE = 'kubernetes.io/service-account-token';
/** Annotations of a legacy token Secret naming its ServiceAccount. */
export const SERVICE_ACCOUNT_NAME_ANNOTATION = 'kubernetes.io/service-account.name';
export const SERVICE_ACCOUNT_UID_ANNOTATION = 'kubernetes.io/service-account.uid';
/** Data keys of a legacy token Secret. */
export const SERVICE_ACCOUNT_TOKEN_KEY = 'token';
export const SERVICE_ACCOUNT_ROOT_CA_KEY = 'ca.crt';
export const SERVICE_ACCOUNT_NAMESPACE_KEY = 'namespace';

/** The ConfigMap the root-CA publisher keeps in every namespace, and its key. */
export const ROOT_CA_CONFIGMAP = 'kube-root-ca.crt';
export const ROOT_CA_CONFIGMAP_KEY = 'ca.crt';
export const ROOT_CA_DESCRIPTION =
  'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.';
export const DESCRIPTION_ANNOTATION = 'kubernetes.io/description';

/** Where the ServiceAccount admission plugin mounts the token, CA and namespace. */
export const SERVICE_ACCOUNT_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';
export const SERVICE_ACCOUNT_VOLUME_PREFIX = 'kube-api-access-';

/** The issuer of Secret-based tokens. */
export const LEGACY_ISSUER = 'kubernetes/serviceaccount';
export const LEGACY_CLAIMS = {
  namespace: 'kubernetes.io/serviceaccount/namespace',
  secretName: 'kubernetes.io/serviceaccount/secret.name',
  serviceAccountName: 'kubernetes.io/serviceaccount/service-account.name',
  serviceAccountUID: 'kubernetes.io/serviceaccount/service-account.uid',
} as const;

/** Upstream's key ID: the unpadded base64url SHA-256 of the public key's DER (SubjectPublicKeyInfo). */
export function keyID(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('base64url');
}

/** The JWS algorithm of a signing key: RS256 for RSA, ES256/384/512 for ECDSA. */
export function signingAlgorithm(key: KeyObject): string {
  if (key.asymmetricKeyType === 'rsa') return 'RS256';
  const curve = key.asymmetricKeyDetails?.namedCurve;
  if (curve === 'prime256v1') return 'ES256';
  if (curve === 'secp384r1') return 'ES384';
  if (curve === 'secp521r1') return 'ES512';
  throw new Error(`unsupported ServiceAccount signing key type ${key.asymmetricKeyType} ${curve ?? ''}`);
}

export function serviceAccountUsername(namespace: string, name: string): string {
  return `system:serviceaccount:${namespace}:${name}`;
}
