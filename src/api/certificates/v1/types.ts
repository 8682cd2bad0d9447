// certificates.k8s.io/v1 CertificateSigningRequest (k8s.io/api/certificates/v1): a PKCS#10 request for a
// signer, the requester's identity as the API server saw it, and the approval, failure and issued certificate.
import type { KubeObject } from '../../types.js';

export const CERTIFICATES_GROUP = 'certificates.k8s.io';

/** The built-in signers. */
export const KUBE_APISERVER_CLIENT_SIGNER = 'kubernetes.io/kube-apiserver-client';
export const KUBE_APISERVER_CLIENT_KUBELET_SIGNER = 'kubernetes.io/kube-apiserver-client-kubelet';
export const KUBELET_SERVING_SIGNER = 'kubernetes.io/kubelet-serving';
export const LEGACY_UNKNOWN_SIGNER = 'kubernetes.io/legacy-unknown';

export type RequestConditionType = 'Approved' | 'Denied' | 'Failed' | string;

export interface CertificateSigningRequestCondition {
  type: RequestConditionType;
  status: 'True' | 'False' | 'Unknown' | string;
  reason?: string;
  message?: string;
  lastUpdateTime?: string;
  lastTransitionTime?: string;
}

export interface CertificateSigningRequestSpec {
  /** base64 of the PEM "CERTIFICATE REQUEST" block. */
  request: string;
  signerName: string;
  expirationSeconds?: number;
  usages?: string[];
  username?: string;
  uid?: string;
  groups?: string[];
  extra?: Record<string, string[]>;
}

export interface CertificateSigningRequestStatus {
  conditions?: CertificateSigningRequestCondition[];
  /** base64 of the PEM certificate(s). */
  certificate?: string;
}

export interface CertificateSigningRequest extends KubeObject {
  spec: CertificateSigningRequestSpec;
  status?: CertificateSigningRequestStatus;
}

/** Every key usage the API accepts (upstream's KeyUsage values). */
export const KEY_USAGES = [
  'signing',
  'digital signature',
  'content commitment',
  'key encipherment',
  'key agreement',
  'data encipherment',
  'cert sign',
  'crl sign',
  'encipher only',
  'decipher only',
  'any',
  'server auth',
  'client auth',
  'code signing',
  'email protection',
  's/mime',
  'ipsec end system',
  'ipsec tunnel',
  'ipsec user',
  'timestamping',
  'ocsp signing',
  'microsoft sgc',
  'netscape sgc',
];

export function findCondition(csr: CertificateSigningRequest, type: RequestConditionType): CertificateSigningRequestCondition | undefined {
  return csr.status?.conditions?.find((c) => c.type === type);
}

export const isApproved = (csr: CertificateSigningRequest) => !!findCondition(csr, 'Approved');
export const isDenied = (csr: CertificateSigningRequest) => !!findCondition(csr, 'Denied');
export const isFailed = (csr: CertificateSigningRequest) => !!findCondition(csr, 'Failed');
export const isIssued = (csr: CertificateSigningRequest) => !!csr.status?.certificate;

/** The PEM text of spec.request (base64 in JSON). */
export function requestPEM(csr: CertificateSigningRequest): string {
  return Buffer.from(csr.spec?.request ?? '', 'base64').toString('utf8');
}

/** The PEM text of status.certificate, or '' when none was issued. */
export function certificatePEM(csr: CertificateSigningRequest): string {
  return Buffer.from(csr.status?.certificate ?? '', 'base64').toString('utf8');
}
