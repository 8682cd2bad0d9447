// bench:scheduler's load generator, run as its own process (forked by bench/scheduler.ts) so that what it
// costs to create and watch pods is not charged to the process under test, and the measurement is taken
// from outside through the API: it creates a shape's init pods and waits until they are all bound, then
// creates the measured pods (32 at a time) and watches them until every one has spec.nodeName. Reports the
// time from the first measured create to the last binding seen, and the bindings per whole second.
// Input: one JSON argument {server, shape, scale}; output: one IPC message.
import { KubeClient } from '../src/client/rest.js';
import { coreV1 } from '../src/client/typed.js';
import type { Pod } from '../src/api/core/v1/types.js';
import { SHAPES, type Shape } from './scheduler_shapes.js';

export interface LoadResult {
  seconds: number;
  pods: number;
  /** Pods bound in each whole second of the measured phase (upstream's SchedulingThroughput samples). */
  perSecond: number[];
}

const {
  server,
  shape: shapeName,
  pods: podCount,
  initPods,
} = JSON.parse(process.argv[2]!) as {
  server: string;
  shape: string;
  pods: number;
  initPods: number;
};
const shape = SHAPES.find((s) => s.name === shapeName)!;
const client = new KubeClient({ server, userAgent: 'k8ts-bench-scheduler-load' });
const pods = coreV1(client).pods('default');

const bound = new Map<string, number>();
const waiters: { prefix: string; n: number; resolve: () => void }[] = [];
const counts = new Map<string, number>();
const countOf = (prefix: string) => counts.get(prefix) ?? 0;
const watch = pods.watch('', (ev) => {
  const p = ev.object as Pod;
  const name = p.metadata?.name;
  if (!name || !p.spec?.nodeName || bound.has(name)) return;
  bound.set(name, Date.now());
  const prefix = name.slice(0, 2);
  counts.set(prefix, countOf(prefix) + 1);
  for (const w of waiters.splice(0)) {
    if (countOf(w.prefix) >= w.n) w.resolve();
    else waiters.push(w);
  }
});

function until(prefix: string, n: number): Promise<void> {
  if (countOf(prefix) >= n) return Promise.resolve();
  return new Promise((resolve) => waiters.push({ prefix, n, resolve }));
}

async function create(prefix: string, n: number, spec: Shape['spec'], requests = { cpu: '100m', memory: '100Mi' }): Promise<void> {
  let i = 0;
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      for (;;) {
        const k = i++;
        if (k >= n) return;
        await pods.create({
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: `${prefix}${k}`, labels: shape.labels },
          spec: { containers: [{ name: 'c', image: 'busybox', resources: { requests } }], ...spec(k) },
        } as Pod);
      }
    }),
  );
}

if (initPods) {
  await create('i-', initPods, shape.initSpec ?? shape.spec, shape.initRequests ?? shape.requests);
  await until('i-', initPods);
}
// the bench starts counting its own CPU and the scheduler's cycles here
process.send!({ phase: 'measure' });
const t0 = Date.now();
await create('m-', podCount, shape.spec, shape.requests);
await until('m-', podCount);
const times = [...bound].filter(([k]) => k.startsWith('m-')).map(([, t]) => t);
const last = Math.max(...times);
const perSecond: number[] = [];
for (const t of times) {
  const s = Math.floor((t - t0) / 1000);
  perSecond[s] = (perSecond[s] ?? 0) + 1;
}
const result: LoadResult = { seconds: (last - t0) / 1000, pods: podCount, perSecond: Array.from(perSecond, (v) => v ?? 0) };
watch.stop();
client.close();
process.send!(result, () => process.exit(0));
