// The DaemonSet controller (upstream pkg/controller/daemon): informers on DaemonSets, pods, nodes and
// ControllerRevisions → work queue → reconcile(set): find the revision the template is at (duplicates of it
// collapsed into one), claim pods, group them by the node they are for, create a pod (pinned by node affinity,
// bound by the scheduler) on every eligible node lacking one and delete pods that must go (failed, excess,
// misscheduled, on vanished nodes), then take one RollingUpdate step, trim the revision history and write
// status. Expectations keep a sync from acting again before the informers have seen its own creates and deletes.
import type { ControllerRevision, DaemonSet, DaemonSetStatus } from '../../api/apps/v1/workload_types.js';
import { ControllerRevisionHashLabel } from '../../api/apps/v1/workload_types.js';
import type { Node, Pod } from '../../api/core/v1/types.js';
import { isStatusError } from '../../api/errors.js';
import { labelSelectorAsSelector, type Selector } from '../../api/labels.js';
import { Controller, type ReconcileResult } from '../../client/controller.js';
import { EventRecorder } from '../../client/events.js';
import type { SharedInformerFactory } from '../../client/informer_factory.js';
import { objectKey } from '../../client/indexer.js';
import type { Lister } from '../../client/listers.js';
import type { KubeClient } from '../../client/rest.js';
import { coreV1, ResourceClient, Resources } from '../../client/typed.js';
import type { Logger } from '../../log/logger.js';
import { errorMessage, newControllerRef, podFromTemplate, slowStartBatch } from '../controller_utils.js';
import { ControllerExpectations } from '../expectations.js';
import { controllerRefOf, ensureRevision, templatePatch } from '../history/controller_history.js';
import { isPodReady } from '../pod_readiness.js';
import { adoptOrRelease } from '../pod_ownership.js';
import { daemonPodTemplate, nodeShouldRunDaemonPod, pinToNode, targetNodeName, templateGeneration } from './daemon_pod.js';
import { computeStatus, planNode, planRollingUpdate } from './sync_plan.js';
import { FailedPodBackoff } from './failed_pod_backoff.js';
import { dedupCurrentRevisions } from './dedup_revisions.js';
import { isDeepStrictEqual } from 'node:util';

/** At most this many creates or deletes per sync (upstream BurstReplicas for DaemonSets). */
export const BURST_REPLICAS = 250;

export interface DaemonSetControllerOptions {
  factory?: SharedInformerFactory;
  log?: Logger;
  workers?: number;
  now?: () => number;
}

export class DaemonSetController extends Controller {
  readonly expectations: ControllerExpectations;
  private readonly sets: Lister<DaemonSet>;
  private readonly pods: Lister<Pod>;
  private readonly nodes: Lister<Node>;
  private readonly revisions: Lister<ControllerRevision>;
  private readonly recorder: EventRecorder;
  private readonly failedBackoff: FailedPodBackoff;
  private readonly now: () => number;

  constructor(
    private readonly client: KubeClient,
    opts: DaemonSetControllerOptions = {},
  ) {
    super({ name: 'daemonset', client, factory: opts.factory, log: opts.log, workers: opts.workers ?? 2 });
    this.now = opts.now ?? Date.now;
    this.expectations = new ControllerExpectations(this.now);
    this.failedBackoff = new FailedPodBackoff(this.now);
    this.recorder = new EventRecorder(client, { component: 'daemonset-controller' }, (e) => this.log.debug({ err: errorMessage(e) }, 'event write failed'));
    const setInformer = this.factory.informerFor<DaemonSet>(Resources.daemonSets);
    const podInformer = this.factory.pods();
    const nodeInformer = this.factory.nodes();
    const revInformer = this.factory.informerFor<ControllerRevision>(Resources.controllerRevisions);
    this.sets = setInformer.lister;
    this.pods = podInformer.lister;
    this.nodes = nodeInformer.lister;
    this.revisions = revInformer.lister;
    this.watch(setInformer, {
      onAdd: (ds) => this.enqueue(ds),
      onUpdate: (_old, ds) => this.enqueue(ds),
      onDelete: (ds) => {
        this.expectations.delete(objectKey(ds));
        this.enqueue(ds);
      },
    });
    this.watch(podInformer, {
      onAdd: (p) => this.podAdded(p),
      onUpdate: (old, p) => this.podUpdated(old, p),
      onDelete: (p) => this.podDeleted(p),
    });
    this.watch(nodeInformer, {
      onAdd: (n) => {
        for (const ds of this.sets.list()) if (nodeShouldRunDaemonPod(n, ds).shouldRun) this.enqueue(ds);
      },
      onUpdate: (old, n) => {
        for (const ds of this.sets.list()) if (!isDeepStrictEqual(nodeShouldRunDaemonPod(old, ds), nodeShouldRunDaemonPod(n, ds))) this.enqueue(ds);
      },
      // unscheduled pods meant for a node that is gone are this controller's to delete
      onDelete: () => {
        for (const ds of this.sets.list()) this.enqueue(ds);
      },
    });
    this.watch(revInformer, {
      onAdd: (r) => this.enqueueController(r),
      onUpdate: (_old, r) => this.enqueueController(r),
      onDelete: (r) => this.enqueueController(r),
    });
  }

  private resolveRef(obj: Pod | ControllerRevision): DaemonSet | undefined {
    const ref = controllerRefOf(obj);
    if (!ref || ref.kind !== 'DaemonSet' || !obj.metadata.namespace) return undefined;
    const ds = this.sets.namespace(obj.metadata.namespace).get(ref.name);
    return ds && ds.metadata.uid === ref.uid ? ds : undefined;
  }

  private enqueueController(obj: Pod | ControllerRevision): void {
    const ds = this.resolveRef(obj);
    if (ds) this.enqueue(ds);
  }

  /** DaemonSets in the pod's namespace that select it (for orphans that may be adopted). */
  private selecting(pod: Pod): DaemonSet[] {
    if (!pod.metadata.labels || !pod.metadata.namespace) return [];
    return this.sets
      .namespace(pod.metadata.namespace)
      .list()
      .filter((ds) => {
        try {
          const s = labelSelectorAsSelector(ds.spec.selector);
          return !s.empty() && s.matches(pod.metadata.labels);
        } catch {
          return false;
        }
      });
  }

  private podAdded(pod: Pod): void {
    if (pod.metadata.deletionTimestamp) return this.podDeleted(pod);
    const ds = this.resolveRef(pod);
    if (ds) {
      this.expectations.creationObserved(objectKey(ds));
      this.enqueue(ds);
      return;
    }
    if (!controllerRefOf(pod)) for (const d of this.selecting(pod)) this.enqueue(d);
  }

  private podUpdated(old: Pod, pod: Pod): void {
    if (pod.metadata.resourceVersion === old.metadata.resourceVersion) return;
    if (pod.metadata.deletionTimestamp) {
      // graceful deletion began: count it as gone so the node gets its next pod at once
      if (!old.metadata.deletionTimestamp) this.podDeleted(pod);
      else this.enqueueController(pod);
      return;
    }
    const oldRef = controllerRefOf(old);
    const ref = controllerRefOf(pod);
    if (oldRef && oldRef.uid !== ref?.uid) this.enqueueController(old);
    const ds = this.resolveRef(pod);
    if (ds) {
      this.enqueue(ds);
      const minReady = ds.spec.minReadySeconds ?? 0;
      if (minReady > 0 && !isPodReady(old) && isPodReady(pod)) this.queue.addAfter(objectKey(ds), minReady * 1000 + 1000);
      return;
    }
    if (!ref && (!isDeepStrictEqual(old.metadata.labels, pod.metadata.labels) || oldRef)) for (const d of this.selecting(pod)) this.enqueue(d);
  }

  private podDeleted(pod: Pod): void {
    const ds = this.resolveRef(pod);
    if (!ds) return;
    this.expectations.deletionObserved(objectKey(ds), pod.metadata.uid);
    this.enqueue(ds);
  }

  protected async reconcile(key: string): Promise<ReconcileResult | void> {
    const [ns, name] = key.split('/') as [string, string];
    const cached = this.sets.namespace(ns).get(name);
    if (!cached) {
      this.expectations.delete(key);
      return;
    }
    const ds = structuredClone(cached);
    let selector: Selector;
    try {
      selector = labelSelectorAsSelector(ds.spec.selector);
    } catch (e) {
      this.recorder.event(ds, 'Warning', 'InvalidSelector', `invalid label selector: ${errorMessage(e)}`);
      return;
    }
    if (selector.empty()) {
      this.recorder.event(ds, 'Warning', 'SelectingAll', 'This daemon set is selecting all pods. A non-empty selector is required.');
      return;
    }
    // the revisions of a DaemonSet being deleted may already be gone: leave it (and its status) alone
    if (ds.metadata.deletionTimestamp) return;

    const revClient = new ResourceClient<ControllerRevision>(this.client, Resources.controllerRevisions, ns);
    // its revisions as its pods: orphans the selector matches are adopted (a set recreated after --cascade=orphan)
    const adopted = await adoptOrRelease(revClient, ds, 'DaemonSet', this.revisions.namespace(ns).list(), selector);
    const data = templatePatch(ds.spec.template);
    const owned = await dedupCurrentRevisions(revClient, coreV1(this.client).pods(ns), name, adopted, data, () => this.daemonPods(ds, selector));
    const ensured = await ensureRevision(
      revClient,
      owned,
      {
        obj: ds,
        kind: 'DaemonSet',
        data,
        labels: ds.spec.template?.metadata?.labels ?? {},
        hashLabel: ControllerRevisionHashLabel,
        annotations: ds.metadata.annotations,
      },
      ds.status?.collisionCount ?? 0,
    );
    const hash = ensured.hash;
    const generation = templateGeneration(ds);
    const nodes = this.nodes.list();
    const collisionCount = ensured.collisionCount;

    if (!this.expectations.satisfied(key)) {
      // only status: observedGeneration stays, this generation was not acted on
      await this.writeStatus(ds, await this.nodeToDaemonPods(ds, selector), nodes, hash, generation, collisionCount, false);
      return;
    }

    let requeueAfterMs: number | undefined;
    let error: unknown;
    try {
      requeueAfterMs = await this.manage(key, ds, selector, nodes, hash, generation);
      if (this.expectations.satisfied(key) && ds.spec.updateStrategy?.type === 'RollingUpdate') {
        const plan = planRollingUpdate(ds, nodes, await this.nodeToDaemonPods(ds, selector), hash, generation, this.now());
        await this.syncNodes(key, ds, plan.delete, plan.create, hash, generation);
      }
      await this.cleanupHistory(ds, ensured.revisions, ensured.revision, selector);
    } catch (e) {
      error = e;
    }
    const status = await this.writeStatus(ds, await this.nodeToDaemonPods(ds, selector), nodes, hash, generation, collisionCount, true);
    if (error) throw error;
    const minReady = ds.spec.minReadySeconds ?? 0;
    if (minReady > 0 && status.numberReady !== status.numberAvailable) requeueAfterMs = Math.min(requeueAfterMs ?? Infinity, minReady * 1000);
    return requeueAfterMs !== undefined ? { requeueAfterMs } : undefined;
  }

  /** The DaemonSet's pods, after adoption and release (upstream getDaemonPods). */
  private daemonPods(ds: DaemonSet, selector: Selector): Promise<Pod[]> {
    const ns = ds.metadata.namespace!;
    return adoptOrRelease(coreV1(this.client).pods(ns), ds, 'DaemonSet', this.pods.namespace(ns).list(), selector);
  }

  /** The DaemonSet's pods by the node each is for. */
  private async nodeToDaemonPods(ds: DaemonSet, selector: Selector): Promise<Map<string, Pod[]>> {
    const out = new Map<string, Pod[]>();
    for (const p of await this.daemonPods(ds, selector)) {
      // deleted pods that finished no longer occupy their node
      if (p.metadata.deletionTimestamp && (p.status?.phase === 'Failed' || p.status?.phase === 'Succeeded')) continue;
      const node = targetNodeName(p);
      if (node === undefined) continue;
      const list = out.get(node);
      if (list) list.push(p);
      else out.set(node, [p]);
    }
    return out;
  }

  /** Creates a pod on each eligible node lacking one and deletes the pods that must go (upstream manage). */
  private async manage(
    key: string,
    ds: DaemonSet,
    selector: Selector,
    nodes: Node[],
    hash: string,
    generation: number | undefined,
  ): Promise<number | undefined> {
    const nodeToPods = await this.nodeToDaemonPods(ds, selector);
    this.failedBackoff.gc();
    const creates: string[] = [];
    const deletes: Pod[] = [];
    const now = this.now();
    let requeueAfterMs: number | undefined;
    for (const node of nodes) {
      const nodeName = node.metadata.name!;
      const plan = planNode(ds, nodeShouldRunDaemonPod(node, ds), nodeToPods.get(nodeName), hash, now);
      if (plan.create) creates.push(nodeName);
      deletes.push(...plan.delete);
      for (const p of plan.failed) {
        // kubelets that keep rejecting a pod must not make us recreate it in a hot loop
        const bk = `${ds.metadata.uid}/${ds.status?.observedGeneration ?? 0}/${nodeName}`;
        const wait = this.failedBackoff.remaining(bk);
        if (wait > 0) {
          requeueAfterMs = Math.min(requeueAfterMs ?? Infinity, wait);
          continue;
        }
        this.failedBackoff.next(bk);
        this.recorder.event(
          ds,
          'Warning',
          'FailedDaemonPod',
          `Found failed daemon pod ${p.metadata.namespace}/${p.metadata.name} on node ${nodeName}, will try to kill it`,
        );
        deletes.push(p);
      }
      for (const p of plan.succeeded) {
        this.recorder.event(
          ds,
          'Normal',
          'SucceededDaemonPod',
          `Found succeeded daemon pod ${p.metadata.namespace}/${p.metadata.name} on node ${nodeName}, will try to delete it`,
        );
        deletes.push(p);
      }
    }
    // pods for nodes that no longer exist and were never bound: the pod GC never sees them
    const existing = new Set(nodes.map((n) => n.metadata.name!));
    for (const [nodeName, pods] of nodeToPods) {
      if (existing.has(nodeName)) continue;
      for (const p of pods) if (!p.spec?.nodeName && !p.metadata.deletionTimestamp) deletes.push(p);
    }
    await this.syncNodes(key, ds, deletes, creates, hash, generation);
    return requeueAfterMs;
  }

  /** Deletes `deletes` and creates a pod on each node of `creates`, at most BURST_REPLICAS of each (upstream syncNodes). */
  private async syncNodes(key: string, ds: DaemonSet, deletes: Pod[], creates: string[], hash: string, generation: number | undefined): Promise<void> {
    const toCreate = creates.slice(0, BURST_REPLICAS);
    const toDelete = deletes.slice(0, BURST_REPLICAS);
    this.expectations.expect(
      key,
      toCreate.length,
      toDelete.map((p) => p.metadata.uid!),
    );
    const ns = ds.metadata.namespace!;
    const podsApi = coreV1(this.client).pods(ns);
    const errors: unknown[] = [];
    if (toCreate.length > 0) {
      const template = daemonPodTemplate(ds.spec.template, generation, hash);
      const ref = newControllerRef(ds, 'apps/v1', 'DaemonSet');
      let next = 0;
      const { successes, error } = await slowStartBatch(toCreate.length, 1, async () => {
        const nodeName = toCreate[next++]!;
        const pod = podFromTemplate(template, ns, ref);
        pod.spec!.affinity = pinToNode(pod.spec?.affinity, nodeName);
        try {
          const created = await podsApi.create(pod);
          this.log.debug({ daemonset: key, pod: `${ns}/${created.metadata.name}`, node: nodeName }, 'Created pod');
          this.recorder.event(ds, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`);
        } catch (e) {
          this.expectations.creationObserved(key);
          // a namespace being torn down refuses every create; nothing to report
          if (isStatusError(e) && e.status.details?.causes?.some((c) => c.reason === 'NamespaceTerminating')) return;
          this.recorder.event(ds, 'Warning', 'FailedCreate', `Error creating: ${errorMessage(e)}`);
          throw e;
        }
      });
      if (error) {
        this.expectations.lowerCreations(key, Math.max(0, toCreate.length - successes - 1));
        errors.push(error);
      }
    }
    const results = await Promise.allSettled(
      toDelete.map(async (p) => {
        try {
          await podsApi.delete(p.metadata.name!, { preconditions: { uid: p.metadata.uid } });
          this.log.debug({ daemonset: key, pod: `${ns}/${p.metadata.name}` }, 'Deleted pod');
          this.recorder.event(ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata.name}`);
        } catch (e) {
          this.expectations.deletionObserved(key, p.metadata.uid);
          if (isStatusError(e) && (e.code === 404 || e.code === 409)) return;
          this.recorder.event(ds, 'Warning', 'FailedDelete', `Error deleting: ${errorMessage(e)}`);
          throw e;
        }
      }),
    );
    for (const r of results) if (r.status === 'rejected') errors.push(r.reason);
    if (errors.length > 0) throw errors[0];
  }

  /** Deletes the oldest revisions beyond revisionHistoryLimit that no pod runs (upstream cleanupHistory). */
  private async cleanupHistory(ds: DaemonSet, revisions: ControllerRevision[], current: ControllerRevision, selector: Selector): Promise<void> {
    const old = revisions.filter((r) => r.metadata.name !== current.metadata.name);
    let toKill = old.length - (ds.spec.revisionHistoryLimit ?? 10);
    if (toKill <= 0) return;
    const liveHashes = new Set<string>();
    for (const pods of (await this.nodeToDaemonPods(ds, selector)).values()) {
      for (const p of pods) {
        const h = p.metadata.labels?.[ControllerRevisionHashLabel];
        if (h) liveHashes.add(h);
      }
    }
    const revClient = new ResourceClient<ControllerRevision>(this.client, Resources.controllerRevisions, ds.metadata.namespace);
    for (const r of [...old].sort((a, b) => (a.revision ?? 0) - (b.revision ?? 0))) {
      if (toKill <= 0) break;
      if (liveHashes.has(r.metadata.labels?.[ControllerRevisionHashLabel] ?? '')) continue;
      try {
        await revClient.delete(r.metadata.name!);
      } catch (e) {
        if (!isStatusError(e) || e.code !== 404) throw e;
      }
      toKill--;
    }
  }

  /** Writes the status counts through daemonsets/status when they changed (upstream storeDaemonSetStatus). */
  private async writeStatus(
    ds: DaemonSet,
    nodeToPods: Map<string, Pod[]>,
    nodes: Node[],
    hash: string,
    generation: number | undefined,
    collisionCount: number,
    updateObservedGeneration: boolean,
  ): Promise<DaemonSetStatus> {
    const counts = computeStatus(ds, nodes, nodeToPods, hash, generation, this.now());
    const cur = ds.status ?? { currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0 };
    const status: DaemonSetStatus = { ...cur, ...counts };
    if (updateObservedGeneration) status.observedGeneration = ds.metadata.generation;
    if (collisionCount > 0 || cur.collisionCount !== undefined) status.collisionCount = collisionCount;
    if (isDeepStrictEqual(status, cur)) return status;
    const api = new ResourceClient<DaemonSet>(this.client, Resources.daemonSets, ds.metadata.namespace);
    for (let attempt = 0; ; attempt++) {
      try {
        const fresh = attempt === 0 ? ds : await api.get(ds.metadata.name!);
        if (fresh.metadata.uid !== ds.metadata.uid) return status;
        await api.updateStatus({ ...fresh, status });
        return status;
      } catch (e) {
        if (isStatusError(e) && e.code === 404) return status;
        if (isStatusError(e) && e.code === 409 && attempt < 3) continue;
        throw e;
      }
    }
  }

  /** Waits until every event recorded so far was written (tests). */
  flushEvents(): Promise<void> {
    return this.recorder.flush();
  }
}
