// Token discovery (kubeadm's discovery/token): read kube-public/cluster-info without credentials and without
// trusting the server yet, take the CA from its kubeconfig only if its public key is pinned
// (--discovery-token-ca-cert-hash), check the bootstrap signer's JWS of that kubeconfig with the token, then read
// it again over TLS verified by that CA. The token is sent to no one before the CA is trusted.
import { parse } from 'yaml';
import { parseBootstrapToken } from '../../api/bootstrap_token.js';
import type { ConfigMap } from '../../api/core/v1/types.js';
import { KubeClient } from '../../client/rest.js';
import { detachedSignatureValid } from '../../pki/jws.js';
import { matchesAnyPin, pinFormatError } from '../../pki/pubkey_pin.js';

const CLUSTER_INFO_PATH = '/api/v1/namespaces/kube-public/configmaps/cluster-info';
const SELF_SUBJECT_REVIEWS = '/apis/authentication.k8s.io/v1/selfsubjectreviews';

export class JoinError extends Error {}

export interface DiscoveredCluster {
  /** The CA (PEM) the API server's certificate chains to. */
  ca: string;
  /** The server the cluster-info kubeconfig names. */
  server: string;
}

function clusterOf(cm: ConfigMap): { server: string; ca: string } {
  const text = cm.data?.kubeconfig;
  if (!text) throw new JoinError('there is no kubeconfig in the cluster-info ConfigMap');
  const doc = parse(text) as { clusters?: { cluster?: { server?: string; 'certificate-authority-data'?: string } }[] } | null;
  const cluster = doc?.clusters?.[0]?.cluster;
  if (!cluster?.server || !cluster['certificate-authority-data']) throw new JoinError('the cluster-info kubeconfig has no server or CA');
  return { server: cluster.server, ca: Buffer.from(cluster['certificate-authority-data'], 'base64').toString('utf8') };
}

/** Why the token cannot authenticate, asked over TLS verified by the pinned CA (a 401 says so). */
async function tokenRefusal(server: string, ca: string, token: string): Promise<string> {
  const c = new KubeClient({ server, ca, token, userAgent: 'k8ts-join' });
  try {
    await c.create(SELF_SUBJECT_REVIEWS, { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview', metadata: {} });
    return 'the token authenticates but is not usable for signing (usage-bootstrap-signing), so cluster-info carries no signature for it';
  } catch (e) {
    const code = (e as { code?: number }).code;
    if (code === 401)
      return 'the API server refused the token: 401 Unauthorized (a wrong secret, an expired or deleted token, or one without usage-bootstrap-authentication)';
    return `asking the API server about the token failed: ${(e as Error).message}`;
  } finally {
    c.close();
  }
}

export async function discoverCluster(server: string, token: string, pins: string[]): Promise<DiscoveredCluster> {
  const parsed = parseBootstrapToken(token);
  if (!parsed) throw new JoinError(`the bootstrap token ${JSON.stringify(token)} was not of the form "[a-z0-9]{6}.[a-z0-9]{16}"`);
  if (!pins.length) throw new JoinError('--discovery-token-ca-cert-hash is required: without a CA pin the cluster cannot be trusted');
  for (const p of pins) {
    const err = pinFormatError(p);
    if (err) throw new JoinError(err);
  }
  const insecure = new KubeClient({ server, insecureSkipTLSVerify: true, userAgent: 'k8ts-join' });
  let cm: ConfigMap;
  try {
    cm = await insecure.get<ConfigMap>(CLUSTER_INFO_PATH);
  } catch (e) {
    throw new JoinError(`could not read the cluster-info ConfigMap from ${server}: ${(e as Error).message}`);
  } finally {
    insecure.close();
  }
  const cluster = clusterOf(cm);
  if (!matchesAnyPin(cluster.ca, pins))
    throw new JoinError(`cluster CA found in cluster-info ConfigMap is invalid: none of the public keys ${JSON.stringify(pins.join(','))} are pinned`);
  const sig = cm.data?.[`jws-kubeconfig-${parsed.id}`];
  const content = cm.data?.kubeconfig ?? '';
  if (!sig || !(await detachedSignatureValid(sig, content, parsed.id, parsed.secret))) {
    const why = await tokenRefusal(server, cluster.ca, token);
    throw new JoinError(`token id ${JSON.stringify(parsed.id)} is invalid for this cluster or it has expired: ${why}`);
  }
  // the CA is trusted now: read cluster-info again through it, and it must be the same
  const secure = new KubeClient({ server, ca: cluster.ca, userAgent: 'k8ts-join' });
  try {
    const again = await secure.get<ConfigMap>(CLUSTER_INFO_PATH);
    if (again.data?.kubeconfig !== content) throw new JoinError('cluster-info changed between the insecure and the verified read');
  } finally {
    secure.close();
  }
  return cluster;
}
