// Lifecycle hooks (postStart / preStop): exec, httpGet, sleep, upstream messages and events, the preStop
// deadline, and the grace period left afterwards.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Container, Pod } from '../../../src/api/core/v1/types.js';
import type { ExecResult } from '../../../src/runtime/types.js';
import {
  formatPod,
  gracePeriodAfterPreStop,
  runLifecycleHandler,
  runPostStart,
  runPreStop,
  type HookDeps,
  type HookTarget,
} from '../../../src/kubelet/lifecycle/handlers.js';

let server: http.Server;
let port = 0;
const hits: { url: string; ua?: string }[] = [];
const sockets = new Set<Socket>();

before(async () => {
  server = http.createServer((req, res) => {
    hits.push({ url: req.url!, ua: req.headers['user-agent'] });
    if (req.url === '/hang') return; // never answers
    if (req.url === '/error') {
      res.statusCode = 500;
      return res.end('bad');
    }
    res.end('ok');
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
after(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((r) => server.close(r));
});

const container: Container = { name: 'app', ports: [{ name: 'web', containerPort: 0 }] };
const pod: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'demo', namespace: 'ns1', uid: 'u-1' }, spec: { containers: [container] } };
const target = (): HookTarget => ({ pod, container: { ...container, ports: [{ name: 'web', containerPort: port }] }, containerId: 'cid', podIP: '127.0.0.1' });

function deps(exec?: (cmd: string[], timeoutSec: number) => Promise<ExecResult>) {
  const events: string[] = [];
  const execCalls: { cmd: string[]; timeoutSec: number }[] = [];
  const d: HookDeps = {
    exec: async (_id, cmd, timeoutSec) => {
      execCalls.push({ cmd, timeoutSec });
      return exec ? exec(cmd, timeoutSec) : { stdout: '', stderr: '', exitCode: 0, timedOut: false };
    },
    recorder: { event: (_o, type, reason, message, fieldPath) => void events.push(`${type} ${reason} ${fieldPath}: ${message}`) },
  };
  return { d, events, execCalls };
}

test('exec hook: success, and failure with upstream message', async () => {
  const ok = deps();
  assert.deepEqual(await runLifecycleHandler({ exec: { command: ['sh', '-c', 'echo hi > /m'] } }, target(), ok.d), { ok: true, message: '' });
  assert.deepEqual(ok.execCalls, [{ cmd: ['sh', '-c', 'echo hi > /m'], timeoutSec: 0 }]);
  const bad = deps(async () => ({ stdout: 'partial', stderr: 'denied', exitCode: 3, timedOut: false }));
  const r = await runLifecycleHandler({ exec: { command: ['sh', '-c', 'exit 3'] } }, target(), bad.d);
  assert.equal(r.ok, false);
  assert.equal(
    r.message,
    `Exec lifecycle hook ([sh -c exit 3]) for Container "app" in Pod "demo_ns1(u-1)" failed - error: command 'sh -c exit 3' exited with 3: denied, message: "partialdenied"`,
  );
});

test('http hook: GET to the pod IP and named port with kube-lifecycle UA; status codes are not checked', async () => {
  const { d } = deps();
  hits.length = 0;
  assert.deepEqual(await runLifecycleHandler({ httpGet: { port: 'web', path: '/start' } }, target(), d), { ok: true, message: '' });
  assert.deepEqual(hits, [{ url: '/start', ua: 'kube-lifecycle/1.33' }]);
  assert.equal((await runLifecycleHandler({ httpGet: { port, path: '/error' } }, target(), d)).ok, true);
});

test('http hook: a connection error is a failure with upstream message', async () => {
  const { d } = deps();
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const closed = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  const r = await runLifecycleHandler({ httpGet: { port: closed, path: '/x' } }, target(), d);
  assert.equal(r.ok, false);
  assert.equal(
    r.message,
    `HTTP lifecycle hook (/x) for Container "app" in Pod "demo_ns1(u-1)" failed - error: Get "http://127.0.0.1:${closed}/x": dial tcp 127.0.0.1:${closed}: connect: connection refused`,
  );
  const noIP = await runLifecycleHandler({ httpGet: { port, path: '/x' } }, { ...target(), podIP: undefined }, d);
  assert.equal(noIP.ok, false);
  assert.match(noIP.message, /failed to find networking container/);
});

test('sleep hook waits the given seconds; tcpSocket is not a runnable handler', async () => {
  const { d } = deps();
  const t0 = Date.now();
  assert.deepEqual(await runLifecycleHandler({ sleep: { seconds: 1 } }, target(), d), { ok: true, message: '' });
  const took = Date.now() - t0;
  assert.ok(took >= 990 && took < 1500, `slept ${took} ms`);
  const tcp = await runLifecycleHandler({ tcpSocket: { port: 80 } }, target(), d);
  assert.equal(tcp.ok, false);
  assert.match(tcp.message, /^Cannot run handler: invalid handler/);
});

test('postStart failure records FailedPostStartHook without the details', async () => {
  const { d, events } = deps(async () => ({ stdout: '', stderr: 'nope', exitCode: 1, timedOut: false }));
  const r = await runPostStart({ exec: { command: ['false'] } }, target(), d);
  assert.equal(r.ok, false);
  assert.match(r.message, /^Exec lifecycle hook \(\[false\]\)/);
  assert.deepEqual(events, ['Warning FailedPostStartHook spec.containers{app}: PostStartHook failed']);
  const good = deps();
  assert.equal((await runPostStart({ exec: { command: ['true'] } }, target(), good.d)).ok, true);
  assert.deepEqual(good.events, []);
});

test('preStop: sleep is cut at the deadline, without a failure event', async () => {
  const { d, events } = deps();
  const t0 = Date.now();
  const r = await runPreStop({ sleep: { seconds: 30 } }, t0 + 300, target(), d);
  const took = Date.now() - t0;
  assert.equal(r.timedOut, true);
  assert.equal(r.ok, false);
  assert.ok(took >= 290 && took < 600, `took ${took} ms`);
  assert.ok(Math.abs(r.elapsedMs - took) < 20);
  assert.deepEqual(events, []);
});

test('preStop: a hanging http hook is bounded by the deadline', async () => {
  const { d } = deps();
  const t0 = Date.now();
  const r = await runPreStop({ httpGet: { port, path: '/hang' } }, t0 + 400, target(), d);
  assert.equal(r.timedOut, true);
  assert.ok(Date.now() - t0 < 800);
});

test('preStop: exec gets the remaining grace as its timeout; a failure records FailedPreStopHook', async () => {
  const { d, events, execCalls } = deps(async () => ({ stdout: '', stderr: '', exitCode: 1, timedOut: false }));
  const r = await runPreStop({ exec: { command: ['nginx', '-s', 'quit'] } }, Date.now() + 4500, target(), d);
  assert.equal(r.ok, false);
  assert.equal(r.timedOut, false);
  assert.equal(execCalls[0]!.timeoutSec, 5);
  assert.deepEqual(events, ['Warning FailedPreStopHook spec.containers{app}: PreStopHook failed']);
  const ok = deps();
  const good = await runPreStop({ exec: { command: ['true'] } }, Date.now() + 10_000, target(), ok.d);
  assert.deepEqual({ ok: good.ok, timedOut: good.timedOut }, { ok: true, timedOut: false });
  assert.deepEqual(ok.events, []);
});

test('grace period left after preStop, at least 2 s; formatPod', () => {
  assert.equal(gracePeriodAfterPreStop(30, 4_900), 26);
  assert.equal(gracePeriodAfterPreStop(30, 29_000), 2);
  assert.equal(gracePeriodAfterPreStop(5, 10_000), 2);
  assert.equal(formatPod(pod), 'demo_ns1(u-1)');
});
