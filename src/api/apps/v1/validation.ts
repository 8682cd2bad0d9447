// Validation of the replicated workloads as upstream (pkg/apis/apps/validation): selector
// required and matching the template's labels (immutable in apps/v1), replicas and durations non-negative,
// the template a valid pod spec with restartPolicy Always (core/v1/validation/pod_template.ts), and the
// Deployment's strategy.
import { fieldErr } from '../../errors.js';
import { labelSelectorAsSelector, Selector, validateLabelSelector, type LabelSelector } from '../../labels.js';
import { nameIsDNSSubdomain } from '../../names.js';
import { isPercent, scaledValueFromIntOrPercent } from '../../intstr.js';
import { type Causes, validateNonnegative } from '../../validation/field.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../../validation/object_meta.js';
import { validatePodTemplateForReplicas } from '../../core/v1/validation/pod_template.js';
import { validateReplicaCounts } from '../../core/v1/validation/replica_counts.js';
import type { IntOrString } from '../../core/v1/types.js';
import type { Deployment, DeploymentStrategy, ReplicaSet } from './types.js';

const PERCENT_MSG = "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')";

/** Selector checks shared by ReplicaSet, Deployment (and the other apps/v1 kinds): required, valid, not empty. */
export function validateWorkloadSelector(ls: LabelSelector | undefined, field: string): { causes: Causes; selector: Selector } {
  if (!ls || typeof ls !== 'object') return { causes: [fieldErr.required(field)], selector: Selector.nothing() };
  const causes: Causes = validateLabelSelector(ls, field).map((e) => ({ reason: e.reason, field: e.field, message: fmt(e) }));
  let selector: Selector = Selector.nothing();
  try {
    selector = labelSelectorAsSelector(ls);
  } catch (e) {
    causes.push(fieldErr.invalid(field, ls, (e as Error).message));
  }
  if (causes.length === 0 && selector.empty()) causes.push(fieldErr.invalid(field, ls, 'empty selector is invalid for deployment'));
  return { causes, selector };
}

function fmt(e: { reason: string; value: unknown; message: string }): string {
  if (e.reason === 'FieldValueRequired') return `Required value: ${e.message}`;
  if (e.reason === 'FieldValueForbidden') return `Forbidden: ${e.message}`;
  return `Invalid value: ${JSON.stringify(e.value)}: ${e.message}`;
}

export function validateReplicaSet(rs: ReplicaSet): Causes {
  const spec = rs.spec ?? {};
  const sel = validateWorkloadSelector(spec.selector, 'spec.selector');
  return [
    ...validateObjectMeta(rs.metadata, true, nameIsDNSSubdomain),
    ...validateNonnegative(spec.replicas, 'spec.replicas'),
    ...validateNonnegative(spec.minReadySeconds, 'spec.minReadySeconds'),
    ...sel.causes,
    ...validatePodTemplateForReplicas(spec.template, sel.selector, 'spec.template'),
  ];
}

function immutableSelector(n: LabelSelector | undefined, o: LabelSelector | undefined, field: string): Causes {
  return JSON.stringify(canonical(n)) === JSON.stringify(canonical(o)) ? [] : [fieldErr.invalid(field, n ?? null, 'field is immutable')];
}

function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
    );
  return v;
}

export function validateReplicaSetUpdate(rs: ReplicaSet, old: ReplicaSet): Causes {
  return [...validateObjectMetaUpdate(rs.metadata, old.metadata), ...immutableSelector(rs.spec?.selector, old.spec?.selector, 'spec.selector')];
}

export function validateReplicaSetStatusUpdate(rs: ReplicaSet, old: ReplicaSet): Causes {
  return [...validateObjectMetaUpdate(rs.metadata, old.metadata), ...validateReplicaCounts(rs.status)];
}

/** maxSurge / maxUnavailable: a non-negative integer or a percentage (upstream ValidatePositiveIntOrPercent). */
export function validateIntOrPercent(v: IntOrString | undefined, field: string): Causes {
  if (v === undefined || v === null) return [];
  if (typeof v === 'string') return isPercent(v) ? [] : [fieldErr.invalid(field, v, PERCENT_MSG)];
  if (typeof v === 'number') return validateNonnegative(v, field);
  return [fieldErr.invalid(field, v, "must be an integer or percentage (e.g '5%')")];
}

export function notMoreThan100Percent(v: IntOrString | undefined, field: string): Causes {
  if (!isPercent(v)) return [];
  return Number(v.slice(0, -1)) > 100 ? [fieldErr.invalid(field, v, 'must not be greater than 100%')] : [];
}

function validateDeploymentStrategy(s: DeploymentStrategy | undefined, field: string): Causes {
  const out: Causes = [];
  const type = s?.type;
  switch (type) {
    case 'Recreate':
      if (s?.rollingUpdate) out.push(fieldErr.forbidden(`${field}.rollingUpdate`, "may not be specified when strategy `type` is 'Recreate'"));
      break;
    case 'RollingUpdate': {
      const ru = s?.rollingUpdate;
      if (!ru) {
        out.push(fieldErr.required(`${field}.rollingUpdate`, 'this should be defaulted and never be nil'));
        break;
      }
      const p = `${field}.rollingUpdate`;
      out.push(...validateIntOrPercent(ru.maxUnavailable, `${p}.maxUnavailable`), ...validateIntOrPercent(ru.maxSurge, `${p}.maxSurge`));
      if (out.length) break;
      // both zero (as numbers or percentages) would make no progress
      if (scaledValueFromIntOrPercent(ru.maxSurge, 100, true) === 0 && scaledValueFromIntOrPercent(ru.maxUnavailable, 100, true) === 0)
        out.push(fieldErr.invalid(`${p}.maxUnavailable`, ru.maxUnavailable, 'may not be 0 when `maxSurge` is 0'));
      out.push(...notMoreThan100Percent(ru.maxUnavailable, `${p}.maxUnavailable`));
      break;
    }
    default:
      out.push(type ? fieldErr.notSupported(`${field}.type`, type, ['Recreate', 'RollingUpdate']) : fieldErr.required(`${field}.type`));
  }
  return out;
}

export function validateDeployment(d: Deployment): Causes {
  const spec = d.spec ?? {};
  const sel = validateWorkloadSelector(spec.selector, 'spec.selector');
  const out: Causes = [
    ...validateObjectMeta(d.metadata, true, nameIsDNSSubdomain),
    ...validateNonnegative(spec.replicas, 'spec.replicas'),
    ...sel.causes,
    ...validatePodTemplateForReplicas(spec.template, sel.selector, 'spec.template'),
    ...validateDeploymentStrategy(spec.strategy, 'spec.strategy'),
    ...validateNonnegative(spec.minReadySeconds, 'spec.minReadySeconds'),
    ...validateNonnegative(spec.revisionHistoryLimit, 'spec.revisionHistoryLimit'),
  ];
  const pds = spec.progressDeadlineSeconds;
  if (pds !== undefined && pds !== null) {
    const c = validateNonnegative(pds, 'spec.progressDeadlineSeconds');
    out.push(...c);
    if (!c.length && pds <= (spec.minReadySeconds ?? 0))
      out.push(fieldErr.invalid('spec.progressDeadlineSeconds', pds, 'must be greater than minReadySeconds'));
  }
  return out;
}

export function validateDeploymentUpdate(d: Deployment, old: Deployment): Causes {
  return [...validateObjectMetaUpdate(d.metadata, old.metadata), ...immutableSelector(d.spec?.selector, old.spec?.selector, 'spec.selector')];
}

export function validateDeploymentStatusUpdate(d: Deployment, old: Deployment): Causes {
  return [...validateObjectMetaUpdate(d.metadata, old.metadata), ...validateReplicaCounts(d.status)];
}
