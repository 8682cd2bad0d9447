// `k8ts sim` from outside, in its own process against a real control-plane-only `k8ts server` (whose scheduler
// runs by default), seen through the real kubectl: simulated nodes registered Ready with zones, capacity and the
// k8ts.io/simulated label, leases renewed, a Deployment's pods bound by the scheduler going Running/Ready with fake
// IPs after the --pod-start-delay, the node `pods` capacity honoured (one pod too many stays Pending), SIGTERM with
// --delete-on-exit removing the nodes and leases, bad flags refused, and `k8ts server --sim-nodes N` running them
// in the server process.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { K8TS_BIN, TestCluster, waitFor } from '../helpers/cluster.js';

let c: TestCluster;
let sim: ChildProcess;
let simLog = '';

before(async () => {
  // a control-plane-only server runs its scheduler by default
  c = await new TestCluster({ store: 'memory', scheduler: true }).start();
  sim = spawn(
    process.execPath,
    [
      K8TS_BIN,
      'sim',
      '--nodes',
      '3',
      '--pods-per-node',
      '2',
      '--zones',
      '3',
      '--heartbeat-interval',
      '1s',
      '--pod-start-delay',
      '2s',
      '--delete-on-exit',
      '--kubeconfig',
      c.kubeconfig,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  sim.stdout!.on('data', (d: Buffer) => (simLog += d.toString()));
  sim.stderr!.on('data', (d: Buffer) => (simLog += d.toString()));
});
after(async () => {
  if (sim && sim.exitCode === null) sim.kill('SIGKILL');
  await c?.cleanup();
});

test('simulated nodes register Ready with zones, capacity and the simulated label, and renew their leases', async () => {
  const nodes = await waitFor(async () => {
    const l = JSON.parse(await c.k(['get', 'nodes', '-l', 'k8ts.io/simulated=true', '-o', 'json'])).items;
    return l.length === 3 && l.every((n: any) => n.status?.conditions?.find((x: any) => x.type === 'Ready')?.status === 'True') ? l : undefined;
  }, 20_000);
  assert.deepEqual(
    nodes.map((n: any) => [n.metadata.name, n.metadata.labels['topology.kubernetes.io/zone'], n.status.allocatable.pods]),
    [
      ['sim-00000', 'zone-0', '2'],
      ['sim-00001', 'zone-1', '2'],
      ['sim-00002', 'zone-2', '2'],
    ],
    simLog,
  );
  assert.match(await c.k(['get', 'nodes']), /^sim-00001\s+Ready\s/m);
  const renewed = async () => (await c.k(['get', 'lease', '-n', 'kube-node-lease', 'sim-00000', '-o', 'jsonpath={.spec.renewTime}'])).trim();
  const first = await renewed();
  await waitFor(async () => (await renewed()) !== first, 10_000, 200);
});

test("a Deployment's pods run on them with fake IPs after the start delay; one pod beyond capacity stays Pending", async () => {
  await c.k(['create', 'deployment', 'w', '--image=busybox:1.35', '--replicas=6']);
  const pods = await waitFor(async () => {
    const l = JSON.parse(await c.k(['get', 'pods', '-l', 'app=w', '-o', 'json'])).items;
    return l.length === 6 && l.every((p: any) => p.status.phase === 'Running') ? l : undefined;
  }, 40_000);
  const perNode = new Map<string, number>();
  for (const p of pods) {
    assert.match(p.spec.nodeName, /^sim-0000[0-2]$/);
    perNode.set(p.spec.nodeName, (perNode.get(p.spec.nodeName) ?? 0) + 1);
    assert.match(p.status.podIP, /^100\.\d+\.\d+\.\d+$/);
    assert.equal(p.status.conditions.find((x: any) => x.type === 'Ready').status, 'True');
    const scheduled = Date.parse(p.status.conditions.find((x: any) => x.type === 'PodScheduled').lastTransitionTime);
    assert.ok(Date.parse(p.status.startTime) - scheduled >= 1000, 'Running no sooner than --pod-start-delay after binding');
  }
  assert.deepEqual([...perNode.values()], [2, 2, 2], 'two pods per node fill the capacity');
  await c.k(['scale', 'deployment/w', '--replicas=7']);
  const pending = await waitFor(async () => {
    const out = await c.k(['get', 'pods', '-l', 'app=w', '--field-selector=status.phase=Pending', '-o', 'jsonpath={.items[*].metadata.name}']);
    return out.trim() || undefined;
  }, 20_000);
  const msg = await waitFor(async () => {
    const out = await c.k([
      'get',
      'events',
      '--field-selector',
      `involvedObject.name=${pending},reason=FailedScheduling`,
      '-o',
      'jsonpath={.items[*].message}',
    ]);
    return out.trim() || undefined;
  }, 20_000);
  assert.match(msg, /^0\/3 nodes are available: 3 Too many pods\./);
});

test('SIGTERM with --delete-on-exit: the sim exits 0 and its nodes and leases are gone', async () => {
  const exited = new Promise<number | null>((res) => sim.once('exit', (code) => res(code)));
  sim.kill('SIGTERM');
  assert.equal(await exited, 0, simLog);
  assert.equal((await c.k(['get', 'nodes', '-l', 'k8ts.io/simulated=true', '-o', 'name'])).trim(), '');
  assert.equal((await c.kubectl(['get', 'lease', '-n', 'kube-node-lease', 'sim-00000'])).code, 1);
});

test('bad flags: a clear error, exit 1, no node made', async () => {
  const run = (args: string[]) =>
    new Promise<{ code: number; stderr: string }>((res) =>
      execFile(process.execPath, [K8TS_BIN, 'sim', '--kubeconfig', c.kubeconfig, ...args], { timeout: 20_000 }, (err, _out, stderr) =>
        res({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stderr: String(stderr) }),
      ),
    );
  const zero = await run(['--nodes', '0']);
  assert.equal(zero.code, 1);
  assert.equal(zero.stderr, 'error: --nodes must be a whole number >= 1, got "0"\n');
  const frac = await run(['--nodes', '2', '--pods-per-node', '1.5']);
  assert.equal(frac.code, 1);
  assert.match(frac.stderr, /--pods-per-node must be a whole number >= 1, got "1.5"/);
  assert.equal((await c.k(['get', 'nodes', '-o', 'name'])).trim(), '');
});

test('k8ts server --sim-nodes runs them in the server process', async () => {
  const inProc = await new TestCluster({ store: 'memory', scheduler: true, extraArgs: ['--sim-nodes', '2', '--sim-pods-per-node', '3'] }).start();
  try {
    const nodes = await waitFor(async () => {
      const l = JSON.parse(await inProc.k(['get', 'nodes', '-l', 'k8ts.io/simulated=true', '-o', 'json'])).items;
      return l.length === 2 ? l : undefined;
    }, 20_000);
    assert.deepEqual(
      nodes.map((n: any) => [n.metadata.name, n.status.allocatable.pods]),
      [
        ['sim-00000', '3'],
        ['sim-00001', '3'],
      ],
    );
    await inProc.k(['run', 'p', '--image=busybox:1.35']);
    const ip = await waitFor(
      async () => (await inProc.k(['get', 'pod', 'p', '-o', 'jsonpath={.status.phase} {.status.podIP}'])).match(/^Running (\S+)$/)?.[1],
      20_000,
    );
    assert.match(ip, /^100\./);
  } finally {
    await inProc.cleanup();
  }
});
