// Two `k8ts controller-manager` processes against one API server (its in-process controllers disabled): exactly
// one holds the kube-system/kube-controller-manager Lease and reconciles (namespace deletion); kill -9 of the
// leader hands the Lease and the work to the other, with the Lease fields and LeaderElection events as upstream.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { K8TS_BIN, TestCluster, waitFor } from '../helpers/cluster.js';

interface CM {
  proc: ChildProcess;
  identity: string;
  output: string;
}

async function startControllerManager(kubeconfig: string): Promise<CM> {
  const proc = spawn(
    process.execPath,
    [
      K8TS_BIN,
      'controller-manager',
      '--kubeconfig',
      kubeconfig,
      '--leader-elect=true',
      '--leader-elect-lease-duration',
      '4s',
      '--leader-elect-renew-deadline',
      '3s',
      '--leader-elect-retry-period',
      '1s',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const cm: CM = { proc, identity: '', output: '' };
  proc.stderr!.on('data', (d: Buffer) => (cm.output += d.toString()));
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`controller-manager did not start:\n${cm.output}`)), 30_000);
    proc.stdout!.on('data', (d: Buffer) => {
      cm.output += d.toString();
      const m = /controller-manager (\S+) running/.exec(cm.output);
      if (m) {
        cm.identity = m[1]!;
        clearTimeout(t);
        resolve();
      }
    });
    proc.on('exit', (code) => {
      clearTimeout(t);
      reject(new Error(`controller-manager exited with ${code}:\n${cm.output}`));
    });
  });
  return cm;
}

async function stopProc(p: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (p.exitCode !== null || p.signalCode !== null) return;
  const exited = new Promise((r) => p.once('exit', r));
  p.kill(signal);
  await exited;
}

test('two controller managers: one leader reconciles; kill -9 of the leader hands over', async () => {
  const cluster = await new TestCluster({ extraArgs: ['--disable-controller-manager'] }).start();
  const cms: CM[] = [];
  try {
    // the TLS engineer's per-component kubeconfig when the server writes one; the admin one otherwise
    const own = join(cluster.dataDir, 'controller-manager.kubeconfig');
    const kubeconfig = existsSync(own) ? own : cluster.kubeconfig;
    cms.push(await startControllerManager(kubeconfig), await startControllerManager(kubeconfig));
    const leaseSpec = async () => {
      const r = await cluster.kubectl(['get', 'lease', 'kube-controller-manager', '-n', 'kube-system', '-o', 'json']);
      return r.code === 0 ? (JSON.parse(r.stdout) as { spec: Record<string, unknown> }).spec : undefined;
    };
    const first = await waitFor(async () => {
      const s = await leaseSpec();
      return s && cms.some((c) => c.identity === s.holderIdentity) ? s : undefined;
    });
    const leader = cms.find((c) => c.identity === first.holderIdentity)!;
    const follower = cms.find((c) => c !== leader)!;
    assert.match(leader.identity, /^[^_]+_[0-9a-f-]{36}$/, 'identity is <hostname>_<uuid>');
    assert.equal(first.leaseDurationSeconds, 4);
    assert.equal(first.leaseTransitions, 0);
    assert.match(String(first.acquireTime), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    assert.match(String(first.renewTime), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);

    // the leader (only) deletes a namespace's content and finalizes it
    await cluster.k(['create', 'namespace', 'le-one']);
    await cluster.k(['create', 'configmap', 'c', '-n', 'le-one']);
    await cluster.k(['delete', 'namespace', 'le-one', '--wait=false']);
    await waitFor(async () => (await cluster.kubectl(['get', 'namespace', 'le-one'])).code !== 0, 30_000, 200);
    assert.match(leader.output, /Namespace content deleted, finalizer removed/);
    assert.doesNotMatch(follower.output, /Namespace content deleted/);
    assert.doesNotMatch(follower.output, /Started controller/);

    leader.proc.kill('SIGKILL');
    const second = await waitFor(
      async () => {
        const s = await leaseSpec();
        return s && s.holderIdentity === follower.identity ? s : undefined;
      },
      30_000,
      200,
    );
    assert.equal(second.leaseTransitions, 1);
    assert.notEqual(second.acquireTime, first.acquireTime);
    await cluster.k(['create', 'namespace', 'le-two']);
    await cluster.k(['delete', 'namespace', 'le-two', '--wait=false']);
    await waitFor(async () => (await cluster.kubectl(['get', 'namespace', 'le-two'])).code !== 0, 30_000, 200);
    assert.match(follower.output, /Namespace content deleted, finalizer removed/);

    const events = await cluster.k(['get', 'events', '-n', 'kube-system', '--field-selector', 'reason=LeaderElection', '-o', 'json']);
    const messages = (JSON.parse(events) as { items: { message: string; involvedObject: { kind: string; name: string } }[] }).items
      .filter((e) => e.involvedObject.kind === 'Lease' && e.involvedObject.name === 'kube-controller-manager')
      .map((e) => e.message);
    assert.ok(messages.includes(`${leader.identity} became leader`), messages.join('\n'));
    assert.ok(messages.includes(`${follower.identity} became leader`), messages.join('\n'));

    // a clean stop releases the Lease
    await stopProc(follower.proc);
    const released = await leaseSpec();
    assert.equal(released?.holderIdentity ?? '', '');
    assert.equal(released?.leaseDurationSeconds, 1);
  } finally {
    for (const c of cms) await stopProc(c.proc, 'SIGKILL');
    await cluster.cleanup();
  }
});
