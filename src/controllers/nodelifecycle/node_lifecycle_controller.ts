// The node lifecycle controller (upstream pkg/controller/nodelifecycle): watches Nodes and their Leases in
// kube-node-lease. A node whose kubelet has posted neither status nor a lease renewal for
// --node-monitor-grace-period (--node-startup-grace-period before its first status) gets its conditions
// Unknown ("Kubelet stopped posting node status."); its pods are marked not Ready; the node is tainted as its
// conditions say (unreachable/not-ready NoExecute with timeAdded, and the NoSchedule taints of
// TaintNodesByCondition). The node returning clears the taints. Each node is re-checked every --node-monitor-period.
import type { Lease, Node, Pod, PodCondition } from '../../api/core/v1/types.js';
import { isStatusError } from '../../api/errors.js';
import { Controller, type ReconcileResult } from '../../client/controller.js';
import { EventRecorder, timestamp } from '../../client/events.js';
import type { SharedInformerFactory } from '../../client/informer_factory.js';
import type { KubeClient } from '../../client/rest.js';
import type { SharedIndexInformer } from '../../client/shared_informer.js';
import { coreV1, Resources } from '../../client/typed.js';
import type { Logger } from '../../log/logger.js';
import { condition, desiredTaints, unknownConditions } from './node_health.js';

export interface NodeLifecycleOptions {
  /** --node-monitor-period (default 5 s). */
  monitorPeriodMs: number;
  /** --node-monitor-grace-period (default 40 s). */
  gracePeriodMs: number;
  /** --node-startup-grace-period (default 60 s). */
  startupGracePeriodMs: number;
}

interface NodeHealth {
  /** When we last saw the kubelet alive (a new heartbeat in status, or a lease renewal). */
  probeTimestamp: number;
  heartbeat?: string;
  leaseRenew?: string;
}

const LEASE_NAMESPACE = 'kube-node-lease';

export class NodeLifecycleController extends Controller {
  private readonly nodes: SharedIndexInformer<Node>;
  private readonly leases: SharedIndexInformer<Lease>;
  private readonly pods: SharedIndexInformer<Pod>;
  private readonly health = new Map<string, NodeHealth>();
  private readonly recorder: EventRecorder;
  private readonly now: () => number;

  constructor(
    private readonly client: KubeClient,
    private readonly o: NodeLifecycleOptions,
    opts: { factory?: SharedInformerFactory; log?: Logger; now?: () => number } = {},
  ) {
    super({ name: 'node-lifecycle', client, factory: opts.factory, log: opts.log });
    this.now = opts.now ?? Date.now;
    this.recorder = new EventRecorder(client, { component: 'node-controller' }, (e) => this.log.debug({ err: String(e) }, 'event write failed'));
    this.nodes = this.factory.nodes();
    this.leases = this.factory.informerFor<Lease>(Resources.leases, { namespace: LEASE_NAMESPACE });
    this.pods = this.factory.pods();
    this.watch(this.nodes, this.enqueueAll());
    const byLease = (l: Lease) => this.queue.add(l.metadata.name!);
    this.watch(this.leases, { onAdd: byLease, onUpdate: (_o, l) => byLease(l), onDelete: byLease });
    // pods are read from the cache only when a node goes unknown
    this.watch(this.pods, {});
  }

  protected async reconcile(name: string): Promise<ReconcileResult | void> {
    const node = this.nodes.get(name);
    if (!node) {
      this.health.delete(name);
      return;
    }
    const now = this.now();
    const nowStr = timestamp(new Date(now));
    const ready = condition(node, 'Ready');
    const lease = this.leases.get(`${LEASE_NAMESPACE}/${name}`);
    const created = Date.parse(node.metadata.creationTimestamp ?? '') || now;
    let h = this.health.get(name);
    if (!h) {
      // first sight: a node that never posted counts from its creation (upstream), others from now
      h = { probeTimestamp: ready ? now : created, heartbeat: ready?.lastHeartbeatTime, leaseRenew: lease?.spec?.renewTime };
      this.health.set(name, h);
    }
    if (ready?.lastHeartbeatTime !== h.heartbeat) {
      h.heartbeat = ready?.lastHeartbeatTime;
      h.probeTimestamp = now;
    }
    const renew = lease?.spec?.renewTime;
    if (renew && (!h.leaseRenew || Date.parse(renew) > Date.parse(h.leaseRenew))) {
      h.leaseRenew = renew;
      h.probeTimestamp = now;
    }
    const grace = ready ? this.o.gracePeriodMs : this.o.startupGracePeriodMs;
    let cur = node;
    if (now > h.probeTimestamp + grace) {
      const conds = unknownConditions(node, nowStr);
      if (conds) {
        this.log.info({ node: name }, 'node stopped posting status; conditions are Unknown');
        cur = await coreV1(this.client)
          .nodes()
          .updateStatus({ ...node, status: { ...(node.status ?? {}), conditions: conds } });
        if (ready?.status === 'True') this.recorder.event(node, 'Normal', 'NodeNotReady', `Node ${name} status is now: NodeNotReady`);
      }
    }
    const taints = desiredTaints(cur, nowStr);
    if (taints)
      cur = await coreV1(this.client)
        .nodes()
        .update({ ...cur, spec: { ...(cur.spec ?? {}), taints } });
    if (condition(cur, 'Ready')?.status === 'Unknown') await this.markPodsNotReady(cur);
    return { requeueAfterMs: this.o.monitorPeriodMs };
  }

  /** Pods of an unreachable node can no longer be trusted to serve: Ready=False (upstream MarkPodsNotReady). */
  private async markPodsNotReady(node: Node): Promise<void> {
    const nowStr = timestamp(new Date(this.now()));
    for (const pod of this.pods.lister.byNode(node.metadata.name!)) {
      const conds = pod.status?.conditions ?? [];
      const readyCond = conds.find((c) => c.type === 'Ready');
      if (!readyCond || readyCond.status === 'False') continue;
      const next: PodCondition[] = conds.map((c) => (c.type === 'Ready' ? { ...c, status: 'False', lastTransitionTime: nowStr } : c));
      try {
        await coreV1(this.client)
          .pods(pod.metadata.namespace)
          .updateStatus({ ...pod, status: { ...(pod.status ?? {}), conditions: next } });
        this.recorder.event(pod, 'Warning', 'NodeNotReady', 'Node is not ready');
      } catch (e) {
        if (isStatusError(e) && (e.code === 404 || e.code === 409)) continue;
        throw e;
      }
    }
  }
}
