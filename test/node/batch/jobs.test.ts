// Jobs on the real node agent through the real kubectl (1.33 and 1.27): the seed's Job to completion,
// backoffLimit (failed pods, and container restarts under OnFailure), Indexed completions with $JOB_COMPLETION_INDEX, parallelism, activeDeadlineSeconds,
// suspend/resume, podFailurePolicy FailJob, TTL-after-finished deletion, and a CronJob that fires.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor, type TestCluster } from '../../helpers/cluster.js';
import { hostCanRunPods, startAgentCluster } from '../kubelet/helpers.js';

const skip = hostCanRunPods() ? false : 'needs root, runc, conmon, catatonit, CNI plugins and busybox-static';

async function getJob(c: TestCluster, name: string): Promise<any> {
  return JSON.parse(await c.k(['get', 'job', name, '-o', 'json']));
}

async function jobPods(c: TestCluster, name: string): Promise<any[]> {
  return JSON.parse(await c.k(['get', 'pods', '-l', `batch.kubernetes.io/job-name=${name}`, '-o', 'json'])).items;
}

function condition(job: any, type: string): any {
  return (job.status?.conditions ?? []).find((x: any) => x.type === type);
}

async function jobEvents(c: TestCluster, name: string): Promise<string[]> {
  const list = JSON.parse(await c.k(['get', 'events', '--field-selector', `involvedObject.kind=Job,involvedObject.name=${name}`, '-o', 'json']));
  return list.items.map((e: any) => `${e.type} ${e.reason} ${e.message}`);
}

describe('batch: Jobs and CronJobs on a real node', { skip, concurrency: 1 }, () => {
  let c: TestCluster;
  before(async () => {
    c = await startAgentCluster(['--job-pod-failure-backoff', '1s']);
  });
  after(async () => {
    if (!c) return;
    // Jobs first, so that nothing recreates the pods the cleanup deletes
    await c.kubectl(['delete', 'cronjobs,jobs', '--all', '--wait=false']);
    const leftovers = await c.cleanupAgent();
    await c.cleanup();
    assert.deepEqual(leftovers, [], 'host resources left behind');
  });

  it("runs the seed's Job (restartPolicy OnFailure) to completion; wait, logs, get and describe work", async () => {
    await c.k(['apply', '-f', '-'], {
      input: `apiVersion: batch/v1
kind: Job
metadata:
  name: hello
spec:
  template:
    # This is the pod template
    spec:
      containers:
      - name: hello
        image: busybox:1.35
        command: ['sh', '-c', 'echo "Hello, Kubernetes!" && sleep 1']
      restartPolicy: OnFailure
    # The pod template ends here
`,
    });
    await c.k(['wait', '--for=condition=complete', 'job/hello', '--timeout=60s']);
    await c.k(['wait', '--for=condition=complete', 'job/hello', '--timeout=5s'], { minor: 27 });
    const job = await getJob(c, 'hello');
    assert.equal(job.status.succeeded, 1);
    assert.equal(job.status.failed ?? 0, 0);
    assert.equal(job.status.active ?? 0, 0);
    assert.ok(job.status.startTime && job.status.completionTime);
    assert.equal(condition(job, 'Complete').reason, 'CompletionsReached');
    assert.equal(condition(job, 'SuccessCriteriaMet').status, 'True');
    assert.deepEqual(job.status.uncountedTerminatedPods, {});
    assert.match(await c.k(['logs', 'job/hello']), /Hello, Kubernetes!/);
    const pods = await jobPods(c, 'hello');
    assert.equal(pods.length, 1);
    assert.deepEqual(pods[0].metadata.finalizers ?? [], [], 'the job-tracking finalizer is removed once counted');
    assert.equal(pods[0].metadata.ownerReferences[0].kind, 'Job');
    assert.match(
      await c.k(['get', 'jobs', '-o', 'wide']),
      /hello\s+Complete\s+1\/1\s+\S+\s+\S+\s+hello\s+busybox:1\.35\s+batch\.kubernetes\.io\/controller-uid=/,
    );
    const desc = await c.k(['describe', 'job', 'hello']);
    assert.match(desc, /Pods Statuses:\s+0 Active \(0 Ready\) \/ 1 Succeeded \/ 0 Failed|Pods Statuses:\s+0 Active \/ 1 Succeeded \/ 0 Failed/);
    assert.match(desc, /SuccessfulCreate/);
    assert.match(desc, /Normal\s+Completed\s+\S+\s+job-controller\s+Job completed\n/);
  });

  it('creates a Job with kubectl create job and fails it past backoffLimit, counting every failed pod', async () => {
    await c.k(['create', 'job', 'doomed', '--image=busybox:1.35', '--', 'sh', '-c', 'echo failing; exit 3']);
    // kubectl create job writes restartPolicy Never; backoffLimit 1 = two pods
    await c.k(['patch', 'job', 'doomed', '--type=merge', '-p', '{"spec":{"backoffLimit":1}}']);
    await c.k(['wait', '--for=condition=failed', 'job/doomed', '--timeout=90s']);
    const job = await getJob(c, 'doomed');
    assert.equal(condition(job, 'Failed').reason, 'BackoffLimitExceeded');
    assert.equal(condition(job, 'Failed').message, 'Job has reached the specified backoff limit');
    assert.equal(condition(job, 'FailureTarget').status, 'True');
    assert.equal(job.status.failed, 2);
    assert.equal(job.status.succeeded ?? 0, 0);
    assert.equal(job.status.completionTime, undefined);
    const pods = await jobPods(c, 'doomed');
    assert.equal(pods.length, 2);
    assert.ok(pods.every((p) => p.status.phase === 'Failed'));
    assert.match(await c.k(['get', 'job', 'doomed']), /doomed\s+Failed\s+0\/1/);
    const ev = await jobEvents(c, 'doomed');
    assert.ok(ev.includes('Warning BackoffLimitExceeded Job has reached the specified backoff limit'), ev.join('\n'));
  });

  it('runs an Indexed Job whose pods see $JOB_COMPLETION_INDEX and get hostname <job>-<index>', async () => {
    await c.k(['apply', '-f', '-'], {
      input: `apiVersion: batch/v1
kind: Job
metadata: {name: idx}
spec:
  completions: 3
  parallelism: 3
  completionMode: Indexed
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: main
        image: busybox:1.35
        command: ['sh', '-c', 'echo "index=$JOB_COMPLETION_INDEX host=$(hostname)"']
`,
    });
    await c.k(['wait', '--for=condition=complete', 'job/idx', '--timeout=60s']);
    const job = await getJob(c, 'idx');
    assert.equal(job.status.completedIndexes, '0-2');
    assert.equal(job.status.succeeded, 3);
    const pods = await jobPods(c, 'idx');
    const seen: string[] = [];
    for (const p of pods) {
      const i = p.metadata.annotations['batch.kubernetes.io/job-completion-index'];
      assert.equal(p.metadata.labels['batch.kubernetes.io/job-completion-index'], i);
      seen.push((await c.k(['logs', p.metadata.name])).trim());
    }
    assert.deepEqual(seen.sort(), ['index=0 host=idx-0', 'index=1 host=idx-1', 'index=2 host=idx-2']);
  });

  it('runs completions 4 with parallelism 2', async () => {
    await c.k(['apply', '-f', '-'], {
      input: `apiVersion: batch/v1
kind: Job
metadata: {name: par}
spec:
  completions: 4
  parallelism: 2
  template:
    spec:
      restartPolicy: Never
      containers: [{name: main, image: busybox:1.35, command: ['sh', '-c', 'sleep 1']}]
`,
    });
    let maxActive = 0;
    await waitFor(
      async () => {
        const j = await getJob(c, 'par');
        maxActive = Math.max(maxActive, j.status?.active ?? 0);
        return condition(j, 'Complete')?.status === 'True';
      },
      90_000,
      200,
    );
    const job = await getJob(c, 'par');
    assert.equal(job.status.succeeded, 4);
    assert.ok(maxActive <= 2, `at most parallelism pods active, saw ${maxActive}`);
    assert.equal((await jobPods(c, 'par')).length, 4);
  });

  it('counts container restarts of a restartPolicy OnFailure Job toward backoffLimit', async () => {
    await c.k(['apply', '-f', '-'], {
      input: `apiVersion: batch/v1
kind: Job
metadata: {name: restarts}
spec:
  backoffLimit: 1
  template:
    spec:
      restartPolicy: OnFailure
      terminationGracePeriodSeconds: 1
      containers: [{name: main, image: busybox:1.35, command: ['sh', '-c', 'exit 2']}]
`,
    });
    // the pod never fails (the kubelet restarts its container in place): its restart count decides
    await c.k(['wait', '--for=condition=failed', 'job/restarts', '--timeout=90s']);
    const job = await getJob(c, 'restarts');
    assert.equal(condition(job, 'Failed').reason, 'BackoffLimitExceeded');
    assert.equal(condition(job, 'Failed').message, 'Job has reached the specified backoff limit');
    assert.equal(job.status.active ?? 0, 0);
    assert.equal(job.status.succeeded ?? 0, 0);
    // the pod, still Running between restarts, is deleted
    await waitFor(async () => (await jobPods(c, 'restarts')).every((p) => p.metadata.deletionTimestamp), 30_000, 250);
  });

  it('fails a Job that runs past activeDeadlineSeconds and stops its pods', async () => {
    await c.k(['apply', '-f', '-'], {
      input: `apiVersion: batch/v1
kind: Job
metadata: {name: slow}
spec:
  activeDeadlineSeconds: 3
  template:
    spec:
      restartPolicy: Never
      terminationGracePeriodSeconds: 1
      containers: [{name: main, image: busybox:1.35, command: ['sleep', '300']}]
`,
    });
    await c.k(['wait', '--for=condition=failed', 'job/slow', '--timeout=60s']);
    const job = await getJob(c, 'slow');
    assert.equal(condition(job, 'Failed').reason, 'DeadlineExceeded');
    assert.equal(condition(job, 'Failed').message, 'Job was active longer than specified deadline');
    assert.equal(job.status.active ?? 0, 0);
    await waitFor(async () => (await jobPods(c, 'slow')).every((p) => p.status.phase === 'Failed' || p.metadata.deletionTimestamp), 30_000, 250);
  });

  it('suspends a Job (no pods, Suspended condition) and resumes it to completion', async () => {
    await c.k(['apply', '-f', '-'], {
      input: `apiVersion: batch/v1
kind: Job
metadata: {name: later}
spec:
  suspend: true
  template:
    spec:
      restartPolicy: Never
      containers: [{name: main, image: busybox:1.35, command: ['echo', 'resumed']}]
`,
    });
    const suspended = await waitFor(async () => {
      const j = await getJob(c, 'later');
      return condition(j, 'Suspended')?.status === 'True' ? j : undefined;
    });
    assert.equal(condition(suspended, 'Suspended').reason, 'JobSuspended');
    assert.equal(suspended.status.startTime, undefined);
    assert.match(await c.k(['get', 'job', 'later']), /later\s+Suspended\s+0\/1/);
    assert.equal((await jobPods(c, 'later')).length, 0);
    await c.k(['patch', 'job', 'later', '--type=merge', '-p', '{"spec":{"suspend":false}}']);
    await c.k(['wait', '--for=condition=complete', 'job/later', '--timeout=60s']);
    const job = await getJob(c, 'later');
    assert.equal(condition(job, 'Suspended').status, 'False');
    assert.equal(condition(job, 'Suspended').reason, 'JobResumed');
    const ev = await jobEvents(c, 'later');
    assert.ok(ev.includes('Normal Suspended Job suspended') && ev.includes('Normal Resumed Job resumed'), ev.join('\n'));
  });

  it('fails a Job at once when a pod exits with a code its podFailurePolicy marks FailJob', async () => {
    await c.k(['apply', '-f', '-'], {
      input: `apiVersion: batch/v1
kind: Job
metadata: {name: policy}
spec:
  backoffLimit: 6
  podFailurePolicy:
    rules:
    - action: FailJob
      onExitCodes: {containerName: main, operator: In, values: [42]}
  template:
    spec:
      restartPolicy: Never
      containers: [{name: main, image: busybox:1.35, command: ['sh', '-c', 'exit 42']}]
`,
    });
    await c.k(['wait', '--for=condition=failed', 'job/policy', '--timeout=60s']);
    const job = await getJob(c, 'policy');
    assert.equal(condition(job, 'Failed').reason, 'PodFailurePolicy');
    assert.match(condition(job, 'Failed').message, /^Container main for pod default\/policy-\w+ failed with exit code 42 matching FailJob rule at index 0$/);
    assert.equal(job.status.failed, 1);
    assert.equal((await jobPods(c, 'policy')).length, 1);
  });

  it('deletes a finished Job after ttlSecondsAfterFinished', async () => {
    await c.k(['apply', '-f', '-'], {
      input: `apiVersion: batch/v1
kind: Job
metadata: {name: brief}
spec:
  ttlSecondsAfterFinished: 2
  template:
    spec:
      restartPolicy: Never
      containers: [{name: main, image: busybox:1.35, command: ['true']}]
`,
    });
    await c.k(['wait', '--for=condition=complete', 'job/brief', '--timeout=60s']);
    await waitFor(async () => (await c.kubectl(['get', 'job', 'brief'])).stderr.includes('NotFound'), 30_000, 250);
  });

  it('fires a CronJob every minute (kubectl create cronjob), and create job --from=cronjob works', async () => {
    await c.k(['create', 'cronjob', 'tick', '--image=busybox:1.35', '--schedule=* * * * *', '--', 'echo', 'tick']);
    await c.k(['create', 'job', '--from=cronjob/tick', 'tick-manual']);
    await c.k(['wait', '--for=condition=complete', 'job/tick-manual', '--timeout=60s']);
    assert.match(await c.k(['logs', 'job/tick-manual']), /tick/);
    const job = await waitFor(
      async () => {
        const list = JSON.parse(await c.k(['get', 'jobs', '-o', 'json'])).items.filter(
          (j: any) => j.metadata.ownerReferences?.[0]?.kind === 'CronJob' && j.metadata.name !== 'tick-manual',
        );
        return list[0];
      },
      75_000,
      500,
    );
    const minutes = Number(job.metadata.name.slice('tick-'.length));
    const scheduled = job.metadata.annotations['batch.kubernetes.io/cronjob-scheduled-timestamp'];
    assert.equal(Date.parse(scheduled), minutes * 60_000);
    await c.k(['wait', '--for=condition=complete', `job/${job.metadata.name}`, '--timeout=60s']);
    const cj = await waitFor(async () => {
      const x = JSON.parse(await c.k(['get', 'cronjob', 'tick', '-o', 'json']));
      return x.status?.lastSuccessfulTime ? x : undefined;
    });
    assert.equal(Date.parse(cj.status.lastScheduleTime), minutes * 60_000);
    assert.match(await c.k(['get', 'cronjobs', '-o', 'wide']), /tick\s+\* \* \* \* \*\s+<none>\s+False\s+\d+\s+\S+\s+\S+\s+tick\s+busybox:1\.35\s+<none>/);
    await c.k(['delete', 'cronjob', 'tick']);
  });
});
