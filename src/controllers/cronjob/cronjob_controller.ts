// The CronJob controller (upstream cronjob_controllerv2): keeps status.active in step with the CronJob's
// Jobs, finds the most recent missed schedule time (in spec.timeZone, bounded by startingDeadlineSeconds),
// applies the concurrency policy (Allow / Forbid / Replace), creates the Job "<cronjob>-<minutes since epoch>",
// prunes finished Jobs beyond the history limits, and requeues itself for the next schedule time.
import { formatRFC3339InZone, parseSchedule, timeZoneError, type CronSchedule } from '../../api/batch/v1/cron.js';
import { JobLabels, type CronJob, type CronJobStatus, type Job } from '../../api/batch/v1/types.js';
import type { ObjectReference } from '../../api/core/v1/types.js';
import { isStatusError } from '../../api/errors.js';
import type { OwnerReference } from '../../api/types.js';
import { Controller, type ReconcileResult } from '../../client/controller.js';
import { EventRecorder, timestamp } from '../../client/events.js';
import type { SharedInformerFactory } from '../../client/informer_factory.js';
import type { KubeClient } from '../../client/rest.js';
import type { SharedIndexInformer } from '../../client/shared_informer.js';
import { batchV1, BatchResources } from '../../client/typed_batch.js';
import type { Logger } from '../../log/logger.js';

/** Upstream: more missed start times than this is reported (and only the most recent one is run). */
const MAX_MISSED_START_TIMES = 100;
/** Requeue a little after the next schedule time so that it has certainly passed. */
const NEXT_SCHEDULE_DELTA_MS = 100;

function cronJobControllerRef(job: Job): OwnerReference | undefined {
  return (job.metadata.ownerReferences ?? []).find((r) => r.controller && r.kind === 'CronJob' && r.apiVersion?.startsWith('batch/'));
}

function finishedCondition(job: Job): 'Complete' | 'Failed' | undefined {
  for (const c of job.status?.conditions ?? []) if ((c.type === 'Complete' || c.type === 'Failed') && c.status === 'True') return c.type;
  return undefined;
}

/** The Job name for a scheduled time: "<cronjob>-<minutes since the epoch>". */
export function jobNameFor(cronJobName: string, scheduled: Date): string {
  return `${cronJobName}-${Math.floor(scheduled.getTime() / 60_000)}`;
}

export interface MostRecentSchedule {
  /** The latest schedule time at or before now that has not run (undefined: none due). */
  scheduled?: Date;
  /** How many schedule times were missed, counting the most recent (capped just above the limit). */
  missed: number;
}

/**
 * Upstream mostRecentScheduleTime: schedule times after lastScheduleTime (or creation), no earlier than now
 * minus startingDeadlineSeconds, up to now.
 */
export function mostRecentScheduleTime(cj: CronJob, sched: CronSchedule, now: Date): MostRecentSchedule {
  let earliest = Date.parse(cj.status?.lastScheduleTime ?? cj.metadata.creationTimestamp ?? '');
  if (!Number.isFinite(earliest)) earliest = now.getTime();
  const sds = cj.spec?.startingDeadlineSeconds;
  if (sds !== undefined && sds !== null) earliest = Math.max(earliest, now.getTime() - sds * 1000);
  const first = sched.next(new Date(earliest));
  if (!first || first.getTime() > now.getTime()) return { missed: 0 };
  const last = sched.prev(now) ?? first;
  let missed = 1;
  for (let t: Date | undefined = first; t && t.getTime() < last.getTime() && missed <= MAX_MISSED_START_TIMES; t = sched.next(t)) missed++;
  return { scheduled: last, missed };
}

export interface CronJobControllerOptions {
  factory?: SharedInformerFactory;
  log?: Logger;
  workers?: number;
  /** The controller's clock (tests move it). */
  now?: () => number;
}

export class CronJobController extends Controller {
  private readonly cronJobs: SharedIndexInformer<CronJob>;
  private readonly jobs: SharedIndexInformer<Job>;
  private readonly recorder: EventRecorder;
  private readonly now: () => number;

  constructor(
    private readonly client: KubeClient,
    opts: CronJobControllerOptions = {},
  ) {
    super({ name: 'cronjob', client, factory: opts.factory, log: opts.log, workers: opts.workers ?? 5 });
    this.now = opts.now ?? Date.now;
    this.recorder = new EventRecorder(client, { component: 'cronjob-controller' }, (e) => this.log.debug({ err: String(e) }, 'event write failed'));
    this.cronJobs = this.factory.informerFor<CronJob>(BatchResources.cronJobs);
    this.jobs = this.factory.informerFor<Job>(BatchResources.jobs);
    this.watch(this.cronJobs, this.enqueueAll<CronJob>());
    const byOwner = (j: Job) => {
      const ref = cronJobControllerRef(j);
      if (ref) this.queue.add(`${j.metadata.namespace}/${ref.name}`);
    };
    this.watch(this.jobs, { onAdd: byOwner, onUpdate: (_o, j) => byOwner(j), onDelete: byOwner });
  }

  /** Reconciles now (tests with a moved clock call this rather than wait for the requeue). */
  resync(key: string): void {
    this.queue.add(key);
  }

  protected async reconcile(key: string): Promise<ReconcileResult | void> {
    let cj = this.cronJobs.get(key);
    if (!cj) return;
    const uid = cj.metadata.uid!;
    const jobs = this.jobs.lister
      .byOwner(uid)
      .filter((j) => cronJobControllerRef(j)?.uid === uid)
      .map((j) => structuredClone(j));
    // a running Job the cached status does not list may be our own last create, whose status write the
    // cache has not shown yet: read the CronJob itself before calling the Job unexpected (as upstream)
    const listed = (c: CronJob, j: Job) => (c.status?.active ?? []).some((a) => a.uid === j.metadata.uid);
    if (jobs.some((j) => !finishedCondition(j) && !listed(cj!, j))) {
      try {
        const fresh = await batchV1(this.client).cronJobs(cj.metadata.namespace).get(cj.metadata.name!);
        if (fresh.metadata.uid !== uid) return;
        cj = fresh;
      } catch (e) {
        if (isStatusError(e) && e.code === 404) return;
        throw e;
      }
    }
    const status: CronJobStatus = structuredClone(cj.status ?? {});
    const result = await this.syncCronJob(cj, status, jobs);
    await this.cleanupFinishedJobs(cj, jobs);
    if (JSON.stringify(status) !== JSON.stringify(cj.status ?? {})) {
      await batchV1(this.client)
        .cronJobs(cj.metadata.namespace)
        .updateStatus({ ...cj, status });
    }
    return result;
  }

  private requeueForNext(sched: CronSchedule, now: Date): ReconcileResult | undefined {
    const next = sched.next(now);
    return next ? { requeueAfterMs: next.getTime() - now.getTime() + NEXT_SCHEDULE_DELTA_MS } : undefined;
  }

  private async syncCronJob(cj: CronJob, status: CronJobStatus, jobs: Job[]): Promise<ReconcileResult | void> {
    const now = new Date(this.now());
    const spec = cj.spec!;
    const ns = cj.metadata.namespace!;
    const active = (status.active ??= []);

    // 1. The active list follows the Jobs: finished ones leave it, vanished ones too.
    for (const j of jobs) {
      const inList = active.some((a) => a.uid === j.metadata.uid);
      const finished = finishedCondition(j);
      if (!inList && !finished) {
        this.recorder.event(cj, 'Warning', 'UnexpectedJob', `Saw a job that the controller did not create or forgot: ${j.metadata.name}`);
      } else if (inList && finished) {
        active.splice(
          active.findIndex((a) => a.uid === j.metadata.uid),
          1,
        );
        this.recorder.event(cj, 'Normal', 'SawCompletedJob', `Saw completed job: ${j.metadata.name}, condition: ${finished}`);
      }
      if (finished === 'Complete' && j.status?.completionTime) {
        const t = Date.parse(j.status.completionTime);
        if (!status.lastSuccessfulTime || t > Date.parse(status.lastSuccessfulTime)) status.lastSuccessfulTime = j.status.completionTime;
      }
    }
    for (const ref of [...active]) {
      if (jobs.some((j) => j.metadata.uid === ref.uid)) continue;
      // not in the cache: ask the API server before dropping it
      let gone = false;
      try {
        const j = await batchV1(this.client).jobs(ns).get(ref.name!);
        gone = j.metadata.uid !== ref.uid;
      } catch (e) {
        if (!(isStatusError(e) && e.code === 404)) throw e;
        gone = true;
      }
      if (gone) {
        active.splice(active.indexOf(ref), 1);
        this.recorder.event(cj, 'Normal', 'MissingJob', `Active job went missing: ${ref.name}`);
      }
    }
    if (active.length === 0) delete status.active;

    // 2. Whether a Job is due.
    if (cj.metadata.deletionTimestamp) return;
    if (spec.timeZone) {
      const tzErr = timeZoneError(spec.timeZone);
      if (tzErr) {
        this.recorder.event(cj, 'Warning', 'UnknownTimeZone', `invalid timeZone: "${spec.timeZone}": ${tzErr}`);
        return;
      }
    }
    if (spec.suspend) return;
    let sched: CronSchedule;
    try {
      sched = parseSchedule(spec.schedule, spec.timeZone);
    } catch (e) {
      this.recorder.event(cj, 'Warning', 'InvalidSchedule', `invalid schedule: ${spec.schedule} : ${(e as Error).message}`);
      return;
    }
    const { scheduled, missed } = mostRecentScheduleTime(cj, sched, now);
    if (!scheduled) return this.requeueForNext(sched, now);
    if (missed > MAX_MISSED_START_TIMES) {
      this.recorder.event(
        cj,
        'Warning',
        'TooManyMissedTimes',
        `too many missed start times: ${missed}. Set or decrease .spec.startingDeadlineSeconds or check clock skew`,
      );
    }
    const sds = spec.startingDeadlineSeconds;
    if (sds !== undefined && sds !== null && scheduled.getTime() + sds * 1000 < now.getTime()) {
      this.recorder.event(cj, 'Warning', 'MissSchedule', `Missed scheduled time to start a job: ${formatRFC3339InZone(scheduled, spec.timeZone)}`);
      return this.requeueForNext(sched, now);
    }
    const name = jobNameFor(cj.metadata.name!, scheduled);
    if (active.some((a) => a.name === name) || (status.lastScheduleTime && Date.parse(status.lastScheduleTime) === scheduled.getTime()))
      return this.requeueForNext(sched, now);

    // 3. The concurrency policy.
    if (spec.concurrencyPolicy === 'Forbid' && active.length > 0) {
      this.recorder.event(cj, 'Normal', 'JobAlreadyActive', 'Not starting job because prior execution is running and concurrency policy is Forbid');
      return this.requeueForNext(sched, now);
    }
    if (spec.concurrencyPolicy === 'Replace') {
      for (const ref of [...active]) {
        try {
          await batchV1(this.client)
            .jobs(ns)
            .delete(ref.name!, { propagationPolicy: 'Background', preconditions: { uid: ref.uid } });
          this.recorder.event(cj, 'Normal', 'SuccessfulDelete', `Deleted job ${ref.name}`);
        } catch (e) {
          if (!(isStatusError(e) && (e.code === 404 || e.code === 409))) throw e;
        }
        active.splice(active.indexOf(ref), 1);
      }
    }

    // 4. The Job.
    const job = this.jobFromTemplate(cj, name, scheduled);
    let created: Job;
    try {
      created = await batchV1(this.client).jobs(ns).create(job);
      this.recorder.event(cj, 'Normal', 'SuccessfulCreate', `Created job ${name}`);
    } catch (e) {
      if (!(isStatusError(e) && e.code === 409)) {
        this.recorder.event(cj, 'Warning', 'FailedCreate', `Error creating job: ${(e as Error).message}`);
        throw e;
      }
      // created before a crash (or by a racing worker): ours if it names us as its controller
      created = await batchV1(this.client).jobs(ns).get(name);
      if (cronJobControllerRef(created)?.uid !== cj.metadata.uid) return this.requeueForNext(sched, now);
    }
    const ref: ObjectReference = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      name: created.metadata.name,
      namespace: ns,
      uid: created.metadata.uid,
      resourceVersion: created.metadata.resourceVersion,
    };
    if (!finishedCondition(created) && !active.some((a) => a.uid === ref.uid)) (status.active ??= []).push(ref);
    status.lastScheduleTime = timestamp(scheduled);
    return this.requeueForNext(sched, now);
  }

  private jobFromTemplate(cj: CronJob, name: string, scheduled: Date): Job {
    const tpl = structuredClone(cj.spec!.jobTemplate);
    const annotations = { ...(tpl.metadata?.annotations ?? {}), [JobLabels.cronJobScheduledTimestamp]: formatRFC3339InZone(scheduled, cj.spec!.timeZone) };
    const job: Job = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {
        name,
        namespace: cj.metadata.namespace,
        annotations,
        ownerReferences: [
          { apiVersion: 'batch/v1', kind: 'CronJob', name: cj.metadata.name!, uid: cj.metadata.uid!, controller: true, blockOwnerDeletion: true },
        ],
      },
      spec: tpl.spec ?? { template: {} },
    };
    if (tpl.metadata?.labels && Object.keys(tpl.metadata.labels).length) job.metadata.labels = { ...tpl.metadata.labels };
    return job;
  }

  /** Finished Jobs beyond successfulJobsHistoryLimit / failedJobsHistoryLimit go, oldest first. */
  private async cleanupFinishedJobs(cj: CronJob, jobs: Job[]): Promise<void> {
    const spec = cj.spec!;
    const prune = async (kind: 'Complete' | 'Failed', limit: number | undefined) => {
      if (limit === undefined || limit === null) return;
      const finished = jobs
        .filter((j) => finishedCondition(j) === kind && !j.metadata.deletionTimestamp)
        .sort((a, b) => (Date.parse(a.status?.startTime ?? '') || 0) - (Date.parse(b.status?.startTime ?? '') || 0));
      for (const j of finished.slice(0, Math.max(0, finished.length - limit))) {
        try {
          await batchV1(this.client)
            .jobs(j.metadata.namespace)
            .delete(j.metadata.name!, { propagationPolicy: 'Background', preconditions: { uid: j.metadata.uid } });
          this.recorder.event(cj, 'Normal', 'SuccessfulDelete', `Deleted job ${j.metadata.name}`);
        } catch (e) {
          if (!(isStatusError(e) && (e.code === 404 || e.code === 409))) throw e;
        }
      }
    };
    await prune('Complete', spec.successfulJobsHistoryLimit);
    await prune('Failed', spec.failedJobsHistoryLimit);
  }

  override async stop(): Promise<void> {
    await super.stop();
    await this.recorder.flush();
  }
}
