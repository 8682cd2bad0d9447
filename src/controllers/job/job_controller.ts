// The Job controller (upstream pkg/controller/job): runs a Job's pods to completion. Each reconcile accounts
// finished pods crash-safely (UIDs recorded in status.uncountedTerminatedPods, then the job-tracking
// finalizer removed, then the counters moved), decides success or failure (completions, success policy,
// backoffLimit, pod failure policy, deadline, per-index limits), and otherwise creates or deletes pods
// toward min(parallelism, remaining completions), NonIndexed or Indexed, with failure backoff.
import { formatIndexes, parseIndexes } from '../../api/batch/v1/indexes.js';
import { JobLabels, type Job, type JobStatus } from '../../api/batch/v1/types.js';
import type { Pod } from '../../api/core/v1/types.js';
import { isStatusError } from '../../api/errors.js';
import type { OwnerReference } from '../../api/types.js';
import { Controller, type ReconcileResult } from '../../client/controller.js';
import { EventRecorder, timestamp } from '../../client/events.js';
import type { SharedInformerFactory } from '../../client/informer_factory.js';
import type { KubeClient } from '../../client/rest.js';
import type { SharedIndexInformer } from '../../client/shared_informer.js';
import { coreV1, type ResourceClient } from '../../client/typed.js';
import { batchV1, BatchResources } from '../../client/typed_batch.js';
import type { Logger } from '../../log/logger.js';
import { ControllerExpectations } from '../expectations.js';
import { nextBackoffRecord, remainingBackoff, type BackoffRecord } from './backoff.js';
import { findCondition, isConditionTrue, isJobFinished, JobReasons, setCondition } from './conditions.js';
import { completionIndex, firstPendingIndexes, indexFailureCount } from './indexed.js';
import { matchPodFailurePolicy } from './pod_failure_policy.js';
import { podFromJob } from './pod_template.js';

export interface JobControllerOptions {
  factory?: SharedInformerFactory;
  log?: Logger;
  workers?: number;
  /** Base of the pod failure backoff (default 10 s; tests shorten it). */
  backoffBaseMs?: number;
  /** Cap of the pod failure backoff (default 10 min). */
  backoffMaxMs?: number;
  now?: () => number;
}

interface Finish {
  type: 'Complete' | 'Failed';
  reason: string;
  message: string;
}

const FINISHED_MESSAGES: Record<string, string> = {
  [JobReasons.backoffLimitExceeded]: 'Job has reached the specified backoff limit',
  [JobReasons.deadlineExceeded]: 'Job was active longer than specified deadline',
  [JobReasons.maxFailedIndexesExceeded]: 'Job has exceeded the specified maximal number of failed indexes',
  [JobReasons.failedIndexes]: 'Job has failed indexes',
  [JobReasons.completionsReached]: 'Reached expected number of succeeded pods',
};

/** Queue keys of pods whose Job let go of them (orphaned by a delete), not of Jobs. */
const ORPHAN_POD_KEY = 'orphan-pod:';

function jobControllerRef(pod: Pod): OwnerReference | undefined {
  return (pod.metadata.ownerReferences ?? []).find((r) => r.controller && r.kind === 'Job' && r.apiVersion?.startsWith('batch/'));
}

function hasTrackingFinalizer(pod: Pod): boolean {
  return (pod.metadata.finalizers ?? []).includes(JobLabels.trackingFinalizer);
}

function isTerminal(pod: Pod): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

function isReady(pod: Pod): boolean {
  return (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

/** When a failed pod finished: its newest container termination, else now. */
function finishTime(pod: Pod, now: number): number {
  let t = 0;
  for (const cs of [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])]) {
    const f = Date.parse(cs.state?.terminated?.finishedAt ?? '');
    if (Number.isFinite(f)) t = Math.max(t, f);
  }
  return t || now;
}

/** Deletion order (upstream's ActivePods ranking): unscheduled, pending, not ready, then the newest first. */
function deletionRank(a: Pod, b: Pod): number {
  const score = (p: Pod) => (p.spec?.nodeName ? 0 : 4) + (p.status?.phase === 'Pending' ? 2 : 0) + (isReady(p) ? 0 : 1);
  const d = score(b) - score(a);
  if (d !== 0) return d;
  return Date.parse(b.metadata.creationTimestamp ?? '') - Date.parse(a.metadata.creationTimestamp ?? '');
}

export class JobController extends Controller {
  private readonly jobs: SharedIndexInformer<Job>;
  private readonly pods: SharedIndexInformer<Pod>;
  private readonly podClient = (ns: string): ResourceClient<Pod> => coreV1(this.client).pods(ns);
  private readonly jobClient = (ns: string): ResourceClient<Job> => batchV1(this.client).jobs(ns);
  readonly expectations: ControllerExpectations;
  private readonly backoff = new Map<string, BackoffRecord>();
  /** The revision of each Job's last status write: a cache older than it would count and create from stale numbers. */
  private readonly writtenRevision = new Map<string, number>();
  private readonly recorder: EventRecorder;
  private readonly now: () => number;

  constructor(
    private readonly client: KubeClient,
    private readonly opts: JobControllerOptions = {},
  ) {
    super({ name: 'job', client, factory: opts.factory, log: opts.log, workers: opts.workers ?? 5 });
    this.now = opts.now ?? Date.now;
    this.expectations = new ControllerExpectations(this.now);
    this.recorder = new EventRecorder(client, { component: 'job-controller' }, (e) => this.log.debug({ err: String(e) }, 'event write failed'));
    this.jobs = this.factory.informerFor<Job>(BatchResources.jobs);
    this.pods = this.factory.pods();
    this.watch(this.jobs, this.enqueueAll<Job>());
    this.watch(this.pods, {
      onAdd: (p) => {
        const key = this.ownerKey(p);
        if (!key) return;
        this.expectations.creationObserved(key);
        this.queue.add(key);
      },
      onUpdate: (old, p) => {
        const key = this.ownerKey(p);
        if (!key) return;
        if (p.metadata.deletionTimestamp && !old.metadata.deletionTimestamp) this.expectations.deletionObserved(key, p.metadata.uid);
        this.queue.add(key);
      },
      onDelete: (p) => {
        const key = this.ownerKey(p);
        if (!key) return;
        if (!p.metadata.deletionTimestamp) this.expectations.deletionObserved(key, p.metadata.uid);
        this.queue.add(key);
      },
    });
  }

  /** The Job key of a pod; a pod that holds our finalizer but has no Job (orphaned) gets a key of its own. */
  private ownerKey(pod: Pod): string | undefined {
    const ref = jobControllerRef(pod);
    if (ref) return `${pod.metadata.namespace}/${ref.name}`;
    return hasTrackingFinalizer(pod) ? `${ORPHAN_POD_KEY}${pod.metadata.namespace}/${pod.metadata.name}` : undefined;
  }

  protected async reconcile(key: string): Promise<ReconcileResult | void> {
    if (key.startsWith(ORPHAN_POD_KEY)) {
      const pod = this.pods.get(key.slice(ORPHAN_POD_KEY.length));
      if (pod && !jobControllerRef(pod) && hasTrackingFinalizer(pod)) await this.removeFinalizers([pod]);
      return;
    }
    const [ns, name] = key.split('/') as [string, string];
    const job = this.jobs.get(key);
    if (!job) {
      this.expectations.delete(key);
      this.backoff.delete(key);
      this.writtenRevision.delete(key);
      await this.releaseOrphans(ns, name);
      return;
    }
    const uid = job.metadata.uid;
    const pods = this.pods.lister.byOwner(uid!).filter((p) => jobControllerRef(p)?.uid === uid);
    if (isJobFinished(job.status)) {
      // a finished Job lets go of every pod it still holds
      await this.removeFinalizers(pods.filter(hasTrackingFinalizer));
      return;
    }
    if (job.metadata.deletionTimestamp) {
      await this.removeFinalizers(pods.filter(hasTrackingFinalizer));
      return;
    }
    // our own creates, deletes and status writes are not all in the cache yet: acting now could double them
    if (!this.expectations.satisfied(key)) return;
    const written = this.writtenRevision.get(key);
    if (written !== undefined && Number(job.metadata.resourceVersion) < written) return { requeueAfterMs: 1000 };
    return this.syncJob(key, job, pods);
  }

  /** Pods of a Job that is gone keep no finalizer of ours. */
  private async releaseOrphans(ns: string, name: string): Promise<void> {
    const orphans = this.pods.lister
      .namespace(ns)
      .list()
      .filter((p) => jobControllerRef(p)?.name === name && hasTrackingFinalizer(p));
    await this.removeFinalizers(orphans);
  }

  private async removeFinalizers(pods: Pod[]): Promise<void> {
    const errors: unknown[] = [];
    await Promise.all(
      pods.map(async (p) => {
        const i = (p.metadata.finalizers ?? []).indexOf(JobLabels.trackingFinalizer);
        if (i < 0) return;
        const patch = [
          { op: 'test', path: `/metadata/finalizers/${i}`, value: JobLabels.trackingFinalizer },
          { op: 'remove', path: `/metadata/finalizers/${i}` },
        ];
        try {
          await this.podClient(p.metadata.namespace!).patch(p.metadata.name!, patch, 'json');
        } catch (e) {
          // gone, or the finalizer already removed (our cache was behind): nothing left to do for this pod
          if (isStatusError(e) && (e.code === 404 || e.code === 422)) return;
          errors.push(e);
        }
      }),
    );
    if (errors.length) throw errors[0];
  }

  private async writeStatus(job: Job, status: JobStatus): Promise<Job> {
    const written = await this.jobClient(job.metadata.namespace!).updateStatus({ ...job, status });
    this.writtenRevision.set(`${job.metadata.namespace}/${job.metadata.name}`, Number(written.metadata.resourceVersion));
    return written;
  }

  private async syncJob(key: string, job: Job, pods: Pod[]): Promise<ReconcileResult | void> {
    const spec = job.spec!;
    const now = this.now();
    const nowStr = timestamp(new Date(now));
    const status: JobStatus = structuredClone(job.status ?? {});
    const indexed = spec.completionMode === 'Indexed';
    const completions = spec.completions ?? undefined;
    const suspended = spec.suspend === true;
    const byUid = new Map(pods.map((p) => [p.metadata.uid!, p]));

    // 1. Finished pods: record their UIDs (and indexes) before letting go of them.
    const uncountedSucceeded = new Set(status.uncountedTerminatedPods?.succeeded ?? []);
    const uncountedFailed = new Set(status.uncountedTerminatedPods?.failed ?? []);
    const completed = new Set(parseIndexes(status.completedIndexes, completions));
    const failedIndexes = new Set(parseIndexes(status.failedIndexes, completions));
    const release: Pod[] = [];
    let newSucceeded = 0;
    const newFailedTimes: number[] = [];
    let policyFailure: { reason: string; message: string } | undefined;
    for (const pod of pods) {
      if (!hasTrackingFinalizer(pod)) continue;
      const uid = pod.metadata.uid!;
      if (uncountedSucceeded.has(uid) || uncountedFailed.has(uid)) {
        release.push(pod);
        continue;
      }
      const phase = pod.status?.phase;
      const idx = indexed ? completionIndex(pod, completions!) : undefined;
      if (phase === 'Succeeded') {
        uncountedSucceeded.add(uid);
        if (idx !== undefined) completed.add(idx);
        newSucceeded++;
        release.push(pod);
        continue;
      }
      const onlyFailed = spec.podReplacementPolicy === 'Failed' || !!spec.podFailurePolicy;
      const failed = phase === 'Failed' || (!onlyFailed && !!pod.metadata.deletionTimestamp);
      if (!failed) continue;
      // the policy decides on exit codes: wait until the node has reported every container as stopped
      if (spec.podFailurePolicy && (pod.status?.containerStatuses ?? []).some((cs) => cs.state?.running)) continue;
      release.push(pod);
      const match = phase === 'Failed' ? matchPodFailurePolicy(spec.podFailurePolicy, pod) : undefined;
      if (match?.action === 'Ignore') continue;
      uncountedFailed.add(uid);
      newFailedTimes.push(finishTime(pod, now));
      if (match?.action === 'FailJob' && !policyFailure) policyFailure = { reason: JobReasons.podFailurePolicy, message: match.message };
      if (idx !== undefined && !completed.has(idx)) {
        const perIndex = spec.backoffLimitPerIndex;
        if (match?.action === 'FailIndex' || (perIndex !== undefined && indexFailureCount(pod) + 1 > perIndex)) failedIndexes.add(idx);
      }
    }
    this.backoff.set(key, nextBackoffRecord(this.backoff.get(key) ?? { failuresAfterLastSuccess: 0 }, newSucceeded, newFailedTimes));

    const uncountedList = () => ({ succeeded: [...uncountedSucceeded], failed: [...uncountedFailed] });
    const setIndexes = (s: JobStatus) => {
      if (!indexed) return;
      s.completedIndexes = formatIndexes(completed);
      if (spec.backoffLimitPerIndex !== undefined) s.failedIndexes = formatIndexes(failedIndexes);
    };
    let current = job;
    if (release.length) {
      // written before any finalizer goes: a crash in between loses no pod from the counts
      const recorded = { ...structuredClone(status), uncountedTerminatedPods: uncountedList() };
      setIndexes(recorded);
      if (JSON.stringify(recorded) !== JSON.stringify(job.status ?? {})) current = await this.writeStatus(job, recorded);
    }
    await this.removeFinalizers(release);
    const released = new Set(release.map((p) => p.metadata.uid!));
    let succeeded = status.succeeded ?? 0;
    let failed = status.failed ?? 0;
    for (const uid of [...uncountedSucceeded]) {
      const p = byUid.get(uid);
      if (!p || released.has(uid) || !hasTrackingFinalizer(p)) {
        succeeded++;
        uncountedSucceeded.delete(uid);
      }
    }
    for (const uid of [...uncountedFailed]) {
      const p = byUid.get(uid);
      if (!p || released.has(uid) || !hasTrackingFinalizer(p)) {
        failed++;
        uncountedFailed.delete(uid);
      }
    }
    status.succeeded = succeeded;
    status.failed = failed;
    status.uncountedTerminatedPods = uncountedSucceeded.size || uncountedFailed.size ? uncountedList() : {};
    setIndexes(status);

    let active = pods.filter((p) => !isTerminal(p) && !p.metadata.deletionTimestamp);
    const terminating = pods.filter((p) => !isTerminal(p) && !!p.metadata.deletionTimestamp);
    let terminatingCount = terminating.length;
    let requeueAfterMs: number | undefined;
    const requeue = (ms: number) => {
      requeueAfterMs = requeueAfterMs === undefined ? ms : Math.min(requeueAfterMs, ms);
    };

    // 2. Suspension and start time. (Events about the status go out once it is written: a retry repeats none.)
    const statusEvents: ['Normal' | 'Warning', string, string][] = [];
    if (suspended) {
      if (setCondition(status, 'Suspended', 'True', JobReasons.suspended, 'Job suspended', nowStr)) statusEvents.push(['Normal', 'Suspended', 'Job suspended']);
    } else {
      if (isConditionTrue(status, 'Suspended')) {
        setCondition(status, 'Suspended', 'False', JobReasons.resumed, 'Job resumed', nowStr);
        statusEvents.push(['Normal', 'Resumed', 'Job resumed']);
        // the deadline counts from the resume
        status.startTime = nowStr;
      }
      status.startTime ??= nowStr;
    }

    // 3. Success or failure.
    let finish: Finish | undefined;
    const target = findCondition(status, 'FailureTarget');
    const criteria = findCondition(status, 'SuccessCriteriaMet');
    if (target?.status === 'True') finish = { type: 'Failed', reason: target.reason ?? '', message: target.message ?? '' };
    else if (criteria?.status === 'True') finish = { type: 'Complete', reason: criteria.reason ?? '', message: criteria.message ?? '' };
    else finish = this.finishOf(job, status, active, completed, failedIndexes, policyFailure, now, requeue);

    if (finish) {
      const interim = finish.type === 'Failed' ? 'FailureTarget' : 'SuccessCriteriaMet';
      setCondition(status, interim, 'True', finish.reason, finish.message, nowStr);
      // a finished Job keeps no pods running
      if (active.length) {
        terminatingCount += await this.deletePods(key, job, active);
        active = [];
      }
      if (terminatingCount === 0) {
        setCondition(status, finish.type, 'True', finish.reason, finish.message, nowStr);
        if (finish.type === 'Complete') {
          status.completionTime = nowStr;
          statusEvents.push(['Normal', 'Completed', 'Job completed']);
        } else {
          statusEvents.push(['Warning', finish.reason, finish.message]);
        }
      }
    } else if (suspended) {
      if (active.length) {
        terminatingCount += await this.deletePods(key, job, active);
        active = [];
      }
    } else {
      const r = await this.manage(key, job, status, active, terminating, completed, failedIndexes, now);
      active = r.active;
      terminatingCount += r.deleted;
      if (r.requeueAfterMs !== undefined) requeue(r.requeueAfterMs);
    }

    status.active = active.length;
    status.ready = active.filter(isReady).length;
    status.terminating = terminatingCount;
    if (JSON.stringify(status) !== JSON.stringify(current.status ?? {})) await this.writeStatus(current, status);
    for (const [type, reason, message] of statusEvents) this.recorder.event(job, type, reason, message);
    return requeueAfterMs === undefined ? undefined : { requeueAfterMs };
  }

  /** Whether the Job has now succeeded or failed, and why (upstream's order of checks). */
  private finishOf(
    job: Job,
    status: JobStatus,
    active: Pod[],
    completed: Set<number>,
    failedIndexes: Set<number>,
    policyFailure: { reason: string; message: string } | undefined,
    now: number,
    requeue: (ms: number) => void,
  ): Finish | undefined {
    const spec = job.spec!;
    const fail = (reason: string, message = FINISHED_MESSAGES[reason] ?? ''): Finish => ({ type: 'Failed', reason, message });
    const complete = (reason: string, message = FINISHED_MESSAGES[reason] ?? ''): Finish => ({ type: 'Complete', reason, message });
    const indexed = spec.completionMode === 'Indexed';
    const completions = spec.completions ?? undefined;
    const failed = (status.failed ?? 0) + (status.uncountedTerminatedPods?.failed?.length ?? 0);
    const succeeded = (status.succeeded ?? 0) + (status.uncountedTerminatedPods?.succeeded?.length ?? 0);
    if (policyFailure) return fail(policyFailure.reason, policyFailure.message);
    if (spec.backoffLimitPerIndex === undefined && (failed > (spec.backoffLimit ?? 6) || this.pastBackoffLimitOnFailure(job, active)))
      return fail(JobReasons.backoffLimitExceeded);
    if (spec.activeDeadlineSeconds !== undefined && status.startTime && spec.suspend !== true) {
      const left = Date.parse(status.startTime) + spec.activeDeadlineSeconds * 1000 - now;
      if (left <= 0) return fail(JobReasons.deadlineExceeded);
      requeue(left);
    }
    if (indexed && spec.maxFailedIndexes !== undefined && failedIndexes.size > spec.maxFailedIndexes) return fail(JobReasons.maxFailedIndexesExceeded);
    for (const [i, rule] of (spec.successPolicy?.rules ?? []).entries()) {
      const wanted = rule.succeededIndexes !== undefined ? parseIndexes(rule.succeededIndexes, completions) : [...Array(completions ?? 0).keys()];
      const done = wanted.filter((x) => completed.has(x)).length;
      const ok = rule.succeededCount !== undefined ? done >= rule.succeededCount : done === wanted.length;
      if (ok) return complete(JobReasons.successPolicy, `Matched rules at index ${i}`);
    }
    if (indexed) {
      if (completed.size + failedIndexes.size >= completions!)
        return failedIndexes.size > 0 ? fail(JobReasons.failedIndexes) : complete(JobReasons.completionsReached);
      return undefined;
    }
    if (completions === undefined) return succeeded > 0 && active.length === 0 ? complete(JobReasons.completionsReached) : undefined;
    return succeeded >= completions ? complete(JobReasons.completionsReached) : undefined;
  }

  /** With restartPolicy OnFailure failed containers restart in place; their restarts count toward backoffLimit. */
  private pastBackoffLimitOnFailure(job: Job, active: Pod[]): boolean {
    if (job.spec?.template.spec?.restartPolicy !== 'OnFailure') return false;
    let restarts = 0;
    for (const p of active) {
      for (const cs of [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])]) restarts += cs.restartCount ?? 0;
    }
    const limit = job.spec.backoffLimit ?? 6;
    return limit === 0 ? restarts > 0 : restarts >= limit;
  }

  /** Creates or deletes pods toward the wanted number of active ones; returns the active pods left. */
  private async manage(
    key: string,
    job: Job,
    status: JobStatus,
    active: Pod[],
    terminating: Pod[],
    completed: Set<number>,
    failedIndexes: Set<number>,
    now: number,
  ): Promise<{ active: Pod[]; deleted: number; requeueAfterMs?: number }> {
    const spec = job.spec!;
    const parallelism = spec.parallelism ?? 1;
    const completions = spec.completions ?? undefined;
    const succeeded = status.succeeded ?? 0;
    const countTerminating = spec.podReplacementPolicy === 'Failed';
    let deleted = 0;
    const toDelete: Pod[] = [];
    let keep = active;

    if (spec.completionMode === 'Indexed') {
      // one active pod per index; pods without a valid index, or for a finished index, go
      const byIndex = new Map<number, Pod[]>();
      for (const p of active) {
        const i = completionIndex(p, completions!);
        if (i === undefined || completed.has(i) || failedIndexes.has(i)) toDelete.push(p);
        else byIndex.set(i, [...(byIndex.get(i) ?? []), p]);
      }
      for (const list of byIndex.values()) if (list.length > 1) toDelete.push(...list.sort(deletionRank).slice(0, list.length - 1));
      keep = active.filter((p) => !toDelete.includes(p));
      const wantActive = Math.min(parallelism, Math.max(0, completions! - completed.size - failedIndexes.size));
      if (keep.length > wantActive) {
        const extra = [...keep]
          .sort((a, b) => (completionIndex(b, completions!) ?? 0) - (completionIndex(a, completions!) ?? 0))
          .slice(0, keep.length - wantActive);
        toDelete.push(...extra);
        keep = keep.filter((p) => !extra.includes(p));
      }
      if (toDelete.length) deleted = await this.deletePods(key, job, toDelete);
      const busy = countTerminating ? terminating.length : 0;
      const want = wantActive - keep.length - busy;
      if (want <= 0 || toDelete.length) return { active: keep, deleted };
      const wait = remainingBackoff(this.backoff.get(key) ?? { failuresAfterLastSuccess: 0 }, now, this.opts.backoffBaseMs, this.opts.backoffMaxMs);
      if (wait > 0) return { active: keep, deleted, requeueAfterMs: wait };
      const taken = new Set<number>([...completed, ...failedIndexes]);
      for (const p of keep) taken.add(completionIndex(p, completions!)!);
      if (countTerminating) for (const p of terminating) taken.add(completionIndex(p, completions!) ?? -1);
      const indexes = firstPendingIndexes(completions!, taken, want);
      const failuresOf = (i: number) => {
        let n = 0;
        for (const p of this.pods.lister.byOwner(job.metadata.uid!))
          if (p.status?.phase === 'Failed' && completionIndex(p, completions!) === i) n = Math.max(n, indexFailureCount(p) + 1);
        return n;
      };
      const created = await this.createPods(
        key,
        job,
        indexes.map((i) => podFromJob(job, i, failuresOf(i))),
      );
      return { active: [...keep, ...created], deleted };
    }

    const wantActive = completions === undefined ? (succeeded > 0 ? active.length : parallelism) : Math.min(parallelism, Math.max(0, completions - succeeded));
    if (active.length > wantActive) {
      const extra = [...active].sort(deletionRank).slice(0, active.length - wantActive);
      deleted = await this.deletePods(key, job, extra);
      return { active: active.filter((p) => !extra.includes(p)), deleted };
    }
    const want = wantActive - active.length - (countTerminating ? terminating.length : 0);
    if (want <= 0) return { active, deleted };
    const wait = remainingBackoff(this.backoff.get(key) ?? { failuresAfterLastSuccess: 0 }, now, this.opts.backoffBaseMs, this.opts.backoffMaxMs);
    if (wait > 0) return { active, deleted, requeueAfterMs: wait };
    const created = await this.createPods(
      key,
      job,
      Array.from({ length: want }, () => podFromJob(job)),
    );
    return { active: [...active, ...created], deleted };
  }

  /** Creates pods in doubling batches (upstream's slow start: a failing template costs one error, not N). */
  private async createPods(key: string, job: Job, pods: Pod[]): Promise<Pod[]> {
    const created: Pod[] = [];
    this.expectations.expectCreations(key, pods.length);
    let i = 0;
    let batch = 1;
    let failure: unknown;
    while (i < pods.length && !failure) {
      const chunk = pods.slice(i, i + batch);
      i += chunk.length;
      const results = await Promise.allSettled(chunk.map((p) => this.podClient(job.metadata.namespace!).create(p)));
      for (const r of results) {
        if (r.status === 'fulfilled') {
          created.push(r.value);
          this.recorder.event(job, 'Normal', 'SuccessfulCreate', `Created pod: ${r.value.metadata.name}`);
        } else {
          this.expectations.creationObserved(key);
          failure ??= r.reason;
          this.recorder.event(job, 'Warning', 'FailedCreate', `Error creating: ${String((r.reason as Error)?.message ?? r.reason)}`);
        }
      }
      batch *= 2;
    }
    // the pods never attempted will never be observed
    this.expectations.lowerCreations(key, pods.length - i);
    if (failure) throw failure;
    return created;
  }

  /** Deletes pods (they stay, terminating, until their finalizer is removed); returns how many were deleted. */
  private async deletePods(key: string, job: Job, pods: Pod[]): Promise<number> {
    this.expectations.expectDeletions(
      key,
      pods.map((p) => p.metadata.uid!),
    );
    let n = 0;
    let failure: unknown;
    await Promise.all(
      pods.map(async (p) => {
        try {
          await this.podClient(p.metadata.namespace!).delete(p.metadata.name!);
          n++;
          this.recorder.event(job, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata.name}`);
        } catch (e) {
          this.expectations.deletionObserved(key, p.metadata.uid);
          if (isStatusError(e) && e.code === 404) return;
          failure ??= e;
        }
      }),
    );
    if (failure) throw failure;
    return n;
  }

  override async stop(): Promise<void> {
    await super.stop();
    await this.recorder.flush();
  }
}
