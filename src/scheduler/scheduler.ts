// The scheduler component: watches pods, nodes, namespaces (and what default spreading and preemption need:
// Services, ReplicationControllers, ReplicaSets, StatefulSets, PodDisruptionBudgets) through the API like
// kube-scheduler, keeps the scheduler cache, takes pending pods for its schedulerName from the scheduling
// queue one at a time, runs the scheduling cycle (schedule_one.ts), assumes the pod on its node and binds it
// through pods/binding in the background (upstream's binding cycle), and reports the outcome: Scheduled /
// FailedScheduling events, PodScheduled=False (Unschedulable) and nominatedNodeName via pods/status. When
// preemption picks a node, the victims get DisruptionTarget and a graceful delete, and a Preempted event.
import type { Namespace, Node, Pod, PodCondition } from '../api/core/v1/types.js';
import type { KubeObject } from '../api/types.js';
import { isStatusError } from '../api/errors.js';
import { labelSelectorAsSelector, type LabelSelector } from '../api/labels.js';
import type { Service } from '../api/core/v1/service_types.js';
import { EventRecorder, timestamp } from '../client/events.js';
import { objectKey } from '../client/indexer.js';
import { SharedInformerFactory } from '../client/informer_factory.js';
import type { KubeClient } from '../client/rest.js';
import type { HandlerRegistration, SharedIndexInformer } from '../client/shared_informer.js';
import { coreV1, Resources, type ResourceClient, type ResourceRef } from '../client/typed.js';
import { logger as componentLogger, type Logger } from '../log/logger.js';
import { SchedulerCache } from './cache.js';
import { eventMatches, isTerminal, nodeUpdateActions, podSpecOrMetaChanged } from './cluster_events.js';
import { defaultSelector } from './default_selector.js';
import { truncateMessage } from './fit_error.js';
import { defaultPlugins, Framework, isSchedulingGated, needsScheduling } from './framework.js';
import type { Plugin } from './framework_types.js';
import { cacheHandle } from './handle.js';
import type { DisruptionBudget, Candidate } from './preemption.js';
import { SchedulingQueue, type QueueEvent } from './queue.js';
import { schedulePod, type ScheduleContext, type ScheduleResult } from './schedule_one.js';

export const DEFAULT_SCHEDULER_NAME = 'default-scheduler';
const PDB_RESOURCE: ResourceRef = { group: 'policy', version: 'v1', resource: 'poddisruptionbudgets', namespaced: true };

export interface SchedulerOptions {
  schedulerName?: string;
  /** Pods parked as unschedulable longer than this are retried without a cluster event (upstream: 5 min). */
  retryIntervalMs?: number;
  /** Backoff after a failed attempt: initial (default 1 s), doubling up to max (default 10 s). */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** The profile's plugins (default: upstream's default profile). */
  plugins?: Plugin[];
  /** percentageOfNodesToScore (0 = upstream's adaptive default). */
  percentageOfNodesToScore?: number;
  /** Default: the scheduler component logger. Decisions at info, each filter plugin's verdict at debug. */
  logger?: Logger;
  /** Informers to share with other components; without one the scheduler makes (and shuts down) its own. */
  factory?: SharedInformerFactory;
  /** Count each cycle's wall and CPU time in `stats` (two getrusage calls a cycle: benches only). */
  measureCycles?: boolean;
}

function creationMillis(pod: Pod): number {
  const t = Date.parse(pod.metadata.creationTimestamp ?? '');
  return Number.isFinite(t) ? t : 0;
}

export class Scheduler {
  readonly schedulerName: string;
  private readonly pods: SharedIndexInformer<Pod>;
  private readonly nodes: SharedIndexInformer<Node>;
  private readonly namespaces: SharedIndexInformer<Namespace>;
  private readonly services: SharedIndexInformer<Service>;
  private readonly controllers: Record<'ReplicationController' | 'ReplicaSet' | 'StatefulSet', SharedIndexInformer<KubeObject>>;
  private pdbs?: SharedIndexInformer<KubeObject>;
  private readonly factory: SharedInformerFactory;
  private readonly ownsFactory: boolean;
  private readonly registrations: HandlerRegistration[] = [];
  readonly queue: SchedulingQueue;
  readonly cache = new SchedulerCache();
  private readonly fw: Framework;
  private readonly ctx: ScheduleContext;
  private readonly recorder: EventRecorder;
  private readonly log: Logger;
  private readonly retryIntervalMs: number;
  private flushTimer?: NodeJS.Timeout;
  private loop?: Promise<void>;
  /** Binding cycles in flight (the scheduling loop does not wait for them). */
  private binding = new Set<Promise<void>>();
  private running = false;
  /** Scheduling cycles run, their wall time and the process CPU time they took (with measureCycles; benches read it). */
  readonly stats = { cycles: 0, cycleMs: 0, cycleCpuMs: 0 };
  private readonly measureCycles: boolean;

  constructor(
    private readonly client: KubeClient,
    opts: SchedulerOptions = {},
  ) {
    this.schedulerName = opts.schedulerName ?? DEFAULT_SCHEDULER_NAME;
    this.log = opts.logger ?? componentLogger('scheduler');
    this.retryIntervalMs = opts.retryIntervalMs ?? 5 * 60_000;
    this.measureCycles = opts.measureCycles ?? false;
    this.queue = new SchedulingQueue({ initialBackoffMs: opts.initialBackoffMs, maxBackoffMs: opts.maxBackoffMs });
    this.recorder = new EventRecorder(client, { component: this.schedulerName }, (e) => this.log.warn({ err: String(e) }, 'writing event failed'));
    this.ownsFactory = !opts.factory;
    this.factory = opts.factory ?? new SharedInformerFactory(client);
    this.pods = this.factory.pods();
    this.nodes = this.factory.nodes();
    this.namespaces = this.factory.namespaces();
    this.services = this.factory.informerFor<Service>(Resources.services);
    this.controllers = {
      ReplicationController: this.factory.informerFor(Resources.replicationControllers),
      ReplicaSet: this.factory.informerFor(Resources.replicaSets),
      StatefulSet: this.factory.informerFor(Resources.statefulSets),
    };
    const cache = this.cache;
    const handle = cacheHandle(cache, {
      namespace: (n) => this.namespaces.get(n),
      namespaces: () => this.namespaces.list(),
      defaultSelectorFor: (pod) =>
        defaultSelector(pod, {
          services: () => this.services.list(),
          get: (kind, ns, name) => this.controllers[kind].get(`${ns}/${name}`),
        }),
    });
    this.fw = new Framework(handle, opts.plugins ?? defaultPlugins(), (node) => cache.nominatedPodsFor(node));
    this.ctx = { fw: this.fw, cache, nextStart: 0, percentageOfNodesToScore: opts.percentageOfNodesToScore, pdbs: () => this.disruptionBudgets() };
    const byName = new Map(this.fw.plugins.map((p) => [p.name, p]));
    this.queue.interest = (plugins, ev) => [...plugins].some((name) => (byName.get(name)?.events ?? []).some((reg) => eventMatches(reg, ev)));
  }

  private podsOf(pod: Pod): ResourceClient<Pod> {
    return coreV1(this.client).pods(pod.metadata.namespace);
  }

  private event(ev: QueueEvent): void {
    this.queue.moveAllToActiveOrBackoff(ev);
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
        onAdd: (n) => {
          this.cache.addNode(n);
          this.event({ resource: 'Node', action: 'Add' });
        },
        onUpdate: (o, n) => {
          this.cache.updateNode(n);
          for (const action of nodeUpdateActions(o, n)) this.event({ resource: 'Node', action });
        },
        onDelete: (n) => {
          this.cache.removeNode(n);
          this.event({ resource: 'Node', action: 'Delete' });
        },
      }),
      this.namespaces.addEventHandler({
        onAdd: () => this.event({ resource: 'Namespace', action: 'Add' }),
        onUpdate: (o, n) => {
          if (JSON.stringify(o.metadata.labels ?? {}) !== JSON.stringify(n.metadata.labels ?? {})) this.event({ resource: 'Namespace', action: 'Update' });
        },
      }),
      this.services.addEventHandler({}),
      ...Object.values(this.controllers).map((inf) => inf.addEventHandler({})),
    );
    for (const inf of [this.pods, this.nodes, this.namespaces, this.services, ...Object.values(this.controllers)]) inf.start();
    void this.startPDBInformer();
    const every = Math.min(30_000, this.retryIntervalMs);
    this.flushTimer = setInterval(() => this.queue.flushUnschedulable(this.retryIntervalMs), every);
    this.flushTimer.unref?.();
    this.loop = this.run();
  }

  /** PodDisruptionBudgets are watched only when the API server serves policy/v1. */
  private async startPDBInformer(): Promise<void> {
    try {
      const list = await this.client.get<{ resources?: { name: string }[] }>('/apis/policy/v1');
      if (!this.running || !list.resources?.some((r) => r.name === 'poddisruptionbudgets')) return;
      this.pdbs = this.factory.informerFor<KubeObject>(PDB_RESOURCE);
      this.registrations.push(this.pdbs.addEventHandler({}));
      this.pdbs.start();
    } catch {
      // not served: preemption sees no budgets
    }
  }

  private disruptionBudgets(): DisruptionBudget[] {
    if (!this.pdbs) return [];
    const out: DisruptionBudget[] = [];
    for (const o of this.pdbs.list()) {
      const spec = o.spec as { selector?: LabelSelector } | undefined;
      const status = o.status as { disruptionsAllowed?: number; disruptedPods?: Record<string, string> } | undefined;
      let selector;
      try {
        selector = labelSelectorAsSelector(spec?.selector);
      } catch {
        continue;
      }
      out.push({
        namespace: o.metadata.namespace ?? '',
        selector,
        disruptionsAllowed: status?.disruptionsAllowed ?? 0,
        disruptedPods: new Set(Object.keys(status?.disruptedPods ?? {})),
      });
    }
    return out;
  }

  /** Resolves once the informers have listed and our handlers have seen those lists. */
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
    if (needsScheduling(pod, this.schedulerName) && !isSchedulingGated(pod) && !this.cache.isAssumed(key)) {
      this.queue.add(key, pod.spec?.priority ?? 0, creationMillis(pod));
    } else {
      this.queue.delete(key);
    }
  }

  private onPodAdd(pod: Pod): void {
    this.cache.setPod(pod);
    if (pod.spec?.nodeName) {
      if (!isTerminal(pod)) this.event({ resource: 'AssignedPod', action: 'Add' });
      return;
    }
    this.enqueueIfPending(pod);
  }

  private onPodUpdate(oldPod: Pod, pod: Pod): void {
    const key = objectKey(pod);
    this.cache.setPod(pod);
    if (pod.spec?.nodeName) {
      this.queue.delete(key);
      if (!oldPod.spec?.nodeName) this.event({ resource: 'AssignedPod', action: 'Add' });
      else if (!isTerminal(oldPod) && isTerminal(pod)) this.event({ resource: 'AssignedPod', action: 'Delete' });
      else if (JSON.stringify(oldPod.metadata.labels ?? {}) !== JSON.stringify(pod.metadata.labels ?? {}))
        this.event({ resource: 'AssignedPod', action: 'UpdatePodLabel' });
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
    const wasAssumed = this.cache.isAssumed(key);
    this.cache.removePodObject(pod);
    this.queue.delete(key);
    if ((pod.spec?.nodeName && !isTerminal(pod)) || wasAssumed) this.event({ resource: 'AssignedPod', action: 'Delete' });
  }

  // ---- scheduling ----

  private async run(): Promise<void> {
    await this.waitForSync();
    let lastYield = Date.now();
    for (;;) {
      const key = await this.queue.pop();
      if (key === undefined) return;
      try {
        this.scheduleOne(key);
      } catch (e) {
        this.log.warn({ pod: key, err: String(e) }, 'scheduling attempt failed');
        this.queue.failed(key, { retryable: true });
      }
      // the cycle is synchronous: let informer events and binding responses in now and then
      if (Date.now() - lastYield > 20) {
        await new Promise((r) => setImmediate(r));
        lastYield = Date.now();
      }
    }
  }

  private scheduleOne(key: string): void {
    const pod = this.pods.get(key);
    if (!pod || !needsScheduling(pod, this.schedulerName) || isSchedulingGated(pod) || this.cache.isAssumed(key)) {
      this.queue.done(key);
      return;
    }
    const started = Date.now();
    const t0 = this.measureCycles ? { wall: performance.now(), cpu: process.cpuUsage() } : undefined;
    const r = schedulePod(this.ctx, pod);
    if (t0) {
      const cpu = process.cpuUsage(t0.cpu);
      this.stats.cycles++;
      this.stats.cycleMs += performance.now() - t0.wall;
      this.stats.cycleCpuMs += (cpu.user + cpu.system) / 1000;
    }
    if (this.log.isLevelEnabled('debug')) this.logFilterOutcomes(key, r);
    if (!r.host) {
      const msg = truncateMessage(r.message ?? 'no nodes available to schedule pods');
      this.log.info({ pod: key, evaluatedNodes: r.evaluatedNodes, feasibleNodes: 0, err: msg }, 'Unable to schedule pod; no fit; waiting');
      this.recorder.event(pod, 'Warning', 'FailedScheduling', msg);
      const nominated = r.candidate?.node;
      if (r.candidate) {
        this.cache.setNominated(pod, r.candidate.node);
        this.track(this.prepareCandidate(pod, r.candidate));
      }
      this.track(this.setPodScheduledCondition(pod, { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: msg }, nominated));
      this.queue.failed(key, { plugins: r.rejectors });
      return;
    }
    const nodeName = r.host;
    // Assume the pod on the node (later cycles count it) and bind without holding up the next pod.
    this.cache.assumePod(pod, nodeName);
    const decision = { evaluatedNodes: r.evaluatedNodes, feasibleNodes: r.feasibleNodes, started };
    this.track(
      this.bind(pod, key, nodeName, decision).catch((e) => {
        this.cache.forgetPod(pod);
        this.log.warn({ pod: key, err: String(e) }, 'binding failed');
        this.queue.failed(key, { retryable: true });
      }),
    );
  }

  private track(p: Promise<void>): void {
    this.binding.add(p);
    void p.finally(() => this.binding.delete(p));
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
      this.cache.forgetPod(pod);
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

  /**
   * upstream prepareCandidate: each victim gets DisruptionTarget=True (PreemptionByScheduler) and is deleted
   * gracefully, with a Preempted event; lower-priority pods nominated to the node lose their nomination.
   */
  private async prepareCandidate(pod: Pod, c: Candidate): Promise<void> {
    const msg = `${this.schedulerName}: preempting to accommodate a higher priority pod`;
    await Promise.all(
      c.victims.map(async (v) => {
        try {
          const cond = { type: 'DisruptionTarget', status: 'True', reason: 'PreemptionByScheduler', message: msg, lastTransitionTime: timestamp() };
          await this.podsOf(v).patchStatus(v.metadata.name!, { status: { conditions: [cond] } }, 'strategic');
          await this.podsOf(v).delete(v.metadata.name!, { preconditions: { uid: v.metadata.uid } });
          this.recorder.event(v, 'Normal', 'Preempted', `Preempted by pod ${pod.metadata.uid} on node ${c.node}`);
          this.log.info({ pod: objectKey(v), node: c.node, preemptor: objectKey(pod) }, 'Preempted pod');
        } catch (e) {
          if (isStatusError(e) && (e.status.code === 404 || e.status.code === 409)) return;
          this.log.warn({ pod: objectKey(v), err: String(e) }, 'preempting victim failed');
        }
      }),
    );
    const prio = pod.spec?.priority ?? 0;
    for (const np of this.cache.nominatedPodsFor(c.node)) {
      if (np.metadata.uid === pod.metadata.uid || (np.spec?.priority ?? 0) >= prio) continue;
      this.cache.clearNominated(objectKey(np));
      try {
        await this.podsOf(np).patchStatus(np.metadata.name!, { status: { nominatedNodeName: null } }, 'merge');
      } catch {
        // gone or changed: its next cycle decides again
      }
    }
  }

  /** Debug: each node's verdict (passed, or the first filter plugin that rejected it). */
  private logFilterOutcomes(key: string, r: ScheduleResult): void {
    for (const ni of r.feasible ?? []) this.log.debug({ pod: key, node: ni.node.metadata.name }, 'Node passed all filter plugins');
    for (const [node, st] of r.statuses)
      this.log.debug({ pod: key, node, plugin: st.plugin, code: st.code, reasons: st.reasons }, 'Node rejected by filter plugin');
  }

  /**
   * Sets the PodScheduled condition (and nominatedNodeName when preemption chose a node) through pods/status
   * with a strategic merge patch (merged by condition type, other conditions untouched), only when it would
   * change. lastTransitionTime moves only when the status flips. Used for False only: True is the binding's.
   */
  private async setPodScheduledCondition(
    pod: Pod,
    want: { type: 'PodScheduled'; status: 'False'; reason?: string; message?: string },
    nominatedNodeName?: string,
  ): Promise<void> {
    const cached = this.pods.get(objectKey(pod));
    const latest = cached && Number(cached.metadata.resourceVersion) > Number(pod.metadata.resourceVersion) ? cached : pod;
    const cur = latest.status?.conditions?.find((c) => c.type === 'PodScheduled');
    const nominationChanges = nominatedNodeName !== undefined && latest.status?.nominatedNodeName !== nominatedNodeName;
    if (!nominationChanges && cur && cur.status === want.status && (cur.reason ?? '') === (want.reason ?? '') && (cur.message ?? '') === (want.message ?? ''))
      return;
    const cond: Record<string, unknown> = {
      type: 'PodScheduled',
      status: want.status,
      reason: want.reason ?? null,
      message: want.message ?? null,
      lastProbeTime: null,
      lastTransitionTime: cur && cur.status === want.status && cur.lastTransitionTime ? cur.lastTransitionTime : timestamp(),
    };
    if (typeof latest.metadata.generation === 'number') cond.observedGeneration = latest.metadata.generation;
    const status: Record<string, unknown> = { conditions: [cond as unknown as PodCondition] };
    if (nominationChanges) status.nominatedNodeName = nominatedNodeName;
    try {
      await this.podsOf(pod).patchStatus(pod.metadata.name!, { status }, 'strategic');
    } catch (e) {
      if (isStatusError(e) && e.status.code === 404) return;
      this.log.warn({ pod: objectKey(pod), err: String(e) }, 'updating PodScheduled condition failed');
    }
  }
}
