// The csrsigning controller (upstream pkg/controller/certificates/signer): an Approved, not yet issued, not
// Failed CSR for one of the signers it holds a CA for is checked against that signer's rules (a mismatch is a
// Failed condition, reason SignerValidationFailure) and signed for min(--cluster-signing-duration,
// spec.expirationSeconds), backdated 5 minutes, capped at the CA's own expiry; the certificate goes in via /status.
import type { CertificateSigningRequest } from '../../api/certificates/v1/types.js';
import {
  KUBE_APISERVER_CLIENT_KUBELET_SIGNER,
  KUBE_APISERVER_CLIENT_SIGNER,
  KUBELET_SERVING_SIGNER,
  isApproved,
  isFailed,
  isIssued,
  requestPEM,
} from '../../api/certificates/v1/types.js';
import { Controller } from '../../client/controller.js';
import type { SharedInformerFactory } from '../../client/informer_factory.js';
import type { Lister } from '../../client/listers.js';
import type { KubeClient } from '../../client/rest.js';
import { certificatesV1, CertificatesResources, type CertificatesV1Client } from '../../client/typed_certificates.js';
import type { Logger } from '../../log/logger.js';
import type { SigningCA } from '../../pki/certs.js';
import { parseCSR, signCSR, type ParsedCSR } from '../../pki/csr.js';
import { nodeClientCSRError, nodeServingCSRError } from './recognizers.js';

const BACKDATE_MS = 5 * 60_000;
export const DEFAULT_SIGNING_DURATION_MS = 365 * 24 * 3600_000;

/** Why a kube-apiserver-client CSR is not one (upstream: client auth required, only signature/encipherment besides). */
function apiserverClientError(_x: ParsedCSR, usages: string[]): string | undefined {
  const allowed = new Set(['digital signature', 'key encipherment', 'client auth']);
  const bad = usages.filter((u) => !allowed.has(u));
  if (bad.length) return `invalid usage for client certificate: ${bad[0]}`;
  if (!usages.includes('client auth')) return 'missing required usage for client certificate: client auth';
  return undefined;
}

const SIGNER_RULES: Record<string, (x: ParsedCSR, usages: string[]) => string | undefined> = {
  [KUBE_APISERVER_CLIENT_SIGNER]: apiserverClientError,
  [KUBE_APISERVER_CLIENT_KUBELET_SIGNER]: nodeClientCSRError,
  [KUBELET_SERVING_SIGNER]: (x, u) => nodeServingCSRError(x, u),
};

export interface SigningCAs {
  /** Signs kubernetes.io/kube-apiserver-client and kube-apiserver-client-kubelet. */
  client?: SigningCA;
  /** Signs kubernetes.io/kubelet-serving. */
  serving?: SigningCA;
}

export class CSRSigningController extends Controller {
  private readonly certs: CertificatesV1Client;
  private readonly csrs: Lister<CertificateSigningRequest>;
  private readonly durationMs: number;
  private readonly now: () => Date;

  constructor(
    client: KubeClient,
    private readonly cas: SigningCAs,
    opts: { log?: Logger; factory?: SharedInformerFactory; durationMs?: number; now?: () => Date } = {},
  ) {
    super({ name: 'csrsigning', client, factory: opts.factory, log: opts.log });
    this.certs = certificatesV1(client);
    this.durationMs = opts.durationMs ?? DEFAULT_SIGNING_DURATION_MS;
    this.now = opts.now ?? (() => new Date());
    const informer = this.factory.informerFor<CertificateSigningRequest>(CertificatesResources.certificateSigningRequests);
    this.csrs = informer.lister;
    this.watch(informer, { onAdd: (c) => this.enqueue(c), onUpdate: (_o, c) => this.enqueue(c) });
  }

  private caFor(signerName: string): SigningCA | undefined {
    if (signerName === KUBELET_SERVING_SIGNER) return this.cas.serving;
    if (signerName === KUBE_APISERVER_CLIENT_SIGNER || signerName === KUBE_APISERVER_CLIENT_KUBELET_SIGNER) return this.cas.client;
    return undefined;
  }

  protected async reconcile(name: string): Promise<void> {
    const csr = this.csrs.get(name);
    if (!csr || !isApproved(csr) || isIssued(csr) || isFailed(csr)) return;
    const ca = this.caFor(csr.spec.signerName);
    if (!ca) return;
    let x: ParsedCSR;
    try {
      x = parseCSR(requestPEM(csr));
    } catch (e) {
      return this.fail(csr, 'SignerValidationFailure', `unable to parse csr ${JSON.stringify(name)}: ${(e as Error).message}`);
    }
    const invalid = SIGNER_RULES[csr.spec.signerName](x, csr.spec.usages ?? []);
    if (invalid) return this.fail(csr, 'SignerValidationFailure', invalid);
    const now = this.now();
    const wanted = csr.spec.expirationSeconds ? csr.spec.expirationSeconds * 1000 : Infinity;
    const ttl = Math.min(this.durationMs, wanted);
    const pem = await signCSR(ca, x, csr.spec.usages ?? [], new Date(now.getTime() - BACKDATE_MS), new Date(now.getTime() + ttl));
    const next = structuredClone(csr);
    next.status = { ...(next.status ?? {}), certificate: Buffer.from(pem).toString('base64') };
    await this.certs.certificateSigningRequests().updateStatus(next);
    this.log.info({ csr: name, signer: csr.spec.signerName, subject: x.commonName }, 'Signed certificate');
  }

  private async fail(csr: CertificateSigningRequest, reason: string, message: string): Promise<void> {
    const next = structuredClone(csr);
    next.status = { ...(next.status ?? {}) };
    next.status.conditions = [...(next.status.conditions ?? []), { type: 'Failed', status: 'True', reason, message }];
    await this.certs.certificateSigningRequests().updateStatus(next);
    this.log.info({ csr: csr.metadata.name, reason, message }, 'Certificate signing failed');
  }
}
