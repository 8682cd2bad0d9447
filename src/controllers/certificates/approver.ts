// The csrapproving controller (upstream pkg/controller/certificates/approver sarapprove.go): a pending
// kube-apiserver-client-kubelet CSR that is a node client certificate request is approved when a
// SubjectAccessReview says its requester may create certificatesigningrequests/selfnodeclient (renewal by the
// node itself: requester = CN) or /nodeclient (a bootstrap token joining). k8ts also approves a node's own
// kubelet-serving CSR when its names and addresses are the Node's (upstream leaves that to an external approver).
import type { CertificateSigningRequest } from '../../api/certificates/v1/types.js';
import {
  CERTIFICATES_GROUP,
  KUBE_APISERVER_CLIENT_KUBELET_SIGNER,
  KUBELET_SERVING_SIGNER,
  isApproved,
  isDenied,
  isIssued,
  requestPEM,
} from '../../api/certificates/v1/types.js';
import type { SubjectAccessReview } from '../../api/authorization/v1/types.js';
import type { Node } from '../../api/core/v1/types.js';
import { Controller, type ReconcileResult } from '../../client/controller.js';
import type { SharedInformerFactory } from '../../client/informer_factory.js';
import type { Lister } from '../../client/listers.js';
import type { KubeClient } from '../../client/rest.js';
import { certificatesV1, CertificatesResources, type CertificatesV1Client } from '../../client/typed_certificates.js';
import type { Logger } from '../../log/logger.js';
import { parseCSR, type ParsedCSR } from '../../pki/csr.js';
import { nodeClientCSRError, nodeServingCSRError } from './recognizers.js';

const SAR_PATH = '/apis/authorization.k8s.io/v1/subjectaccessreviews';

export interface Recognizer {
  subresource: 'selfnodeclient' | 'nodeclient';
  message: string;
  recognize(csr: CertificateSigningRequest, x: ParsedCSR): boolean;
}

/** upstream's recognizers, most specific first. */
export const recognizers: Recognizer[] = [
  {
    subresource: 'selfnodeclient',
    message: 'Auto approving self kubelet client certificate after SubjectAccessReview.',
    recognize: (csr, x) =>
      csr.spec.signerName === KUBE_APISERVER_CLIENT_KUBELET_SIGNER && !nodeClientCSRError(x, csr.spec.usages ?? []) && csr.spec.username === x.commonName,
  },
  {
    subresource: 'nodeclient',
    message: 'Auto approving kubelet client certificate after SubjectAccessReview.',
    recognize: (csr, x) => csr.spec.signerName === KUBE_APISERVER_CLIENT_KUBELET_SIGNER && !nodeClientCSRError(x, csr.spec.usages ?? []),
  },
];

export class CSRApprovingController extends Controller {
  private readonly certs: CertificatesV1Client;
  private readonly csrs: Lister<CertificateSigningRequest>;
  private readonly nodes: Lister<Node>;

  constructor(
    private readonly client: KubeClient,
    opts: { log?: Logger; factory?: SharedInformerFactory } = {},
  ) {
    super({ name: 'csrapproving', client, factory: opts.factory, log: opts.log });
    this.certs = certificatesV1(client);
    const informer = this.factory.informerFor<CertificateSigningRequest>(CertificatesResources.certificateSigningRequests);
    this.csrs = informer.lister;
    this.watch(informer, { onAdd: (c) => this.enqueue(c), onUpdate: (_o, c) => this.enqueue(c) });
    const nodes = this.factory.nodes();
    this.nodes = nodes.lister;
    // a serving CSR waits for its Node's addresses
    this.watch(nodes, {
      onAdd: () => this.requeuePendingServing(),
      onUpdate: () => this.requeuePendingServing(),
    });
  }

  private requeuePendingServing(): void {
    for (const c of this.csrs.list()) if (c.spec?.signerName === KUBELET_SERVING_SIGNER && !isApproved(c) && !isDenied(c)) this.enqueue(c);
  }

  private async allowed(csr: CertificateSigningRequest, subresource: string): Promise<boolean> {
    const sar: SubjectAccessReview = {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SubjectAccessReview',
      metadata: {},
      spec: {
        user: csr.spec.username,
        uid: csr.spec.uid,
        groups: csr.spec.groups,
        extra: csr.spec.extra,
        resourceAttributes: { group: CERTIFICATES_GROUP, resource: 'certificatesigningrequests', verb: 'create', subresource },
      },
    };
    const out = await this.client.create<SubjectAccessReview>(SAR_PATH, sar);
    return out.status?.allowed === true;
  }

  private async approve(csr: CertificateSigningRequest, message: string): Promise<void> {
    const next = structuredClone(csr);
    next.status = { ...(next.status ?? {}) };
    next.status.conditions = [...(next.status.conditions ?? []), { type: 'Approved', status: 'True', reason: 'AutoApproved', message }];
    await this.certs.updateApproval(next);
    this.log.info({ csr: csr.metadata.name, requestor: csr.spec.username }, message);
  }

  protected async reconcile(name: string): Promise<ReconcileResult | void> {
    const csr = this.csrs.get(name);
    if (!csr || isApproved(csr) || isDenied(csr) || isIssued(csr)) return;
    let x: ParsedCSR;
    try {
      x = parseCSR(requestPEM(csr));
    } catch {
      return; // not ours to judge (validation let it in, a signer will fail it)
    }
    if (csr.spec.signerName === KUBELET_SERVING_SIGNER) return this.reconcileServing(csr, x);
    for (const r of recognizers) {
      if (!r.recognize(csr, x)) continue;
      if (await this.allowed(csr, r.subresource)) {
        await this.approve(csr, r.message);
        return;
      }
    }
  }

  /** k8ts: a node's serving CSR for exactly its own names and addresses. */
  private async reconcileServing(csr: CertificateSigningRequest, x: ParsedCSR): Promise<void> {
    const nodeName = x.commonName.slice('system:node:'.length);
    if (csr.spec.username !== x.commonName || !(csr.spec.groups ?? []).includes('system:nodes')) return;
    const node = this.nodes.get(nodeName);
    if (!node) return; // the Node's informer event requeues it
    if (nodeServingCSRError(x, csr.spec.usages ?? [], node)) return;
    await this.approve(csr, 'Auto approving kubelet serving certificate for the node\u2019s own names and addresses.');
  }
}
