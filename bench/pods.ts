// `npm run bench:pods`: real pods on a real node agent. Time from create to Ready (observed through a watch)
// for N one-container and N two-container pods created one after another (p50/p90/p99), a burst of B pods
// created at once until all are Ready (pods/s), and server+agent RSS. When podman is installed, the same
// one/two-container pods are timed with `podman kube play` for comparison. Prints a table, writes JSON.
// Usage: npm run bench:pods [-- --pods 50 --burst 100 --out FILE --no-podman]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { TestCluster, waitFor } from '../test/helpers/cluster.js';
import { reservePodSubnet } from '../test/helpers/subnet.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const arg = (name: string, def: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : def;
};
const N = Number(arg('pods', '50'));
const BURST = Number(arg('burst', '100'));
const OUT = arg('out', join(ROOT, 'bench/results/pods.json'));
const NO_PODMAN = args.includes('--no-podman');

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

/** RSS of the agent's spawner helper process (src/runtime/spawner.ts), a child of the server. */
function spawnerRssMB(serverPid: number): number {
  try {
    for (const pid of readFileSync(`/proc/${serverPid}/task/${serverPid}/children`, 'utf8').trim().split(/\s+/).map(Number)) {
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('spawner_main')) return rssMB(pid);
    }
  } catch {
    /* not there */
  }
  return NaN;
}

/** Watches pods and records when each first becomes Ready. */
function readyWatcher(c: TestCluster) {
  const readyAt = new Map<string, number>();
  const waiters = new Map<string, () => void>();
  let buf = '';
  const ac = new AbortController();
  void c.request('GET', '/api/v1/namespaces/default/pods?watch=1', { agent: false, signal: ac.signal }).then((res) => {
    res.on('error', () => {});
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
    stop: () => ac.abort(),
  };
}

async function post(c: TestCluster, body: unknown): Promise<void> {
  const r = await c.api('POST', '/api/v1/namespaces/default/pods', body);
  if (r.status !== 201) throw new Error(`create: ${r.status} ${r.text}`);
}

/** iptables chains netavark (podman's network backend) leaves behind once it ran, per table. */
function netavarkChains(): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const t of ['filter', 'nat']) {
    const r = spawnSync('iptables', ['-t', t, '-S'], { encoding: 'utf8' });
    out[t] = (r.stdout ?? '')
      .split('\n')
      .filter((l) => /^-N NETAVARK/.test(l))
      .map((l) => l.split(' ')[1]!);
  }
  return out;
}

/** Remove netavark's global chains (and the jumps to them) that were not there before `before`. */
function removeNewNetavarkChains(before: Record<string, string[]>): void {
  for (const [t, chains] of Object.entries(netavarkChains())) {
    const fresh = chains.filter((c) => !before[t]?.includes(c));
    if (!fresh.length) continue;
    const rules = (spawnSync('iptables', ['-t', t, '-S'], { encoding: 'utf8' }).stdout ?? '').split('\n');
    for (const r of rules) {
      const m = /^-A (\S+) (.*)$/.exec(r);
      if (!m || fresh.includes(m[1]!) || !fresh.some((c) => r.includes(`-j ${c}`))) continue;
      // rules are printed shell-quoted; let sh split them back into arguments
      spawnSync('sh', ['-c', `iptables -t ${t} -D ${m[1]} ${m[2]}`], { stdio: 'ignore' });
    }
    for (const c of fresh) spawnSync('iptables', ['-t', t, '-F', c], { stdio: 'ignore' });
    for (const c of fresh) spawnSync('iptables', ['-t', t, '-X', c], { stdio: 'ignore' });
  }
}

/**
 * Times `podman kube play` of the same pods. Offline: busybox comes from our OCI archive. Isolated: a
 * private network config dir holds a k8ts-bench network (bridge k8ts-pm0, a reserved 10.244.25x.0/24),
 * and a private containers.conf lowers the default nofile/nproc limits to what this host allows.
 * Returns undefined when podman is not installed; throws with podman's error when it fails.
 */
function podmanRun(two: boolean, n: number): number[] | undefined {
  if (NO_PODMAN || spawnSync('podman', ['--version']).status !== 0) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-bench-podman-'));
  const { subnet, release } = reservePodSubnet(251, 255);
  const chainsBefore = netavarkChains();
  const hard = (what: string) => Number(spawnSync('sh', ['-c', `ulimit -H${what}`], { encoding: 'utf8' }).stdout.trim()) || 1024;
  const conf = join(dir, 'containers.conf');
  writeFileSync(conf, `[containers]\ndefault_ulimits = ["nofile=${Math.min(hard('n'), 65536)}:${Math.min(hard('n'), 65536)}", "nproc=4096:4096"]\n`);
  const netDir = join(dir, 'networks');
  mkdirSync(netDir);
  const [net] = subnet.split('/');
  writeFileSync(
    join(netDir, 'k8ts-bench.json'),
    JSON.stringify({
      name: 'k8ts-bench',
      id: randomBytes(32).toString('hex'),
      driver: 'bridge',
      network_interface: 'k8ts-pm0',
      created: new Date().toISOString(),
      subnets: [{ subnet, gateway: net!.replace(/\.0$/, '.1') }],
      ipv6_enabled: false,
      internal: false,
      dns_enabled: false,
      ipam_options: { driver: 'host-local' },
    }),
  );
  const env = { ...process.env, CONTAINERS_CONF: conf };
  const podman = (a: string[]) => spawnSync('podman', ['--network-config-dir', netDir, ...a], { env, encoding: 'utf8' });
  const times: number[] = [];
  try {
    const image = 'docker.io/library/busybox:1.35';
    if (podman(['image', 'exists', image]).status !== 0) {
      // `podman load` refuses an archive with two names for one image: pull the one we want from it
      const r = podman(['pull', '-q', `oci-archive:${join(ROOT, 'build/images/busybox.oci.tar')}:${image}`]);
      if (r.status !== 0) throw new Error(`podman pull from the OCI archive failed: ${r.stderr.trim()}`);
    }
    for (let i = 0; i < n; i++) {
      const name = `k8ts-bench-pm-${two ? 2 : 1}-${i}`;
      const file = join(dir, `${name}.yaml`);
      writeFileSync(file, JSON.stringify(podSpec(name, two)));
      const t = performance.now();
      const r = podman(['kube', 'play', '--network', 'k8ts-bench', file]);
      const ms = performance.now() - t;
      podman(['kube', 'down', file]);
      if (r.status !== 0) throw new Error(`podman kube play failed: ${r.stderr.trim().slice(-500)}`);
      times.push(ms);
    }
  } finally {
    removeNewNetavarkChains(chainsBefore);
    release();
    rmSync(dir, { recursive: true, force: true });
  }
  return times;
}

async function main() {
  const c = new TestCluster({ agent: true, store: 'sqlite', extraArgs: ['--sync-frequency', '10'] });
  // an interrupted run still removes its pods, sandboxes, bridge and data dir
  let cleaning: Promise<void> | undefined;
  const cleanup = () =>
    (cleaning ??= c.cleanupAgent().then(
      () => c.cleanup(),
      () => c.cleanup(),
    ));
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => void cleanup().finally(() => process.exit(130)));
  await c.start();
  const results: Record<string, unknown>[] = [];
  let rss: { server: number; spawner: number } = { server: NaN, spawner: NaN };
  try {
    await waitFor(async () => (await c.api('GET', '/api/v1/nodes')).body?.items?.some((n: any) => n.spec?.podCIDR), 30_000);
    const w = readyWatcher(c);
    const seq = async (two: boolean) => {
      const lat: number[] = [];
      for (let i = 0; i < N; i++) {
        const name = `seq${two ? 2 : 1}-${i}`;
        const t = performance.now();
        await post(c, podSpec(name, two));
        await w.wait(name);
        lat.push(w.readyAt.get(name)! - t);
        if ((i + 1) % 10 === 0) process.stderr.write(`  ${two ? 2 : 1}-container: ${i + 1}/${N} Ready\n`);
      }
      return lat;
    };
    const one = await seq(false);
    const two = await seq(true);
    // a node runs at most 110 pods: clear the sequential ones before the burst
    await c.api('DELETE', '/api/v1/namespaces/default/pods?labelSelector=bench%3Dpods');
    await waitFor(async () => (await c.api('GET', '/api/v1/namespaces/default/pods')).body.items.length === 0, 120_000, 250);
    // Pods with a 0 s grace period leave the API at once; the node agent tears their sandboxes down after.
    // Let it finish, or the burst would also be timing 100 teardowns (CNI DEL, runc delete, umount).
    const onNode = (d: string) => (existsSync(join(c.dataDir, d)) ? readdirSync(join(c.dataDir, d)).length : 0);
    await waitFor(async () => onNode('sandboxes') + onNode('containers') === 0, 120_000, 100);
    process.stderr.write(`  burst of ${BURST}: starting (monotonic ${process.hrtime.bigint() / 1000n} µs)\n`);
    const t0 = performance.now();
    await Promise.all(Array.from({ length: BURST }, (_, i) => post(c, podSpec(`burst-${i}`, false))));
    await Promise.all(Array.from({ length: BURST }, (_, i) => w.wait(`burst-${i}`)));
    const burstSecs = (performance.now() - t0) / 1000;
    process.stderr.write(`  burst of ${BURST}: all Ready (monotonic ${process.hrtime.bigint() / 1000n} µs)\n`);
    rss = { server: rssMB(c.proc!.pid!), spawner: spawnerRssMB(c.proc!.pid!) };
    w.stop();
    const row = (name: string, xs: number[]) => ({
      case: name,
      n: xs.length,
      p50ms: +pct(xs, 50).toFixed(1),
      p90ms: +pct(xs, 90).toFixed(1),
      p99ms: +pct(xs, 99).toFixed(1),
    });
    results.push(row('k8ts 1-container create→Ready', one), row('k8ts 2-container create→Ready', two));
    let pm1: number[] | undefined;
    let pm2: number[] | undefined;
    let podmanError = '';
    try {
      pm1 = podmanRun(false, Math.min(N, 20));
      pm2 = pm1 ? podmanRun(true, Math.min(N, 20)) : undefined;
    } catch (e) {
      podmanError = (e as Error).message;
    }
    if (pm1) results.push(row('podman kube play, 1 container', pm1));
    if (pm2) results.push(row('podman kube play, 2 containers', pm2));
    const burst = { pods: BURST, seconds: +burstSecs.toFixed(2), podsPerSec: +(BURST / burstSecs).toFixed(1) };
    const ratio = pm1 ? +(pct(one, 50) / pct(pm1, 50)).toFixed(2) : null;
    console.log(
      `\nk8ts pod start benchmark — ${N} sequential pods per case, burst of ${BURST}; server+agent RSS ${rss.server} MB (one process) + spawner helper ${rss.spawner} MB\n`,
    );
    console.table(results);
    console.log(`burst: ${BURST} pods Ready in ${burst.seconds} s = ${burst.podsPerSec} pods/s (target ≥ 20)`);
    console.log(`1-container p99: ${pct(one, 99).toFixed(1)} ms (target ≤ 300 ms)`);
    console.log(
      ratio === null
        ? podmanError
          ? `podman: ${podmanError}`
          : 'podman: not installed — no comparison in this run'
        : `median vs podman: ${ratio}× (target ≤ 0.5×)`,
    );
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
