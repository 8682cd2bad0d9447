// certificates.k8s.io/v1 CertificateSigningRequest: cluster-scoped, short name csr, with /status (the signer
// writes the certificate and Failed) and /approval (Approved/Denied), each update path changing only its part
// (upstream pkg/registry/certificates/certificates strategies). The requester's identity goes into spec at
// create (certificatesigningrequest_requester.ts admission).
import type { CertificateSigningRequest, CertificateSigningRequestCondition } from '../../api/certificates/v1/types.js';
import { validateCertificateSigningRequest, validateCertificateSigningRequestUpdate, type CSRPemChecks } from '../../api/certificates/v1/validation.js';
import { nowRFC3339 } from '../rest/meta.js';
import { certificateBundleError, parseCSR } from '../../pki/csr.js';
import type { ResourceDef, ResourceStrategy } from '../registry.js';
import { objectSubresource } from '../subresources/status.js';

const pemChecks: CSRPemChecks = {
  request(pem) {
    try {
      parseCSR(pem);
      return undefined;
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
  },
  certificate: certificateBundleError,
};

/** Upstream populateConditionTimestamps: lastUpdateTime now when unset; lastTransitionTime kept while the status stays. */
function populateConditionTimestamps(csr: CertificateSigningRequest, old: CertificateSigningRequest | undefined): void {
  const now = nowRFC3339();
  for (const c of csr.status?.conditions ?? []) {
    c.lastUpdateTime ||= now;
    if (!c.lastTransitionTime) {
      const before = old?.status?.conditions?.find((o: CertificateSigningRequestCondition) => o.type === c.type);
      c.lastTransitionTime = before && before.status === c.status && before.lastTransitionTime ? before.lastTransitionTime : now;
    }
  }
}

/** Keeps everything of `old` but what `take` copies from the client's object. */
function keepAllBut(obj: CertificateSigningRequest, old: CertificateSigningRequest, take: (copy: CertificateSigningRequest) => void): void {
  const copy = structuredClone(old);
  copy.metadata.resourceVersion = obj.metadata.resourceVersion;
  take(copy);
  for (const k of Object.keys(obj)) delete (obj as unknown as Record<string, unknown>)[k];
  Object.assign(obj, copy);
}

const csrStrategy: ResourceStrategy<CertificateSigningRequest> = {
  prepareForCreate(csr) {
    csr.status = {};
  },
  // the main resource changes only metadata: spec is immutable, status has its own paths
  prepareForUpdate(csr, old) {
    csr.spec = old.spec;
    csr.status = old.status;
  },
  validateCreate: (csr) => validateCertificateSigningRequest(csr, pemChecks),
  validateUpdate: (csr, old) => validateCertificateSigningRequestUpdate(csr, old, pemChecks, 'main'),
  fields: (csr) => ({ 'spec.signerName': csr.spec?.signerName ?? '' }),
  allowUnconditionalUpdate: true,
};

export const certificatesResources: ResourceDef[] = [
  {
    group: 'certificates.k8s.io',
    version: 'v1',
    kind: 'CertificateSigningRequest',
    listKind: 'CertificateSigningRequestList',
    resource: 'certificatesigningrequests',
    singular: 'certificatesigningrequest',
    namespaced: false,
    shortNames: ['csr'],
    schemaName: 'io.k8s.api.certificates.v1.CertificateSigningRequest',
    strategy: csrStrategy,
    subresources: {
      status: objectSubresource<CertificateSigningRequest>({
        prepareForUpdate(csr, old) {
          keepAllBut(csr, old, (copy) => {
            copy.status = csr.status ?? {};
          });
          populateConditionTimestamps(csr, old);
        },
        validateUpdate: (csr, old) => validateCertificateSigningRequestUpdate(csr, old, pemChecks, 'status'),
      }),
      approval: objectSubresource<CertificateSigningRequest>({
        prepareForUpdate(csr, old) {
          keepAllBut(csr, old, (copy) => {
            copy.status = { ...(copy.status ?? {}), conditions: csr.status?.conditions ?? [] };
          });
          populateConditionTimestamps(csr, old);
        },
        validateUpdate: (csr, old) => validateCertificateSigningRequestUpdate(csr, old, pemChecks, 'approval'),
      }),
    },
  } as ResourceDef<CertificateSigningRequest> as unknown as ResourceDef,
];
