// The taint eviction controller (upstream pkg/controller/tainteviction): deletes the pods of a node with
// NoExecute taints — at once when a taint is not tolerated, else after the least tolerationSeconds of the
// tolerations that matched (counted from when the controller first saw the pod under the taint). Before the
// delete the pod gets the DisruptionTarget condition (DeletionByTaintManager) and, on an unreachable node,
// status.reason NodeLost, so `kubectl get pods` shows it Unknown while it waits for its node.
import type { Node, Pod, PodCondition } from '../../api/core/v1/types.js';
import { TAINT_NODE_UNREACHABLE } from '../../api/core/v1/taints.js';
import { isStatusError } from '../../api/errors.js';
import { Controller, type ReconcileResult } from '../../client/controller.js';
import { EventRecorder, timestamp } from '../../client/events.js';
import type { SharedInformerFactory } from '../../client/informer_factory.js';
import type { KubeClient } from '../../client/rest.js';
import type { SharedIndexInformer } from '../../client/shared_informer.js';
import { coreV1 } from '../../client/typed.js';
import type { Logger } from '../../log/logger.js';
import { minTolerationTime } from './toleration_time.js';

export const NODE_UNREACHABLE_POD_REASON = 'NodeLost';

const noExecuteKey = (n: Node | undefined) =>
  JSON.stringify((n?.spec?.taints ?? []).filter((t) => t.effect === 'NoExecute').map((t) => [t.key, t.value ?? '']));

export class TaintEvictionController extends Controller {
  private readonly nodes: SharedIndexInformer<Node>;
  private readonly pods: SharedIndexInformer<Pod>;
  private readonly recorder: EventRecorder;
  /** pod key → when its eviction was scheduled (upstream's TimedWorker CreatedAt). */
  private readonly scheduled = new Map<string, number>();
  private readonly now: () => number;

  constructor(
    private readonly client: KubeClient,
    opts: { factory?: SharedInformerFactory; log?: Logger; now?: () => number } = {},
  ) {
    super({ name: 'taint-eviction', client, factory: opts.factory, log: opts.log, workers: 4 });
    this.now = opts.now ?? Date.now;
    this.recorder = new EventRecorder(client, { component: 'taint-eviction-controller' }, (e) => this.log.debug({ err: String(e) }, 'event write failed'));
    this.nodes = this.factory.nodes();
    this.pods = this.factory.pods();
    const podsOf = (n: Node) => {
      for (const p of this.pods.lister.byNode(n.metadata.name!)) this.enqueue(p);
    };
    this.watch(this.nodes, {
      onAdd: podsOf,
      onUpdate: (old, n) => {
        if (noExecuteKey(old) !== noExecuteKey(n)) podsOf(n);
      },
    });
    this.watch(this.pods, {
      onAdd: (p) => this.enqueue(p),
      onUpdate: (old, p) => {
        if (
          old.spec?.nodeName !== p.spec?.nodeName ||
          JSON.stringify(old.spec?.tolerations) !== JSON.stringify(p.spec?.tolerations) ||
          p.metadata.deletionTimestamp
        )
          this.enqueue(p);
      },
      onDelete: (p) => this.enqueue(p),
    });
  }

  private cancel(key: string, pod: Pod | undefined): void {
    if (!this.scheduled.delete(key) || !pod || pod.metadata.deletionTimestamp) return;
    this.recorder.event(pod, 'Normal', 'TaintManagerEviction', `Cancelling deletion of Pod ${key}`);
  }

  protected async reconcile(key: string): Promise<ReconcileResult | void> {
    const pod = this.pods.get(key);
    const nodeName = pod?.spec?.nodeName;
    if (!pod || !nodeName || pod.metadata.deletionTimestamp) {
      this.scheduled.delete(key);
      return;
    }
    const node = this.nodes.get(nodeName);
    const taints = (node?.spec?.taints ?? []).filter((t) => t.effect === 'NoExecute');
    const t = minTolerationTime(taints, pod.spec?.tolerations);
    if (t.kind === 'forever') {
      this.cancel(key, pod);
      return;
    }
    const now = this.now();
    if (t.kind === 'after') {
      const started = this.scheduled.get(key) ?? now;
      this.scheduled.set(key, started);
      if (now < started + t.ms) return { requeueAfterMs: started + t.ms - now };
    }
    await this.evict(pod, node!);
    this.scheduled.delete(key);
  }

  private async evict(pod: Pod, node: Node): Promise<void> {
    const ns = pod.metadata.namespace!;
    const name = pod.metadata.name!;
    this.recorder.event(pod, 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${ns}/${name}`);
    const unreachable = (node.spec?.taints ?? []).some((t) => t.key === TAINT_NODE_UNREACHABLE && t.effect === 'NoExecute');
    const nowStr = timestamp(new Date(this.now()));
    const conds: PodCondition[] = (pod.status?.conditions ?? []).filter((c) => c.type !== 'DisruptionTarget');
    conds.push({
      type: 'DisruptionTarget',
      status: 'True',
      reason: 'DeletionByTaintManager',
      message: 'Taint manager: deleting due to NoExecute taint',
      lastTransitionTime: nowStr,
    } as PodCondition);
    const status = { ...(pod.status ?? {}), conditions: conds };
    if (unreachable) {
      // upstream's SetPodTerminationReason: what the pod printer shows as Unknown while the pod waits for its node
      status.reason = NODE_UNREACHABLE_POD_REASON;
      status.message = `Node ${node.metadata.name} which was running pod ${name} is unresponsive`;
    }
    const pods = coreV1(this.client).pods(ns);
    try {
      await pods.updateStatus({ ...pod, status });
      await pods.delete(name, { preconditions: { uid: pod.metadata.uid } });
      this.log.info({ pod: `${ns}/${name}`, node: node.metadata.name }, 'deleted pod for a NoExecute taint');
    } catch (e) {
      if (isStatusError(e) && e.code === 404) return;
      throw e;
    }
  }
}
