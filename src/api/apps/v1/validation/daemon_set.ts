// DaemonSet validation (upstream ValidateDaemonSet/Update/Status): the shared selector/template rules, update
// strategy (maxUnavailable and maxSurge int-or-percent, not both 0), minReadySeconds, revisionHistoryLimit;
// the selector is immutable.
import { fieldErr } from '../../../errors.js';
import { nameIsDNSSubdomain } from '../../../names.js';
import { type Causes, validateNonnegative } from '../../../validation/field.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../../../validation/object_meta.js';
import type { DaemonSet, DaemonSetSpec } from '../workload_types.js';
import { canonical } from './stateful_set.js';
import { isZeroIntOrPercent, validateNotMoreThan100Percent, validatePositiveIntOrPercent, validateSelectorAndTemplate } from './workload_template.js';

export function validateDaemonSetSpec(spec: DaemonSetSpec | undefined, path = 'spec'): Causes {
  if (!spec || typeof spec !== 'object') return [fieldErr.required(path)];
  const out: Causes = [...validateSelectorAndTemplate(spec.selector, spec.template, 'daemonset', path)];
  out.push(...validateNonnegative(spec.minReadySeconds, `${path}.minReadySeconds`));
  out.push(...validateNonnegative(spec.revisionHistoryLimit, `${path}.revisionHistoryLimit`));
  const strategy = spec.updateStrategy ?? {};
  const sp = `${path}.updateStrategy`;
  if (!strategy.type) out.push(fieldErr.required(`${sp}.type`));
  else if (strategy.type !== 'OnDelete' && strategy.type !== 'RollingUpdate')
    out.push(fieldErr.notSupported(`${sp}.type`, strategy.type, ['OnDelete', 'RollingUpdate']));
  else if (strategy.type === 'RollingUpdate') {
    const ru = strategy.rollingUpdate;
    if (!ru) out.push(fieldErr.required(`${sp}.rollingUpdate`));
    else {
      const mu = `${sp}.rollingUpdate.maxUnavailable`;
      const ms = `${sp}.rollingUpdate.maxSurge`;
      out.push(...validatePositiveIntOrPercent(ru.maxUnavailable, mu), ...validateNotMoreThan100Percent(ru.maxUnavailable, mu));
      out.push(...validatePositiveIntOrPercent(ru.maxSurge, ms), ...validateNotMoreThan100Percent(ru.maxSurge, ms));
      const zeroU = ru.maxUnavailable === undefined || isZeroIntOrPercent(ru.maxUnavailable);
      const zeroS = ru.maxSurge === undefined || isZeroIntOrPercent(ru.maxSurge);
      if (zeroU && zeroS) out.push(fieldErr.invalid(mu, ru.maxUnavailable ?? 0, 'may not be 0 when `maxSurge` is 0'));
    }
  }
  return out;
}

export function validateDaemonSet(ds: DaemonSet): Causes {
  return [...validateObjectMeta(ds.metadata, true, nameIsDNSSubdomain), ...validateDaemonSetSpec(ds.spec)];
}

export function validateDaemonSetUpdate(ds: DaemonSet, old: DaemonSet): Causes {
  const out: Causes = [...validateObjectMetaUpdate(ds.metadata, old.metadata), ...validateDaemonSetSpec(ds.spec)];
  if (canonical(ds.spec?.selector ?? null) !== canonical(old.spec?.selector ?? null))
    out.push(fieldErr.invalid('spec.selector', ds.spec?.selector ?? null, 'field is immutable'));
  return out;
}

export function validateDaemonSetStatusUpdate(ds: DaemonSet, old: DaemonSet): Causes {
  const out: Causes = [...validateObjectMetaUpdate(ds.metadata, old.metadata)];
  const st = ds.status;
  if (!st) return out;
  for (const k of [
    'currentNumberScheduled',
    'numberMisscheduled',
    'desiredNumberScheduled',
    'numberReady',
    'observedGeneration',
    'updatedNumberScheduled',
    'numberAvailable',
    'numberUnavailable',
    'collisionCount',
  ] as const)
    out.push(...validateNonnegative(st[k], `status.${k}`));
  if (old.status?.collisionCount !== undefined && (st.collisionCount ?? 0) < old.status.collisionCount)
    out.push(fieldErr.invalid('status.collisionCount', st.collisionCount, 'cannot be decremented'));
  return out;
}
