// The kubelet's stats provider (upstream's CRI stats provider): walks the runtime's ready sandboxes and
// running containers, reads their cgroup usage through the CRI stats verbs, turns cumulative CPU into rates,
// and adds the node's totals. A background sampler keeps a recent reading so the first request has a rate.
import type { RuntimeService } from '../../runtime/cri.js';
import type { CgroupUsage } from '../../runtime/cgroup_stats.js';
import { CpuRateTracker } from './rate.js';
import type { CPUStats, MemoryStats, NodeStats, PodStats, StatsSource, Summary } from './types.js';

export type StatsRuntime = Pick<RuntimeService, 'listPodSandboxes' | 'listContainers' | 'containerStats' | 'podSandboxStats'>;

export interface StatsProviderOptions {
  nodeName: string;
  /** The runtime, once it is up (undefined before: the summary then has the node only). */
  runtime: () => StatsRuntime | undefined;
  /** The machine's usage (runtime/cgroup_stats readNodeUsage). */
  nodeUsage: () => Promise<CgroupUsage & { memoryAvailableBytes?: number }>;
  /** Background sampling period (ms); 0 = none. Default 10 s. */
  samplePeriodMs?: number;
  nodeStartTime?: string;
}

// millisecond precision (valid RFC 3339): the metrics API computes CPU rates between two readings' times
const iso = (ms: number) => new Date(ms).toISOString();

export class StatsProvider implements StatsSource {
  private rates = new CpuRateTracker();
  private timer?: NodeJS.Timeout;
  private inflight?: Promise<Summary>;

  constructor(private readonly o: StatsProviderOptions) {}

  start(): void {
    const period = this.o.samplePeriodMs ?? 10_000;
    if (!period || this.timer) return;
    this.timer = setInterval(() => void this.summary().catch(() => {}), period);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private cpu(key: string, u: CgroupUsage): CPUStats | undefined {
    if (u.cpuUsageCoreNanoSeconds === undefined) return undefined;
    const out: CPUStats = { time: iso(u.timestamp), usageCoreNanoSeconds: u.cpuUsageCoreNanoSeconds };
    const rate = this.rates.observe(key, { timestamp: u.timestamp, usageNs: u.cpuUsageCoreNanoSeconds });
    if (rate !== undefined) out.usageNanoCores = rate;
    return out;
  }

  private memory(u: CgroupUsage & { memoryAvailableBytes?: number }): MemoryStats | undefined {
    if (u.memoryUsageBytes === undefined) return undefined;
    const m: MemoryStats = { time: iso(u.timestamp), usageBytes: u.memoryUsageBytes, workingSetBytes: u.memoryWorkingSetBytes };
    if (u.memoryAvailableBytes !== undefined) m.availableBytes = u.memoryAvailableBytes;
    if (u.memoryRssBytes !== undefined) m.rssBytes = u.memoryRssBytes;
    if (u.pageFaults !== undefined) m.pageFaults = u.pageFaults;
    if (u.majorPageFaults !== undefined) m.majorPageFaults = u.majorPageFaults;
    return m;
  }

  /** One summary at a time: concurrent callers share it (the sampler and a scrape may meet). */
  summary(): Promise<Summary> {
    return (this.inflight ??= this.collect().finally(() => (this.inflight = undefined)));
  }

  private async collect(): Promise<Summary> {
    const live = new Set<string>(['node']);
    const node: NodeStats = { nodeName: this.o.nodeName };
    if (this.o.nodeStartTime) node.startTime = this.o.nodeStartTime;
    try {
      const u = await this.o.nodeUsage();
      node.cpu = this.cpu('node', u);
      node.memory = this.memory(u);
    } catch {
      /* no node numbers */
    }
    const pods: PodStats[] = [];
    const rt = this.o.runtime();
    if (rt) {
      const [sandboxes, containers] = await Promise.all([rt.listPodSandboxes({ state: 'SANDBOX_READY' }), rt.listContainers({ state: 'CONTAINER_RUNNING' })]);
      for (const sb of sandboxes) {
        const ps: PodStats = {
          podRef: { name: sb.metadata.name, namespace: sb.metadata.namespace, uid: sb.metadata.uid },
          startTime: sb.createdAt,
          containers: [],
        };
        const su = await rt.podSandboxStats?.(sb.id).catch(() => undefined);
        if (su) {
          live.add(`pod/${sb.id}`);
          ps.cpu = this.cpu(`pod/${sb.id}`, su);
          ps.memory = this.memory(su);
        }
        for (const c of containers) {
          if (c.sandboxId !== sb.id) continue;
          const cu = await rt.containerStats?.(c.id).catch(() => undefined);
          if (!cu) continue;
          live.add(c.id);
          ps.containers.push({ name: c.name, startTime: c.startedAt ?? c.createdAt, cpu: this.cpu(c.id, cu), memory: this.memory(cu) });
        }
        pods.push(ps);
      }
    }
    this.rates.retain(live);
    return { node, pods };
  }
}
