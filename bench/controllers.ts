// `npm run bench:controllers`: the controller manager (run as its own `k8ts controller-manager` process, so its CPU
// is its own) against a k8ts API server. (a) a ReplicaSet of 5,000 replicas with no node agent (pods stay Pending):
// time until all pods exist, pods/s, against the anchor of kube-controller-manager's client limit (20 QPS, burst
// 30 → ~20 pods/s) and, measured in the same run, the benchmark creating the same pods itself; then the garbage
// collector deleting the 5,000 dependents of the deleted ReplicaSet. (b) on the real node agent, a Deployment of 50
// replicas from create to all available vs the same 50 pods created directly (ratio, target ≤ 1.2×). (c) a rolling
// update of those 50 replicas (maxSurge 25%): time and the controller manager's CPU. Medians over --runs runs.
// Usage: npm run bench:controllers [-- --replicas 5000 --deploy 50 --runs 3 --out FILE --skip-agent --skip-rs
//   --cm-args '--kube-api-qps 20 --kube-api-burst 30' --cm-prof DIR]  (--cm-prof: a V8 CPU profile of the controller manager)
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { KubeObject } from '../src/api/types.js';
import type { KubeClient } from '../src/client/rest.js';
import { fromKubeconfig } from '../src/client/kubeconfig.js';
import { SharedInformerFactory } from '../src/client/informer_factory.js';
import { ResourceClient, coreV1, type ResourceRef } from '../src/client/typed.js';
import { K8TS_BIN, TestCluster, waitFor } from '../test/helpers/cluster.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const arg = (name: string, def: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1]! : def;
};
const REPLICAS = Number(arg('replicas', '5000'));
const DEPLOY = Number(arg('deploy', '50'));
const RUNS = Number(arg('runs', '3'));
const OUT = arg('out', join(ROOT, 'bench/results/controllers.json'));
const SKIP_AGENT = args.includes('--skip-agent');
const SKIP_RS = args.includes('--skip-rs');
const CM_ARGS = arg('cm-args', '').split(/\s+/).filter(Boolean);
const CM_PROF = arg('cm-prof', '');
const ANCHOR_QPS = 20;

const replicaSets: ResourceRef = { group: 'apps', version: 'v1', resource: 'replicasets', namespaced: true };
const deployments: ResourceRef = { group: 'apps', version: 'v1', resource: 'deployments', namespaced: true };

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2) : NaN;
};
const r1 = (x: number) => Math.round(x * 10) / 10;

/** A client for the cluster through its admin kubeconfig (HTTPS, client certificate). */
function clientFor(c: TestCluster): KubeClient {
  return fromKubeconfig(c.kubeconfig, { userAgent: 'bench-controllers' });
}

/** CPU seconds (user + system) a process has used. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / 100; // utime, stime in clock ticks (USER_HZ 100)
}

async function startControllerManager(kubeconfig: string, clusterCIDR: string): Promise<ChildProcess> {
  const prof = CM_PROF ? ['--cpu-prof', `--cpu-prof-dir=${CM_PROF}`] : [];
  const p = spawn(
    process.execPath,
    [...prof, K8TS_BIN, 'controller-manager', '--kubeconfig', kubeconfig, '--leader-elect=false', '--cluster-cidr', clusterCIDR, ...CM_ARGS],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  p.stderr!.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-20_000)));
  await new Promise<void>((res, rej) => {
    const t = setTimeout(() => rej(new Error(`controller-manager did not start:\n${out}`)), 30_000);
    p.stdout!.on('data', (d: Buffer) => {
      if (/running/.test(d.toString())) {
        clearTimeout(t);
        res();
      }
    });
    p.on('exit', (code) => rej(new Error(`controller-manager exited ${code}:\n${out}`)));
  });
  return p;
}

function stopProc(p: ChildProcess): Promise<void> {
  if (p.exitCode !== null || p.signalCode !== null) return Promise.resolve();
  const done = new Promise<void>((r) => p.once('exit', () => r()));
  p.kill('SIGTERM');
  return done;
}

function podTemplate(app: string, extraEnv = '0') {
  return {
    metadata: { labels: { app } },
    spec: {
      terminationGracePeriodSeconds: 0,
      containers: [{ name: 'c', image: 'busybox:1.35', command: ['sleep', '3600'], env: [{ name: 'REV', value: extraEnv }] }],
    },
  };
}

/**
 * Counts pods with label app=<app> through an informer (it re-watches when the server drops a watch that fell
 * behind, and relists on 410, so the count cannot stall); resolves when the predicate holds.
 */
async function podCount(client: KubeClient, app: string) {
  const inf = new SharedInformerFactory(client).pods({ namespace: 'default', labelSelector: `app=${app}` });
  let waiters: (() => void)[] = [];
  let n = 0;
  const changed = (by: number) => {
    n += by;
    for (const w of waiters) w();
  };
  const reg = inf.addEventHandler({ onAdd: () => changed(1), onDelete: () => changed(-1) });
  inf.start();
  await reg.waitForSync();
  const size = () => n;
  return {
    size,
    until: (pred: (n: number) => boolean, timeoutMs: number) =>
      new Promise<void>((res, rej) => {
        const t = setTimeout(() => rej(new Error(`timed out with ${size()} pods`)), timeoutMs);
        const check = () => {
          if (pred(size())) {
            clearTimeout(t);
            waiters = waiters.filter((w) => w !== check);
            res();
          }
        };
        waiters.push(check);
        check();
      }),
    stop: () => {
      reg.remove();
      void inf.stop();
    },
  };
}

/** When, after `t0`, the n-th pod of app=<app> existed and was Ready (a watch): where the time of (b) goes. */
async function podTimeline(client: KubeClient, app: string, n: number, t0: number) {
  const pods = coreV1(client).pods('default');
  const list = await pods.list({ labelSelector: `app=${app}` });
  const seen = new Set<string>();
  const ready = new Set<string>();
  let allCreated = NaN;
  let allReady = NaN;
  const h = pods.watch(
    list.metadata.resourceVersion ?? '0',
    (ev) => {
      if (ev.type !== 'ADDED' && ev.type !== 'MODIFIED') return;
      const uid = ev.object.metadata.uid!;
      seen.add(uid);
      if (seen.size >= n && Number.isNaN(allCreated)) allCreated = performance.now() - t0;
      if (ev.object.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) ready.add(uid);
      if (ready.size >= n && Number.isNaN(allReady)) allReady = performance.now() - t0;
    },
    { labelSelector: `app=${app}` },
  );
  return {
    stop: () => {
      h.stop();
      return { createdSeconds: r1(allCreated / 1000), readySeconds: r1(allReady / 1000) };
    },
  };
}

async function createPodsDirectly(client: KubeClient, app: string, n: number, concurrency = 64): Promise<void> {
  const pods = coreV1(client).pods('default');
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        const i = next++;
        const t = podTemplate(app);
        await pods.create({ apiVersion: 'v1', kind: 'Pod', metadata: { ...t.metadata, name: `${app}-${i}` }, spec: t.spec } as never);
      }
    }),
  );
}

async function deleteAllPods(client: KubeClient, app: string): Promise<void> {
  await coreV1(client)
    .pods('default')
    .deleteCollection({ labelSelector: `app=${app}` });
}

interface ApiOnlyRun {
  rsSeconds: number;
  rsPodsPerSec: number;
  directSeconds: number;
  directPodsPerSec: number;
  gcSeconds: number;
  gcPodsPerSec: number;
  cmCpuSeconds: number;
  apiCpuSeconds: number;
  /** the same for direct creation: the API server's CPU, and the bench's own (the creating client's) */
  directApiCpuSeconds: number;
  directClientCpuSeconds: number;
}

async function benchReplicaSet(): Promise<ApiOnlyRun[]> {
  const cluster = new TestCluster({ store: 'sqlite', extraArgs: ['--disable-controller-manager'] });
  await cluster.start();
  const client = clientFor(cluster);
  const own = join(cluster.dataDir, 'controller-manager.kubeconfig');
  const cm = await startControllerManager(existsSync(own) ? own : cluster.kubeconfig, cluster.clusterCIDR);
  const runs: ApiOnlyRun[] = [];
  try {
    const rsClient = new ResourceClient(client, replicaSets, 'default');
    /** The ReplicaSet's scale-up to `n`, then the garbage collector deleting its dependents. */
    const viaReplicaSet = async (app: string, n: number) => {
      const count = await podCount(client, app);
      const cpu0 = cpuSeconds(cm.pid!);
      const api0 = cpuSeconds(cluster.proc!.pid!);
      const t0 = performance.now();
      await rsClient.create({
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: { name: app },
        spec: { replicas: n, selector: { matchLabels: { app } }, template: podTemplate(app) },
      } as KubeObject);
      await count.until((k) => k >= n, 600_000);
      const rsSeconds = (performance.now() - t0) / 1000;
      const cmCpu = cpuSeconds(cm.pid!) - cpu0;
      const apiCpu = cpuSeconds(cluster.proc!.pid!) - api0;
      const t1 = performance.now();
      await rsClient.delete(app, { propagationPolicy: 'Background' });
      await count.until((k) => k === 0, 600_000);
      const gcSeconds = (performance.now() - t1) / 1000;
      count.stop();
      return { rsSeconds, cmCpu, apiCpu, gcSeconds };
    };
    /** The anchor: the benchmark creating the same pods itself (then deleting them as one collection). */
    const directly = async (app: string, n: number) => {
      const direct = await podCount(client, app);
      const api0 = cpuSeconds(cluster.proc!.pid!);
      const own0 = process.cpuUsage();
      const t0 = performance.now();
      await createPodsDirectly(client, app, n);
      await direct.until((k) => k >= n, 600_000);
      const directSeconds = (performance.now() - t0) / 1000;
      const own = process.cpuUsage(own0);
      const directApiCpu = cpuSeconds(cluster.proc!.pid!) - api0;
      await deleteAllPods(client, app);
      await direct.until((k) => k === 0, 600_000);
      direct.stop();
      return { directSeconds, directApiCpu, directClientCpu: (own.user + own.system) / 1e6 };
    };
    // untimed warm-up of both paths, so neither pays alone for the processes' JIT and the store's first growth
    await viaReplicaSet('warm', Math.min(REPLICAS, 1000));
    await directly('warmd', Math.min(REPLICAS, 1000));
    for (let run = 0; run < RUNS; run++) {
      const app = `rs${run}`;
      // alternating which goes first
      let rs: Awaited<ReturnType<typeof viaReplicaSet>>;
      let d: Awaited<ReturnType<typeof directly>>;
      if (run % 2 === 0) {
        rs = await viaReplicaSet(app, REPLICAS);
        d = await directly(`${app}d`, REPLICAS);
      } else {
        d = await directly(`${app}d`, REPLICAS);
        rs = await viaReplicaSet(app, REPLICAS);
      }
      const { rsSeconds, cmCpu, apiCpu, gcSeconds } = rs;
      const { directSeconds, directApiCpu, directClientCpu } = d;
      runs.push({
        rsSeconds: r1(rsSeconds),
        rsPodsPerSec: Math.round(REPLICAS / rsSeconds),
        directSeconds: r1(directSeconds),
        directPodsPerSec: Math.round(REPLICAS / directSeconds),
        gcSeconds: r1(gcSeconds),
        gcPodsPerSec: Math.round(REPLICAS / gcSeconds),
        cmCpuSeconds: r1(cmCpu),
        apiCpuSeconds: r1(apiCpu),
        directApiCpuSeconds: r1(directApiCpu),
        directClientCpuSeconds: r1(directClientCpu),
      });
      console.log(`(a) run ${run + 1}:`, runs[runs.length - 1]);
    }
  } finally {
    await stopProc(cm);
    client.close();
    await cluster.cleanup();
  }
  return runs;
}

interface AgentRun {
  deploySeconds: number;
  /** when the last of the Deployment's pods existed / was Ready */
  deployPodsCreatedSeconds: number;
  deployPodsReadySeconds: number;
  directSeconds: number;
  directPodsCreatedSeconds: number;
  directPodsReadySeconds: number;
  ratio: number;
  rolloutSeconds: number;
  rolloutCmCpuSeconds: number;
}

interface DeploymentStatus {
  replicas?: number;
  updatedReplicas?: number;
  availableReplicas?: number;
  readyReplicas?: number;
  observedGeneration?: number;
}

async function waitDeployment(dc: ResourceClient, name: string, done: (d: KubeObject & { status?: DeploymentStatus }) => boolean, timeoutMs: number) {
  await waitFor(
    async () => {
      const d = (await dc.get(name)) as KubeObject & { status?: DeploymentStatus };
      return done(d) ? d : undefined;
    },
    timeoutMs,
    100,
  );
}

/** Until no pod of app=<app> is left in the API. */
async function noPods(client: KubeClient, app: string): Promise<void> {
  const pods = coreV1(client).pods('default');
  await waitFor(async () => (await pods.list({ labelSelector: `app=${app}` })).items.length === 0, 300_000, 200);
}

/**
 * Until the node keeps no more pod sandboxes (DATA/sandboxes) and pod directories with their volumes (DATA/pods)
 * than the API has pods: the kubelet finishes a pod's teardown after the API removed it.
 */
async function nodeSettled(cluster: TestCluster): Promise<void> {
  const count = (d: string) => (existsSync(join(cluster.dataDir, d)) ? readdirSync(join(cluster.dataDir, d)).length : 0);
  await waitFor(
    async () => {
      const pods = (await cluster.kubectl(['get', 'pods', '-A', '-o', 'name'])).stdout.trim();
      const want = pods ? pods.split('\n').length : 0;
      return count('sandboxes') <= want && count('pods') <= want;
    },
    300_000,
    200,
  );
}

async function readyPods(client: KubeClient, app: string): Promise<number> {
  const list = await coreV1(client)
    .pods('default')
    .list({ labelSelector: `app=${app}` });
  return list.items.filter((p) => !p.metadata.deletionTimestamp && p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length;
}

async function benchDeployment(): Promise<AgentRun[]> {
  const cluster = new TestCluster({ agent: true, store: 'sqlite', extraArgs: ['--disable-controller-manager'] });
  await cluster.start();
  const client = clientFor(cluster);
  const own = join(cluster.dataDir, 'controller-manager.kubeconfig');
  const cm = await startControllerManager(existsSync(own) ? own : cluster.kubeconfig, cluster.clusterCIDR);
  const runs: AgentRun[] = [];
  const cleanup = async () => {
    await stopProc(cm);
    client.close();
    // a failed clean-up is reported, and does not lose the runs measured
    await cluster.cleanup().catch((e) => console.error('(b/c) cluster clean-up failed:', (e as Error).message));
  };
  try {
    // node IPAM runs in the controller manager: wait for the node to be ready before timing anything
    await waitFor(async () => (await cluster.kubectl(['get', 'nodes', '-o', 'jsonpath={.items[0].spec.podCIDR}'])).stdout.trim() !== '', 60_000, 200);
    const dc = new ResourceClient(client, deployments, 'default');
    // untimed warm-up: a fresh node started the first phase faster than any later one (whichever it was)
    await createPodsDirectly(client, 'warmup', DEPLOY, 16);
    await waitFor(async () => (await readyPods(client, 'warmup')) >= DEPLOY, 300_000, 100);
    await deleteAllPods(client, 'warmup');
    await noPods(client, 'warmup');
    for (let run = 0; run < RUNS; run++) {
      const app = `web${run}`;
      // (b) direct pods, and the Deployment with (c) its rolling update, alternating which goes first; each starts on a
      // node whose runtime holds no pod (the kubelet removes sandboxes after the API deletes the pods: a teardown
      // of 50 running alongside would slow whichever phase came second)
      let directTimeline = { createdSeconds: NaN, readySeconds: NaN };
      let deployTimeline = { createdSeconds: NaN, readySeconds: NaN };
      let rolloutSeconds = NaN;
      let rolloutCpu = NaN;
      const timeDirect = async () => {
        await nodeSettled(cluster);
        const t = performance.now();
        const tl = await podTimeline(client, `${app}d`, DEPLOY, t);
        await createPodsDirectly(client, `${app}d`, DEPLOY, 16);
        await waitFor(async () => (await readyPods(client, `${app}d`)) >= DEPLOY, 300_000, 100);
        const s = (performance.now() - t) / 1000;
        directTimeline = tl.stop();
        await deleteAllPods(client, `${app}d`);
        await noPods(client, `${app}d`);
        return s;
      };
      const timeDeploy = async () => {
        await nodeSettled(cluster);
        const t = performance.now();
        const tl = await podTimeline(client, app, DEPLOY, t);
        await dc.create({
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: app },
          spec: {
            replicas: DEPLOY,
            selector: { matchLabels: { app } },
            strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
            template: podTemplate(app),
          },
        } as KubeObject);
        await waitDeployment(dc, app, (d) => (d.status?.availableReplicas ?? 0) >= DEPLOY, 300_000);
        const s = (performance.now() - t) / 1000;
        deployTimeline = tl.stop();
        // (c) rolling update: a template change, until every replica is updated and available
        const cpu0 = cpuSeconds(cm.pid!);
        const t1 = performance.now();
        const updated = await dc.patch(app, { spec: { template: podTemplate(app, '1') } }, 'strategic');
        const gen = updated.metadata.generation ?? 0;
        await waitDeployment(
          dc,
          app,
          (d) =>
            (d.status?.observedGeneration ?? 0) >= gen &&
            d.status?.updatedReplicas === DEPLOY &&
            d.status?.replicas === DEPLOY &&
            (d.status?.availableReplicas ?? 0) >= DEPLOY,
          600_000,
        );
        rolloutSeconds = (performance.now() - t1) / 1000;
        rolloutCpu = cpuSeconds(cm.pid!) - cpu0;
        await dc.delete(app, { propagationPolicy: 'Foreground' });
        await noPods(client, app);
        return s;
      };
      let directSeconds: number;
      let deploySeconds: number;
      if (run % 2 === 0) {
        directSeconds = await timeDirect();
        deploySeconds = await timeDeploy();
      } else {
        deploySeconds = await timeDeploy();
        directSeconds = await timeDirect();
      }
      // the next run (or the clean-up) starts once this one's pods are torn down
      await nodeSettled(cluster);
      runs.push({
        deploySeconds: r1(deploySeconds),
        deployPodsCreatedSeconds: deployTimeline.createdSeconds,
        deployPodsReadySeconds: deployTimeline.readySeconds,
        directSeconds: r1(directSeconds),
        directPodsCreatedSeconds: directTimeline.createdSeconds,
        directPodsReadySeconds: directTimeline.readySeconds,
        ratio: Math.round((deploySeconds / directSeconds) * 100) / 100,
        rolloutSeconds: r1(rolloutSeconds),
        rolloutCmCpuSeconds: r1(rolloutCpu),
      });
      console.log(`(b/c) run ${run + 1}:`, runs[runs.length - 1]);
    }
  } finally {
    await cleanup();
  }
  return runs;
}

async function main(): Promise<void> {
  const results: Record<string, unknown> = { date: new Date().toISOString(), replicas: REPLICAS, deploy: DEPLOY, runs: RUNS, note: '' };
  const table: Record<string, string | number>[] = [];
  if (!SKIP_RS) {
    try {
      const a = await benchReplicaSet();
      const m = (k: keyof ApiOnlyRun) => median(a.map((r) => r[k]));
      results.replicaSet = { runs: a, median: Object.fromEntries(Object.keys(a[0]!).map((k) => [k, m(k as keyof ApiOnlyRun)])) };
      table.push(
        {
          case: `(a) ReplicaSet ${REPLICAS} pods, no agent`,
          seconds: m('rsSeconds'),
          'pods/s': m('rsPodsPerSec'),
          anchor: `${ANCHOR_QPS} pods/s (20 QPS)`,
          ratio: `${r1(m('rsPodsPerSec') / ANCHOR_QPS)}×`,
        },
        {
          case: `(a) same pods created by the bench`,
          seconds: m('directSeconds'),
          'pods/s': m('directPodsPerSec'),
          anchor: '',
          ratio: `ReplicaSet at ${r1(m('rsPodsPerSec') / m('directPodsPerSec'))}× of it`,
        },
        { case: `(a) GC deletes ${REPLICAS} dependents`, seconds: m('gcSeconds'), 'pods/s': m('gcPodsPerSec'), anchor: '', ratio: '' },
        { case: `(a) controller-manager CPU during the scale-up`, seconds: m('cmCpuSeconds'), 'pods/s': '', anchor: '', ratio: '' },
        {
          case: `(a) API server CPU during the scale-up`,
          seconds: m('apiCpuSeconds'),
          'pods/s': '',
          anchor: `direct: ${m('directApiCpuSeconds')} s (bench ${m('directClientCpuSeconds')} s)`,
          ratio: '',
        },
      );
    } catch (e) {
      results.replicaSetError = String((e as Error).message ?? e);
      console.error('(a) failed:', results.replicaSetError);
    }
  }
  if (!SKIP_AGENT) {
    try {
      const b = await benchDeployment();
      const m = (k: keyof AgentRun) => median(b.map((r) => r[k]));
      results.deployment = { runs: b, median: Object.fromEntries(Object.keys(b[0]!).map((k) => [k, m(k as keyof AgentRun)])) };
      table.push(
        {
          case: `(b) Deployment ${DEPLOY} replicas → available`,
          seconds: m('deploySeconds'),
          'pods/s': r1(DEPLOY / m('deploySeconds')),
          anchor: `direct ${m('directSeconds')} s`,
          ratio: `${m('ratio')}× (target ≤ 1.2×)`,
        },
        {
          case: `(b) its pods: all created / all Ready`,
          seconds: `${m('deployPodsCreatedSeconds')} / ${m('deployPodsReadySeconds')}`,
          'pods/s': '',
          anchor: `direct ${m('directPodsCreatedSeconds')} / ${m('directPodsReadySeconds')} s`,
          ratio: '',
        },
        {
          case: `(c) rolling update ${DEPLOY} replicas (maxSurge 25%)`,
          seconds: m('rolloutSeconds'),
          'pods/s': '',
          anchor: `CM CPU ${m('rolloutCmCpuSeconds')} s`,
          ratio: '',
        },
      );
    } catch (e) {
      results.deploymentError = String((e as Error).message ?? e);
      console.error('(b/c) failed:', results.deploymentError);
    }
  }
  console.table(table);
  mkdirSync(dirname(OUT), { recursive: true });
  writeFileSync(OUT, JSON.stringify({ ...results, table }, null, 2));
  console.log(`wrote ${OUT}`);
}

await main();
// a watch or timer left by a failed phase must not keep the process alive
process.exit(0);
