// HorizontalPodAutoscaler printer (upstream printHorizontalPodAutoscaler): NAME, REFERENCE, TARGETS, MINPODS,
// MAXPODS, REPLICAS, AGE; TARGETS as "cpu: 12%/50%" (at most two metrics, then "+ N more...").
import type { KubeObject } from '../../api/types.js';
import type { HorizontalPodAutoscaler, HorizontalPodAutoscalerV1, MetricSpec, MetricStatus, MetricValueStatus } from '../../api/autoscaling/types.js';
import { hpaV1ToV2 } from '../../api/autoscaling/conversion.js';
import { canonicalQuantity } from '../../api/quantity.js';
import { ageColumn, column, nameColumn } from './columns.js';
import { translateTimestampSince } from './duration.js';
import type { Printer } from './types.js';

const UNKNOWN = '<unknown>';
const q = (v: string | undefined) => {
  if (v === undefined) return '0';
  try {
    return canonicalQuantity(v);
  } catch {
    return v;
  }
};
const pct = (c: MetricValueStatus | undefined) => (c?.averageUtilization !== undefined ? `${c.averageUtilization}%` : UNKNOWN);

function formatMetric(spec: MetricSpec, status: MetricStatus | undefined): string {
  switch (spec.type) {
    case 'External':
    case 'Object': {
      const src = spec.type === 'External' ? spec.external : spec.object;
      const cur = (spec.type === 'External' ? status?.external : status?.object)?.current;
      if (src?.target.averageValue !== undefined)
        return `${cur?.averageValue !== undefined ? q(cur.averageValue) : UNKNOWN}/${q(src.target.averageValue)} (avg)`;
      return `${cur ? q(cur.value) : UNKNOWN}/${q(src?.target.value)}`;
    }
    case 'Pods':
      return `${status?.pods ? q(status.pods.current.averageValue) : UNKNOWN}/${q(spec.pods?.target.averageValue)}`;
    case 'Resource':
    case 'ContainerResource': {
      const src = spec.type === 'Resource' ? spec.resource : spec.containerResource;
      const cur = spec.type === 'Resource' ? status?.resource : status?.containerResource;
      const name = src?.name ?? '';
      if (src?.target.averageValue !== undefined) return `${name}: ${cur ? q(cur.current.averageValue) : UNKNOWN}/${q(src.target.averageValue)}`;
      const target = src?.target.averageUtilization !== undefined ? `${src.target.averageUtilization}%` : '<auto>';
      return `${name}: ${pct(cur?.current)}/${target}`;
    }
  }
  return '<unknown type>';
}

export function formatHPAMetrics(specs: MetricSpec[] | undefined, statuses: MetricStatus[] | undefined): string {
  if (!specs?.length) return '<none>';
  const list = specs.map((s, i) => formatMetric(s, statuses?.[i]));
  const max = 2;
  if (list.length > max) return `${list.slice(0, max).join(', ')} + ${list.length - max} more...`;
  return list.join(', ');
}

const asV2 = (o: KubeObject): HorizontalPodAutoscaler =>
  o.apiVersion === 'autoscaling/v1' ? hpaV1ToV2(o as HorizontalPodAutoscalerV1) : (o as HorizontalPodAutoscaler);

export const horizontalPodAutoscalerPrinter: Printer = {
  columns: [
    nameColumn,
    column(
      'Reference',
      'string',
      'scaleTargetRef points to the target resource to scale, and is used to the pods for which metrics should be collected, as well as to actually change the replica count.',
    ),
    column(
      'Targets',
      'string',
      'metrics contains the specifications for which to use to calculate the desired replica count (the maximum replica count across all metrics will be used).',
    ),
    column('MinPods', 'string', 'minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down.'),
    column('MaxPods', 'integer', 'maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up.'),
    column('Replicas', 'integer', 'currentReplicas is current number of replicas of pods managed by this autoscaler, as last seen by the autoscaler.'),
    ageColumn,
  ],
  cells: (obj, now) => {
    const h = asV2(obj);
    const ref = h.spec?.scaleTargetRef;
    return [
      h.metadata.name ?? '',
      `${ref?.kind ?? ''}/${ref?.name ?? ''}`,
      formatHPAMetrics(h.spec?.metrics, h.status?.currentMetrics),
      h.spec?.minReplicas !== undefined ? String(h.spec.minReplicas) : '<unset>',
      h.spec?.maxReplicas ?? 0,
      h.status?.currentReplicas ?? 0,
      translateTimestampSince(h.metadata.creationTimestamp, now),
    ];
  },
};
