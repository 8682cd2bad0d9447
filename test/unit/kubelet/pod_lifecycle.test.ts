// The kubelet's orchestration over the in-memory FakeRuntime (CRI seam): a sync makes the sandbox then the
// containers, init containers run one by one, the restart back-off (10 s doubling to 5 min) on the fake
// clock, termination order (preStop, stop, sidecars last, sandbox), a shorter grace period cutting a running
// stop, and the pod object deleted only after volumes and sandbox are gone (failures retried).
import { describe, it, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import type { Container, Pod } from '../../../src/api/core/v1/types.js';
import { startFakeNode, waitFor, sleep, type FakeNode } from './fake_node.js';

let node: FakeNode | undefined;
afterEach(async () => {
  await node?.stop();
  node = undefined;
});

const ctr = (name: string, extra: Partial<Container> = {}): Container => ({ name, image: 'busybox:1.36', imagePullPolicy: 'IfNotPresent', ...extra });
const pod = (name: string, spec: Partial<NonNullable<Pod['spec']>>): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default' },
  spec: { containers: [], ...spec },
});
const index = (n: FakeNode, op: string, name?: string) => n.rt.calls.findIndex((c) => c.op === op && (name === undefined || c.name === name));
const running = (n: FakeNode, name: string) => n.rt.newest(name)?.state === 'CONTAINER_RUNNING';

describe('kubelet sync over the CRI seam (fake runtime)', () => {
  it('creates the pod sandbox first, then creates and starts the containers, and reports Running', async () => {
    const n = (node = await startFakeNode());
    await n.createPod(pod('web', { containers: [ctr('a'), ctr('b')] }));
    await waitFor('both containers running', () => running(n, 'a') && running(n, 'b'));
    const sb = index(n, 'runPodSandbox', 'web');
    assert.ok(sb >= 0);
    for (const c of ['a', 'b']) {
      assert.ok(index(n, 'createContainer', c) > sb, `${c} created after the sandbox`);
      assert.ok(index(n, 'startContainer', c) > index(n, 'createContainer', c), `${c} started after it was created`);
    }
    assert.equal(n.rt.callsOf('runPodSandbox').length, 1);
    const p = await waitFor('phase Running', async () => {
      const got = await n.getPod('web');
      return got?.status?.phase === 'Running' && got.status.containerStatuses?.every((s) => s.ready) && got;
    });
    assert.equal(p.status!.podIP, n.rt.sandboxes.values().next().value!.ip);
  });

  it('runs init containers one at a time, in order, before the app containers', async () => {
    const n = (node = await startFakeNode());
    await n.createPod(pod('init', { initContainers: [ctr('first'), ctr('second')], containers: [ctr('app')] }));
    await waitFor('first init container running', () => running(n, 'first'));
    await sleep(150); // several resyncs and relists: nothing else may start meanwhile
    assert.equal(n.rt.newest('second'), undefined, 'second waits for first');
    assert.equal(n.rt.newest('app'), undefined);
    n.rt.exit('first', 0);
    await waitFor('second init container running', () => running(n, 'second'));
    await sleep(150);
    assert.equal(n.rt.newest('app'), undefined, 'app waits for every init container');
    n.rt.exit('second', 0);
    await waitFor('app running', () => running(n, 'app'));
    assert.equal(n.rt.callsOf('startContainer', 'first').length, 1, 'a succeeded init container is not run again');
    assert.ok(index(n, 'startContainer', 'second') > index(n, 'startContainer', 'first'));
    assert.ok(index(n, 'startContainer', 'app') > index(n, 'startContainer', 'second'));
  });

  it('restarts a crashing container with a back-off of 10 s doubling to 5 min (CrashLoopBackOff)', async () => {
    const n = (node = await startFakeNode());
    await n.createPod(pod('crash', { containers: [ctr('c')], restartPolicy: 'Always' }));
    await waitFor('c running', () => running(n, 'c'));
    const attempt = () => n.rt.newest('c')?.config.metadata.attempt ?? -1;
    n.rt.exit('c', 1);
    await waitFor('first restart, without delay', () => running(n, 'c') && attempt() === 1);
    for (const delaySec of [10, 20, 40, 80, 160, 300, 300]) {
      const before = attempt();
      n.rt.exit('c', 1);
      n.clock.advance(delaySec * 1000 - 1000);
      await sleep(120); // resyncs and relists run; the window is not over on the clock
      assert.equal(attempt(), before, `no restart before ${delaySec}s`);
      assert.equal(n.rt.newest('c')?.state, 'CONTAINER_EXITED');
      n.clock.advance(1000);
      await waitFor(`restart after ${delaySec}s`, () => running(n, 'c') && attempt() === before + 1);
    }
    n.rt.exit('c', 1);
    const p = await waitFor('CrashLoopBackOff in the status', async () => {
      const got = await n.getPod('crash');
      return got?.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'CrashLoopBackOff' && got;
    });
    assert.match(p.status!.containerStatuses![0]!.state!.waiting!.message!, /^back-off 5m0s restarting failed container=c pod=crash_default\(/);
    assert.ok(n.events.some((e) => e.reason === 'BackOff' && e.fieldPath === 'spec.containers{c}'));
  });

  it('terminates in order: preStop, then the stop with what is left of the grace period, sidecars after app containers, then the sandbox', async () => {
    const n = (node = await startFakeNode());
    await n.createPod(
      pod('term', {
        terminationGracePeriodSeconds: 30,
        initContainers: [ctr('sidecar', { restartPolicy: 'Always' })],
        containers: [ctr('app', { lifecycle: { preStop: { exec: { command: ['/bin/sh', '-c', 'echo bye'] } } } })],
      }),
    );
    await waitFor('sidecar and app running', () => running(n, 'sidecar') && running(n, 'app'));
    await n.deletePod('term');
    await waitFor('pod object deleted', async () => !(await n.getPod('term')));
    const hook = index(n, 'execSync', 'app');
    const stopApp = index(n, 'stopContainer', 'app');
    const stopSidecar = index(n, 'stopContainer', 'sidecar');
    assert.ok(hook >= 0 && stopApp > hook, 'preStop before the stop');
    assert.deepEqual(n.rt.calls[hook]!.cmd, ['/bin/sh', '-c', 'echo bye']);
    const appTimeout = n.rt.calls[stopApp]!.timeoutSec!;
    assert.ok(appTimeout >= 28 && appTimeout <= 30, `app stopped with the rest of the 30s grace, got ${appTimeout}`);
    assert.ok(stopSidecar > stopApp, 'the sidecar stops after the app container');
    assert.ok(index(n, 'stopPodSandbox') > stopSidecar);
    assert.ok(index(n, 'removePodSandbox') > index(n, 'stopPodSandbox'));
    assert.equal(n.rt.sandboxes.size, 0);
    assert.equal(n.rt.containers.size, 0);
    assert.ok(n.events.some((e) => e.reason === 'Killing' && e.message === 'Stopping container app'));
  });

  it('a shorter grace period cuts the running stop short: SIGKILL now, no wait for the old grace', async () => {
    const n = (node = await startFakeNode());
    n.rt.ignoreTerm.add('app');
    await n.createPod(pod('slow', { terminationGracePeriodSeconds: 30, containers: [ctr('app')] }));
    await waitFor('app running', () => running(n, 'app'));
    const t0 = n.clock.now();
    await n.deletePod('slow');
    await waitFor('stop with the 30 s grace under way', () => n.rt.callsOf('stopContainer', 'app').some((c) => c.timeoutSec === 30));
    await sleep(100);
    assert.equal(n.rt.newest('app')?.state, 'CONTAINER_RUNNING', 'the container ignores SIGTERM and the fake clock stands still');
    await n.deletePod('slow', 2);
    await waitFor('pod object deleted', async () => !(await n.getPod('slow')));
    assert.equal(n.clock.now(), t0, 'no grace period was waited out');
    assert.equal(n.rt.containers.size, 0);
    const stops = n.rt.callsOf('stopContainer', 'app');
    assert.equal(stops[0]!.timeoutSec, 30);
    assert.ok(
      stops.slice(1).every((s) => s.timeoutSec! <= 2),
      'later stops use the shorter grace',
    );
  });

  it('a forced delete (grace 0, the object gone from the API) also cuts the running stop short', async () => {
    const n = (node = await startFakeNode());
    n.rt.ignoreTerm.add('app');
    await n.createPod(pod('forced', { terminationGracePeriodSeconds: 30, containers: [ctr('app')] }));
    await waitFor('app running', () => running(n, 'app'));
    await n.deletePod('forced');
    await waitFor('stop under way', () => n.rt.callsOf('stopContainer', 'app').length > 0);
    await n.deletePod('forced', 0);
    await waitFor('containers and sandbox removed', () => n.rt.containers.size === 0 && n.rt.sandboxes.size === 0);
    assert.equal(n.rt.newest('app'), undefined);
  });

  it('keeps the pod object while its volumes fail to tear down, retrying until they do', async () => {
    const n = (node = await startFakeNode());
    n.volumes.failTearDowns = Infinity;
    const created = await n.createPod(pod('vol', { containers: [ctr('app')] }));
    await waitFor('app running', () => running(n, 'app'));
    await n.deletePod('vol');
    await waitFor('two failed tear-downs', () => n.volumes.tearDowns.filter((t) => !t.ok).length >= 2);
    const during = await n.getPod('vol');
    assert.ok(during?.metadata.deletionTimestamp, 'the object stays (terminating) while the volumes are mounted');
    assert.equal(n.rt.sandboxes.size, 1, 'nothing after the failed tear-down ran: the sandbox is still there');
    n.volumes.failTearDowns = 0;
    await waitFor('pod object deleted', async () => !(await n.getPod('vol')), 30_000);
    const oks = n.volumes.tearDowns.filter((t) => t.uid === created.metadata.uid).map((t) => t.ok);
    const firstOk = oks.indexOf(true);
    assert.ok(firstOk >= 2 && oks.slice(0, firstOk).every((ok) => !ok), 'retried after each failure until it succeeded');
  });

  it('keeps the pod object until its sandbox is removed, retrying a failed removal', async () => {
    const n = (node = await startFakeNode());
    await n.createPod(pod('sbx', { containers: [ctr('app')] }));
    await waitFor('app running', () => running(n, 'app'));
    n.rt.fail('removePodSandbox', Infinity);
    await n.deletePod('sbx');
    await waitFor('two failed sandbox removals', () => n.rt.callsOf('removePodSandbox').length >= 2);
    assert.ok((await n.getPod('sbx'))?.metadata.deletionTimestamp, 'the object stays while the sandbox exists');
    assert.equal(n.rt.sandboxes.size, 1);
    n.rt.clearFailures();
    // the next try comes after the pod worker's error backoff, which reaches 10 s after a few failures
    await waitFor('pod object deleted', async () => !(await n.getPod('sbx')), 30_000);
    assert.equal(n.rt.sandboxes.size, 0);
  });

  it('kills and removes what the runtime runs for a pod the API does not have', async () => {
    const n = (node = await startFakeNode(async (rt) => {
      const sb = await rt.runPodSandbox({ metadata: { name: 'ghost', namespace: 'default', uid: 'ghost-uid' } });
      const id = await rt.createContainer(sb, {
        metadata: { name: 'old' },
        image: 'busybox',
        lowerDirs: [],
        labels: { 'io.kubernetes.pod.uid': 'ghost-uid', 'io.kubernetes.container.name': 'old' },
      });
      await rt.startContainer(id);
    }));
    await waitFor('orphan removed', () => n.rt.sandboxes.size === 0 && n.rt.containers.size === 0);
    assert.deepEqual(
      n.rt.callsOf('stopContainer', 'old').map((c) => c.timeoutSec),
      [0],
      'killed without a grace period',
    );
    assert.ok(n.volumes.tearDowns.some((t) => t.uid === 'ghost-uid' && t.ok));
  });
});
