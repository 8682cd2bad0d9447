// Validation of autoscaling/v2 HorizontalPodAutoscalers (upstream pkg/apis/autoscaling/validation): the
// scale target, replica bounds, metric specs and targets, and behavior rules; messages as upstream's.
import { fieldErr } from '../errors.js';
import { isValidPathSegmentName, nameIsDNSSubdomain } from '../names.js';
import { tryParseQuantity } from '../quantity.js';
import type { Causes } from '../validation/field.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../validation/object_meta.js';
import type { CrossVersionObjectReference, HorizontalPodAutoscaler, HPAScalingRules, MetricSpec, MetricTarget } from './types.js';

const METRIC_SOURCE_TYPES = ['ContainerResource', 'External', 'Object', 'Pods', 'Resource'];
const SOURCE_FIELD: Record<string, keyof MetricSpec> = {
  Object: 'object',
  Pods: 'pods',
  Resource: 'resource',
  ContainerResource: 'containerResource',
  External: 'external',
};
const MAX_PERIOD_SECONDS = 1800;
const MAX_STABILIZATION_WINDOW_SECONDS = 3600;

export function validateScaleTargetRef(ref: CrossVersionObjectReference | undefined, field: string): Causes {
  const out: Causes = [];
  if (!ref?.kind) out.push(fieldErr.required(`${field}.kind`));
  else for (const m of isValidPathSegmentName(ref.kind)) out.push(fieldErr.invalid(`${field}.kind`, ref.kind, m));
  if (!ref?.name) out.push(fieldErr.required(`${field}.name`));
  else for (const m of isValidPathSegmentName(ref.name)) out.push(fieldErr.invalid(`${field}.name`, ref.name, m));
  return out;
}

function validateQuantity(v: string | undefined, field: string): Causes {
  if (v === undefined) return [];
  const q = tryParseQuantity(v);
  if (!q) return [fieldErr.invalid(field, v, 'must be a quantity')];
  return q.sign() < 0 ? [fieldErr.invalid(field, v, 'must be positive')] : [];
}

function validateMetricTarget(t: MetricTarget | undefined, field: string): Causes {
  const out: Causes = [];
  if (!t?.type) return [fieldErr.required(`${field}.type`, 'must specify a metric target type')];
  if (!['Utilization', 'Value', 'AverageValue'].includes(t.type))
    out.push(fieldErr.notSupported(`${field}.type`, t.type, ['AverageValue', 'Utilization', 'Value']));
  out.push(...validateQuantity(t.value, `${field}.value`), ...validateQuantity(t.averageValue, `${field}.averageValue`));
  if (t.averageUtilization !== undefined && t.averageUtilization < 1)
    out.push(fieldErr.invalid(`${field}.averageUtilization`, t.averageUtilization, 'must be greater than 0'));
  return out;
}

function validateResourceTarget(t: MetricTarget | undefined, field: string): Causes {
  const out = validateMetricTarget(t, field);
  if (t && t.averageValue === undefined && t.averageUtilization === undefined) {
    out.push(fieldErr.required(`${field}.averageUtilization`, 'must set either a target raw value or a target utilization'));
  }
  if (t && t.averageValue !== undefined && t.averageUtilization !== undefined) {
    out.push(fieldErr.forbidden(`${field}.averageValue`, 'may not set both a target raw value and a target utilization'));
  }
  return out;
}

function validateMetricSpec(m: MetricSpec, field: string): Causes {
  if (!m.type) return [fieldErr.required(`${field}.type`, 'must specify a metric source type')];
  if (!METRIC_SOURCE_TYPES.includes(m.type)) return [fieldErr.notSupported(`${field}.type`, m.type, METRIC_SOURCE_TYPES)];
  const out: Causes = [];
  const own = SOURCE_FIELD[m.type];
  for (const [t, f] of Object.entries(SOURCE_FIELD)) {
    if (t !== m.type && m[f] !== undefined) out.push(fieldErr.forbidden(`${field}.${f}`, 'must populate the given metric source only'));
  }
  if (m[own] === undefined) return [...out, fieldErr.required(`${field}.${own}`, 'must populate information for the given metric source')];
  switch (m.type) {
    case 'Resource':
      if (!m.resource!.name) out.push(fieldErr.required(`${field}.resource.name`, 'must specify a resource name'));
      out.push(...validateResourceTarget(m.resource!.target, `${field}.resource.target`));
      break;
    case 'ContainerResource':
      if (!m.containerResource!.name) out.push(fieldErr.required(`${field}.containerResource.name`, 'must specify a resource name'));
      if (!m.containerResource!.container) out.push(fieldErr.required(`${field}.containerResource.container`, 'must specify a container'));
      out.push(...validateResourceTarget(m.containerResource!.target, `${field}.containerResource.target`));
      break;
    case 'Pods':
    case 'External':
    case 'Object': {
      const src = m[own] as { metric?: { name?: string }; target?: MetricTarget; describedObject?: CrossVersionObjectReference };
      if (!src.metric?.name) out.push(fieldErr.required(`${field}.${own}.metric.name`, 'must specify a metric name'));
      if (m.type === 'Object') out.push(...validateScaleTargetRef(src.describedObject, `${field}.object.describedObject`));
      out.push(...validateMetricTarget(src.target, `${field}.${own}.target`));
      break;
    }
  }
  return out;
}

function validateScalingRules(r: HPAScalingRules | undefined, field: string): Causes {
  if (!r) return [];
  const out: Causes = [];
  const w = r.stabilizationWindowSeconds;
  if (w !== undefined && w < 0) out.push(fieldErr.invalid(`${field}.stabilizationWindowSeconds`, w, 'must be greater than or equal to zero'));
  if (w !== undefined && w > MAX_STABILIZATION_WINDOW_SECONDS) {
    out.push(fieldErr.invalid(`${field}.stabilizationWindowSeconds`, w, `must be less than or equal to ${MAX_STABILIZATION_WINDOW_SECONDS}`));
  }
  if (r.selectPolicy !== undefined && !['Max', 'Min', 'Disabled'].includes(r.selectPolicy)) {
    out.push(fieldErr.notSupported(`${field}.selectPolicy`, r.selectPolicy, ['Disabled', 'Max', 'Min']));
  }
  if (!r.policies?.length) out.push(fieldErr.required(`${field}.policies`, 'must specify at least one Policy'));
  (r.policies ?? []).forEach((p, i) => {
    const f = `${field}.policies[${i}]`;
    if (p.type !== 'Pods' && p.type !== 'Percent') out.push(fieldErr.notSupported(`${f}.type`, p.type, ['Percent', 'Pods']));
    if (!(p.periodSeconds > 0)) out.push(fieldErr.invalid(`${f}.periodSeconds`, p.periodSeconds, 'must be greater than zero'));
    else if (p.periodSeconds > MAX_PERIOD_SECONDS)
      out.push(fieldErr.invalid(`${f}.periodSeconds`, p.periodSeconds, `must be less than or equal to ${MAX_PERIOD_SECONDS}`));
    if (!(p.value > 0)) out.push(fieldErr.invalid(`${f}.value`, p.value, 'must be greater than zero'));
  });
  if (r.tolerance !== undefined) out.push(...validateQuantity(r.tolerance, `${field}.tolerance`));
  return out;
}

export function validateHorizontalPodAutoscaler(hpa: HorizontalPodAutoscaler): Causes {
  const out = validateObjectMeta(hpa.metadata, true, nameIsDNSSubdomain);
  const spec = hpa.spec;
  if (!spec) return [...out, fieldErr.required('spec')];
  out.push(...validateScaleTargetRef(spec.scaleTargetRef, 'spec.scaleTargetRef'));
  if (spec.minReplicas !== undefined && spec.minReplicas < 1)
    out.push(fieldErr.invalid('spec.minReplicas', spec.minReplicas, 'must be greater than or equal to 1'));
  if (!(spec.maxReplicas >= 1)) out.push(fieldErr.invalid('spec.maxReplicas', spec.maxReplicas ?? 0, 'must be greater than 0'));
  else if (spec.minReplicas !== undefined && spec.maxReplicas < spec.minReplicas) {
    out.push(fieldErr.invalid('spec.maxReplicas', spec.maxReplicas, 'must be greater than or equal to `minReplicas`'));
  }
  (spec.metrics ?? []).forEach((m, i) => out.push(...validateMetricSpec(m, `spec.metrics[${i}]`)));
  if (spec.behavior) {
    out.push(
      ...validateScalingRules(spec.behavior.scaleUp, 'spec.behavior.scaleUp'),
      ...validateScalingRules(spec.behavior.scaleDown, 'spec.behavior.scaleDown'),
    );
  }
  return out;
}

export function validateHorizontalPodAutoscalerUpdate(hpa: HorizontalPodAutoscaler, old: HorizontalPodAutoscaler): Causes {
  return [...validateObjectMetaUpdate(hpa.metadata, old.metadata), ...validateHorizontalPodAutoscaler(hpa).filter((c) => !c.field?.startsWith('metadata.'))];
}

export function validateHorizontalPodAutoscalerStatus(hpa: HorizontalPodAutoscaler): Causes {
  const out: Causes = [];
  const s = hpa.status;
  if (s?.currentReplicas !== undefined && s.currentReplicas < 0)
    out.push(fieldErr.invalid('status.currentReplicas', s.currentReplicas, 'must be greater than or equal to 0'));
  if (s?.desiredReplicas !== undefined && s.desiredReplicas < 0)
    out.push(fieldErr.invalid('status.desiredReplicas', s.desiredReplicas, 'must be greater than or equal to 0'));
  return out;
}
