// StatefulSet validation (upstream pkg/apis/apps/validation ValidateStatefulSet/Update/Status): policies,
// update strategy and partition, claim retention policy, ordinals, replicas, the shared selector/template
// rules, and the update rule that only replicas, ordinals, template, updateStrategy,
// persistentVolumeClaimRetentionPolicy, minReadySeconds (and revisionHistoryLimit) may change.
import { fieldErr } from '../../../errors.js';
import { nameIsDNSSubdomain } from '../../../names.js';
import { type Causes, validateDNS1123Label, validateNonnegative } from '../../../validation/field.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../../../validation/object_meta.js';
import type { StatefulSet, StatefulSetSpec } from '../workload_types.js';
import { validatePositiveIntOrPercent, validateSelectorAndTemplate } from './workload_template.js';

const retention = ['Retain', 'Delete'];

export function validateStatefulSetSpec(spec: StatefulSetSpec | undefined, path = 'spec'): Causes {
  if (!spec || typeof spec !== 'object') return [fieldErr.required(path)];
  const out: Causes = [];
  const policy = spec.podManagementPolicy;
  if (!policy) out.push(fieldErr.required(`${path}.podManagementPolicy`));
  else if (policy !== 'OrderedReady' && policy !== 'Parallel')
    out.push(fieldErr.invalid(`${path}.podManagementPolicy`, policy, "must be 'OrderedReady' or 'Parallel'"));

  const strategy = spec.updateStrategy ?? {};
  switch (strategy.type) {
    case undefined:
    case '' as never:
      out.push(fieldErr.required(`${path}.updateStrategy`));
      break;
    case 'OnDelete':
      if (strategy.rollingUpdate)
        out.push(fieldErr.invalid(`${path}.updateStrategy.rollingUpdate`, strategy.rollingUpdate, "only allowed for updateStrategy 'RollingUpdate'"));
      break;
    case 'RollingUpdate':
      if (strategy.rollingUpdate) {
        out.push(...validateNonnegative(strategy.rollingUpdate.partition, `${path}.updateStrategy.rollingUpdate.partition`));
        out.push(...validatePositiveIntOrPercent(strategy.rollingUpdate.maxUnavailable, `${path}.updateStrategy.rollingUpdate.maxUnavailable`));
      }
      break;
    default:
      out.push(fieldErr.invalid(`${path}.updateStrategy`, strategy, "must be 'RollingUpdate' or 'OnDelete'"));
  }

  const pvc = spec.persistentVolumeClaimRetentionPolicy;
  if (pvc) {
    for (const k of ['whenDeleted', 'whenScaled'] as const) {
      const v = pvc[k];
      if (v === undefined) continue;
      if (!retention.includes(v)) out.push(fieldErr.notSupported(`${path}.persistentVolumeClaimRetentionPolicy.${k}`, v, retention));
    }
  }
  if (spec.ordinals) out.push(...validateNonnegative(spec.ordinals.start, `${path}.ordinals.start`));
  out.push(...validateNonnegative(spec.replicas, `${path}.replicas`));
  out.push(...validateNonnegative(spec.minReadySeconds, `${path}.minReadySeconds`));
  out.push(...validateNonnegative(spec.revisionHistoryLimit, `${path}.revisionHistoryLimit`));
  if (spec.serviceName) out.push(...validateDNS1123Label(spec.serviceName, `${path}.serviceName`));
  // k8ts has no PersistentVolumeClaims yet: a claim template could never be satisfied.
  if (Array.isArray(spec.volumeClaimTemplates) && spec.volumeClaimTemplates.length > 0)
    out.push(
      fieldErr.invalid(
        `${path}.volumeClaimTemplates`,
        spec.volumeClaimTemplates.map((t) => t?.metadata?.name ?? ''),
        'volumeClaimTemplates are not supported: this cluster serves no PersistentVolumeClaims; use emptyDir or hostPath volumes in the pod template',
      ),
    );
  out.push(...validateSelectorAndTemplate(spec.selector, spec.template, 'statefulset', path));
  return out;
}

export function validateStatefulSet(sts: StatefulSet): Causes {
  return [...validateObjectMeta(sts.metadata, true, nameIsDNSSubdomain), ...validateStatefulSetSpec(sts.spec)];
}

/** The spec fields an update may change (upstream's list; all others are forbidden). */
const mutableSpecFields = [
  'replicas',
  'ordinals',
  'template',
  'updateStrategy',
  'persistentVolumeClaimRetentionPolicy',
  'minReadySeconds',
  'revisionHistoryLimit',
];

export function validateStatefulSetUpdate(sts: StatefulSet, old: StatefulSet): Causes {
  const out: Causes = [...validateObjectMetaUpdate(sts.metadata, old.metadata), ...validateStatefulSetSpec(sts.spec)];
  const strip = (s: StatefulSetSpec | undefined) => {
    const c: Record<string, unknown> = { ...(s ?? {}) };
    for (const f of mutableSpecFields) delete c[f];
    return canonical(c);
  };
  if (strip(sts.spec) !== strip(old.spec))
    out.push(
      fieldErr.forbidden(
        'spec',
        "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
      ),
    );
  return out;
}

export function validateStatefulSetStatusUpdate(sts: StatefulSet, old: StatefulSet): Causes {
  const out: Causes = [...validateObjectMetaUpdate(sts.metadata, old.metadata)];
  const st = sts.status;
  if (!st) return out;
  for (const k of ['replicas', 'readyReplicas', 'currentReplicas', 'updatedReplicas', 'availableReplicas', 'observedGeneration', 'collisionCount'] as const)
    out.push(...validateNonnegative(st[k], `status.${k}`));
  const n = (v: number | undefined) => v ?? 0;
  if (n(st.readyReplicas) > n(st.replicas)) out.push(fieldErr.invalid('status.readyReplicas', st.readyReplicas, 'cannot be greater than status.replicas'));
  if (n(st.currentReplicas) > n(st.replicas))
    out.push(fieldErr.invalid('status.currentReplicas', st.currentReplicas, 'cannot be greater than status.replicas'));
  if (n(st.updatedReplicas) > n(st.replicas))
    out.push(fieldErr.invalid('status.updatedReplicas', st.updatedReplicas, 'cannot be greater than status.replicas'));
  if (n(st.availableReplicas) > n(st.readyReplicas))
    out.push(fieldErr.invalid('status.availableReplicas', st.availableReplicas, 'cannot be greater than status.readyReplicas'));
  if (old.status?.collisionCount !== undefined && n(st.collisionCount) < old.status.collisionCount)
    out.push(fieldErr.invalid('status.collisionCount', st.collisionCount, 'cannot be decremented'));
  return out;
}

/** JSON with sorted keys, for comparing specs regardless of key order. */
export function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, val) =>
    val && typeof val === 'object' && !Array.isArray(val)
      ? Object.fromEntries(
          Object.keys(val)
            .sort()
            .map((k) => [k, (val as Record<string, unknown>)[k]]),
        )
      : val,
  );
}
