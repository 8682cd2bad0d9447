// CertificateSigningRequest printer (certificates.k8s.io/v1): NAME, AGE, SIGNERNAME, REQUESTOR,
// REQUESTEDDURATION, CONDITION (Denied or Approved or Pending, then ",Failed" and ",Issued").
import type { CertificateSigningRequest } from '../../api/certificates/v1/types.js';
import { ageColumn, column, nameColumn } from './columns.js';
import { humanDuration, translateTimestampSince } from './duration.js';
import { asString } from './format.js';
import type { Printer } from './types.js';

export function csrCondition(csr: CertificateSigningRequest): string {
  const types = new Set((csr.status?.conditions ?? []).map((c) => c.type));
  let s = types.has('Denied') ? 'Denied' : types.has('Approved') ? 'Approved' : 'Pending';
  if (types.has('Failed')) s += ',Failed';
  if (csr.status?.certificate) s += ',Issued';
  return s;
}

export const certificateSigningRequestPrinter: Printer = {
  columns: [
    nameColumn,
    ageColumn,
    column('SignerName', 'string', 'signerName indicates the requested signer, and is a qualified name.'),
    column('Requestor', 'string', 'username contains the name of the user that created the CertificateSigningRequest.'),
    column('RequestedDuration', 'string', 'expirationSeconds is the requested duration of validity of the issued certificate.'),
    column('Condition', 'string', 'Denied, Approved or Pending, then Failed and Issued when so.'),
  ],
  cells: (obj, now) => {
    const csr = obj as unknown as CertificateSigningRequest;
    const secs = csr.spec?.expirationSeconds;
    return [
      asString(csr.metadata.name),
      translateTimestampSince(csr.metadata.creationTimestamp, now),
      asString(csr.spec?.signerName),
      asString(csr.spec?.username),
      typeof secs === 'number' ? humanDuration(secs * 1000) : '<none>',
      csrCondition(csr),
    ];
  },
};
