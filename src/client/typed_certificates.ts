// Typed certificates.k8s.io/v1 client (client-go's CertificatesV1Interface): CertificateSigningRequests with
// their /status (the signer) and /approval (approvers) subresources.
import type { CertificateSigningRequest } from '../api/certificates/v1/types.js';
import type { KubeClient } from './rest.js';
import { ResourceClient, type ResourceRef } from './typed.js';

export const CertificatesResources = {
  certificateSigningRequests: { group: 'certificates.k8s.io', version: 'v1', resource: 'certificatesigningrequests', namespaced: false } as ResourceRef,
} as const;

export class CertificatesV1Client {
  constructor(readonly client: KubeClient) {}

  certificateSigningRequests(): ResourceClient<CertificateSigningRequest> {
    return new ResourceClient<CertificateSigningRequest>(this.client, CertificatesResources.certificateSigningRequests);
  }

  /** PUT .../<name>/approval: the Approved/Denied conditions. */
  updateApproval(csr: CertificateSigningRequest): Promise<CertificateSigningRequest> {
    return this.certificateSigningRequests().updateSubresource(csr.metadata.name!, 'approval', csr);
  }
}

export function certificatesV1(client: KubeClient): CertificatesV1Client {
  return new CertificatesV1Client(client);
}
