// The controller manager (kube-controller-manager's Run): starts the enabled controllers with one shared
// informer factory and, with leader election, only while holding the kube-system/kube-controller-manager
// Lease; when leadership is lost every controller stops and the manager campaigns again.
import { SharedInformerFactory } from '../client/informer_factory.js';
import { LeaderElector, LeaseLock, newIdentity, type Clock } from '../client/leader_election.js';
import type { KubeClient } from '../client/rest.js';
import { errMessage, logger, type Logger } from '../log/logger.js';
import { defaultControllerManagerOptions, type ControllerDescriptor, type ControllerManagerOptions, type RunningController } from './context.js';
import { controllerDescriptors, enabledControllers } from './registry.js';

export interface LeaderElectionOptions {
  /** --leader-elect (default true for `k8ts controller-manager`). */
  enabled: boolean;
  /** --leader-elect-lease-duration (15 s). */
  leaseDurationMs?: number;
  /** --leader-elect-renew-deadline (10 s). */
  renewDeadlineMs?: number;
  /** --leader-elect-retry-period (2 s). */
  retryPeriodMs?: number;
  /** --leader-elect-resource-namespace / -name (kube-system / kube-controller-manager). */
  namespace?: string;
  name?: string;
  /** Default "<hostname>_<uuid>". */
  identity?: string;
  clock?: Clock;
  jitterFactor?: number;
}

export interface ControllerManagerConfig {
  client: KubeClient;
  /** --controllers (default ["*"]). */
  controllers?: string[];
  options?: Partial<ControllerManagerOptions>;
  leaderElection?: LeaderElectionOptions;
  /** Informers shared with other components of the process; without, each leadership term makes its own. */
  informers?: SharedInformerFactory;
  log?: Logger;
  /** The registry; tests pass their own. */
  descriptors?: ControllerDescriptor[];
}

export class ControllerManager {
  readonly identity: string;
  private readonly enabled: ControllerDescriptor[];
  private readonly options: ControllerManagerOptions;
  private readonly log: Logger;
  private elector?: LeaderElector;
  private running: { name: string; c: RunningController }[] = [];
  private termAbort?: AbortController;
  private termInformers?: SharedInformerFactory;
  private loop?: Promise<void>;
  private stopped = false;

  constructor(private readonly cfg: ControllerManagerConfig) {
    this.enabled = enabledControllers(cfg.controllers ?? ['*'], cfg.descriptors ?? controllerDescriptors);
    this.options = { ...defaultControllerManagerOptions, ...(cfg.options ?? {}) };
    this.log = cfg.log ?? logger('controller-manager');
    this.identity = cfg.leaderElection?.identity ?? newIdentity();
  }

  /** Names of the controllers running now (empty while not leading). */
  runningControllers(): string[] {
    return this.running.map((r) => r.name);
  }

  isLeader(): boolean {
    return this.cfg.leaderElection?.enabled ? (this.elector?.isLeader() ?? false) : this.running.length > 0;
  }

  start(): void {
    if (this.loop || this.stopped) return;
    const le = this.cfg.leaderElection;
    if (!le?.enabled) {
      this.loop = this.startControllers();
      return;
    }
    this.loop = (async () => {
      while (!this.stopped) {
        const lock = new LeaseLock(
          this.cfg.client,
          le.namespace ?? 'kube-system',
          le.name ?? 'kube-controller-manager',
          this.identity,
          'kube-controller-manager',
        );
        this.elector = new LeaderElector({
          lock,
          leaseDurationMs: le.leaseDurationMs,
          renewDeadlineMs: le.renewDeadlineMs,
          retryPeriodMs: le.retryPeriodMs,
          clock: le.clock,
          jitterFactor: le.jitterFactor,
          log: this.log,
          callbacks: {
            onStartedLeading: () => this.startControllers(),
            onStoppedLeading: () => this.stopControllers(),
          },
        });
        await this.elector.run();
        if (!this.stopped) this.log.error({ identity: this.identity }, 'leaderelection lost');
      }
    })();
  }

  private async startControllers(): Promise<void> {
    const abort = new AbortController();
    this.termAbort = abort;
    const informers = this.cfg.informers ?? new SharedInformerFactory(this.cfg.client);
    if (!this.cfg.informers) this.termInformers = informers;
    for (const d of this.enabled) {
      if (abort.signal.aborted) return;
      try {
        const c = await d.start({
          client: this.cfg.client,
          informers,
          options: this.options,
          log: logger('controller-manager', { controller: d.aliases?.[0] ?? d.name }),
          signal: abort.signal,
        });
        if (c) {
          this.running.push({ name: d.name, c });
          this.log.info({ controller: d.name }, 'Started controller');
        } else this.log.info({ controller: d.name }, 'Skipping controller');
      } catch (e) {
        this.log.error({ controller: d.name, err: errMessage(e) }, 'Error starting controller');
      }
    }
  }

  private async stopControllers(): Promise<void> {
    this.termAbort?.abort();
    const running = this.running.reverse();
    this.running = [];
    for (const r of running) {
      try {
        await r.c.stop();
      } catch (e) {
        this.log.warn({ controller: r.name, err: errMessage(e) }, 'Error stopping controller');
      }
    }
    const inf = this.termInformers;
    this.termInformers = undefined;
    await inf?.shutdown();
  }

  /** Stops every controller and, when leading, releases the lease. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.elector) {
      this.elector.stop();
      await this.loop;
    } else {
      await this.loop;
      await this.stopControllers();
    }
  }
}
