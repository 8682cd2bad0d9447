// The csrcleaner controller (upstream pkg/controller/certificates/cleaner): CSRs are deleted once Approved,
// Denied or Failed for an hour (from the condition's lastUpdateTime), Pending for a day (from creation), or
// as soon as their issued certificate has expired. Each CSR is requeued for the moment it falls due.
import { certificatePEM, findCondition, type CertificateSigningRequest } from '../../api/certificates/v1/types.js';
import { Controller, type ReconcileResult } from '../../client/controller.js';
import type { SharedInformerFactory } from '../../client/informer_factory.js';
import type { Lister } from '../../client/listers.js';
import type { KubeClient } from '../../client/rest.js';
import { certificatesV1, CertificatesResources, type CertificatesV1Client } from '../../client/typed_certificates.js';
import type { Logger } from '../../log/logger.js';
import { certInfo } from '../../pki/certs.js';

export interface CleanerDeadlines {
  approvedMs: number;
  deniedMs: number;
  failedMs: number;
  pendingMs: number;
}

export const DEFAULT_CLEANER_DEADLINES: CleanerDeadlines = { approvedMs: 3600_000, deniedMs: 3600_000, failedMs: 3600_000, pendingMs: 24 * 3600_000 };

/** When `csr` is due for deletion (ms since epoch), by upstream's rules. */
export function cleanupDue(csr: CertificateSigningRequest, d: CleanerDeadlines = DEFAULT_CLEANER_DEADLINES): number {
  const at = (t: string | undefined, fallback: string | undefined) => Date.parse(t ?? fallback ?? '') || 0;
  const created = csr.metadata.creationTimestamp;
  const due: number[] = [];
  for (const [type, ms] of [
    ['Approved', d.approvedMs],
    ['Denied', d.deniedMs],
    ['Failed', d.failedMs],
  ] as const) {
    const c = findCondition(csr, type);
    if (c) due.push(at(c.lastUpdateTime, created) + ms);
  }
  if (!due.length) due.push(at(created, undefined) + d.pendingMs);
  const pem = certificatePEM(csr);
  if (pem) {
    try {
      due.push(certInfo(pem).notAfter.getTime());
    } catch {
      // an unreadable certificate is left to the other deadlines
    }
  }
  return Math.min(...due);
}

export class CSRCleanerController extends Controller {
  private readonly certs: CertificatesV1Client;
  private readonly csrs: Lister<CertificateSigningRequest>;
  private readonly deadlines: CleanerDeadlines;
  private readonly now: () => number;

  constructor(client: KubeClient, opts: { log?: Logger; factory?: SharedInformerFactory; deadlines?: Partial<CleanerDeadlines>; now?: () => number } = {}) {
    super({ name: 'csrcleaner', client, factory: opts.factory, log: opts.log });
    this.certs = certificatesV1(client);
    this.deadlines = { ...DEFAULT_CLEANER_DEADLINES, ...opts.deadlines };
    this.now = opts.now ?? Date.now;
    const informer = this.factory.informerFor<CertificateSigningRequest>(CertificatesResources.certificateSigningRequests);
    this.csrs = informer.lister;
    this.watch(informer, { onAdd: (c) => this.enqueue(c), onUpdate: (_o, c) => this.enqueue(c) });
  }

  protected async reconcile(name: string): Promise<ReconcileResult | void> {
    const csr = this.csrs.get(name);
    if (!csr || csr.metadata.deletionTimestamp) return;
    const left = cleanupDue(csr, this.deadlines) - this.now();
    if (left > 0) return { requeueAfterMs: Math.min(left, 3600_000) };
    try {
      await this.certs.certificateSigningRequests().delete(name, { preconditions: { uid: csr.metadata.uid } });
      this.log.info({ csr: name }, 'Cleaned up certificate signing request');
    } catch (e) {
      const code = (e as { code?: number }).code;
      if (code !== 404 && code !== 409) throw e;
    }
  }
}
