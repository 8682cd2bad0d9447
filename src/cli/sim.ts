// `k8ts sim`: runs simulated nodes (src/sim) against a cluster: --nodes N sim-* nodes with leases, and their
// pods made Running with fake IPs (`k8ts server --sim-nodes N` runs them in the server process). For scale tests
// and benchmarks only; SIGTERM/SIGINT stop it.
import type { Command } from 'commander';
import { fromKubeconfig } from '../client/kubeconfig.js';
import { logger } from '../log/logger.js';
import { SimulatedNodes, type SimOptions } from '../sim/simulated_nodes.js';
import { parseDuration } from './controller_manager.js';
import { addLoggingOptions, applyLoggingFlags, type LoggingFlags } from './logflags.js';

interface SimFlags extends LoggingFlags {
  nodes: string;
  podsPerNode: string;
  kubeconfig: string;
  zones: string;
  heartbeatInterval: string;
  podStartDelay: string;
  offset: string;
  deleteOnExit?: boolean;
  runPods: boolean;
}

/** A count flag: a whole number >= min. */
export function parseCount(v: string, flag: string, min: number): number {
  const n = Number(v);
  if (!/^\d+$/.test(v) || n < min) throw new Error(`${flag} must be a whole number >= ${min}, got ${JSON.stringify(v)}`);
  return n;
}

export function registerSimCommand(program: Command): void {
  const cmd = program
    .command('sim')
    .description('run KWOK-style simulated nodes (sim-*, label k8ts.io/simulated=true): leases, capacity, zones, pods made Running with fake IPs')
    .requiredOption('--nodes <n>', 'how many nodes')
    .option('--pods-per-node <n>', 'node pods capacity', '110')
    .option('--kubeconfig <file>', 'kubeconfig of the cluster', '/var/lib/k8ts/kubeconfig.yaml')
    .option('--zones <n>', 'zones (topology.kubernetes.io/zone=zone-<i>)', '3')
    .option('--heartbeat-interval <d>', 'lease renewal interval', '10s')
    .option('--pod-start-delay <d>', 'delay from binding to Running', '0s')
    .option('--offset <n>', 'first node index', '0')
    .option('--no-run-pods', "leave bound pods as they are (scheduler_perf's fake nodes); deleted pods are still removed")
    .option('--delete-on-exit', 'delete the nodes and leases when stopped');
  addLoggingOptions(cmd).action(async (flags: SimFlags) => {
    applyLoggingFlags(flags);
    const log = logger('sim');
    let opts: SimOptions;
    try {
      opts = {
        nodes: parseCount(flags.nodes, '--nodes', 1),
        podsPerNode: parseCount(flags.podsPerNode, '--pods-per-node', 1),
        zones: parseCount(flags.zones, '--zones', 1),
        heartbeatMs: parseDuration(flags.heartbeatInterval, '--heartbeat-interval'),
        podStartDelayMs: parseDuration(flags.podStartDelay, '--pod-start-delay'),
        offset: parseCount(flags.offset, '--offset', 0),
        runPods: flags.runPods,
        logger: log,
      };
    } catch (e) {
      // bad flags: say why, exit non-zero, touch nothing
      process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(1);
    }
    const client = fromKubeconfig(flags.kubeconfig, { userAgent: 'k8ts-sim' });
    const sim = new SimulatedNodes(client, opts);
    await sim.start();
    const stop = async () => {
      await sim.stop({ deleteNodes: !!flags.deleteOnExit });
      client.close();
      process.exit(0);
    };
    process.once('SIGTERM', () => void stop());
    process.once('SIGINT', () => void stop());
  });
}
