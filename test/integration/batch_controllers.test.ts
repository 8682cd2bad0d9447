// The Job and CronJob controllers against an in-process API server, with pods' outcomes written as a node
// agent would: a Job controller restarted mid-Job (even between recording a pod and releasing it) neither
// loses nor double-counts pods; CronJob scheduling on an injected clock (Forbid, Replace, history limits,
// too many missed start times, suspend).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openStorage } from '../../src/storage/index.js';
import { createApiServer, bootstrapSystemNamespaces } from '../../src/apiserver/assemble.js';
import { KubeClient } from '../../src/client/rest.js';
import { coreV1 } from '../../src/client/typed.js';
import { batchV1 } from '../../src/client/typed_batch.js';
import { JobController } from '../../src/controllers/job/job_controller.js';
import { CronJobController } from '../../src/controllers/cronjob/cronjob_controller.js';
import type { CronJob, Job } from '../../src/api/batch/v1/types.js';
import type { Pod } from '../../src/api/core/v1/types.js';
import { waitFor } from '../helpers/cluster.js';

async function startApi(): Promise<{ client: KubeClient; close: () => Promise<void> }> {
  const api = createApiServer(openStorage('memory'));
  await bootstrapSystemNamespaces(api);
  const addr = await api.listen('127.0.0.1', 0);
  const client = new KubeClient({ server: `http://127.0.0.1:${addr.port}` });
  return {
    client,
    close: async () => {
      client.close();
      await api.close();
    },
  };
}

/** What the node agent would write when the pod's container exits with `exitCode`. */
async function finishPod(client: KubeClient, pod: Pod, exitCode: number): Promise<void> {
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  await coreV1(client)
    .pods('default')
    .patchStatus(pod.metadata.name!, {
      status: {
        phase: exitCode === 0 ? 'Succeeded' : 'Failed',
        containerStatuses: [
          {
            name: 'main',
            image: 'busybox:1.35',
            imageID: '',
            ready: false,
            restartCount: 0,
            state: { terminated: { exitCode, reason: exitCode === 0 ? 'Completed' : 'Error', startedAt: now, finishedAt: now } },
          },
        ],
      },
    });
}

const podsOf = async (client: KubeClient, job: string) =>
  (
    await coreV1(client)
      .pods('default')
      .list({ labelSelector: `batch.kubernetes.io/job-name=${job}` })
  ).items.sort((a, b) => a.metadata.name!.localeCompare(b.metadata.name!));

test('a Job controller restart, even between recording and releasing a pod, loses and double-counts nothing', async () => {
  const { client, close } = await startApi();
  let ctl = new JobController(client, { backoffBaseMs: 0 });
  try {
    ctl.start();
    const jobs = batchV1(client).jobs('default');
    await jobs.create({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'work' },
      spec: {
        completions: 3,
        parallelism: 3,
        backoffLimit: 5,
        template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox:1.35' }] } },
      },
    } as Job);
    const first = await waitFor(async () => {
      const p = await podsOf(client, 'work');
      return p.length === 3 ? p : undefined;
    });
    assert.ok(first.every((p) => p.metadata.finalizers?.includes('batch.kubernetes.io/job-tracking')));
    await finishPod(client, first[0]!, 0);
    await waitFor(async () => (await jobs.get('work')).status?.succeeded === 1);
    await ctl.stop();

    // While no controller runs: one pod succeeds, one fails; and the status says the succeeded one was already
    // recorded (as if the controller had crashed after writing uncountedTerminatedPods, before the finalizer went).
    await finishPod(client, first[1]!, 0);
    await finishPod(client, first[2]!, 1);
    const cur = await jobs.get('work');
    await jobs.updateStatus({ ...cur, status: { ...cur.status, uncountedTerminatedPods: { succeeded: [first[1]!.metadata.uid!] } } });

    ctl = new JobController(client, { backoffBaseMs: 0 });
    ctl.start();
    const mid = await waitFor(async () => {
      const j = await jobs.get('work');
      return j.status?.succeeded === 2 && j.status?.failed === 1 && j.status?.active === 1 ? j : undefined;
    });
    assert.deepEqual(mid.status!.uncountedTerminatedPods, {});
    const pods = await podsOf(client, 'work');
    assert.equal(pods.length, 4, 'one replacement for the failed pod');
    for (const p of first) assert.deepEqual((await coreV1(client).pods('default').get(p.metadata.name!)).metadata.finalizers ?? [], []);
    const replacement = pods.find((p) => !first.some((f) => f.metadata.uid === p.metadata.uid))!;
    await finishPod(client, replacement, 0);
    const done = await waitFor(async () => {
      const j = await jobs.get('work');
      return j.status?.conditions?.some((c) => c.type === 'Complete' && c.status === 'True') ? j : undefined;
    });
    assert.equal(done.status!.succeeded, 3);
    assert.equal(done.status!.failed, 1);
    assert.equal((await podsOf(client, 'work')).length, 4);
  } finally {
    await ctl.stop();
    await close();
  }
});

test('CronJob controller on an injected clock: schedule, Forbid, Replace, history limits, missed times, suspend', async () => {
  const { client, close } = await startApi();
  let clock = Date.now();
  const ctl = new CronJobController(client, { now: () => clock });
  const cronJobs = batchV1(client).cronJobs('default');
  const jobs = batchV1(client).jobs('default');
  const ownJobs = async () => (await jobs.list()).items.filter((j) => j.metadata.ownerReferences?.[0]?.kind === 'CronJob').map((j) => j.metadata.name!);
  const events = async (reason: string) =>
    (
      await coreV1(client)
        .events('default')
        .list({ fieldSelector: `involvedObject.name=every5,reason=${reason}` })
    ).items.length;
  const complete = async (name: string) => {
    const j = await jobs.get(name);
    const now = new Date(clock).toISOString().replace(/\.\d{3}Z$/, 'Z');
    await jobs.updateStatus({
      ...j,
      status: {
        ...j.status,
        startTime: j.status?.startTime ?? now,
        completionTime: now,
        succeeded: 1,
        conditions: [
          { type: 'SuccessCriteriaMet', status: 'True', reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods' },
          { type: 'Complete', status: 'True', reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods' },
        ],
      },
    });
  };
  try {
    ctl.start();
    const cj = await cronJobs.create({
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'every5' },
      spec: {
        schedule: '*/5 * * * *',
        concurrencyPolicy: 'Forbid',
        successfulJobsHistoryLimit: 1,
        jobTemplate: { spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'main', image: 'busybox:1.35' }] } } } },
      },
    } as CronJob);
    const key = 'default/every5';
    const t1 = (Math.floor(Date.parse(cj.metadata.creationTimestamp!) / 300_000) + 1) * 300_000;
    const name = (t: number) => `every5-${t / 60_000}`;

    clock = t1 + 1000;
    ctl.resync(key);
    await waitFor(async () => (await ownJobs()).includes(name(t1)));
    const j1 = await jobs.get(name(t1));
    assert.equal(Date.parse(j1.metadata.annotations!['batch.kubernetes.io/cronjob-scheduled-timestamp']!), t1);
    assert.equal(j1.metadata.ownerReferences![0]!.controller, true);
    const s1 = await waitFor(async () => ((await cronJobs.get('every5')).status?.active?.length === 1 ? await cronJobs.get('every5') : undefined));
    assert.equal(Date.parse(s1.status!.lastScheduleTime!), t1);

    // Forbid: the next run waits while the first is active
    const t2 = t1 + 300_000;
    clock = t2 + 1000;
    ctl.resync(key);
    await waitFor(async () => (await events('JobAlreadyActive')) > 0);
    assert.deepEqual(await ownJobs(), [name(t1)]);

    // once it completes, the due run starts; the completed one is seen and kept (history limit 1)
    await complete(name(t1));
    await waitFor(async () => (await ownJobs()).includes(name(t2)));
    const s2 = await waitFor(async () => {
      const x = await cronJobs.get('every5');
      return x.status?.lastSuccessfulTime && x.status.active?.[0]?.name === name(t2) ? x : undefined;
    });
    assert.equal(Date.parse(s2.status!.lastScheduleTime!), t2);
    assert.ok((await events('SawCompletedJob')) > 0);

    // Replace: the running job is deleted for the new one
    await cronJobs.patch('every5', { spec: { concurrencyPolicy: 'Replace' } });
    const t3 = t2 + 300_000;
    clock = t3 + 1000;
    ctl.resync(key);
    await waitFor(async () => {
      const own = await ownJobs();
      return own.includes(name(t3)) && !own.includes(name(t2));
    });

    // history: two completed jobs with limit 1 leave only the newest
    await complete(name(t3));
    await waitFor(async () => {
      const own = await ownJobs();
      return own.length === 1 && own[0] === name(t3);
    });
    assert.ok((await events('SuccessfulDelete')) >= 2);

    // a day later: more than 100 missed start times are reported, and only the most recent runs
    const later = t3 + 24 * 3_600_000;
    clock = later + 1000;
    ctl.resync(key);
    await waitFor(async () => (await ownJobs()).includes(name(later)));
    assert.ok((await events('TooManyMissedTimes')) > 0);
    assert.equal((await ownJobs()).length, 2);

    // suspended: nothing new is scheduled
    await complete(name(later));
    await cronJobs.patch('every5', { spec: { suspend: true } });
    await waitFor(async () => (await ownJobs()).length === 1);
    clock = later + 300_000 + 1000;
    ctl.resync(key);
    await new Promise((r) => setTimeout(r, 500));
    assert.deepEqual(await ownJobs(), [name(later)]);
    // its own Jobs are never "unexpected", even when the sync after a create runs before the cache shows the status write
    assert.equal(await events('UnexpectedJob'), 0);
  } finally {
    await ctl.stop();
    await close();
  }
});
