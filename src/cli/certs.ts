// `k8ts server`'s certificates: the SANs of the API server's and the node's serving certificates, the cluster
// PKI under DATA/pki (src/pki), and the kubeconfigs of the admin and of each component identity.
import { hostname } from 'node:os';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { ensureClusterPKI, KUBERNETES_SERVICE_IP, KUBERNETES_SERVICE_NAMES, type ClusterPKI } from '../pki/cluster_pki.js';
import { writeKubeconfig } from './kubeconfig.js';

const WILDCARD = new Set(['0.0.0.0', '::', '']);

/** 127.0.0.1, ::1, localhost, the host name, the listen and advertise addresses, the node IP, the `kubernetes` Service names and IP. */
export function apiserverAltNames(o: { listenHost: string; advertiseAddresses: string[]; nodeIp?: string; kubernetesServiceIP?: string }): string[] {
  const names = [
    '127.0.0.1',
    '::1',
    'localhost',
    hostname().toLowerCase(),
    ...o.advertiseAddresses,
    ...KUBERNETES_SERVICE_NAMES,
    o.kubernetesServiceIP ?? KUBERNETES_SERVICE_IP,
  ];
  if (!WILDCARD.has(o.listenHost)) names.push(o.listenHost);
  if (o.nodeIp) names.push(o.nodeIp);
  return [...new Set(names.filter(Boolean))];
}

export function nodeAltNames(nodeName: string, nodeIp: string | undefined): string[] {
  return [...new Set(['127.0.0.1', 'localhost', hostname().toLowerCase(), nodeName, ...(nodeIp && !WILDCARD.has(nodeIp) ? [nodeIp] : [])])];
}

export function validateAdvertiseAddress(ip: string): string {
  if (!isIP(ip)) throw new Error(`--advertise-address wants an IP address, got ${JSON.stringify(ip)}`);
  return ip;
}

export async function setupClusterPKI(
  dataDir: string,
  o: { listenHost: string; advertiseAddresses: string[]; nodeIp?: string; nodeName?: string; kubernetesServiceIP?: string },
): Promise<ClusterPKI> {
  return ensureClusterPKI({
    dir: join(dataDir, 'pki'),
    apiserverAltNames: apiserverAltNames(o),
    node: o.nodeName ? { name: o.nodeName, altNames: nodeAltNames(o.nodeName, o.nodeIp) } : undefined,
  });
}

export interface WrittenKubeconfigs {
  admin: string;
  scheduler: string;
  controllerManager: string;
  kubeProxy: string;
  dns: string;
  kubelet?: string;
}

/** DATA/kubeconfig.yaml (admin) and DATA/{scheduler,controller-manager,kube-proxy,dns,kubelet}.kubeconfig. */
export function writeKubeconfigs(dataDir: string, server: string, pki: ClusterPKI): WrittenKubeconfigs {
  const out: WrittenKubeconfigs = {
    admin: join(dataDir, 'kubeconfig.yaml'),
    scheduler: join(dataDir, 'scheduler.kubeconfig'),
    controllerManager: join(dataDir, 'controller-manager.kubeconfig'),
    kubeProxy: join(dataDir, 'kube-proxy.kubeconfig'),
    dns: join(dataDir, 'dns.kubeconfig'),
  };
  writeKubeconfig(out.admin, server, pki.admin, pki.ca.cert);
  writeKubeconfig(out.scheduler, server, pki.scheduler, pki.ca.cert);
  writeKubeconfig(out.controllerManager, server, pki.controllerManager, pki.ca.cert);
  writeKubeconfig(out.kubeProxy, server, pki.kubeProxy, pki.ca.cert);
  writeKubeconfig(out.dns, server, pki.coreDNS, pki.ca.cert);
  if (pki.nodeClient) {
    out.kubelet = join(dataDir, 'kubelet.kubeconfig');
    writeKubeconfig(out.kubelet, server, pki.nodeClient, pki.ca.cert);
  }
  return out;
}
