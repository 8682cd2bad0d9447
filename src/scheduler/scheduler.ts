// The scheduler component: watches pods and nodes through the API like kube-scheduler, takes pending pods
// for its schedulerName one at a time, filters and scores nodes, assumes the pod on its node and binds it
// through pods/binding in the background (upstream's binding cycle), and reports the outcome: Scheduled /
// FailedScheduling events, and PodScheduled=False (Unschedulable) via pods/status. PodScheduled=True is the
// binding's own write (the API server sets it with spec.nodeName); the scheduler never writes it again.
// Its pod and node informers come from a SharedInformerFactory (shared with the controllers in one process).
import type { Node, Pod, PodCondition } from '../api/core/v1/types.js';
import { isStatusError } from '../api/errors.js';
import { EventRecorder, timestamp } from '../client/events.js';
import { objectKey } from '../client/indexer.js';
import { SharedInformerFactory } from '../client/informer_factory.js';
import type { KubeClient } from '../client/rest.js';
import type { HandlerRegistration, SharedIndexInformer } from '../client/shared_informer.js';
import { coreV1, type ResourceClient } from '../client/typed.js';
import { logger as componentLogger, type Logger } from '../log/logger.js';
import { isTerminal, nodeSchedulingPropertiesChanged, podSpecOrMetaChanged } from './cluster_events.js';
import { diagnose, truncateMessage } from './fit_error.js';
import { defaultFilterPlugins, isSchedulingGated, needsScheduling, type FilterPlugin, type FilterStatus } from './framework.js';
import { buildNodeInfos, type NodeInfo } from './node_info.js';
import { SchedulingQueue } from './queue.js';
import { selectHost } from './score.js';

export const DEFAULT_SCHEDULER_NAME = 'default-scheduler';

export interface SchedulerOptions {
  schedulerName?: string;
  /** How often pods parked as unschedulable are retried without a cluster event (default 10 s). */
  retryIntervalMs?: number;
  /** Backoff after a failed attempt: initial (default 1 s), doubling up to max (default 10 s). */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  filterPlugins?: FilterPlugin[];
  /** Default: the scheduler component logger. Decisions at info, each filter plugin's verdict at debug. */
  logger?: Logger;
  /** Informers to share with other components; without one the scheduler makes (and shuts down) its own. */
  factory?: SharedInformerFactory;
}

function creationMillis(pod: Pod): number {
  const t = Date.parse(pod.metadata.creationTimestamp ?? '');
  return Number.isFinite(t) ? t : 0;
}

export class Scheduler {
  readonly schedulerName: string;
  private readonly pods: SharedIndexInformer<Pod>;
  private readonly nodes: SharedIndexInformer<Node>;
  private readonly factory: SharedInformerFactory;
  private readonly ownsFactory: boolean;
  private readonly registrations: HandlerRegistration[] = [];
  private readonly queue: SchedulingQueue;
  private readonly recorder: EventRecorder;
  private readonly plugins: FilterPlugin[];
  private readonly log: Logger;
  private readonly retryIntervalMs: number;
  /** Pods bound (or being bound) by us that the informer has not yet shown on their node. */
  private readonly assumed = new Map<string, Pod>();
  private flushTimer?: NodeJS.Timeout;
  private loop?: Promise<void>;
  /** Binding cycles in flight (the scheduling loop does not wait for them). */
  private binding = new Set<Promise<void>>();
  private running = false;

  constructor(
    private readonly client: KubeClient,
    opts: SchedulerOptions = {},
  ) {
    this.schedulerName = opts.schedulerName ?? DEFAULT_SCHEDULER_NAME;
    this.plugins = opts.filterPlugins ?? defaultFilterPlugins;
    this.log = opts.logger ?? componentLogger('scheduler');
    this.retryIntervalMs = opts.retryIntervalMs ?? 10_000;
    this.queue = new SchedulingQueue({ initialBackoffMs: opts.initialBackoffMs, maxBackoffMs: opts.maxBackoffMs });
    this.recorder = new EventRecorder(client, { component: this.schedulerName }, (e) => this.log.warn({ err: String(e) }, 'writing event failed'));
    this.ownsFactory = !opts.factory;
    this.factory = opts.factory ?? new SharedInformerFactory(client);
    this.pods = this.factory.pods();
    this.nodes = this.factory.nodes();
  }

  private podsOf(pod: Pod): ResourceClient<Pod> {
    return coreV1(this.client).pods(pod.metadata.namespace);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.registrations.push(
      this.pods.addEventHandler({
        onAdd: (p) => this.onPodAdd(p),
        onUpdate: (o, n) => this.onPodUpdate(o, n),
        onDelete: (p) => this.onPodDelete(p),
      }),
      this.nodes.addEventHandler({
        onAdd: () => this.queue.moveAllToActiveOrBackoff(),
        onUpdate: (o, n) => {
          if (nodeSchedulingPropertiesChanged(o, n)) this.queue.moveAllToActiveOrBackoff();
        },
      }),
    );
    this.pods.start();
    this.nodes.start();
    this.flushTimer = setInterval(() => this.queue.flushUnschedulable(), this.retryIntervalMs);
    this.flushTimer.unref?.();
    this.loop = this.run();
  }

  /** Resolves once both informers have listed and our handlers have seen those lists. */
  async waitForSync(): Promise<void> {
    await Promise.all(this.registrations.map((r) => r.waitForSync()));
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    if (this.flushTimer) clearInterval(this.flushTimer);
    this.queue.close();
    for (const r of this.registrations.splice(0)) r.remove();
    await this.loop;
    await Promise.all([...this.binding]);
    await this.recorder.flush();
    if (this.ownsFactory) await this.factory.shutdown();
  }

  // ---- informer handlers ----

  private enqueueIfPending(pod: Pod): void {
    const key = objectKey(pod);
    if (needsScheduling(pod, this.schedulerName) && !isSchedulingGated(pod) && !this.assumed.has(key)) {
      this.queue.add(key, pod.spec?.priority ?? 0, creationMillis(pod));
    } else {
      this.queue.delete(key);
    }
  }

  private onPodAdd(pod: Pod): void {
    if (pod.spec?.nodeName) this.assumed.delete(objectKey(pod));
    this.enqueueIfPending(pod);
  }

  private onPodUpdate(oldPod: Pod, pod: Pod): void {
    const key = objectKey(pod);
    if (pod.spec?.nodeName) {
      this.assumed.delete(key);
      this.queue.delete(key);
      // a pod that finished (or left its node) frees room for others
      if (oldPod.spec?.nodeName && !isTerminal(oldPod) && isTerminal(pod)) this.queue.moveAllToActiveOrBackoff();
      return;
    }
    if (!needsScheduling(pod, this.schedulerName) || isSchedulingGated(pod)) {
      this.queue.delete(key);
      return;
    }
    // status-only updates (our own condition patches among them) don't retrigger scheduling
    if (!this.queue.has(key) || podSpecOrMetaChanged(oldPod, pod)) this.enqueueIfPending(pod);
  }

  private onPodDelete(pod: Pod): void {
    const key = objectKey(pod);
    this.queue.delete(key);
    const wasAssumed = this.assumed.delete(key);
    if ((pod.spec?.nodeName && !isTerminal(pod)) || wasAssumed) this.queue.moveAllToActiveOrBackoff();
  }

  // ---- scheduling ----

  /** Nodes with the pods the scheduler counts on them: assigned, non-terminal pods plus assumed ones. */
  snapshot(): NodeInfo[] {
    const placed: Pod[] = [];
    for (const p of this.pods.list()) {
      if (p.spec?.nodeName && !isTerminal(p)) placed.push(p);
    }
    for (const [key, p] of this.assumed) {
      const cur = this.pods.get(key);
      if (!cur?.spec?.nodeName) placed.push(p);
    }
    return buildNodeInfos(this.nodes.list(), placed);
  }

  private async run(): Promise<void> {
    await this.waitForSync();
    for (;;) {
      const key = await this.queue.pop();
      if (key === undefined) return;
      try {
        await this.scheduleOne(key);
      } catch (e) {
        this.log.warn({ pod: key, err: String(e) }, 'scheduling attempt failed');
        this.queue.failed(key, { retryable: true });
      }
    }
  }

  private async scheduleOne(key: string): Promise<void> {
    const pod = this.pods.get(key);
    if (!pod || !needsScheduling(pod, this.schedulerName) || isSchedulingGated(pod) || this.assumed.has(key)) {
      this.queue.done(key);
      return;
    }
    const started = Date.now();
    const nodeInfos = this.snapshot();
    const { feasible, statuses, message } = diagnose(pod, nodeInfos, this.plugins);
    if (this.log.isLevelEnabled('debug')) this.logFilterOutcomes(key, feasible, statuses);
    const host = selectHost(pod, feasible);
    if (!host) {
      const msg = truncateMessage(message ?? 'no nodes available to schedule pods');
      this.log.info({ pod: key, evaluatedNodes: nodeInfos.length, feasibleNodes: 0, err: msg }, 'Unable to schedule pod; no fit; waiting');
      this.recorder.event(pod, 'Warning', 'FailedScheduling', msg);
      await this.setPodScheduledCondition(pod, { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: msg });
      this.queue.failed(key);
      return;
    }
    const nodeName = host.node.metadata.name!;
    // Assume the pod on the node (later snapshots count it) and bind without holding up the next pod.
    this.assumed.set(key, { ...pod, spec: { ...pod.spec!, nodeName } });
    const decision = { evaluatedNodes: nodeInfos.length, feasibleNodes: feasible.length, started };
    const cycle = this.bind(pod, key, nodeName, decision).catch((e) => {
      this.assumed.delete(key);
      this.log.warn({ pod: key, err: String(e) }, 'binding failed');
      this.queue.failed(key, { retryable: true });
    });
    this.binding.add(cycle);
    void cycle.finally(() => this.binding.delete(cycle));
  }

  /** The binding cycle: POST pods/binding (which also sets PodScheduled=True), then the Scheduled event. */
  private async bind(pod: Pod, key: string, nodeName: string, decision: { evaluatedNodes: number; feasibleNodes: number; started: number }): Promise<void> {
    try {
      await this.podsOf(pod).createSubresource(pod.metadata.name!, 'binding', {
        apiVersion: 'v1',
        kind: 'Binding',
        metadata: { name: pod.metadata.name, namespace: pod.metadata.namespace, uid: pod.metadata.uid },
        target: { apiVersion: 'v1', kind: 'Node', name: nodeName },
      });
    } catch (e) {
      this.assumed.delete(key);
      const code = isStatusError(e) ? e.status.code : 0;
      if (code === 409 || code === 404) {
        // bound by someone else, being deleted, or gone: nothing left for us to do
        this.log.info({ pod: key, err: String(e) }, 'binding dropped');
        this.queue.done(key);
        return;
      }
      this.recorder.event(pod, 'Warning', 'FailedScheduling', truncateMessage(`Binding rejected: ${(e as Error).message}`));
      this.queue.failed(key, { retryable: true });
      return;
    }
    this.queue.done(key);
    const { evaluatedNodes, feasibleNodes, started } = decision;
    this.log.info({ pod: key, node: nodeName, evaluatedNodes, feasibleNodes, durationMs: Date.now() - started }, 'Successfully bound pod to node');
    this.recorder.event(pod, 'Normal', 'Scheduled', `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to ${nodeName}`);
  }

  /** Debug: each node's verdict for the pod (the first filter plugin that rejected it, or a fit). */
  private logFilterOutcomes(key: string, feasible: NodeInfo[], statuses: Map<string, FilterStatus>): void {
    for (const [node, st] of statuses)
      this.log.debug({ pod: key, node, plugin: st.plugin, code: st.code, reasons: st.reasons }, 'Node rejected by filter plugin');
    for (const ni of feasible) this.log.debug({ pod: key, node: ni.node.metadata.name }, 'Node passed all filter plugins');
  }

  /**
   * Sets the PodScheduled condition through pods/status with a strategic merge patch (merged by
   * condition type, other conditions untouched), only when it would change. lastTransitionTime moves
   * only when the status flips. Used for False only: True is written by the binding.
   */
  private async setPodScheduledCondition(pod: Pod, want: { type: 'PodScheduled'; status: 'False'; reason?: string; message?: string }): Promise<void> {
    const cached = this.pods.get(objectKey(pod));
    const latest = cached && Number(cached.metadata.resourceVersion) > Number(pod.metadata.resourceVersion) ? cached : pod;
    const cur = latest.status?.conditions?.find((c) => c.type === 'PodScheduled');
    if (cur && cur.status === want.status && (cur.reason ?? '') === (want.reason ?? '') && (cur.message ?? '') === (want.message ?? '')) return;
    const cond: Record<string, unknown> = {
      type: 'PodScheduled',
      status: want.status,
      reason: want.reason ?? null,
      message: want.message ?? null,
      lastProbeTime: null,
      lastTransitionTime: cur && cur.status === want.status && cur.lastTransitionTime ? cur.lastTransitionTime : timestamp(),
    };
    if (typeof latest.metadata.generation === 'number') cond.observedGeneration = latest.metadata.generation;
    try {
      await this.podsOf(pod).patchStatus(pod.metadata.name!, { status: { conditions: [cond as unknown as PodCondition] } }, 'strategic');
    } catch (e) {
      if (isStatusError(e) && e.status.code === 404) return;
      this.log.warn({ pod: objectKey(pod), err: String(e) }, 'updating PodScheduled condition failed');
    }
  }
}
