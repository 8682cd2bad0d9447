// Rules a workload's selector and pod template share (upstream apps validation): the selector is required and
// non-empty, valid, and matches the template's labels; the template is a valid pod spec whose restartPolicy
// is Always and that sets no activeDeadlineSeconds; int-or-percent fields.
import { fieldErr } from '../../../errors.js';
import type { IntOrString, PodTemplateSpec } from '../../../core/v1/types.js';
import { validatePodSpec } from '../../../core/v1/validation/pod_spec.js';
import { labelSelectorAsSelector, validateLabelSelector, type LabelSelector } from '../../../labels.js';
import { type Causes, validateLabels } from '../../../validation/field.js';
import { validateAnnotations } from '../../../validation/object_meta.js';

/** Go's %#v of a map[string]string, as upstream's messages print template labels. */
export function goStringMap(m: Record<string, string> | undefined): string {
  const keys = Object.keys(m ?? {}).sort();
  return `map[string]string{${keys.map((k) => `${JSON.stringify(k)}:${JSON.stringify(m![k])}`).join(', ')}}`;
}

/**
 * spec.selector and spec.template of a StatefulSet or DaemonSet (`kind` in lower case for the messages, e.g.
 * "statefulset"), at `path` (usually "spec").
 */
export function validateSelectorAndTemplate(selector: LabelSelector | undefined, template: PodTemplateSpec | undefined, kind: string, path = 'spec'): Causes {
  const out: Causes = [];
  let sel: ReturnType<typeof labelSelectorAsSelector> | undefined;
  if (selector === undefined || selector === null) out.push(fieldErr.required(`${path}.selector`));
  else {
    for (const e of validateLabelSelector(selector, `${path}.selector`)) out.push({ reason: e.reason, field: e.field, message: messageFor(e) });
    if (Object.keys(selector.matchLabels ?? {}).length + (selector.matchExpressions ?? []).length === 0)
      out.push(fieldErr.invalid(`${path}.selector`, selector, `empty selector is invalid for ${kind}`));
    try {
      sel = labelSelectorAsSelector(selector);
    } catch (e) {
      out.push(fieldErr.invalid(`${path}.selector`, selector, `invalid label selector: ${(e as Error).message}`));
    }
  }
  if (!template || typeof template !== 'object') {
    out.push(fieldErr.required(`${path}.template`));
    return out;
  }
  const labels = template.metadata?.labels ?? {};
  if (sel && !sel.empty() && !sel.matches(labels))
    out.push({
      reason: 'FieldValueInvalid',
      field: `${path}.template.metadata.labels`,
      message: `Invalid value: ${goStringMap(labels)}: \`selector\` does not match template \`labels\``,
    });
  out.push(...validateLabels(template.metadata?.labels, `${path}.template.metadata.labels`));
  out.push(...validateAnnotations(template.metadata?.annotations, `${path}.template.metadata.annotations`));
  out.push(...validatePodSpec(template.spec, `${path}.template.spec`));
  const spec = template.spec;
  if (spec) {
    if (spec.restartPolicy && spec.restartPolicy !== 'Always')
      out.push(fieldErr.notSupported(`${path}.template.spec.restartPolicy`, spec.restartPolicy, ['Always']));
    if (spec.activeDeadlineSeconds !== undefined && spec.activeDeadlineSeconds !== null)
      out.push(fieldErr.forbidden(`${path}.template.spec.activeDeadlineSeconds`, `activeDeadlineSeconds in ${displayKind(kind)} is not Supported`));
  }
  return out;
}

function displayKind(kind: string): string {
  return kind === 'statefulset' ? 'StatefulSet' : kind === 'daemonset' ? 'DaemonSet' : kind;
}

function messageFor(e: { reason: string; value: unknown; message: string }): string {
  if (e.reason === 'FieldValueRequired') return `Required value: ${e.message}`;
  if (e.reason === 'FieldValueForbidden') return `Forbidden: ${e.message}`;
  return `Invalid value: ${JSON.stringify(e.value ?? '')}: ${e.message}`;
}

const PERCENT = /^[0-9]+%$/;

/** An int-or-string that must be a non-negative integer or "N%" (upstream ValidatePositiveIntOrPercent). */
export function validatePositiveIntOrPercent(v: IntOrString | undefined, field: string): Causes {
  if (v === undefined || v === null) return [];
  if (typeof v === 'string') {
    if (!PERCENT.test(v))
      return [
        fieldErr.invalid(
          field,
          v,
          "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
        ),
      ];
    return [];
  }
  if (!Number.isInteger(v)) return [fieldErr.invalid(field, v, 'must be an integer')];
  return v < 0 ? [fieldErr.invalid(field, v, 'must be greater than or equal to 0')] : [];
}

/** A percent above 100% is refused (upstream IsNotMoreThan100Percent). */
export function validateNotMoreThan100Percent(v: IntOrString | undefined, field: string): Causes {
  if (typeof v !== 'string' || !PERCENT.test(v)) return [];
  return Number(v.slice(0, -1)) > 100 ? [fieldErr.invalid(field, v, 'must not be greater than 100%')] : [];
}

/** The value of an int-or-percent against a total (round up or down, as upstream GetScaledValueFromIntOrPercent). */
export function scaledValue(v: IntOrString | undefined, total: number, roundUp: boolean): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === 'number') return v;
  if (!PERCENT.test(v)) {
    const n = Number(v);
    return Number.isInteger(n) ? n : 0;
  }
  const x = (Number(v.slice(0, -1)) * total) / 100;
  return roundUp ? Math.ceil(x) : Math.floor(x);
}

/** Whether an int-or-percent is zero ("0%" included). */
export function isZeroIntOrPercent(v: IntOrString | undefined): boolean {
  return v === 0 || v === '0%' || v === '0';
}
