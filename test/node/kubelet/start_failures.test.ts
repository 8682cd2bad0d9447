// Node agent end to end, container start failures (issue 10): a command that does not exist is a created
// container whose start fails (StartError, exit code 128, runc's message) and restarts under the
// CrashLoopBackOff back-off with nothing left behind per try; a failing postStart hook kills the container,
// which restarts per policy while the pod shows its containers (not a bare Pending); a failing preStop hook
// is reported and termination goes on. The agent runs with the upstream back-off (10 s doubling).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runDirFor } from '../../../src/runtime/layout.js';
import type { TestCluster } from '../../helpers/cluster.js';
import { waitFor } from '../../helpers/cluster.js';
import { apply, containerStatus, events, getPod, hostCanRunPods, runtimeFor, useAgentCluster, waitPod } from './helpers.js';

const skip = hostCanRunPods() ? false : 'needs root, runc, conmon, catatonit, CNI plugins and busybox-static';

const sumCounts = (evs: any[]): number => evs.reduce((n, e) => n + (e.count ?? 1), 0);
const listDir = (dir: string): string[] => {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
};

describe('kubelet: container start failures and failing hooks', { skip, concurrency: 1 }, () => {
  let c: TestCluster;
  useAgentCluster((x) => (c = x), ['--restart-backoff-initial', '10', '--restart-backoff-max', '300']);

  it('reports a missing command as StartError 128 and backs off its restarts, leaving nothing behind', async () => {
    await c.k(['run', 'nocmd', '--image=busybox:1.35', '--command', '--', '/no/such/binary']);
    const t0 = Date.now();
    const first = await waitPod(
      c,
      'nocmd',
      (p) => containerStatus(p, 'nocmd')?.lastState?.terminated || containerStatus(p, 'nocmd')?.state?.terminated,
      20_000,
    );
    const cs = containerStatus(first, 'nocmd');
    const term = cs.lastState?.terminated ?? cs.state.terminated;
    assert.equal(term.reason, 'StartError');
    assert.equal(term.exitCode, 128);
    assert.match(term.message, /exec: "\/no\/such\/binary": stat \/no\/such\/binary: no such file or directory/);
    assert.equal(term.startedAt, '1970-01-01T00:00:00Z', 'a container that never started has the zero start time');
    // while it waits: RunContainerError right after the failed start, then CrashLoopBackOff
    const waiting = await waitPod(c, 'nocmd', (p) => containerStatus(p, 'nocmd')?.state?.waiting?.reason === 'CrashLoopBackOff', 20_000);
    assert.match(containerStatus(waiting, 'nocmd').state.waiting.message, /^back-off \d+s restarting failed container=nocmd pod=nocmd_default\(/);
    assert.equal(waiting.status.phase, 'Running', 'a restarting container (last state terminated) is not Pending');
    const table = await c.k(['get', 'pod', 'nocmd', '--no-headers']);
    assert.match(table, /CrashLoopBackOff|RunContainerError/);

    // A 25 s window: the first failure restarts at once, then the back-off allows one more at ~10 s.
    await new Promise((r) => setTimeout(r, Math.max(0, 25_000 - (Date.now() - t0))));
    const evs = await events(c, 'nocmd');
    const failed = evs.filter((e) => e.reason === 'Failed');
    const tries = sumCounts(failed);
    assert.ok(tries >= 2 && tries <= 4, `start attempts in 25 s: ${tries}`);
    // one aggregated event per message: no container ids in it
    assert.equal(failed.length, 1, JSON.stringify(failed.map((e) => e.message)));
    assert.match(failed[0].message, /^Error: .*exec: "\/no\/such\/binary": stat \/no\/such\/binary: no such file or directory$/);
    assert.ok(sumCounts(evs.filter((e) => e.reason === 'Created')) === tries, 'each try is a created container');
    assert.ok(evs.some((e) => e.reason === 'BackOff' && /^Back-off restarting failed container nocmd in pod nocmd_default\(/.test(e.message)));
    const later = await getPod(c, 'nocmd');
    assert.ok(
      containerStatus(later, 'nocmd').restartCount >= 1 && containerStatus(later, 'nocmd').restartCount === tries - 1,
      JSON.stringify(containerStatus(later, 'nocmd')),
    );

    // Nothing of the failed tries stays: no attach socket links, runc state, exit files or mounts of them;
    // the runtime keeps the last two instances only (for --previous).
    const uid = later.metadata.uid;
    const rt = runtimeFor(c);
    const mine = (await rt.listContainers()).filter((x) => x.labels?.['io.kubernetes.pod.uid'] === uid);
    assert.ok(mine.length >= 1 && mine.length <= 2, `instances kept: ${mine.length}`);
    assert.ok(mine.every((x) => x.state === 'CONTAINER_EXITED' && x.reason === 'StartError'));
    const live = new Set((await rt.listContainers()).filter((x) => x.state === 'CONTAINER_RUNNING').map((x) => x.id));
    const run = runDirFor(c.dataDir);
    for (const sub of ['attach', 'runc', 'exits']) {
      const stale = listDir(join(run, sub)).filter((n) => !live.has(n.split('.')[0]!));
      assert.deepEqual(stale, [], `stale entries in ${sub}/`);
    }
    const mounts = readFileSync('/proc/self/mountinfo', 'utf8');
    for (const x of mine) assert.ok(!mounts.includes(x.id), `a mount of failed container ${x.id} remains`);
    const logs = listDir(join(c.dataDir, 'logs', `default_nocmd_${uid}`, 'nocmd'));
    assert.deepEqual(logs.sort(), mine.map((x) => `${x.attempt}.log`).sort(), 'only the kept instances have logs');
    await c.k(['delete', 'pod', 'nocmd', '--wait=false']);
  });

  it('kills a container whose postStart hook fails, shows it meanwhile and restarts it per policy', async () => {
    await apply(
      c,
      `apiVersion: v1
kind: Pod
metadata: {name: hookfail}
spec:
  terminationGracePeriodSeconds: 6
  containers:
  - name: c
    image: busybox:1.35
    command: ["sleep", "600"]
    lifecycle:
      postStart:
        exec: {command: ["sh", "-c", "exit 3"]}
`,
    );
    // sleep is PID 1 and ignores SIGTERM: the kill takes the 6 s grace period. Meanwhile the pod shows its
    // container (ContainerCreating, as upstream's status from the start of that sync), not a bare Pending.
    await waitFor(async () => (await events(c, 'hookfail')).some((e) => e.reason === 'FailedPostStartHook'), 30_000, 100);
    const during = await waitPod(c, 'hookfail', (x) => !!containerStatus(x, 'c'), 3_000);
    assert.equal(containerStatus(during, 'c').state.waiting?.reason, 'ContainerCreating');
    assert.match(await c.k(['get', 'pod', 'hookfail', '--no-headers']), /ContainerCreating/);

    const p = await waitPod(c, 'hookfail', (x) => containerStatus(x, 'c')?.state?.waiting?.reason === 'PostStartHookError', 20_000);
    const uid = p.metadata.uid;
    // the hook's command, exit code and output go to the container's waiting message; the event keeps them
    // out (upstream, so that secrets in hook output do not leak into events)
    assert.equal(
      containerStatus(p, 'c').state.waiting.message,
      `Exec lifecycle hook ([sh -c exit 3]) for Container "c" in Pod "hookfail_default(${uid})" failed - error: command 'sh -c exit 3' exited with 3: , message: ""`,
    );
    assert.equal(containerStatus(p, 'c').lastState.terminated.exitCode, 137);
    assert.equal(p.status.phase, 'Running');
    const evs = await events(c, 'hookfail');
    assert.ok(evs.some((e) => e.reason === 'FailedPostStartHook' && e.type === 'Warning' && e.message === 'PostStartHook failed'));
    assert.ok(evs.some((e) => e.reason === 'Killing' && e.message === 'FailedPostStartHook'));
    await waitPod(c, 'hookfail', (x) => containerStatus(x, 'c')?.restartCount >= 1, 30_000);
    await c.k(['delete', 'pod', 'hookfail', '--grace-period=0', '--force', '--wait=false']);
  });

  it('reports a failing preStop hook and still stops the container', async () => {
    await apply(
      c,
      `apiVersion: v1
kind: Pod
metadata: {name: prestopfail}
spec:
  terminationGracePeriodSeconds: 60
  containers:
  - name: c
    image: busybox:1.35
    command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 0.2; done"]
    lifecycle:
      preStop:
        exec: {command: ["sh", "-c", "exit 4"]}
`,
    );
    await waitPod(c, 'prestopfail', (x) => containerStatus(x, 'c')?.state?.running, 30_000);
    const t0 = Date.now();
    await c.k(['delete', 'pod', 'prestopfail', '--timeout=90s']);
    assert.ok(Date.now() - t0 < 30_000, `deletion took ${Date.now() - t0} ms: a failed hook must not hold the 60 s grace period`);
    const evs = await events(c, 'prestopfail');
    assert.ok(
      evs.some((e) => e.reason === 'FailedPreStopHook' && e.type === 'Warning' && e.message === 'PreStopHook failed'),
      JSON.stringify(evs.map((e) => [e.reason, e.message])),
    );
    assert.ok(evs.some((e) => e.reason === 'Killing' && e.message === 'Stopping container c'));
  });
});
