// `npm run bench:stream`: exec round-trip latency (kubectl end to end, and the server side measured with
// a WebSocket client speaking v5.channel.k8s.io) and port-forward throughput against a direct connection
// to the pod IP. Prints a table and writes bench/results/stream.json. Needs root and the node runtime.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { TestCluster, hostCanRunPods, kubectlBinary, waitFor } from '../test/helpers/cluster.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const N_KUBECTL = Number(process.env.BENCH_EXEC_N ?? 20);
const N_WS = Number(process.env.BENCH_WS_N ?? 50);
const BYTES = 64 * 1024 * 1024;
/** Port-forward and direct downloads, interleaved; the table reports medians. */
const N_PF = Number(process.env.BENCH_PF_N ?? 5);
/** Skip the exec latency part (port-forward only). */
const SKIP_EXEC = process.env.BENCH_SKIP_EXEC === '1';

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

function wsExec(c: TestCluster, cmd: string[]): Promise<number> {
  const server = c.server;
  const q = new URLSearchParams();
  for (const c of cmd) q.append('command', c);
  q.set('stdout', 'true');
  q.set('stderr', 'true');
  const url = `${server.replace('http', 'ws')}/api/v1/namespaces/default/pods/bench/exec?${q}`;
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, ['v5.channel.k8s.io'], { ...c.tls() });
    let status = '';
    ws.on('message', (d: Buffer) => {
      if (d[0] === 3) status += d.subarray(1).toString();
    });
    ws.on('close', () => (status.includes('Success') ? resolve(performance.now() - t0) : reject(new Error(`exec failed: ${status}`))));
    ws.on('error', reject);
  });
}

/** Download `bytes` from host:port (busybox httpd /big) and return MB/s. */
async function download(host: string, port: number, path: string): Promise<number> {
  const t0 = performance.now();
  const res = await fetch(`http://${host}:${port}${path}`);
  let n = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) n += chunk.length;
  if (n !== BYTES) throw new Error(`short download: ${n}`);
  return n / 1e6 / ((performance.now() - t0) / 1000);
}

/** User+system CPU milliseconds a process has used so far (0 once it is gone). */
function cpuMs(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / CLK_TCK;
  } catch {
    return 0;
  }
}
const CLK_TCK = 100;

/** Direct children of a process (the server's port relays). */
function childPids(pid: number | undefined): number[] {
  if (!pid) return [];
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((t) =>
      readFileSync(`/proc/${pid}/task/${t}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number),
    );
  } catch {
    return [];
  }
}

/** CPU used by the server, kubectl and the server's children (relays) while `fn` runs. */
async function cpuDuring<T>(
  serverPid: number | undefined,
  kubectlPid: number | undefined,
  fn: () => Promise<T>,
): Promise<[T, { server: number; kubectl: number; relays: number }]> {
  const kids = () => new Map(childPids(serverPid).map((p) => [p, cpuMs(p)]));
  const k0 = kids();
  const s0 = cpuMs(serverPid);
  const c0 = cpuMs(kubectlPid);
  const r = await fn();
  const k1 = kids();
  let relays = 0;
  for (const [p, ms] of k1) relays += ms - (k0.get(p) ?? 0);
  return [r, { server: cpuMs(serverPid) - s0, kubectl: cpuMs(kubectlPid) - c0, relays }];
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

async function main(): Promise<void> {
  if (!hostCanRunPods()) {
    console.error('bench:stream needs root, runc, conmon, catatonit, CNI plugins and busybox-static');
    process.exit(1);
  }
  const c = await new TestCluster({ agent: true }).start();
  try {
    await c.k([
      'run',
      'bench',
      '--image=busybox:1.35',
      '--',
      'sh',
      '-c',
      `mkdir -p /www && head -c ${BYTES} /dev/zero > /www/big && exec httpd -f -p 8080 -h /www`,
    ]);
    await waitFor(async () => (await c.kubectl(['get', 'pod', 'bench', '-o', 'jsonpath={.status.phase}'])).stdout === 'Running', 60_000, 200);
    const podIP = (await c.k(['get', 'pod', 'bench', '-o', 'jsonpath={.status.podIP}'])).trim();
    await new Promise((r) => setTimeout(r, 1000));

    const kubectlMs: number[] = [];
    for (let i = 0; i < (SKIP_EXEC ? 0 : N_KUBECTL); i++) {
      const t0 = performance.now();
      await c.k(['exec', 'bench', '--', 'true']);
      kubectlMs.push(performance.now() - t0);
    }
    const wsMs: number[] = [];
    for (let i = 0; i < (SKIP_EXEC ? 0 : N_WS); i++) wsMs.push(await wsExec(c, ['true']));

    /** Port-forward through `bin`, interleaving direct downloads so both see the same machine load. */
    const measure = async (bin: string) => {
      const port = await freePort();
      const pf = spawn(bin, ['--kubeconfig', c.kubeconfig, 'port-forward', 'pod/bench', `${port}:8080`], { stdio: ['ignore', 'pipe', 'pipe'] });
      let log = '';
      pf.stdout!.on('data', (d) => (log += d));
      const direct: number[] = [];
      const forwarded: number[] = [];
      const cpu = { server: [] as number[], kubectl: [] as number[], relays: [] as number[] };
      try {
        await waitFor(async () => /Forwarding from 127/.test(log), 20_000, 50);
        await download('127.0.0.1', port, '/big'); // warm-up
        for (let i = 0; i < N_PF; i++) {
          direct.push(await download(podIP, 8080, '/big'));
          const [mbps, used] = await cpuDuring(c.proc?.pid, pf.pid, () => download('127.0.0.1', port, '/big'));
          forwarded.push(mbps);
          cpu.server.push(used.server);
          cpu.kubectl.push(used.kubectl);
          cpu.relays.push(used.relays);
        }
      } finally {
        pf.kill('SIGTERM');
      }
      return {
        kubectl: bin,
        bytes: BYTES,
        runs: N_PF,
        directMBps: median(direct),
        portForwardMBps: median(forwarded),
        ratio: median(forwarded) / median(direct),
        directSamplesMBps: direct,
        portForwardSamplesMBps: forwarded,
        /** Median CPU ms per forwarded download: server (API server + node agent), kubectl, socat relays. */
        cpuMsPerDownload: { server: median(cpu.server), kubectl: median(cpu.kubectl), relays: median(cpu.relays) },
      };
    };
    // The default kubectl, then kubectl 1.33 (SPDY tunnelled in WebSocket) and 1.29 (SPDY upgrade) when installed.
    const portForward = await measure('kubectl');
    const byClient: Record<string, Awaited<ReturnType<typeof measure>>> = {};
    for (const [label, minor] of [
      ['websocket-tunnel', 33],
      ['spdy', 29],
    ] as const) {
      const bin = kubectlBinary(minor);
      if (bin !== 'kubectl') byClient[label] = await measure(bin);
    }
    const result = {
      date: new Date().toISOString(),
      exec: {
        kubectl: { n: kubectlMs.length, p50ms: pct(kubectlMs, 50) ?? NaN, p99ms: pct(kubectlMs, 99) ?? NaN },
        serverWebSocket: { n: wsMs.length, p50ms: pct(wsMs, 50) ?? NaN, p99ms: pct(wsMs, 99) ?? NaN },
      },
      portForward: { ...portForward, byClient },
    };
    const pfRows = (label: string, r: typeof portForward): [string, string][] => [
      [`${label}: direct pod-IP download (median of ${N_PF})`, `${r.directMBps.toFixed(1)} MB/s`],
      [`${label}: port-forward download (median of ${N_PF})`, `${r.portForwardMBps.toFixed(1)} MB/s`],
      [`${label}: port-forward / direct`, `${(r.ratio * 100).toFixed(0)} %`],
      [
        `${label}: CPU per ${BYTES >> 20} MiB, server / kubectl / relay`,
        `${r.cpuMsPerDownload.server.toFixed(0)} / ${r.cpuMsPerDownload.kubectl.toFixed(0)} / ${r.cpuMsPerDownload.relays.toFixed(0)} ms`,
      ],
    ];
    const rows: [string, string][] = [
      ['kubectl exec -- true p50 / p99', `${result.exec.kubectl.p50ms.toFixed(1)} / ${result.exec.kubectl.p99ms.toFixed(1)} ms`],
      ['server exec (WebSocket v5) p50 / p99', `${result.exec.serverWebSocket.p50ms.toFixed(1)} / ${result.exec.serverWebSocket.p99ms.toFixed(1)} ms`],
      ...pfRows('kubectl', portForward),
      ...Object.entries(byClient).flatMap(([label, r]) => pfRows(`kubectl 1.${label === 'spdy' ? 29 : 33} ${label}`, r)),
    ];
    const w = Math.max(...rows.map((r) => r[0].length));
    for (const [k, v] of rows) console.log(`${k.padEnd(w)}  ${v}`);
    const out = join(ROOT, 'bench/results/stream.json');
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, JSON.stringify(result, null, 2) + '\n');
    console.log(`wrote ${out}`);
  } finally {
    await c.cleanupAgent();
    await c.cleanup();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
