// Job and CronJob Table rows: STATUS from conditions, COMPLETIONS forms, DURATION, wide columns.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { printerFor } from '../../../src/apiserver/printers/index.js';
import type { KubeObject } from '../../../src/api/types.js';

const now = new Date('2026-01-01T01:00:00Z');
const jobs = printerFor('batch', 'jobs');
const cronjobs = printerFor('batch', 'cronjobs');

function job(spec: Record<string, unknown>, status: Record<string, unknown> = {}, meta: Record<string, unknown> = {}): KubeObject {
  return {
    metadata: { name: 'pi', creationTimestamp: '2026-01-01T00:00:00Z', ...meta },
    spec: {
      template: {
        spec: {
          containers: [
            { name: 'a', image: 'busybox:1.35' },
            { name: 'b', image: 'nginx' },
          ],
        },
      },
      ...spec,
    },
    status,
  };
}

test('job columns are upstream’s, wide ones at priority 1', () => {
  assert.deepEqual(
    jobs.columns.map((c) => `${c.name}:${c.priority}`),
    ['Name:0', 'Status:0', 'Completions:0', 'Duration:0', 'Age:0', 'Containers:1', 'Images:1', 'Selector:1'],
  );
  assert.deepEqual(
    cronjobs.columns.map((c) => c.name),
    ['Name', 'Schedule', 'Timezone', 'Suspend', 'Active', 'Last Schedule', 'Age', 'Containers', 'Images', 'Selector'],
  );
});

test('job rows: completions forms, status by condition, duration', () => {
  const running = jobs.cells(job({ completions: 3, selector: { matchLabels: { a: 'b' } } }, { succeeded: 1, startTime: '2026-01-01T00:30:00Z' }), now);
  assert.deepEqual(running, ['pi', 'Running', '1/3', '30m', '60m', 'a,b', 'busybox:1.35,nginx', 'a=b']);
  const done = jobs.cells(
    job(
      { completions: 1 },
      { succeeded: 1, startTime: '2026-01-01T00:00:00Z', completionTime: '2026-01-01T00:00:12Z', conditions: [{ type: 'Complete', status: 'True' }] },
    ),
    now,
  );
  assert.deepEqual(done.slice(0, 4), ['pi', 'Complete', '1/1', '12s']);
  assert.equal(jobs.cells(job({ parallelism: 3 }), now)[2], '0/1 of 3');
  assert.equal(jobs.cells(job({ parallelism: 1 }), now)[2], '0/1');
  assert.equal(jobs.cells(job({}, { conditions: [{ type: 'Failed', status: 'True' }] }), now)[1], 'Failed');
  assert.equal(jobs.cells(job({}, { conditions: [{ type: 'Suspended', status: 'True' }] }), now)[1], 'Suspended');
  assert.equal(jobs.cells(job({}, { conditions: [{ type: 'FailureTarget', status: 'True' }] }), now)[1], 'FailureTarget');
  assert.equal(jobs.cells(job({}, {}, { deletionTimestamp: '2026-01-01T00:59:00Z' }), now)[1], 'Terminating');
  assert.equal(jobs.cells(job({}), now)[3], '');
  assert.equal(jobs.cells(job({}), now)[7], '<none>');
});

test('cronjob rows', () => {
  const cj: KubeObject = {
    metadata: { name: 'tick', creationTimestamp: '2026-01-01T00:00:00Z' },
    spec: {
      schedule: '*/1 * * * *',
      suspend: false,
      jobTemplate: { spec: { template: { spec: { containers: [{ name: 'c', image: 'busybox:1.35' }] } } } },
    },
    status: { active: [{ name: 'tick-1' }], lastScheduleTime: '2026-01-01T00:59:00Z' },
  };
  assert.deepEqual(cronjobs.cells(cj, now), ['tick', '*/1 * * * *', '<none>', 'False', 1, '60s', '60m', 'c', 'busybox:1.35', '<none>']);
  (cj.spec as Record<string, unknown>).timeZone = 'Etc/UTC';
  (cj.status as Record<string, unknown>).lastScheduleTime = undefined;
  assert.deepEqual(cronjobs.cells(cj, now).slice(2, 6), ['Etc/UTC', 'False', 1, '<none>']);
});
