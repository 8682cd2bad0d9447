// Node agent end to end, part 2: volumes fed from the API (downward API labels, projected secret,
// configMap updates in a running pod), crash-loop backoff, a dead infra process replaced by a new sandbox,
// and an agent kill -9 + restart that keeps every container running.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { TestCluster } from '../../helpers/cluster.js';
import { waitFor } from '../../helpers/cluster.js';
import { apply, containerStatus, events, execIn, hostCanRunPods, isRunningReady, runtimeFor, useAgentCluster, waitPod } from './helpers.js';

const skip = hostCanRunPods() ? false : 'needs root, runc, conmon, catatonit, CNI plugins and busybox-static';

describe('kubelet: volumes, crash loops and agent restart', { skip, concurrency: 1 }, () => {
  let c: TestCluster;
  useAgentCluster((x) => (c = x), [], 'sqlite');

  it('mounts a downwardAPI labels file that follows label changes', async () => {
    await apply(
      c,
      `apiVersion: v1
kind: Pod
metadata: {name: dapi, labels: {tier: front, zone: a}}
spec:
  volumes:
  - name: info
    downwardAPI:
      items: [{path: labels, fieldRef: {fieldPath: metadata.labels}}]
  containers:
  - name: main
    image: busybox:1.35
    command: ["sleep", "3600"]
    volumeMounts: [{name: info, mountPath: /etc/podinfo}]
`,
    );
    const p = await waitPod(c, 'dapi', isRunningReady, 20_000);
    const r = await execIn(c, p, 'main', ['cat', '/etc/podinfo/labels']);
    assert.equal(r.stdout, 'tier="front"\nzone="a"');
    await c.k(['label', 'pod', 'dapi', 'zone=b', '--overwrite']);
    await waitFor(async () => (await execIn(c, p, 'main', ['cat', '/etc/podinfo/labels'])).stdout.includes('zone="b"'), 15_000, 200);
  });

  it('mounts projected secrets read-only', async () => {
    await apply(
      c,
      `apiVersion: v1
kind: Secret
metadata: {name: creds}
stringData: {user: admin, pass: s3cret}
---
apiVersion: v1
kind: Pod
metadata: {name: projected}
spec:
  volumes:
  - name: all
    projected:
      sources:
      - secret: {name: creds, items: [{key: user, path: u}]}
      - secret: {name: creds, items: [{key: pass, path: p}]}
  containers:
  - name: main
    image: busybox:1.35
    command: ["sleep", "3600"]
    volumeMounts: [{name: all, mountPath: /secrets, readOnly: true}]
`,
    );
    const p = await waitPod(c, 'projected', isRunningReady, 20_000);
    assert.equal((await execIn(c, p, 'main', ['cat', '/secrets/u'])).stdout, 'admin');
    assert.equal((await execIn(c, p, 'main', ['cat', '/secrets/p'])).stdout, 's3cret');
    const w = await execIn(c, p, 'main', ['sh', '-c', 'echo x > /secrets/new']);
    assert.notEqual(w.exitCode, 0);
    assert.match(w.stderr, /Read-only file system/);
  });

  it('shows a configMap update inside a running pod', async () => {
    await apply(
      c,
      `apiVersion: v1
kind: ConfigMap
metadata: {name: settings}
data: {mode: blue}
---
apiVersion: v1
kind: Pod
metadata: {name: cmwatch}
spec:
  volumes:
  - name: cfg
    configMap: {name: settings}
  containers:
  - name: main
    image: busybox:1.35
    command: ["sleep", "3600"]
    volumeMounts: [{name: cfg, mountPath: /cfg}]
`,
    );
    const p = await waitPod(c, 'cmwatch', isRunningReady, 20_000);
    assert.equal((await execIn(c, p, 'main', ['cat', '/cfg/mode'])).stdout, 'blue');
    await c.k(['patch', 'configmap', 'settings', '-p', '{"data":{"mode":"green"}}']);
    await waitFor(async () => (await execIn(c, p, 'main', ['cat', '/cfg/mode'])).stdout === 'green', 15_000, 200);
  });

  it('backs off a crashing container into CrashLoopBackOff with growing delays', async () => {
    await apply(
      c,
      `apiVersion: v1
kind: Pod
metadata: {name: crasher}
spec:
  containers:
  - name: main
    image: busybox:1.35
    command: ["sh", "-c", "echo boom; exit 2"]
`,
    );
    const p = await waitPod(c, 'crasher', (p) => containerStatus(p, 'main')?.state?.waiting?.reason === 'CrashLoopBackOff', 20_000);
    const cs = containerStatus(p, 'main');
    assert.match(cs.state.waiting.message, /^back-off \d+s restarting failed container=main pod=crasher_default\(/);
    assert.equal(cs.lastState.terminated.exitCode, 2);
    assert.equal(cs.lastState.terminated.reason, 'Error');
    assert.equal(p.status.phase, 'Running');
    // restarts keep happening, with the backoff in the message growing (1s, 2s, 4s with the test knobs)
    const seen = new Set<string>();
    await waitPod(
      c,
      'crasher',
      (q) => {
        const m = containerStatus(q, 'main')?.state?.waiting?.message;
        if (m) seen.add(/back-off (\d+s)/.exec(m)?.[1] ?? '');
        return (containerStatus(q, 'main')?.restartCount ?? 0) >= 3 && seen.has('4s');
      },
      30_000,
    );
    assert.ok(seen.has('2s') && seen.has('4s'), `backoff delays seen: ${[...seen]}`);
    const ev = (await events(c, 'crasher')).map((e) => e.reason);
    assert.ok(ev.includes('BackOff'), `events ${ev}`);
    assert.match(await c.k(['get', 'pod', 'crasher']), /CrashLoopBackOff|Error/);
  });

  it('re-creates the sandbox when its infra process dies, restarting the containers (SandboxChanged)', async () => {
    await apply(
      c,
      `apiVersion: v1
kind: Pod
metadata: {name: orphaned}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: main
    image: busybox:1.35
    command: ["sleep", "3600"]
`,
    );
    const before = await waitPod(c, 'orphaned', isRunningReady, 20_000);
    const rt = runtimeFor(c);
    const [sb] = await rt.listPodSandboxes({ podUid: before.metadata.uid });
    const { infraPid } = await rt.sandboxes.get(sb!.id);
    process.kill(infraPid, 'SIGKILL');
    // the old containers are stopped with the pod's grace period first, as upstream
    const after = await waitPod(c, 'orphaned', (p) => isRunningReady(p) && containerStatus(p, 'main')?.restartCount === 1, 30_000);
    assert.notEqual(containerStatus(after, 'main').containerID, containerStatus(before, 'main').containerID);
    const sbs = await runtimeFor(c).listPodSandboxes({ podUid: before.metadata.uid });
    assert.ok(
      sbs.some((s) => s.id !== sb!.id && s.state === 'SANDBOX_READY'),
      'a new ready sandbox',
    );
    const ev = (await events(c, 'orphaned')).map((e) => e.reason);
    assert.ok(ev.includes('SandboxChanged'), `events ${ev}`);
    await c.k(['delete', 'pod', 'orphaned', '--grace-period=0', '--force']);
  });

  it('survives kill -9 of the agent: containers keep running and are not restarted', async () => {
    await apply(
      c,
      `apiVersion: v1
kind: Pod
metadata: {name: durable}
spec:
  containers:
  - name: a
    image: busybox:1.35
    command: ["sleep", "3600"]
  - name: b
    image: busybox:1.35
    command: ["sleep", "3600"]
`,
    );
    const before = await waitPod(c, 'durable', isRunningReady, 20_000);
    const ids = ['a', 'b'].map((n) => containerStatus(before, n).containerID);
    // kill -9 the server process (API server + agent); the containers live on without the agent
    const { runtimeFor } = await import('./helpers.js');
    await c.restart('SIGKILL').then(async () => undefined);
    const running = (await runtimeFor(c).listContainers({ state: 'CONTAINER_RUNNING' })).map((x) => `k8ts://${x.id}`);
    for (const id of ids) assert.ok(running.includes(id), `${id} still running`);
    // a pod deleted while the agent was down is cleaned up too
    await c.k(['delete', 'pod', 'crasher', '--grace-period=0', '--force', '--wait=false']).catch(() => '');
    await new Promise((r) => setTimeout(r, 3000));
    const afterRestart = await waitPod(c, 'durable', isRunningReady, 20_000);
    for (const n of ['a', 'b']) {
      const cs = containerStatus(afterRestart, n);
      assert.equal(cs.containerID, ids[n === 'a' ? 0 : 1]);
      assert.equal(cs.restartCount, 0);
    }
    const nowRunning = (await runtimeFor(c).listContainers()).filter((x) => x.labels?.['io.kubernetes.pod.name'] === 'crasher');
    await waitFor(async () => (await runtimeFor(c).listContainers()).every((x) => x.labels?.['io.kubernetes.pod.name'] !== 'crasher'), 15_000, 200).catch(() =>
      assert.fail(`crasher containers left: ${nowRunning.length}`),
    );
  });
});
