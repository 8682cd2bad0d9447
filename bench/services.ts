// `npm run bench:services`: the kube-proxy. (a) 1,000 Services × 10 endpoints (EndpointSlices written directly, no
// pods) on a k8ts API server: the time for a fresh proxy to program all of them, and the p99 from an EndpointSlice
// write to the proxy's nft transaction carrying it being committed, against kube-proxy's nftables-mode design
// target (≤ 100 ms p99). (b) on a real node: the cluster DNS from a pod, queries/s and p99 (bench/services_dns.ts).
// (c) on a real node: a Service hop vs the pod IP directly, connections/s and throughput (busybox httpd in a pod,
// the client in another pod's netns: the pod-to-pod path), ratio target ≥ 0.9, medians of interleaved rounds.
// Usage: npm run bench:services [-- --services 1000 --endpoints 10 --changes 200 --seconds 5 --rounds 3
//        --parts abc --dns-window 32 --out FILE --skip-node (= --parts a)]
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import type { Service } from '../src/api/core/v1/service_types.js';
import type { EndpointSlice } from '../src/api/discovery/v1/types.js';
import { fromKubeconfig } from '../src/client/kubeconfig.js';
import type { KubeClient } from '../src/client/rest.js';
import { ResourceClient, Resources } from '../src/client/typed.js';
import { Nft } from '../src/kubeproxy/nft.js';
import { Proxier, type SyncStats } from '../src/kubeproxy/proxier.js';
import { logger } from '../src/log/logger.js';
import { TestCluster, waitFor } from '../test/helpers/cluster.js';
import { startAgentCluster } from '../test/node/kubelet/helpers.js';
import type { HttpLoadSpec } from './http_loadgen.js';
import { podNetns, runInNetns } from './pod_netns.js';
import { benchDNS, TARGET_P99_MS as DNS_TARGET_P99_MS, TARGET_QPS as DNS_TARGET_QPS } from './services_dns.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const arg = (name: string, def: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1]! : def;
};
const SERVICES = Number(arg('services', '1000'));
const ENDPOINTS = Number(arg('endpoints', '10'));
const CHANGES = Number(arg('changes', '200'));
const SECONDS = Number(arg('seconds', '5'));
const OUT = arg('out', join(ROOT, 'bench/results/services.json'));
const ROUNDS = Number(arg('rounds', '3'));
const DNS_WINDOW = Number(arg('dns-window', '32'));
const PARTS = args.includes('--skip-node') ? 'a' : arg('parts', 'abc');
const TARGET_P99_MS = 100;
const TARGET_RATIO = 0.9;

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]! : NaN;
};
const r1 = (x: number) => Math.round(x * 10) / 10;
const r3 = (x: number) => Math.round(x * 1000) / 1000;

/** Run `fn` over `items` with `n` in flight. */
async function pool<T>(items: T[], n: number, fn: (x: T) => Promise<unknown>): Promise<void> {
  let i = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (i < items.length) await fn(items[i++]!);
    }),
  );
}

const fakeIP = (i: number, j: number) => `10.250.${Math.floor(i / 25)}.${(i % 25) * 10 + j + 1}`;

function slice(i: number, ips: string[]): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name: `svc-${i}-bench`,
      namespace: 'default',
      labels: { 'kubernetes.io/service-name': `svc-${i}`, 'endpointslice.kubernetes.io/managed-by': 'bench' },
    },
    addressType: 'IPv4',
    ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    endpoints: ips.map((ip) => ({ addresses: [ip], conditions: { ready: true, serving: true, terminating: false }, nodeName: 'bench-node' })),
  };
}

async function partA(results: Record<string, unknown>): Promise<void> {
  const cluster = new TestCluster({ store: 'memory', extraArgs: ['--service-cluster-ip-range', '10.104.0.0/16'] });
  await cluster.start();
  const table = `k8ts-bench-${randomBytes(3).toString('hex')}`;
  const nft = new Nft();
  let proxier: Proxier | undefined;
  const client: KubeClient = fromKubeconfig(cluster.kubeconfig, { userAgent: 'bench-services' });
  try {
    const svcs = new ResourceClient<Service>(client, Resources.services, 'default');
    const slices = new ResourceClient<EndpointSlice>(client, Resources.endpointSlices, 'default');
    const idx = Array.from({ length: SERVICES }, (_, i) => i);
    const t0 = performance.now();
    await pool(idx, 16, (i) =>
      svcs.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: `svc-${i}` }, spec: { ports: [{ name: 'http', port: 80, targetPort: 8080 }] } }),
    );
    await pool(idx, 16, (i) =>
      slices.create(
        slice(
          i,
          Array.from({ length: ENDPOINTS }, (_, j) => fakeIP(i, j)),
        ),
      ),
    );
    console.log(`(a) wrote ${SERVICES} Services and EndpointSlices in ${r1((performance.now() - t0) / 1000)} s`);

    // a fresh proxy programs everything in its first (full) sync
    const syncs: SyncStats[] = [];
    proxier = new Proxier({ client, nodeName: 'bench-node', table, clusterCIDR: '10.244.0.0/16', log: logger('kube-proxy') });
    const syncAt: number[] = [];
    proxier.onSync = (s) => {
      syncAt.push(performance.now());
      syncs.push(s);
    };
    const start = performance.now();
    await proxier.start();
    await waitFor(async () => syncs.some((s) => s.full), 600_000, 20);
    const programMs = performance.now() - start;
    const fullSync = syncs.find((s) => s.full)!;
    const chains = (await nft.objects(table)).chains.size;
    console.log(`(a) programmed ${chains} chains in ${r1(programMs)} ms (sync ${fullSync.durationMs} ms)`);

    // one EndpointSlice change at a time: the write → the proxy's `nft -f` transaction with it committed
    const lat: number[] = [];
    const syncMs: number[] = [];
    const nftMs: number[] = [];
    let lastIP = '';
    for (let k = 0; k < CHANGES; k++) {
      const i = (k * 7919) % SERVICES;
      lastIP = `10.251.${Math.floor(k / 250)}.${(k % 250) + 1}`;
      const cur = await slices.get(`svc-${i}-bench`);
      cur.endpoints[0] = { ...cur.endpoints[0]!, addresses: [lastIP] };
      // from the write (the read before it is the bench's, not the change's)
      const before = syncs.length;
      const w0 = performance.now();
      await slices.update(cur);
      await waitFor(async () => syncs.length > before, 10_000, 1);
      const s = syncs[before]!;
      lat.push(syncAt[before]! - w0);
      syncMs.push(s.durationMs);
      nftMs.push(s.nftMs);
    }
    // what the proxy reported as committed is in the kernel
    const rules = await nft.run(['list', 'table', 'ip', table]);
    if (!rules.stdout.includes(`dnat to ${lastIP}:8080`) && !rules.stdout.includes(`${lastIP} . 8080`))
      throw new Error(`the last change (${lastIP}) is not in the kernel`);
    results.a = {
      services: SERVICES,
      endpointsPerService: ENDPOINTS,
      chains,
      programAllMs: r1(programMs),
      fullSyncMs: fullSync.durationMs,
      changes: CHANGES,
      changeToKernelMs: { p50: r1(pct(lat, 50)), p90: r1(pct(lat, 90)), p99: r1(pct(lat, 99)), max: r1(Math.max(...lat)) },
      partialSyncMs: { p50: pct(syncMs, 50), p99: pct(syncMs, 99) },
      partialNftMs: { p50: pct(nftMs, 50), p99: pct(nftMs, 99) },
      targetP99Ms: TARGET_P99_MS,
    };
  } finally {
    await proxier?.stop();
    await nft.deleteTable(table).catch(() => false);
    client.close();
    await cluster.cleanup();
  }
}

async function partC(results: Record<string, unknown>): Promise<void> {
  const c = await startAgentCluster();
  try {
    await c.k(['apply', '-f', '-'], {
      input: `apiVersion: v1
kind: Pod
metadata: {name: web, labels: {app: web}}
spec:
  containers:
  - name: httpd
    image: busybox:1.35
    command: ["sh", "-c", "mkdir -p /www && echo ok > /www/small.html && dd if=/dev/zero of=/www/big.bin bs=1M count=64 2>/dev/null && exec httpd -f -p 8080 -h /www"]
    ports: [{containerPort: 8080}]
    readinessProbe: {httpGet: {path: /small.html, port: 8080}, periodSeconds: 1}
---
apiVersion: v1
kind: Pod
metadata: {name: client}
spec:
  terminationGracePeriodSeconds: 0
  containers: [{name: c, image: busybox:1.35, command: [sleep, "3600"]}]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]
`,
    });
    await waitFor(
      async () =>
        (await c.kubectl(['get', 'endpointslices', '-l', 'kubernetes.io/service-name=web', '-o', 'jsonpath={.items[0].endpoints[0].conditions.ready}']))
          .stdout === 'true',
      90_000,
      250,
    );
    const podIP = (await c.k(['get', 'pod', 'web', '-o', 'jsonpath={.status.podIP}'])).trim();
    const clusterIP = (await c.k(['get', 'svc', 'web', '-o', 'jsonpath={.spec.clusterIP}'])).trim();
    // the client is a pod: pod → pod IP vs pod → ClusterIP (kube-proxy's DNAT, no masquerade on this path)
    await waitFor(
      async () => (await c.kubectl(['exec', 'client', '--', 'wget', '-qO-', `http://${clusterIP}/small.html`])).stdout.trim() === 'ok',
      60_000,
      250,
    );
    const netns = podNetns(c.dataDir, 'client');
    const run = (host: string, port: number, spec: Omit<HttpLoadSpec, 'host' | 'port'>) =>
      runInNetns<{ value: number }>(netns, 'http_loadgen.js', { host, port, ...spec }).then((r) => r.value);
    const paths = { direct: [podIP, 8080], service: [clusterIP, 80] } as const;
    // warm-up: the big file in the page cache, both paths' conntrack and ARP entries
    for (const [host, port] of Object.values(paths)) {
      await run(host, port, { mode: 'throughput', times: 1 });
      await run(host, port, { mode: 'cps', seconds: 1 });
    }
    // interleaved rounds, the order swapped every round, medians: the machine is shared
    const m = { direct: { cps: [] as number[], mbps: [] as number[] }, service: { cps: [] as number[], mbps: [] as number[] } };
    for (let r = 0; r < Math.max(ROUNDS, 3); r++) {
      const order = r % 2 === 0 ? (['direct', 'service'] as const) : (['service', 'direct'] as const);
      for (const k of order) m[k].cps.push(await run(paths[k][0], paths[k][1], { mode: 'cps', seconds: SECONDS }));
      for (const k of order) m[k].mbps.push(await run(paths[k][0], paths[k][1], { mode: 'throughput', times: 3 }));
    }
    const med = (xs: number[]) => pct(xs, 50);
    results.c = {
      client: 'node dist/bench/http_loadgen.js in a pod netns (ip netns exec); server busybox httpd in a pod',
      rounds: m.direct.cps.length,
      connectionsPerSecond: { direct: r1(med(m.direct.cps)), service: r1(med(m.service.cps)), ratio: r3(med(m.service.cps) / med(m.direct.cps)) },
      throughputMBps: { direct: r1(med(m.direct.mbps)), service: r1(med(m.service.mbps)), ratio: r3(med(m.service.mbps) / med(m.direct.mbps)) },
      raw: m,
      targetRatio: TARGET_RATIO,
    };
  } finally {
    const left = await c.cleanupAgent();
    await c.cleanup();
    if (left.length) console.error('left behind:', left);
  }
}

async function main(): Promise<void> {
  const results: Record<string, unknown> = { date: new Date().toISOString() };
  const table: Record<string, string | number>[] = [];
  if (PARTS.includes('a'))
    try {
      await partA(results);
      const a = results.a as any;
      table.push(
        { case: `(a) program ${SERVICES} Services × ${ENDPOINTS} endpoints from scratch`, value: `${a.programAllMs} ms`, target: '', verdict: '' },
        {
          case: `(a) EndpointSlice change → rule in kernel (${CHANGES} changes)`,
          value: `p50 ${a.changeToKernelMs.p50} / p99 ${a.changeToKernelMs.p99} ms`,
          target: `p99 ≤ ${TARGET_P99_MS} ms`,
          verdict: a.changeToKernelMs.p99 <= TARGET_P99_MS ? 'met' : 'missed',
        },
      );
    } catch (e) {
      results.aError = String((e as Error).message ?? e);
      console.error('(a) failed:', results.aError);
    }
  if (PARTS.includes('b'))
    try {
      const b: any = await benchDNS({ seconds: SECONDS, rounds: ROUNDS, services: 100, window: DNS_WINDOW });
      results.b = b;
      table.push(
        {
          case: `(b) DNS from a pod via the kube-dns ClusterIP, ${DNS_WINDOW} in flight`,
          value: `${b.qps} QPS (p99 ${b.p99Ms} ms, server ${b.serverCores} cores; ${b.ratioToNull}× the null responder's ${b.nullResponderQps})`,
          target: `≥ ${DNS_TARGET_QPS} QPS`,
          verdict: b.qps >= DNS_TARGET_QPS && b.serverCores <= 1.05 ? 'met' : 'missed',
        },
        {
          case: `(b) DNS at ${DNS_TARGET_QPS} QPS (open loop)`,
          value: `p50 ${b.atTarget.p50Ms} / p99 ${b.atTarget.p99Ms} ms, lost ${b.atTarget.lost} (null responder: p99 ${b.atTarget.nullResponderP99Ms} ms, lost ${b.atTarget.nullResponderLost})`,
          target: `p99 ≤ ${DNS_TARGET_P99_MS} ms`,
          verdict: b.atTarget.p99Ms <= DNS_TARGET_P99_MS && b.atTarget.qps >= DNS_TARGET_QPS * 0.98 ? 'met' : 'missed',
        },
        {
          case: '(b) DNS flood of never-repeated names',
          value: `${b.flood.qps} QPS, server RSS ${b.flood.rssBeforeMB} → ${b.flood.rssAfterMB} MB`,
          target: 'bounded',
          verdict: '',
        },
      );
    } catch (e) {
      results.bError = String((e as Error).message ?? e);
      console.error('(b) failed:', results.bError);
    }
  if (PARTS.includes('c'))
    try {
      await partC(results);
      const cc = results.c as any;
      for (const [k, label] of [
        ['connectionsPerSecond', 'connections/s'],
        ['throughputMBps', 'throughput MB/s'],
      ] as const) {
        table.push({
          case: `(c) ${label}: Service hop vs pod IP`,
          value: `${cc[k].service} vs ${cc[k].direct} (${cc[k].ratio}×)`,
          target: `≥ ${TARGET_RATIO}×`,
          verdict: cc[k].ratio >= TARGET_RATIO ? 'met' : 'missed',
        });
      }
    } catch (e) {
      results.cError = String((e as Error).message ?? e);
      console.error('(c) failed:', results.cError);
    }
  console.table(table);
  mkdirSync(dirname(OUT), { recursive: true });
  writeFileSync(OUT, JSON.stringify({ ...results, table }, null, 2));
  console.log(`wrote ${OUT}`);
}

await main();
process.exit(0);
