// The cluster's PKI under DATA/pki, made on first start and reused after (kubeadm's layout and names): the
// cluster CA (ca.crt/key: signs serving certificates), the client CA (client-ca.crt/key: signs client
// certificates), the API server's serving certificate, its kubelet client certificate, and one client
// certificate per component identity. A leaf is issued again when it is missing, was not signed by its CA,
// names another identity, lacks a wanted SAN, or is due for renewal.
import { join } from 'node:path';
import { certInfo, createCA, issueCert, loadCA, type CertKeyPair, type CertUsage, type SigningCA } from './certs.js';
import { x509 } from './crypto_provider.js';
import { readPair, writePair } from './files.js';
import { renewalDue } from './renewal.js';

const DAY = 24 * 3600 * 1000;
export const CA_LIFETIME_MS = 10 * 365 * DAY;
export const LEAF_LIFETIME_MS = 365 * DAY;

/** Upstream's well-known names (kubeadm constants, bootstrap RBAC subjects). */
export const APISERVER_KUBELET_CLIENT = 'kube-apiserver-kubelet-client';
export const CLUSTER_ADMINS_GROUP = 'kubeadm:cluster-admins';
export const KUBERNETES_ADMIN = 'kubernetes-admin';
export const SYSTEM_MASTERS = 'system:masters';
export const KUBE_SCHEDULER = 'system:kube-scheduler';
export const KUBE_CONTROLLER_MANAGER = 'system:kube-controller-manager';
export const KUBE_PROXY = 'system:kube-proxy';
export const NODES_GROUP = 'system:nodes';
/** The cluster DNS server's identity: the ServiceAccount kube-system/coredns that upstream's system:coredns binding names. */
export const COREDNS_USER = 'system:serviceaccount:kube-system:coredns';
export const COREDNS_GROUPS = ['system:serviceaccounts', 'system:serviceaccounts:kube-system'];
export const nodeUser = (nodeName: string) => `system:node:${nodeName}`;

/** The in-cluster names of the API server (the `kubernetes` Service and its first IP). */
export const KUBERNETES_SERVICE_NAMES = ['kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local'];
export const KUBERNETES_SERVICE_IP = '10.96.0.1';

export interface ClusterPKIOptions {
  /** DATA/pki */
  dir: string;
  /** SANs of the API server's serving certificate. */
  apiserverAltNames: string[];
  /** The node agent of this process (its client and serving certificates), if any. */
  node?: { name: string; altNames: string[] };
  now?: () => Date;
  /** Lifetime of leaf certificates (tests shorten it). */
  leafLifetimeMs?: number;
}

export interface LeafDef {
  base: string;
  signer: 'ca' | 'client-ca';
  commonName: string;
  organizations: string[];
  usage: CertUsage;
  altNames: string[];
}

export interface ClusterPKI {
  dir: string;
  ca: SigningCA;
  clientCA: SigningCA;
  apiserver: CertKeyPair;
  /** The API server's identity towards node agents. */
  apiserverKubeletClient: CertKeyPair;
  admin: CertKeyPair;
  scheduler: CertKeyPair;
  controllerManager: CertKeyPair;
  kubeProxy: CertKeyPair;
  coreDNS: CertKeyPair;
  nodeClient?: CertKeyPair;
  nodeServing?: CertKeyPair;
}

export function leafDefs(o: ClusterPKIOptions): Record<Exclude<keyof ClusterPKI, 'dir' | 'ca' | 'clientCA'>, LeafDef | undefined> {
  const client = (base: string, commonName: string, organizations: string[] = []): LeafDef => ({
    base,
    signer: 'client-ca',
    commonName,
    organizations,
    usage: 'client',
    altNames: [],
  });
  return {
    apiserver: { base: 'apiserver', signer: 'ca', commonName: 'kube-apiserver', organizations: [], usage: 'server', altNames: o.apiserverAltNames },
    apiserverKubeletClient: client('apiserver-kubelet-client', APISERVER_KUBELET_CLIENT, [CLUSTER_ADMINS_GROUP]),
    admin: client('admin', KUBERNETES_ADMIN, [SYSTEM_MASTERS]),
    scheduler: client('kube-scheduler', KUBE_SCHEDULER),
    controllerManager: client('kube-controller-manager', KUBE_CONTROLLER_MANAGER),
    kubeProxy: client('kube-proxy', KUBE_PROXY),
    coreDNS: client('coredns', COREDNS_USER, COREDNS_GROUPS),
    nodeClient: o.node ? client('kubelet-client', nodeUser(o.node.name), [NODES_GROUP]) : undefined,
    // as a kubelet's serving certificate from the API (serverTLSBootstrap): system:node:<name> in system:nodes
    nodeServing: o.node
      ? { base: 'kubelet', signer: 'ca', commonName: nodeUser(o.node.name), organizations: [NODES_GROUP], usage: 'server', altNames: o.node.altNames }
      : undefined,
  };
}

async function ensureCA(dir: string, base: string, commonName: string, now: Date): Promise<SigningCA> {
  const have = readPair(dir, base);
  if (have) return loadCA(have);
  const ca = await createCA(commonName, now, new Date(now.getTime() + CA_LIFETIME_MS));
  writePair(dir, base, ca);
  return ca;
}

/** Whether `pair` can be kept for `def`: signed by `ca`, the same identity, every wanted SAN, not due. */
export async function reusable(pair: CertKeyPair, def: LeafDef, ca: SigningCA, now: Date): Promise<boolean> {
  try {
    const c = new x509.X509Certificate(pair.cert);
    if (!(await c.verify({ publicKey: ca.certificate, signatureOnly: true }))) return false;
    if ((c.subjectName.getField('CN')[0] ?? '') !== def.commonName) return false;
    const orgs = c.subjectName.getField('O');
    if (orgs.length !== def.organizations.length || def.organizations.some((o) => !orgs.includes(o))) return false;
    const info = certInfo(pair.cert);
    if (def.altNames.some((n) => !info.altNames.includes(n))) return false;
    return !renewalDue(info.notBefore, info.notAfter, now);
  } catch {
    return false;
  }
}

/** The leaf of `def` in `dir`, kept when reusable, else issued anew (and written). */
export async function ensureLeaf(
  dir: string,
  def: LeafDef,
  ca: SigningCA,
  now: Date,
  lifetimeMs = LEAF_LIFETIME_MS,
): Promise<{ pair: CertKeyPair; issued: boolean }> {
  const have = readPair(dir, def.base);
  if (have && (await reusable(have, def, ca, now))) return { pair: have, issued: false };
  // a minute of slack for clocks that are slightly behind
  const pair = await issueCert(ca, { ...def, notBefore: new Date(now.getTime() - 60_000), notAfter: new Date(now.getTime() + lifetimeMs) });
  writePair(dir, def.base, pair);
  return { pair, issued: true };
}

export async function ensureClusterPKI(o: ClusterPKIOptions): Promise<ClusterPKI> {
  const now = (o.now ?? (() => new Date()))();
  const ca = await ensureCA(o.dir, 'ca', 'kubernetes', now);
  const clientCA = await ensureCA(o.dir, 'client-ca', 'kubernetes-client-ca', now);
  const defs = leafDefs(o);
  const leaf = async (def: LeafDef | undefined) =>
    def ? (await ensureLeaf(o.dir, def, def.signer === 'ca' ? ca : clientCA, now, o.leafLifetimeMs)).pair : undefined;
  return {
    dir: o.dir,
    ca,
    clientCA,
    apiserver: (await leaf(defs.apiserver))!,
    apiserverKubeletClient: (await leaf(defs.apiserverKubeletClient))!,
    admin: (await leaf(defs.admin))!,
    scheduler: (await leaf(defs.scheduler))!,
    controllerManager: (await leaf(defs.controllerManager))!,
    kubeProxy: (await leaf(defs.kubeProxy))!,
    coreDNS: (await leaf(defs.coreDNS))!,
    nodeClient: await leaf(defs.nodeClient),
    nodeServing: await leaf(defs.nodeServing),
  };
}

/** File paths of a pair in the PKI dir. */
export function pairPaths(dir: string, base: string): { cert: string; key: string } {
  return { cert: join(dir, `${base}.crt`), key: join(dir, `${base}.key`) };
}

/** A client certificate from the client CA for any user (tests, `kubectl` users); not written to disk. */
export async function issueClientCert(
  clientCA: SigningCA,
  user: string,
  groups: string[] = [],
  lifetimeMs = LEAF_LIFETIME_MS,
  now = new Date(),
): Promise<CertKeyPair> {
  return issueCert(clientCA, {
    commonName: user,
    organizations: groups,
    usage: 'client',
    notBefore: new Date(now.getTime() - 60_000),
    notAfter: new Date(now.getTime() + lifetimeMs),
  });
}
