// bench:scale's load generator, forked by bench/scale.ts so that what creating 150,000 pods costs is not
// charged to the bench's measuring process: makes the namespaces (scale-<k>) and waits for their `default`
// ServiceAccount (the ServiceAccount admission needs it), then creates the pods with `concurrency` callers
// over keep-alive HTTPS, either bound (spec.nodeName = a simulated node, round robin) or left to the scheduler.
// A cluster-wide pod watch counts the pods as they get a node and as the simulated nodes make them Running.
// Input: one JSON argument (LoadInput); output: one IPC message (LoadResult); progress on stderr.
import { simNodeName } from '../src/sim/simulated_nodes.js';
import { Api, credsOf, pct, pool, watch } from './scale_http.js';
import { makeNamespace, namespaceName, podsPerNamespace, scalePod } from './scale_objects.js';

export interface LoadInput {
  base: string;
  kubeconfig: string;
  pods: number;
  namespaces: number;
  nodes: number;
  concurrency: number;
  /** true: spec.nodeName set at create (no scheduler); false: the scheduler binds them. */
  bound: boolean;
  /** Wait for every pod to be Running (the simulated nodes run them). */
  waitRunning: boolean;
}

export interface LoadResult {
  pods: number;
  namespaces: number;
  /** From the first pod create to the last create's response. */
  createSeconds: number;
  createsPerSecond: number;
  createP50ms: number;
  createP99ms: number;
  /** Creates retried after a 429/5xx. */
  retries: number;
  /** From the first create until the watch saw every pod with a node (bound) / Running. */
  boundSeconds: number;
  runningSeconds: number | null;
}

async function main(input: LoadInput): Promise<LoadResult> {
  const { pods, namespaces, nodes, concurrency, bound } = input;
  const creds = credsOf(input.kubeconfig);
  const api = new Api(input.base, creds, concurrency);
  const perNs = podsPerNamespace(pods, namespaces);
  await pool(namespaces, 16, (k) => makeNamespace(api, namespaceName(k)));

  const withNode = new Set<string>();
  const running = new Set<string>();
  let t0 = 0;
  let boundAt = 0;
  let runningAt = 0;
  let done: () => void = () => {};
  const finished = new Promise<void>((r) => (done = r));
  const check = () => {
    if (!boundAt && withNode.size >= pods) boundAt = performance.now();
    if (!runningAt && running.size >= pods) runningAt = performance.now();
    if (boundAt && (runningAt || !input.waitRunning)) done();
  };
  const rv = JSON.parse((await api.expect('GET', '/api/v1/pods?limit=1', [200])).body.toString()).metadata.resourceVersion;
  const fail = (why: string) => {
    console.error(`bench:scale load: ${why}`);
    process.exit(1);
  };
  const stop = watch(
    input.base,
    creds,
    `/api/v1/pods?watch=1&resourceVersion=${rv}`,
    (ev) => {
      const o = ev.object;
      if (ev.type === 'ERROR') return fail(`watch error ${JSON.stringify(o)}`);
      if (o.metadata?.labels?.bench !== 'scale') return;
      const key = `${o.metadata.namespace}/${o.metadata.name}`;
      if (o.spec?.nodeName) withNode.add(key);
      if (o.status?.phase === 'Running') running.add(key);
      check();
    },
    fail,
  );

  const lat: number[] = [];
  let retries = 0;
  let created = 0;
  const progress = setInterval(() => {
    const s = (performance.now() - t0) / 1000;
    process.stderr.write(`bench:scale load: ${created}/${pods} created (${(created / s).toFixed(0)}/s), ${withNode.size} on a node, ${running.size} Running\n`);
  }, 10_000);
  t0 = performance.now();
  await pool(pods, concurrency, async (i) => {
    const ns = namespaceName(Math.floor(i / perNs));
    const body = scalePod(`pod-${i}`, bound ? simNodeName(i % nodes) : undefined, { bench: 'scale', group: String(i % 10) });
    for (let attempt = 0; ; attempt++) {
      const s = performance.now();
      const r = await api.request('POST', `/api/v1/namespaces/${ns}/pods`, body);
      if (r.status === 201) {
        lat.push(performance.now() - s);
        break;
      }
      if ((r.status === 429 || r.status >= 500) && attempt < 5) {
        retries++;
        await new Promise((res) => setTimeout(res, 200 * (attempt + 1)));
        continue;
      }
      throw new Error(`create ${ns}/pod-${i}: ${r.status} ${r.body.toString().slice(0, 300)}`);
    }
    created++;
  });
  const createSeconds = (performance.now() - t0) / 1000;
  check();
  // a stalled count (pods never bound or never Running) fails the run rather than hanging it
  let seen = -1;
  const stall = setInterval(() => {
    const now = withNode.size + running.size;
    if (now === seen) fail(`no progress for 120 s: ${withNode.size}/${pods} on a node, ${running.size} Running`);
    seen = now;
  }, 120_000);
  await finished;
  clearInterval(stall);
  clearInterval(progress);
  stop();
  api.close();
  return {
    pods,
    namespaces,
    createSeconds,
    createsPerSecond: pods / createSeconds,
    createP50ms: pct(lat, 50),
    createP99ms: pct(lat, 99),
    retries,
    boundSeconds: (boundAt - t0) / 1000,
    runningSeconds: runningAt ? (runningAt - t0) / 1000 : null,
  };
}

if (process.send) {
  process.on('disconnect', () => process.exit(1));
  main(JSON.parse(process.argv[2]!) as LoadInput).then(
    (r) => process.send!(r, () => process.exit(0)),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
