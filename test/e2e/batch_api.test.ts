// batch/v1 through the real kubectl (1.33 and 1.27), without a node: discovery (cj, category all), explain,
// create job/cronjob and --from=cronjob, printing, and bad input (invalid schedule, inline TZ, unknown time
// zone, restartPolicy Always, negative values, unknown fields, immutable template) refused with 422/400
// naming the field, nothing stored.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TestCluster } from '../helpers/cluster.js';

let c: TestCluster;
before(async () => {
  // no controllers: what is stored is exactly what the API server made of the request
  c = await new TestCluster({ extraArgs: ['--disable-controller-manager'] }).start();
});
after(async () => {
  await c.cleanup();
});

const jobYaml = (name: string, spec = '', restartPolicy = 'OnFailure') => `apiVersion: batch/v1
kind: Job
metadata: {name: ${name}}
spec:
${spec}  template:
    spec:
      restartPolicy: ${restartPolicy}
      containers: [{name: main, image: busybox:1.35, command: ['true']}]
`;

async function names(kind: string): Promise<string[]> {
  return (await c.k(['get', kind, '-o', 'name'])).split('\n').filter(Boolean);
}

test('discovery, explain and printing of jobs and cronjobs (kubectl 1.33 and 1.27)', async () => {
  for (const minor of [undefined, 27]) {
    const res = await c.k(['api-resources', '--api-group=batch'], { minor });
    assert.match(res, /cronjobs\s+cj\s+batch\/v1\s+true\s+CronJob/);
    assert.match(res, /jobs\s+batch\/v1\s+true\s+Job/);
  }
  assert.match(await c.k(['explain', 'cronjob.spec.concurrencyPolicy']), /FIELD: concurrencyPolicy <string>/);
  assert.match(await c.k(['explain', 'job.spec.podFailurePolicy.rules']), /onExitCodes/);
  await c.k(['create', 'cronjob', 'cj1', '--image=busybox:1.35', '--schedule=@hourly', '--', 'date'], { minor: 27 });
  await c.k(['create', 'job', 'j1', '--image=busybox:1.35', '--', 'sh', '-c', 'echo hi']);
  await c.k(['create', 'job', '--from=cronjob/cj1', 'j2']);
  const j2 = JSON.parse(await c.k(['get', 'job', 'j2', '-o', 'json']));
  assert.equal(j2.metadata.ownerReferences[0].kind, 'CronJob');
  assert.equal(j2.metadata.annotations['cronjob.kubernetes.io/instantiate'], 'manual');
  assert.equal(j2.spec.template.spec.restartPolicy, 'OnFailure');
  assert.match(
    await c.k(['get', 'cj']),
    /NAME\s+SCHEDULE\s+TIMEZONE\s+SUSPEND\s+ACTIVE\s+LAST SCHEDULE\s+AGE\ncj1\s+@hourly\s+<none>\s+False\s+0\s+<none>\s+\S+\n/,
  );
  const wide = await c.k(['get', 'jobs', '-o', 'wide'], { minor: 27 });
  assert.match(wide, /NAME\s+STATUS\s+COMPLETIONS\s+DURATION\s+AGE\s+CONTAINERS\s+IMAGES\s+SELECTOR/);
  assert.match(wide, /j1\s+Running\s+0\/1\s+\S+\s+j1\s+busybox:1\.35\s+batch\.kubernetes\.io\/controller-uid=/);
  assert.match(await c.k(['get', 'all']), /cronjob\.batch\/cj1/);
  assert.match(await c.k(['describe', 'cronjob', 'cj1']), /Schedule:\s+@hourly\nConcurrency Policy:\s+Allow/);
  await c.k(['delete', 'cronjob', 'cj1']);
  await c.k(['delete', 'jobs', '--all']);
});

test('bad input is a 422 naming the field (400 for unknown fields), and nothing is stored', async () => {
  const refuse = async (args: string[], input: string | undefined, pattern: RegExp) => {
    const r = await c.kubectl(args, input === undefined ? {} : { input });
    assert.notEqual(r.code, 0, `${args.join(' ')} should fail`);
    assert.match(r.stderr, pattern);
  };
  await refuse(['create', 'cronjob', 'bad', '--image=busybox:1.35', '--schedule=61 * * * *'], undefined, /spec\.schedule: Invalid value: "61 \* \* \* \*"/);
  await refuse(['create', 'cronjob', 'bad', '--image=busybox:1.35', '--schedule=TZ=UTC 0 * * * *'], undefined, /cannot use TZ or CRON_TZ in schedule/);
  await refuse(['create', 'cronjob', 'bad', '--image=busybox:1.35', '--schedule=* * *'], undefined, /is invalid: spec\.schedule/);
  const tz = `apiVersion: batch/v1
kind: CronJob
metadata: {name: bad}
spec:
  schedule: '0 * * * *'
  timeZone: Mars/Olympus
  jobTemplate: {spec: {template: {spec: {restartPolicy: Never, containers: [{name: m, image: busybox:1.35}]}}}}
`;
  await refuse(['apply', '-f', '-'], tz, /spec\.timeZone: Invalid value: "Mars\/Olympus": unknown time zone Mars\/Olympus/);
  await refuse(
    ['apply', '-f', '-'],
    jobYaml('bad', '', 'Always'),
    /spec\.template\.spec\.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"/,
  );
  await refuse(['apply', '-f', '-'], jobYaml('bad', '  backoffLimit: -1\n'), /spec\.backoffLimit: Invalid value: -1: must be greater than or equal to 0/);
  await refuse(['apply', '-f', '-'], jobYaml('bad', '  parallelism: -2\n  completions: -1\n'), /spec\.parallelism.*\n?.*spec\.completions|spec\.parallelism/);
  await refuse(['apply', '-f', '-'], jobYaml('bad', '  activeDeadlineSeconds: 0\n'), /spec\.activeDeadlineSeconds: Invalid value: 0: must be greater than 0/);
  await refuse(
    ['apply', '-f', '-'],
    jobYaml('bad', '  completionMode: Indexed\n  parallelism: 2\n  completions: null\n'),
    /spec\.completions: Required value: when completion mode is Indexed/,
  );
  await refuse(['apply', '-f', '-'], jobYaml('bad', '  bogusField: 1\n'), /unknown field "spec\.bogusField"/);
  assert.deepEqual(await names('jobs'), []);
  assert.deepEqual(await names('cronjobs'), []);

  // an immutable template: the update is refused and the stored Job is unchanged
  await c.k(['apply', '-f', '-'], { input: jobYaml('keep') });
  const before = JSON.parse(await c.k(['get', 'job', 'keep', '-o', 'json']));
  const r = await c.kubectl([
    'patch',
    'job',
    'keep',
    '--type=json',
    '-p',
    '[{"op":"replace","path":"/spec/template/spec/containers/0/image","value":"busybox:1.36"}]',
  ]);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /spec\.template: Invalid value: .*: field is immutable/);
  const sel = await c.kubectl(['patch', 'job', 'keep', '--type=merge', '-p', '{"spec":{"selector":{"matchLabels":{"a":"b"}}}}']);
  assert.match(sel.stderr, /spec\.selector/);
  const after = JSON.parse(await c.k(['get', 'job', 'keep', '-o', 'json']));
  assert.equal(after.metadata.resourceVersion, before.metadata.resourceVersion);
  assert.equal(after.spec.template.spec.containers[0].image, 'busybox:1.35');
  // a raw request gets the Status object with field causes
  const raw = await c.api('POST', '/apis/batch/v1/namespaces/default/jobs', {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'raw' },
    spec: { template: { spec: { restartPolicy: 'Always', containers: [{ name: 'm', image: 'busybox:1.35' }] } } },
  });
  assert.equal(raw.status, 422);
  assert.equal(raw.body.reason, 'Invalid');
  assert.deepEqual(
    raw.body.details.causes.map((x: any) => x.field),
    ['spec.template.spec.restartPolicy'],
  );
  await c.k(['delete', 'job', 'keep']);
});
