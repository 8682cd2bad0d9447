// `k8ts proxy`: the kube-proxy on its own (kubeconfig credentials; `--cleanup` removes its table and exits), and
// the shared helper that `k8ts server` and `k8ts agent` use to run it beside their node agent.
import { hostname } from 'node:os';
import type { Command } from 'commander';
import { fromKubeconfig } from '../client/kubeconfig.js';
import type { KubeClient } from '../client/rest.js';
import { startHealthz } from '../kubeproxy/healthz.js';
import { DEFAULT_TABLE, Nft, tableForBridge, validateTableName } from '../kubeproxy/nft.js';
import { Proxier } from '../kubeproxy/proxier.js';
import { ensureProxySysctls } from '../kubeproxy/sysctl.js';
import { logger } from '../log/logger.js';
import { addLoggingOptions, applyLoggingFlags, type LoggingFlags } from './logflags.js';

export interface ProxyFlags {
  /** false: no kube-proxy beside the node agent (--no-kube-proxy). */
  kubeProxy?: boolean;
  nftTable?: string;
  localhostNodeports?: boolean;
  healthzBindAddress?: string;
}

/** The proxy options `k8ts server` and `k8ts agent` share with `k8ts proxy`. */
export function addProxyOptions(cmd: Command, inAgent: boolean): Command {
  if (inAgent) cmd.option('--no-kube-proxy', 'do not run the kube-proxy (Service rules) in this process');
  return cmd
    .option(
      '--nft-table <name>',
      `nftables table of the proxy (must start with k8ts; default ${DEFAULT_TABLE}, or one named after a non-default --bridge-name)`,
    )
    .option('--no-localhost-nodeports', 'do not answer NodePorts on 127.0.0.1 (which needs net.ipv4.conf.all.route_localnet=1)')
    .option('--healthz-bind-address <host:port>', "the proxy's /healthz endpoint (empty: none)", inAgent ? '' : '0.0.0.0:10256');
}

export interface Stoppable {
  stop(): Promise<void>;
}

/** Starts a proxier for `nodeName` (and its healthz endpoint when asked); resolves once the first sync is scheduled. */
export async function startNodeProxy(
  client: KubeClient,
  o: { nodeName: string; table: string; clusterCIDR?: string; localhostNodePorts: boolean; healthzBindAddress?: string },
): Promise<{ proxier: Proxier } & Stoppable> {
  const log = logger('kube-proxy');
  ensureProxySysctls({ localhostNodePorts: o.localhostNodePorts, log });
  const proxier = new Proxier({ client, nodeName: o.nodeName, table: o.table, clusterCIDR: o.clusterCIDR, localhostNodePorts: o.localhostNodePorts, log });
  await proxier.start();
  const healthz = o.healthzBindAddress ? await startHealthz(proxier, o.healthzBindAddress, 60_000) : undefined;
  log.info({ node: o.nodeName, table: o.table, clusterCIDR: o.clusterCIDR, healthzPort: healthz?.port }, 'Proxy running');
  return {
    proxier,
    stop: async () => {
      await healthz?.close();
      await proxier.stop();
      client.close();
    },
  };
}

/** The table a proxy beside a node agent uses: --nft-table, else derived from the bridge. */
export function proxyTable(flags: ProxyFlags, bridgeName: string): string {
  return flags.nftTable ? validateTableName(flags.nftTable) : tableForBridge(bridgeName);
}

interface StandaloneFlags extends ProxyFlags, LoggingFlags {
  kubeconfig?: string;
  hostnameOverride?: string;
  clusterCidr?: string;
  cleanup?: boolean;
}

export function registerProxyCommand(program: Command): void {
  const cmd = program
    .command('proxy')
    .description("run the kube-proxy: program this node's Service rules (nftables) from the API")
    .option('--kubeconfig <file>', 'kubeconfig with the server and credentials (system:kube-proxy, or a node)')
    .option('--hostname-override <name>', 'name of this node (default: the host name)')
    .option('--cluster-cidr <cidr>', "pod range: Service traffic from elsewhere is masqueraded (default: the node's spec.podCIDR)")
    .option('--cleanup', 'remove every rule the proxy made, then exit');
  addLoggingOptions(addProxyOptions(cmd, false)).action(async (flags: StandaloneFlags) => {
    applyLoggingFlags(flags);
    const table = validateTableName(flags.nftTable ?? DEFAULT_TABLE);
    if (flags.cleanup) {
      const removed = await new Nft().deleteTable(table);
      logger('kube-proxy').info({ table, removed }, 'Cleaned up the proxy rules');
      process.exit(0);
    }
    if (!flags.kubeconfig) throw new Error('k8ts proxy needs --kubeconfig');
    const client = fromKubeconfig(flags.kubeconfig, { userAgent: 'k8ts-kube-proxy' });
    const nodeName = (flags.hostnameOverride || hostname()).toLowerCase();
    const running = await startNodeProxy(client, {
      nodeName,
      table,
      clusterCIDR: flags.clusterCidr,
      localhostNodePorts: flags.localhostNodeports !== false,
      healthzBindAddress: flags.healthzBindAddress,
    });
    process.stdout.write(`k8ts proxy for node ${nodeName} running (table ip ${table})\n`);
    const log = logger('kube-proxy');
    let stopping = false;
    const shutdown = async (sig: string) => {
      if (stopping) return;
      stopping = true;
      // the rules stay (as upstream): a restarted proxy resyncs them without touching established connections
      log.info({ signal: sig }, 'Received signal, shutting down');
      await running.stop();
      process.exit(0);
    };
    process.on('SIGTERM', () => void shutdown('SIGTERM'));
    process.on('SIGINT', () => void shutdown('SIGINT'));
  });
}
