// bench:scale's background load, forked by bench/scale.ts: `rate` pod creates per second in namespace
// scale-churn (open loop, on a fixed schedule, so a slow server does not lower the load), and as many deletes
// once `rate × lifetime` pods exist (the oldest first), so the pod count stays level. Pods are bound to
// simulated nodes (or left to the scheduler), which make them Running and remove them on graceful deletion:
// each churned pod is four writes (create, status, delete, final delete) plus its watch events.
// Protocol: sends {ready} once its namespace exists, starts on {start}, and on {stop} replies a ChurnResult.
import { simNodeName } from '../src/sim/simulated_nodes.js';
import { Api, credsOf, pct } from './scale_http.js';
import { makeNamespace, scalePod } from './scale_objects.js';

export interface ChurnInput {
  base: string;
  kubeconfig: string;
  rate: number;
  nodes: number;
  bound: boolean;
  lifetimeSeconds: number;
}

export interface ChurnResult {
  seconds: number;
  creates: number;
  deletes: number;
  /** Achieved creates per second. */
  createRate: number;
  errors: number;
  /** Ticks skipped because 100 requests were still in flight (the server fell behind). */
  skipped: number;
  p99ms: number;
  /** The slowest calls (at most 10), for telling what they ran beside: wall-clock start (epoch ms), latency, method. */
  slowest: { atMs: number; ms: number; method: string }[];
}

const NS = 'scale-churn';
const input = JSON.parse(process.argv[2]!) as ChurnInput;
const api = new Api(input.base, credsOf(input.kubeconfig), 32);
await makeNamespace(api, NS);

const live: string[] = [];
const lat: number[] = [];
let slowest: ChurnResult['slowest'] = [];
let creates = 0;
let deletes = 0;
let errors = 0;
let skipped = 0;
let inFlight = 0;
let seq = 0;
let timer: NodeJS.Timeout | undefined;
let t0 = 0;

async function call(method: string, path: string, body?: unknown): Promise<boolean> {
  inFlight++;
  const s = performance.now();
  const atMs = Date.now();
  try {
    const r = await api.request(method, path, body);
    const ms = performance.now() - s;
    lat.push(ms);
    if (slowest.length < 10 || ms > slowest[slowest.length - 1]!.ms) {
      slowest.push({ atMs, ms, method });
      slowest = slowest.sort((a, b) => b.ms - a.ms).slice(0, 10);
    }
    if (r.status >= 300) errors++;
    return r.status < 300;
  } catch {
    errors++;
    return false;
  } finally {
    inFlight--;
  }
}

function tick(): void {
  if (inFlight >= 100) {
    skipped++;
    return;
  }
  const k = seq++;
  const name = `churn-${k}`;
  void call('POST', `/api/v1/namespaces/${NS}/pods`, scalePod(name, input.bound ? simNodeName(k % input.nodes) : undefined, { bench: 'churn' })).then((ok) => {
    if (!ok) return;
    creates++;
    live.push(name);
    if (live.length > input.rate * input.lifetimeSeconds) {
      const old = live.shift()!;
      void call('DELETE', `/api/v1/namespaces/${NS}/pods/${old}`).then((d) => (deletes += d ? 1 : 0));
    }
  });
}

/** Ticks on a fixed schedule from t0 (a late timer catches up rather than drifting). */
function schedule(): void {
  const period = 1000 / input.rate;
  const next = t0 + seq * period + skipped * period - performance.now();
  timer = setTimeout(
    () => {
      tick();
      schedule();
    },
    Math.max(0, next),
  );
}

process.on('message', (m: { cmd: string }) => {
  if (m.cmd === 'start') {
    t0 = performance.now();
    schedule();
  } else if (m.cmd === 'stop') {
    clearTimeout(timer);
    const seconds = (performance.now() - t0) / 1000;
    const result: ChurnResult = { seconds, creates, deletes, createRate: creates / seconds, errors, skipped, p99ms: pct(lat, 99), slowest };
    api.close();
    process.send!(result, () => process.exit(0));
  }
});
// the bench gone (failed or killed): stop rather than churn on as an orphan
process.on('disconnect', () => process.exit(0));
process.send!({ ready: true });
