// The pod garbage collector (upstream pkg/controller/podgc), every 20 s and when a node goes away: force-deletes
// pods bound to a node that no longer exists (after a 40 s quarantine and a fresh check of the node), terminating
// pods that were never scheduled, terminating pods on not-ready nodes tainted out-of-service, and the oldest
// terminated pods beyond --terminated-pod-gc-threshold. Pods not yet finished are first marked Failed with the
// DisruptionTarget condition (DeletionByPodGC), as upstream.
import type { Node, Pod, PodCondition } from '../../api/core/v1/types.js';
import { TAINT_NODE_OUT_OF_SERVICE } from '../../api/core/v1/taints.js';
import { isStatusError } from '../../api/errors.js';
import { Controller, type ReconcileResult } from '../../client/controller.js';
import { timestamp } from '../../client/events.js';
import type { SharedInformerFactory } from '../../client/informer_factory.js';
import type { KubeClient } from '../../client/rest.js';
import type { SharedIndexInformer } from '../../client/shared_informer.js';
import { coreV1 } from '../../client/typed.js';
import type { Logger } from '../../log/logger.js';

export const GC_CHECK_PERIOD_MS = 20_000;
export const QUARANTINE_MS = 40_000;
const KEY = 'podgc';

const isTerminated = (p: Pod) => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';

export class PodGCController extends Controller {
  private readonly nodes: SharedIndexInformer<Node>;
  private readonly pods: SharedIndexInformer<Pod>;
  /** node name → when the GC first saw pods bound to it while it was missing. */
  private readonly missingSince = new Map<string, number>();
  private readonly now: () => number;

  constructor(
    private readonly client: KubeClient,
    private readonly o: { terminatedPodThreshold: number; checkPeriodMs?: number; quarantineMs?: number },
    opts: { factory?: SharedInformerFactory; log?: Logger; now?: () => number } = {},
  ) {
    super({ name: 'pod-garbage-collector', client, factory: opts.factory, log: opts.log });
    this.now = opts.now ?? Date.now;
    this.nodes = this.factory.nodes();
    this.pods = this.factory.pods();
    this.watch(this.nodes, { onAdd: () => this.queue.add(KEY), onDelete: () => this.queue.add(KEY) });
    this.watch(this.pods, {});
  }

  override start(): void {
    super.start();
    this.queue.add(KEY);
  }

  protected async reconcile(): Promise<ReconcileResult | void> {
    const pods = this.pods.list();
    let next = this.o.checkPeriodMs ?? GC_CHECK_PERIOD_MS;
    await this.gcTerminated(pods);
    await this.gcTerminating(pods);
    const wait = await this.gcOrphaned(pods);
    if (wait !== undefined) next = Math.min(next, wait);
    await this.gcUnscheduledTerminating(pods);
    return { requeueAfterMs: next };
  }

  private async gcTerminated(pods: Pod[]): Promise<void> {
    const threshold = this.o.terminatedPodThreshold;
    if (threshold <= 0) return;
    const terminated = pods.filter(isTerminated);
    const excess = terminated.length - threshold;
    if (excess <= 0) return;
    terminated.sort((a, b) => (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? ''));
    this.log.info({ count: excess, threshold }, 'garbage collecting terminated pods');
    for (const p of terminated.slice(0, excess)) await this.markFailedAndDelete(p);
  }

  /** Terminating pods on nodes that are not ready and tainted out-of-service: their kubelet will never confirm. */
  private async gcTerminating(pods: Pod[]): Promise<void> {
    for (const p of pods) {
      if (!p.metadata.deletionTimestamp || !p.spec?.nodeName) continue;
      const node = this.nodes.get(p.spec.nodeName);
      if (!node) continue;
      const ready = (node.status?.conditions ?? []).find((c) => c.type === 'Ready')?.status === 'True';
      const outOfService = (node.spec?.taints ?? []).some((t) => t.key === TAINT_NODE_OUT_OF_SERVICE);
      if (!ready && outOfService) await this.markFailedAndDelete(p);
    }
  }

  /** Returns how soon a quarantine ends (to look again then). */
  private async gcOrphaned(pods: Pod[]): Promise<number | undefined> {
    const now = this.now();
    const quarantine = this.o.quarantineMs ?? QUARANTINE_MS;
    const missing = new Set<string>();
    for (const p of pods) {
      const n = p.spec?.nodeName;
      if (n && !this.nodes.get(n)) missing.add(n);
    }
    for (const n of this.missingSince.keys()) if (!missing.has(n)) this.missingSince.delete(n);
    let wait: number | undefined;
    for (const n of missing) {
      const since = this.missingSince.get(n) ?? now;
      this.missingSince.set(n, since);
      if (now < since + quarantine) {
        wait = Math.min(wait ?? Infinity, since + quarantine - now);
        continue;
      }
      // the informer may lag: ask the API server whether the node is really gone
      try {
        await coreV1(this.client).nodes().get(n);
        this.missingSince.delete(n);
        continue;
      } catch (e) {
        if (!isStatusError(e) || e.code !== 404) throw e;
      }
      for (const p of pods) {
        if (p.spec?.nodeName !== n) continue;
        this.log.info({ pod: `${p.metadata.namespace}/${p.metadata.name}`, node: n }, 'found orphaned pod assigned to a node that no longer exists; deleting');
        await this.markFailedAndDelete(p, { reason: 'DeletionByPodGC', message: 'PodGC: node no longer exists' });
      }
      this.missingSince.delete(n);
    }
    return wait;
  }

  private async gcUnscheduledTerminating(pods: Pod[]): Promise<void> {
    for (const p of pods) if (p.metadata.deletionTimestamp && !p.spec?.nodeName) await this.markFailedAndDelete(p);
  }

  /** Upstream markFailedAndDeletePodWithCondition: a pod not yet finished becomes Failed, then it is deleted at once. */
  private async markFailedAndDelete(pod: Pod, cond?: { reason: string; message: string }): Promise<void> {
    const pods = coreV1(this.client).pods(pod.metadata.namespace);
    try {
      if (!isTerminated(pod)) {
        const conditions: PodCondition[] = (pod.status?.conditions ?? []).filter((c) => c.type !== 'DisruptionTarget');
        if (cond) conditions.push({ type: 'DisruptionTarget', status: 'True', ...cond, lastTransitionTime: timestamp() } as PodCondition);
        await pods.updateStatus({ ...pod, status: { ...(pod.status ?? {}), phase: 'Failed', conditions } });
      }
      await pods.delete(pod.metadata.name!, { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata.uid } });
    } catch (e) {
      if (isStatusError(e) && (e.code === 404 || e.code === 409)) return;
      throw e;
    }
  }
}
