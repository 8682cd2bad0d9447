// `k8ts agent`: runs the node agent (kubelet) alone against an API server; also the shared helper that
// `k8ts server` uses to start the kubelet in-process (flags → KubeletOptions).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { parse } from 'yaml';
import { KubeClient } from '../client/rest.js';
import { Kubelet } from '../kubelet/kubelet.js';
import { logger } from '../log/logger.js';
import { addLoggingOptions, applyLoggingFlags, type LoggingFlags } from './logflags.js';

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
}

export function addNodeAgentOptions(cmd: Command): Command {
  return cmd
    .option('--node-name <name>', 'name of this node (default: the host name)')
    .option('--bridge-name <name>', 'Linux bridge for pod networking', 'k8ts0')
    .option('--kubelet-port <port>', "port of the node agent's HTTP endpoint (0 = any)", '10250')
    .option('--node-ip <ip>', "the node's InternalIP, where its HTTP endpoint listens (loopback keeps it private)", '127.0.0.1')
    .option('--pod-cidr <cidr>', "use this pod range instead of waiting for the node's spec.podCIDR")
    .option('--restart-backoff-initial <seconds>', 'first container restart back-off', '10')
    .option('--restart-backoff-max <seconds>', 'maximum container restart back-off', '300')
    .option('--sync-frequency <seconds>', 'periodic resync of every pod', '10')
    .option('--cgroup-parent <path>', 'cgroupfs parent of pod cgroups', '/k8ts');
}

function seconds(v: string | number | undefined, dflt: number, flag: string): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${flag} wants a number of seconds, got ${JSON.stringify(v)}`);
  return n;
}

export function makeKubelet(client: KubeClient, flags: NodeAgentFlags): Kubelet {
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
    log: logger('kubelet'),
    runtimeLog: logger('runtime'),
  });
}

interface AgentFlags extends NodeAgentFlags, LoggingFlags {
  server?: string;
  kubeconfig?: string;
}

export function readKubeconfig(file: string): { server?: string; token?: string } {
  const doc = parse(readFileSync(file, 'utf8')) as {
    'current-context'?: string;
    contexts?: { name: string; context: { cluster: string; user: string } }[];
    clusters?: { name: string; cluster: { server: string } }[];
    users?: { name: string; user: { token?: string } }[];
  };
  const ctx = doc.contexts?.find((c) => c.name === doc['current-context']) ?? doc.contexts?.[0];
  const cluster = doc.clusters?.find((c) => c.name === ctx?.context.cluster) ?? doc.clusters?.[0];
  const user = doc.users?.find((u) => u.name === ctx?.context.user) ?? doc.users?.[0];
  return { server: cluster?.cluster.server, token: user?.user.token };
}

export function registerAgentCommand(program: Command): void {
  const cmd = program
    .command('agent')
    .description('run the node agent (kubelet) against an API server')
    .option('--server <url>', 'API server URL (default: from the kubeconfig)')
    .option('--kubeconfig <file>', 'kubeconfig with the server and credentials')
    .option('--data-dir <dir>', 'data directory (images, containers, logs)', '/var/lib/k8ts');
  addLoggingOptions(addNodeAgentOptions(cmd)).action(async (flags: AgentFlags) => {
    applyLoggingFlags(flags);
    const log = logger('agent');
    const kc = flags.kubeconfig ? readKubeconfig(flags.kubeconfig) : {};
    const server = flags.server ?? kc.server;
    if (!server) throw new Error('k8ts agent needs --server or --kubeconfig');
    const client = new KubeClient({ server, token: kc.token, userAgent: 'k8ts-kubelet' });
    const kubelet = makeKubelet(client, flags);
    await kubelet.start();
    log.info({ node: kubelet.nodeName, port: kubelet.port, server }, 'Node agent running');
    // the command's output, as `k8ts server` prints where it listens
    process.stdout.write(`k8ts node agent ${kubelet.nodeName} running (kubelet port ${kubelet.port})\n`);
    let stopping = false;
    const shutdown = async (sig: string) => {
      if (stopping) return;
      stopping = true;
      log.info({ signal: sig }, 'Received signal, shutting down');
      await kubelet.stop();
      client.close();
      process.exit(0);
    };
    process.on('SIGTERM', () => void shutdown('SIGTERM'));
    process.on('SIGINT', () => void shutdown('SIGINT'));
  });
}
