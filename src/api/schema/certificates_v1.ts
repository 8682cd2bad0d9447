// Schemas of io.k8s.api.certificates.v1.CertificateSigningRequest (spec, status, conditions) and its list.
import type { Definitions } from './types.js';
import { arr, bytes, int32, kindSchema, listSchema, mapOf, obj, ref, str, strList, time } from './build.js';

const CERT = 'io.k8s.api.certificates.v1.';

export const certificatesV1Definitions: Definitions = {
  [CERT + 'CertificateSigningRequest']: kindSchema(
    'certificates.k8s.io',
    'v1',
    'CertificateSigningRequest',
    'CertificateSigningRequest objects provide a mechanism to obtain x509 certificates by submitting a certificate signing request, and having it asynchronously approved and issued.',
    {
      spec: ref(CERT + 'CertificateSigningRequestSpec', 'spec contains the certificate request, and is immutable after creation.'),
      status: ref(
        CERT + 'CertificateSigningRequestStatus',
        'status contains information about whether the request is approved or denied, and the certificate issued by the signer, or the failure condition indicating signer failure.',
      ),
    },
    ['spec'],
  ),
  [CERT + 'CertificateSigningRequestSpec']: obj(
    'CertificateSigningRequestSpec contains the certificate request.',
    {
      request: bytes('request contains an x509 certificate signing request encoded in a "CERTIFICATE REQUEST" PEM block.'),
      signerName: str('signerName indicates the requested signer, and is a qualified name.'),
      expirationSeconds: int32(
        'expirationSeconds is the requested duration of validity of the issued certificate. The minimum valid value is 600 (10 minutes).',
      ),
      usages: strList('usages specifies a set of key usages requested in the issued certificate.'),
      username: str(
        'username contains the name of the user that created the CertificateSigningRequest. Populated by the API server on creation and immutable.',
      ),
      uid: str('uid contains the uid of the user that created the CertificateSigningRequest. Populated by the API server on creation and immutable.'),
      groups: strList(
        'groups contains group membership of the user that created the CertificateSigningRequest. Populated by the API server on creation and immutable.',
      ),
      extra: mapOf(
        strList('ExtraValue masks the value so protobuf can generate'),
        'extra contains extra attributes of the user that created the CertificateSigningRequest. Populated by the API server on creation and immutable.',
      ),
    },
    ['request', 'signerName'],
  ),
  [CERT + 'CertificateSigningRequestStatus']: obj(
    'CertificateSigningRequestStatus contains conditions used to indicate approved/denied/failed status of the request, and the issued certificate.',
    {
      conditions: arr(
        { $ref: CERT + 'CertificateSigningRequestCondition', default: {} },
        'conditions applied to the request. Known conditions are "Approved", "Denied", and "Failed".',
        {
          listType: 'map',
          mapKeys: ['type'],
        },
      ),
      certificate: bytes(
        'certificate is populated with an issued certificate by the signer after an Approved condition is present. This field is set via the /status subresource.',
      ),
    },
  ),
  [CERT + 'CertificateSigningRequestCondition']: obj(
    'CertificateSigningRequestCondition describes a condition of a CertificateSigningRequest object',
    {
      type: str('type of the condition. Known conditions are "Approved", "Denied", and "Failed".'),
      status: str('status of the condition, one of True, False, Unknown. Approved, Denied, and Failed conditions may not be "False" or "Unknown".'),
      reason: str('reason indicates a brief reason for the request state'),
      message: str('message contains a human readable message with details about the request state'),
      lastUpdateTime: time('lastUpdateTime is the time of the last update to this condition'),
      lastTransitionTime: time('lastTransitionTime is the time the condition last transitioned from one status to another.'),
    },
    ['type', 'status'],
  ),
  [CERT + 'CertificateSigningRequestList']: listSchema(
    'certificates.k8s.io',
    'v1',
    'CertificateSigningRequestList',
    CERT + 'CertificateSigningRequest',
    'certificate signing requests',
  ),
};
