// `k8ts agent`: runs the node agent (kubelet) alone against an API server (kubeconfig credentials, HTTPS endpoint); also the shared helper that
// `k8ts server` uses to start the kubelet in-process (flags → KubeletOptions).
import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { KubeClient } from '../client/rest.js';
import { loadKubeconfig } from '../client/kubeconfig.js';
import { WebhookNodeAuthorizer, WebhookTokenAuthenticator, type NodeServingTLS } from '../kubelet/server/index.js';
import { ensureLeaf, leafDefs } from '../pki/cluster_pki.js';
import { readPair } from '../pki/files.js';
import { nodeAltNames } from './certs.js';
import { certInfo, createCA, issueCert, loadCA } from '../pki/certs.js';
import { writeFileAtomic } from '../pki/files.js';
import { nodeUser } from '../pki/cluster_pki.js';
import type { ClientOptions } from '../client/rest.js';
import { coreV1 } from '../client/typed.js';
import { KUBE_APISERVER_CLIENT_KUBELET_SIGNER, KUBELET_SERVING_SIGNER } from '../api/certificates/v1/types.js';
import { bootstrapClient, bootstrapNodeCredentials, CLIENT_CERT_FILE, NODE_CLIENT_USAGES, SERVER_CERT_FILE } from '../kubelet/certificate/bootstrap.js';
import { CertificateManager, loadCertificateFile } from '../kubelet/certificate/manager.js';
import { Kubelet, type KubeletOptions } from '../kubelet/kubelet.js';
import { routeSourceAddress } from '../kubelet/nodestatus/host.js';
import { logger } from '../log/logger.js';
import { podNetworkBackend, startPodNetwork } from './pod_network.js';
import { addLoggingOptions, applyLoggingFlags, type LoggingFlags } from './logflags.js';
import { addProxyOptions, proxyTable, startNodeProxy, type ProxyFlags } from './proxy.js';

/** The kube-dns ClusterIP for the default --service-cluster-ip-range (its 10th address, as kubeadm). */
export const DEFAULT_CLUSTER_DNS = '10.96.0.10';

export interface NodeAgentFlags {
  nodeName?: string;
  dataDir: string;
  bridgeName: string;
  clusterCidr?: string;
  podCidr?: string;
  kubeletPort: string | number;
  nodeIp?: string;
  restartBackoffInitial?: string | number;
  restartBackoffMax?: string | number;
  syncFrequency?: string | number;
  cgroupParent?: string;
  clusterDns?: string[];
  clusterDomain?: string;
  resolvConf?: string;
  evictionHard?: string;
}

export function addNodeAgentOptions(cmd: Command): Command {
  return cmd
    .option('--node-name <name>', 'name of this node (default: the host name)')
    .option('--bridge-name <name>', 'Linux bridge for pod networking', 'k8ts0')
    .option('--kubelet-port <port>', "port of the node agent's HTTP endpoint (0 = any)", '10250')
    .option(
      '--node-ip <ip>',
      "the node's InternalIP, where its HTTP endpoint listens (k8ts server: loopback keeps it private; k8ts agent: default the address it reaches the API server from)",
      '127.0.0.1',
    )
    .option('--pod-cidr <cidr>', "use this pod range instead of waiting for the node's spec.podCIDR")
    .option('--restart-backoff-initial <seconds>', 'first container restart back-off', '10')
    .option('--restart-backoff-max <seconds>', 'maximum container restart back-off', '300')
    .option('--sync-frequency <seconds>', 'periodic resync of every pod', '10')
    .option('--cgroup-parent <path>', 'cgroupfs parent of pod cgroups', '/k8ts')
    .option(
      '--cluster-dns <ip>',
      `DNS server of ClusterFirst pods (repeatable; default: the kube-dns Service's ClusterIP, ${DEFAULT_CLUSTER_DNS} for the default Service range)`,
      (v: string, acc: string[] | undefined) => [...(acc ?? []), v],
    )
    .option('--cluster-domain <domain>', 'the cluster DNS domain pods search', 'cluster.local')
    .option('--resolv-conf <file>', "the host's resolver config (dnsPolicy Default and the host search path; '' for none)", '/etc/resolv.conf')
    .option(
      '--eviction-hard <list>',
      'hard eviction thresholds: pods are evicted and the node reports pressure below them',
      'memory.available<100Mi,nodefs.available<10%,nodefs.inodesFree<5%,imagefs.available<15%',
    );
}

function seconds(v: string | number | undefined, dflt: number, flag: string): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${flag} wants a number of seconds, got ${JSON.stringify(v)}`);
  return n;
}

/**
 * The node agent. Its endpoint authenticates bearer tokens by TokenReview and authorizes every request by
 * SubjectAccessReview through its own client (kubeadm's kubelet: --authentication-token-webhook,
 * --authorization-mode=Webhook).
 */
export function makeKubelet(
  client: KubeClient,
  flags: NodeAgentFlags,
  extra: Pick<KubeletOptions, 'serverTLS' | 'serverAuthorizer' | 'serverTokenAuthenticator'> = {},
): Kubelet {
  const port = Number(flags.kubeletPort);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid --kubelet-port ${JSON.stringify(flags.kubeletPort)}`);
  if (flags.bridgeName.length > 15) throw new Error(`--bridge-name must be at most 15 characters: ${flags.bridgeName}`);
  return new Kubelet({
    client,
    nodeName: flags.nodeName,
    dataDir: resolve(flags.dataDir),
    bridgeName: flags.bridgeName,
    clusterCIDR: flags.clusterCidr,
    podCIDR: flags.podCidr,
    kubeletPort: port,
    kubeletAddress: flags.nodeIp,
    backoff: {
      initialMs: seconds(flags.restartBackoffInitial, 10, '--restart-backoff-initial') * 1000,
      maxMs: seconds(flags.restartBackoffMax, 300, '--restart-backoff-max') * 1000,
    },
    syncFrequencyMs: seconds(flags.syncFrequency, 10, '--sync-frequency') * 1000,
    cgroupParent: flags.cgroupParent,
    clusterDNS: flags.clusterDns ?? [DEFAULT_CLUSTER_DNS],
    clusterDomain: flags.clusterDomain,
    resolvConf: flags.resolvConf,
    evictionHard: flags.evictionHard,
    log: logger('kubelet'),
    runtimeLog: logger('runtime'),
    serverAuthorizer: new WebhookNodeAuthorizer(client),
    serverTokenAuthenticator: new WebhookTokenAuthenticator(client),
    ...extra,
  });
}

interface AgentFlags extends NodeAgentFlags, LoggingFlags, ProxyFlags {
  server?: string;
  kubeconfig?: string;
  token?: string;
  discoveryTokenCaCertHash?: string[];
  tlsCertFile?: string;
  tlsPrivateKeyFile?: string;
  clientCaFile?: string;
  podNetwork?: string;
}

/**
 * The node endpoint's certificate: --tls-cert-file/--tls-private-key-file and --client-ca-file (kubelet's flags),
 * else issued from the cluster CA of a server sharing this data dir (DATA/pki/ca.key), else (a joined node) the
 * one it got by a kubelet-serving CSR (DATA/pki/kubelet-server-current.pem), or, until it has one, a
 * self-signed one that `servingCSR` replaces once the Node is registered.
 */
async function agentServingTLS(flags: AgentFlags, nodeName: string): Promise<{ tls: NodeServingTLS; fromCSR: boolean }> {
  const pkiDir = join(resolve(flags.dataDir), 'pki');
  const clientCAFile = flags.clientCaFile ?? join(pkiDir, 'client-ca.crt');
  if (!existsSync(clientCAFile)) throw new Error(`k8ts agent needs --client-ca-file (no ${clientCAFile})`);
  const clientCA = readFileSync(clientCAFile, 'utf8');
  if (flags.tlsCertFile && flags.tlsPrivateKeyFile) {
    return { tls: { cert: readFileSync(flags.tlsCertFile, 'utf8'), key: readFileSync(flags.tlsPrivateKeyFile, 'utf8'), clientCA }, fromCSR: false };
  }
  const caPair = readPair(pkiDir, 'ca');
  if (caPair) {
    const def = leafDefs({ dir: pkiDir, apiserverAltNames: [], node: { name: nodeName, altNames: nodeAltNames(nodeName, flags.nodeIp) } }).nodeServing!;
    const { pair } = await ensureLeaf(pkiDir, def, await loadCA(caPair), new Date());
    return { tls: { ...pair, clientCA }, fromCSR: false };
  }
  const have = loadCertificateFile(join(pkiDir, SERVER_CERT_FILE));
  if (have && servingAltNames(nodeName, flags.nodeIp).every((n) => certInfo(have.cert).altNames.includes(n)))
    return { tls: { cert: have.cert, key: have.key, clientCA }, fromCSR: true };
  const tmpCA = await createCA(`${nodeName}-self-signed`, new Date(Date.now() - 60_000), new Date(Date.now() + 24 * 3600_000));
  const temp = await issueCert(tmpCA, {
    commonName: nodeUser(nodeName),
    usage: 'server',
    altNames: servingAltNames(nodeName, flags.nodeIp),
    notBefore: new Date(Date.now() - 60_000),
    notAfter: new Date(Date.now() + 24 * 3600_000),
  });
  return { tls: { ...temp, clientCA }, fromCSR: true };
}

/** What a joined node's serving certificate names: its name and InternalIP (the Node's own addresses). */
function servingAltNames(nodeName: string, nodeIp: string | undefined): string[] {
  return [nodeName, ...(nodeIp && nodeIp !== '0.0.0.0' && nodeIp !== '::' ? [nodeIp] : [])];
}

/** A joined node's credentials: bootstrapped with the token (or reused), and the client CA its endpoint trusts. */
async function joinedNode(flags: AgentFlags, server: string, nodeName: string): Promise<{ creds: ClientOptions; ca: string; certFile: string }> {
  const log = logger('agent');
  const creds = await bootstrapNodeCredentials({
    dataDir: resolve(flags.dataDir),
    nodeName,
    server,
    token: flags.token,
    caCertHashes: flags.discoveryTokenCaCertHash ?? [],
    log,
  });
  if (creds.bootstrapped) process.stdout.write(`This node has joined the cluster: certificate signing request approved, ${creds.certFile} written\n`);
  const opts = { server, ca: creds.ca, cert: creds.cert, key: creds.key };
  // the CA of the API server's client certificate, as kube-apiserver publishes it
  if (!flags.clientCaFile) {
    const c = new KubeClient({ ...opts, userAgent: 'k8ts-kubelet' });
    try {
      const cm = await coreV1(c).configMaps('kube-system').get('extension-apiserver-authentication');
      const pem = cm.data?.['client-ca-file'];
      if (!pem) throw new Error('kube-system/extension-apiserver-authentication has no client-ca-file');
      writeFileAtomic(join(resolve(flags.dataDir), 'pki', 'client-ca.crt'), pem, 0o644);
    } finally {
      c.close();
    }
  }
  return { creds: opts, ca: creds.ca, certFile: creds.certFile };
}

export function registerAgentCommand(program: Command): void {
  const cmd = program
    .command('agent')
    .description('run the node agent (kubelet) against an API server')
    .option('--server <url>', 'API server URL (default: from the kubeconfig)')
    .option('--kubeconfig <file>', 'kubeconfig with the server and credentials')
    .option('--token <token>', 'bootstrap token (<id>.<secret>) to join the cluster with: TLS bootstrapping of the node client certificate')
    .option(
      '--discovery-token-ca-cert-hash <sha256:hex>',
      "pin of the cluster CA's public key (kubeadm join's; repeatable): cluster-info's CA must match one",
      (v: string, acc: string[] | undefined) => [...(acc ?? []), v],
    )
    .option('--data-dir <dir>', 'data directory (images, containers, logs)', '/var/lib/k8ts')
    .option(
      '--cluster-cidr <cidr>',
      "the cluster's pod range: pod traffic leaving it, and Service traffic from outside it, is masqueraded (default: the node's podCIDR)",
    )
    .option('--tls-cert-file <file>', "the node endpoint's serving certificate (default: issued from DATA/pki/ca.key)")
    .option('--tls-private-key-file <file>', 'its key')
    .option('--client-ca-file <file>', 'CA of the client certificates the node endpoint accepts (default: DATA/pki/client-ca.crt)')
    .option('--pod-network <backend>', "pod network across nodes: host-gw (routes to the other nodes' podCIDRs via their InternalIPs) or none", 'host-gw');
  addLoggingOptions(addProxyOptions(addNodeAgentOptions(cmd), true)).action(async (flags: AgentFlags, command: Command) => {
    try {
      await runAgent({ ...flags, nodeIpGiven: command.getOptionValueSource('nodeIp') !== 'default' });
    } catch (e) {
      // bad input (a refused token, a CA that does not match the pin, a taken name): say why, exit non-zero
      process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(1);
    }
  });
}

async function runAgent(flags: AgentFlags & { nodeIpGiven?: boolean }): Promise<void> {
  applyLoggingFlags(flags);
  const log = logger('agent');
  const nodeName = (flags.nodeName || hostname()).toLowerCase();
  const kc = flags.kubeconfig ? loadKubeconfig(flags.kubeconfig) : undefined;
  const server = flags.server ?? kc?.server;
  if (!server) throw new Error('k8ts agent needs --server or --kubeconfig');
  if (!flags.nodeIpGiven) {
    // without --node-ip a machine that joins a control plane elsewhere is its address towards it (its endpoint and
    // pods must be reachable from there), not loopback; an agent beside its API server stays on loopback
    const fallback = flags.nodeIp;
    flags = { ...flags, nodeIp: await routeSourceAddress(new URL(server).hostname).catch(() => fallback) };
    log.info({ nodeIP: flags.nodeIp, server }, 'Node IP: the address this machine reaches the API server from');
  }
  const joining =
    !flags.kubeconfig &&
    (flags.token !== undefined || (flags.discoveryTokenCaCertHash ?? []).length > 0 || existsSync(join(resolve(flags.dataDir), 'pki', CLIENT_CERT_FILE)));
  const joined = joining ? await joinedNode(flags, server, nodeName) : undefined;
  const { namespace: _ns, ...creds }: ClientOptions & { namespace?: string } = joined?.creds ?? kc ?? { server };
  const client = new KubeClient({ ...creds, server, userAgent: 'k8ts-kubelet' });
  const serving = await agentServingTLS(flags, nodeName);
  const kubelet = makeKubelet(client, { ...flags, nodeName }, { serverTLS: serving.tls });
  const podNetwork = startPodNetwork(podNetworkBackend(flags.podNetwork, 'host-gw'), { client, nodeName, clusterCIDR: flags.clusterCidr });
  await kubelet.start();
  log.info({ node: kubelet.nodeName, port: kubelet.port, server }, 'Node agent running');
  const managers: CertificateManager[] = [];
  // the in-agent proxy has only the node's identity: k8ts binds system:node-proxier to system:nodes for it
  const proxyClient = flags.kubeProxy === false ? undefined : new KubeClient({ ...creds, server, userAgent: 'k8ts-kube-proxy' });
  const proxy =
    proxyClient === undefined
      ? undefined
      : await startNodeProxy(proxyClient, {
          nodeName: kubelet.nodeName,
          table: proxyTable(flags, flags.bridgeName),
          clusterCIDR: flags.clusterCidr,
          localhostNodePorts: flags.localhostNodeports !== false,
          healthzBindAddress: flags.healthzBindAddress,
        });
  if (joined) {
    // the client certificate renews itself with the node's own identity (selfnodeclient)
    const clientCerts = new CertificateManager({
      file: joined.certFile,
      request: {
        signerName: KUBE_APISERVER_CLIENT_KUBELET_SIGNER,
        commonName: nodeUser(nodeName),
        organizations: ['system:nodes'],
        usages: NODE_CLIENT_USAGES,
      },
      client,
      // an expired certificate (the machine slept, or renewals failed until then): the token asks for a new one
      bootstrapClient: flags.token ? () => bootstrapClient(server, joined.ca, flags.token!) : undefined,
      onRotate: (pair) => {
        client.setClientCertificate(pair);
        proxyClient?.setClientCertificate(pair);
      },
      log,
    });
    clientCerts.start();
    managers.push(clientCerts);
  }
  if (serving.fromCSR) managers.push(servingCertificates(client, kubelet, flags, nodeName, log));
  // the command's output, as `k8ts server` prints where it listens
  process.stdout.write(`k8ts node agent ${kubelet.nodeName} running (kubelet port ${kubelet.port})\n`);
  let stopping = false;
  const shutdown = async (sig: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal: sig }, 'Received signal, shutting down');
    for (const m of managers) m.stop();
    await proxy?.stop();
    await podNetwork?.stop();
    await kubelet.stop();
    client.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

/**
 * A joined node's serving certificate by kubelet-serving CSR (kubelet's serverTLSBootstrap): asked once the Node
 * is registered (the approver checks the names against its addresses) unless the one on disk serves, then renewed.
 */
function servingCertificates(client: KubeClient, kubelet: Kubelet, flags: AgentFlags, nodeName: string, log: ReturnType<typeof logger>): CertificateManager {
  const m = new CertificateManager({
    file: join(resolve(flags.dataDir), 'pki', SERVER_CERT_FILE),
    request: {
      signerName: KUBELET_SERVING_SIGNER,
      commonName: nodeUser(nodeName),
      organizations: ['system:nodes'],
      altNames: servingAltNames(nodeName, flags.nodeIp),
      usages: ['digital signature', 'server auth'],
    },
    client,
    onRotate: (pair) => kubelet.setServingCertificate(pair),
    log,
  });
  const have = loadCertificateFile(join(resolve(flags.dataDir), 'pki', SERVER_CERT_FILE));
  if (have && servingAltNames(nodeName, flags.nodeIp).every((n) => certInfo(have.cert).altNames.includes(n))) m.start();
  else
    void m
      .rotate()
      .then(() => m.start())
      .catch((e: Error) => {
        log.error({ err: e.message }, 'Getting the serving certificate failed');
        m.start();
      });
  return m;
}
