// `npm run bench:scale`: upstream's tested limits — 5,000 nodes and 150,000 pods — on one real `k8ts server`
// process (sqlite store, controllers in-process, no node agent) with KWOK-style simulated nodes (`k8ts sim`, its
// own process: leases every --heartbeat, pods made Running with fake IPs). A forked load generator
// (bench/scale_load.ts) spreads the pods over namespaces of at most --per-namespace pods (upstream's density
// tests) with --concurrency callers over keep-alive HTTPS, bound to the simulated nodes at create (spec.nodeName,
// no scheduler) unless --scheduler sends them through the server's scheduler. Then, while a forked process
// (bench/scale_churn.ts) churns --churn pods/s, this process measures, --runs times each, interleaved:
// mutating p99 (create, update, delete of pods by one caller) and watch delivery p99 (a cluster-wide pod
// watcher's receive time minus the write's response time, matched by resourceVersion); the list of one
// namespace; the cluster-wide list walked with limit=500 (kubectl's chunk size); the cluster-wide list in one
// response (timed to its last byte); and the churn's own create/delete p99 over the whole window, lists
// included. Server RSS is read from /proc after the load and at the end (with VmHWM).
// Prints a table of medians against upstream's SLOs (mutating ≤ 1 s, list ≤ 5 s namespace / 30 s cluster) and
// the 10× targets, and writes JSON (bench/results/scale.json or --out).
// Usage: npm run bench:scale [-- --nodes 500 --pods 15000 --per-namespace 3000 --runs 3 --scheduler
//        --heartbeat 10s --node-monitor-grace-period 40s --churn 20 --concurrency 32 --keep-on-failure --server-prof DIR]
//        (--server-prof: a V8 CPU profile of the server process, written to DIR when it exits)
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDuration } from '../src/cli/controller_manager.js';
import { Api, credsOf, median, pct, watch, type Creds } from './scale_http.js';
import { namespaceName, podsPerNamespace, scalePod, makeNamespace } from './scale_objects.js';
import type { LoadInput, LoadResult } from './scale_load.js';
import type { ChurnInput, ChurnResult } from './scale_churn.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../..');
const K8TS = join(ROOT, 'bin/k8ts');
const args = process.argv.slice(2);
const arg = (name: string, def: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1]! : def;
};
const num = (name: string, def: number, min = 1) => {
  const v = Number(arg(name, String(def)));
  if (!Number.isFinite(v) || v < min) throw new Error(`--${name} wants a number ≥ ${min}, got ${arg(name, '')}`);
  return Math.floor(v);
};
const NODES = num('nodes', 5000);
const PODS = num('pods', 150_000);
const PER_NS = num('per-namespace', 3000);
const NAMESPACES = num('namespaces', Math.ceil(PODS / PER_NS));
const RUNS = num('runs', 3);
const CONCURRENCY = num('concurrency', 32);
const CHURN = num('churn', 20, 0);
const PROBE_OPS = num('probe-ops', 200);
const HEARTBEAT = arg('heartbeat', '10s');
// upstream's 40 s; a saturated 2-CPU box may renew 5,000 leases late (NotReady, then evictions 300 s later)
const GRACE = arg('node-monitor-grace-period', '40s');
const SCHEDULER = args.includes('--scheduler');
const OUT = arg('out', join(ROOT, 'bench/results/scale.json'));
const SERVER_PROF = arg('server-prof', '');
parseDuration(HEARTBEAT, '--heartbeat');
parseDuration(GRACE, '--node-monitor-grace-period');
if (podsPerNamespace(PODS, NAMESPACES) > 110 * NODES) throw new Error('more pods than the nodes can hold');

const PROBE_NS = 'scale-probe';

function status(pid: number): { rssMB: number; hwmMB: number } {
  const s = readFileSync(`/proc/${pid}/status`, 'utf8');
  const mb = (k: string) => Math.round(Number(new RegExp(`${k}:\\s+(\\d+) kB`).exec(s)?.[1] ?? NaN) / 1024);
  return { rssMB: mb('VmRSS'), hwmMB: mb('VmHWM') };
}

function cpuSeconds(pid: number): number {
  // utime + stime (fields 14, 15 of /proc/PID/stat, after the parenthesised name), in clock ticks of 1/100 s
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
}

/** `k8ts server` on a free loopback port: resolves with its URL and admin kubeconfig once it serves. */
function startServer(dir: string): Promise<{ proc: ChildProcess; base: string; kubeconfig: string }> {
  // node IPAM cuts the /16 cluster CIDR into as many node ranges as there are nodes (5,000 nodes: /29s)
  const mask = Math.max(24, 16 + Math.ceil(Math.log2(NODES + 1)));
  const flags = [
    'server',
    '--data-dir',
    dir,
    '--listen',
    '127.0.0.1:0',
    '--store',
    'sqlite',
    '--no-agent',
    '--no-dns',
    '--node-cidr-mask-size',
    String(mask),
    '--node-monitor-grace-period',
    GRACE,
  ];
  flags.push(SCHEDULER ? '--scheduler' : '--no-scheduler');
  const prof = SERVER_PROF ? ['--cpu-prof', `--cpu-prof-dir=${resolve(SERVER_PROF)}`] : [];
  const proc = spawn(process.execPath, [...prof, K8TS, ...flags], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, K8TS_LOG_LEVEL: 'warn' } });
  proc.stderr!.pipe(createWriteStream(join(dir, 'server.log')));
  return new Promise((res, rej) => {
    let out = '';
    let started = false;
    proc.stdout!.on('data', (d: Buffer) => {
      if (started) return;
      out += d.toString();
      const m = /listening on (https:\/\/\S+)/.exec(out);
      const k = /kubeconfig: (\S+)/.exec(out);
      if (m && k) {
        started = true;
        res({ proc, base: m[1]!, kubeconfig: k[1]! });
      }
    });
    proc.once('exit', (code) => rej(new Error(`k8ts server exited ${code} (log: ${join(dir, 'server.log')})`)));
  });
}

/** `k8ts sim` in its own process; resolves once all its nodes are registered (its log line). */
function startSim(dir: string, kubeconfig: string): Promise<ChildProcess> {
  const flags = ['sim', '--nodes', String(NODES), '--kubeconfig', kubeconfig, '--heartbeat-interval', HEARTBEAT, '--log-level', 'info'];
  const proc = spawn(process.execPath, [K8TS, ...flags], { stdio: ['ignore', 'ignore', 'pipe'] });
  const log = createWriteStream(join(dir, 'sim.log'));
  return new Promise((res, rej) => {
    let buf = '';
    proc.stderr!.on('data', (d: Buffer) => {
      log.write(d);
      if (buf === null) return;
      buf += d.toString();
      if (buf.includes('Simulated nodes registered')) {
        buf = null as unknown as string;
        res(proc);
      }
    });
    proc.once('exit', (code) => rej(new Error(`k8ts sim exited ${code} (log: ${join(dir, 'sim.log')})`)));
  });
}

function forkLoad(input: LoadInput): Promise<LoadResult> {
  return new Promise((res, rej) => {
    const child = fork(join(HERE, 'scale_load.js'), [JSON.stringify(input)], { stdio: 'inherit' });
    child.once('message', (m) => res(m as LoadResult));
    child.once('exit', (code) => (code ? rej(new Error(`load generator exited ${code}`)) : undefined));
  });
}

async function forkChurn(input: ChurnInput): Promise<{ stop: () => Promise<ChurnResult> }> {
  const child = fork(join(HERE, 'scale_churn.js'), [JSON.stringify(input)], { stdio: 'inherit' });
  const failed = new Promise<never>((_, rej) => child.once('exit', (code) => rej(new Error(`churn exited ${code}`))));
  await Promise.race([new Promise((r) => child.once('message', r)), failed]);
  child.send({ cmd: 'start' });
  return {
    stop: () => {
      child.send({ cmd: 'stop' });
      return Promise.race([new Promise<ChurnResult>((r) => child.once('message', (m) => r(m as ChurnResult))), failed]);
    },
  };
}

const countOf = (body: Buffer, needle: string) => {
  const n = Buffer.from(needle);
  let c = 0;
  for (let i = body.indexOf(n); i >= 0; i = body.indexOf(n, i + n.length)) c++;
  return c;
};

interface ProbeRun {
  ops: number;
  mutatingP50ms: number;
  mutatingP99ms: number;
  perVerbP99ms: Record<string, number>;
  watchEvents: number;
  watchP50ms: number;
  watchP99ms: number;
  /** Writes whose event never came within 30 s. */
  watchMissed: number;
}

/**
 * One caller creates, updates and deletes `ops` pods in turn (no scheduler: they stay unbound unless --scheduler,
 * and the delete is immediate), while a cluster-wide pod watch (which also carries the churn and the simulated
 * nodes' status writes) times each write's event against the write's response.
 */
async function probe(api: Api, creds: Creds, run: number): Promise<ProbeRun> {
  const acked = new Map<string, number>();
  const early = new Map<string, number>();
  const delivery: number[] = [];
  let failure: string | undefined;
  const rv = JSON.parse((await api.expect('GET', `/api/v1/namespaces/${PROBE_NS}/pods?limit=1`, [200])).body.toString()).metadata.resourceVersion;
  const stop = watch(
    api.base,
    creds,
    `/api/v1/pods?watch=1&resourceVersion=${rv}`,
    (ev, at) => {
      const r = ev.object?.metadata?.resourceVersion as string | undefined;
      if (ev.type === 'ERROR') failure = JSON.stringify(ev.object);
      if (!r || ev.object.metadata.namespace !== PROBE_NS) return;
      const t = acked.get(r);
      if (t === undefined) early.set(r, at);
      else {
        acked.delete(r);
        delivery.push(Math.max(0, at - t));
      }
    },
    (why) => (failure = why),
  );
  const ack = (rv: string) => {
    const at = performance.now();
    const e = early.get(rv);
    if (e === undefined) acked.set(rv, at);
    else {
      early.delete(rv);
      delivery.push(0); // the event came before the response
    }
  };
  const lat: Record<string, number[]> = { create: [], update: [], delete: [] };
  const timed = async (verb: string, method: string, path: string, ok: number, body?: unknown) => {
    const s = performance.now();
    const r = await api.expect(method, path, [ok], body);
    lat[verb]!.push(performance.now() - s);
    const obj = JSON.parse(r.body.toString());
    ack(obj.metadata.resourceVersion);
    return obj;
  };
  const base = `/api/v1/namespaces/${PROBE_NS}/pods`;
  for (let i = 0; i < PROBE_OPS; i++) {
    const name = `probe-${run}-${i}`;
    // a scheduler name nobody serves: no scheduler binds the pod between the caller's writes (a 409 on the update)
    const created = await timed('create', 'POST', base, 201, scalePod(name, undefined, { bench: 'probe' }, 'k8ts-bench-unscheduled'));
    created.metadata.labels.updated = 'yes';
    await timed('update', 'PUT', `${base}/${name}`, 200, created);
    await timed('delete', 'DELETE', `${base}/${name}?gracePeriodSeconds=0`, 200);
  }
  for (const t0 = performance.now(); acked.size && performance.now() - t0 < 30_000 && !failure;) await new Promise((r) => setTimeout(r, 50));
  stop();
  if (failure) throw new Error(`probe watch: ${failure}`);
  const all = Object.values(lat).flat();
  return {
    ops: all.length,
    mutatingP50ms: pct(all, 50),
    mutatingP99ms: pct(all, 99),
    perVerbP99ms: Object.fromEntries(Object.entries(lat).map(([k, v]) => [k, pct(v, 99)])),
    watchEvents: delivery.length,
    watchP50ms: pct(delivery, 50),
    watchP99ms: pct(delivery, 99),
    watchMissed: acked.size,
  };
}

/** Simulated nodes whose Ready condition is not True (heartbeats late past the grace period), and NodeNotReady events so far. */
async function nodeHealth(api: Api): Promise<{ notReady: number; nodeNotReadyEvents: number }> {
  const nodes = JSON.parse((await api.expect('GET', '/api/v1/nodes?labelSelector=k8ts.io%2Fsimulated%3Dtrue', [200])).body.toString()).items;
  const ready = (n: { status?: { conditions?: { type: string; status: string }[] } }) =>
    n.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
  const events = JSON.parse((await api.expect('GET', '/api/v1/namespaces/default/events?fieldSelector=reason%3DNodeNotReady', [200])).body.toString()).items;
  return { notReady: nodes.filter((n: Parameters<typeof ready>[0]) => !ready(n)).length, nodeNotReadyEvents: events.length };
}

const EVICTION_HINT = ' (nodes that missed heartbeats past the grace period have their pods evicted: see NodeNotReady/TaintManagerEviction events)';

async function listNamespace(api: Api, ns: string, expect: number): Promise<number> {
  const t = performance.now();
  const r = await api.expect('GET', `/api/v1/namespaces/${ns}/pods`, [200]);
  const ms = performance.now() - t;
  const n = JSON.parse(r.body.toString()).items.length;
  if (n !== expect) throw new Error(`list ${ns}: ${n} pods, expected ${expect}${EVICTION_HINT}`);
  return ms;
}

/** The cluster-wide list in pages of 500: the whole walk's time, and each page's. */
async function listPaged(api: Api, atLeast: number): Promise<{ ms: number; pages: number; pageP99ms: number }> {
  const page: number[] = [];
  let n = 0;
  let cont = '';
  const t = performance.now();
  do {
    const s = performance.now();
    const r = await api.expect('GET', `/api/v1/pods?limit=500${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`, [200]);
    page.push(performance.now() - s);
    const l = JSON.parse(r.body.toString());
    n += l.items.length;
    cont = l.metadata.continue ?? '';
  } while (cont);
  const ms = performance.now() - t;
  if (n < atLeast) throw new Error(`paged list: ${n} pods, expected ≥ ${atLeast}${EVICTION_HINT}`);
  return { ms, pages: page.length, pageP99ms: pct(page, 99) };
}

/** The cluster-wide list in one response, timed to its last byte; items counted without parsing the body. */
async function listAll(api: Api, atLeast: number): Promise<{ ms: number; firstByteMs: number; mb: number }> {
  const t = performance.now();
  const r = await api.expect('GET', '/api/v1/pods', [200]);
  const ms = performance.now() - t;
  const n = countOf(r.body, '"kind":"Pod"');
  if (n < atLeast) throw new Error(`list: ${n} pods, expected ≥ ${atLeast}${EVICTION_HINT}`);
  return { ms, firstByteMs: r.firstByteMs, mb: r.body.length / 1e6 };
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-bench-scale-'));
  let server: ChildProcess | undefined;
  let sim: ChildProcess | undefined;
  let ok = false;
  try {
    console.log(
      `bench:scale  ${NODES} simulated nodes, ${PODS} pods in ${NAMESPACES} namespaces (${SCHEDULER ? 'through the scheduler' : 'created bound: spec.nodeName set, no scheduler'}), churn ${CHURN} pods/s, runs ${RUNS}, data ${dir}`,
    );
    const s = await startServer(dir);
    server = s.proc;
    const creds = credsOf(s.kubeconfig);
    const api = new Api(s.base, creds, 4);
    const idle = status(server.pid!);
    let t = performance.now();
    sim = await startSim(dir, s.kubeconfig);
    const simSeconds = (performance.now() - t) / 1000;
    const nodes = JSON.parse((await api.expect('GET', '/api/v1/nodes?labelSelector=k8ts.io%2Fsimulated%3Dtrue', [200])).body.toString()).items.length;
    if (nodes !== NODES) throw new Error(`${nodes} simulated nodes registered, expected ${NODES}`);
    console.log(`  ${NODES} nodes registered in ${simSeconds.toFixed(1)} s; loading pods…`);
    const cpu0 = cpuSeconds(server.pid!);
    t = performance.now();
    const load = await forkLoad({
      base: s.base,
      kubeconfig: s.kubeconfig,
      pods: PODS,
      namespaces: NAMESPACES,
      nodes: NODES,
      concurrency: CONCURRENCY,
      bound: !SCHEDULER,
      waitRunning: true,
    });
    const loadServerCpu = cpuSeconds(server.pid!) - cpu0;
    console.log(
      `  ${PODS} pods created in ${load.createSeconds.toFixed(1)} s (${load.createsPerSecond.toFixed(0)}/s), all Running after ${load.runningSeconds?.toFixed(1)} s`,
    );
    await makeNamespace(api, PROBE_NS);
    const loaded = status(server.pid!);

    const churn = CHURN
      ? await forkChurn({ base: s.base, kubeconfig: s.kubeconfig, rate: CHURN, nodes: NODES, bound: !SCHEDULER, lifetimeSeconds: 5 })
      : undefined;
    const warmFrom = Date.now();
    await new Promise((r) => setTimeout(r, 5000)); // let the churn reach its level
    const runs: { probe: ProbeRun; nsMs: number; paged: Awaited<ReturnType<typeof listPaged>>; all: Awaited<ReturnType<typeof listAll>> }[] = [];
    const perNs = podsPerNamespace(PODS, NAMESPACES);
    // what ran when (epoch ms), to tell what the churn's slowest calls ran beside
    const phases: { what: string; fromMs: number; toMs: number }[] = [{ what: 'the churn warming up', fromMs: warmFrom, toMs: Date.now() }];
    const phase = async <T>(what: string, f: () => Promise<T>): Promise<T> => {
      const fromMs = Date.now();
      try {
        return await f();
      } finally {
        phases.push({ what, fromMs, toMs: Date.now() });
      }
    };
    for (let r = 0; r < RUNS; r++) {
      const probeRun = await phase(`run ${r + 1} probe`, () => probe(api, creds, r));
      const nsMs = await phase(`run ${r + 1} list ns`, () =>
        listNamespace(api, namespaceName(r % NAMESPACES), Math.min(perNs, PODS - (r % NAMESPACES) * perNs)),
      );
      const paged = await phase(`run ${r + 1} paged list`, () => listPaged(api, PODS));
      const all = await phase(`run ${r + 1} list all`, () => listAll(api, PODS));
      runs.push({ probe: probeRun, nsMs, paged, all });
      console.log(
        `  run ${r + 1}: mutating p99 ${probeRun.mutatingP99ms.toFixed(1)} ms, watch p99 ${probeRun.watchP99ms.toFixed(1)} ms, list ns ${nsMs.toFixed(0)} ms, paged ${paged.ms.toFixed(0)} ms, all ${all.ms.toFixed(0)} ms`,
      );
    }
    const churnResult = await churn?.stop();
    const health = await nodeHealth(api);
    const end = status(server.pid!);
    const simRss = status(sim.pid!);

    const med = (f: (x: (typeof runs)[number]) => number) => median(runs.map(f));
    const rows = [
      { what: 'mutating p99 (create/update/delete, 1 caller, no list running)', ms: med((x) => x.probe.mutatingP99ms), slo: 1000 },
      { what: 'watch delivery p99 (cluster-wide pod watch)', ms: med((x) => x.probe.watchP99ms), slo: undefined },
      // the churn's own calls span the lists too (a list walks its snapshot in slices, writes run in between)
      ...(churnResult ? [{ what: `mutating p99, the ${CHURN} pods/s churn (whole window, lists included)`, ms: churnResult.p99ms, slo: 1000 }] : []),
      { what: `list one namespace (${perNs} pods)`, ms: med((x) => x.nsMs), slo: 5000 },
      { what: `list all pods, limit=500 (whole walk)`, ms: med((x) => x.paged.ms), slo: 30_000 },
      { what: `list all pods, one response`, ms: med((x) => x.all.ms), slo: 30_000 },
    ];
    console.log(
      `\nbench:scale — ${NODES} nodes, ${PODS} pods, ${NAMESPACES} namespaces, churn ${CHURN} pods/s (achieved ${churnResult?.createRate.toFixed(1) ?? 0}/s); medians of ${RUNS} runs\n`,
    );
    console.log(`${'measurement'.padEnd(66)} ${'median'.padStart(10)} ${'SLO'.padStart(8)} ${'10× target'.padStart(10)} ${'SLO/median'.padStart(10)}`);
    for (const r of rows)
      console.log(
        `${r.what.padEnd(66)} ${`${r.ms.toFixed(1)} ms`.padStart(10)} ${(r.slo ? `${r.slo / 1000} s` : '—').padStart(8)} ${(r.slo ? `${r.slo / 10} ms` : '—').padStart(10)} ${(r.slo ? `${(r.slo / r.ms).toFixed(1)}×` : '—').padStart(10)}`,
      );
    console.log(
      `\nload: ${load.createsPerSecond.toFixed(0)} pods/s created (c=${CONCURRENCY}, p99 ${load.createP99ms.toFixed(0)} ms, ${load.retries} retried), all Running after ${load.runningSeconds?.toFixed(1)} s; server CPU ${loadServerCpu.toFixed(0)} s during the load`,
    );
    console.log(`server RSS: idle ${idle.rssMB} MB, loaded ${loaded.rssMB} MB, end ${end.rssMB} MB (peak ${end.hwmMB} MB); k8ts sim RSS ${simRss.rssMB} MB`);
    console.log(
      `simulated nodes not Ready at the end: ${health.notReady}; NodeNotReady events during the run: ${health.nodeNotReadyEvents} (heartbeat ${HEARTBEAT}, grace period ${GRACE})`,
    );
    console.log('watch delivery: no upstream SLO (the watch latency SLI is WIP); list all pods one response: ' + med((x) => x.all.mb).toFixed(0) + ' MB');
    if (churnResult?.slowest.length) {
      const during = (at: number) => phases.filter((p) => p.fromMs <= at && at <= p.toMs).map((p) => p.what)[0] ?? 'between phases';
      console.log(`the churn's slowest calls: ${churnResult.slowest.map((c) => `${c.method} ${c.ms.toFixed(0)} ms (${during(c.atMs)})`).join(', ')}`);
    }
    mkdirSync(dirname(OUT), { recursive: true });
    writeFileSync(
      OUT,
      JSON.stringify(
        {
          date: new Date().toISOString(),
          nodes: NODES,
          pods: PODS,
          namespaces: NAMESPACES,
          podsPerNamespace: perNs,
          placement: SCHEDULER ? 'scheduler' : 'bound at create (spec.nodeName)',
          heartbeat: HEARTBEAT,
          nodeMonitorGracePeriod: GRACE,
          churnPodsPerSecond: CHURN,
          runs: RUNS,
          probeOpsPerRun: PROBE_OPS * 3,
          load: { ...load, concurrency: CONCURRENCY, serverCpuSeconds: loadServerCpu, nodesRegisterSeconds: simSeconds },
          serverMemoryMB: { idle: idle.rssMB, loaded: loaded.rssMB, end: end.rssMB, peak: end.hwmMB },
          simRssMB: simRss.rssMB,
          nodeHealth: health,
          churn: churnResult ?? null,
          phases,
          results: rows.map((r) => ({
            measurement: r.what,
            medianMs: r.ms,
            sloMs: r.slo ?? null,
            targetMs: r.slo ? r.slo / 10 : null,
            sloOverMedian: r.slo ? r.slo / r.ms : null,
          })),
          runsDetail: runs,
        },
        null,
        2,
      ) + '\n',
    );
    console.log(`wrote ${OUT}`);
    ok = true;
  } finally {
    for (const p of [sim, server]) {
      if (!p || p.exitCode !== null) continue;
      const exited = new Promise((r) => p.once('exit', r));
      p.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 20_000))]);
      if (p.exitCode === null) p.kill('SIGKILL');
    }
    if (ok || !args.includes('--keep-on-failure')) rmSync(dir, { recursive: true, force: true });
    else console.error(`kept ${dir} (server.log, sim.log)`);
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
