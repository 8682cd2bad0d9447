// Asking the cluster for a certificate (client-go's util/certificate/csr): create a CertificateSigningRequest
// for a fresh ECDSA key and wait until it is Approved and issued; Denied or Failed is an error saying why.
import type { CertificateSigningRequest } from '../../api/certificates/v1/types.js';
import { certificatePEM, findCondition } from '../../api/certificates/v1/types.js';
import type { KubeClient } from '../../client/rest.js';
import { certificatesV1 } from '../../client/typed_certificates.js';
import { createCSR } from '../../pki/csr.js';
import type { CertKeyPair } from '../../pki/certs.js';

export interface CertificateRequest {
  signerName: string;
  commonName: string;
  organizations: string[];
  altNames?: string[];
  usages: string[];
  /** metadata.generateName (kubelet: "node-csr-" to bootstrap, "csr-" to rotate). */
  generateName: string;
  expirationSeconds?: number;
}

export class CertificateRequestError extends Error {
  constructor(
    message: string,
    readonly code?: number,
  ) {
    super(message);
  }
}

export async function requestCertificate(
  client: KubeClient,
  req: CertificateRequest,
  o: { timeoutMs?: number; pollMs?: number; signal?: AbortSignal } = {},
): Promise<CertKeyPair & { csrName: string }> {
  const { csr, key } = await createCSR({ commonName: req.commonName, organizations: req.organizations, altNames: req.altNames });
  const csrs = certificatesV1(client).certificateSigningRequests();
  let created: CertificateSigningRequest;
  try {
    created = await csrs.create({
      apiVersion: 'certificates.k8s.io/v1',
      kind: 'CertificateSigningRequest',
      metadata: { generateName: req.generateName },
      spec: {
        request: Buffer.from(csr).toString('base64'),
        signerName: req.signerName,
        usages: req.usages,
        ...(req.expirationSeconds ? { expirationSeconds: req.expirationSeconds } : {}),
      },
    });
  } catch (e) {
    const code = (e as { code?: number }).code;
    throw new CertificateRequestError(`creating the certificate signing request failed: ${(e as Error).message}`, code);
  }
  const name = created.metadata.name!;
  const deadline = Date.now() + (o.timeoutMs ?? 15 * 60_000);
  for (let cur = created; ;) {
    const denied = findCondition(cur, 'Denied');
    if (denied)
      throw new CertificateRequestError(`certificate signing request ${name} was denied, reason: ${denied.reason ?? ''}, message: ${denied.message ?? ''}`);
    const failed = findCondition(cur, 'Failed');
    if (failed)
      throw new CertificateRequestError(`certificate signing request ${name} failed, reason: ${failed.reason ?? ''}, message: ${failed.message ?? ''}`);
    const pem = certificatePEM(cur);
    if (findCondition(cur, 'Approved') && pem) return { cert: pem, key, csrName: name };
    if (Date.now() > deadline || o.signal?.aborted)
      throw new CertificateRequestError(`timed out waiting for certificate signing request ${name} to be approved and issued`);
    await new Promise<void>((r) => {
      const t = setTimeout(done, o.pollMs ?? 500);
      o.signal?.addEventListener('abort', done, { once: true });
      function done(): void {
        clearTimeout(t);
        o.signal?.removeEventListener('abort', done);
        r();
      }
    });
    if (o.signal?.aborted) throw new CertificateRequestError(`stopped waiting for certificate signing request ${name}`);
    // a dropped connection or a 5xx while waiting is not the end of the request (kubelet keeps waiting too)
    cur = await csrs.get(name).catch((e: unknown) => {
      const code = (e as { code?: unknown }).code;
      if (typeof code === 'number' && code < 500) throw e;
      return cur;
    });
  }
}
