// Kubelet TLS bootstrapping (pkg/kubelet/certificate/bootstrap): a node agent with a valid client certificate
// under DATA/pki keeps it; otherwise it discovers the cluster with its bootstrap token (discovery.ts), checks no
// Ready Node holds its name (kubeadm join's check; skipped when the certificate on disk, expired, was this
// node's own: the data dir proves it is the same machine), asks for a kubernetes.io/kube-apiserver-client-kubelet
// certificate (CN system:node:<name>, O system:nodes) with the token, and writes kubelet-client-current.pem,
// the cluster CA and kubelet.kubeconfig. bootstrapClient is what a running agent falls back to when its
// certificate has expired (kubelet's bootstrap kubeconfig).
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { KUBE_APISERVER_CLIENT_KUBELET_SIGNER } from '../../api/certificates/v1/types.js';
import type { Node } from '../../api/core/v1/types.js';
import { KubeClient } from '../../client/rest.js';
import { coreV1 } from '../../client/typed.js';
import type { Logger } from '../../log/logger.js';
import { certSubject, splitCombinedPEM } from '../../pki/csr.js';
import { writeFileAtomic } from '../../pki/files.js';
import { JoinError, discoverCluster } from './discovery.js';
import { CertificateRequestError, requestCertificate } from './csr_request.js';
import { loadCertificateFile, writeCertificateFile } from './manager.js';

export const CLIENT_CERT_FILE = 'kubelet-client-current.pem';
export const SERVER_CERT_FILE = 'kubelet-server-current.pem';
export const NODE_CLIENT_USAGES = ['digital signature', 'client auth'];

export interface BootstrapOptions {
  dataDir: string;
  nodeName: string;
  server: string;
  token?: string;
  caCertHashes: string[];
  log: Logger;
}

export interface NodeCredentials {
  ca: string;
  cert: string;
  key: string;
  /** DATA/pki/kubelet-client-current.pem */
  certFile: string;
  kubeconfig: string;
  /** Whether this start made them (false: reused). */
  bootstrapped: boolean;
}

function writeNodeKubeconfig(path: string, server: string, caFile: string, certFile: string): void {
  const doc = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'default-cluster', cluster: { server, 'certificate-authority': caFile } }],
    users: [{ name: 'default-auth', user: { 'client-certificate': certFile, 'client-key': certFile } }],
    contexts: [{ name: 'default-context', context: { cluster: 'default-cluster', user: 'default-auth', namespace: 'default' } }],
    'current-context': 'default-context',
  };
  writeFileAtomic(path, stringify(doc), 0o600);
}

/** The client the bootstrap token gives (user system:bootstrap:<id>): it may only ask for node client certificates. */
export function bootstrapClient(server: string, ca: string, token: string): KubeClient {
  return new KubeClient({ server, ca, token, userAgent: 'k8ts-kubelet-bootstrap' });
}

/** The common name of the certificate in `file`, valid or not (undefined: none there, or unreadable). */
async function commonNameOnDisk(file: string): Promise<string | undefined> {
  if (!existsSync(file)) return undefined;
  const pair = splitCombinedPEM(readFileSync(file, 'utf8'));
  try {
    return pair ? (await certSubject(pair.cert)).commonName : undefined;
  } catch {
    return undefined;
  }
}

/** A Ready Node of that name means another machine holds it (kubeadm join refuses then). */
async function checkNameFree(client: KubeClient, nodeName: string): Promise<void> {
  let node: Node;
  try {
    node = await coreV1(client).nodes().get(nodeName);
  } catch (e) {
    if ((e as { code?: number }).code === 404) return;
    if ((e as { code?: number }).code === 401) throw new JoinError(`the API server refused the bootstrap token: 401 Unauthorized`);
    throw e;
  }
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  if (ready?.status === 'True')
    throw new JoinError(
      `a Node with name ${JSON.stringify(nodeName)} and status "Ready" already exists in the cluster. You must delete the existing Node or change the name of this new joining Node`,
    );
}

export async function bootstrapNodeCredentials(o: BootstrapOptions): Promise<NodeCredentials> {
  const pkiDir = join(o.dataDir, 'pki');
  const certFile = join(pkiDir, CLIENT_CERT_FILE);
  const caFile = join(pkiDir, 'ca.crt');
  const kubeconfig = join(o.dataDir, 'kubelet.kubeconfig');
  const user = `system:node:${o.nodeName}`;
  const have = loadCertificateFile(certFile);
  if (have && existsSync(caFile)) {
    const subject = await certSubject(have.cert);
    if (subject.commonName === user) {
      writeNodeKubeconfig(kubeconfig, o.server, caFile, certFile);
      return { ca: readFileSync(caFile, 'utf8'), cert: have.cert, key: have.key, certFile, kubeconfig, bootstrapped: false };
    }
    o.log.info({ file: certFile, subject: subject.commonName, want: user }, 'The client certificate on disk is for another node; bootstrapping');
  }
  // this node's own certificate, expired (or not yet valid): bootstrap again, as kubelet does from its bootstrap kubeconfig
  const ownExpired = !have && (await commonNameOnDisk(certFile)) === user;
  if (!o.token) throw new JoinError(`no valid client certificate for ${user} in ${certFile}, and no --token to bootstrap one`);
  if (ownExpired) o.log.info({ file: certFile, user }, 'The client certificate on disk has expired; bootstrapping again with the token');
  const cluster = await discoverCluster(o.server, o.token, o.caCertHashes);
  o.log.info({ server: o.server }, 'Discovered the cluster; its CA matches the pin');
  const client = bootstrapClient(o.server, cluster.ca, o.token);
  try {
    if (!ownExpired) await checkNameFree(client, o.nodeName);
    const got = await requestCertificate(client, {
      signerName: KUBE_APISERVER_CLIENT_KUBELET_SIGNER,
      commonName: user,
      organizations: ['system:nodes'],
      usages: NODE_CLIENT_USAGES,
      generateName: 'node-csr-',
    }).catch((e: unknown) => {
      if (e instanceof CertificateRequestError && e.code === 401) throw new JoinError(`the API server refused the bootstrap token: 401 Unauthorized`);
      throw e;
    });
    mkdirSync(pkiDir, { recursive: true, mode: 0o700 });
    writeFileAtomic(caFile, cluster.ca, 0o644);
    writeCertificateFile(certFile, { cert: got.cert, key: got.key });
    writeNodeKubeconfig(kubeconfig, o.server, caFile, certFile);
    o.log.info({ csr: got.csrName, user }, 'Got the node client certificate');
    return { ca: cluster.ca, cert: got.cert, key: got.key, certFile, kubeconfig, bootstrapped: true };
  } finally {
    client.close();
  }
}
