// `npm run bench:probes`: 200 in-process probe workers (httpGet / tcpSocket / exec via a fake exec) with a
// 1 s period against HTTP and TCP servers on 127.0.0.1 run by a child process, for ~20 s. Measures tick
// lateness (actual − scheduled) p50/p99/max, probe duration, and this process's CPU (process.cpuUsage).
// Prints a table and writes bench/results/probes.json. Options: -- --containers N --seconds S --out FILE
// With -- --node: real pods on a real node agent instead (bench/probes_node.ts).
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Container, Pod, PodStatus } from '../src/api/core/v1/types.js';
import { Prober } from '../src/kubelet/prober/prober.js';
import { ProberManager } from '../src/kubelet/prober/prober_manager.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const arg = (name: string, def: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1]! : def;
};
const N = Number(arg('containers', '200'));
const SECONDS = Number(arg('seconds', '20'));
const OUT = arg('out', join(ROOT, 'bench/results/probes.json'));
const WARMUP_MS = 1500;

// Probe targets live in another process so that their CPU is not counted as the agent's.
const TARGETS = `
import http from 'node:http';
import net from 'node:net';
const h = http.createServer((req, res) => res.end('ok'));
const t = net.createServer((s) => s.end());
h.listen(0, '127.0.0.1', () => t.listen(0, '127.0.0.1', () => {
  process.stdout.write(JSON.stringify({ http: h.address().port, tcp: t.address().port }) + '\\n');
}));
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
`;

function pct(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function main(): Promise<void> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', TARGETS], { stdio: ['pipe', 'pipe', 'inherit'] });
  const ports = await new Promise<{ http: number; tcp: number }>((res, rej) => {
    let buf = '';
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      const nl = buf.indexOf('\n');
      if (nl >= 0) res(JSON.parse(buf.slice(0, nl)) as { http: number; tcp: number });
    });
    child.on('exit', (c) => rej(new Error(`target server exited (${c})`)));
  });
  try {
    await run(ports);
  } finally {
    child.stdin!.end();
    child.kill();
  }
}

async function run(ports: { http: number; tcp: number }): Promise<void> {
  const nHTTP = Math.round(N * 0.5);
  const nTCP = Math.round(N * 0.4);
  const nExec = N - nHTTP - nTCP;
  let measuring = false;
  const late: number[] = [];
  const durations: number[] = [];
  const verdicts = { Success: 0, Failure: 0, Error: 0 };
  const exec = async () => ({ stdout: '', stderr: '', exitCode: 0, timedOut: false });
  const prober = new Prober({ exec });
  const mgr = new ProberManager({
    exec,
    runProbe: async (req) => {
      const t0 = performance.now();
      const v = await prober.probe(req);
      if (measuring) {
        durations.push(performance.now() - t0);
        verdicts[v]++;
      }
      return v;
    },
    observeLateness: (ms) => {
      if (measuring) late.push(ms);
    },
  });
  const started = new Date().toISOString();
  for (let i = 0; i < N; i++) {
    const handler: Partial<Container['readinessProbe']> =
      i < nHTTP
        ? { httpGet: { port: ports.http, path: '/healthz', scheme: 'HTTP' } }
        : i < nHTTP + nTCP
          ? { tcpSocket: { port: ports.tcp } }
          : { exec: { command: ['true'] } };
    const c: Container = {
      name: 'app',
      image: 'bench',
      readinessProbe: { ...handler, periodSeconds: 1, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3 },
    };
    const pod: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `bench-${i}`, namespace: 'default', uid: `bench-uid-${i}` },
      spec: { containers: [c] },
    };
    mgr.addPod(pod);
    const st: PodStatus = {
      phase: 'Running',
      podIP: '127.0.0.1',
      containerStatuses: [
        {
          name: 'app',
          containerID: `k8ts://bench-${i}`,
          ready: true,
          restartCount: 0,
          image: 'bench',
          imageID: '',
          state: { running: { startedAt: started } },
        },
      ],
    };
    mgr.updatePodStatus(pod.metadata.uid!, st);
  }
  await new Promise((r) => setTimeout(r, WARMUP_MS));
  measuring = true;
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  const cpu = process.cpuUsage(cpu0);
  const wall = performance.now() - wall0;
  measuring = false;
  mgr.stop();

  late.sort((a, b) => a - b);
  durations.sort((a, b) => a - b);
  const cpuPct = ((cpu.user + cpu.system) / 1000 / wall) * 100;
  const ticksExpected = N * (wall / 1000);
  const result = {
    containers: N,
    mix: { httpGet: nHTTP, tcpSocket: nTCP, exec: nExec },
    periodSeconds: 1,
    seconds: +(wall / 1000).toFixed(1),
    ticks: late.length,
    ticksExpected: Math.round(ticksExpected),
    probes: durations.length,
    verdicts,
    latenessMs: { p50: +pct(late, 50).toFixed(2), p99: +pct(late, 99).toFixed(2), max: +(late[late.length - 1] ?? NaN).toFixed(2) },
    probeDurationMs: { p50: +pct(durations, 50).toFixed(2), p99: +pct(durations, 99).toFixed(2) },
    cpuPercentOfOneCore: +cpuPct.toFixed(2),
    targets: { latenessP99Ms: 50, cpuPercent: 10 },
    pass: pct(late, 99) <= 50 && cpuPct <= 10,
    node: process.version,
    date: new Date().toISOString(),
  };
  const rows: [string, string][] = [
    ['containers (http/tcp/exec)', `${N} (${nHTTP}/${nTCP}/${nExec}), period 1 s`],
    ['measured', `${result.seconds} s, ${result.ticks} ticks (expected ~${result.ticksExpected}), ${result.probes} probes`],
    ['verdicts', `Success ${verdicts.Success}, Failure ${verdicts.Failure}, Error ${verdicts.Error}`],
    ['tick lateness p50 / p99 / max', `${result.latenessMs.p50} / ${result.latenessMs.p99} / ${result.latenessMs.max} ms   (target p99 ≤ 50 ms)`],
    ['probe duration p50 / p99', `${result.probeDurationMs.p50} / ${result.probeDurationMs.p99} ms`],
    ['agent CPU', `${result.cpuPercentOfOneCore} % of one core   (target ≤ 10 %)`],
    ['result', result.pass ? 'PASS' : 'FAIL'],
  ];
  const w = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v] of rows) console.log(`${k.padEnd(w)}  ${v}`);
  mkdirSync(dirname(OUT), { recursive: true });
  writeFileSync(OUT, JSON.stringify(result, null, 2) + '\n');
  console.log(`wrote ${OUT}`);
}

if (args.includes('--node')) {
  // Real containers on a real node agent: bench/probes_node.ts.
  await import('./probes_node.js');
} else {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
