// Conversion between autoscaling/v2 (stored) and autoscaling/v1 HorizontalPodAutoscalers, as upstream's
// v1 conversion does it: v1 keeps the CPU utilization target in spec.targetCPUUtilizationPercentage and
// carries every other metric, current metric, condition and the behavior in alpha annotations.
import type { ObjectMeta } from '../types.js';
import type { HorizontalPodAutoscaler, HorizontalPodAutoscalerV1, MetricSpec, MetricStatus, MetricTarget } from './types.js';

export const METRIC_SPECS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/metrics';
export const METRIC_STATUSES_ANNOTATION = 'autoscaling.alpha.kubernetes.io/current-metrics';
export const CONDITIONS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/conditions';
export const BEHAVIOR_ANNOTATION = 'autoscaling.alpha.kubernetes.io/behavior';
const V1_ANNOTATIONS = [METRIC_SPECS_ANNOTATION, METRIC_STATUSES_ANNOTATION, CONDITIONS_ANNOTATION, BEHAVIOR_ANNOTATION];

type Dict = Record<string, unknown>;

const isCpuUtilization = (m: MetricSpec) => m.type === 'Resource' && m.resource?.name === 'cpu' && m.resource.target?.type === 'Utilization';

/** A v2 metric in autoscaling/v1's annotation shape (upstream's autoscalingv1.MetricSpec: target* fields). */
function metricToV1(m: MetricSpec): Dict {
  const t = (x: MetricTarget | undefined) => x ?? ({} as MetricTarget);
  switch (m.type) {
    case 'Resource':
      return {
        type: m.type,
        resource: {
          name: m.resource?.name,
          targetAverageUtilization: t(m.resource?.target).averageUtilization,
          targetAverageValue: t(m.resource?.target).averageValue,
        },
      };
    case 'ContainerResource': {
      const c = m.containerResource;
      return {
        type: m.type,
        containerResource: {
          name: c?.name,
          container: c?.container,
          targetAverageUtilization: t(c?.target).averageUtilization,
          targetAverageValue: t(c?.target).averageValue,
        },
      };
    }
    case 'Pods':
      return { type: m.type, pods: { metricName: m.pods?.metric.name, selector: m.pods?.metric.selector, targetAverageValue: t(m.pods?.target).averageValue } };
    case 'Object': {
      const o = m.object;
      return {
        type: m.type,
        object: {
          target: o?.describedObject,
          metricName: o?.metric.name,
          selector: o?.metric.selector,
          targetValue: t(o?.target).value,
          averageValue: t(o?.target).averageValue,
        },
      };
    }
    case 'External': {
      const e = m.external;
      return {
        type: m.type,
        external: {
          metricName: e?.metric.name,
          metricSelector: e?.metric.selector,
          targetValue: t(e?.target).value,
          targetAverageValue: t(e?.target).averageValue,
        },
      };
    }
  }
  return { type: m.type };
}

function metricFromV1(d: Dict): MetricSpec | undefined {
  const type = d.type as MetricSpec['type'];
  const target = (util: unknown, avg: unknown, value?: unknown): MetricTarget =>
    util !== undefined
      ? { type: 'Utilization', averageUtilization: util as number }
      : value !== undefined
        ? { type: 'Value', value: value as string }
        : { type: 'AverageValue', averageValue: avg as string };
  const src = (d[type === 'ContainerResource' ? 'containerResource' : String(type ?? '').toLowerCase()] ?? {}) as Dict;
  switch (type) {
    case 'Resource':
      return { type, resource: { name: src.name as string, target: target(src.targetAverageUtilization, src.targetAverageValue) } };
    case 'ContainerResource':
      return {
        type,
        containerResource: {
          name: src.name as string,
          container: src.container as string,
          target: target(src.targetAverageUtilization, src.targetAverageValue),
        },
      };
    case 'Pods':
      return { type, pods: { metric: { name: src.metricName as string, selector: src.selector as never }, target: target(undefined, src.targetAverageValue) } };
    case 'Object':
      return {
        type,
        object: {
          describedObject: src.target as never,
          metric: { name: src.metricName as string, selector: src.selector as never },
          target: target(undefined, src.averageValue, src.averageValue === undefined ? src.targetValue : undefined),
        },
      };
    case 'External':
      return {
        type,
        external: {
          metric: { name: src.metricName as string, selector: src.metricSelector as never },
          target: target(undefined, src.targetAverageValue, src.targetAverageValue === undefined ? src.targetValue : undefined),
        },
      };
  }
  return undefined;
}

function statusToV1(m: MetricStatus): Dict {
  const c = (m.resource ?? m.containerResource)?.current;
  if (m.type === 'Resource')
    return { type: m.type, resource: { name: m.resource?.name, currentAverageUtilization: c?.averageUtilization, currentAverageValue: c?.averageValue } };
  if (m.type === 'ContainerResource') {
    return {
      type: m.type,
      containerResource: {
        name: m.containerResource?.name,
        container: m.containerResource?.container,
        currentAverageUtilization: c?.averageUtilization,
        currentAverageValue: c?.averageValue,
      },
    };
  }
  return { type: m.type };
}

function statusFromV1(d: Dict): MetricStatus | undefined {
  const r = (d.resource ?? d.containerResource) as Dict | undefined;
  if (!r) return undefined;
  const current = { averageUtilization: r.currentAverageUtilization as number | undefined, averageValue: r.currentAverageValue as string | undefined };
  if (d.type === 'Resource') return { type: 'Resource', resource: { name: r.name as string, current } };
  if (d.type === 'ContainerResource')
    return { type: 'ContainerResource', containerResource: { name: r.name as string, container: r.container as string, current } };
  return undefined;
}

function parse(v: string | undefined): unknown {
  if (v === undefined) return undefined;
  try {
    return JSON.parse(v);
  } catch {
    return undefined;
  }
}

const clean = <T extends Dict>(o: T): T => JSON.parse(JSON.stringify(o)) as T;

export function hpaV2ToV1(h: HorizontalPodAutoscaler): HorizontalPodAutoscalerV1 {
  const meta: ObjectMeta = structuredClone(h.metadata);
  const ann: Record<string, string> = { ...(meta.annotations ?? {}) };
  const metrics = h.spec?.metrics ?? [];
  const cpu = metrics.find(isCpuUtilization);
  const others = metrics.filter((m) => m !== cpu);
  if (others.length) ann[METRIC_SPECS_ANNOTATION] = JSON.stringify(others.map(metricToV1).map(clean));
  if (h.spec?.behavior) ann[BEHAVIOR_ANNOTATION] = JSON.stringify(h.spec.behavior);
  const cur = h.status?.currentMetrics ?? [];
  const cpuCur = cur.find((m) => m.type === 'Resource' && m.resource?.name === 'cpu');
  const otherCur = cur.filter((m) => m !== cpuCur);
  if (otherCur.length) ann[METRIC_STATUSES_ANNOTATION] = JSON.stringify(otherCur.map(statusToV1).map(clean));
  if (h.status?.conditions?.length) ann[CONDITIONS_ANNOTATION] = JSON.stringify(h.status.conditions);
  if (Object.keys(ann).length) meta.annotations = ann;
  const out: HorizontalPodAutoscalerV1 = {
    apiVersion: 'autoscaling/v1',
    kind: 'HorizontalPodAutoscaler',
    metadata: meta,
    spec: { scaleTargetRef: h.spec?.scaleTargetRef, minReplicas: h.spec?.minReplicas, maxReplicas: h.spec?.maxReplicas },
  };
  if (cpu) out.spec.targetCPUUtilizationPercentage = cpu.resource!.target.averageUtilization;
  if (h.status) {
    out.status = {
      observedGeneration: h.status.observedGeneration,
      lastScaleTime: h.status.lastScaleTime,
      currentReplicas: h.status.currentReplicas ?? 0,
      desiredReplicas: h.status.desiredReplicas ?? 0,
    };
    const u = cpuCur?.resource?.current.averageUtilization;
    if (u !== undefined) out.status.currentCPUUtilizationPercentage = u;
  }
  return clean(out);
}

export function hpaV1ToV2(h: HorizontalPodAutoscalerV1): HorizontalPodAutoscaler {
  const meta: ObjectMeta = structuredClone(h.metadata ?? {});
  const ann = meta.annotations ?? {};
  const metrics: MetricSpec[] = [];
  const spec = h.spec ?? ({} as HorizontalPodAutoscalerV1['spec']);
  if (spec.targetCPUUtilizationPercentage !== undefined && spec.targetCPUUtilizationPercentage !== null) {
    metrics.push({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: spec.targetCPUUtilizationPercentage } } });
  }
  const extra = parse(ann[METRIC_SPECS_ANNOTATION]);
  if (Array.isArray(extra))
    for (const m of extra) if (m && typeof m === 'object') metrics.push(...[metricFromV1(m as Dict)].filter((x): x is MetricSpec => !!x));
  const out: HorizontalPodAutoscaler = {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: meta,
    spec: { scaleTargetRef: spec.scaleTargetRef, minReplicas: spec.minReplicas, maxReplicas: spec.maxReplicas },
  };
  if (metrics.length) out.spec.metrics = metrics;
  const behavior = parse(ann[BEHAVIOR_ANNOTATION]);
  if (behavior && typeof behavior === 'object') out.spec.behavior = behavior as HorizontalPodAutoscaler['spec']['behavior'];
  if (h.status) {
    out.status = {
      observedGeneration: h.status.observedGeneration,
      lastScaleTime: h.status.lastScaleTime,
      currentReplicas: h.status.currentReplicas,
      desiredReplicas: h.status.desiredReplicas ?? 0,
    };
    const cur: MetricStatus[] = [];
    if (h.status.currentCPUUtilizationPercentage !== undefined) {
      cur.push({ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: h.status.currentCPUUtilizationPercentage } } });
    }
    const extraCur = parse(ann[METRIC_STATUSES_ANNOTATION]);
    if (Array.isArray(extraCur))
      for (const m of extraCur) if (m && typeof m === 'object') cur.push(...[statusFromV1(m as Dict)].filter((x): x is MetricStatus => !!x));
    if (cur.length) out.status.currentMetrics = cur;
    const conds = parse(ann[CONDITIONS_ANNOTATION]);
    if (Array.isArray(conds)) out.status.conditions = conds as never;
  }
  for (const k of V1_ANNOTATIONS) delete ann[k];
  if (meta.annotations && !Object.keys(meta.annotations).length) delete meta.annotations;
  return clean(out);
}
