// `k8ts server`: makes (or reuses) the cluster PKI, opens the store, serves the API over HTTPS, bootstraps
// system namespaces, writes the admin and component kubeconfigs, starts the controllers, the scheduler and the
// node agent (or, with --sim-nodes, simulated nodes), each with its own client certificate; SIGTERM/SIGINT shut it
// all down.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { hostname, networkInterfaces } from 'node:os';
import type { Command } from 'commander';
import { openStorage, SqliteStorage } from '../storage/index.js';
import { ReloadableTransformer } from '../storage/encryption/transformer.js';
import { ENCRYPTION_CONFIG_FILE, loadOrCreateEncryptionConfig, watchEncryptionConfig } from '../storage/encryption/config.js';
import { createApiServer, bootstrapAuthorization, bootstrapKubernetesService, bootstrapSystemNamespaces } from '../apiserver/assemble.js';
import { nodeRBACAuthorization } from '../apiserver/authorization/index.js';
import { parsePortRange, serviceIPAt } from '../apiserver/resources/service/allocator.js';
import { KubeClient } from '../client/rest.js';
import { SharedInformerFactory } from '../client/informer_factory.js';
import { connectLocalNode } from '../kubelet/server/streaming/in_process.js';
import { ControllerManager } from '../controllers/manager.js';
import { Scheduler } from '../scheduler/scheduler.js';
import { setupClusterPKI, validateAdvertiseAddress, writeKubeconfigs } from './certs.js';
import { leafDefs, APISERVER_KUBELET_CLIENT, CLUSTER_ADMINS_GROUP, type ClusterPKI } from '../pki/cluster_pki.js';
import { ServingCertRotator } from '../pki/rotation.js';
import { apiserverAuthentication } from './authn.js';
import { certInfo, type CertKeyPair } from '../pki/certs.js';
import { addNodeAgentOptions, makeKubelet, type NodeAgentFlags } from './agent.js';
import { addProxyOptions, proxyTable, startNodeProxy, type ProxyFlags } from './proxy.js';
import { podNetworkBackend, startPodNetwork } from './pod_network.js';
import { addLoggingOptions, applyLoggingFlags, type LoggingFlags } from './logflags.js';
import { addControllerOptions, controllerManagerSettings, type ControllerFlags } from './controller_manager.js';
import { logger, type Logger } from '../log/logger.js';
import { loadOrCreateServiceAccountKey } from '../pki/service_account_key.js';
import { addDNSListenOption, parseDNSListen, startClusterDNS, type DNSFlags } from './dns.js';
import type { ClusterDNS } from '../dns/cluster_dns.js';
import { coreV1 } from '../client/typed.js';
import { keepJoinToken, publishJoinInfo } from './join_setup.js';
import { SimulatedNodes } from '../sim/simulated_nodes.js';
import { parseCount } from './sim.js';
import { cidrContains } from '../podnetwork/route_table.js';

interface ServerFlags extends NodeAgentFlags, LoggingFlags, ControllerFlags, ProxyFlags, DNSFlags {
  dns: boolean;
  dataDir: string;
  authorizationMode: string;
  listen: string;
  store: string;
  agent: boolean;
  scheduler?: boolean;
  podNetwork?: string;
  clusterCidr: string;
  watchHistoryMb?: string;
  disableControllerManager?: boolean;
  encryptionProviderConfig?: string;
  advertiseAddress: string[];
  serviceAccountIssuer?: string;
  serviceClusterIpRange: string;
  serviceNodePortRange: string;
  simNodes?: string;
  simPodsPerNode: string;
  /** --node-ip was on the command line (not its loopback default). */
  nodeIpGiven?: boolean;
}

/** The IP addresses on this machine's interfaces. */
function localAddresses(): Set<string> {
  return new Set(
    Object.values(networkInterfaces())
      .flat()
      .map((a) => a?.address ?? ''),
  );
}

interface Stoppable {
  stop(): void | Promise<void>;
}

/** A client of the API server at `server` with a component's client certificate. */
function componentClient(server: string, pki: ClusterPKI, id: CertKeyPair, userAgent: string, limit?: { qps: number; burst: number }): KubeClient {
  return new KubeClient({ server, ca: pki.ca.cert, cert: id.cert, key: id.key, userAgent, ...limit });
}

/**
 * The scheduler: a control-plane component, run with or without the node agent. Its informers are its own, so
 * its reads are system:kube-scheduler's as its writes are (upstream runs it apart; one process changes no identity).
 */
function startScheduler(server: string, pki: ClusterPKI): Stoppable {
  const schedClient = componentClient(server, pki, pki.scheduler, 'k8ts-scheduler');
  const scheduler = new Scheduler(schedClient, { logger: logger('scheduler') });
  scheduler.start();
  return {
    stop: async () => {
      await scheduler.stop();
      schedClient.close();
    },
  };
}

/** `k8ts sim`'s simulated nodes in this process (--sim-nodes), with the admin identity: for scale work only. */
async function startSimulatedNodes(server: string, pki: ClusterPKI, nodes: number, podsPerNode: number): Promise<Stoppable> {
  const simClient = componentClient(server, pki, pki.admin, 'k8ts-sim');
  const sim = new SimulatedNodes(simClient, { nodes, podsPerNode, logger: logger('sim') });
  await sim.start();
  return {
    stop: async () => {
      await sim.stop();
      simClient.close();
    },
  };
}

/** The node agent: what `k8ts server` runs unless --no-agent. */
async function startNodeComponents(server: string, flags: ServerFlags, log: Logger, pki: ClusterPKI, nodeName: string): Promise<Stoppable[]> {
  const started: Stoppable[] = [];
  const podCidr = flags.podCidr;
  const kubeletClient = componentClient(server, pki, pki.nodeClient!, 'k8ts-kubelet');
  const serverTLS = { cert: pki.nodeServing!.cert, key: pki.nodeServing!.key, clientCA: pki.clientCA.cert };
  const clusterDns = flags.clusterDns ?? [serviceIPAt(flags.serviceClusterIpRange, 10)];
  const kubelet = makeKubelet(kubeletClient, { ...flags, nodeName, podCidr, clusterDns }, { serverTLS });
  await kubelet.start();
  log.info({ node: kubelet.nodeName, port: kubelet.port }, 'Node agent running');
  const rotator = new ServingCertRotator({
    dir: pki.dir,
    def: leafDefs({ dir: pki.dir, apiserverAltNames: [], node: { name: nodeName, altNames: nodeServingAltNames(pki) } }).nodeServing!,
    ca: pki.ca,
    onRotate: (pair) => {
      kubelet.setServingCertificate(pair);
      log.info({ node: nodeName }, 'Rotated the node serving certificate');
    },
    onError: (e) => log.error({ err: e instanceof Error ? e.message : String(e) }, 'Node serving certificate rotation failed'),
  });
  rotator.start();
  started.push({
    stop: async () => {
      rotator.stop();
      await kubelet.stop();
      kubeletClient.close();
    },
  });
  if (flags.kubeProxy !== false) {
    // the kube-proxy as upstream's system:kube-proxy (bound to system:node-proxier)
    const proxy = await startNodeProxy(componentClient(server, pki, pki.kubeProxy, 'k8ts-kube-proxy'), {
      nodeName,
      table: proxyTable(flags, flags.bridgeName),
      clusterCIDR: flags.clusterCidr,
      localhostNodePorts: flags.localhostNodeports !== false,
      healthzBindAddress: flags.healthzBindAddress,
    });
    started.push(proxy);
  }
  return started;
}

/**
 * The cluster DNS server in this process (its own identity), and where pods reach it, published as the
 * kube-dns endpoint: the first --advertise-address (other nodes' pods too), else a specific --dns-listen IP,
 * else this node's pod-network gateway (the first address of its podCIDR, once it has one), else loopback.
 */
async function startDNS(server: string, flags: ServerFlags, pki: ClusterPKI, advertise: string[], cm: KubeClient, nodeName?: string): Promise<Stoppable> {
  const client = componentClient(server, pki, pki.coreDNS, 'k8ts-dns');
  const dns: ClusterDNS = await startClusterDNS(client, flags, serviceIPAt(flags.serviceClusterIpRange, 10));
  const { host } = parseDNSListen(flags.dnsListen);
  const wildcard = host === '0.0.0.0' || host === '::';
  let stopped = false;
  if (advertise[0]) dns.publishEndpoint(advertise[0]);
  else if (!wildcard) dns.publishEndpoint(host);
  else if (nodeName && flags.agent) {
    void (async () => {
      for (let cidr = flags.podCidr; !stopped; await new Promise((r) => setTimeout(r, 500))) {
        cidr ??= await coreV1(cm)
          .nodes()
          .get(nodeName)
          .then((n) => n.spec?.podCIDR)
          .catch(() => undefined);
        if (cidr) return dns.publishEndpoint(serviceIPAt(cidr, 1));
      }
    })();
  } else dns.publishEndpoint('127.0.0.1');
  return {
    stop: async () => {
      stopped = true;
      await dns.stop();
      client.close();
    },
  };
}

/**
 * Follows changes of the encryption config (`k8ts secrets-encrypt rotate-keys` writes a new first key) and
 * re-encrypts what the new config reads as stale, so that the old key can then be dropped.
 */
function reloadEncryptionConfig(file: string, transformer: ReloadableTransformer, storage: SqliteStorage, log: Logger): () => void {
  let rewriting = Promise.resolve();
  return watchEncryptionConfig(
    file,
    (next) => {
      transformer.set(next);
      rewriting = rewriting
        .then(async () => {
          let rewritten = 0;
          for (const prefix of next.keyPrefixes()) rewritten += await storage.rewriteStale(prefix);
          log.info({ config: file, writers: next.writers().map((w) => w.writer), rewritten }, 'Encryption config reloaded');
        })
        .catch((e: Error) => log.error({ config: file, err: e.message }, 'Re-encrypting with the reloaded encryption config failed'));
    },
    (e) => log.error({ config: file, err: e.message }, 'Encryption config not reloaded: it does not parse; the running one is kept'),
  );
}

/** --authorization-mode: upstream's Node,RBAC (the default), or AlwaysAllow (no authorizer at all). */
function authorizationFor(mode: string, storage: Parameters<typeof nodeRBACAuthorization>[0]) {
  if (mode === 'AlwaysAllow') return undefined;
  if (mode !== 'Node,RBAC') throw new Error(`--authorization-mode must be Node,RBAC or AlwaysAllow, got ${mode}`);
  return nodeRBACAuthorization(storage);
}

/** The SANs the serving certificates were made with (a rotation keeps them). */
function apiserverServingAltNames(pki: ClusterPKI): string[] {
  return certInfo(pki.apiserver.cert).altNames;
}
function nodeServingAltNames(pki: ClusterPKI): string[] {
  return pki.nodeServing ? certInfo(pki.nodeServing.cert).altNames : [];
}

function parseListen(s: string): { host: string; port: number } {
  const i = s.lastIndexOf(':');
  if (i < 0) throw new Error(`--listen wants HOST:PORT, got ${JSON.stringify(s)}`);
  const port = Number(s.slice(i + 1));
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid port in --listen ${JSON.stringify(s)}`);
  return { host: s.slice(0, i).replace(/^\[|\]$/g, ''), port };
}

export async function runServer(flags: ServerFlags): Promise<void> {
  applyLoggingFlags(flags);
  const log = logger('server');
  const dataDir = resolve(flags.dataDir);
  mkdirSync(dataDir, { recursive: true });
  if (flags.store !== 'sqlite' && flags.store !== 'memory') throw new Error(`--store must be sqlite or memory, got ${flags.store}`);
  const simNodes = flags.simNodes === undefined ? 0 : parseCount(flags.simNodes, '--sim-nodes', 0);
  const simPodsPerNode = parseCount(flags.simPodsPerNode, '--sim-pods-per-node', 1);
  const historyMb = flags.watchHistoryMb === undefined ? undefined : Number(flags.watchHistoryMb);
  if (historyMb !== undefined && !(historyMb > 0)) throw new Error(`--watch-history-mb must be a positive number, got ${flags.watchHistoryMb}`);
  const advertise = (flags.advertiseAddress ?? []).map(validateAdvertiseAddress);
  // this machine's own node, advertised to other machines: its InternalIP is that address unless --node-ip (the
  // other nodes route its pods there; loopback they would skip). Only a machine address it holds now, not a pod
  // bridge's gateway (inside the cluster CIDR).
  const machineAddress = advertise[0] && localAddresses().has(advertise[0]) && !cidrContains(flags.clusterCidr, advertise[0]) ? advertise[0] : undefined;
  const nodeIp = flags.agent && !flags.nodeIpGiven && machineAddress ? machineAddress : flags.nodeIp;
  const { host, port } = parseListen(flags.listen);
  const nodeName = flags.agent ? (flags.nodeName || hostname()).toLowerCase() : undefined;
  const serviceCIDR = flags.serviceClusterIpRange;
  const nodePortRange = parsePortRange(flags.serviceNodePortRange);
  const pki = await setupClusterPKI(dataDir, {
    listenHost: host,
    advertiseAddresses: advertise,
    nodeIp,
    nodeName,
    kubernetesServiceIP: serviceIPAt(serviceCIDR, 1),
  });
  // Secrets are encrypted at rest by default: the config (and its key) is made on first start.
  const encryptionConfig = resolve(flags.encryptionProviderConfig ?? join(dataDir, 'pki', ENCRYPTION_CONFIG_FILE));
  mkdirSync(dirname(encryptionConfig), { recursive: true, mode: 0o700 });
  const transformer = new ReloadableTransformer(loadOrCreateEncryptionConfig(encryptionConfig));
  const storage = openStorage(flags.store, { dataDir, historyBytes: historyMb === undefined ? undefined : Math.floor(historyMb * 1024 * 1024), transformer });
  const stopEncryptionReload = storage instanceof SqliteStorage ? reloadEncryptionConfig(encryptionConfig, transformer, storage, log) : () => {};
  const authorization = authorizationFor(flags.authorizationMode, storage);
  const saKeys = loadOrCreateServiceAccountKey(join(dataDir, 'pki'));
  // The API server's identity towards the nodes; with the node agent in this process, streams reach its server
  // in memory rather than over loopback TCP, carrying that identity for the node's authorization.
  const kubeletClientUser = { name: APISERVER_KUBELET_CLIENT, groups: [CLUSTER_ADMINS_GROUP, 'system:authenticated'] };
  const nodeTLS = { ca: pki.ca.cert, cert: pki.apiserverKubeletClient.cert, key: pki.apiserverKubeletClient.key };
  const api = createApiServer(
    storage,
    undefined,
    flags.agent ? { tls: nodeTLS, connectNode: (h, p) => connectLocalNode(h, p, kubeletClientUser) } : { tls: nodeTLS },
    logger('apiserver'),
    {
      tls: { cert: pki.apiserver.cert, key: pki.apiserver.key, clientCA: pki.clientCA.cert },
      authenticator: apiserverAuthentication(),
      authorization,
      serviceAccountTokens: { ...saKeys, issuer: flags.serviceAccountIssuer },
      serviceCIDR,
      nodePortRange,
    },
  );
  await bootstrapSystemNamespaces(api);
  if (authorization) await bootstrapAuthorization(api, authorization);
  const addr = await api.listen(host, port);
  // where pods and other machines reach the API server: the `kubernetes` Service's endpoint (the first
  // --advertise-address, as upstream, else the listen address)
  const endpointIP = advertise[0] ?? (addr.address === '0.0.0.0' || addr.address === '::' ? '127.0.0.1' : addr.address);
  await bootstrapKubernetesService(api, { ip: endpointIP, port: addr.port });
  // a wildcard listen address is reached on loopback (a name the serving certificate carries)
  const reach = addr.address === '0.0.0.0' || addr.address === '::' ? '127.0.0.1' : addr.address;
  const server = `https://${reach.includes(':') ? `[${reach}]` : reach}:${addr.port}`;
  const kubeconfigs = writeKubeconfigs(dataDir, server, pki);
  const kubeconfig = kubeconfigs.admin;
  const servingRotator = new ServingCertRotator({
    dir: pki.dir,
    def: leafDefs({ dir: pki.dir, apiserverAltNames: apiserverServingAltNames(pki) }).apiserver!,
    ca: pki.ca,
    onRotate: (pair) => {
      api.setServingCertificate(pair);
      log.info({}, 'Rotated the API server serving certificate');
    },
    onError: (e) => log.error({ err: e instanceof Error ? e.message : String(e) }, 'API server serving certificate rotation failed'),
  });
  servingRotator.start();

  // The controller manager in-process (no leader election unless asked: this process is the only one);
  // --disable-controller-manager leaves the controllers to `k8ts controller-manager` processes.
  const { rateLimit, ...cmSettings } = controllerManagerSettings(flags, false);
  // the controller manager's identity and its --kube-api-qps / --kube-api-burst
  const client = componentClient(server, pki, pki.controllerManager, 'k8ts-controller-manager', rateLimit);
  // One list+watch per resource for the controllers of this process (the scheduler has its own identity and informers).
  const informers = new SharedInformerFactory(client);
  // this server's own signing key and cluster CA unless the flags name others
  cmSettings.options.serviceAccountPrivateKey ??= saKeys.privateKey;
  const caFile = join(dataDir, 'pki', 'ca.crt');
  if (cmSettings.options.rootCA === undefined && existsSync(caFile)) cmSettings.options.rootCA = readFileSync(caFile, 'utf8');
  // csrsigning signs client certificates with the client CA, kubelet serving certificates with the cluster CA
  cmSettings.options.clusterSigning ??= { client: { cert: pki.clientCA.cert, key: pki.clientCA.key }, serving: { cert: pki.ca.cert, key: pki.ca.key } };
  const controllerManager = flags.disableControllerManager
    ? undefined
    : new ControllerManager({ client, ...cmSettings, informers: cmSettings.leaderElection.enabled ? undefined : informers });
  controllerManager?.start();
  const dns = flags.dns ? await startDNS(server, flags, pki, advertise, client, nodeName) : undefined;
  // the scheduler is a control-plane component (kubeadm runs kube-scheduler beside every API server): on unless
  // --no-scheduler, with or without the node agent
  const runScheduler = flags.scheduler ?? true;
  // routes to the nodes' pod ranges: this machine's node (if any) needs them, and so does a control plane whose API
  // server proxies to pods
  const podNetwork = startPodNetwork(podNetworkBackend(flags.podNetwork, flags.agent ? 'host-gw' : 'none'), {
    client,
    nodeName,
    clusterCIDR: flags.clusterCidr,
    factory: informers,
  });
  const nodeComponents = [
    ...(podNetwork ? [podNetwork] : []),
    ...(runScheduler ? [startScheduler(server, pki)] : []),
    ...(flags.agent ? await startNodeComponents(server, { ...flags, nodeIp }, log, pki, nodeName!) : []),
    ...(simNodes > 0 ? [await startSimulatedNodes(server, pki, simNodes, simPodsPerNode)] : []),
  ];

  log.info({ address: server, kubeconfig, store: flags.store, dataDir }, 'Serving the API');
  // The command's output (scripts and the test harness read these two lines), not log lines.
  process.stdout.write(`k8ts API server listening on ${server}\nkubeconfig: ${kubeconfig}\n`);
  // how other machines join: cluster-info, the client CA for their endpoints, and a bootstrap token (kubeadm's phases)
  const joinServer = `https://${endpointIP.includes(':') ? `[${endpointIP}]` : endpointIP}:${addr.port}`;
  const adminClient = componentClient(server, pki, pki.admin, 'k8ts-join');
  await publishJoinInfo(adminClient, { server: joinServer, caPem: pki.ca.cert, clientCAPem: pki.clientCA.cert });
  const stopJoinToken = await keepJoinToken(adminClient, { server: joinServer, caPem: pki.ca.cert, log, print: (l) => process.stdout.write(l) });

  let stopping = false;
  const shutdown = async (sig: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal: sig }, 'Received signal, shutting down');
    servingRotator.stop();
    stopJoinToken();
    adminClient.close();
    for (const c of nodeComponents.reverse()) await c.stop();
    await dns?.stop();
    await controllerManager?.stop();
    await informers.shutdown();
    client.close();
    await api.close();
    stopEncryptionReload();
    authorization?.stop();
    await storage.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

export function registerServerCommand(program: Command): void {
  const cmd = program
    .command('server')
    .description('run the API server, store and controllers (and the node agent unless --no-agent)')
    .option('--data-dir <dir>', 'data directory', '/var/lib/k8ts')
    .option('--authorization-mode <modes>', 'authorizers in order: Node,RBAC, or AlwaysAllow', 'Node,RBAC')
    .option('--listen <host:port>', 'address to serve the API on (HTTPS)', '127.0.0.1:6443')
    .option(
      '--advertise-address <ip>',
      'address other machines and pods reach the API server at (repeatable; in the serving certificate)',
      (v: string, acc: string[]) => [...acc, v],
      [] as string[],
    )
    .option('--store <kind>', 'store backend: sqlite or memory', 'sqlite')
    .option('--watch-history-mb <n>', 'MiB of events the watch history keeps (default 64; older revisions answer 410 Expired)')
    .option('--encryption-provider-config <file>', 'EncryptionConfiguration for data at rest (default DATA/pki/encryption-config.yaml, made on first start)')
    .option('--no-agent', 'do not run the node agent in this process')
    .option('--scheduler', 'run the scheduler in this process (the default, with or without the node agent)')
    .option('--no-scheduler', 'run no scheduler in this process (leave scheduling to another)')
    .option(
      '--pod-network <backend>',
      "pod network across nodes: host-gw (routes to the nodes' podCIDRs) or none (default: host-gw with the node agent, none without)",
    )
    .option('--service-account-issuer <url>', 'issuer (iss) and default audience of ServiceAccount tokens', 'https://kubernetes.default.svc.cluster.local')
    .option('--service-cluster-ip-range <cidr>', 'range Service ClusterIPs come from (its first address is the kubernetes Service)', '10.96.0.0/12')
    .option('--service-node-port-range <lo-hi>', 'range NodePorts come from', '30000-32767')
    .option('--cluster-cidr <cidr>', 'pod address range of the cluster (node podCIDRs come from it)', '10.244.0.0/16')
    .option('--disable-controller-manager', 'run no controllers in this process (leave them to `k8ts controller-manager`)')
    .option('--no-dns', 'do not run the cluster DNS server (kube-dns) in this process')
    .option('--sim-nodes <n>', 'also run n simulated nodes in this process, as `k8ts sim --nodes n` (scale work only: nothing runs on them)')
    .option('--sim-pods-per-node <n>', 'pods capacity of each simulated node', '110');
  addLoggingOptions(addProxyOptions(addControllerOptions(addDNSListenOption(addNodeAgentOptions(cmd)), false), true)).action(
    async (flags: ServerFlags, command: Command) => {
      await runServer({ ...flags, nodeIpGiven: command.getOptionValueSource('nodeIp') !== 'default' });
    },
  );
}
