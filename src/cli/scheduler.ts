// `k8ts scheduler`: runs the scheduler (kube-scheduler) on its own against an API server, with its own identity
// (k8ts server writes DATA/scheduler.kubeconfig: system:kube-scheduler) and, as upstream, leader election on the
// kube-system/kube-scheduler Lease by default; losing the Lease ends the process, as kube-scheduler does.
import type { Command } from 'commander';
import { KubeClient } from '../client/rest.js';
import { loadKubeconfig } from '../client/kubeconfig.js';
import { LeaderElector, LeaseLock, newIdentity } from '../client/leader_election.js';
import { Scheduler } from '../scheduler/scheduler.js';
import { logger } from '../log/logger.js';
import { addLoggingOptions, applyLoggingFlags, type LoggingFlags } from './logflags.js';
import { addLeaderElectionOptions, leaderElectionSettings, type LeaderElectionFlags } from './controller_manager.js';

interface SchedulerFlags extends LoggingFlags, LeaderElectionFlags {
  kubeconfig?: string;
  master?: string;
}

export function registerSchedulerCommand(program: Command): void {
  const cmd = program
    .command('scheduler')
    .description('run the scheduler (kube-scheduler) against an API server')
    .option('--kubeconfig <file>', 'kubeconfig with the server and credentials (k8ts server writes DATA/scheduler.kubeconfig)')
    .option('--master <url>', 'API server URL (overrides the kubeconfig)');
  addLeaderElectionOptions(cmd, 'schedule only while holding the kube-system/kube-scheduler Lease', true);
  addLoggingOptions(cmd).action(async (flags: SchedulerFlags) => {
    applyLoggingFlags(flags);
    const log = logger('scheduler');
    const { enabled: leaderElect, ...lease } = leaderElectionSettings(flags, true);
    const kc = flags.kubeconfig ? loadKubeconfig(flags.kubeconfig) : undefined;
    const server = flags.master ?? kc?.server;
    if (!server) throw new Error('k8ts scheduler needs --kubeconfig or --master');
    const { namespace: _ns, ...creds } = kc ?? { server };
    const client = new KubeClient({ ...creds, server, userAgent: 'kube-scheduler' });
    const scheduler = new Scheduler(client, { logger: log });
    const identity = newIdentity();
    let stopping = false;
    const elector = leaderElect
      ? new LeaderElector({
          lock: new LeaseLock(client, 'kube-system', 'kube-scheduler', identity, 'default-scheduler'),
          ...lease,
          log,
          callbacks: { onStartedLeading: () => scheduler.start(), onStoppedLeading: () => scheduler.stop() },
        })
      : undefined;
    const campaign = elector?.run().then(() => {
      if (stopping) return;
      // as kube-scheduler: a scheduler that lost its Lease exits (a supervisor starts it again)
      log.error({ identity }, 'leaderelection lost');
      client.close();
      process.exit(1);
    });
    if (!elector) scheduler.start();
    log.info({ server, identity, leaderElect }, 'Scheduler running');
    process.stdout.write(`k8ts scheduler ${identity} running\n`);
    const shutdown = async (sig: string) => {
      if (stopping) return;
      stopping = true;
      log.info({ signal: sig }, 'Received signal, shutting down');
      // run() stops the scheduler (onStoppedLeading) and hands the Lease back before it returns
      elector?.stop();
      await campaign;
      await scheduler.stop();
      client.close();
      process.exit(0);
    };
    process.on('SIGTERM', () => void shutdown('SIGTERM'));
    process.on('SIGINT', () => void shutdown('SIGINT'));
  });
}
