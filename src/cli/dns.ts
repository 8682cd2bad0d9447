// `k8ts dns`: the cluster DNS server alone against an API server (kubeconfig credentials), publishing the
// kube-dns Service and its endpoint; also the flags and start-up that `k8ts server` shares to run it in-process.
import type { Command } from 'commander';
import net from 'node:net';
import { KubeClient } from '../client/rest.js';
import { loadKubeconfig } from '../client/kubeconfig.js';
import { ClusterDNS } from '../dns/cluster_dns.js';
import { logger } from '../log/logger.js';
import { addLoggingOptions, applyLoggingFlags, type LoggingFlags } from './logflags.js';
import { DEFAULT_CLUSTER_DNS } from './agent.js';

export interface DNSFlags {
  dnsListen: string;
  clusterDomain?: string;
  resolvConf?: string;
}

/** HOST:PORT of --dns-listen. */
export function parseDNSListen(s: string): { host: string; port: number } {
  const i = s.lastIndexOf(':');
  const host = i < 0 ? '' : s.slice(0, i).replace(/^\[|\]$/g, '');
  const port = Number(s.slice(i + 1));
  if (!net.isIP(host) || !Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--dns-listen wants IP:PORT, got ${JSON.stringify(s)}`);
  return { host, port };
}

export function addDNSListenOption(cmd: Command): Command {
  return cmd.option(
    '--dns-listen <ip:port>',
    'address of the cluster DNS server (UDP and TCP; port 0 = any free one); the kube-dns Service targets it',
    '0.0.0.0:10053',
  );
}

export function startClusterDNS(client: KubeClient, flags: DNSFlags, clusterIP: string): Promise<ClusterDNS> {
  const { host, port } = parseDNSListen(flags.dnsListen);
  const dns = new ClusterDNS({
    client,
    clusterDomain: flags.clusterDomain ?? 'cluster.local',
    clusterIP,
    listenHost: host,
    listenPort: port,
    resolvConf: flags.resolvConf ?? '/etc/resolv.conf',
    log: logger('dns'),
  });
  return dns.start().then(() => dns);
}

interface DNSCommandFlags extends DNSFlags, LoggingFlags {
  kubeconfig?: string;
  server?: string;
  clusterDnsIp: string;
  advertiseAddress?: string;
}

export function registerDNSCommand(program: Command): void {
  const cmd = program
    .command('dns')
    .description('run the cluster DNS server (the kube-dns Service) against an API server')
    .option('--kubeconfig <file>', 'kubeconfig with the server and credentials (k8ts server writes DATA/dns.kubeconfig)')
    .option('--server <url>', 'API server URL (default: from the kubeconfig)')
    .option('--cluster-dns-ip <ip>', "the kube-dns Service's ClusterIP (the 10th address of the Service range)", DEFAULT_CLUSTER_DNS)
    .option('--cluster-domain <domain>', 'the cluster DNS domain', 'cluster.local')
    .option('--resolv-conf <file>', "resolvers for names outside the cluster domain ('' for none: such queries are refused)", '/etc/resolv.conf')
    .option('--advertise-address <ip>', 'where pods reach this server: the kube-dns endpoint (default: the --dns-listen IP)');
  addLoggingOptions(addDNSListenOption(cmd)).action(async (flags: DNSCommandFlags) => {
    applyLoggingFlags(flags);
    const log = logger('dns');
    const kc = flags.kubeconfig ? loadKubeconfig(flags.kubeconfig) : undefined;
    const server = flags.server ?? kc?.server;
    if (!server) throw new Error('k8ts dns needs --server or --kubeconfig');
    const { namespace: _ns, ...creds } = kc ?? { server };
    const client = new KubeClient({ ...creds, server, userAgent: 'k8ts-dns' });
    const { host } = parseDNSListen(flags.dnsListen);
    const endpoint = flags.advertiseAddress ?? host;
    if (!net.isIP(endpoint) || endpoint === '0.0.0.0' || endpoint === '::') throw new Error('k8ts dns on a wildcard --dns-listen needs --advertise-address');
    const dns = await startClusterDNS(client, flags, flags.clusterDnsIp);
    dns.publishEndpoint(endpoint);
    process.stdout.write(`k8ts cluster DNS listening on ${host}:${dns.port}\n`);
    let stopping = false;
    const shutdown = async (sig: string) => {
      if (stopping) return;
      stopping = true;
      log.info({ signal: sig }, 'Received signal, shutting down');
      await dns.stop();
      client.close();
      process.exit(0);
    };
    process.on('SIGTERM', () => void shutdown('SIGTERM'));
    process.on('SIGINT', () => void shutdown('SIGINT'));
  });
}
