// bench:services (c): a Service hop vs the pod IP directly, on a real node. busybox httpd in a pod, the client
// (bench/http_loadgen.js) in another pod's netns: pod → ClusterIP (kube-proxy's DNAT, routed by the node) against
// pod → pod IP (bridged), connections/s and throughput, the two paths taking turns in ABBA slices within each
// round, medians of the rounds. Each path has a server port of its own (the pod IP on 8080, the Service's
// targetPort 8081, one httpd each): the server closes first, so its TIME_WAIT (60 s) and the node's conntrack
// entries (120 s) of one path hold the very tuples the other path's client ports come back to, and the two paths'
// SYNs carry timestamps of different per-destination offsets: a SYN meeting the other path's TIME_WAIT with an
// older timestamp is PAWS-rejected and retransmitted a second later. Sharing the port, a few such stalls decided
// the ratio of a round (0.65× to 2× for the same rules); apart, neither path retransmits a SYN. Also reported: what
// a connection through the Service costs more (wall time at the measured rates, the client's CPU), the conntrack
// entries each path left, the SYN retransmissions, and whether the proxy rewrote its table during the rounds.
import { readFileSync } from 'node:fs';
import { waitFor } from '../test/helpers/cluster.js';
import { startAgentCluster } from '../test/node/kubelet/helpers.js';
import type { HttpLoadResult, HttpLoadSpec, HttpTarget, HttpTargetResult } from './http_loadgen.js';
import { podNetns, runInNetns } from './pod_netns.js';

export const TARGET_RATIO = 0.9;

export interface HopBenchOptions {
  seconds: number;
  rounds: number;
}

const DIRECT_PORT = 8080;
const SERVICE_TARGET_PORT = 8081;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)]! : NaN;
};
const r1 = (x: number) => Math.round(x * 10) / 10;
const r3 = (x: number) => Math.round(x * 1000) / 1000;

const manifest = `apiVersion: v1
kind: Pod
metadata: {name: web, labels: {app: web}}
spec:
  containers:
  - name: httpd
    image: busybox:1.35
    command: ["sh", "-c", "mkdir -p /www && echo ok > /www/small.html && dd if=/dev/zero of=/www/big.bin bs=1M count=64 2>/dev/null && httpd -p ${SERVICE_TARGET_PORT} -h /www && exec httpd -f -p ${DIRECT_PORT} -h /www"]
    ports: [{containerPort: ${DIRECT_PORT}}, {containerPort: ${SERVICE_TARGET_PORT}}]
    readinessProbe: {httpGet: {path: /small.html, port: ${DIRECT_PORT}}, periodSeconds: 1}
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
  ports: [{port: 80, targetPort: ${SERVICE_TARGET_PORT}}]
`;

/** The node's conntrack entries from `src` (original direction), by destination and state. */
function conntrackFrom(src: string): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  let text: string;
  try {
    text = readFileSync('/proc/net/nf_conntrack', 'utf8');
  } catch {
    return out;
  }
  for (const line of text.split('\n')) {
    const m = / tcp +\d+ \d+ (\S+) src=(\S+) dst=(\S+) /.exec(line);
    if (!m || m[2] !== src) continue;
    const byState = (out[m[3]!] ??= {});
    byState[m[1]!] = (byState[m[1]!] ?? 0) + 1;
  }
  return out;
}

const total = (byState: Record<string, number> | undefined) => Object.values(byState ?? {}).reduce((a, b) => a + b, 0);

export async function benchHop(o: HopBenchOptions): Promise<Record<string, unknown>> {
  const c = await startAgentCluster();
  try {
    await c.k(['apply', '-f', '-'], { input: manifest });
    await waitFor(
      async () =>
        (await c.kubectl(['get', 'endpointslices', '-l', 'kubernetes.io/service-name=web', '-o', 'jsonpath={.items[0].endpoints[0].conditions.ready}']))
          .stdout === 'true',
      90_000,
      250,
    );
    const podIP = (await c.k(['get', 'pod', 'web', '-o', 'jsonpath={.status.podIP}'])).trim();
    const clientIP = (await c.k(['get', 'pod', 'client', '-o', 'jsonpath={.status.podIP}'])).trim();
    const clusterIP = (await c.k(['get', 'svc', 'web', '-o', 'jsonpath={.spec.clusterIP}'])).trim();
    // pod → ClusterIP is DNAT only: the client is inside the cluster CIDR, so no masquerade on this path
    await waitFor(
      async () => (await c.kubectl(['exec', 'client', '--', 'wget', '-qO-', `http://${clusterIP}/small.html`])).stdout.trim() === 'ok',
      60_000,
      250,
    );
    const netns = podNetns(c.dataDir, 'client');
    const direct: HttpTarget = { host: podIP, port: DIRECT_PORT };
    const service: HttpTarget = { host: clusterIP, port: 80 };
    /** Both paths in one load generator, `first` first; results as [direct, service]. */
    const run = async (spec: Omit<HttpLoadSpec, 'targets'>, first: 'direct' | 'service'): Promise<[HttpTargetResult, HttpTargetResult]> => {
      const targets = first === 'direct' ? [direct, service] : [service, direct];
      const r = await runInNetns<HttpLoadResult>(netns, 'http_loadgen.js', { ...spec, targets });
      return first === 'direct' ? [r.targets[0]!, r.targets[1]!] : [r.targets[1]!, r.targets[0]!];
    };
    // warm-up: the big file in the page cache, both paths' ARP entries, the JIT of the generator
    await run({ mode: 'throughput', times: 1 }, 'direct');
    await run({ mode: 'cps', seconds: 1 }, 'service');

    const fullSyncs = () => c.logs.split('Synced the proxy rules').length - 1;
    const fullSyncsBefore = fullSyncs();
    const cps: [HttpTargetResult, HttpTargetResult][] = [];
    const mbps: [HttpTargetResult, HttpTargetResult][] = [];
    for (let r = 0; r < Math.max(o.rounds, 3); r++) {
      const first = r % 2 === 0 ? 'direct' : 'service';
      cps.push(await run({ mode: 'cps', seconds: o.seconds }, first));
      mbps.push(await run({ mode: 'throughput', times: 4 }, first));
    }
    const proxyFullSyncs = fullSyncs() - fullSyncsBefore;
    const ct = conntrackFrom(clientIP);

    const med = (rows: [HttpTargetResult, HttpTargetResult][], i: 0 | 1, f: (x: HttpTargetResult) => number) => median(rows.map((x) => f(x[i])));
    const cpsD = med(cps, 0, (x) => x.value);
    const cpsS = med(cps, 1, (x) => x.value);
    const mbD = med(mbps, 0, (x) => x.value);
    const mbS = med(mbps, 1, (x) => x.value);
    const sum = (rows: [HttpTargetResult, HttpTargetResult][], i: 0 | 1) => rows.reduce((a, x) => a + x[i].synRetrans, 0);
    return {
      client: 'node dist/bench/http_loadgen.js in a pod netns (ip netns exec), both paths in ABBA turns of 500 ms; server busybox httpd in a pod',
      serverPorts: { direct: DIRECT_PORT, service: SERVICE_TARGET_PORT },
      rounds: cps.length,
      connectionsPerSecond: { direct: r1(cpsD), service: r1(cpsS), ratio: r3(cpsS / cpsD), perRound: cps.map(([d, s]) => r3(s.value / d.value)) },
      throughputMBps: { direct: r1(mbD), service: r1(mbS), ratio: r3(mbS / mbD), perRound: mbps.map(([d, s]) => r3(s.value / d.value)) },
      perConnection: {
        // what each connection costs more at the measured rates (1/cps), and in the client process's CPU
        extraUs: r1(1e6 / cpsS - 1e6 / cpsD),
        p50Us: { direct: med(cps, 0, (x) => x.p50Us!), service: med(cps, 1, (x) => x.p50Us!) },
        clientCpuUs: { direct: med(cps, 0, (x) => x.cpuUs!), service: med(cps, 1, (x) => x.cpuUs!) },
      },
      synRetransmits: { direct: sum(cps, 0) + sum(mbps, 0), service: sum(cps, 1) + sum(mbps, 1) },
      conntrack: {
        // the node's entries from the client pod after the rounds (TIME_WAIT lasts 120 s in conntrack)
        direct: total(ct[podIP]),
        service: total(ct[clusterIP]),
        byState: ct,
      },
      // the proxy's full rewrites of its table (logged at info) before and during the rounds
      proxyFullSyncs: { beforeRounds: fullSyncsBefore, duringRounds: proxyFullSyncs },
      raw: { cps, mbps },
      targetRatio: TARGET_RATIO,
    };
  } finally {
    const left = await c.cleanupAgent();
    await c.cleanup();
    if (left.length) console.error('left behind:', left);
  }
}
