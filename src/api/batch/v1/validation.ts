// batch/v1 validation (upstream pkg/apis/batch/validation): Job spec (counts, completion mode, pod failure
// and success policies, backoff per index, the generated selector, restart policy), Job update
// immutability, and CronJob (schedule, time zone, concurrency policy, history limits, job template).
import { fieldErr } from '../../errors.js';
import { labelSelectorMatches, validateLabelSelector } from '../../labels.js';
import { isQualifiedName, nameIsDNSSubdomain } from '../../names.js';
import type { StatusCause } from '../../types.js';
import { type Causes, validateLabels, validateNonnegative, validatePositive } from '../../validation/field.js';
import { validateAnnotations, validateObjectMeta, validateObjectMetaUpdate } from '../../validation/object_meta.js';
import { validatePodSpec } from '../../core/v1/validation/pod_spec.js';
import { hasInlineTimeZone, parseSchedule, timeZoneError } from './cron.js';
import { parseIndexes } from './indexes.js';
import { JobLabels, type CronJob, type Job, type JobSpec, type JobStatus, type PodFailurePolicy, type SuccessPolicy } from './types.js';

const MAX_PARALLELISM_FOR_INDEXED = 100_000;
const MAX_COMPLETIONS_FOR_INDEXED_PER_INDEX = 100_000;
const MAX_RULES = 20;
const MAX_EXIT_CODES = 255;
const MAX_POD_CONDITIONS = 20;
const MAX_CRONJOB_NAME = 52;
const completionModes = ['NonIndexed', 'Indexed'];
const replacementPolicies = ['TerminatingOrFailed', 'Failed'];
const ruleActions = ['FailJob', 'FailIndex', 'Ignore', 'Count'];
const concurrencyPolicies = ['Allow', 'Forbid', 'Replace'];

const isSet = (v: unknown): boolean => v !== undefined && v !== null;

function selectorCauses(sel: JobSpec['selector'], path: string): Causes {
  return validateLabelSelector(sel, path).map(
    (e) =>
      ({
        reason: e.reason,
        field: e.field,
        message: e.reason === 'FieldValueInvalid' ? `Invalid value: ${JSON.stringify(e.value)}: ${e.message}` : e.message,
      }) as StatusCause,
  );
}

function validatePodFailurePolicy(spec: JobSpec, path: string): Causes {
  const out: Causes = [];
  const pfp: PodFailurePolicy = spec.podFailurePolicy!;
  const rules = Array.isArray(pfp.rules) ? pfp.rules : [];
  if (rules.length > MAX_RULES)
    out.push({ reason: 'FieldValueTooMany', field: `${path}.rules`, message: `Too many: ${rules.length}: must have at most ${MAX_RULES} items` });
  rules.forEach((rule, i) => {
    const p = `${path}.rules[${i}]`;
    if (!rule.action) out.push(fieldErr.required(`${p}.action`));
    else if (!ruleActions.includes(rule.action)) out.push(fieldErr.notSupported(`${p}.action`, rule.action, ruleActions));
    else if (rule.action === 'FailIndex' && !isSet(spec.backoffLimitPerIndex))
      out.push(fieldErr.forbidden(`${p}.action`, 'requires the backoffLimitPerIndex to be set'));
    const byCodes = isSet(rule.onExitCodes);
    const byConds = isSet(rule.onPodConditions);
    if (byCodes && byConds) out.push(fieldErr.invalid(p, '', 'specifying both OnExitCodes and OnPodConditions is not supported'));
    else if (!byCodes && !byConds) out.push(fieldErr.invalid(p, '', 'specifying one of OnExitCodes and OnPodConditions is required'));
    if (byCodes) {
      const r = rule.onExitCodes!;
      const cp = `${p}.onExitCodes`;
      if (r.operator !== 'In' && r.operator !== 'NotIn') out.push(fieldErr.notSupported(`${cp}.operator`, r.operator ?? '', ['In', 'NotIn']));
      const values = Array.isArray(r.values) ? r.values : [];
      if (values.length === 0) out.push(fieldErr.invalid(`${cp}.values`, values, 'at least one value is required'));
      if (values.length > MAX_EXIT_CODES)
        out.push({ reason: 'FieldValueTooMany', field: `${cp}.values`, message: `Too many: ${values.length}: must have at most ${MAX_EXIT_CODES} items` });
      values.forEach((v, j) => {
        if (r.operator === 'In' && v === 0) out.push(fieldErr.invalid(`${cp}.values[${j}]`, v, 'must not be 0 for the In operator'));
        if (j > 0 && v === values[j - 1]) out.push(fieldErr.duplicate(`${cp}.values[${j}]`, v));
        else if (j > 0 && v < values[j - 1]!) out.push(fieldErr.invalid(`${cp}.values[${j}]`, v, 'must be ordered'));
      });
      if (isSet(r.containerName)) {
        const names = new Set([...(spec.template?.spec?.containers ?? []), ...(spec.template?.spec?.initContainers ?? [])].map((c) => c.name));
        if (!names.has(r.containerName!))
          out.push(fieldErr.invalid(`${cp}.containerName`, r.containerName, 'must be one of the container or initContainer names in the pod template'));
      }
    }
    if (byConds) {
      const conds = Array.isArray(rule.onPodConditions) ? rule.onPodConditions : [];
      const cp = `${p}.onPodConditions`;
      if (conds.length > MAX_POD_CONDITIONS)
        out.push({ reason: 'FieldValueTooMany', field: cp, message: `Too many: ${conds.length}: must have at most ${MAX_POD_CONDITIONS} items` });
      conds.forEach((c, j) => {
        for (const m of isQualifiedName(c.type ?? '')) out.push(fieldErr.invalid(`${cp}[${j}].type`, c.type ?? '', m));
        if (!['True', 'False', 'Unknown'].includes(c.status ?? ''))
          out.push(fieldErr.notSupported(`${cp}[${j}].status`, c.status ?? '', ['True', 'False', 'Unknown']));
      });
    }
  });
  return out;
}

function validateSuccessPolicy(spec: JobSpec, path: string): Causes {
  const out: Causes = [];
  const sp: SuccessPolicy = spec.successPolicy!;
  if (spec.completionMode !== 'Indexed') out.push(fieldErr.invalid(path, sp, 'requires indexed completion mode'));
  const rules = Array.isArray(sp.rules) ? sp.rules : [];
  if (rules.length === 0) out.push(fieldErr.required(`${path}.rules`, 'at least one rule must be specified when the successPolicy is specified'));
  if (rules.length > MAX_RULES)
    out.push({ reason: 'FieldValueTooMany', field: `${path}.rules`, message: `Too many: ${rules.length}: must have at most ${MAX_RULES} items` });
  rules.forEach((r, i) => {
    const p = `${path}.rules[${i}]`;
    if (!isSet(r.succeededIndexes) && !isSet(r.succeededCount))
      out.push(fieldErr.required(p, 'at least one of succeededCount or succeededIndexes must be specified'));
    let indexCount: number | undefined;
    if (isSet(r.succeededIndexes)) {
      try {
        const idx = parseIndexes(r.succeededIndexes!);
        indexCount = idx.length;
        if (isSet(spec.completions) && idx.some((x) => x >= spec.completions!))
          out.push(fieldErr.invalid(`${p}.succeededIndexes`, r.succeededIndexes, `error parsing succeededIndexes: too large index: ${Math.max(...idx)}`));
      } catch (e) {
        out.push(fieldErr.invalid(`${p}.succeededIndexes`, r.succeededIndexes, `error parsing succeededIndexes: ${(e as Error).message}`));
      }
    }
    if (isSet(r.succeededCount)) {
      out.push(...validateNonnegative(r.succeededCount, `${p}.succeededCount`));
      if (isSet(spec.completions) && r.succeededCount! > spec.completions!)
        out.push(
          fieldErr.invalid(`${p}.succeededCount`, r.succeededCount, `must be less than or equal to ${spec.completions} (the number of specified completions)`),
        );
      if (indexCount !== undefined && r.succeededCount! > indexCount)
        out.push(
          fieldErr.invalid(
            `${p}.succeededCount`,
            r.succeededCount,
            `must be less than or equal to ${indexCount} (the number of indexes in the specified succeededIndexes field)`,
          ),
        );
    }
  });
  return out;
}

/** JobSpec checks shared by Jobs and CronJob job templates (upstream validateJobSpec). */
function validateJobSpecCommon(spec: JobSpec | undefined, path: string): Causes {
  if (!spec || typeof spec !== 'object') return [fieldErr.required(path)];
  const out: Causes = [];
  out.push(...validateNonnegative(spec.parallelism, `${path}.parallelism`));
  out.push(...validateNonnegative(spec.completions, `${path}.completions`));
  out.push(...validatePositive(spec.activeDeadlineSeconds, `${path}.activeDeadlineSeconds`));
  out.push(...validateNonnegative(spec.backoffLimit, `${path}.backoffLimit`));
  out.push(...validateNonnegative(spec.ttlSecondsAfterFinished, `${path}.ttlSecondsAfterFinished`));
  out.push(...validateNonnegative(spec.backoffLimitPerIndex, `${path}.backoffLimitPerIndex`));
  out.push(...validateNonnegative(spec.maxFailedIndexes, `${path}.maxFailedIndexes`));
  const mode = spec.completionMode;
  if (isSet(mode) && !completionModes.includes(mode!)) out.push(fieldErr.notSupported(`${path}.completionMode`, mode, completionModes));
  if (mode === 'Indexed') {
    if (!isSet(spec.completions)) out.push(fieldErr.required(`${path}.completions`, 'when completion mode is Indexed'));
    if ((spec.parallelism ?? 0) > MAX_PARALLELISM_FOR_INDEXED)
      out.push(
        fieldErr.invalid(
          `${path}.parallelism`,
          spec.parallelism,
          `must be less than or equal to ${MAX_PARALLELISM_FOR_INDEXED} when completion mode is Indexed`,
        ),
      );
    if (!isSet(spec.backoffLimitPerIndex) && (spec.completions ?? 0) > MAX_COMPLETIONS_FOR_INDEXED_PER_INDEX)
      out.push(
        fieldErr.invalid(
          `${path}.completions`,
          spec.completions,
          `must be less than or equal to ${MAX_COMPLETIONS_FOR_INDEXED_PER_INDEX} when completion mode is Indexed`,
        ),
      );
  }
  if (isSet(spec.backoffLimitPerIndex) && mode !== 'Indexed') out.push(fieldErr.forbidden(`${path}.backoffLimitPerIndex`, 'requires indexed completion mode'));
  if (isSet(spec.maxFailedIndexes)) {
    if (!isSet(spec.backoffLimitPerIndex)) out.push(fieldErr.required(`${path}.backoffLimitPerIndex`, 'when maxFailedIndexes is specified'));
    if (isSet(spec.completions) && spec.maxFailedIndexes! > spec.completions!)
      out.push(fieldErr.invalid(`${path}.maxFailedIndexes`, spec.maxFailedIndexes, 'must be less than or equal to completions'));
  }
  if (isSet(spec.podReplacementPolicy)) {
    if (!replacementPolicies.includes(spec.podReplacementPolicy!))
      out.push(fieldErr.notSupported(`${path}.podReplacementPolicy`, spec.podReplacementPolicy, replacementPolicies));
    else if (isSet(spec.podFailurePolicy) && spec.podReplacementPolicy !== 'Failed')
      out.push(fieldErr.notSupported(`${path}.podReplacementPolicy`, spec.podReplacementPolicy, ['Failed']));
  }
  if (isSet(spec.podFailurePolicy)) out.push(...validatePodFailurePolicy(spec, `${path}.podFailurePolicy`));
  if (isSet(spec.successPolicy)) out.push(...validateSuccessPolicy(spec, `${path}.successPolicy`));

  const tpl = spec.template;
  const tp = `${path}.template`;
  if (!tpl || typeof tpl !== 'object') {
    out.push(fieldErr.required(tp));
    return out;
  }
  out.push(...validateLabels(tpl.metadata?.labels, `${tp}.metadata.labels`));
  out.push(...validateAnnotations(tpl.metadata?.annotations, `${tp}.metadata.annotations`));
  out.push(...validatePodSpec(tpl.spec, `${tp}.spec`));
  const rp = tpl.spec?.restartPolicy;
  if (rp !== undefined) {
    if (rp !== 'OnFailure' && rp !== 'Never') out.push(fieldErr.notSupported(`${tp}.spec.restartPolicy`, rp, ['OnFailure', 'Never']));
    else if (isSet(spec.podFailurePolicy) && rp !== 'Never')
      out.push(fieldErr.invalid(`${tp}.spec.restartPolicy`, rp, 'only "Never" is supported when podFailurePolicy is specified'));
  }
  return out;
}

/** The selector a Job's pods are found by: required, valid, and matching the template's labels. */
function validateJobSelector(job: Job, path: string): Causes {
  const spec = job.spec!;
  const out: Causes = [];
  if (!spec.selector) return [fieldErr.required(`${path}.selector`)];
  out.push(...selectorCauses(spec.selector, `${path}.selector`));
  let matches = true;
  try {
    matches = labelSelectorMatches(spec.selector, spec.template?.metadata?.labels ?? {});
  } catch {
    // an invalid selector is reported above
  }
  if (!matches)
    out.push(fieldErr.invalid(`${path}.template.metadata.labels`, spec.template?.metadata?.labels ?? {}, '`selector` does not match template `labels`'));
  if (spec.manualSelector !== true) {
    const uid = job.metadata.uid;
    const tl = spec.template?.metadata?.labels ?? {};
    const sl = spec.selector.matchLabels ?? {};
    if (uid && (tl[JobLabels.controllerUid] !== uid || sl[JobLabels.controllerUid] !== uid))
      out.push(fieldErr.invalid(`${path}.selector`, spec.selector, '`selector` not auto-generated'));
  }
  return out;
}

export function validateJob(job: Job): Causes {
  const out: Causes = [...validateObjectMeta(job.metadata, true, nameIsDNSSubdomain)];
  const name = job.metadata.name;
  // the name becomes a label value (job-name) on every pod
  if (name && name.length > 63 && job.spec?.manualSelector !== true) out.push(fieldErr.invalid('metadata.name', name, 'must be no more than 63 characters'));
  out.push(...validateJobSpecCommon(job.spec, 'spec'));
  if (job.spec && typeof job.spec === 'object') out.push(...validateJobSelector(job, 'spec'));
  return out;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

function immutableField(n: unknown, o: unknown, field: string): Causes {
  return same(n, o) ? [] : [fieldErr.invalid(field, n ?? null, 'field is immutable')];
}

/** Upstream ValidateJobUpdate: selector, template (unless a suspended Job that never started), completion mode, policies fixed. */
export function validateJobUpdate(job: Job, old: Job): Causes {
  // the spec itself is checked by validateJob, which the API server runs on updates too
  const out: Causes = [...validateObjectMetaUpdate(job.metadata, old.metadata)];
  const n = job.spec ?? ({ template: {} } as JobSpec);
  const o = old.spec ?? ({ template: {} } as JobSpec);
  out.push(...immutableField(n.selector, o.selector, 'spec.selector'));
  out.push(...immutableField(n.completionMode, o.completionMode, 'spec.completionMode'));
  out.push(...immutableField(n.podFailurePolicy, o.podFailurePolicy, 'spec.podFailurePolicy'));
  out.push(...immutableField(n.backoffLimitPerIndex, o.backoffLimitPerIndex, 'spec.backoffLimitPerIndex'));
  out.push(...immutableField(n.successPolicy, o.successPolicy, 'spec.successPolicy'));
  // elastic Indexed Jobs change completions together with parallelism
  const elastic = n.completionMode === 'Indexed' && n.completions === n.parallelism && o.completions === o.parallelism;
  if (!elastic) out.push(...immutableField(n.completions, o.completions, 'spec.completions'));
  const neverStarted = o.suspend === true && !old.status?.startTime;
  if (!same(n.template, o.template)) {
    if (!neverStarted) out.push(fieldErr.invalid('spec.template', n.template, 'field is immutable'));
    else {
      // a suspended Job that never ran may change its pods' scheduling directives only
      const strip = (t: JobSpec['template']) => {
        const c = structuredClone(t ?? {});
        if (c.spec) {
          delete c.spec.nodeSelector;
          delete c.spec.affinity;
          delete c.spec.tolerations;
          delete c.spec.schedulingGates;
        }
        if (c.metadata) {
          delete c.metadata.labels;
          delete c.metadata.annotations;
        }
        return c;
      };
      if (!same(strip(n.template), strip(o.template))) out.push(fieldErr.invalid('spec.template', n.template, 'field is immutable'));
    }
  }
  return out;
}

function validateJobStatusCounts(s: JobStatus | undefined): Causes {
  const out: Causes = [];
  if (!s) return out;
  for (const k of ['active', 'succeeded', 'failed', 'ready', 'terminating'] as const) out.push(...validateNonnegative(s[k], `status.${k}`));
  return out;
}

export function validateJobStatusUpdate(job: Job, old: Job): Causes {
  const out: Causes = [...validateObjectMetaUpdate(job.metadata, old.metadata), ...validateJobStatusCounts(job.status)];
  for (const [k, v] of [
    ['completedIndexes', job.status?.completedIndexes],
    ['failedIndexes', job.status?.failedIndexes],
  ] as const) {
    try {
      parseIndexes(v);
    } catch (e) {
      out.push(fieldErr.invalid(`status.${k}`, v, `error parsing ${k}: ${(e as Error).message}`));
    }
  }
  return out;
}

/** Upstream validateScheduleFormat: robfig/cron standard syntax, no inline TZ, and a known timeZone. */
function validateSchedule(schedule: unknown, timeZone: string | undefined, path: string): Causes {
  const out: Causes = [];
  if (typeof schedule !== 'string' || schedule === '') return [fieldErr.required(`${path}.schedule`)];
  if (hasInlineTimeZone(schedule)) out.push(fieldErr.invalid(`${path}.schedule`, schedule, 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead'));
  else {
    try {
      parseSchedule(schedule);
    } catch (e) {
      out.push(fieldErr.invalid(`${path}.schedule`, schedule, (e as Error).message));
    }
  }
  if (isSet(timeZone)) {
    const err = timeZone === '' ? undefined : timeZoneError(timeZone!);
    if (err) out.push(fieldErr.invalid(`${path}.timeZone`, timeZone, err));
  }
  return out;
}

function validateCronJobSpec(cj: CronJob, path: string): Causes {
  const spec = cj.spec;
  if (!spec || typeof spec !== 'object') return [fieldErr.required(path)];
  const out: Causes = [...validateSchedule(spec.schedule, spec.timeZone, path)];
  out.push(...validateNonnegative(spec.startingDeadlineSeconds, `${path}.startingDeadlineSeconds`));
  const cp = spec.concurrencyPolicy;
  if (!cp) out.push(fieldErr.required(`${path}.concurrencyPolicy`));
  else if (!concurrencyPolicies.includes(cp)) out.push(fieldErr.notSupported(`${path}.concurrencyPolicy`, cp, concurrencyPolicies));
  out.push(...validateNonnegative(spec.successfulJobsHistoryLimit, `${path}.successfulJobsHistoryLimit`));
  out.push(...validateNonnegative(spec.failedJobsHistoryLimit, `${path}.failedJobsHistoryLimit`));
  const jt = spec.jobTemplate;
  const jp = `${path}.jobTemplate`;
  if (!jt || typeof jt !== 'object') return [...out, fieldErr.required(jp)];
  out.push(...validateLabels(jt.metadata?.labels, `${jp}.metadata.labels`));
  out.push(...validateAnnotations(jt.metadata?.annotations, `${jp}.metadata.annotations`));
  out.push(...validateJobSpecCommon(jt.spec, `${jp}.spec`));
  // the Job controller generates selectors for the Jobs it creates
  if (jt.spec?.selector && jt.spec.manualSelector !== true)
    out.push(fieldErr.invalid(`${jp}.spec.selector`, jt.spec.selector, '`selector` will be auto-generated'));
  return out;
}

export function validateCronJob(cj: CronJob): Causes {
  const out: Causes = [...validateObjectMeta(cj.metadata, true, nameIsDNSSubdomain)];
  const name = cj.metadata.name;
  // Job names are the CronJob's name plus an 11-character suffix
  if (name && name.length > MAX_CRONJOB_NAME) out.push(fieldErr.invalid('metadata.name', name, `must be no more than ${MAX_CRONJOB_NAME} characters`));
  out.push(...validateCronJobSpec(cj, 'spec'));
  return out;
}

/** The spec is checked by validateCronJob, which the API server runs on updates too. */
export function validateCronJobUpdate(cj: CronJob, old: CronJob): Causes {
  return validateObjectMetaUpdate(cj.metadata, old.metadata);
}

export function validateCronJobStatusUpdate(cj: CronJob, old: CronJob): Causes {
  return validateObjectMetaUpdate(cj.metadata, old.metadata);
}
