// The kubelet's eviction manager (upstream pkg/kubelet/eviction, hard thresholds only): every monitoring
// interval it observes the node's signals, reports which pressure conditions hold, and while a memory
// threshold is met evicts one pod per interval, ranked as upstream's rankMemoryPressure (pods using more
// memory than they request first — BestEffort requests nothing —, then lower priority, then the most usage
// above requests). The evicted pod fails with reason Evicted and upstream's message.
import type { Pod } from '../../api/core/v1/types.js';
import { computeQOSClass } from '../../api/core/v1/qos.js';
import { quantityToBytes } from '../../api/quantity.js';
import { canonicalQuantity } from '../../api/quantity.js';
import { conditionOf, observe, resourceOf, thresholdsMet, thresholdValue, type Observations, type PressureCondition, type Threshold } from './thresholds.js';

export const MONITORING_INTERVAL_MS = 10_000;

export interface EvictionManagerDeps {
  thresholds: Threshold[];
  dataDir: string;
  /** The active pods of the node (not terminal, not being deleted). */
  activePods(): Pod[];
  /** Memory working set of each pod by UID, when the stats know it. */
  podMemory(): Promise<Map<string, number>>;
  /** Kill the pod with this status message (phase Failed, reason Evicted). */
  evict(pod: Pod, message: string): void;
  /** Observations source (tests). */
  observe?: () => Observations;
  intervalMs?: number;
}

function memoryRequest(pod: Pod): number {
  let n = 0;
  for (const c of pod.spec?.containers ?? []) {
    const r = c.resources?.requests?.memory;
    if (r !== undefined) n += quantityToBytes(r);
  }
  return n;
}

/** Upstream rankMemoryPressure: exceeds requests first, then lower priority, then more usage above requests. */
export function rankForMemory(pods: Pod[], usage: Map<string, number>): Pod[] {
  const info = pods.map((p) => {
    const req = memoryRequest(p);
    // without a sample, a BestEffort pod still counts as using more than its (zero) request
    const used = usage.get(p.metadata.uid!) ?? (computeQOSClass(p) === 'BestEffort' ? 1 : 0);
    return { p, exceeds: used > req, priority: p.spec?.priority ?? 0, over: used - req };
  });
  info.sort((a, b) => Number(b.exceeds) - Number(a.exceeds) || a.priority - b.priority || b.over - a.over);
  return info.map((i) => i.p);
}

function fmtBytes(n: number): string {
  return canonicalQuantity(`${Math.max(0, Math.round(n / 1024))}Ki`);
}

export class EvictionManager {
  private timer?: NodeJS.Timeout;
  private conditions = new Set<PressureCondition>();

  constructor(private readonly d: EvictionManagerDeps) {}

  /** The pressure conditions the last observation found. */
  pressure(): Set<PressureCondition> {
    return this.conditions;
  }

  start(): void {
    const tick = () => void this.synchronize().catch(() => {});
    tick();
    this.timer = setInterval(tick, this.d.intervalMs ?? MONITORING_INTERVAL_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** One monitoring pass (upstream synchronize): conditions, then at most one eviction. */
  async synchronize(): Promise<Pod | undefined> {
    const obs = (this.d.observe ?? (() => observe(this.d.dataDir)))();
    const met = thresholdsMet(this.d.thresholds, obs);
    this.conditions = new Set(met.map((t) => conditionOf(t.signal)));
    const memory = met.find((t) => t.signal === 'memory.available');
    if (!memory) return undefined;
    const pods = this.d.activePods();
    if (!pods.length) return undefined;
    const usage = await this.d.podMemory().catch(() => new Map<string, number>());
    const victim = rankForMemory(pods, usage)[0]!;
    const o = obs['memory.available']!;
    const message = `The node was low on resource: ${resourceOf(memory.signal)}. Threshold quantity: ${memory.text.endsWith('%') ? fmtBytes(thresholdValue(memory, o.capacity)) : memory.text}, available: ${fmtBytes(o.available)}. `;
    this.d.evict(victim, message);
    return victim;
  }
}
