// `k8ts proxy` on its own (the server runs --no-kube-proxy): it programs the node with the system:kube-proxy
// kubeconfig the server wrote, answers /healthz, keeps its rules while it is down so an established connection
// through a ClusterIP carries on across a restart, resyncs what changed meanwhile (a UDP flow to a pod deleted while
// it was down is cleared from conntrack on its first sync), and `--cleanup` removes the table.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import net from 'node:net';
import http from 'node:http';
import type { TestCluster } from '../../helpers/cluster.js';
import { K8TS_BIN, waitFor } from '../../helpers/cluster.js';
import { apply, hostCanRunPods, isRunningReady, useAgentCluster, waitPod } from '../kubelet/helpers.js';
import { hasConntrack, nftTable, udpClient, udpFlows, udpNoPorts, udpService, udpSink } from './helpers.js';

const skip = hostCanRunPods() ? false : 'needs root, runc, conmon, catatonit, CNI plugins and busybox-static';

class ProxyProcess {
  readonly proc: ChildProcess;
  output = '';
  constructor(args: string[]) {
    this.proc = spawn(process.execPath, [K8TS_BIN, 'proxy', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.proc.stdout!.on('data', (d: Buffer) => (this.output += d.toString()));
    this.proc.stderr!.on('data', (d: Buffer) => (this.output += d.toString()));
  }
  /** Resolves after the n-th full sync logged. */
  synced(n = 1): Promise<unknown> {
    return waitFor(async () => (this.output.match(/"full":true[^\n]*Synced the proxy rules/g) ?? []).length >= n, 30_000, 100);
  }
  async stop(): Promise<number | null> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return this.proc.exitCode;
    const done = new Promise<number | null>((r) => this.proc.once('exit', (c) => r(c)));
    this.proc.kill('SIGTERM');
    return done;
  }
}

function healthz(port: number): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: '/healthz', agent: false }, (res) => {
        let b = '';
        res.on('data', (d: Buffer) => (b += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(b) }));
      })
      .on('error', reject);
  });
}

describe('k8ts proxy on its own: restart and cleanup', { skip, concurrency: 1 }, () => {
  let c: TestCluster;
  useAgentCluster((x) => (c = x), ['--no-kube-proxy']);
  const procs: ProxyProcess[] = [];
  after(async () => {
    for (const p of procs) await p.stop();
  });

  const startProxy = async (node: string, healthzPort: number) => {
    const p = new ProxyProcess([
      '--kubeconfig',
      join(c.dataDir, 'kube-proxy.kubeconfig'),
      '--hostname-override',
      node,
      '--cluster-cidr',
      c.clusterCIDR,
      '--nft-table',
      c.nftTable,
      '--healthz-bind-address',
      `127.0.0.1:${healthzPort}`,
      '--log-level',
      'info',
    ]);
    procs.push(p);
    await p.synced();
    return p;
  };
  const clusterIP = async (svc: string) => (await c.k(['get', 'svc', svc, '-o', 'jsonpath={.spec.clusterIP}'])).trim();

  it('keeps an established ClusterIP connection across a proxy restart and resyncs what changed meanwhile', async () => {
    const node = (await c.k(['get', 'nodes', '-o', 'jsonpath={.items[0].metadata.name}'])).trim();
    assert.equal(nftTable(c.nftTable), '', 'no proxy runs in the server');
    // an echo server (one connection, nc -e cat) behind a Service
    await apply(
      c,
      `apiVersion: v1
kind: Pod
metadata: {name: echo, labels: {app: echo}}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - {name: nc, image: busybox:1.35, command: [nc, -l, -p, "9000", -e, cat], ports: [{containerPort: 9000}]}
---
apiVersion: v1
kind: Service
metadata: {name: echo}
spec:
  selector: {app: echo}
  ports: [{port: 9000, targetPort: 9000}]
`,
    );
    await waitPod(c, 'echo', isRunningReady, 60_000);
    const healthzPort = 20000 + Math.floor(Math.random() * 20000);
    let proxy = await startProxy(node, healthzPort);
    assert.match(proxy.output, new RegExp(`k8ts proxy for node ${node} running \\(table ip ${c.nftTable}\\)`));
    const ip = await clusterIP('echo');
    await waitFor(async () => nftTable(c.nftTable).includes(`${ip} . tcp . 9000 : goto service-`), 15_000, 100);
    const h = await healthz(healthzPort);
    assert.equal(h.status, 200);
    assert.ok(Date.parse(h.body.lastUpdated) > 0, JSON.stringify(h.body));

    let received = '';
    const sock = net.connect({ host: ip, port: 9000 });
    sock.on('data', (d: Buffer) => (received += d.toString()));
    await new Promise<void>((r, j) => sock.once('connect', r).once('error', j));
    sock.write('before\n');
    await waitFor(async () => received === 'before\n', 10_000, 50);

    assert.equal(await proxy.stop(), 0);
    assert.ok(nftTable(c.nftTable).includes(`${ip} . tcp . 9000`), 'the rules stay while the proxy is down');
    await apply(c, 'apiVersion: v1\nkind: Service\nmetadata: {name: later}\nspec:\n  selector: {app: echo}\n  ports: [{port: 9001, targetPort: 9000}]\n');
    const later = await clusterIP('later');
    proxy = await startProxy(node, healthzPort);
    await waitFor(async () => nftTable(c.nftTable).includes(`${later} . tcp . 9001 : goto service-`), 15_000, 100);
    sock.write('after\n');
    await waitFor(async () => received === 'before\nafter\n', 10_000, 50);
    sock.destroy();
    assert.equal((await healthz(healthzPort)).status, 200);
    assert.equal(await proxy.stop(), 0);
  });

  it(
    'clears, on restart, a UDP flow to a pod deleted while the proxy was down',
    { skip: hasConntrack ? false : 'needs conntrack (conntrack-tools)' },
    async () => {
      const node = (await c.k(['get', 'nodes', '-o', 'jsonpath={.items[0].metadata.name}'])).trim();
      const healthzPort = 20000 + Math.floor(Math.random() * 20000);
      let proxy = await startProxy(node, healthzPort);
      await apply(c, udpService(5353) + '---\n' + udpSink('sink-a'));
      await waitPod(c, 'sink-a', isRunningReady, 60_000);
      const ip = await clusterIP('udp');
      const a = (await c.k(['get', 'pod', 'sink-a', '-o', 'jsonpath={.status.podIP}'])).trim();
      await waitFor(async () => nftTable(c.nftTable).includes(`${ip} . udp . 5353 : goto service-`) && nftTable(c.nftTable).includes(a), 30_000, 100);
      await apply(c, udpClient('udpclient', ip, 5353));
      await waitPod(c, 'udpclient', isRunningReady, 60_000);
      await waitFor(async () => (await udpNoPorts(c, 'sink-a')) > 3, 20_000, 300);
      const [[sport]] = udpFlows(ip, 5353) as [[number, string]];

      assert.equal(await proxy.stop(), 0);
      // while the proxy is down its rules stay: the flow keeps its DNAT to sink-a, refreshed by every datagram
      await c.k(['delete', 'pod', 'sink-a', '--wait=true']);
      await apply(c, udpSink('sink-b'));
      await waitPod(c, 'sink-b', isRunningReady, 60_000);
      const b = (await c.k(['get', 'pod', 'sink-b', '-o', 'jsonpath={.status.podIP}'])).trim();
      assert.deepEqual(udpFlows(ip, 5353), [[sport, a]], 'still DNATed to the gone pod');
      proxy = await startProxy(node, healthzPort);
      await waitFor(async () => (await udpNoPorts(c, 'sink-b')) > 3, 15_000, 300);
      assert.deepEqual(udpFlows(ip, 5353), [[sport, b]]);
      assert.equal(await proxy.stop(), 0);
      await c.k(['delete', 'pod', 'udpclient', 'sink-b', '--wait=false']);
    },
  );

  it('k8ts proxy --cleanup removes the table and exits 0', async () => {
    assert.notEqual(nftTable(c.nftTable), '');
    const r = await new Promise<{ code: number; out: string }>((resolve) =>
      execFile(process.execPath, [K8TS_BIN, 'proxy', '--cleanup', '--nft-table', c.nftTable], (err, stdout, stderr) =>
        resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr }),
      ),
    );
    assert.equal(r.code, 0, r.out);
    assert.equal(nftTable(c.nftTable), '');
    const tables = await new Promise<string>((resolve) => execFile('nft', ['list', 'tables'], (_e, out) => resolve(out)));
    assert.ok(!tables.includes(c.nftTable), tables);
  });
});
