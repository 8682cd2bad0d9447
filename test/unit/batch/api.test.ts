// batch/v1 defaults and validation: Job counts and modes, the generated selector and labels, pod failure
// and success policies, immutable fields, and CronJob schedule/time zone/policy checks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateJobSelector, setDefaultsCronJob, setDefaultsJob } from '../../../src/api/batch/v1/defaults.js';
import { validateCronJob, validateJob, validateJobUpdate } from '../../../src/api/batch/v1/validation.js';
import type { CronJob, Job } from '../../../src/api/batch/v1/types.js';
import type { StatusCause } from '../../../src/api/types.js';

const UID = '11111111-2222-3333-4444-555555555555';

function job(spec: Record<string, unknown> = {}, restartPolicy = 'Never'): Job {
  const j = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'pi', namespace: 'default', uid: UID },
    spec: { template: { spec: { containers: [{ name: 'c', image: 'busybox:1.35' }], restartPolicy } }, ...spec },
  } as unknown as Job;
  setDefaultsJob(j);
  generateJobSelector(j);
  return j;
}

const fields = (causes: StatusCause[]) => causes.map((c) => c.field);

test('Job defaults: one pod, backoffLimit 6, NonIndexed, not suspended', () => {
  const j = job();
  assert.equal(j.spec!.completions, 1);
  assert.equal(j.spec!.parallelism, 1);
  assert.equal(j.spec!.backoffLimit, 6);
  assert.equal(j.spec!.completionMode, 'NonIndexed');
  assert.equal(j.spec!.suspend, false);
  assert.equal(j.spec!.podReplacementPolicy, 'TerminatingOrFailed');
  assert.deepEqual(validateJob(j), []);
});

test('Job defaults: parallelism alone is a work queue (completions unset); backoffLimitPerIndex lifts backoffLimit', () => {
  const wq = job({ parallelism: 3 });
  assert.equal(wq.spec!.completions, undefined);
  assert.equal(wq.spec!.parallelism, 3);
  const perIndex = job({ completions: 3, completionMode: 'Indexed', backoffLimitPerIndex: 1 });
  assert.equal(perIndex.spec!.backoffLimit, 2147483647);
  const pfp = job({ podFailurePolicy: { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] }] } });
  assert.equal(pfp.spec!.podReplacementPolicy, 'Failed');
  assert.equal(pfp.spec!.podFailurePolicy!.rules[0]!.onPodConditions![0]!.status, 'True');
});

test('generated selector and labels: controller-uid and job-name, new and legacy', () => {
  const j = job();
  assert.deepEqual(j.spec!.selector, { matchLabels: { 'batch.kubernetes.io/controller-uid': UID } });
  assert.deepEqual(j.spec!.template.metadata!.labels, {
    'batch.kubernetes.io/controller-uid': UID,
    'controller-uid': UID,
    'batch.kubernetes.io/job-name': 'pi',
    'job-name': 'pi',
  });
  assert.equal(j.metadata.labels!['job-name'], 'pi');
  // a selector that is not the generated one is refused without manualSelector
  const other = job();
  other.spec!.selector = { matchLabels: { app: 'x' } };
  other.spec!.template.metadata!.labels!.app = 'x';
  assert.ok(fields(validateJob(other)).includes('spec.selector'));
  other.spec!.manualSelector = true;
  assert.deepEqual(validateJob(other), []);
  // manual selectors must still match the template
  other.spec!.selector = { matchLabels: { app: 'y' } };
  assert.ok(fields(validateJob(other)).includes('spec.template.metadata.labels'));
});

test('restartPolicy Always is refused, OnFailure and Never accepted', () => {
  const causes = validateJob(job({}, 'Always'));
  assert.equal(causes.length, 1);
  assert.equal(causes[0]!.field, 'spec.template.spec.restartPolicy');
  assert.equal(causes[0]!.message, 'Unsupported value: "Always": supported values: "OnFailure", "Never"');
  assert.deepEqual(validateJob(job({}, 'OnFailure')), []);
});

test('negative counts and deadlines name their fields', () => {
  assert.deepEqual(fields(validateJob(job({ parallelism: -1 }))), ['spec.parallelism']);
  assert.deepEqual(fields(validateJob(job({ completions: -2 }))), ['spec.completions']);
  assert.deepEqual(fields(validateJob(job({ backoffLimit: -1 }))), ['spec.backoffLimit']);
  assert.deepEqual(fields(validateJob(job({ activeDeadlineSeconds: 0 }))), ['spec.activeDeadlineSeconds']);
  assert.deepEqual(fields(validateJob(job({ ttlSecondsAfterFinished: -5 }))), ['spec.ttlSecondsAfterFinished']);
});

test('Indexed needs completions; per-index backoff needs Indexed', () => {
  assert.deepEqual(fields(validateJob(job({ completionMode: 'Indexed', completions: null, parallelism: 2 }))), ['spec.completions']);
  assert.deepEqual(fields(validateJob(job({ completionMode: 'Sometimes' }))), ['spec.completionMode']);
  assert.deepEqual(fields(validateJob(job({ backoffLimitPerIndex: 1 }))), ['spec.backoffLimitPerIndex']);
  assert.deepEqual(validateJob(job({ completionMode: 'Indexed', completions: 3, parallelism: 3 })), []);
});

test('podFailurePolicy: rules checked, restartPolicy Never required', () => {
  const ok = { rules: [{ action: 'FailJob', onExitCodes: { operator: 'In', values: [42] } }] };
  assert.deepEqual(validateJob(job({ podFailurePolicy: ok })), []);
  assert.deepEqual(fields(validateJob(job({ podFailurePolicy: ok }, 'OnFailure'))), ['spec.template.spec.restartPolicy']);
  const bad = {
    rules: [
      { action: 'Explode', onExitCodes: { operator: 'In', values: [1] } },
      { action: 'FailJob', onExitCodes: { operator: 'In', values: [0, 3, 2] } },
      { action: 'Ignore' },
      { action: 'FailIndex', onPodConditions: [{ type: 'DisruptionTarget' }] },
    ],
  };
  assert.deepEqual(fields(validateJob(job({ podFailurePolicy: bad }))), [
    'spec.podFailurePolicy.rules[0].action',
    'spec.podFailurePolicy.rules[1].onExitCodes.values[0]',
    'spec.podFailurePolicy.rules[1].onExitCodes.values[2]',
    'spec.podFailurePolicy.rules[2]',
    'spec.podFailurePolicy.rules[3].action',
  ]);
});

test('successPolicy needs Indexed and valid indexes within completions', () => {
  assert.deepEqual(
    validateJob(job({ completionMode: 'Indexed', completions: 5, successPolicy: { rules: [{ succeededIndexes: '0-2', succeededCount: 2 }] } })),
    [],
  );
  assert.deepEqual(fields(validateJob(job({ completions: 5, successPolicy: { rules: [{ succeededCount: 1 }] } }))), ['spec.successPolicy']);
  assert.deepEqual(fields(validateJob(job({ completionMode: 'Indexed', completions: 3, successPolicy: { rules: [{ succeededIndexes: '2-1' }] } }))), [
    'spec.successPolicy.rules[0].succeededIndexes',
  ]);
});

test('update: template, selector and completion mode are immutable; suspended never-started jobs may change scheduling', () => {
  const old = job();
  const changed = structuredClone(old);
  changed.spec!.template.spec!.containers[0]!.image = 'busybox:1.36';
  assert.deepEqual(fields(validateJobUpdate(changed, old)), ['spec.template']);
  const sel = structuredClone(old);
  sel.spec!.selector = { matchLabels: { 'batch.kubernetes.io/controller-uid': 'other' } };
  assert.ok(fields(validateJobUpdate(sel, old)).includes('spec.selector'));
  const scaled = structuredClone(old);
  scaled.spec!.parallelism = 4;
  scaled.spec!.suspend = true;
  assert.deepEqual(validateJobUpdate(scaled, old), []);
  const suspended = job({ suspend: true });
  const placed = structuredClone(suspended);
  placed.spec!.template.spec!.nodeSelector = { zone: 'a' };
  assert.deepEqual(validateJobUpdate(placed, suspended), []);
});

function cronJob(spec: Record<string, unknown> = {}): CronJob {
  const cj = {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'hello', namespace: 'default' },
    spec: {
      schedule: '*/5 * * * *',
      jobTemplate: { spec: { template: { spec: { containers: [{ name: 'c', image: 'busybox:1.35' }], restartPolicy: 'OnFailure' } } } },
      ...spec,
    },
  } as unknown as CronJob;
  setDefaultsCronJob(cj);
  return cj;
}

test('CronJob defaults: Allow, not suspended, history 3 and 1; the job template keeps its counts unset', () => {
  const cj = cronJob();
  assert.equal(cj.spec!.concurrencyPolicy, 'Allow');
  assert.equal(cj.spec!.suspend, false);
  assert.equal(cj.spec!.successfulJobsHistoryLimit, 3);
  assert.equal(cj.spec!.failedJobsHistoryLimit, 1);
  assert.equal(cj.spec!.jobTemplate.spec!.parallelism, undefined);
  assert.equal(cj.spec!.jobTemplate.spec!.template.spec!.dnsPolicy, 'ClusterFirst');
  assert.deepEqual(validateCronJob(cj), []);
});

test('CronJob validation: schedule, inline TZ, time zone, policy, limits, name length, template', () => {
  const one = (spec: Record<string, unknown>) => validateCronJob(cronJob(spec)).map((c) => `${c.field}: ${c.message}`);
  assert.deepEqual(one({ schedule: 'not a schedule' }), ['spec.schedule: Invalid value: "not a schedule": expected exactly 5 fields, found 3: not a schedule']);
  assert.deepEqual(one({ schedule: 'TZ=UTC 0 * * * *' }), [
    'spec.schedule: Invalid value: "TZ=UTC 0 * * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead',
  ]);
  assert.deepEqual(one({ timeZone: 'Nowhere/Land' }), ['spec.timeZone: Invalid value: "Nowhere/Land": unknown time zone Nowhere/Land']);
  assert.deepEqual(one({ timeZone: 'Europe/Paris', schedule: '@daily' }), []);
  assert.deepEqual(one({ concurrencyPolicy: 'Sometimes' }), [
    'spec.concurrencyPolicy: Unsupported value: "Sometimes": supported values: "Allow", "Forbid", "Replace"',
  ]);
  assert.deepEqual(fields(validateCronJob(cronJob({ startingDeadlineSeconds: -1, successfulJobsHistoryLimit: -1 }))), [
    'spec.startingDeadlineSeconds',
    'spec.successfulJobsHistoryLimit',
  ]);
  const long = cronJob();
  long.metadata.name = 'x'.repeat(53);
  assert.deepEqual(fields(validateCronJob(long)), ['metadata.name']);
  const always = cronJob();
  always.spec!.jobTemplate.spec!.template.spec!.restartPolicy = 'Always';
  assert.deepEqual(fields(validateCronJob(always)), ['spec.jobTemplate.spec.template.spec.restartPolicy']);
  assert.deepEqual(fields(validateCronJob(cronJob({ schedule: '' }))), ['spec.schedule']);
});
