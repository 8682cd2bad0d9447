// Node agent end to end, part 3: container probes (readiness httpGet/tcpSocket/grpc, liveness exec, startup,
// timeouts), lifecycle hooks (postStart, preStop before SIGTERM and bounded by the grace period) and
// readiness gates — real containers, the real kubectl.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import grpc from '@grpc/grpc-js';
import type { TestCluster } from '../../helpers/cluster.js';
import { waitFor } from '../../helpers/cluster.js';
import { healthServiceDefinition, ServingStatus, type HealthCheckRequest, type HealthCheckResponse } from '../../../src/kubelet/prober/grpc_health.js';
import { apply, containerStatus, events, execIn, getPod, hostCanRunPods, isRunningReady, useAgentCluster, waitPod } from './helpers.js';

const skip = hostCanRunPods() ? false : 'needs root, runc, conmon, catatonit, CNI plugins and busybox-static';

const cond = (p: any, type: string) => p?.status?.conditions?.find((c: any) => c.type === type);
const isNotReady = (p: any) => p?.status?.phase === 'Running' && cond(p, 'Ready')?.status === 'False';

describe('kubelet: probes, lifecycle hooks and readiness gates', { skip, concurrency: 1 }, () => {
  let c: TestCluster;
  const hostDirs: string[] = [];
  useAgentCluster((x) => (c = x));
  after(() => {
    for (const d of hostDirs) rmSync(d, { recursive: true, force: true });
  });

  it('flips Ready with an httpGet readiness probe as the served file goes and comes back', async () => {
    await apply(
      c,
      `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
  - name: httpd
    image: busybox:1.35
    command: ["sh", "-c", "mkdir -p /www && echo ok > /www/index.html && exec httpd -f -p 8080 -h /www"]
    ports: [{name: http, containerPort: 8080}]
    readinessProbe:
      httpGet: {path: /index.html, port: http}
      periodSeconds: 1
      failureThreshold: 1
`,
    );
    const p = await waitPod(c, 'web', isRunningReady, 30_000);
    assert.equal(containerStatus(p, 'httpd').ready, true);
    assert.equal(cond(p, 'ContainersReady').status, 'True');
    assert.equal((await execIn(c, p, 'httpd', ['rm', '/www/index.html'])).exitCode, 0);
    const down = await waitPod(c, 'web', isNotReady, 15_000);
    assert.equal(containerStatus(down, 'httpd').ready, false);
    assert.equal(containerStatus(down, 'httpd').started, true);
    assert.equal(cond(down, 'ContainersReady').status, 'False');
    assert.equal(cond(down, 'ContainersReady').reason, 'ContainersNotReady');
    assert.equal(cond(down, 'Ready').message, 'containers with unready status: [httpd]');
    assert.ok(
      (await events(c, 'web')).some((e) => e.reason === 'Unhealthy' && /^Readiness probe failed: HTTP probe failed with statuscode: 404/.test(e.message)),
    );
    assert.equal((await execIn(c, p, 'httpd', ['sh', '-c', 'echo ok > /www/index.html'])).exitCode, 0);
    const up = await waitPod(c, 'web', isRunningReady, 15_000);
    assert.equal(containerStatus(up, 'httpd').restartCount, 0);
    await c.k(['delete', 'pod', 'web', '--grace-period=1', '--wait=false']);
  });

  it('restarts a container whose liveness exec probe starts failing (Unhealthy, Killing)', async () => {
    await apply(
      c,
      `apiVersion: v1
kind: Pod
metadata: {name: liveness-exec}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: main
    image: busybox:1.35
    command: ["sh", "-c", "touch /tmp/healthy; sleep 3; rm -f /tmp/healthy; sleep 600"]
    livenessProbe:
      exec: {command: ["cat", "/tmp/healthy"]}
      periodSeconds: 1
      failureThreshold: 2
`,
    );
    const p = await waitPod(c, 'liveness-exec', (x) => containerStatus(x, 'main')?.restartCount >= 1 && containerStatus(x, 'main')?.state?.running, 40_000);
    const cs = containerStatus(p, 'main');
    assert.equal(cs.lastState.terminated.exitCode, 137, JSON.stringify(cs.lastState));
    const evs = await events(c, 'liveness-exec');
    assert.ok(
      evs.some((e) => e.reason === 'Unhealthy' && /^Liveness probe failed: cat: can't open '\/tmp\/healthy'/.test(e.message)),
      JSON.stringify(evs.map((e) => e.message)),
    );
    assert.ok(evs.some((e) => e.reason === 'Killing' && e.message === 'Container main failed liveness probe, will be restarted'));
    const described = await c.k(['describe', 'pod', 'liveness-exec']);
    assert.match(described, /Unhealthy .*Liveness probe failed/);
    assert.match(described, /Killing .*Container main failed liveness probe, will be restarted/);
    // the restarted instance is healthy again for 3 s, then fails again: the count keeps growing
    await waitPod(c, 'liveness-exec', (x) => containerStatus(x, 'main')?.restartCount >= 2, 40_000);
    await c.k(['delete', 'pod', 'liveness-exec', '--grace-period=0', '--force', '--wait=false']);
  });

  it('holds liveness and readiness back until the startup probe succeeds', async () => {
    await apply(
      c,
      `apiVersion: v1
kind: Pod
metadata: {name: slow-start}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: main
    image: busybox:1.35
    command: ["sh", "-c", "sleep 4; touch /tmp/started; sleep 600"]
    startupProbe:
      exec: {command: ["cat", "/tmp/started"]}
      periodSeconds: 1
      failureThreshold: 15
    livenessProbe:
      exec: {command: ["cat", "/tmp/started"]}
      periodSeconds: 1
      failureThreshold: 1
`,
    );
    const early = await waitPod(c, 'slow-start', (x) => x.status?.phase === 'Running' && containerStatus(x, 'main')?.state?.running, 30_000);
    const ecs = containerStatus(early, 'main');
    assert.equal(ecs.started, false, 'started before the startup probe passed');
    assert.equal(ecs.ready, false);
    const p = await waitPod(c, 'slow-start', isRunningReady, 30_000);
    const cs = containerStatus(p, 'main');
    assert.equal(cs.started, true);
    assert.equal(cs.restartCount, 0, 'liveness killed the container before it started');
    const evs = await events(c, 'slow-start');
    assert.ok(evs.some((e) => e.reason === 'Unhealthy' && e.message.startsWith('Startup probe failed:')));
    assert.ok(!evs.some((e) => e.reason === 'Unhealthy' && e.message.startsWith('Liveness probe failed:')), 'liveness ran before startup succeeded');
    assert.ok(!evs.some((e) => e.reason === 'Killing'));
    await c.k(['delete', 'pod', 'slow-start', '--grace-period=0', '--force', '--wait=false']);
  });

  it('kills a container whose startup probe never succeeds', async () => {
    await apply(
      c,
      `apiVersion: v1
kind: Pod
metadata: {name: never-starts}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: main
    image: busybox:1.35
    command: ["sleep", "600"]
    startupProbe:
      exec: {command: ["false"]}
      periodSeconds: 1
      failureThreshold: 2
`,
    );
    await waitPod(c, 'never-starts', (x) => containerStatus(x, 'main')?.restartCount >= 1, 40_000);
    const evs = await events(c, 'never-starts');
    assert.ok(evs.some((e) => e.reason === 'Killing' && e.message === 'Container main failed startup probe, will be restarted'));
    await c.k(['delete', 'pod', 'never-starts', '--grace-period=0', '--force', '--wait=false']);
  });

  it('becomes Ready with a tcpSocket probe once something listens on the port', async () => {
    await apply(
      c,
      `apiVersion: v1
kind: Pod
metadata: {name: tcp}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: main
    image: busybox:1.35
    command: ["sleep", "600"]
    ports: [{name: svc, containerPort: 9000}]
    readinessProbe:
      tcpSocket: {port: svc}
      periodSeconds: 1
`,
    );
    const p = await waitPod(c, 'tcp', (x) => x.status?.phase === 'Running' && containerStatus(x, 'main')?.state?.running, 30_000);
    await new Promise((r) => setTimeout(r, 2500));
    const still = await getPod(c, 'tcp');
    assert.equal(cond(still, 'Ready').status, 'False', 'ready without a listener');
    assert.ok(
      (await events(c, 'tcp')).some(
        (e) => e.reason === 'Unhealthy' && /^Readiness probe failed: dial tcp [\d.]+:9000: connect: connection refused/.test(e.message),
      ),
    );
    // busybox httpd without -f daemonises: a listener on 9000
    assert.equal((await execIn(c, p, 'main', ['httpd', '-p', '9000', '-h', '/tmp'])).exitCode, 0);
    await waitPod(c, 'tcp', isRunningReady, 15_000);
    await c.k(['delete', 'pod', 'tcp', '--grace-period=0', '--force', '--wait=false']);
  });

  it('follows a grpc health server with a grpc probe (hostNetwork pod, server on the node IP)', async () => {
    const statuses: Record<string, number> = { '': ServingStatus.SERVING };
    const server = new grpc.Server();
    let checks = 0;
    server.addService(healthServiceDefinition, {
      Check: (call: grpc.ServerUnaryCall<HealthCheckRequest, HealthCheckResponse>, cb: grpc.sendUnaryData<HealthCheckResponse>) => {
        checks++;
        const st = statuses[call.request.service];
        if (st === undefined) return cb({ code: grpc.status.NOT_FOUND, details: 'unknown service' });
        cb(null, { status: st });
      },
    });
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))),
    );
    try {
      const node = (await c.api('GET', '/api/v1/nodes')).body.items[0];
      const nodeIP = node.status.addresses.find((a: any) => a.type === 'InternalIP').address;
      assert.equal(nodeIP, '127.0.0.1', 'the test server listens on the node IP the agent reports');
      await apply(
        c,
        `apiVersion: v1
kind: Pod
metadata: {name: grpc-probe}
spec:
  hostNetwork: true
  terminationGracePeriodSeconds: 1
  containers:
  - name: main
    image: busybox:1.35
    command: ["sleep", "600"]
    readinessProbe:
      grpc: {port: ${port}}
      periodSeconds: 1
      failureThreshold: 1
`,
      );
      const p = await waitPod(c, 'grpc-probe', isRunningReady, 30_000);
      assert.equal(p.status.podIP, nodeIP);
      assert.ok(checks >= 1);
      statuses[''] = ServingStatus.NOT_SERVING;
      await waitPod(c, 'grpc-probe', isNotReady, 15_000);
      assert.ok(
        (await events(c, 'grpc-probe')).some(
          (e) => e.reason === 'Unhealthy' && e.message === 'Readiness probe failed: service unhealthy (responded with "NOT_SERVING")',
        ),
      );
      statuses[''] = ServingStatus.SERVING;
      await waitPod(c, 'grpc-probe', isRunningReady, 15_000);
      await c.k(['delete', 'pod', 'grpc-probe', '--grace-period=0', '--force', '--wait=false']);
    } finally {
      server.forceShutdown();
    }
  });

  it('fails an exec probe that outlives timeoutSeconds', async () => {
    await apply(
      c,
      `apiVersion: v1
kind: Pod
metadata: {name: slow-probe}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: main
    image: busybox:1.35
    command: ["sleep", "600"]
    readinessProbe:
      exec: {command: ["sleep", "5"]}
      timeoutSeconds: 1
      periodSeconds: 1
`,
    );
    await waitPod(c, 'slow-probe', (x) => x.status?.phase === 'Running', 30_000);
    // With the timeout honoured each probe ends after ~1 s, so several failures show up well within 5 s.
    const t0 = Date.now();
    const evs = await waitFor(
      async () => {
        const all = (await events(c, 'slow-probe')).filter(
          (e) => e.reason === 'Unhealthy' && e.message === 'Readiness probe failed: command "sleep 5" timed out',
        );
        return all.length && all[0].count >= 2 ? all : undefined;
      },
      15_000,
      250,
    );
    assert.ok(Date.now() - t0 < 9000, 'probes did not time out after 1 s');
    assert.ok(evs.length >= 1);
    assert.equal(cond(await getPod(c, 'slow-probe'), 'Ready').status, 'False');
    await c.k(['delete', 'pod', 'slow-probe', '--grace-period=0', '--force', '--wait=false']);
  });

  it('runs the lifecycle-demo postStart hook before the container counts as running', async () => {
    await apply(
      c,
      `apiVersion: v1
kind: Pod
metadata: {name: lifecycle-demo}
spec:
  containers:
  - name: lifecycle-demo-container
    image: busybox:1.35
    # httpd must not be PID 1 (which ignores the preStop hook's SIGTERM): sh waits for it instead
    command: ["sh", "-c", "mkdir -p /usr/share; httpd -f -p 8080 -h /usr/share & wait"]
    lifecycle:
      postStart:
        exec:
          command: ["/bin/sh", "-c", "sleep 1; mkdir -p /usr/share; echo Hello from the postStart handler > /usr/share/message"]
      preStop:
        exec:
          command: ["/bin/sh", "-c", "killall httpd; while killall -0 httpd; do sleep 1; done"]
`,
    );
    const p = await waitPod(c, 'lifecycle-demo', (x) => containerStatus(x, 'lifecycle-demo-container')?.state?.running, 30_000);
    // the first status showing it running comes after the hook: the file is already there
    const r = await execIn(c, p, 'lifecycle-demo-container', ['cat', '/usr/share/message']);
    assert.equal(r.stdout, 'Hello from the postStart handler\n');
    assert.equal(containerStatus(p, 'lifecycle-demo-container').restartCount, 0);
    const t0 = Date.now();
    await c.k(['delete', 'pod', 'lifecycle-demo', '--timeout=30s']);
    // sh (PID 1, no trap) ignores SIGTERM, so only the preStop hook stopping httpd ends the container before
    // the 30 s grace period. (The hook's exec dies with the container; like upstream with nginx, that may be
    // reported as FailedPreStopHook.)
    assert.ok(Date.now() - t0 < 15_000, `deletion took ${Date.now() - t0} ms`);
    assert.ok((await events(c, 'lifecycle-demo')).some((e) => e.reason === 'Killing' && e.message === 'Stopping container lifecycle-demo-container'));
  });

  it('kills and restarts a container whose postStart hook fails', async () => {
    await apply(
      c,
      `apiVersion: v1
kind: Pod
metadata: {name: bad-poststart}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: main
    image: busybox:1.35
    command: ["sleep", "600"]
    lifecycle:
      postStart:
        exec: {command: ["sh", "-c", "exit 3"]}
`,
    );
    const p = await waitPod(c, 'bad-poststart', (x) => containerStatus(x, 'main')?.restartCount >= 1, 40_000);
    assert.notEqual(cond(p, 'Ready')?.status, 'True');
    const evs = await events(c, 'bad-poststart');
    assert.ok(
      evs.some((e) => e.reason === 'FailedPostStartHook'),
      JSON.stringify(evs.map((e) => e.reason)),
    );
    assert.ok(evs.some((e) => e.reason === 'Killing' && e.message === 'FailedPostStartHook'));
    const seen = await waitPod(
      c,
      'bad-poststart',
      (x) => ['PostStartHookError', 'CrashLoopBackOff'].includes(containerStatus(x, 'main')?.state?.waiting?.reason),
      20_000,
    );
    assert.ok(containerStatus(seen, 'main').state.waiting);
    await c.k(['delete', 'pod', 'bad-poststart', '--grace-period=0', '--force', '--wait=false']);
  });

  it('runs preStop to completion before SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'k8ts-prestop-'));
    hostDirs.push(dir);
    await apply(
      c,
      `apiVersion: v1
kind: Pod
metadata: {name: prestop}
spec:
  terminationGracePeriodSeconds: 10
  volumes: [{name: out, hostPath: {path: ${dir}}}]
  containers:
  - name: main
    image: busybox:1.35
    command: ["sh", "-c", "trap 'echo TERM >> /out/log; exit 0' TERM; echo started >> /out/log; while true; do sleep 0.2; done"]
    volumeMounts: [{name: out, mountPath: /out}]
    lifecycle:
      preStop:
        exec: {command: ["sh", "-c", "echo prestop-begin >> /out/log; sleep 2; echo prestop-end >> /out/log"]}
`,
    );
    await waitPod(c, 'prestop', isRunningReady, 30_000);
    const t0 = Date.now();
    await c.k(['delete', 'pod', 'prestop', '--timeout=30s']);
    const took = Date.now() - t0;
    const log = readFileSync(join(dir, 'log'), 'utf8').trim().split('\n');
    assert.deepEqual(log, ['started', 'prestop-begin', 'prestop-end', 'TERM']);
    assert.ok(took >= 2000 && took < 9000, `deletion took ${took} ms`);
  });

  it('bounds a preStop hook by the grace period', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'k8ts-prestop-'));
    hostDirs.push(dir);
    await apply(
      c,
      `apiVersion: v1
kind: Pod
metadata: {name: prestop-slow}
spec:
  terminationGracePeriodSeconds: 2
  volumes: [{name: out, hostPath: {path: ${dir}}}]
  containers:
  - name: main
    image: busybox:1.35
    command: ["sh", "-c", "trap '' TERM; while true; do sleep 0.2; done"]
    volumeMounts: [{name: out, mountPath: /out}]
    lifecycle:
      preStop:
        exec: {command: ["sh", "-c", "echo prestop-begin >> /out/log; sleep 30; echo prestop-end >> /out/log"]}
`,
    );
    await waitPod(c, 'prestop-slow', isRunningReady, 30_000);
    const t0 = Date.now();
    await c.k(['delete', 'pod', 'prestop-slow', '--timeout=30s']);
    const took = Date.now() - t0;
    // 2 s of preStop, then at least 2 s (upstream minimum) for SIGTERM, then SIGKILL: well under 30 s
    assert.ok(took >= 3500 && took < 12_000, `deletion took ${took} ms`);
    assert.deepEqual(readFileSync(join(dir, 'log'), 'utf8').trim().split('\n'), ['prestop-begin']);
  });

  it('keeps a pod NotReady until its readiness gate condition is True (patched through /status)', async () => {
    await apply(
      c,
      `apiVersion: v1
kind: Pod
metadata: {name: gated}
spec:
  terminationGracePeriodSeconds: 1
  readinessGates: [{conditionType: "example.com/feature-1"}]
  containers:
  - name: main
    image: busybox:1.35
    command: ["sleep", "600"]
`,
    );
    const p = await waitPod(c, 'gated', (x) => x.status?.phase === 'Running' && cond(x, 'ContainersReady')?.status === 'True', 30_000);
    assert.equal(cond(p, 'Ready').status, 'False');
    assert.equal(cond(p, 'Ready').reason, 'ReadinessGatesNotReady');
    assert.equal(cond(p, 'Ready').message, 'corresponding condition of pod readiness gate "example.com/feature-1" does not exist.');
    const patch = (status: string) =>
      c.k([
        'patch',
        'pod',
        'gated',
        '--subresource=status',
        '--type=merge',
        '-p',
        JSON.stringify({ status: { conditions: [{ type: 'example.com/feature-1', status }] } }),
      ]);
    await patch('True');
    const up = await waitPod(c, 'gated', (x) => isRunningReady(x) && cond(x, 'ContainersReady')?.status === 'True', 15_000);
    assert.equal(cond(up, 'example.com/feature-1').status, 'True');
    await patch('False');
    const down = await waitPod(c, 'gated', (x) => cond(x, 'Ready')?.status === 'False' && cond(x, 'ContainersReady')?.status === 'True', 15_000);
    assert.equal(cond(down, 'Ready').message, 'the status of pod readiness gate "example.com/feature-1" is not "True", but False');
    assert.equal(cond(down, 'example.com/feature-1').status, 'False');
    // the kubelet's later writes keep the foreign condition
    await new Promise((r) => setTimeout(r, 2500));
    assert.equal(cond(await getPod(c, 'gated'), 'example.com/feature-1')?.status, 'False');
    await c.k(['delete', 'pod', 'gated', '--grace-period=0', '--force', '--wait=false']);
  });
});
