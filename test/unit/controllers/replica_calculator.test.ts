// HPA replica calculation against upstream's replica_calculator_test.go cases: scale up/down, tolerance,
// unready pods (counted as 0 on a scale-up), missing metrics (target on a scale-down, 0 on a scale-up),
// ignored pods, missing requests, and AverageValue targets.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../../src/api/core/v1/types.js';
import {
  rawResourceReplicas,
  resourceReplicas,
  ReplicaCalculationError,
  type CalculatorOptions,
  type PodMetricsInfo,
} from '../../../src/controllers/podautoscaler/replica_calculator.js';

const NOW = Date.parse('2026-01-01T12:00:00Z');
const opts: CalculatorOptions = { cpuInitializationPeriodMs: 5 * 60_000, delayOfInitialReadinessStatusMs: 30_000, now: NOW };
const tol = { scaleDown: 0.1, scaleUp: 0.1 };
const iso = (ms: number) => new Date(ms).toISOString();

interface PodSpec {
  ready?: 'True' | 'False';
  phase?: string;
  request?: string | null;
  deleting?: boolean;
  /** start time, ms before NOW (default 10 min: past the CPU initialization period) */
  startedAgo?: number;
  readySince?: number;
}

function pods(specs: PodSpec[]): Pod[] {
  return specs.map((s, i) => ({
    metadata: { name: `p${i}`, namespace: 'default', ...(s.deleting ? { deletionTimestamp: iso(NOW) } : {}) },
    spec: { containers: [{ name: 'c', image: 'x', resources: s.request === null ? {} : { requests: { cpu: s.request ?? '1', memory: '100Mi' } } }] },
    status: {
      phase: s.phase ?? 'Running',
      startTime: iso(NOW - (s.startedAgo ?? 600_000)),
      conditions: [{ type: 'Ready', status: s.ready ?? 'True', lastTransitionTime: iso(NOW - (s.readySince ?? 590_000)) }],
    },
  })) as Pod[];
}

function metrics(levels: (number | undefined)[]): PodMetricsInfo {
  const m: PodMetricsInfo = new Map();
  levels.forEach((v, i) => {
    if (v !== undefined) m.set(`p${i}`, { value: v, timestamp: NOW - 1000, windowMs: 30_000 });
  });
  return m;
}

describe('resource utilization replicas (upstream TestReplicaCalc*)', () => {
  it('ScaleUp: 3 pods at 30/50/70% of 1 core, target 30% -> 5', () => {
    const r = resourceReplicas(3, 30, 'cpu', tol, pods([{}, {}, {}]), metrics([300, 500, 700]), opts);
    assert.deepEqual([r.replicas, r.utilization, r.rawUtilization], [5, 50, 500]);
  });

  it('ScaleUpUnreadyLessScale: an unready pod counts as 0 -> 4 instead of 6', () => {
    const r = resourceReplicas(3, 30, 'cpu', tol, pods([{ ready: 'False' }, {}, {}]), metrics([300, 500, 700]), opts);
    assert.deepEqual([r.replicas, r.utilization, r.rawUtilization], [4, 60, 600]);
  });

  it('ScaleUpUnreadyNoScale: the unready pods at 0 would make it a scale-down -> stays 3', () => {
    const r = resourceReplicas(3, 30, 'cpu', tol, pods([{}, { ready: 'False' }, { ready: 'False' }]), metrics([400, 500, 700]), opts);
    assert.deepEqual([r.replicas, r.utilization, r.rawUtilization], [3, 40, 400]);
  });

  it('ScaleUpIgnoresFailedPods and deleted pods', () => {
    const r = resourceReplicas(2, 30, 'cpu', tol, pods([{}, {}, { phase: 'Failed' }, { deleting: true }]), metrics([500, 700, 100, 100]), opts);
    assert.deepEqual([r.replicas, r.utilization], [4, 60]);
  });

  it('ScaleDown: 5 pods averaging 28% of the request, target 50% -> 3', () => {
    const r = resourceReplicas(5, 50, 'cpu', tol, pods([{}, {}, {}, {}, {}]), metrics([100, 300, 500, 250, 250]), opts);
    assert.deepEqual([r.replicas, r.utilization, r.rawUtilization], [3, 28, 280]);
  });

  it('ScaleDownIgnoresUnreadyPods (pending ones) on a scale-down', () => {
    const r = resourceReplicas(5, 50, 'cpu', tol, pods([{}, {}, {}, { phase: 'Pending' }, { phase: 'Pending' }]), metrics([100, 300, 500, 250, 250]), opts);
    assert.deepEqual([r.replicas, r.utilization], [2, 30]);
  });

  it('Tolerance: 102% of the target is within 0.1 -> no change', () => {
    const r = resourceReplicas(3, 100, 'cpu', tol, pods([{ request: '900m' }, { request: '1' }, { request: '1100m' }]), metrics([1010, 1030, 1020]), opts);
    assert.deepEqual([r.replicas, r.utilization], [3, 102]);
  });

  it('MissingMetricsNoChangeEq: a pod without metrics, the rest exactly at target -> no change', () => {
    const r = resourceReplicas(2, 100, 'cpu', tol, pods([{}, {}]), metrics([1000]), opts);
    assert.equal(r.replicas, 2);
  });

  it('MissingMetricsScaleUp: missing pods count as 0, which can cancel the scale-up', () => {
    const r = resourceReplicas(2, 100, 'cpu', tol, pods([{}, {}]), metrics([2000]), opts);
    // (2000 + 0) / 2 cores = 100% of target: within tolerance
    assert.equal(r.replicas, 2);
    const big = resourceReplicas(2, 50, 'cpu', tol, pods([{}, {}]), metrics([2000]), opts);
    // (2000 + 0) / 2000 = 100% against 50% -> ratio 2 over 2 pods -> 4
    assert.equal(big.replicas, 4);
  });

  it('MissingMetricsScaleDown: missing pods count as using the target on a scale-down', () => {
    const r = resourceReplicas(4, 50, 'cpu', tol, pods([{}, {}, {}, {}]), metrics([100, 100, 100]), opts);
    // 10% -> with the missing pod at 100%: (300 + 1000) / 4000 = 32% -> 0.64 * 4 = 2.56 -> 3
    assert.equal(r.replicas, 3);
  });

  it('a pod still initializing whose sample predates one window since it turned ready is unready', () => {
    const p = pods([{ startedAgo: 60_000, readySince: 10_000 }, {}]);
    const r = resourceReplicas(2, 50, 'cpu', tol, p, metrics([900, 900]), opts);
    // the first pod counts as 0 on this scale-up: (0 + 900) / 2000 = 45% -> ratio 0.9: within tolerance
    assert.equal(r.replicas, 2);
  });

  it('missing request for cpu is an error naming the container and pod', () => {
    assert.throws(
      () => resourceReplicas(2, 50, 'cpu', tol, pods([{ request: null }, {}]), metrics([100, 100]), opts),
      (e: Error) => e instanceof ReplicaCalculationError && e.message === 'missing request for cpu in container c of Pod p0',
    );
  });

  it('no pods, and no metrics for ready pods, are errors', () => {
    assert.throws(() => resourceReplicas(1, 50, 'cpu', tol, [], metrics([]), opts), /no pods returned by selector while calculating replica count/);
    assert.throws(
      () => resourceReplicas(2, 50, 'cpu', tol, pods([{ phase: 'Pending' }, { phase: 'Pending' }]), metrics([100, 100]), opts),
      /did not receive metrics for targeted pods \(pods might be unready\)/,
    );
  });
});

describe('raw resource replicas (AverageValue)', () => {
  it('memory average over the target scales by the ratio', () => {
    const mi = 1024 * 1024;
    const r = rawResourceReplicas(2, 100 * mi, 'memory', tol, pods([{}, {}]), metrics([150 * mi, 250 * mi]), opts);
    assert.deepEqual([r.replicas, r.rawUtilization], [4, 200 * mi]);
    const same = rawResourceReplicas(2, 100 * mi, 'memory', tol, pods([{}, {}]), metrics([95 * mi, 105 * mi]), opts);
    assert.equal(same.replicas, 2);
  });
});
