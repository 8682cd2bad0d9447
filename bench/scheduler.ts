// `npm run bench:scheduler`: scheduler_perf's shapes on simulated nodes (src/sim), pods/s measured from outside:
// the time from the first measured create to the last of them bound (seen through a pod watch). The API server
// (memory store), the scheduler and the simulated nodes share this process. Init pods (where a shape has them)
// are placed first and not measured. Prints a table with the ratio to kube-scheduler's scheduler_perf threshold,
// writes JSON. Node/pod counts are scaled by --scale (default 1 = upstream's SchedulingBasic 5000 nodes/10000 pods
// for basic, smaller counts for the heavier shapes, as noted in the table).
// Usage: npm run bench:scheduler [-- --scale 0.1 --runs 1 --shapes basic,spread --out FILE]
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApiServer, bootstrapSystemNamespaces } from '../src/apiserver/assemble.js';
import { openStorage } from '../src/storage/index.js';
import { KubeClient } from '../src/client/rest.js';
import { Scheduler } from '../src/scheduler/scheduler.js';
import { SimulatedNodes } from '../src/sim/simulated_nodes.js';
import { coreV1 } from '../src/client/typed.js';
import type { Pod } from '../src/api/core/v1/types.js';
import { logger } from '../src/log/logger.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const arg = (name: string, def: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1]! : def;
};
const SCALE = Number(arg('scale', '1'));
const RUNS = Number(arg('runs', '1'));
const OUT = arg('out', join(ROOT, 'bench/results/scheduler.json'));
const ZONE = 'topology.kubernetes.io/zone';

interface Shape {
  name: string;
  nodes: number;
  initPods: number;
  pods: number;
  threshold: number;
  spec: (i: number) => Partial<NonNullable<Pod['spec']>>;
  labels?: Record<string, string>;
  initSpec?: (i: number) => Partial<NonNullable<Pod['spec']>>;
  priority?: number;
}

const sel = { matchLabels: { color: 'blue' } };
const SHAPES: Shape[] = [
  { name: 'SchedulingBasic', nodes: 5000, initPods: 0, pods: 10000, threshold: 680, spec: () => ({}) },
  {
    name: 'TopologySpreading',
    nodes: 1000,
    initPods: 1000,
    pods: 1000,
    threshold: 460,
    labels: { color: 'blue' },
    spec: () => ({ topologySpreadConstraints: [{ maxSkew: 5, topologyKey: ZONE, whenUnsatisfiable: 'DoNotSchedule', labelSelector: sel }] }),
  },
  {
    name: 'PodAntiAffinity',
    nodes: 1000,
    initPods: 0,
    pods: 500,
    threshold: 60,
    labels: { color: 'blue' },
    spec: () => ({
      affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: sel, topologyKey: 'kubernetes.io/hostname' }] } },
    }),
  },
  {
    name: 'PodAffinity',
    nodes: 1000,
    initPods: 0,
    pods: 500,
    threshold: 35,
    labels: { color: 'blue' },
    spec: () => ({ affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: sel, topologyKey: ZONE }] } } }),
  },
  {
    name: 'NodeAffinity',
    nodes: 1000,
    initPods: 0,
    pods: 1000,
    threshold: 220,
    spec: () => ({
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: ZONE, operator: 'In', values: ['zone-1'] }] }] },
        },
      },
    }),
  },
];
const wanted = arg('shapes', '').split(',').filter(Boolean);

async function runShape(s: Shape): Promise<{ podsPerSecond: number; seconds: number; nodes: number; pods: number }> {
  const nodes = Math.max(10, Math.round(s.nodes * SCALE));
  const pods = Math.max(10, Math.round(s.pods * SCALE));
  const initPods = Math.round(s.initPods * SCALE);
  const api = createApiServer(openStorage('memory'), undefined, {}, logger('apiserver'));
  await bootstrapSystemNamespaces(api);
  const addr = await api.listen('127.0.0.1', 0);
  const client = new KubeClient({ server: `http://127.0.0.1:${addr.port}`, userAgent: 'k8ts-bench-scheduler' });
  const sim = new SimulatedNodes(client, { nodes, zones: 3, heartbeatMs: 60_000, concurrency: 64 });
  await sim.start();
  const sched = new Scheduler(client, { logger: logger('scheduler') });
  sched.start();
  await sched.waitForSync();
  const podsApi = coreV1(client).pods('default');
  const bound = new Set<string>();
  let done: () => void = () => {};
  let target = 0;
  const watch = podsApi.watch('0', (ev) => {
    const p = ev.object as Pod;
    if (p.spec?.nodeName && p.metadata.name?.startsWith('m-')) {
      bound.add(p.metadata.name);
      if (bound.size >= target) done();
    }
  });
  const create = async (prefix: string, n: number, spec: Shape['spec'], labels?: Record<string, string>) => {
    let i = 0;
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        for (;;) {
          const k = i++;
          if (k >= n) return;
          await podsApi.create({
            apiVersion: 'v1',
            kind: 'Pod',
            metadata: { name: `${prefix}${k}`, labels },
            spec: { containers: [{ name: 'c', image: 'busybox', resources: { requests: { cpu: '100m', memory: '100Mi' } } }], ...spec(k) },
          } as Pod);
        }
      }),
    );
  };
  if (initPods) await create('i-', initPods, s.initSpec ?? s.spec, s.labels);
  target = pods;
  const finished = new Promise<void>((r) => (done = r));
  const t0 = Date.now();
  await create('m-', pods, s.spec, s.labels);
  await finished;
  const seconds = (Date.now() - t0) / 1000;
  watch.stop?.();
  await sched.stop();
  await sim.stop();
  client.close();
  await api.close();
  return { podsPerSecond: pods / seconds, seconds, nodes, pods };
}

const results: Record<string, unknown>[] = [];
for (const s of SHAPES.filter((x) => !wanted.length || wanted.some((w) => x.name.toLowerCase().includes(w.toLowerCase())))) {
  const runs = [];
  for (let r = 0; r < RUNS; r++) runs.push(await runShape(s));
  runs.sort((a, b) => a.podsPerSecond - b.podsPerSecond);
  const med = runs[Math.floor(runs.length / 2)]!;
  results.push({ shape: s.name, ...med, threshold: s.threshold, ratio: med.podsPerSecond / s.threshold });
  console.log(
    `${s.name.padEnd(18)} nodes ${String(med.nodes).padStart(5)} pods ${String(med.pods).padStart(6)}  ${med.podsPerSecond.toFixed(0).padStart(6)} pods/s  upstream ${s.threshold}  ratio ${(med.podsPerSecond / s.threshold).toFixed(2)}x`,
  );
}
mkdirSync(dirname(OUT), { recursive: true });
writeFileSync(OUT, JSON.stringify({ scale: SCALE, runs: RUNS, results }, null, 2) + '\n');
console.log(`wrote ${OUT}`);
process.exit(0);
