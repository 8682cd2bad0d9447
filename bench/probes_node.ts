// `npm run bench:probes -- --node`: probes on a real node agent. An API server child process (no agent) plus
// the Kubelet in this process running N busybox pods (real containers), each with a 1 s readiness probe
// (httpGet / tcpSocket against the container's httpd, a few exec). Once all are Ready, measures for S seconds
// the probe-tick lateness (actual − scheduled, from the ProberManager), this process's CPU (= the agent's;
// exec probes' runc children and the runtime's spawner helper reported apart) and the pods staying Ready. Prints a table, writes JSON.
// Options: -- --node --containers N (default 100) --seconds S (20) --exec-share F (0.1)
//          --sync-frequency SECONDS (agent's periodic pod resync, 10) --out FILE
//          --cpu-prof FILE (V8 CPU profile of this process over the measurement window only)
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Session } from 'node:inspector/promises';
import { fileURLToPath } from 'node:url';
import type { KubeClient } from '../src/client/rest.js';
import { fromKubeconfig } from '../src/client/kubeconfig.js';
import { Kubelet } from '../src/kubelet/kubelet.js';
import { spawner } from '../src/runtime/spawner.js';
import { loadBusybox, TestCluster, waitFor } from '../test/helpers/cluster.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const arg = (name: string, def: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1]! : def;
};
const N = Number(arg('containers', '100'));
const SECONDS = Number(arg('seconds', '20'));
const EXEC_SHARE = Number(arg('exec-share', '0.1'));
const SYNC_FREQUENCY_S = Number(arg('sync-frequency', '10'));
const OUT = arg('out', join(ROOT, 'bench/results/probes_node.json'));
const CPU_PROF = arg('cpu-prof', '');
const NODE = 'k8ts-bench-node';
const WARMUP_MS = 3000;

function pct(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** utime+stime of a process and of its waited-for children, in ms (from /proc/<pid>/stat). */
function procTimes(pid: number | 'self' = 'self'): { self: number; children: number } {
  let f: string;
  try {
    f = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return { self: 0, children: 0 };
  }
  const rest = f.slice(f.lastIndexOf(')') + 2).split(' ');
  const tick = 10; // USER_HZ = 100 on Linux
  const n = (i: number) => Number(rest[i - 3]);
  return { self: (n(14) + n(15)) * tick, children: (n(16) + n(17)) * tick };
}

function podManifest(i: number, nHTTP: number, nTCP: number) {
  const probe =
    i < nHTTP
      ? { httpGet: { path: '/index.html', port: 8080 } }
      : i < nHTTP + nTCP
        ? { tcpSocket: { port: 8080 } }
        : { exec: { command: ['test', '-f', '/www/index.html'] } };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `probe-${i}`, labels: { bench: 'probes' } },
    spec: {
      nodeName: NODE,
      terminationGracePeriodSeconds: 0,
      containers: [
        {
          name: 'web',
          image: 'busybox:1.35',
          command: ['sh', '-c', 'mkdir -p /www && echo ok > /www/index.html && exec httpd -f -p 8080 -h /www'],
          readinessProbe: { ...probe, periodSeconds: 1, timeoutSeconds: 1, failureThreshold: 3 },
        },
      ],
    },
  };
}

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('bench:probes --node needs root (real containers)');
  const cluster = new TestCluster({ agent: false });
  let kubelet: Kubelet | undefined;
  let client: KubeClient | undefined;
  let late: number[] = [];
  let measuring = false;
  try {
    await cluster.start();
    loadBusybox(cluster.dataDir);
    client = fromKubeconfig(cluster.kubeconfig, { userAgent: 'k8ts-kubelet' });
    kubelet = new Kubelet({
      client,
      nodeName: NODE,
      dataDir: cluster.dataDir,
      bridgeName: cluster.bridgeName,
      podCIDR: cluster.clusterCIDR,
      kubeletPort: 0,
      kubeletAddress: '127.0.0.1',
      cgroupParent: cluster.cgroupParent,
      syncFrequencyMs: SYNC_FREQUENCY_S * 1000,
      observeProbeLateness: (ms) => {
        if (measuring) late.push(ms);
      },
    });
    await kubelet.start();

    const nExec = Math.round(N * EXEC_SHARE);
    const nHTTP = Math.round((N - nExec) * 0.55);
    const nTCP = N - nExec - nHTTP;
    const t0 = performance.now();
    for (let i = 0; i < N; i++) {
      const r = await cluster.api('POST', '/api/v1/namespaces/default/pods', podManifest(i, nHTTP, nTCP));
      if (r.status !== 201) throw new Error(`create probe-${i}: ${r.status} ${r.text}`);
    }
    const readyCount = async () => {
      const r = await cluster.api('GET', '/api/v1/namespaces/default/pods?labelSelector=bench%3Dprobes');
      return (r.body?.items ?? []).filter((p: any) => p.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True')).length as number;
    };
    await waitFor(async () => (await readyCount()) === N, 30_000 + N * 2000, 1000);
    const allReadyS = (performance.now() - t0) / 1000;
    console.log(`${N} pods Ready after ${allReadyS.toFixed(1)} s; measuring ${SECONDS} s`);

    await new Promise((r) => setTimeout(r, WARMUP_MS));
    let profiler: Session | undefined;
    if (CPU_PROF) {
      profiler = new Session();
      profiler.connect();
      await profiler.post('Profiler.enable');
      await profiler.post('Profiler.start');
    }
    late = [];
    measuring = true;
    const cpu0 = process.cpuUsage();
    const proc0 = procTimes();
    const helperPid = spawner()?.pid;
    const helper0 = helperPid ? procTimes(helperPid) : undefined;
    const wall0 = performance.now();
    await new Promise((r) => setTimeout(r, SECONDS * 1000));
    const cpu = process.cpuUsage(cpu0);
    const proc1 = procTimes();
    const helper1 = helperPid ? procTimes(helperPid) : undefined;
    const wall = performance.now() - wall0;
    measuring = false;
    if (profiler) {
      const { profile } = await profiler.post('Profiler.stop');
      writeFileSync(CPU_PROF, JSON.stringify(profile));
      profiler.disconnect();
      console.log(`wrote CPU profile of the measurement window to ${CPU_PROF}`);
    }
    const readyAtEnd = await readyCount();

    late.sort((a, b) => a - b);
    const cpuPct = ((cpu.user + cpu.system) / 1000 / wall) * 100;
    // exec probes' `runc exec` runs under the runtime's spawner helper: count the helper and its children
    const helperMs = helper0 && helper1 ? helper1.self + helper1.children - helper0.self - helper0.children : 0;
    const childPct = ((proc1.children - proc0.children + helperMs) / wall) * 100;
    const result = {
      mode: 'node',
      containers: N,
      syncFrequencySeconds: SYNC_FREQUENCY_S,
      mix: { httpGet: nHTTP, tcpSocket: nTCP, exec: nExec },
      periodSeconds: 1,
      allReadySeconds: +allReadyS.toFixed(1),
      seconds: +(wall / 1000).toFixed(1),
      ticks: late.length,
      ticksExpected: Math.round(N * (wall / 1000)),
      readyAtEnd,
      latenessMs: { p50: +pct(late, 50).toFixed(2), p99: +pct(late, 99).toFixed(2), max: +(late[late.length - 1] ?? NaN).toFixed(2) },
      agentCpuPercentOfOneCore: +cpuPct.toFixed(2),
      agentCpuUserSystemPercent: [+((cpu.user / 1000 / wall) * 100).toFixed(2), +((cpu.system / 1000 / wall) * 100).toFixed(2)],
      execChildrenCpuPercentOfOneCore: +childPct.toFixed(2),
      targets: { latenessP99Ms: 50, cpuPercent: 10 },
      pass: pct(late, 99) <= 50 && cpuPct <= 10,
      node: process.version,
      date: new Date().toISOString(),
    };
    const rows: [string, string][] = [
      ['containers (http/tcp/exec)', `${N} (${nHTTP}/${nTCP}/${nExec}) real busybox pods, period 1 s`],
      ['all Ready after', `${result.allReadySeconds} s`],
      ['measured', `${result.seconds} s, ${result.ticks} ticks (expected ~${result.ticksExpected}), ${readyAtEnd}/${N} Ready at the end`],
      ['tick lateness p50 / p99 / max', `${result.latenessMs.p50} / ${result.latenessMs.p99} / ${result.latenessMs.max} ms   (target p99 ≤ 50 ms)`],
      [
        'agent CPU (this process)',
        `${result.agentCpuPercentOfOneCore} % of one core (user ${result.agentCpuUserSystemPercent[0]} + system ${result.agentCpuUserSystemPercent[1]})   (target ≤ 10 %)`,
      ],
      ['exec probes (runc + helper)', `${result.execChildrenCpuPercentOfOneCore} % of one core`],
      ['result', result.pass ? 'PASS' : 'FAIL'],
    ];
    const w = Math.max(...rows.map(([k]) => k.length));
    for (const [k, v] of rows) console.log(`${k.padEnd(w)}  ${v}`);
    console.log(JSON.stringify(result));
    mkdirSync(dirname(OUT), { recursive: true });
    writeFileSync(OUT, JSON.stringify(result, null, 2) + '\n');
    console.log(`wrote ${OUT}`);
  } finally {
    // Delete the pods while the agent still runs, then stop it and let the harness remove what is left.
    if (kubelet) {
      await cluster.kubectl(['delete', 'pods', '--all', '--grace-period=0', '--wait=false'], { timeoutMs: 60_000 }).catch(() => undefined);
      await waitFor(
        async () => {
          const r = await cluster.api('GET', '/api/v1/namespaces/default/pods');
          return (r.body?.items ?? []).length === 0;
        },
        60_000 + N * 500,
        500,
      ).catch(() => console.error('pods still present after delete'));
      await kubelet.stop();
    }
    client?.close();
    const leftovers = await cluster.cleanupAgent();
    if (leftovers.length) console.error('left behind (removed):', leftovers.join(', '));
    await cluster.cleanup();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
