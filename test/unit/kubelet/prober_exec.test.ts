// exec probe handler through a fake exec function, and the prober's retries and Unhealthy/ProbeWarning events.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Pod } from '../../../src/api/core/v1/types.js';
import type { ExecResult } from '../../../src/runtime/types.js';
import { runExecProbe } from '../../../src/kubelet/prober/exec_runner.js';
import { Prober } from '../../../src/kubelet/prober/prober.js';
import type { ExecFn } from '../../../src/kubelet/prober/types.js';

const res = (exitCode: number, stdout = '', stderr = '', timedOut = false): ExecResult => ({ exitCode, stdout, stderr, timedOut });

test('exec: exit 0 is Success, other codes Failure with output', async () => {
  const calls: [string, string[], number][] = [];
  const exec: ExecFn = async (id, cmd, t) => {
    calls.push([id, cmd, t]);
    return cmd[0] === 'ok' ? res(0, 'fine\n') : res(2, 'out ', 'err');
  };
  assert.deepEqual(await runExecProbe(exec, 'cid', ['ok'], 3), { result: 'Success', output: 'fine\n' });
  assert.deepEqual(await runExecProbe(exec, 'cid', ['bad'], 1), { result: 'Failure', output: 'out err' });
  assert.deepEqual(calls[0], ['cid', ['ok'], 3]);
});

test('exec: a runtime-reported timeout is a Failure with upstream wording', async () => {
  const exec: ExecFn = async () => res(-1, '', '', true);
  assert.deepEqual(await runExecProbe(exec, 'cid', ['sh', '-c', 'sleep 10'], 1), { result: 'Failure', output: 'command "sh -c sleep 10" timed out' });
});

test('exec: a hanging exec is cut off shortly after timeoutSeconds', async () => {
  const exec: ExecFn = () => new Promise(() => {});
  const t0 = Date.now();
  const r = await runExecProbe(exec, 'cid', ['hang'], 1);
  assert.equal(r.result, 'Failure');
  assert.equal(r.output, 'command "hang" timed out');
  assert.ok(Date.now() - t0 < 2500);
});

test('exec: runtime errors are Unknown; output is limited to 10 KiB', async () => {
  assert.deepEqual(await runExecProbe(async () => Promise.reject(new Error('container not found')), 'cid', ['x'], 1), {
    result: 'Unknown',
    output: 'container not found',
  });
  const big = await runExecProbe(async () => res(1, 'y'.repeat(20000)), 'cid', ['x'], 1);
  assert.equal(big.output.length, 10240);
});

function pod(container: Pod['spec'] extends infer S ? (S extends { containers: (infer C)[] } ? C : never) : never): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ns', uid: 'u1' }, spec: { containers: [container] } };
}

test('prober: failures record Unhealthy with "<Kind> probe failed: <output>"', async () => {
  const events: { type: string; reason: string; message: string; fieldPath?: string }[] = [];
  const recorder = {
    event: (_o: unknown, type: 'Normal' | 'Warning', reason: string, message: string, fieldPath?: string) =>
      void events.push({ type, reason, message, fieldPath }),
  };
  const c = { name: 'app', livenessProbe: { exec: { command: ['false'] } }, readinessProbe: { exec: { command: ['true'] } } };
  const p = pod(c);
  const prober = new Prober({ exec: async (_id, cmd) => res(cmd[0] === 'true' ? 0 : 1, 'boom'), recorder });
  assert.equal(await prober.probe({ kind: 'liveness', pod: p, container: c, containerId: 'x' }), 'Failure');
  assert.equal(await prober.probe({ kind: 'readiness', pod: p, container: c, containerId: 'x' }), 'Success');
  assert.deepEqual(events, [{ type: 'Warning', reason: 'Unhealthy', message: 'Liveness probe failed: boom', fieldPath: 'spec.containers{app}' }]);
});

test('prober: handler errors are retried 3 times and reported as errored', async () => {
  const events: string[] = [];
  let calls = 0;
  const c = { name: 'app', startupProbe: { exec: { command: ['x'] } } };
  const prober = new Prober({
    exec: async () => {
      calls++;
      throw new Error('exec failed: no such container');
    },
    recorder: { event: (_o, _t, reason, message) => void events.push(`${reason}: ${message}`) },
  });
  assert.equal(await prober.probe({ kind: 'startup', pod: pod(c), container: c, containerId: 'x' }), 'Error');
  assert.equal(calls, 3);
  assert.deepEqual(events, ['Unhealthy: Startup probe errored and resulted in unknown state: exec failed: no such container']);
});

test('prober: a redirect to another host succeeds with a ProbeWarning event', async () => {
  const s = http.createServer((_req, r) => {
    r.writeHead(302, { Location: 'http://localhost:1/elsewhere' });
    r.end('bye');
  });
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  const events: string[] = [];
  try {
    const c = { name: 'web', readinessProbe: { httpGet: { port, path: '/' }, timeoutSeconds: 1 } };
    const prober = new Prober({ exec: async () => res(0), recorder: { event: (_o, t, reason, message) => void events.push(`${t} ${reason}: ${message}`) } });
    assert.equal(await prober.probe({ kind: 'readiness', pod: pod(c), container: c, containerId: 'x', podIP: '127.0.0.1' }), 'Success');
    assert.deepEqual(events, ['Warning ProbeWarning: Readiness probe warning: Probe terminated redirects, Response body: bye']);
  } finally {
    await new Promise((r) => s.close(r));
  }
});
