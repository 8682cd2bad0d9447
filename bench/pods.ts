// `npm run bench:pods`: real pods on a real node agent. Time from create to Ready (observed through a watch)
// for N one-container and N two-container pods created one after another (p50/p90/p99), a burst of B pods
// created at once until all are Ready (pods/s), and server+agent RSS. When podman is installed, the same
// one/two-container pods are timed with `podman kube play` for comparison. Prints a table, writes JSON.
// Usage: npm run bench:pods [-- --pods 50 --burst 100 --out FILE]
import http from 'node:http';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TestCluster, waitFor } from '../test/helpers/cluster.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const arg = (name: string, def: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : def;
};
const N = Number(arg('pods', '50'));
const BURST = Number(arg('burst', '100'));
const OUT = arg('out', join(ROOT, 'bench/results/pods.json'));

function podSpec(name: string, two: boolean) {
  const ctr = (n: string) => ({ name: n, image: 'busybox:1.35', command: ['sleep', '3600'] });
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { bench: 'pods' } },
    spec: { terminationGracePeriodSeconds: 0, containers: two ? [ctr('a'), ctr('b')] : [ctr('a')] },
  };
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] : NaN;
}

function rssMB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
}

/** Watches pods and records when each first becomes Ready. */
function readyWatcher(server: string) {
  const readyAt = new Map<string, number>();
  const waiters = new Map<string, () => void>();
  let buf = '';
  const req = http.get(`${server}/api/v1/namespaces/default/pods?watch=1`, (res) => {
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      buf += chunk;
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const ev = JSON.parse(buf.slice(0, i));
        buf = buf.slice(i + 1);
        const p = ev.object;
        const ready = p?.status?.conditions?.some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True');
        if (ready && !readyAt.has(p.metadata.name)) {
          readyAt.set(p.metadata.name, performance.now());
          waiters.get(p.metadata.name)?.();
        }
      }
    });
  });
  return {
    readyAt,
    wait(name: string): Promise<void> {
      if (readyAt.has(name)) return Promise.resolve();
      return new Promise((r) => waiters.set(name, r));
    },
    stop: () => req.destroy(),
  };
}

async function post(server: string, body: unknown): Promise<void> {
  const r = await fetch(`${server}/api/v1/namespaces/default/pods`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  if (r.status !== 201) throw new Error(`create: ${r.status} ${await r.text()}`);
}

function podmanRun(two: boolean, n: number): number[] | undefined {
  if (spawnSync('podman', ['--version']).status !== 0) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-bench-podman-'));
  const times: number[] = [];
  try {
    spawnSync('podman', ['load', '-i', join(ROOT, 'build/images/busybox.oci.tar')], { stdio: 'ignore' });
    for (let i = 0; i < n; i++) {
      const name = `k8ts-bench-pm-${two ? 2 : 1}-${i}`;
      const file = join(dir, `${name}.yaml`);
      const spec = podSpec(name, two);
      writeFileSync(file, JSON.stringify(spec));
      const t = performance.now();
      const r = spawnSync('podman', ['kube', 'play', file], { stdio: 'ignore' });
      if (r.status !== 0) return undefined;
      times.push(performance.now() - t);
      spawnSync('podman', ['kube', 'down', file], { stdio: 'ignore' });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return times;
}

async function main() {
  const c = new TestCluster({ agent: true, store: 'sqlite', extraArgs: ['--sync-frequency', '10'] });
  // an interrupted run still removes its pods, sandboxes, bridge and data dir
  let cleaning: Promise<void> | undefined;
  const cleanup = () => (cleaning ??= c.cleanupAgent().then(() => c.cleanup(), () => c.cleanup()));
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => void cleanup().finally(() => process.exit(130)));
  await c.start();
  const results: Record<string, unknown>[] = [];
  let rss: { server: number } = { server: NaN };
  try {
    await waitFor(async () => (await c.api('GET', '/api/v1/nodes')).body?.items?.some((n: any) => n.spec?.podCIDR), 30_000);
    const w = readyWatcher(c.server);
    const seq = async (two: boolean) => {
      const lat: number[] = [];
      for (let i = 0; i < N; i++) {
        const name = `seq${two ? 2 : 1}-${i}`;
        const t = performance.now();
        await post(c.server, podSpec(name, two));
        await w.wait(name);
        lat.push(w.readyAt.get(name)! - t);
        if ((i + 1) % 10 === 0) process.stderr.write(`  ${two ? 2 : 1}-container: ${i + 1}/${N} Ready\n`);
      }
      return lat;
    };
    const one = await seq(false);
    const two = await seq(true);
    // a node runs at most 110 pods: clear the sequential ones before the burst
    await fetch(`${c.server}/api/v1/namespaces/default/pods?labelSelector=bench%3Dpods`, { method: 'DELETE' });
    await waitFor(async () => (await c.api('GET', '/api/v1/namespaces/default/pods')).body.items.length === 0, 120_000, 250);
    const t0 = performance.now();
    await Promise.all(Array.from({ length: BURST }, (_, i) => post(c.server, podSpec(`burst-${i}`, false))));
    await Promise.all(Array.from({ length: BURST }, (_, i) => w.wait(`burst-${i}`)));
    const burstSecs = (performance.now() - t0) / 1000;
    rss = { server: rssMB(c.proc!.pid!) };
    w.stop();
    const row = (name: string, xs: number[]) => ({ case: name, n: xs.length, p50ms: +pct(xs, 50).toFixed(1), p90ms: +pct(xs, 90).toFixed(1), p99ms: +pct(xs, 99).toFixed(1) });
    results.push(row('k8ts 1-container create→Ready', one), row('k8ts 2-container create→Ready', two));
    const pm1 = podmanRun(false, Math.min(N, 20));
    const pm2 = pm1 ? podmanRun(true, Math.min(N, 20)) : undefined;
    if (pm1) results.push(row('podman kube play, 1 container', pm1));
    if (pm2) results.push(row('podman kube play, 2 containers', pm2));
    const burst = { pods: BURST, seconds: +burstSecs.toFixed(2), podsPerSec: +(BURST / burstSecs).toFixed(1) };
    const ratio = pm1 ? +(pct(one, 50) / pct(pm1, 50)).toFixed(2) : null;
    console.log(`\nk8ts pod start benchmark — ${N} sequential pods per case, burst of ${BURST}; server+agent RSS ${rss.server} MB (one process)\n`);
    console.table(results);
    console.log(`burst: ${BURST} pods Ready in ${burst.seconds} s = ${burst.podsPerSec} pods/s (target ≥ 20)`);
    console.log(`1-container p99: ${pct(one, 99).toFixed(1)} ms (target ≤ 300 ms)`);
    console.log(ratio === null ? 'podman: not installed — no comparison in this run' : `median vs podman: ${ratio}× (target ≤ 0.5×)`);
    mkdirSync(dirname(OUT), { recursive: true });
    writeFileSync(OUT, JSON.stringify({ date: new Date().toISOString(), pods: N, results, burst, rssMB: rss, podmanRatio: ratio }, null, 2));
    console.log(`wrote ${OUT}`);
  } finally {
    await cleanup();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

