// The resource metrics pipeline built into the API server (metrics-server's role): scrapes each node
// agent's /stats/summary through the node proxy's dialer, keeps recent scrapes per node, and turns the
// cumulative CPU time of two scrapes into a rate over their window, with the latest memory working set.
import type { Node } from '../../api/core/v1/types.js';
import type { NodeMetrics, PodMetrics, ResourceUsage } from '../../api/metrics/types.js';

/** The part of the kubelet's Summary API (stats/v1alpha1) read here. */
interface CPU {
  time?: string;
  usageCoreNanoSeconds?: number;
}
interface Memory {
  time?: string;
  workingSetBytes?: number;
}
export interface SummaryLike {
  node?: { nodeName?: string; cpu?: CPU; memory?: Memory };
  pods?: { podRef: { name: string; namespace: string; uid: string }; containers?: { name: string; startTime?: string; cpu?: CPU; memory?: Memory }[] }[];
}

interface Point {
  /** Epoch ms of the CPU reading. */
  t: number;
  cpuNs: number;
  memory: number;
}

interface Scrape {
  at: number;
  node?: Point;
  /** "<podUid>/<container>" → point */
  containers: Map<string, Point>;
  pods: Map<string, { name: string; namespace: string; containers: string[] }>;
}

export interface ScraperOptions {
  /** Fetches a node's /stats/summary JSON. */
  fetchSummary(node: Node): Promise<string>;
  /** Scrapes younger than this are reused (ms). Default 1000. */
  minIntervalMs?: number;
  /** Shortest window a rate is computed over (ms). Default 1000. */
  minWindowMs?: number;
  clock?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
const cpuQuantity = (nanocores: number) => `${Math.max(0, Math.round(nanocores))}n`;
const memQuantity = (bytes: number) => (bytes % 1024 === 0 ? `${bytes / 1024}Ki` : String(bytes));
const windowOf = (ms: number) => `${(ms / 1000).toFixed(3).replace(/\.?0+$/, '')}s`;

function pointOf(cpu: CPU | undefined, mem: Memory | undefined, fallback: number): Point | undefined {
  if (cpu?.usageCoreNanoSeconds === undefined || mem?.workingSetBytes === undefined) return undefined;
  const t = cpu.time ? Date.parse(cpu.time) : NaN;
  return { t: Number.isFinite(t) ? t : fallback, cpuNs: cpu.usageCoreNanoSeconds, memory: mem.workingSetBytes };
}

export class MetricsScraper {
  private history = new Map<string, Scrape[]>();
  private inflight = new Map<string, Promise<Scrape[]>>();
  private readonly clock: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly o: ScraperOptions) {
    this.clock = o.clock ?? Date.now;
    this.sleep = o.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  private parse(body: string): Scrape {
    const s = JSON.parse(body) as SummaryLike;
    const at = this.clock();
    // Summary times have whole-second precision at best on some agents; keep ms when given
    const out: Scrape = { at, node: pointOf(s.node?.cpu, s.node?.memory, at), containers: new Map(), pods: new Map() };
    for (const p of s.pods ?? []) {
      const names: string[] = [];
      for (const c of p.containers ?? []) {
        const pt = pointOf(c.cpu, c.memory, at);
        if (!pt) continue;
        out.containers.set(`${p.podRef.uid}/${c.name}`, pt);
        names.push(c.name);
      }
      out.pods.set(p.podRef.uid, { name: p.podRef.name, namespace: p.podRef.namespace, containers: names });
    }
    return out;
  }

  /** The node's recent scrapes, newest last, scraping anew unless the newest is fresh; a rate needs two. */
  private scrapes(node: Node): Promise<Scrape[]> {
    const name = node.metadata.name ?? '';
    const run = async (): Promise<Scrape[]> => {
      const minInterval = this.o.minIntervalMs ?? 1000;
      const minWindow = this.o.minWindowMs ?? 1000;
      let list = this.history.get(name) ?? [];
      const now = this.clock();
      list = list.filter((s) => now - s.at < 60_000);
      if (!list.length || now - list[list.length - 1].at >= minInterval) list.push(this.parse(await this.o.fetchSummary(node)));
      // a first scrape has no window yet: take a second one once the shortest window has passed
      if (list.length === 1) {
        await this.sleep(minWindow);
        list.push(this.parse(await this.o.fetchSummary(node)));
      }
      if (list.length > 6) list = list.slice(-6);
      this.history.set(name, list);
      return list;
    };
    let p = this.inflight.get(name);
    if (!p) {
      p = run().finally(() => this.inflight.delete(name));
      this.inflight.set(name, p);
    }
    return p;
  }

  /** The rate of `key` in the newest scrape against the newest older scrape at least minWindow before it. */
  private rate(list: Scrape[], pick: (s: Scrape) => Point | undefined): { cpu: number; memory: number; t: number; windowMs: number } | undefined {
    const minWindow = this.o.minWindowMs ?? 1000;
    const last = pick(list[list.length - 1]);
    if (!last) return undefined;
    for (let i = list.length - 2; i >= 0; i--) {
      const prev = pick(list[i]);
      if (!prev) continue;
      const dt = last.t - prev.t;
      if (dt < minWindow) continue;
      const du = last.cpuNs - prev.cpuNs;
      if (du < 0) return undefined; // a restarted container: its counter began again
      return { cpu: (du * 1000) / dt, memory: last.memory, t: last.t, windowMs: dt };
    }
    return undefined;
  }

  async nodeMetrics(node: Node): Promise<NodeMetrics | undefined> {
    const list = await this.scrapes(node);
    const r = this.rate(list, (s) => s.node);
    if (!r) return undefined;
    return {
      kind: 'NodeMetrics',
      apiVersion: 'metrics.k8s.io/v1beta1',
      metadata: { name: node.metadata.name, creationTimestamp: iso(this.clock()), labels: node.metadata.labels },
      timestamp: iso(r.t),
      window: windowOf(r.windowMs),
      usage: { cpu: cpuQuantity(r.cpu), memory: memQuantity(r.memory) },
    };
  }

  /** PodMetrics of every pod on `node` whose running containers all have a rate (as metrics-server, partial pods are left out). */
  async podMetrics(node: Node): Promise<Map<string, PodMetrics>> {
    const list = await this.scrapes(node);
    const newest = list[list.length - 1];
    const out = new Map<string, PodMetrics>();
    for (const [uid, p] of newest.pods) {
      const containers: { name: string; usage: ResourceUsage }[] = [];
      let t = 0;
      let windowMs = 0;
      let complete = p.containers.length > 0;
      for (const c of p.containers) {
        const r = this.rate(list, (s) => s.containers.get(`${uid}/${c}`));
        if (!r) {
          complete = false;
          break;
        }
        t = Math.max(t, r.t);
        windowMs = Math.max(windowMs, r.windowMs);
        containers.push({ name: c, usage: { cpu: cpuQuantity(r.cpu), memory: memQuantity(r.memory) } });
      }
      if (!complete) continue;
      out.set(uid, {
        kind: 'PodMetrics',
        apiVersion: 'metrics.k8s.io/v1beta1',
        metadata: { name: p.name, namespace: p.namespace, creationTimestamp: iso(this.clock()) },
        timestamp: iso(t),
        window: windowOf(windowMs),
        containers,
      });
    }
    return out;
  }
}
