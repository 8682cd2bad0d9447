// The Deployment controller (upstream pkg/controller/deployment): informers on Deployments, ReplicaSets and
// pods → work queue → reconcile(key): claim the ReplicaSets the selector owns, find or create the new one
// (named by the template's pod-template-hash), then RollingUpdate (scale the new one up within maxSurge,
// old ones down within maxUnavailable) or Recreate (old ones to 0 and their pods gone, then the new one
// up), proportional scaling when spec.replicas changes mid-rollout, revision annotations and history
// cleanup, and status with the Available and Progressing conditions. Running pods are never changed: a
// template change makes a new ReplicaSet.
import { isDeepStrictEqual } from 'node:util';
import type { Deployment, DeploymentStatus, ReplicaSet } from '../../api/apps/v1/types.js';
import type { Pod } from '../../api/core/v1/types.js';
import { isStatusError } from '../../api/errors.js';
import { labelSelectorAsSelector, type Selector } from '../../api/labels.js';
import { Controller, type ReconcileResult } from '../../client/controller.js';
import { EventRecorder, timestamp } from '../../client/events.js';
import type { SharedInformerFactory } from '../../client/informer_factory.js';
import type { Lister } from '../../client/listers.js';
import type { KubeClient } from '../../client/rest.js';
import { appsV1, Resources } from '../../client/typed.js';
import type { Logger } from '../../log/logger.js';
import { controllerRefOf, errorMessage, newControllerRef } from '../controller_utils.js';
import { LastWritten } from '../last_written.js';
import { getCondition, newCondition, REASON, removeCondition, setCondition } from './conditions.js';
import { computeHash, equalIgnoreHash, POD_TEMPLATE_HASH_LABEL } from './hash.js';
import {
  DESIRED_REPLICAS_ANNOTATION,
  MAX_REPLICAS_ANNOTATION,
  maxSurge,
  maxUnavailable,
  newRSNewReplicas,
  proportionalSizes,
  totalAvailable,
  totalReplicas,
} from './rollout_math.js';

export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY_ANNOTATION = 'deployment.kubernetes.io/revision-history';
/** Deployment annotations not copied to its ReplicaSets (upstream skipCopyAnnotation). */
const NOT_COPIED = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  REVISION_ANNOTATION,
  REVISION_HISTORY_ANNOTATION,
  DESIRED_REPLICAS_ANNOTATION,
  MAX_REPLICAS_ANNOTATION,
  'deprecated.deployment.rollback.to',
]);

const replicasOf = (o: { spec?: { replicas?: number } }) => o.spec?.replicas ?? 0;
const revisionOf = (rs: ReplicaSet) => Number(rs.metadata.annotations?.[REVISION_ANNOTATION] ?? 0) || 0;
const createdAt = (rs: ReplicaSet) => Date.parse(rs.metadata.creationTimestamp ?? '') || 0;

export interface DeploymentControllerOptions {
  factory?: SharedInformerFactory;
  log?: Logger;
  workers?: number;
  now?: () => number;
}

export class DeploymentController extends Controller {
  private readonly deployments: Lister<Deployment>;
  private readonly replicaSets: Lister<ReplicaSet>;
  private readonly pods: Lister<Pod>;
  private readonly recorder: EventRecorder;
  private readonly now: () => number;
  /** Our writes of Deployments (status, revision) the informer has not shown yet. */
  private readonly written = new LastWritten<Deployment>();

  constructor(
    private readonly client: KubeClient,
    opts: DeploymentControllerOptions = {},
  ) {
    super({ name: 'deployment', client, factory: opts.factory, log: opts.log, workers: opts.workers ?? 5 });
    this.now = opts.now ?? Date.now;
    this.recorder = new EventRecorder(client, { component: 'deployment-controller' }, (e) => this.log.debug({ err: errorMessage(e) }, 'event write failed'));
    const dInf = this.factory.informerFor<Deployment>(Resources.deployments);
    const rsInf = this.factory.informerFor<ReplicaSet>(Resources.replicaSets);
    const podInf = this.factory.pods();
    this.deployments = dInf.lister;
    this.replicaSets = rsInf.lister;
    this.pods = podInf.lister;
    this.watch(dInf, {
      onAdd: (d) => this.enqueue(d),
      onUpdate: (_old, d) => this.enqueue(d),
      onDelete: (d) => {
        this.written.forget(d.metadata.uid);
        this.enqueue(d);
      },
    });
    const rsChanged = (rs: ReplicaSet) => this.enqueueOwnerOf(rs);
    this.watch(rsInf, { onAdd: rsChanged, onUpdate: (old, rs) => (rsChanged(rs), this.enqueueOwnerOf(old)), onDelete: rsChanged });
    // Recreate waits for the old pods to be gone
    this.watch(podInf, {
      onDelete: (pod) => {
        const ref = controllerRefOf(pod);
        if (ref?.kind !== 'ReplicaSet' || !pod.metadata.namespace) return;
        const rs = this.replicaSets.namespace(pod.metadata.namespace).get(ref.name);
        if (rs) this.enqueueOwnerOf(rs);
      },
    });
  }

  private enqueueOwnerOf(rs: ReplicaSet): void {
    const ref = controllerRefOf(rs);
    const ns = rs.metadata.namespace;
    if (!ns) return;
    if (ref) {
      if (ref.kind !== 'Deployment') return;
      const d = this.deployments.namespace(ns).get(ref.name);
      if (d && d.metadata.uid === ref.uid) this.enqueue(d);
      return;
    }
    // an orphan: every deployment that selects it may adopt it
    for (const d of this.deployments.namespace(ns).list()) {
      const sel = this.selectorOf(d);
      if (sel && !sel.empty() && sel.matches(rs.metadata.labels)) this.enqueue(d);
    }
  }

  private selectorOf(d: Deployment): Selector | undefined {
    try {
      return labelSelectorAsSelector(d.spec?.selector);
    } catch {
      return undefined;
    }
  }

  protected async reconcile(key: string): Promise<ReconcileResult | void> {
    const [namespace, name] = key.split('/') as [string, string];
    const cached = this.deployments.namespace(namespace).get(name);
    if (!cached) return;
    const d = structuredClone(this.written.fresh(cached));
    const selector = this.selectorOf(d);
    if (!selector || selector.empty()) {
      this.recorder.event(d, 'Warning', 'SelectingAll', 'This deployment is selecting all pods. A non-empty selector is required.');
      return;
    }
    const rsList = await this.claimReplicaSets(d, selector);
    if (d.metadata.deletionTimestamp) {
      await this.syncStatusOnly(d, rsList);
      return;
    }
    // pause/resume is recorded in Progressing with reason DeploymentPaused / DeploymentResumed
    const status: DeploymentStatus = structuredClone(d.status ?? {});
    const progressing = getCondition(status, 'Progressing');
    const nowStr = timestamp(new Date(this.now()));
    if (d.spec?.paused && progressing?.reason !== REASON.paused)
      setCondition(status, newCondition('Progressing', 'Unknown', REASON.paused, 'Deployment is paused', nowStr));
    else if (!d.spec?.paused && progressing?.reason === REASON.paused)
      setCondition(status, newCondition('Progressing', 'Unknown', REASON.resumed, 'Deployment is resumed', nowStr));
    d.status = status;

    if (d.spec?.paused) {
      await this.sync(d, rsList);
      return;
    }
    if (this.isScalingEvent(d, rsList)) {
      await this.sync(d, rsList);
      return;
    }
    return d.spec?.strategy?.type === 'Recreate' ? this.rolloutRecreate(d, rsList) : this.rolloutRolling(d, rsList);
  }

  /** Owned ReplicaSets, plus matching orphans adopted (upstream ClaimReplicaSets). */
  private async claimReplicaSets(d: Deployment, selector: Selector): Promise<ReplicaSet[]> {
    const uid = d.metadata.uid!;
    const out: ReplicaSet[] = [];
    const api = appsV1(this.client).replicaSets(d.metadata.namespace);
    for (const rs of this.replicaSets.namespace(d.metadata.namespace!).list()) {
      const ref = controllerRefOf(rs);
      const matches = selector.matches(rs.metadata.labels);
      if (ref) {
        if (ref.uid !== uid) continue;
        if (matches || d.metadata.deletionTimestamp) out.push(rs);
        else
          await api
            .patch(rs.metadata.name!, { metadata: { ownerReferences: [{ $patch: 'delete', uid }], uid: rs.metadata.uid } }, 'strategic')
            .catch((e) => ignoreGone(e));
        continue;
      }
      if (!matches || d.metadata.deletionTimestamp || rs.metadata.deletionTimestamp) continue;
      try {
        out.push(
          await api.patch(
            rs.metadata.name!,
            { metadata: { ownerReferences: [newControllerRef(d, 'apps/v1', 'Deployment')], uid: rs.metadata.uid } },
            'strategic',
          ),
        );
      } catch (e) {
        ignoreGone(e);
      }
    }
    return out;
  }

  private findNewRS(d: Deployment, rsList: ReplicaSet[]): ReplicaSet | undefined {
    // the oldest of equal templates wins, as upstream
    return [...rsList].sort((a, b) => createdAt(a) - createdAt(b)).find((rs) => equalIgnoreHash(rs.spec?.template, d.spec?.template));
  }

  /** The new ReplicaSet with its revision annotations up to date, created when `create` and missing. */
  private async getNewRS(d: Deployment, rsList: ReplicaSet[], create: boolean): Promise<ReplicaSet | undefined> {
    const existing = this.findNewRS(d, rsList);
    const olds = rsList.filter((rs) => rs !== existing);
    const maxOld = Math.max(0, ...olds.map(revisionOf));
    const api = appsV1(this.client).replicaSets(d.metadata.namespace);
    const status = (d.status ??= {});
    const nowStr = timestamp(new Date(this.now()));
    if (existing) {
      const want = this.annotationsFor(d, existing, maxOld + 1);
      let rs = existing;
      if (!isDeepStrictEqual(want, existing.metadata.annotations ?? {})) {
        rs = await api.update({ ...existing, metadata: { ...existing.metadata, annotations: want } });
      }
      this.setDeploymentRevision(d, rs);
      if (!getCondition(status, 'Progressing'))
        setCondition(status, newCondition('Progressing', 'True', REASON.foundNewReplicaSet, `Found new replica set "${rs.metadata.name}"`, nowStr));
      return rs;
    }
    if (!create) return undefined;
    const hash = computeHash(d.spec?.template, status.collisionCount);
    const template = structuredClone(d.spec!.template!);
    template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, [POD_TEMPLATE_HASH_LABEL]: hash } };
    const selector = structuredClone(d.spec!.selector!);
    selector.matchLabels = { ...selector.matchLabels, [POD_TEMPLATE_HASH_LABEL]: hash };
    const draft: ReplicaSet = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: `${d.metadata.name}-${hash}`,
        namespace: d.metadata.namespace,
        labels: template.metadata.labels,
        ownerReferences: [newControllerRef(d, 'apps/v1', 'Deployment')],
      },
      spec: { replicas: 0, minReadySeconds: d.spec?.minReadySeconds ?? 0, selector, template },
    };
    draft.spec!.replicas = newRSNewReplicas(d, rsList, draft);
    draft.metadata.annotations = this.annotationsFor(d, draft, maxOld + 1);
    let created: ReplicaSet;
    try {
      created = await api.create(draft);
    } catch (e) {
      if (isStatusError(e) && e.reason === 'AlreadyExists') {
        // a ReplicaSet of that name with another template: a hash collision; bump the count and retry
        const other = await api.get(draft.metadata.name!).catch(() => undefined);
        if (other && controllerRefOf(other)?.uid === d.metadata.uid && equalIgnoreHash(other.spec?.template, d.spec?.template)) return other;
        status.collisionCount = (status.collisionCount ?? 0) + 1;
        await this.writeStatus(d, status);
        throw new Error(`hash collision for ReplicaSet ${draft.metadata.name}; collisionCount now ${status.collisionCount}`);
      }
      const msg = `Failed to create new replica set "${draft.metadata.name}": ${errorMessage(e)}`;
      this.recorder.event(d, 'Warning', REASON.failedCreate, msg);
      setCondition(status, newCondition('ReplicaFailure', 'True', REASON.failedCreate, msg, nowStr));
      await this.writeStatus(d, status);
      throw e;
    }
    if (replicasOf(created) > 0)
      this.recorder.event(d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${created.metadata.name} from 0 to ${replicasOf(created)}`);
    this.setDeploymentRevision(d, created);
    removeCondition(status, 'Progressing');
    setCondition(status, newCondition('Progressing', 'True', REASON.newReplicaSetCreated, `Created new replica set "${created.metadata.name}"`, nowStr));
    return created;
  }

  /** What the new ReplicaSet's annotations should be: the deployment's copied, revision, desired/max replicas. */
  private annotationsFor(d: Deployment, rs: ReplicaSet, nextRevision: number): Record<string, string> {
    const out: Record<string, string> = { ...(rs.metadata.annotations ?? {}) };
    for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) if (!NOT_COPIED.has(k)) out[k] = v;
    const old = revisionOf(rs);
    if (old < nextRevision) {
      // it becomes the newest revision (new, or an old template rolled back to); its old number goes to the history
      if (old > 0) {
        const hist = out[REVISION_HISTORY_ANNOTATION] ? out[REVISION_HISTORY_ANNOTATION].split(',') : [];
        out[REVISION_HISTORY_ANNOTATION] = [...hist, String(old)].join(',');
      }
      out[REVISION_ANNOTATION] = String(nextRevision);
    }
    out[DESIRED_REPLICAS_ANNOTATION] = String(d.spec?.replicas ?? 1);
    out[MAX_REPLICAS_ANNOTATION] = String((d.spec?.replicas ?? 1) + maxSurge(d));
    return out;
  }

  /** The deployment carries its new ReplicaSet's revision (written by syncStatus when it changed). */
  private setDeploymentRevision(d: Deployment, rs: ReplicaSet): void {
    const rev = rs.metadata.annotations?.[REVISION_ANNOTATION];
    if (rev) d.metadata.annotations = { ...d.metadata.annotations, [REVISION_ANNOTATION]: rev };
  }

  /** Scales a ReplicaSet (its spec and the desired/max annotations) and records ScalingReplicaSet. */
  private async scaleRS(d: Deployment, rs: ReplicaSet, to: number): Promise<ReplicaSet> {
    const from = replicasOf(rs);
    const annotations = {
      ...(rs.metadata.annotations ?? {}),
      [DESIRED_REPLICAS_ANNOTATION]: String(d.spec?.replicas ?? 1),
      [MAX_REPLICAS_ANNOTATION]: String((d.spec?.replicas ?? 1) + maxSurge(d)),
    };
    if (from === to && isDeepStrictEqual(annotations, rs.metadata.annotations ?? {})) return rs;
    const updated = await appsV1(this.client)
      .replicaSets(rs.metadata.namespace)
      .update({ ...rs, metadata: { ...rs.metadata, annotations }, spec: { ...rs.spec, replicas: to } });
    if (from !== to)
      this.recorder.event(d, 'Normal', 'ScalingReplicaSet', `Scaled ${to > from ? 'up' : 'down'} replica set ${rs.metadata.name} from ${from} to ${to}`);
    return updated;
  }

  /** A resize while the ReplicaSets' desired-replicas annotation says another size (upstream isScalingEvent). */
  private isScalingEvent(d: Deployment, rsList: ReplicaSet[]): boolean {
    const newRS = this.findNewRS(d, rsList);
    if (!newRS) return false;
    return rsList
      .filter((rs) => replicasOf(rs) > 0)
      .some((rs) => {
        const v = rs.metadata.annotations?.[DESIRED_REPLICAS_ANNOTATION];
        return v !== undefined && Number(v) !== (d.spec?.replicas ?? 1);
      });
  }

  /** Scaling without a rollout (paused, or a resize): proportional across the active ReplicaSets. */
  private async sync(d: Deployment, rsList: ReplicaSet[]): Promise<void> {
    const newRS = await this.getNewRS(d, rsList, false);
    let all = newRS ? [newRS, ...rsList.filter((rs) => rs.metadata.uid !== newRS.metadata.uid)] : rsList;
    const active = all.filter((rs) => replicasOf(rs) > 0);
    if (newRS && (active.length === 0 || (active.length === 1 && active[0]!.metadata.uid === newRS.metadata.uid))) {
      all = all.map((rs) => rs);
      const updated = await this.scaleRS(d, newRS, d.spec?.replicas ?? 1);
      all = all.map((rs) => (rs.metadata.uid === updated.metadata.uid ? updated : rs));
    } else if (active.length === 1 && !newRS) {
      const updated = await this.scaleRS(d, active[0]!, d.spec?.replicas ?? 1);
      all = all.map((rs) => (rs.metadata.uid === updated.metadata.uid ? updated : rs));
    } else if (active.length > 1) {
      const sizes = proportionalSizes(d, active);
      const updates: ReplicaSet[] = [];
      for (const [rs, size] of sizes) updates.push(await this.scaleRS(d, rs, size));
      all = all.map((rs) => updates.find((u) => u.metadata.uid === rs.metadata.uid) ?? rs);
    }
    // upstream trims the history here only while paused (a resize mid-rollout leaves it to the rollout)
    if (d.spec?.paused) await this.cleanupOldReplicaSets(d, all, newRS);
    await this.syncStatus(d, all, newRS, false);
  }

  private async rolloutRolling(d: Deployment, rsList: ReplicaSet[]): Promise<ReconcileResult | void> {
    let newRS = (await this.getNewRS(d, rsList, true))!;
    let all = [newRS, ...rsList.filter((rs) => rs.metadata.uid !== newRS.metadata.uid)];
    // scale the new ReplicaSet up as far as maxSurge allows
    const up = newRSNewReplicas(d, all, newRS);
    if (up !== replicasOf(newRS)) {
      newRS = await this.scaleRS(d, newRS, up);
      all = [newRS, ...all.slice(1)];
    } else if (!rsList.includes(newRS) || newRS.metadata.annotations?.[DESIRED_REPLICAS_ANNOTATION] !== String(d.spec?.replicas ?? 1)) {
      newRS = await this.scaleRS(d, newRS, up);
      all = [newRS, ...all.slice(1)];
    }
    // scale old ones down as far as maxUnavailable allows
    const olds = all.slice(1);
    const scaled = await this.reconcileOldReplicaSets(d, all, olds, newRS);
    all = [newRS, ...scaled];
    if (deploymentComplete(d)) await this.cleanupOldReplicaSets(d, all, newRS);
    return this.syncStatus(d, all, newRS, true);
  }

  /** Upstream reconcileOldReplicaSets: unhealthy old pods go first, then old ones down to minAvailable. */
  private async reconcileOldReplicaSets(d: Deployment, all: ReplicaSet[], olds: ReplicaSet[], newRS: ReplicaSet): Promise<ReplicaSet[]> {
    if (totalReplicas(olds) === 0) return olds;
    const replicas = d.spec?.replicas ?? 1;
    const minAvailable = replicas - maxUnavailable(d);
    const newUnavailable = replicasOf(newRS) - (newRS.status?.availableReplicas ?? 0);
    let maxScaledDown = totalReplicas(all) - minAvailable - newUnavailable;
    if (maxScaledDown <= 0) return olds;
    let out = [...olds].sort((a, b) => createdAt(a) - createdAt(b));
    // 1. old pods that are not available cost nothing to remove
    for (let i = 0; i < out.length && maxScaledDown > 0; i++) {
      const rs = out[i]!;
      const unhealthy = replicasOf(rs) - (rs.status?.availableReplicas ?? 0);
      if (unhealthy <= 0) continue;
      const down = Math.min(maxScaledDown, unhealthy);
      out[i] = await this.scaleRS(d, rs, replicasOf(rs) - down);
      maxScaledDown -= down;
    }
    // 2. then available ones, keeping minAvailable across all
    const allAfter = [newRS, ...out];
    let toScaleDown = totalAvailable(allAfter) - minAvailable;
    for (let i = 0; i < out.length && toScaleDown > 0; i++) {
      const rs = out[i]!;
      if (replicasOf(rs) === 0) continue;
      const down = Math.min(replicasOf(rs), toScaleDown);
      out[i] = await this.scaleRS(d, rs, replicasOf(rs) - down);
      toScaleDown -= down;
    }
    out = out.map((rs) => rs);
    return out;
  }

  private async rolloutRecreate(d: Deployment, rsList: ReplicaSet[]): Promise<ReconcileResult | void> {
    let newRS = await this.getNewRS(d, rsList, false);
    let olds = rsList.filter((rs) => rs.metadata.uid !== newRS?.metadata.uid);
    // 1. every old ReplicaSet to 0
    const scaledOlds: ReplicaSet[] = [];
    for (const rs of olds) scaledOlds.push(replicasOf(rs) > 0 ? await this.scaleRS(d, rs, 0) : rs);
    olds = scaledOlds;
    // 2. wait until no old pod is left running (terminating ones included)
    const oldPodsRunning = olds.some(
      (rs) =>
        (rs.status?.replicas ?? 0) > 0 || this.pods.byOwner(rs.metadata.uid!).some((p) => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed'),
    );
    if (oldPodsRunning) {
      await this.syncStatus(d, newRS ? [newRS, ...olds] : olds, newRS, false);
      return { requeueAfterMs: 1000 };
    }
    // 3. the new ReplicaSet, at full size
    if (!newRS) newRS = (await this.getNewRS(d, olds, true))!;
    if (replicasOf(newRS) !== (d.spec?.replicas ?? 1)) newRS = await this.scaleRS(d, newRS, d.spec?.replicas ?? 1);
    const all = [newRS, ...olds];
    if (deploymentComplete(d)) await this.cleanupOldReplicaSets(d, all, newRS);
    return this.syncStatus(d, all, newRS, true);
  }

  /**
   * The oldest old ReplicaSets beyond revisionHistoryLimit are deleted, those among them with pods (or not yet
   * observed at zero) skipped (upstream cleanupDeployment; called once the rollout is complete, or while paused).
   */
  private async cleanupOldReplicaSets(d: Deployment, all: ReplicaSet[], newRS: ReplicaSet | undefined): Promise<void> {
    const limit = d.spec?.revisionHistoryLimit ?? 10;
    const olds = all.filter((rs) => rs.metadata.uid !== newRS?.metadata.uid && !rs.metadata.deletionTimestamp);
    const diff = olds.length - limit;
    if (diff <= 0) return;
    olds.sort((a, b) => revisionOf(a) - revisionOf(b) || createdAt(a) - createdAt(b));
    const deletable = (rs: ReplicaSet) =>
      replicasOf(rs) === 0 && (rs.status?.replicas ?? 0) === 0 && (rs.status?.observedGeneration ?? 0) >= (rs.metadata.generation ?? 0);
    for (const rs of olds.slice(0, diff).filter(deletable)) {
      await appsV1(this.client)
        .replicaSets(rs.metadata.namespace)
        .delete(rs.metadata.name!)
        .catch((e) => ignoreGone(e));
    }
  }

  private async syncStatusOnly(d: Deployment, rsList: ReplicaSet[]): Promise<void> {
    await this.syncStatus(d, rsList, this.findNewRS(d, rsList), false);
  }

  /** Status from the ReplicaSets, conditions, and the write (through /status). */
  private async syncStatus(d: Deployment, all: ReplicaSet[], newRS: ReplicaSet | undefined, rollout: boolean): Promise<ReconcileResult | void> {
    const prev = d.status ?? {};
    const status: DeploymentStatus = { ...prev };
    status.observedGeneration = d.metadata.generation;
    status.replicas = all.reduce((n, rs) => n + (rs.status?.replicas ?? 0), 0);
    status.updatedReplicas = newRS?.status?.replicas ?? 0;
    status.readyReplicas = all.reduce((n, rs) => n + (rs.status?.readyReplicas ?? 0), 0);
    status.availableReplicas = totalAvailable(all);
    status.unavailableReplicas = Math.max(0, totalReplicas(all) - status.availableReplicas);
    const replicas = d.spec?.replicas ?? 1;
    const nowMs = this.now();
    const nowStr = timestamp(new Date(nowMs));
    if (status.availableReplicas >= replicas - maxUnavailable(d))
      setCondition(status, newCondition('Available', 'True', REASON.minimumReplicasAvailable, 'Deployment has minimum availability.', nowStr));
    else setCondition(status, newCondition('Available', 'False', REASON.minimumReplicasUnavailable, 'Deployment does not have minimum availability.', nowStr));
    if (!getCondition(status, 'ReplicaFailure') || rollout) removeCondition(status, 'ReplicaFailure');

    let requeue: number | undefined;
    const progressing = getCondition(status, 'Progressing');
    const deadline = d.spec?.progressDeadlineSeconds;
    if (rollout && !d.spec?.paused && deadline !== undefined && deadline < 2147483647 && newRS) {
      const complete =
        status.updatedReplicas === replicas &&
        status.replicas === replicas &&
        status.availableReplicas === replicas &&
        (status.observedGeneration ?? 0) >= (d.metadata.generation ?? 0);
      const madeProgress =
        (status.updatedReplicas ?? 0) > (prev.updatedReplicas ?? 0) ||
        (status.replicas ?? 0) < (prev.replicas ?? 0) ||
        (status.readyReplicas ?? 0) > (prev.readyReplicas ?? 0) ||
        (status.availableReplicas ?? 0) > (prev.availableReplicas ?? 0);
      const rsName = newRS.metadata.name;
      if (complete) {
        if (progressing?.reason !== REASON.newReplicaSetAvailable) {
          const cond = newCondition('Progressing', 'True', REASON.newReplicaSetAvailable, `ReplicaSet "${rsName}" has successfully progressed.`, nowStr);
          if (progressing?.status === 'True') cond.lastTransitionTime = progressing.lastTransitionTime;
          removeCondition(status, 'Progressing');
          setCondition(status, cond);
        }
      } else if (madeProgress) {
        const cond = newCondition('Progressing', 'True', REASON.replicaSetUpdated, `ReplicaSet "${rsName}" is progressing.`, nowStr);
        if (progressing?.status === 'True') cond.lastTransitionTime = progressing.lastTransitionTime;
        removeCondition(status, 'Progressing');
        setCondition(status, cond);
        requeue = deadline * 1000;
      } else if (progressing && progressing.reason !== REASON.progressDeadlineExceeded && progressing.reason !== REASON.newReplicaSetAvailable) {
        const since = Date.parse(progressing.lastUpdateTime ?? progressing.lastTransitionTime ?? '') || nowMs;
        const left = since + deadline * 1000 - nowMs;
        if (left <= 0) {
          const msg = `ReplicaSet "${rsName}" has timed out progressing.`;
          setCondition(status, newCondition('Progressing', 'False', REASON.progressDeadlineExceeded, msg, nowStr));
        } else requeue = left + 1000;
      }
    }
    await this.writeStatus(d, status);
    await this.writeRevision(d);
    if (requeue !== undefined) return { requeueAfterMs: requeue };
  }

  /** The cached Deployment, or our write of it the informer has not shown yet. */
  private current(d: Deployment): Deployment | undefined {
    const cached = this.deployments.namespace(d.metadata.namespace!).get(d.metadata.name!);
    return cached && this.written.fresh(cached);
  }

  private async writeRevision(d: Deployment): Promise<void> {
    const rev = d.metadata.annotations?.[REVISION_ANNOTATION];
    const cur = this.current(d);
    if (!rev || cur?.metadata.annotations?.[REVISION_ANNOTATION] === rev) return;
    try {
      const updated = await appsV1(this.client)
        .deployments(d.metadata.namespace)
        .patch(d.metadata.name!, { metadata: { annotations: { [REVISION_ANNOTATION]: rev } } }, 'merge');
      if (cur) this.written.wrote(cur, updated);
    } catch (e) {
      ignoreGone(e);
    }
  }

  private async writeStatus(d: Deployment, status: DeploymentStatus): Promise<void> {
    const cur = this.current(d);
    if (cur && isDeepStrictEqual(cur.status ?? {}, status)) return;
    const api = appsV1(this.client).deployments(d.metadata.namespace);
    const base = cur ?? d;
    try {
      this.written.wrote(base, await api.updateSubresource(d.metadata.name!, 'status', { ...base, status }));
    } catch (e) {
      if (isStatusError(e) && e.code === 409) {
        const fresh = await api.get(d.metadata.name!);
        this.written.wrote(fresh, await api.updateSubresource(d.metadata.name!, 'status', { ...fresh, status }));
        return;
      }
      ignoreGone(e);
    }
  }
}

/** Every replica updated and available, and this generation observed, by the status the sync started from (upstream DeploymentComplete). */
function deploymentComplete(d: Deployment): boolean {
  const replicas = d.spec?.replicas ?? 1;
  const st = d.status ?? {};
  return (
    st.updatedReplicas === replicas &&
    st.replicas === replicas &&
    st.availableReplicas === replicas &&
    (st.observedGeneration ?? 0) >= (d.metadata.generation ?? 0)
  );
}

function ignoreGone(e: unknown): void {
  if (isStatusError(e) && e.code === 404) return;
  throw e;
}
