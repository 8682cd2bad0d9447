// The StatefulSet controller (upstream pkg/controller/statefulset): informers on StatefulSets, their pods and
// ControllerRevisions → work queue → reconcile(set): adopt/release pods, find the current and update
// revisions, create missing ordinals and delete condemned ones (one at a time, in order, each Running and
// Ready first under OrderedReady, where an unavailable condemned pod waits for those below it; all at once under
// Parallel), roll pods to the update revision from the
// highest ordinal down to the partition, then write status and trim the revision history.
import type { ControllerRevision, StatefulSet, StatefulSetStatus } from '../../api/apps/v1/workload_types.js';
import type { Pod } from '../../api/core/v1/types.js';
import { isStatusError } from '../../api/errors.js';
import { labelSelectorAsSelector, type Selector } from '../../api/labels.js';
import { Controller, type ReconcileResult } from '../../client/controller.js';
import { EventRecorder } from '../../client/events.js';
import type { SharedInformerFactory } from '../../client/informer_factory.js';
import type { Lister } from '../../client/listers.js';
import type { KubeClient } from '../../client/rest.js';
import type { SharedIndexInformer } from '../../client/shared_informer.js';
import { coreV1, ResourceClient, Resources } from '../../client/typed.js';
import type { Logger } from '../../log/logger.js';
import { controllerRefOf, ensureRevision, templateOf, templatePatch, truncateHistory } from '../history/controller_history.js';
import { isPodAvailable, isRunningAndReady, isTerminating, msUntilAvailable } from '../pod_readiness.js';
import { identityMatches, isInRange, isMemberOf, newStatefulSetPod, ordinalOf, podRevision, startOrdinal } from './stateful_pod.js';
import { adoptOrRelease } from '../pod_ownership.js';

export interface StatefulSetControllerOptions {
  factory?: SharedInformerFactory;
  log?: Logger;
  workers?: number;
}

export class StatefulSetController extends Controller {
  private readonly sets: Lister<StatefulSet>;
  private readonly pods: Lister<Pod>;
  private readonly revisionLister: Lister<ControllerRevision>;
  private readonly recorder: EventRecorder;

  constructor(
    private readonly client: KubeClient,
    opts: StatefulSetControllerOptions = {},
  ) {
    super({ name: 'statefulset', client, factory: opts.factory, log: opts.log, workers: opts.workers ?? 2 });
    const setInformer = this.factory.informerFor<StatefulSet>(Resources.statefulSets);
    const podInformer = this.factory.pods();
    const revInformer = this.factory.informerFor<ControllerRevision>(Resources.controllerRevisions);
    this.sets = setInformer.lister;
    this.pods = podInformer.lister;
    this.revisionLister = revInformer.lister;
    this.recorder = new EventRecorder(client, { component: 'statefulset-controller' }, (e) => this.log.debug({ err: String(e) }, 'event write failed'));
    this.watch(setInformer, this.enqueueAll<StatefulSet>());
    this.watch(podInformer as SharedIndexInformer<Pod>, {
      onAdd: (p) => this.enqueueOwnerOf(p),
      onUpdate: (old, p) => {
        this.enqueueOwnerOf(p);
        if (controllerRefOf(old)?.uid !== controllerRefOf(p)?.uid) this.enqueueOwnerOf(old);
      },
      onDelete: (p) => this.enqueueOwnerOf(p),
    });
    this.watch(revInformer, {
      onAdd: (r) => this.enqueueOwnerOf(r),
      onDelete: (r) => this.enqueueOwnerOf(r),
    });
  }

  /** The set controlling a pod or revision; for an orphan pod, every set in its namespace that selects it. */
  private enqueueOwnerOf(obj: Pod | ControllerRevision): void {
    const ns = obj.metadata.namespace!;
    const ref = controllerRefOf(obj);
    if (ref) {
      if (ref.kind !== 'StatefulSet') return;
      const set = this.sets.namespace(ns).get(ref.name);
      if (set && set.metadata.uid === ref.uid) this.enqueue(set);
      return;
    }
    if (obj.kind === 'ControllerRevision' || obj.metadata.deletionTimestamp) return;
    for (const set of this.sets.namespace(ns).list()) {
      try {
        if (labelSelectorAsSelector(set.spec.selector).matches(obj.metadata.labels)) this.enqueue(set);
      } catch {
        /* an invalid selector selects nothing */
      }
    }
  }

  protected async reconcile(key: string): Promise<ReconcileResult | void> {
    const [ns, name] = key.split('/') as [string, string];
    const cached = this.sets.namespace(ns).get(name);
    if (!cached || cached.metadata.deletionTimestamp) return;
    const set = structuredClone(cached);
    let selector: Selector;
    try {
      selector = labelSelectorAsSelector(set.spec.selector);
    } catch (e) {
      this.recorder.event(set, 'Warning', 'InvalidSelector', `invalid label selector: ${(e as Error).message}`);
      return;
    }
    const podClient = coreV1(this.client).pods(ns);
    const pods = await adoptOrRelease(podClient, set, 'StatefulSet', this.pods.namespace(ns).list(), selector, (p) => isMemberOf(set, p));

    const revClient = new ResourceClient<ControllerRevision>(this.client, Resources.controllerRevisions, ns);
    // its revisions as its pods: orphans the selector matches are adopted (a set recreated after --cascade=orphan)
    const owned = await adoptOrRelease(revClient, set, 'StatefulSet', this.revisionLister.namespace(ns).list(), selector);
    const ensured = await ensureRevision(
      revClient,
      owned,
      { obj: set, kind: 'StatefulSet', data: templatePatch(set.spec.template), labels: set.spec.template?.metadata?.labels ?? {} },
      set.status?.collisionCount ?? 0,
    );
    const updateRevision = ensured.revision;
    const currentRevision = ensured.revisions.find((r) => r.metadata.name === set.status?.currentRevision) ?? updateRevision;
    const currentSet: StatefulSet = { ...set, spec: { ...set.spec, template: templateOf(currentRevision) } };

    const result = await this.syncPods(set, currentSet, pods, currentRevision.metadata.name!, updateRevision.metadata.name!);
    const status = this.computeStatus(set, this.ownedPods(set), currentRevision.metadata.name!, updateRevision.metadata.name!, ensured.collisionCount);
    await this.writeStatus(set, status);

    const live = new Set<string>([status.currentRevision!, status.updateRevision!]);
    for (const p of this.ownedPods(set)) live.add(podRevision(p));
    await truncateHistory(revClient, ensured.revisions, live, set.spec.revisionHistoryLimit ?? 10);
    return result;
  }

  private ownedPods(set: StatefulSet): Pod[] {
    return this.pods.byOwner(set.metadata.uid!).filter((p) => controllerRefOf(p)?.uid === set.metadata.uid && isMemberOf(set, p));
  }

  /** Creates, deletes and rolls pods; stops early where OrderedReady must wait. */
  private async syncPods(set: StatefulSet, currentSet: StatefulSet, pods: Pod[], currentRev: string, updateRev: string): Promise<ReconcileResult | void> {
    const monotonic = (set.spec.podManagementPolicy ?? 'OrderedReady') === 'OrderedReady';
    const start = startOrdinal(set);
    const count = set.spec.replicas ?? 1;
    const minReady = set.spec.minReadySeconds ?? 0;
    const replicas: (Pod | undefined)[] = new Array(count).fill(undefined);
    const condemned: Pod[] = [];
    for (const p of pods) {
      const ord = ordinalOf(p);
      if (isInRange(set, ord)) replicas[ord - start] = p;
      else condemned.push(p);
    }
    condemned.sort((a, b) => ordinalOf(b) - ordinalOf(a));
    const strategy = set.spec.updateStrategy ?? {};
    const partition = strategy.type === 'RollingUpdate' ? (strategy.rollingUpdate?.partition ?? 0) : 0;
    let requeueAfterMs: number | undefined;
    const waitAvailable = (p: Pod) => {
      const ms = msUntilAvailable(p, minReady, Date.now());
      if (ms > 0) requeueAfterMs = Math.min(requeueAfterMs ?? Infinity, ms + 50);
    };

    for (let i = 0; i < count; i++) {
      const ordinal = start + i;
      let pod = replicas[i];
      if (pod && (pod.status?.phase === 'Failed' || pod.status?.phase === 'Succeeded') && !isTerminating(pod)) {
        // a finished pod is replaced: delete it, create it again once it is gone
        await this.deletePod(set, pod);
        if (monotonic) return;
        continue;
      }
      if (!pod) {
        const useCurrent =
          strategy.type === 'RollingUpdate' &&
          ((strategy.rollingUpdate === undefined && ordinal < start + (set.status?.currentReplicas ?? 0)) ||
            (strategy.rollingUpdate !== undefined && ordinal < start + partition));
        pod = useCurrent ? newStatefulSetPod(currentSet, ordinal, currentRev) : newStatefulSetPod(set, ordinal, updateRev);
        await this.createPod(set, pod);
        if (monotonic) return;
        continue;
      }
      if (isTerminating(pod)) {
        if (monotonic) return;
        continue;
      }
      if (!isRunningAndReady(pod) || !isPodAvailable(pod, minReady, Date.now())) {
        waitAvailable(pod);
        if (monotonic) return requeueAfterMs !== undefined ? { requeueAfterMs } : undefined;
        continue;
      }
      if (!identityMatches(set, pod)) await this.fixIdentity(set, pod);
    }

    // upstream's firstUnhealthyPod: the lowest unavailable replica, else the lowest unavailable condemned pod. Under
    // OrderedReady only that one may be deleted while unavailable; any other unavailable pod blocks the scale-down
    // until the ones below it are healthy (a healthy condemned pod is deleted regardless).
    const now = Date.now();
    const unavailable = (p: Pod) => isTerminating(p) || !isRunningAndReady(p) || !isPodAvailable(p, minReady, now);
    const firstUnhealthy = replicas.some((p) => !p || unavailable(p)) ? undefined : [...condemned].reverse().find(unavailable);
    for (const pod of condemned) {
      if (isTerminating(pod)) {
        if (monotonic) return;
        continue;
      }
      if (monotonic && pod !== firstUnhealthy && unavailable(pod)) {
        waitAvailable(pod);
        if (firstUnhealthy) waitAvailable(firstUnhealthy);
        return requeueAfterMs !== undefined ? { requeueAfterMs } : undefined;
      }
      await this.deletePod(set, pod);
      if (monotonic) return;
    }

    if (strategy.type === 'RollingUpdate') {
      for (let i = count - 1; i >= Math.min(partition, count); i--) {
        const pod = replicas[i];
        if (!pod) continue;
        if (podRevision(pod) !== updateRev && !isTerminating(pod)) {
          await this.deletePod(set, pod);
          return;
        }
        if (isTerminating(pod) || !isRunningAndReady(pod)) return;
      }
    }
    return requeueAfterMs !== undefined ? { requeueAfterMs } : undefined;
  }

  private async createPod(set: StatefulSet, pod: Pod): Promise<void> {
    try {
      await coreV1(this.client).pods(set.metadata.namespace).create(pod);
    } catch (e) {
      // created by an earlier pass whose pod the cache has not shown yet
      if (isStatusError(e) && e.code === 409) return;
      this.recorder.event(
        set,
        'Warning',
        'FailedCreate',
        `create Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} failed error: ${(e as Error).message}`,
      );
      throw e;
    }
    this.log.info({ statefulset: `${set.metadata.namespace}/${set.metadata.name}`, pod: `${set.metadata.namespace}/${pod.metadata.name}` }, 'Created pod');
    this.recorder.event(set, 'Normal', 'SuccessfulCreate', `create Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} successful`);
  }

  private async deletePod(set: StatefulSet, pod: Pod): Promise<void> {
    try {
      await coreV1(this.client)
        .pods(set.metadata.namespace)
        .delete(pod.metadata.name!, { preconditions: { uid: pod.metadata.uid } });
    } catch (e) {
      if (isStatusError(e) && (e.code === 404 || e.code === 409)) return;
      this.recorder.event(
        set,
        'Warning',
        'FailedDelete',
        `delete Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} failed error: ${(e as Error).message}`,
      );
      throw e;
    }
    this.log.info({ statefulset: `${set.metadata.namespace}/${set.metadata.name}`, pod: `${set.metadata.namespace}/${pod.metadata.name}` }, 'Deleted pod');
    this.recorder.event(set, 'Normal', 'SuccessfulDelete', `delete Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} successful`);
  }

  /** Labels of the pod's identity put back (hostname and subdomain are immutable pod fields). */
  private async fixIdentity(set: StatefulSet, pod: Pod): Promise<void> {
    const name = pod.metadata.name!;
    const labels = { 'statefulset.kubernetes.io/pod-name': name, 'apps.kubernetes.io/pod-index': String(ordinalOf(pod)) };
    if (Object.entries(labels).every(([k, v]) => pod.metadata.labels?.[k] === v)) return;
    await coreV1(this.client).pods(set.metadata.namespace).patch(name, { metadata: { labels } }, 'merge');
  }

  private computeStatus(set: StatefulSet, pods: Pod[], currentRev: string, updateRev: string, collisionCount: number): StatefulSetStatus {
    const minReady = set.spec.minReadySeconds ?? 0;
    const now = Date.now();
    const st: StatefulSetStatus = {
      observedGeneration: set.metadata.generation,
      replicas: 0,
      readyReplicas: 0,
      currentReplicas: 0,
      updatedReplicas: 0,
      availableReplicas: 0,
      currentRevision: currentRev,
      updateRevision: updateRev,
      collisionCount,
    };
    for (const p of pods) {
      st.replicas++;
      if (isRunningAndReady(p)) {
        st.readyReplicas!++;
        if (isPodAvailable(p, minReady, now)) st.availableReplicas!++;
      }
      if (!isTerminating(p)) {
        if (podRevision(p) === currentRev) st.currentReplicas!++;
        if (podRevision(p) === updateRev) st.updatedReplicas!++;
      }
    }
    // completeRollingUpdate: every pod at the update revision and ready → it is the current revision
    if ((set.spec.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate' && st.updatedReplicas === st.replicas && st.readyReplicas === st.replicas) {
      st.currentReplicas = st.updatedReplicas;
      st.currentRevision = updateRev;
    }
    if (set.status?.conditions) st.conditions = set.status.conditions;
    return st;
  }

  private async writeStatus(set: StatefulSet, status: StatefulSetStatus): Promise<void> {
    const cur = set.status ?? { replicas: 0 };
    const same = (Object.keys(status) as (keyof StatefulSetStatus)[]).every((k) => JSON.stringify(cur[k]) === JSON.stringify(status[k]));
    if (same) return;
    // PUT on statefulsets/status, as upstream (the controller's role has update, not patch, there)
    const sets = new ResourceClient<StatefulSet>(this.client, Resources.statefulSets, set.metadata.namespace);
    for (let attempt = 0; ; attempt++) {
      try {
        const fresh = attempt === 0 ? structuredClone(set) : await sets.get(set.metadata.name!);
        if (fresh.metadata.uid !== set.metadata.uid) return;
        fresh.status = status;
        await sets.updateStatus(fresh);
        return;
      } catch (e) {
        if (isStatusError(e) && e.code === 404) return;
        if (isStatusError(e) && e.code === 409 && attempt < 3) continue;
        throw e;
      }
    }
  }
}
