// authentication.k8s.io/v1 kinds: TokenRequest (serviceaccounts/<name>/token), TokenReview and
// SelfSubjectReview (create-only reviews; v1beta1/v1alpha1 SelfSubjectReview have the same shape).
import type { KubeObject } from '../../types.js';

export const AUTHENTICATION_GROUP = 'authentication.k8s.io';

export interface BoundObjectReference {
  kind?: string;
  apiVersion?: string;
  name?: string;
  uid?: string;
}

export interface TokenRequest extends KubeObject {
  spec: { audiences?: string[] | null; expirationSeconds?: number | null; boundObjectRef?: BoundObjectReference | null };
  status?: { token: string; expirationTimestamp: string };
}

export interface UserInfo {
  username?: string;
  uid?: string;
  groups?: string[];
  extra?: Record<string, string[]>;
}

export interface TokenReview extends KubeObject {
  spec: { token?: string; audiences?: string[] | null };
  status?: { authenticated?: boolean; user?: UserInfo; audiences?: string[]; error?: string };
}

export interface SelfSubjectReview extends KubeObject {
  status?: { userInfo?: UserInfo };
}
