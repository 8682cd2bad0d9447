// The TTL-after-finished controller (upstream pkg/controller/ttlafterfinished): deletes a finished Job
// (Complete or Failed) ttlSecondsAfterFinished after it finished, with Background propagation so the garbage
// collector removes its pods. The Job is read fresh before deleting, and the delete is conditional on its UID.
import type { Job } from '../../api/batch/v1/types.js';
import { isStatusError } from '../../api/errors.js';
import { Controller, type ReconcileResult } from '../../client/controller.js';
import type { SharedInformerFactory } from '../../client/informer_factory.js';
import type { KubeClient } from '../../client/rest.js';
import type { SharedIndexInformer } from '../../client/shared_informer.js';
import { batchV1, BatchResources } from '../../client/typed_batch.js';
import type { Logger } from '../../log/logger.js';

/** When a finished Job finished: its Complete/Failed condition's transition time (completionTime as fallback). */
export function jobFinishTime(job: Job): number | undefined {
  const c = (job.status?.conditions ?? []).find((x) => (x.type === 'Complete' || x.type === 'Failed') && x.status === 'True');
  if (!c) return undefined;
  const t = Date.parse(c.lastTransitionTime ?? job.status?.completionTime ?? '');
  return Number.isFinite(t) ? t : undefined;
}

/** Milliseconds until the Job's TTL expires (≤ 0: expired); undefined when it has no TTL or is not finished. */
export function timeLeft(job: Job, now: number): number | undefined {
  const ttl = job.spec?.ttlSecondsAfterFinished;
  if (ttl === undefined || ttl === null || job.metadata.deletionTimestamp) return undefined;
  const finished = jobFinishTime(job);
  if (finished === undefined) return undefined;
  return finished + ttl * 1000 - now;
}

export class TTLAfterFinishedController extends Controller {
  private readonly jobs: SharedIndexInformer<Job>;
  private readonly now: () => number;

  constructor(
    private readonly client: KubeClient,
    opts: { factory?: SharedInformerFactory; log?: Logger; workers?: number; now?: () => number } = {},
  ) {
    super({ name: 'ttlafterfinished', client, factory: opts.factory, log: opts.log, workers: opts.workers ?? 5 });
    this.now = opts.now ?? Date.now;
    this.jobs = this.factory.informerFor<Job>(BatchResources.jobs);
    this.watch(
      this.jobs,
      this.enqueueAll<Job>((j) => timeLeft(j, this.now()) !== undefined),
    );
  }

  protected async reconcile(key: string): Promise<ReconcileResult | void> {
    const cached = this.jobs.get(key);
    if (!cached) return;
    const left = timeLeft(cached, this.now());
    if (left === undefined) return;
    if (left > 0) return { requeueAfterMs: left };
    const [ns, name] = key.split('/') as [string, string];
    const jobs = batchV1(this.client).jobs(ns);
    // the cache may be stale (TTL lengthened, job re-created): decide on a fresh read
    let fresh: Job;
    try {
      fresh = await jobs.get(name);
    } catch (e) {
      if (isStatusError(e) && e.code === 404) return;
      throw e;
    }
    const freshLeft = timeLeft(fresh, this.now());
    if (freshLeft === undefined) return;
    if (freshLeft > 0) return { requeueAfterMs: freshLeft };
    try {
      await jobs.delete(name, { propagationPolicy: 'Background', preconditions: { uid: fresh.metadata.uid } });
      this.log.info({ job: key }, 'Cleaning up Job');
    } catch (e) {
      if (isStatusError(e) && (e.code === 404 || e.code === 409)) return;
      throw e;
    }
  }
}
