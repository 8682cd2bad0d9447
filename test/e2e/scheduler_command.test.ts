// `k8ts scheduler` on its own beside a `k8ts server --no-agent` (which runs no scheduler): with the written
// DATA/scheduler.kubeconfig it is system:kube-scheduler, holds the kube-system/kube-scheduler Lease, binds a
// pending pod with upstream's Scheduled event, needs nothing its role does not grant, and hands the Lease back on
// SIGTERM; bad flags exit non-zero naming the problem.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { K8TS_BIN, TestCluster, waitFor } from '../helpers/cluster.js';

const run = promisify(execFile);
let c: TestCluster;
before(async () => {
  c = await new TestCluster({ store: 'memory', agent: false }).start();
});
after(async () => {
  await c?.cleanup();
});

interface Proc {
  proc: ChildProcess;
  identity: string;
  output: string;
}

async function startScheduler(args: string[]): Promise<Proc> {
  const proc = spawn(process.execPath, [K8TS_BIN, 'scheduler', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const p: Proc = { proc, identity: '', output: '' };
  proc.stderr!.on('data', (d: Buffer) => (p.output += d.toString()));
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`scheduler did not start:\n${p.output}`)), 30_000);
    proc.stdout!.on('data', (d: Buffer) => {
      p.output += d.toString();
      const m = /k8ts scheduler (\S+) running/.exec(p.output);
      if (m) {
        p.identity = m[1]!;
        clearTimeout(t);
        resolve();
      }
    });
    proc.on('exit', (code) => {
      clearTimeout(t);
      reject(new Error(`scheduler exited with ${code}:\n${p.output}`));
    });
  });
  return p;
}

test('k8ts scheduler with its own kubeconfig: leader of kube-system/kube-scheduler, binds pods, releases the Lease on SIGTERM', async () => {
  await c.k(['create', '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'sched-n1' } }) });
  const capacity = { cpu: '2', memory: '4Gi', pods: '10' };
  await c.k(['patch', 'node', 'sched-n1', '--subresource=status', '--type=merge', '-p', JSON.stringify({ status: { capacity, allocatable: capacity } })]);
  const s = await startScheduler([
    '--kubeconfig',
    join(c.dataDir, 'scheduler.kubeconfig'),
    '--leader-elect-lease-duration',
    '4s',
    '--leader-elect-renew-deadline',
    '3s',
    '--leader-elect-retry-period',
    '1s',
  ]);
  try {
    const lease = () => c.k(['get', 'lease', 'kube-scheduler', '-n', 'kube-system', '-o', 'json']).then((o) => JSON.parse(o).spec);
    await waitFor(async () => (await lease()).holderIdentity === s.identity);
    await c.k(['create', '-f', '-'], {
      input: JSON.stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'placed' },
        spec: { tolerations: [{ operator: 'Exists' }], containers: [{ name: 'c', image: 'busybox:1.35' }] },
      }),
    });
    await waitFor(async () => (await c.k(['get', 'pod', 'placed', '-o', 'jsonpath={.spec.nodeName}'])) === 'sched-n1');
    const events = await waitFor(async () => {
      const list = JSON.parse(await c.k(['get', 'events', '--field-selector', 'involvedObject.name=placed,reason=Scheduled', '-o', 'json'])).items;
      return list.length ? list : undefined;
    });
    assert.equal(events[0].message, 'Successfully assigned default/placed to sched-n1');
    assert.equal(events[0].source?.component ?? events[0].reportingComponent, 'default-scheduler');
    // everything it watched and wrote, its own role allowed
    assert.doesNotMatch(s.output, /forbidden/i);
  } finally {
    const exited = new Promise<number | null>((r) => s.proc.once('exit', r));
    s.proc.kill('SIGTERM');
    assert.equal(await exited, 0, s.output);
  }
  const released = JSON.parse(await c.k(['get', 'lease', 'kube-scheduler', '-n', 'kube-system', '-o', 'json'])).spec;
  assert.ok(!released.holderIdentity, `released: ${JSON.stringify(released)}`);
});

test('k8ts scheduler refuses bad flags and exits non-zero', async () => {
  const fails = async (args: string[], message: RegExp) => {
    const r = await run(process.execPath, [K8TS_BIN, 'scheduler', ...args]).then(
      () => undefined,
      (e: { code: number; stderr: string }) => e,
    );
    assert.ok(r, `k8ts scheduler ${args.join(' ')} succeeded`);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, message);
  };
  await fails([], /k8ts scheduler needs --kubeconfig or --master/);
  await fails(['--kubeconfig', join(c.dataDir, 'scheduler.kubeconfig'), '--leader-elect=maybe'], /invalid value for --leader-elect: "maybe"/);
  await fails(
    ['--kubeconfig', join(c.dataDir, 'scheduler.kubeconfig'), '--leader-elect-lease-duration', 'soon'],
    /invalid duration for --leader-elect-lease-duration/,
  );
});
