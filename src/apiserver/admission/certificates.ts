// Admission for CertificateSigningRequests (upstream plugin/pkg/admission/certificates and the registry's
// PrepareForCreate): the requester's identity written into spec on create; CertificateApproval (changing
// Approved/Denied needs "approve" on signers/<signerName>), CertificateSigning (setting status.certificate needs
// "sign"), CertificateSubjectRestriction (no system:masters through kube-apiserver-client).
import { forbidden } from '../../api/errors.js';
import { CERTIFICATES_GROUP, KUBE_APISERVER_CLIENT_SIGNER, requestPEM, type CertificateSigningRequest } from '../../api/certificates/v1/types.js';
import { parseCSR } from '../../pki/csr.js';
import type { Authorizer } from '../filters/authorization.js';
import type { UserInfo } from '../filters/user.js';
import type { AdmissionAttributes, AdmissionPlugin } from './interfaces.js';

const CSRS = 'certificatesigningrequests';
const isCSR = (a: AdmissionAttributes) => a.resource.group === CERTIFICATES_GROUP && a.resource.resource === CSRS && !!a.object;

/** upstream IsAuthorizedForSignerName: the verb on signers/<name>, or on signers/<domain>/* */
async function authorizedForSigner(authz: Authorizer | undefined, user: UserInfo, verb: string, signerName: string): Promise<boolean> {
  if (!authz) return true;
  const ask = async (name: string) =>
    (
      await authz.authorize({
        user,
        verb,
        isResourceRequest: true,
        path: '',
        namespace: '',
        apiGroup: CERTIFICATES_GROUP,
        apiVersion: '*',
        resource: 'signers',
        subresource: '',
        name,
      })
    ).decision === 'Allow';
  if (await ask(signerName)) return true;
  const slash = signerName.indexOf('/');
  return slash > 0 && (await ask(`${signerName.slice(0, slash)}/*`));
}

/** spec.username/uid/groups/extra are who asked, whatever the client sent. */
export function csrRequester(): AdmissionPlugin {
  return {
    name: 'CertificateSigningRequestRequester',
    handles: (op) => op === 'CREATE',
    async admit(a) {
      if (!isCSR(a) || a.subresource) return;
      const csr = a.object as CertificateSigningRequest;
      const spec = (csr.spec ??= {} as CertificateSigningRequest['spec']);
      spec.username = a.userInfo.name;
      spec.uid = a.userInfo.uid || undefined;
      spec.groups = [...a.userInfo.groups];
      spec.extra = Object.keys(a.userInfo.extra ?? {}).length ? structuredClone(a.userInfo.extra) : undefined;
      for (const k of ['uid', 'extra'] as const) if (spec[k] === undefined) delete spec[k];
    },
  };
}

export function certificateApproval(authorizer: () => Authorizer | undefined): AdmissionPlugin {
  return {
    name: 'CertificateApproval',
    handles: (op) => op === 'UPDATE',
    async validate(a) {
      if (!isCSR(a) || a.subresource !== 'approval') return;
      const signer = (a.oldObject as CertificateSigningRequest | undefined)?.spec?.signerName ?? (a.object as CertificateSigningRequest).spec?.signerName ?? '';
      if (!(await authorizedForSigner(authorizer(), a.userInfo, 'approve', signer)))
        throw forbidden(a.resource, a.name, `user not permitted to approve requests with signerName ${JSON.stringify(signer)}`);
    },
  };
}

export function certificateSigning(authorizer: () => Authorizer | undefined): AdmissionPlugin {
  return {
    name: 'CertificateSigning',
    handles: (op) => op === 'UPDATE',
    async validate(a) {
      if (!isCSR(a) || a.subresource !== 'status') return;
      const csr = a.object as CertificateSigningRequest;
      const old = a.oldObject as CertificateSigningRequest | undefined;
      if ((csr.status?.certificate ?? '') === (old?.status?.certificate ?? '')) return;
      const signer = old?.spec?.signerName ?? csr.spec?.signerName ?? '';
      if (!(await authorizedForSigner(authorizer(), a.userInfo, 'sign', signer)))
        throw forbidden(a.resource, a.name, `user not permitted to sign requests with signerName ${JSON.stringify(signer)}`);
    },
  };
}

export function certificateSubjectRestriction(): AdmissionPlugin {
  return {
    name: 'CertificateSubjectRestriction',
    handles: (op) => op === 'CREATE',
    async validate(a) {
      if (!isCSR(a) || a.subresource) return;
      const csr = a.object as CertificateSigningRequest;
      if (csr.spec?.signerName !== KUBE_APISERVER_CLIENT_SIGNER) return;
      let orgs: string[];
      try {
        orgs = parseCSR(requestPEM(csr)).organizations;
      } catch {
        return; // validation already refused it
      }
      if (orgs.includes('system:masters'))
        throw forbidden(a.resource, a.name, `use of ${KUBE_APISERVER_CLIENT_SIGNER} signer with system:masters group is not allowed`);
    },
  };
}

export function certificateAdmission(authorizer: () => Authorizer | undefined): AdmissionPlugin[] {
  return [csrRequester(), certificateApproval(authorizer), certificateSigning(authorizer), certificateSubjectRestriction()];
}
