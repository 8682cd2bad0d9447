// Node agent end to end: real containers through kubectl — Running pods with full status, localhost and
// pod-IP networking, init containers + emptyDir, shareProcessNamespace, hostAliases, restart policies,
// OOMKilled, graceful termination, and image/config errors with upstream reasons.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { TestCluster } from '../../helpers/cluster.js';
import { apply, containerStatus, events, execIn, getPod, hostCanRunPods, isRunningReady, useAgentCluster, waitPod } from './helpers.js';

const skip = hostCanRunPods() ? false : 'needs root, runc, conmon, catatonit, CNI plugins and busybox-static';

describe('kubelet: pods', { skip, concurrency: 1 }, () => {
  let c: TestCluster;
  useAgentCluster((x) => (c = x));

  it('runs a one-container pod to Running with an upstream-shaped status', async () => {
    await apply(
      c,
      `apiVersion: v1
kind: Pod
metadata: {name: one, labels: {app: one}}
spec:
  containers:
  - name: main
    image: busybox:1.35
    command: ["sh", "-c", "echo started; exec sleep 3600"]
    resources: {requests: {cpu: 100m, memory: 16Mi}, limits: {cpu: 100m, memory: 16Mi}}
`,
    );
    const p = await waitPod(c, 'one', isRunningReady, 20_000);
    const st = p.status;
    assert.equal(st.qosClass, 'Guaranteed');
    assert.match(st.podIP, /^10\.244\.\d+\.\d+$/);
    assert.deepEqual(st.podIPs, [{ ip: st.podIP }]);
    assert.ok(st.hostIP && st.hostIPs?.[0]?.ip === st.hostIP);
    assert.match(st.startTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const types = st.conditions.map((x: any) => `${x.type}=${x.status}`).sort();
    assert.deepEqual(types, ['ContainersReady=True', 'Initialized=True', 'PodReadyToStartContainers=True', 'PodScheduled=True', 'Ready=True']);
    for (const cond of st.conditions) assert.match(cond.lastTransitionTime, /Z$/);
    const cs = containerStatus(p, 'main');
    assert.equal(cs.ready, true);
    assert.equal(cs.started, true);
    assert.equal(cs.restartCount, 0);
    assert.match(cs.containerID, /^k8ts:\/\/[0-9a-f]{64}$/);
    assert.equal(cs.image, 'docker.io/library/busybox:1.35');
    assert.match(cs.imageID, /^docker\.io\/library\/busybox@sha256:[0-9a-f]{64}$/);
    assert.match(cs.state.running.startedAt, /Z$/);
    const out = await c.k(['get', 'pod', 'one']);
    assert.match(out, /one\s+1\/1\s+Running\s+0/);
    const ev = (await events(c, 'one')).map((e) => e.reason);
    for (const r of ['Pulled', 'Created', 'Started']) assert.ok(ev.includes(r), `event ${r} in ${ev}`);
    // cgroup limits reached the container
    const mem = await execIn(c, p, 'main', ['sh', '-c', 'cat /sys/fs/cgroup/memory.max 2>/dev/null || cat /sys/fs/cgroup/memory/memory.limit_in_bytes']);
    assert.equal(mem.stdout.trim(), String(16 * 1024 * 1024));
  });

  it('lets a sidecar reach the main container on localhost', async () => {
    await apply(
      c,
      `apiVersion: v1
kind: Pod
metadata: {name: duo}
spec:
  containers:
  - name: web
    image: busybox:1.35
    command: ["sh", "-c", "mkdir -p /www && echo hello-from-web > /www/index.html && exec httpd -f -p 8080 -h /www"]
  - name: probe
    image: busybox:1.35
    command: ["sh", "-c", "exec sleep 3600"]
`,
    );
    const p = await waitPod(c, 'duo', isRunningReady, 20_000);
    const r = await execIn(c, p, 'probe', [
      'sh',
      '-c',
      'for i in 1 2 3 4 5 6 7 8 9 10; do wget -qO- http://127.0.0.1:8080/ && exit 0; sleep 0.3; done; exit 1',
    ]);
    assert.equal(r.stdout.trim(), 'hello-from-web', r.stderr);
    assert.match(await c.k(['get', 'pod', 'duo']), /duo\s+2\/2\s+Running/);
  });

  it('lets two pods reach each other by pod IP', async () => {
    await apply(
      c,
      `apiVersion: v1
kind: Pod
metadata: {name: server}
spec:
  containers:
  - name: web
    image: busybox:1.35
    command: ["sh", "-c", "mkdir -p /www && echo served-by-pod > /www/index.html && exec httpd -f -p 80 -h /www"]
---
apiVersion: v1
kind: Pod
metadata: {name: client}
spec:
  containers:
  - name: c
    image: busybox:1.35
    command: ["sleep", "3600"]
`,
    );
    const srv = await waitPod(c, 'server', isRunningReady, 20_000);
    const cli = await waitPod(c, 'client', isRunningReady, 20_000);
    assert.notEqual(srv.status.podIP, cli.status.podIP);
    const r = await execIn(c, cli, 'c', [
      'sh',
      '-c',
      `for i in 1 2 3 4 5 6 7 8 9 10; do wget -qO- http://${srv.status.podIP}/ && exit 0; sleep 0.3; done; exit 1`,
    ]);
    assert.equal(r.stdout.trim(), 'served-by-pod', r.stderr);
  });

  it('runs init containers in order before the app, sharing an emptyDir (seed 003 WAR example)', async () => {
    await apply(
      c,
      `apiVersion: v1
kind: Pod
metadata: {name: war}
spec:
  volumes:
  - name: webapps
    emptyDir: {}
  initContainers:
  - name: first
    image: busybox:1.35
    command: ["sh", "-c", "echo one > /webapps/order"]
    volumeMounts: [{name: webapps, mountPath: /webapps}]
  - name: deploy
    image: busybox:1.35
    command: ["sh", "-c", "echo two >> /webapps/order && echo war-app > /webapps/index.html"]
    volumeMounts: [{name: webapps, mountPath: /webapps}]
  containers:
  - name: tomcat
    image: busybox:1.35
    command: ["httpd", "-f", "-p", "8080", "-h", "/webapps"]
    volumeMounts: [{name: webapps, mountPath: /webapps}]
`,
    );
    const p = await waitPod(c, 'war', isRunningReady, 30_000);
    for (const n of ['first', 'deploy']) {
      const s = containerStatus(p, n);
      assert.equal(s.state.terminated?.exitCode, 0, n);
      assert.equal(s.state.terminated?.reason, 'Completed', n);
      assert.equal(s.ready, true, `${n} ready once completed`);
    }
    const r = await execIn(c, p, 'tomcat', [
      'sh',
      '-c',
      'cat /webapps/order; for i in 1 2 3 4 5 6 7 8 9 10; do wget -qO- http://127.0.0.1:8080/index.html && exit 0; sleep 0.3; done; exit 1',
    ]);
    assert.equal(r.stdout, 'one\ntwo\nwar-app\n', r.stderr);
  });

  it('shares the process namespace when shareProcessNamespace is set', async () => {
    await apply(
      c,
      `apiVersion: v1
kind: Pod
metadata: {name: sharepid}
spec:
  shareProcessNamespace: true
  containers:
  - name: a
    image: busybox:1.35
    command: ["sh", "-c", "exec sleep 3601"]
  - name: b
    image: busybox:1.35
    command: ["sh", "-c", "exec sleep 3602"]
`,
    );
    const p = await waitPod(c, 'sharepid', isRunningReady, 20_000);
    const r = await execIn(c, p, 'b', ['ps']);
    assert.match(r.stdout, /sleep 3601/);
    assert.match(r.stdout, /sleep 3602/);
  });

  it('writes hostAliases into the pod /etc/hosts', async () => {
    await apply(
      c,
      `apiVersion: v1
kind: Pod
metadata: {name: aliases}
spec:
  hostAliases:
  - ip: 10.1.2.3
    hostnames: [foo.local, bar.local]
  containers:
  - name: main
    image: busybox:1.35
    command: ["sleep", "3600"]
`,
    );
    const p = await waitPod(c, 'aliases', isRunningReady, 20_000);
    const r = await execIn(c, p, 'main', ['cat', '/etc/hosts']);
    assert.match(r.stdout, /10\.1\.2\.3\s+foo\.local\s+bar\.local/);
    assert.match(r.stdout, new RegExp(`${p.status.podIP.replace(/\./g, '\\.')}\\s+aliases`));
    assert.equal((await execIn(c, p, 'main', ['hostname'])).stdout.trim(), 'aliases');
  });

  it('ends restartPolicy Never/OnFailure pods Succeeded or Failed', async () => {
    await apply(
      c,
      `apiVersion: v1
kind: Pod
metadata: {name: never-ok}
spec:
  restartPolicy: Never
  containers: [{name: main, image: busybox:1.35, command: ["sh", "-c", "exit 0"]}]
---
apiVersion: v1
kind: Pod
metadata: {name: never-fail}
spec:
  restartPolicy: Never
  containers:
  - name: main
    image: busybox:1.35
    command: ["sh", "-c", "echo -n 'disk full' > /tmp/why; exit 3"]
    terminationMessagePath: /tmp/why
---
apiVersion: v1
kind: Pod
metadata: {name: never-logs}
spec:
  restartPolicy: Never
  containers:
  - name: main
    image: busybox:1.35
    command: ["sh", "-c", "echo cannot open /data; exit 2"]
    terminationMessagePolicy: FallbackToLogsOnError
---
apiVersion: v1
kind: Pod
metadata: {name: onfailure}
spec:
  restartPolicy: OnFailure
  containers: [{name: main, image: busybox:1.35, command: ["sh", "-c", "if [ -f /tmp/x ]; then exit 0; fi; touch /tmp/x; exit 1"]}]
`,
    );
    const ok = await waitPod(c, 'never-ok', (p) => p.status?.phase === 'Succeeded', 20_000);
    const okCs = containerStatus(ok, 'main');
    assert.equal(okCs.state.terminated.reason, 'Completed');
    assert.equal(okCs.ready, false);
    assert.equal(ok.status.conditions.find((x: any) => x.type === 'Ready').reason, 'PodCompleted');
    const bad = await waitPod(c, 'never-fail', (p) => p.status?.phase === 'Failed', 20_000);
    const badCs = containerStatus(bad, 'main');
    assert.equal(badCs.state.terminated.exitCode, 3);
    assert.equal(badCs.state.terminated.reason, 'Error');
    assert.equal(badCs.state.terminated.message, 'disk full'); // read from its terminationMessagePath
    assert.equal(badCs.restartCount, 0);
    const logs = await waitPod(c, 'never-logs', (p) => p.status?.phase === 'Failed', 20_000);
    assert.equal(containerStatus(logs, 'main').state.terminated.message, 'cannot open /data\n'); // FallbackToLogsOnError
    // OnFailure: the rootfs upper dir is per container instance, so the retry fails again; it restarts with backoff.
    const of = await waitPod(c, 'onfailure', (p) => (containerStatus(p, 'main')?.restartCount ?? 0) >= 1, 20_000);
    assert.equal(of.status.phase, 'Running');
    assert.match(await c.k(['get', 'pod', 'never-ok']), /Completed/);
    assert.match(await c.k(['get', 'pod', 'never-fail']), /Error/);
  });

  it('reports OOMKilled when a container breaks its memory limit', async () => {
    await apply(
      c,
      `apiVersion: v1
kind: Pod
metadata: {name: oom}
spec:
  restartPolicy: Never
  containers:
  - name: hog
    image: busybox:1.35
    command: ["sh", "-c", "x=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa; while true; do x=$x$x; done"]
    resources: {limits: {memory: 16Mi}}
`,
    );
    const p = await waitPod(c, 'oom', (p) => p.status?.phase === 'Failed', 30_000);
    const cs = containerStatus(p, 'hog');
    assert.equal(cs.state.terminated.reason, 'OOMKilled');
    assert.equal(cs.state.terminated.exitCode, 137);
  });

  it('terminates gracefully: SIGTERM, then SIGKILL after the grace period', async () => {
    await apply(
      c,
      `apiVersion: v1
kind: Pod
metadata: {name: graceful}
spec:
  terminationGracePeriodSeconds: 30
  containers:
  - name: stubborn
    image: busybox:1.35
    command: ["sleep", "3600"]
---
apiVersion: v1
kind: Pod
metadata: {name: polite}
spec:
  terminationGracePeriodSeconds: 30
  containers:
  - name: main
    image: busybox:1.35
    command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 0.1; done"]
`,
    );
    await waitPod(c, 'graceful', isRunningReady, 20_000);
    await waitPod(c, 'polite', isRunningReady, 20_000);
    // sleep as PID 1 ignores SIGTERM: the kubelet must wait the (2 s) grace period, then SIGKILL.
    let t0 = Date.now();
    await c.k(['delete', 'pod', 'graceful', '--grace-period=2', '--wait=true']);
    const stubborn = Date.now() - t0;
    assert.ok(stubborn >= 1800 && stubborn < 9000, `deletion took ${stubborn} ms`);
    const ev = (await events(c, 'graceful')).map((e) => e.reason);
    assert.ok(ev.includes('Killing'), `Killing event in ${ev}`);
    // a container that handles SIGTERM goes at once even with a long grace period
    t0 = Date.now();
    await c.k(['delete', 'pod', 'polite', '--wait=true']);
    const polite = Date.now() - t0;
    assert.ok(polite < 6000, `polite deletion took ${polite} ms`);
    assert.equal(await getPod(c, 'polite'), undefined);
  });

  it('reports bad and missing images and missing configMaps with upstream reasons', async () => {
    await apply(
      c,
      `apiVersion: v1
kind: Pod
metadata: {name: badref}
spec:
  containers: [{name: main, image: "Busybox:1.35", command: ["true"]}]
---
apiVersion: v1
kind: Pod
metadata: {name: neverpull}
spec:
  containers: [{name: main, image: "example.invalid/none:1.0", imagePullPolicy: Never, command: ["true"]}]
---
apiVersion: v1
kind: Pod
metadata: {name: nopull}
spec:
  containers: [{name: main, image: "127.0.0.1:9/none:1.0", command: ["true"]}]
---
apiVersion: v1
kind: Pod
metadata: {name: nocm}
spec:
  containers:
  - name: main
    image: busybox:1.35
    command: ["sleep", "3600"]
    env: [{name: X, valueFrom: {configMapKeyRef: {name: missing-cm, key: k}}}]
`,
    );
    const reason = (p: any) => containerStatus(p, 'main')?.state?.waiting?.reason;
    const bad = await waitPod(c, 'badref', (p) => reason(p) === 'InvalidImageName', 20_000);
    assert.match(containerStatus(bad, 'main').state.waiting.message, /Busybox:1\.35/);
    const never = await waitPod(c, 'neverpull', (p) => reason(p) === 'ErrImageNeverPull', 20_000);
    assert.equal(containerStatus(never, 'main').state.waiting.message, 'Container image "example.invalid/none:1.0" is not present with pull policy of Never');
    await waitPod(c, 'nopull', (p) => reason(p) === 'ErrImagePull' || reason(p) === 'ImagePullBackOff', 20_000);
    await waitPod(c, 'nopull', (p) => reason(p) === 'ImagePullBackOff', 20_000);
    const nocm = await waitPod(c, 'nocm', (p) => reason(p) === 'CreateContainerConfigError', 20_000);
    assert.match(containerStatus(nocm, 'main').state.waiting.message, /configmap "missing-cm" not found/);
    for (const n of ['badref', 'neverpull', 'nopull', 'nocm']) assert.equal((await getPod(c, n)).status.phase, 'Pending');
    const evs = (await events(c, 'nopull')).map((e) => e.reason);
    assert.ok(evs.includes('Pulling') && evs.includes('Failed') && evs.includes('BackOff'), `events ${evs}`);
    // the agent is alive and still runs new pods
    await apply(
      c,
      `apiVersion: v1
kind: Pod
metadata: {name: after-errors}
spec:
  containers: [{name: main, image: busybox:1.35, command: ["sleep", "3600"]}]
`,
    );
    await waitPod(c, 'after-errors', isRunningReady, 20_000);
  });
});
