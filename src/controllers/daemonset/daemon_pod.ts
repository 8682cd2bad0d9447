// What a DaemonSet's pod looks like and where it may run (upstream pkg/controller/daemon/util and
// NodeShouldRunDaemonPod): the automatic DaemonSet tolerations, the template labels (revision hash and
// template generation), the required node affinity `metadata.name In [node]` that pins a pod to its node
// through the scheduler, the node a pod is meant for, and whether a node should run (or keep) the pod.
import type { DaemonSet } from '../../api/apps/v1/workload_types.js';
import { ControllerRevisionHashLabel, DaemonSetTemplateGenerationKey } from '../../api/apps/v1/workload_types.js';
import type { Affinity, Node, Pod, PodSpec, PodTemplateSpec, Toleration } from '../../api/core/v1/types.js';
import { scaledValueFromIntOrPercent } from '../../api/intstr.js';
import { podMatchesNodeSelectorAndAffinityTerms } from '../../scheduler/plugins/node_affinity.js';
import { findMatchingUntoleratedTaint } from '../../scheduler/plugins/tolerations.js';

/** The annotation the API server keeps the DaemonSet's template generation in (apps/v1 has no field for it). */
export const TemplateGenerationAnnotation = 'deprecated.daemonset.template.generation';

/** The matchFields key naming a node (upstream NodeFieldSelectorKeyNodeName). */
export const NodeNameField = 'metadata.name';

/** Tolerations every DaemonSet pod gets (upstream AddOrUpdateDaemonPodTolerations). */
export function daemonTolerations(spec: PodSpec): Toleration[] {
  const t: Toleration[] = [
    // survive taint-based eviction while the node is not ready or unreachable
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
    // and run despite the conditions a node taints itself with (TaintNodesByCondition) and cordoning
    { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
  ];
  if (spec.hostNetwork) t.push({ key: 'node.kubernetes.io/network-unavailable', operator: 'Exists', effect: 'NoSchedule' });
  return t;
}

const sameToleration = (a: Toleration, b: Toleration) =>
  (a.key ?? '') === (b.key ?? '') &&
  (a.operator ?? 'Equal') === (b.operator ?? 'Equal') &&
  (a.value ?? '') === (b.value ?? '') &&
  (a.effect ?? '') === (b.effect ?? '');

/** Adds each toleration, replacing an equal one (upstream AddOrUpdateTolerationInPodSpec). */
export function addOrUpdateTolerations(spec: PodSpec, add: Toleration[]): void {
  const out = [...(spec.tolerations ?? [])];
  for (const t of add) {
    const i = out.findIndex((o) => sameToleration(o, t));
    if (i >= 0) out[i] = t;
    else out.push(t);
  }
  spec.tolerations = out;
}

/** The template generation the API server recorded (undefined when absent or unparsable). */
export function templateGeneration(ds: DaemonSet): number | undefined {
  const v = ds.metadata.annotations?.[TemplateGenerationAnnotation];
  return v !== undefined && /^[0-9]+$/.test(v) ? Number(v) : undefined;
}

/** The template new pods are made from: the DaemonSet tolerations plus the generation and hash labels (upstream CreatePodTemplate). */
export function daemonPodTemplate(template: PodTemplateSpec, generation: number | undefined, hash: string): PodTemplateSpec {
  const t = structuredClone(template);
  t.spec ??= { containers: [] };
  addOrUpdateTolerations(t.spec, daemonTolerations(t.spec));
  const labels = { ...(t.metadata?.labels ?? {}) };
  if (generation !== undefined) labels[DaemonSetTemplateGenerationKey] = String(generation);
  if (hash) labels[ControllerRevisionHashLabel] = hash;
  t.metadata = { ...(t.metadata ?? {}), labels };
  return t;
}

/** The affinity with its required node affinity replaced by `metadata.name In [node]` (upstream ReplaceDaemonSetPodNodeNameNodeAffinity). */
export function pinToNode(affinity: Affinity | undefined, node: string): Affinity {
  const required = { nodeSelectorTerms: [{ matchFields: [{ key: NodeNameField, operator: 'In' as const, values: [node] }] }] };
  const a: Affinity = structuredClone(affinity ?? {});
  a.nodeAffinity = { ...(a.nodeAffinity ?? {}), requiredDuringSchedulingIgnoredDuringExecution: required };
  return a;
}

/** The node a daemon pod is for: spec.nodeName once bound, else its `metadata.name In [x]` affinity (upstream GetTargetNodeName). */
export function targetNodeName(pod: Pod): string | undefined {
  if (pod.spec?.nodeName) return pod.spec.nodeName;
  for (const term of pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? []) {
    for (const f of term.matchFields ?? []) {
      if (f.key === NodeNameField && f.operator === 'In') return f.values?.length === 1 ? f.values[0] : undefined;
    }
  }
  return undefined;
}

export interface NodeVerdict {
  /** A daemon pod should be created on the node when it has none. */
  shouldRun: boolean;
  /** A daemon pod already there may stay (its NoExecute taints are tolerated). */
  shouldContinueRunning: boolean;
}

/** Whether `node` should run the DaemonSet's pod (upstream NodeShouldRunDaemonPod: node name, node affinity, taints). */
export function nodeShouldRunDaemonPod(node: Node, ds: DaemonSet): NodeVerdict {
  const spec = structuredClone(ds.spec.template?.spec ?? { containers: [] });
  const name = node.metadata.name!;
  if (spec.nodeName && spec.nodeName !== name) return { shouldRun: false, shouldContinueRunning: false };
  addOrUpdateTolerations(spec, daemonTolerations(spec));
  spec.nodeName = name;
  const pod: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { namespace: ds.metadata.namespace, labels: ds.spec.template?.metadata?.labels }, spec };
  if (!podMatchesNodeSelectorAndAffinityTerms(pod, node)) return { shouldRun: false, shouldContinueRunning: false };
  const taints = node.spec?.taints ?? [];
  const blocking = findMatchingUntoleratedTaint(taints, spec.tolerations, (t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute');
  if (!blocking) return { shouldRun: true, shouldContinueRunning: true };
  const evicting = findMatchingUntoleratedTaint(taints, spec.tolerations, (t) => t.effect === 'NoExecute');
  return { shouldRun: false, shouldContinueRunning: !evicting };
}

/** A pod is at the DaemonSet's current template when its hash (or, for old pods, its template generation) matches (upstream IsPodUpdated). */
export function isPodUpdated(pod: Pod, hash: string, generation: number | undefined): boolean {
  const labels = pod.metadata.labels ?? {};
  const generationMatches = generation !== undefined && labels[DaemonSetTemplateGenerationKey] === String(generation);
  return (hash !== '' && labels[ControllerRevisionHashLabel] === hash) || generationMatches;
}

const rollingUpdateOf = (ds: DaemonSet) => (ds.spec.updateStrategy?.type === 'RollingUpdate' ? ds.spec.updateStrategy.rollingUpdate : undefined);

/** maxSurge in pods against the number of nodes that should run the pod (rounded up, as upstream SurgeCount). */
export function surgeCount(ds: DaemonSet, desired: number): number {
  const ru = rollingUpdateOf(ds);
  return ru ? scaledValueFromIntOrPercent(ru.maxSurge ?? 0, desired, true) : 0;
}

/** maxUnavailable in pods against the number of nodes that should run the pod (rounded up, as upstream UnavailableCount). */
export function unavailableCount(ds: DaemonSet, desired: number): number {
  const ru = rollingUpdateOf(ds);
  return ru ? scaledValueFromIntOrPercent(ru.maxUnavailable ?? 1, desired, true) : 0;
}

/** Surge is on when maxSurge is not zero (upstream AllowsSurge). */
export function allowsSurge(ds: DaemonSet): boolean {
  return surgeCount(ds, 1) > 0;
}

/** Scheduled before unscheduled, then oldest first, then by name (upstream podByCreationTimestampAndPhase). */
export function byCreationTimestampAndPhase(a: Pod, b: Pod): number {
  const sa = a.spec?.nodeName ? 0 : 1;
  const sb = b.spec?.nodeName ? 0 : 1;
  if (sa !== sb) return sa - sb;
  const ta = Date.parse(a.metadata.creationTimestamp ?? '') || 0;
  const tb = Date.parse(b.metadata.creationTimestamp ?? '') || 0;
  if (ta !== tb) return ta - tb;
  return (a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : (a.metadata.name ?? '') > (b.metadata.name ?? '') ? 1 : 0;
}
