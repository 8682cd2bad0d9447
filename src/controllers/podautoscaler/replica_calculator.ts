// The HPA's replica calculation for resource metrics (upstream pkg/controller/podautoscaler/
// replica_calculator.go): pods grouped into ready / unready / missing / ignored, usage relative to the
// pods' requests (Utilization) or raw (AverageValue), the tolerance, and the conservative re-computation
// when metrics are missing or pods are not ready (unready pods count as 0 on a scale-up, missing pods as
// the target on a scale-down and 0 on a scale-up). Pure: the controller hands in pods, metrics and a clock.
import type { Pod } from '../../api/core/v1/types.js';
import { parseQuantity } from '../../api/quantity.js';

/** One pod's usage: milli-cores for cpu, bytes for memory. */
export interface PodMetric {
  value: number;
  /** Epoch ms of the end of the window. */
  timestamp: number;
  windowMs: number;
}

export type PodMetricsInfo = Map<string, PodMetric>;

export interface Tolerances {
  scaleDown: number;
  scaleUp: number;
}

export const DEFAULT_TOLERANCE = 0.1;

export const withinTolerance = (t: Tolerances, ratio: number) => 1 - t.scaleDown <= ratio && ratio <= 1 + t.scaleUp;

export interface CalculatorOptions {
  /** --horizontal-pod-autoscaler-cpu-initialization-period (default 5 min). */
  cpuInitializationPeriodMs: number;
  /** --horizontal-pod-autoscaler-initial-readiness-delay (default 30 s). */
  delayOfInitialReadinessStatusMs: number;
  now: number;
}

export const DEFAULT_CALCULATOR_OPTIONS = { cpuInitializationPeriodMs: 5 * 60_000, delayOfInitialReadinessStatusMs: 30_000 };

export interface ReplicaResult {
  replicas: number;
  /** Utilization (percent of requests) for Utilization targets; the average usage otherwise. */
  utilization: number;
  /** Average usage per pod (milli-cores or bytes). */
  rawUtilization: number;
  timestamp: number;
}

export class ReplicaCalculationError extends Error {}

const ts = (s: string | null | undefined) => (s ? Date.parse(s) : NaN);

/** Upstream groupPods: which pods count, which are unready, which have no metric, which are ignored. */
export function groupPods(pods: Pod[], metrics: PodMetricsInfo, resource: string, o: CalculatorOptions) {
  let readyPodCount = 0;
  const unready = new Set<string>();
  const missing = new Set<string>();
  const ignored = new Set<string>();
  for (const pod of pods) {
    const name = pod.metadata.name!;
    if (pod.metadata.deletionTimestamp || pod.status?.phase === 'Failed') {
      ignored.add(name);
      continue;
    }
    if (pod.status?.phase === 'Pending') {
      unready.add(name);
      continue;
    }
    const metric = metrics.get(name);
    if (!metric) {
      missing.add(name);
      continue;
    }
    if (resource === 'cpu') {
      const cond = pod.status?.conditions?.find((c) => c.type === 'Ready');
      const start = ts(pod.status?.startTime);
      let isUnready: boolean;
      if (!cond || !Number.isFinite(start)) isUnready = true;
      else {
        const transition = ts(cond.lastTransitionTime);
        if (start + o.cpuInitializationPeriodMs > o.now) {
          // still initializing: ignore it while unready, or until one full window was measured since it turned ready
          isUnready = cond.status === 'False' || metric.timestamp < transition + metric.windowMs;
        } else {
          // ignore it only if it is unready and has never been ready
          isUnready = cond.status === 'False' && start + o.delayOfInitialReadinessStatusMs > transition;
        }
      }
      if (isUnready) {
        unready.add(name);
        continue;
      }
    }
    readyPodCount++;
  }
  return { readyPodCount, unready, missing, ignored };
}

/** Sum of the pods' requests for `resource` (milli-cores / bytes); a container without one is an error. */
export function podRequests(pods: Pod[], resource: string, container?: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const pod of pods) {
    let total = 0;
    for (const c of pod.spec?.containers ?? []) {
      if (container && c.name !== container) continue;
      const req = c.resources?.requests?.[resource];
      if (req === undefined) throw new ReplicaCalculationError(`missing request for ${resource} in container ${c.name} of Pod ${pod.metadata.name}`);
      total += quantityValue(String(req), resource);
    }
    out.set(pod.metadata.name!, total);
  }
  return out;
}

/** cpu in milli-cores, anything else in units (bytes), as upstream's MilliValue()/Value(). */
export function quantityValue(q: string, resource: string): number {
  const v = parseQuantity(q);
  return resource === 'cpu' ? v.milliValue() : v.value();
}

/** Upstream GetResourceUtilizationRatio: (usage ratio, utilization %, average raw usage). */
export function utilizationRatio(metrics: PodMetricsInfo, requests: Map<string, number>, targetUtilization: number) {
  let metricsTotal = 0;
  let requestsTotal = 0;
  let n = 0;
  for (const [pod, m] of metrics) {
    const r = requests.get(pod);
    if (r === undefined) continue;
    metricsTotal += m.value;
    requestsTotal += r;
    n++;
  }
  if (requestsTotal === 0) throw new ReplicaCalculationError('no metrics returned matched known pods');
  const utilization = Math.trunc((metricsTotal * 100) / requestsTotal);
  return { ratio: utilization / targetUtilization, utilization, raw: Math.trunc(metricsTotal / n) };
}

const oldestTimestamp = (m: PodMetricsInfo) => Math.min(...[...m.values()].map((x) => x.timestamp));

/** Upstream GetResourceReplicas (target type Utilization). `metrics` is changed. */
export function resourceReplicas(
  currentReplicas: number,
  targetUtilization: number,
  resource: string,
  tolerances: Tolerances,
  pods: Pod[],
  metrics: PodMetricsInfo,
  o: CalculatorOptions,
  container?: string,
): ReplicaResult {
  if (!pods.length) throw new ReplicaCalculationError('no pods returned by selector while calculating replica count');
  const g = groupPods(pods, metrics, resource, o);
  for (const n of [...g.ignored, ...g.unready]) metrics.delete(n);
  if (!metrics.size) throw new ReplicaCalculationError('did not receive metrics for targeted pods (pods might be unready)');
  const requests = podRequests(pods, resource, container);
  const first = utilizationRatio(metrics, requests, targetUtilization);
  const timestamp = oldestTimestamp(metrics);
  const result = (replicas: number): ReplicaResult => ({ replicas, utilization: first.utilization, rawUtilization: first.raw, timestamp });
  const scaleUpWithUnready = g.unready.size > 0 && first.ratio > 1;
  if (!scaleUpWithUnready && !g.missing.size) {
    if (withinTolerance(tolerances, first.ratio)) return result(currentReplicas);
    return result(Math.ceil(first.ratio * g.readyPodCount));
  }
  if (g.missing.size) {
    if (first.ratio < 1) {
      // a scale-down: missing pods are taken to use the target (at least 100% of their request)
      const fallback = Math.max(100, targetUtilization);
      for (const n of g.missing) metrics.set(n, { value: Math.trunc(((requests.get(n) ?? 0) * fallback) / 100), timestamp, windowMs: 0 });
    } else if (first.ratio > 1) {
      for (const n of g.missing) metrics.set(n, { value: 0, timestamp, windowMs: 0 });
    }
  }
  if (scaleUpWithUnready) for (const n of g.unready) metrics.set(n, { value: 0, timestamp, windowMs: 0 });
  const again = utilizationRatio(metrics, requests, targetUtilization);
  if (withinTolerance(tolerances, again.ratio) || (first.ratio < 1 && again.ratio > 1) || (first.ratio > 1 && again.ratio < 1)) return result(currentReplicas);
  const next = Math.ceil(again.ratio * metrics.size);
  if ((again.ratio < 1 && next > currentReplicas) || (again.ratio > 1 && next < currentReplicas)) return result(currentReplicas);
  return result(next);
}

/** Upstream GetRawResourceReplicas / calcPlainMetricReplicas (target type AverageValue). `metrics` is changed. */
export function rawResourceReplicas(
  currentReplicas: number,
  targetAverage: number,
  resource: string,
  tolerances: Tolerances,
  pods: Pod[],
  metrics: PodMetricsInfo,
  o: CalculatorOptions,
): ReplicaResult {
  if (!pods.length) throw new ReplicaCalculationError('no pods returned by selector while calculating replica count');
  const g = groupPods(pods, metrics, resource, o);
  for (const n of [...g.ignored, ...g.unready]) metrics.delete(n);
  if (!metrics.size) throw new ReplicaCalculationError('did not receive metrics for targeted pods (pods might be unready)');
  const usage = (m: PodMetricsInfo) => {
    let total = 0;
    for (const v of m.values()) total += v.value;
    return { ratio: total / m.size / targetAverage, avg: Math.trunc(total / m.size) };
  };
  const first = usage(metrics);
  const timestamp = oldestTimestamp(metrics);
  const result = (replicas: number): ReplicaResult => ({ replicas, utilization: first.avg, rawUtilization: first.avg, timestamp });
  const scaleUpWithUnready = g.unready.size > 0 && first.ratio > 1;
  if (!scaleUpWithUnready && !g.missing.size) {
    if (withinTolerance(tolerances, first.ratio)) return result(currentReplicas);
    return result(Math.ceil(first.ratio * g.readyPodCount));
  }
  if (g.missing.size) {
    if (first.ratio < 1) for (const n of g.missing) metrics.set(n, { value: targetAverage, timestamp, windowMs: 0 });
    else for (const n of g.missing) metrics.set(n, { value: 0, timestamp, windowMs: 0 });
  }
  if (scaleUpWithUnready) for (const n of g.unready) metrics.set(n, { value: 0, timestamp, windowMs: 0 });
  const again = usage(metrics);
  if (withinTolerance(tolerances, again.ratio) || (first.ratio < 1 && again.ratio > 1) || (first.ratio > 1 && again.ratio < 1)) return result(currentReplicas);
  const next = Math.ceil(again.ratio * metrics.size);
  if ((again.ratio < 1 && next > currentReplicas) || (again.ratio > 1 && next < currentReplicas)) return result(currentReplicas);
  return result(next);
}
