// The ReplicaSet controller (upstream pkg/controller/replicaset), also run for ReplicationControllers
// through an adapter: informers on the owners and on pods (indexed by owner UID) → work queue →
// reconcile(key): claim pods (adopt matching orphans, release owned pods that no longer match), create or
// delete the difference (slow-start batches of parallel creates, deletions ranked as upstream), guarded by
// expectations so a sync never acts on a cache that has not seen its own writes, then write status.
import type { Pod } from '../../api/core/v1/types.js';
import type { KubeObject } from '../../api/types.js';
import type { Selector } from '../../api/labels.js';
import { isStatusError } from '../../api/errors.js';
import { Controller, type ReconcileResult } from '../../client/controller.js';
import { EventRecorder } from '../../client/events.js';
import type { SharedInformerFactory } from '../../client/informer_factory.js';
import { objectKey } from '../../client/indexer.js';
import type { Lister } from '../../client/listers.js';
import type { KubeClient } from '../../client/rest.js';
import { coreV1, ResourceClient } from '../../client/typed.js';
import type { Logger } from '../../log/logger.js';
import { ControllerExpectations } from '../expectations.js';
import { LastWritten } from '../last_written.js';
import { controllerRefOf, errorMessage, isPodActive, newControllerRef, podFromTemplate, slowStartBatch } from '../controller_utils.js';
import type { ReplicaSetAdapter, ReplicatedObject } from './adapter.js';
import { podsToDelete } from './pod_ranking.js';
import { calculateStatus } from './status.js';
import { isDeepStrictEqual } from 'node:util';

/** At most this many creates or deletes per sync (upstream BurstReplicas). */
export const BURST_REPLICAS = 500;

export interface ReplicaSetControllerOptions {
  factory?: SharedInformerFactory;
  log?: Logger;
  workers?: number;
  burstReplicas?: number;
  now?: () => number;
}

export class ReplicaSetController extends Controller {
  readonly expectations: ControllerExpectations;
  private readonly owners: Lister<ReplicatedObject>;
  private readonly pods: Lister<Pod>;
  private readonly recorder: EventRecorder;
  private readonly burst: number;
  private readonly now: () => number;
  /** Our status writes the owner informer has not shown yet. */
  private readonly written = new LastWritten<ReplicatedObject>();

  constructor(
    private readonly client: KubeClient,
    private readonly adapter: ReplicaSetAdapter,
    opts: ReplicaSetControllerOptions = {},
  ) {
    super({
      name: adapter.kind === 'ReplicaSet' ? 'replicaset' : 'replicationcontroller',
      client,
      factory: opts.factory,
      log: opts.log,
      workers: opts.workers ?? 5,
    });
    this.now = opts.now ?? Date.now;
    this.expectations = new ControllerExpectations(this.now);
    this.burst = opts.burstReplicas ?? BURST_REPLICAS;
    this.recorder = new EventRecorder(client, { component: adapter.controllerName }, (e) => this.log.debug({ err: errorMessage(e) }, 'event write failed'));
    const ownerInformer = this.factory.informerFor<ReplicatedObject>(adapter.ref);
    const podInformer = this.factory.pods();
    this.owners = ownerInformer.lister;
    this.pods = podInformer.lister;
    this.watch(ownerInformer, {
      onAdd: (o) => this.enqueue(o),
      onUpdate: (_old, o) => this.enqueue(o),
      onDelete: (o) => {
        this.expectations.delete(objectKey(o));
        this.written.forget(o.metadata.uid);
        this.enqueue(o);
      },
    });
    this.watch(podInformer, {
      onAdd: (p) => this.podAdded(p),
      onUpdate: (old, p) => this.podUpdated(old, p),
      onDelete: (p) => this.podDeleted(p),
    });
  }

  /** The owner of our kind a controller reference points to, when it exists with that UID. */
  private resolveRef(namespace: string | undefined, ref: { kind: string; name: string; uid: string } | undefined): ReplicatedObject | undefined {
    if (!ref || ref.kind !== this.adapter.kind || !namespace) return undefined;
    const owner = this.owners.namespace(namespace).get(ref.name);
    return owner && owner.metadata.uid === ref.uid ? owner : undefined;
  }

  /** Owners of our kind in the pod's namespace whose selector matches it (for orphans). */
  private matchingOwners(pod: Pod): ReplicatedObject[] {
    const labels = pod.metadata.labels;
    if (!labels || !pod.metadata.namespace) return [];
    return this.owners
      .namespace(pod.metadata.namespace)
      .list()
      .filter((o) => {
        try {
          const s = this.adapter.selector(o);
          return !s.empty() && s.matches(labels);
        } catch {
          return false;
        }
      });
  }

  private podAdded(pod: Pod): void {
    if (pod.metadata.deletionTimestamp) return this.podDeleted(pod);
    const ref = controllerRefOf(pod);
    if (ref) {
      const owner = this.resolveRef(pod.metadata.namespace, ref);
      if (!owner) return;
      const key = objectKey(owner);
      this.expectations.creationObserved(key);
      this.queue.add(key);
      return;
    }
    for (const o of this.matchingOwners(pod)) this.enqueue(o);
  }

  private podUpdated(old: Pod, pod: Pod): void {
    if (pod.metadata.resourceVersion === old.metadata.resourceVersion) return;
    if (pod.metadata.deletionTimestamp && !old.metadata.deletionTimestamp) {
      // graceful deletion began: for us the pod is gone
      this.podDeleted(pod);
      const oldOwner = this.resolveRef(old.metadata.namespace, controllerRefOf(old));
      if (oldOwner && objectKey(oldOwner) !== objectKey(pod)) this.enqueue(oldOwner);
      return;
    }
    const oldRef = controllerRefOf(old);
    const ref = controllerRefOf(pod);
    if (oldRef && (!ref || oldRef.uid !== ref.uid)) {
      const prev = this.resolveRef(old.metadata.namespace, oldRef);
      if (prev) this.enqueue(prev);
    }
    if (ref) {
      const owner = this.resolveRef(pod.metadata.namespace, ref);
      if (!owner) return;
      this.enqueue(owner);
      // a pod that just became ready becomes available minReadySeconds later
      const minReady = owner.spec?.minReadySeconds ?? 0;
      if (minReady > 0) this.queue.addAfter(objectKey(owner), minReady * 1000 + 1000);
      return;
    }
    if (!isDeepStrictEqual(old.metadata.labels, pod.metadata.labels) || oldRef) for (const o of this.matchingOwners(pod)) this.enqueue(o);
  }

  private podDeleted(pod: Pod): void {
    const owner = this.resolveRef(pod.metadata.namespace, controllerRefOf(pod));
    if (!owner) return;
    const key = objectKey(owner);
    this.expectations.deletionObserved(key, pod.metadata.uid);
    this.queue.add(key);
  }

  private ownerClient(namespace: string): ResourceClient<ReplicatedObject> {
    return new ResourceClient<ReplicatedObject>(this.client, this.adapter.ref, namespace);
  }

  protected async reconcile(key: string): Promise<ReconcileResult | void> {
    const [namespace, name] = key.split('/') as [string, string];
    const cached = this.owners.namespace(namespace).get(name);
    if (!cached) {
      this.expectations.delete(key);
      return;
    }
    const rs = this.written.fresh(cached);
    let selector: Selector;
    try {
      selector = this.adapter.selector(rs);
    } catch (e) {
      this.recorder.event(rs, 'Warning', 'InvalidSelector', `Invalid selector: ${errorMessage(e)}`);
      return;
    }
    const needsSync = this.expectations.satisfied(key);
    const active = this.pods
      .namespace(namespace)
      .list()
      .filter((p) => isPodActive(p));
    const pods = await this.claimPods(rs, selector, active);

    let manageError: { reason: string; message: string } | undefined;
    let thrown: unknown;
    if (needsSync && !rs.metadata.deletionTimestamp) {
      try {
        await this.manageReplicas(key, rs, pods);
      } catch (e) {
        thrown = e;
        manageError = { reason: (e as { reason?: string }).reason ?? 'FailedCreate', message: errorMessage(e) };
      }
    }
    const now = this.now();
    const status = calculateStatus(rs, pods, manageError, now);
    status.observedGeneration = rs.metadata.generation;
    const updated = await this.updateStatus(rs, status);
    if (thrown) throw thrown;
    const minReady = rs.spec?.minReadySeconds ?? 0;
    if (minReady > 0 && (updated.status?.readyReplicas ?? 0) !== (updated.status?.availableReplicas ?? 0)) return { requeueAfterMs: minReady * 1000 };
  }

  /** Adopts matching orphans and releases owned pods that no longer match (upstream ClaimPods). */
  private async claimPods(rs: ReplicatedObject, selector: Selector, pods: Pod[]): Promise<Pod[]> {
    const uid = rs.metadata.uid!;
    const claimed: Pod[] = [];
    let canAdopt: boolean | undefined;
    const podsApi = coreV1(this.client).pods(rs.metadata.namespace);
    for (const pod of pods) {
      const ref = controllerRefOf(pod);
      const matches = !selector.empty() && selector.matches(pod.metadata.labels);
      if (ref) {
        if (ref.uid !== uid) continue;
        if (matches || rs.metadata.deletionTimestamp) {
          claimed.push(pod);
          continue;
        }
        // ours but no longer selected: release it
        try {
          await podsApi.patch(pod.metadata.name!, { metadata: { ownerReferences: [{ $patch: 'delete', uid }], uid: pod.metadata.uid } }, 'strategic');
        } catch (e) {
          if (!isStatusError(e) || (e.code !== 404 && e.code !== 422)) throw e;
        }
        continue;
      }
      if (!matches || rs.metadata.deletionTimestamp || pod.metadata.deletionTimestamp) continue;
      // an orphan we select: adopt it, once we know (from the API, not the cache) that we still exist
      canAdopt ??= await this.canAdopt(rs);
      if (!canAdopt) continue;
      try {
        const adopted = await podsApi.patch(
          pod.metadata.name!,
          { metadata: { ownerReferences: [newControllerRef(rs, this.adapter.apiVersion, this.adapter.kind)], uid: pod.metadata.uid } },
          'strategic',
        );
        claimed.push(adopted);
      } catch (e) {
        if (!isStatusError(e) || (e.code !== 404 && e.code !== 422)) throw e;
      }
    }
    return claimed;
  }

  private async canAdopt(rs: ReplicatedObject): Promise<boolean> {
    try {
      const fresh = await this.ownerClient(rs.metadata.namespace!).get(rs.metadata.name!);
      return fresh.metadata.uid === rs.metadata.uid && !fresh.metadata.deletionTimestamp;
    } catch (e) {
      if (isStatusError(e) && e.code === 404) return false;
      throw e;
    }
  }

  private async manageReplicas(key: string, rs: ReplicatedObject, pods: Pod[]): Promise<void> {
    const want = rs.spec?.replicas ?? 1;
    const diff = pods.length - want;
    const namespace = rs.metadata.namespace!;
    const podsApi = coreV1(this.client).pods(namespace);
    if (diff < 0) {
      const n = Math.min(-diff, this.burst);
      const ref = newControllerRef(rs, this.adapter.apiVersion, this.adapter.kind);
      const template = rs.spec?.template ?? {};
      this.expectations.expectCreations(key, n);
      const { successes, error } = await slowStartBatch(n, 1, async () => {
        try {
          const pod = await podsApi.create(podFromTemplate(template, namespace, ref));
          this.recorder.event(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`);
        } catch (e) {
          // this create will never be observed
          this.expectations.creationObserved(key);
          if (isStatusError(e) && e.reason === 'AlreadyExists') return;
          this.recorder.event(rs, 'Warning', 'FailedCreate', `Error creating: ${errorMessage(e)}`);
          throw e;
        }
      });
      // the batches that never ran will not be observed either
      const attempted = successes + (error ? 1 : 0);
      if (error) {
        this.expectations.lowerCreations(key, Math.max(0, n - attempted));
        throw Object.assign(new Error(errorMessage(error)), { reason: 'FailedCreate' });
      }
      return;
    }
    if (diff > 0) {
      const n = Math.min(diff, this.burst);
      const victims = podsToDelete(pods, n, this.now());
      this.expectations.expectDeletions(
        key,
        victims.map((p) => p.metadata.uid!),
      );
      const results = await Promise.allSettled(
        victims.map(async (p) => {
          try {
            await podsApi.delete(p.metadata.name!);
            this.recorder.event(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata.name}`);
          } catch (e) {
            this.expectations.deletionObserved(key, p.metadata.uid);
            if (isStatusError(e) && e.code === 404) return;
            this.recorder.event(rs, 'Warning', 'FailedDelete', `Error deleting: ${errorMessage(e)}`);
            throw e;
          }
        }),
      );
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw Object.assign(new Error(errorMessage(failed.reason)), { reason: 'FailedDelete' });
    }
  }

  /** Writes status through /status when it changed; retries a conflict once on a fresh copy. */
  private async updateStatus(rs: ReplicatedObject, status: ReplicatedObject['status']): Promise<ReplicatedObject> {
    if (isDeepStrictEqual(rs.status ?? {}, status)) return rs;
    const api = this.ownerClient(rs.metadata.namespace!);
    let cur: ReplicatedObject = rs;
    for (let attempt = 0; ; attempt++) {
      try {
        const updated = await api.updateSubresource<ReplicatedObject>(cur.metadata.name!, 'status', { ...cur, status } as KubeObject);
        this.written.wrote(cur, updated);
        return updated;
      } catch (e) {
        if (!isStatusError(e) || e.code !== 409 || attempt >= 1) throw e;
        cur = await api.get(rs.metadata.name!);
        if (cur.metadata.uid !== rs.metadata.uid) return cur;
      }
    }
  }

  /** Waits until every event recorded so far was written (tests). */
  flushEvents(): Promise<void> {
    return this.recorder.flush();
  }
}
