// bench:scheduler's workloads (scheduler_perf's shapes, config/performance-config.yaml and
// default_preemption/): node and pod counts at --scale 1, the pods' specs, kube-scheduler's throughput
// threshold, and a check that the placements obey the shape's rule (a fast wrong scheduler must not pass).
// Shared by the bench (bench/scheduler.ts) and its load generator (bench/scheduler_load.ts).
import type { Node, Pod } from '../src/api/core/v1/types.js';

export const ZONE = 'topology.kubernetes.io/zone';

export interface Shape {
  name: string;
  nodes: number;
  initPods: number;
  pods: number;
  /** kube-scheduler's scheduler_perf threshold (pods/s), where upstream sets one. */
  threshold?: number;
  spec: (i: number) => Partial<NonNullable<Pod['spec']>>;
  labels?: Record<string, string>;
  initSpec?: (i: number) => Partial<NonNullable<Pod['spec']>>;
  /** Simulated node capacity (default: the sim's 32 cpu / 256Gi). */
  nodeCpu?: string;
  nodeMemory?: string;
  /** The requests of the pods (default 100m / 100Mi); the init pods' when they differ. */
  requests?: { cpu: string; memory: string };
  initRequests?: { cpu: string; memory: string };
  /** PriorityClasses the pods name (created before the pods). */
  priorityClasses?: Record<string, number>;
  /** Returns what is wrong with the placement of the measured (m-) and init (i-) pods, if anything. */
  check?: (measured: Pod[], all: Pod[], nodes: Map<string, Node>) => string | undefined;
}

const sel = { matchLabels: { color: 'blue' } };

function zoneOf(pod: Pod, nodes: Map<string, Node>): string {
  return nodes.get(pod.spec?.nodeName ?? '')?.metadata.labels?.[ZONE] ?? '';
}

function milliCPU(q: string): number {
  return q.endsWith('m') ? Number(q.slice(0, -1)) : Number(q) * 1000;
}

export const SHAPES: Shape[] = [
  { name: 'SchedulingBasic', nodes: 5000, initPods: 0, pods: 10000, threshold: 680, spec: () => ({}) },
  {
    name: 'TopologySpreading',
    nodes: 5000,
    initPods: 5000,
    pods: 2000,
    threshold: 460,
    labels: { color: 'blue' },
    spec: () => ({ topologySpreadConstraints: [{ maxSkew: 5, topologyKey: ZONE, whenUnsatisfiable: 'DoNotSchedule', labelSelector: sel }] }),
    check: (_m, all, nodes) => {
      const per = new Map<string, number>();
      for (const p of all) per.set(zoneOf(p, nodes), (per.get(zoneOf(p, nodes)) ?? 0) + 1);
      const counts = [...per.values()];
      const skew = Math.max(...counts) - Math.min(...counts);
      return per.size === 3 && skew <= 5 ? undefined : `zone skew ${skew} over ${per.size} zones (maxSkew 5)`;
    },
  },
  {
    name: 'PodAntiAffinity',
    nodes: 5000,
    initPods: 1000,
    pods: 2000,
    threshold: 60,
    labels: { color: 'blue' },
    spec: () => ({
      affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: sel, topologyKey: 'kubernetes.io/hostname' }] } },
    }),
    check: (_m, all) => {
      const used = new Set(all.map((p) => p.spec?.nodeName));
      return used.size === all.length ? undefined : `${all.length - used.size} pods share a node with another`;
    },
  },
  {
    name: 'PodAffinity',
    nodes: 5000,
    initPods: 5000,
    pods: 5000,
    threshold: 35,
    labels: { color: 'blue' },
    spec: () => ({ affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: sel, topologyKey: ZONE }] } } }),
    check: (_m, all, nodes) => {
      const zones = new Set(all.map((p) => zoneOf(p, nodes)));
      return zones.size === 1 ? undefined : `pods in ${zones.size} zones, want 1`;
    },
  },
  {
    name: 'NodeAffinity',
    nodes: 5000,
    initPods: 5000,
    pods: 10000,
    threshold: 220,
    spec: () => ({
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: ZONE, operator: 'In', values: ['zone-1'] }] }] },
        },
      },
    }),
    check: (m, _all, nodes) => {
      const off = m.filter((p) => zoneOf(p, nodes) !== 'zone-1').length;
      return off === 0 ? undefined : `${off} pods outside zone-1`;
    },
  },
  {
    // PreemptionBasic/500Nodes: 4 low-priority pods (900m) fill each 4-cpu node; every high-priority pod
    // (3000m) preempts three of them. Upstream sets no threshold for it.
    name: 'PreemptionBasic',
    nodes: 500,
    initPods: 2000,
    pods: 500,
    nodeCpu: '4',
    nodeMemory: '32Gi',
    initRequests: { cpu: '900m', memory: '500Mi' },
    requests: { cpu: '3000m', memory: '500Mi' },
    priorityClasses: { 'bench-high': 10 },
    initSpec: () => ({ terminationGracePeriodSeconds: 0 }),
    spec: () => ({ priorityClassName: 'bench-high' }),
    check: (m, all) => {
      const per = new Map<string, number>();
      for (const p of all) {
        const req = p.spec?.containers[0]?.resources?.requests?.cpu as string | undefined;
        per.set(p.spec?.nodeName ?? '', (per.get(p.spec?.nodeName ?? '') ?? 0) + milliCPU(req ?? '0'));
      }
      const over = [...per.values()].filter((v) => v > 4000).length;
      const nodesOfMeasured = new Set(m.map((p) => p.spec?.nodeName));
      if (over) return `${over} nodes hold more than 4 cpu of pods`;
      return nodesOfMeasured.size === m.length ? undefined : 'two high-priority pods on one 4-cpu node';
    },
  },
];
