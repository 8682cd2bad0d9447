// Pure parts of the batch controllers: pod failure backoff, the most recent missed schedule time, Job names
// of a CronJob, pod failure policy matching, the pods a Job creates, and TTL expiry.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDuration, nextBackoffRecord, remainingBackoff } from '../../../src/controllers/job/backoff.js';
import { jobNameFor, mostRecentScheduleTime } from '../../../src/controllers/cronjob/cronjob_controller.js';
import { matchPodFailurePolicy } from '../../../src/controllers/job/pod_failure_policy.js';
import { podFromJob } from '../../../src/controllers/job/pod_template.js';
import { completionIndex, firstPendingIndexes } from '../../../src/controllers/job/indexed.js';
import { timeLeft } from '../../../src/controllers/ttlafterfinished/ttl_after_finished_controller.js';
import { formatRFC3339InZone, parseSchedule } from '../../../src/api/batch/v1/cron.js';
import type { CronJob, Job } from '../../../src/api/batch/v1/types.js';
import type { Pod } from '../../../src/api/core/v1/types.js';

test('backoff: 10 s doubling per failure since the last success, capped at 10 min', () => {
  assert.equal(backoffDuration(0), 0);
  assert.equal(backoffDuration(1), 10_000);
  assert.equal(backoffDuration(2), 20_000);
  assert.equal(backoffDuration(3), 40_000);
  assert.equal(backoffDuration(6), 320_000);
  assert.equal(backoffDuration(7), 600_000);
  assert.equal(backoffDuration(1000), 600_000);
  assert.equal(backoffDuration(3, 1000, 2500), 2500);
  let rec = nextBackoffRecord({ failuresAfterLastSuccess: 0 }, 0, [1000, 3000]);
  assert.deepEqual(rec, { failuresAfterLastSuccess: 2, lastFailureTime: 3000 });
  assert.equal(remainingBackoff(rec, 3000), 20_000);
  assert.equal(remainingBackoff(rec, 13_000), 10_000);
  assert.equal(remainingBackoff(rec, 23_000), 0);
  rec = nextBackoffRecord(rec, 1, []);
  assert.equal(remainingBackoff(rec, 3000), 0);
});

function cron(spec: Partial<CronJob['spec']>, status: CronJob['status'] = {}, created = '2026-01-01T00:00:00Z'): CronJob {
  return { metadata: { name: 'cj', creationTimestamp: created }, spec: { schedule: '*/5 * * * *', jobTemplate: {}, ...spec }, status } as CronJob;
}

test('most recent schedule time: from creation or lastScheduleTime, bounded by startingDeadlineSeconds', () => {
  const sched = parseSchedule('*/5 * * * *');
  const at = (s: string) => new Date(s);
  assert.deepEqual(mostRecentScheduleTime(cron({}), sched, at('2026-01-01T00:04:00Z')), { missed: 0 });
  const one = mostRecentScheduleTime(cron({}), sched, at('2026-01-01T00:05:30Z'));
  assert.equal(one.scheduled?.toISOString(), '2026-01-01T00:05:00.000Z');
  assert.equal(one.missed, 1);
  const three = mostRecentScheduleTime(cron({}), sched, at('2026-01-01T00:16:00Z'));
  assert.equal(three.scheduled?.toISOString(), '2026-01-01T00:15:00.000Z');
  assert.equal(three.missed, 3);
  const after = mostRecentScheduleTime(cron({}, { lastScheduleTime: '2026-01-01T00:15:00Z' }), sched, at('2026-01-01T00:16:00Z'));
  assert.equal(after.scheduled, undefined);
  // a day of missed runs is "too many" (more than 100) unless startingDeadlineSeconds bounds the look-back
  const many = mostRecentScheduleTime(cron({}), sched, at('2026-01-02T00:01:00Z'));
  assert.equal(many.scheduled?.toISOString(), '2026-01-02T00:00:00.000Z');
  assert.ok(many.missed > 100);
  const bounded = mostRecentScheduleTime(cron({ startingDeadlineSeconds: 600 }), sched, at('2026-01-02T00:01:00Z'));
  assert.equal(bounded.scheduled?.toISOString(), '2026-01-02T00:00:00.000Z');
  assert.equal(bounded.missed, 2);
  const tz = mostRecentScheduleTime(
    cron({ schedule: '0 9 * * *' }, {}, '2025-12-31T20:00:00Z'),
    parseSchedule('0 9 * * *', 'Asia/Tokyo'),
    at('2026-01-01T01:00:00Z'),
  );
  assert.equal(tz.scheduled?.toISOString(), '2026-01-01T00:00:00.000Z');
});

test('job names and scheduled-timestamp annotations', () => {
  assert.equal(jobNameFor('hello', new Date('2026-01-01T00:05:00Z')), `hello-${Date.parse('2026-01-01T00:05:00Z') / 60_000}`);
  assert.equal(formatRFC3339InZone(new Date('2026-01-01T00:05:00Z')), '2026-01-01T00:05:00Z');
  assert.equal(formatRFC3339InZone(new Date('2026-07-01T13:00:00Z'), 'America/New_York'), '2026-07-01T09:00:00-04:00');
  assert.equal(formatRFC3339InZone(new Date('2026-01-01T00:00:00Z'), 'Asia/Kolkata'), '2026-01-01T05:30:00+05:30');
});

function failedPod(codes: Record<string, number>, conditions: { type: string; status: string }[] = []): Pod {
  return {
    metadata: { name: 'p', namespace: 'ns' },
    spec: { containers: [] },
    status: {
      phase: 'Failed',
      conditions,
      containerStatuses: Object.entries(codes).map(([name, exitCode]) => ({ name, state: { terminated: { exitCode } } })),
    },
  } as unknown as Pod;
}

test('pod failure policy: first matching rule wins; exit code 0 never matches; conditions match by status', () => {
  const policy = {
    rules: [
      { action: 'Ignore' as const, onPodConditions: [{ type: 'DisruptionTarget', status: 'True' as const }] },
      { action: 'FailJob' as const, onExitCodes: { containerName: 'main', operator: 'In' as const, values: [42] } },
      { action: 'Count' as const, onExitCodes: { operator: 'NotIn' as const, values: [1, 2] } },
    ],
  };
  assert.deepEqual(matchPodFailurePolicy(policy, failedPod({ main: 42 })), {
    action: 'FailJob',
    message: 'Container main for pod ns/p failed with exit code 42 matching FailJob rule at index 1',
  });
  assert.equal(matchPodFailurePolicy(policy, failedPod({ side: 42 }))?.action, 'Count');
  assert.equal(matchPodFailurePolicy(policy, failedPod({ main: 1 })), undefined);
  assert.equal(matchPodFailurePolicy(policy, failedPod({ main: 0, side: 2 })), undefined);
  assert.equal(matchPodFailurePolicy(policy, failedPod({ main: 42 }, [{ type: 'DisruptionTarget', status: 'True' }]))?.action, 'Ignore');
  assert.equal(matchPodFailurePolicy(undefined, failedPod({ main: 42 })), undefined);
});

test('pods of a Job: owner, finalizer, labels; Indexed adds index annotation, label, hostname and env', () => {
  const job = {
    metadata: { name: 'work', namespace: 'default', uid: 'u1' },
    spec: {
      completionMode: 'Indexed',
      completions: 3,
      template: { metadata: { labels: { 'job-name': 'work' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox:1.35' }] } },
    },
  } as unknown as Job;
  const p = podFromJob(job, 2);
  assert.equal(p.metadata.generateName, 'work-2-');
  assert.deepEqual(p.metadata.finalizers, ['batch.kubernetes.io/job-tracking']);
  assert.deepEqual(p.metadata.ownerReferences, [{ apiVersion: 'batch/v1', kind: 'Job', name: 'work', uid: 'u1', controller: true, blockOwnerDeletion: true }]);
  assert.equal(p.metadata.annotations!['batch.kubernetes.io/job-completion-index'], '2');
  assert.equal(p.metadata.labels!['batch.kubernetes.io/job-completion-index'], '2');
  assert.equal(p.spec!.hostname, 'work-2');
  assert.deepEqual(p.spec!.containers[0]!.env, [
    { name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { fieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']" } } },
  ]);
  assert.equal(completionIndex(p, 3), 2);
  assert.equal(completionIndex(p, 2), undefined);
  assert.equal(job.spec!.template.spec!.containers[0]!.env, undefined, 'the template is not changed');
  assert.deepEqual(firstPendingIndexes(5, new Set([0, 2]), 2), [1, 3]);
  const plain = podFromJob({ ...job, spec: { ...job.spec!, completionMode: 'NonIndexed' } });
  assert.equal(plain.metadata.generateName, 'work-');
  assert.equal(plain.metadata.annotations, undefined);
});

test('TTL after finished: counted from the finished condition', () => {
  const job = (ttl: number | undefined, conditions: unknown[]) =>
    ({ metadata: {}, spec: { ttlSecondsAfterFinished: ttl, template: {} }, status: { conditions } }) as unknown as Job;
  const done = [{ type: 'Complete', status: 'True', lastTransitionTime: '2026-01-01T00:00:00Z' }];
  const now = Date.parse('2026-01-01T00:00:30Z');
  assert.equal(timeLeft(job(60, done), now), 30_000);
  assert.equal(timeLeft(job(10, done), now), -20_000);
  assert.equal(timeLeft(job(undefined, done), now), undefined);
  assert.equal(timeLeft(job(10, [{ type: 'Complete', status: 'False' }]), now), undefined);
  assert.equal(timeLeft(job(0, [{ type: 'Failed', status: 'True', lastTransitionTime: '2026-01-01T00:00:30Z' }]), now), 0);
});
