// `npm run bench:scheduler`: scheduler_perf's shapes (bench/scheduler_shapes.ts) on simulated nodes
// (src/sim). This process is the cluster as `k8ts server` runs it: API server (memory store), scheduler and
// the simulated nodes sharing one informer factory. The load comes from outside: a forked process
// (bench/scheduler_load.ts) creates the pods through the API and watches them until bound; pods/s is the
// measured pods over the time from their first create to the last binding seen. Every run then checks the
// placements against the shape's rule. As scheduler_perf's fake nodes, the simulated nodes do not run the
// pods (--run-pods to let them go Running); they do remove deleted pods (the preemption shape's victims).
// Prints a table (median of --runs runs, each run's pods/s, kube-scheduler's threshold and the ratio; the
// scheduler's own cycle time and this process's CPU per measured pod; the load average) and writes JSON. Counts scale with --scale (1 = the sizes in scheduler_shapes.ts).
// Usage: npm run bench:scheduler [-- --scale 0.1 --runs 3 --shapes basic,spread --run-pods --out FILE --profile DIR --log-level info]
import { fork } from 'node:child_process';
import { Session } from 'node:inspector/promises';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApiServer, bootstrapSystemNamespaces } from '../src/apiserver/assemble.js';
import { openStorage } from '../src/storage/index.js';
import { KubeClient } from '../src/client/rest.js';
import { SharedInformerFactory } from '../src/client/informer_factory.js';
import { Scheduler } from '../src/scheduler/scheduler.js';
import { SimulatedNodes } from '../src/sim/simulated_nodes.js';
import { coreV1 } from '../src/client/typed.js';
import type { Node, Pod } from '../src/api/core/v1/types.js';
import { configureLogging, logger } from '../src/log/logger.js';
import { SHAPES, type Shape } from './scheduler_shapes.js';
import type { LoadResult } from './scheduler_load.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../..');
const args = process.argv.slice(2);
const arg = (name: string, def: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1]! : def;
};
const SCALE = Number(arg('scale', '1'));
const RUNS = Math.max(1, Number(arg('runs', '3')));
const RUN_PODS = args.includes('--run-pods');
const OUT = arg('out', join(ROOT, 'bench/results/scheduler.json'));
const wanted = arg('shapes', '').split(',').filter(Boolean);
// scheduler_perf runs kube-scheduler at verbosity 0: no line per bound pod (--log-level info to see them)
configureLogging(arg('log-level', 'warn'));

interface Run extends LoadResult {
  podsPerSecond: number;
  nodes: number;
  initPods: number;
  spent: Spent;
  /** The machine's 1-minute load average at the end of the run. */
  load1: number;
}

/** --profile DIR: a CPU profile of this process over each measured phase (DIR/<shape>-<n>.cpuprofile). */
const PROFILE_DIR = args.includes('--profile') ? arg('profile', '') : '';
const profiler = PROFILE_DIR
  ? (() => {
      const session = new Session();
      session.connect();
      let n = 0;
      return {
        start: async () => {
          await session.post('Profiler.enable');
          await session.post('Profiler.start');
        },
        stop: async (shape: string) => {
          const { profile } = await session.post('Profiler.stop');
          mkdirSync(PROFILE_DIR, { recursive: true });
          writeFileSync(join(PROFILE_DIR, `${shape}-${++n}.cpuprofile`), JSON.stringify(profile));
        },
      };
    })()
  : undefined;

/** What this process spent while the measured pods were scheduled: the scheduler's cycles and the whole process's CPU. */
interface Spent {
  cycles: number;
  /** Wall time of the cycles (grows when the machine is loaded) and the CPU time they took. */
  cycleMs: number;
  cycleCpuMs: number;
  cpuMs: number;
}

function load(server: string, s: Shape, pods: number, initPods: number, sched: Scheduler): Promise<LoadResult & { spent: Spent }> {
  return new Promise((res, rej) => {
    const child = fork(join(HERE, 'scheduler_load.js'), [JSON.stringify({ server, shape: s.name, pods, initPods })], { stdio: 'inherit' });
    let from = { cycles: 0, cycleMs: 0, cycleCpuMs: 0, cpu: process.cpuUsage() };
    child.on('message', (m: LoadResult | { phase: 'measure' }) => {
      if ('phase' in m) {
        from = { ...sched.stats, cpu: process.cpuUsage() };
        void profiler?.start();
        return;
      }
      const cpu = process.cpuUsage(from.cpu);
      const spent = {
        cycles: sched.stats.cycles - from.cycles,
        cycleMs: sched.stats.cycleMs - from.cycleMs,
        cycleCpuMs: sched.stats.cycleCpuMs - from.cycleCpuMs,
        cpuMs: (cpu.user + cpu.system) / 1000,
      };
      void (profiler?.stop(s.name) ?? Promise.resolve()).then(() => res({ ...m, spent }));
    });
    child.once('exit', (code) => (code ? rej(new Error(`load generator exited ${code}`)) : undefined));
  });
}

async function runShape(s: Shape): Promise<Run> {
  const nodes = Math.max(10, Math.round(s.nodes * SCALE));
  const pods = Math.max(10, Math.round(s.pods * SCALE));
  const initPods = Math.round(s.initPods * SCALE);
  const api = createApiServer(openStorage('memory'), undefined, {}, logger('apiserver'));
  await bootstrapSystemNamespaces(api);
  const addr = await api.listen('127.0.0.1', 0);
  const server = `http://127.0.0.1:${addr.port}`;
  const client = new KubeClient({ server, userAgent: 'k8ts-bench-scheduler' });
  const factory = new SharedInformerFactory(client);
  for (const [name, value] of Object.entries(s.priorityClasses ?? {}))
    await client.create('/apis/scheduling.k8s.io/v1/priorityclasses', { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name }, value });
  const sim = new SimulatedNodes(client, {
    nodes,
    zones: 3,
    heartbeatMs: 60_000,
    concurrency: 64,
    cpu: s.nodeCpu,
    memory: s.nodeMemory,
    runPods: RUN_PODS,
    factory,
  });
  await sim.start();
  const sched = new Scheduler(client, { logger: logger('scheduler'), factory, measureCycles: true });
  sched.start();
  await sched.waitForSync();
  const r = await load(server, s, pods, initPods, sched);
  // the placements must obey the shape's rule (pods on their way out, preemption's victims, left aside)
  const all = (await coreV1(client).pods('default').list()).items.filter((p) => !p.metadata.deletionTimestamp);
  const measured = all.filter((p) => p.metadata.name?.startsWith('m-'));
  const nodeMap = new Map<string, Node>((await coreV1(client).nodes().list()).items.map((n) => [n.metadata.name!, n]));
  const unbound = measured.filter((p) => !p.spec?.nodeName).length;
  const wrong = unbound ? `${unbound} measured pods unbound` : s.check?.(measured, all as Pod[], nodeMap);
  await sched.stop();
  await sim.stop();
  await factory.shutdown();
  client.close();
  await api.close();
  if (wrong) throw new Error(`${s.name}: placement check failed: ${wrong}`);
  return { ...r, podsPerSecond: r.pods / r.seconds, nodes, initPods, load1: loadavg()[0]! };
}

const results: Record<string, unknown>[] = [];
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(`bench:scheduler  scale ${SCALE}  runs ${RUNS}  (pods/s: median of the runs; ratio: median / kube-scheduler's threshold)`);
console.log(
  `  cycle ms/pod: CPU time of the scheduler's own cycles; cpu ms/pod: CPU time of this process (API server, scheduler, sims); load: 1-min load average`,
);
console.log(
  `${'shape'.padEnd(18)} ${'nodes'.padStart(5)} ${'init'.padStart(6)} ${'pods'.padStart(6)} ${'pods/s'.padStart(7)}  ${'runs'.padEnd(16)} ${'upstream'.padStart(8)} ${'ratio'.padStart(6)} ${'cycle ms/pod'.padStart(12)} ${'cpu ms/pod'.padStart(10)} ${'load'.padStart(5)}`,
);
for (const s of SHAPES.filter((x) => !wanted.length || wanted.some((w) => x.name.toLowerCase().includes(w.toLowerCase())))) {
  const runs: Run[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(await runShape(s));
  const sorted = [...runs].sort((a, b) => a.podsPerSecond - b.podsPerSecond);
  const med = sorted[Math.floor(sorted.length / 2)]!;
  const ratio = s.threshold ? med.podsPerSecond / s.threshold : undefined;
  // per measured pod (the cycles include retries of pods that did not fit at first)
  const cycleMsPerPod = median(runs.map((r) => r.spent.cycleCpuMs / r.pods));
  const cpuMsPerPod = median(runs.map((r) => r.spent.cpuMs / r.pods));
  const load1 = median(runs.map((r) => r.load1));
  results.push({
    shape: s.name,
    nodes: med.nodes,
    initPods: med.initPods,
    pods: med.pods,
    podsPerSecond: med.podsPerSecond,
    seconds: med.seconds,
    cycleMsPerPod,
    cpuMsPerPod,
    load1,
    runs: runs.map((r) => ({ podsPerSecond: r.podsPerSecond, seconds: r.seconds, perSecond: r.perSecond, spent: r.spent, load1: r.load1 })),
    threshold: s.threshold ?? null,
    ratio: ratio ?? null,
  });
  console.log(
    `${s.name.padEnd(18)} ${String(med.nodes).padStart(5)} ${String(med.initPods).padStart(6)} ${String(med.pods).padStart(6)} ${med.podsPerSecond.toFixed(0).padStart(7)}  ${runs
      .map((r) => r.podsPerSecond.toFixed(0))
      .join(' ')
      .padEnd(
        16,
      )} ${(s.threshold ? String(s.threshold) : '-').padStart(8)} ${(ratio !== undefined ? `${ratio.toFixed(2)}x` : '-').padStart(6)} ${cycleMsPerPod.toFixed(2).padStart(12)} ${cpuMsPerPod.toFixed(2).padStart(10)} ${load1.toFixed(1).padStart(5)}`,
  );
}
mkdirSync(dirname(OUT), { recursive: true });
writeFileSync(OUT, JSON.stringify({ scale: SCALE, runs: RUNS, runPods: RUN_PODS, results }, null, 2) + '\n');
console.log(`wrote ${OUT}`);
process.exit(0);
