// Pod validation on create, update (only images, activeDeadlineSeconds, added tolerations and a
// negative terminationGracePeriodSeconds -> 1 may change) and status update.
import { fieldErr } from '../../../errors.js';
import { deepCopy } from '../../../types.js';
import { isDNS1123Subdomain, nameIsDNSSubdomain } from '../../../names.js';
import { type Causes, isValidIP, moreFieldErr, validateQualifiedName } from '../../../validation/field.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../../../validation/object_meta.js';
import type { ContainerStatus, Pod, PodSpec, Toleration } from '../types.js';
import { validatePodSpec } from './pod_spec.js';

export function validatePod(pod: Pod): Causes {
  return [...validateObjectMeta(pod.metadata, true, nameIsDNSSubdomain), ...validatePodSpec(pod.spec, 'spec')];
}

/** Create-only rules: ephemeral containers are added later, through pods/<name>/ephemeralcontainers. */
export function validatePodCreate(pod: Pod): Causes {
  if ((pod.spec?.ephemeralContainers ?? []).length > 0) return [fieldErr.forbidden('spec.ephemeralContainers', 'cannot be set on create')];
  return [];
}

const MIRROR_POD_ANNOTATION = 'kubernetes.io/config.mirror';

/**
 * pods/<name>/ephemeralcontainers: the new spec (everything but ephemeralContainers is the stored pod's)
 * must be valid, and the ephemeral containers already there may be neither removed nor changed.
 */
export function validatePodEphemeralContainersUpdate(newPod: Pod, oldPod: Pod): Causes {
  if (oldPod.metadata?.annotations?.[MIRROR_POD_ANNOTATION] !== undefined) return [fieldErr.forbidden('', 'static pods do not support ephemeral containers')];
  const out: Causes = [...validateObjectMetaUpdate(newPod.metadata, oldPod.metadata), ...validatePodSpec(newPod.spec, 'spec')];
  // Patches do not keep the order, so each existing one is looked up by name.
  const byName = new Map((newPod.spec?.ephemeralContainers ?? []).map((c) => [c?.name, c]));
  for (const old of oldPod.spec?.ephemeralContainers ?? []) {
    const now = byName.get(old.name);
    if (!now) out.push(fieldErr.forbidden('spec.ephemeralContainers', `existing ephemeral containers ${JSON.stringify(old.name)} may not be removed\n`));
    else {
      const diff = jsonDiff(old, now, `spec.ephemeralContainers[${old.name}]`);
      if (diff.length)
        out.push(
          fieldErr.forbidden(
            `spec.ephemeralContainers[${old.name}]`,
            `existing ephemeral containers ${JSON.stringify(old.name)} may not be changed\n${diff.join('\n')}`,
          ),
        );
    }
  }
  return out;
}

export const podUpdateForbiddenMessage =
  'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

function canonicalJSON(v: unknown): string {
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

function isEmpty(v: unknown): boolean {
  return (
    v === undefined ||
    v === null ||
    (Array.isArray(v) && v.length === 0) ||
    (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0)
  );
}

/** Paths that differ between two JSON values (treating absent, null, [] and {} alike), for the diff text. */
export function jsonDiff(a: unknown, b: unknown, path: string, out: string[] = []): string[] {
  if (a === b || (isEmpty(a) && isEmpty(b))) return out;
  if (a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    if (Array.isArray(a)) {
      const bb = b as unknown[];
      for (let i = 0; i < Math.max(a.length, bb.length); i++) jsonDiff(a[i], bb[i], `${path}[${i}]`, out);
    } else {
      const ao = a as Record<string, unknown>;
      const bo = b as Record<string, unknown>;
      for (const k of [...new Set([...Object.keys(ao), ...Object.keys(bo)])].sort()) jsonDiff(ao[k], bo[k], `${path}.${k}`, out);
    }
    return out;
  }
  if (canonicalJSON(a) !== canonicalJSON(b)) out.push(`  ${path}: - ${canonicalJSON(a) ?? '<unset>'} + ${canonicalJSON(b) ?? '<unset>'}`);
  return out;
}

function tolerationsOnlyAdded(newT: Toleration[] | undefined, oldT: Toleration[] | undefined): boolean {
  for (const old of oldT ?? []) {
    const found = (newT ?? []).some((n) => canonicalJSON({ ...old, tolerationSeconds: n.tolerationSeconds }) === canonicalJSON(n));
    if (!found) return false;
  }
  return true;
}

export function validatePodUpdate(newPod: Pod, oldPod: Pod): Causes {
  const out: Causes = [...validateObjectMetaUpdate(newPod.metadata, oldPod.metadata), ...validatePodSpec(newPod.spec, 'spec')];
  const ns: PodSpec = newPod.spec ?? ({ containers: [] } as PodSpec);
  const os: PodSpec = oldPod.spec ?? ({ containers: [] } as PodSpec);

  // activeDeadlineSeconds: may be set, or lowered, never raised or unset.
  const nd = ns.activeDeadlineSeconds;
  const od = os.activeDeadlineSeconds;
  if (nd !== undefined && nd !== null) {
    if (nd < 0 || nd > 2147483647) {
      out.push(fieldErr.invalid('spec.activeDeadlineSeconds', nd, 'must be between 0 and 2147483647, inclusive'));
      return out;
    }
    if (od !== undefined && od !== null && od < nd) {
      out.push(fieldErr.invalid('spec.activeDeadlineSeconds', nd, 'must be less than or equal to previous value'));
      return out;
    }
  } else if (od !== undefined && od !== null) {
    out.push(fieldErr.invalid('spec.activeDeadlineSeconds', null, 'must not update from a positive integer to nil value'));
  }

  // Munge the allowed changes onto a copy of the new spec and compare with the old.
  const munged = deepCopy(ns) as PodSpec;
  const sameLen = (a?: unknown[], b?: unknown[]) => (a?.length ?? 0) === (b?.length ?? 0);
  if (sameLen(munged.containers, os.containers)) munged.containers?.forEach((c, i) => (c.image = os.containers[i]!.image));
  if (sameLen(munged.initContainers, os.initContainers)) munged.initContainers?.forEach((c, i) => (c.image = os.initContainers![i]!.image));
  munged.activeDeadlineSeconds = os.activeDeadlineSeconds;
  // (the new tolerations themselves were validated with the rest of the spec above)
  if (!tolerationsOnlyAdded(ns.tolerations, os.tolerations)) {
    out.push(fieldErr.forbidden('spec.tolerations', 'existing toleration can not be modified except its tolerationSeconds'));
  }
  munged.tolerations = os.tolerations;
  if ((os.terminationGracePeriodSeconds ?? 0) < 0 && ns.terminationGracePeriodSeconds === 1)
    munged.terminationGracePeriodSeconds = os.terminationGracePeriodSeconds;
  const diff = jsonDiff(os, munged, 'spec');
  if (diff.length) out.push(fieldErr.forbidden('spec', `${podUpdateForbiddenMessage}\n${diff.join('\n')}`));
  return out;
}

const conditionStatuses = ['False', 'True', 'Unknown'];
const podPhases = ['Failed', 'Pending', 'Running', 'Succeeded', 'Unknown'];
const systemConditions = new Set(['PodScheduled', 'PodReadyToStartContainers', 'Initialized', 'ContainersReady', 'Ready', 'DisruptionTarget']);

function validateIPList(list: { ip: string }[] | undefined, field: string, single: string | undefined, singleField: string): Causes {
  const out: Causes = [];
  if (!list || list.length === 0) {
    if (single && !isValidIP(single)) out.push(fieldErr.invalid(singleField, single, 'must be a valid IP address'));
    return out;
  }
  if (list.length > 2) out.push(moreFieldErr.tooMany(field, list.length, 2));
  const seen = new Set<string>();
  list.forEach((x, i) => {
    if (!isValidIP(x?.ip)) out.push(fieldErr.invalid(`${field}[${i}]`, x?.ip ?? '', 'must be a valid IP address'));
    else if (seen.has(x.ip)) out.push(fieldErr.duplicate(`${field}[${i}]`, x.ip));
    else seen.add(x.ip);
  });
  if (list.length === 2 && list.every((x) => isValidIP(x?.ip)) && list[0]!.ip.includes(':') === list[1]!.ip.includes(':'))
    out.push(
      fieldErr.invalid(
        field,
        list.map((x) => x.ip),
        'may specify no more than one IP for each IP family',
      ),
    );
  if (single && list[0] && single !== list[0].ip) out.push(fieldErr.invalid(singleField, single, `must be equal to ${field.split('.').pop()}[0]`));
  return out;
}

function terminatedCannotRestart(
  restartPolicy: string | undefined,
  newS: ContainerStatus[] | undefined,
  oldS: ContainerStatus[] | undefined,
  field: string,
): Causes {
  const out: Causes = [];
  if (restartPolicy !== 'Never' && restartPolicy !== 'OnFailure') return out;
  const old = new Map((oldS ?? []).map((s) => [s.name, s]));
  (newS ?? []).forEach((s, i) => {
    const o = old.get(s.name);
    const term = o?.state?.terminated;
    if (!term || s.state?.terminated) return;
    if (restartPolicy === 'Never' || term.exitCode === 0)
      out.push(fieldErr.forbidden(`${field}[${i}].state`, 'may not be transitioned to non-terminated state'));
  });
  return out;
}

export function validatePodStatusUpdate(newPod: Pod, oldPod: Pod): Causes {
  const out: Causes = [...validateObjectMetaUpdate(newPod.metadata, oldPod.metadata)];
  const st = newPod.status ?? {};
  if (st.phase !== undefined && !podPhases.includes(st.phase)) out.push(fieldErr.notSupported('status.phase', st.phase, podPhases));
  (st.conditions ?? []).forEach((c, i) => {
    const p = `status.conditions[${i}]`;
    if (!c.type) out.push(fieldErr.required(`${p}.type`));
    else if (!systemConditions.has(c.type)) out.push(...validateQualifiedName(c.type, `${p}.type`));
    if (!conditionStatuses.includes(c.status)) out.push(fieldErr.notSupported(`${p}.status`, c.status ?? '', conditionStatuses));
  });
  if (st.nominatedNodeName)
    for (const m of isDNS1123Subdomain(st.nominatedNodeName)) out.push(fieldErr.invalid('status.nominatedNodeName', st.nominatedNodeName, m));
  out.push(...validateIPList(st.podIPs, 'status.podIPs', st.podIP, 'status.podIP'));
  out.push(...validateIPList(st.hostIPs, 'status.hostIPs', st.hostIP, 'status.hostIP'));
  const rp = newPod.spec?.restartPolicy;
  out.push(...terminatedCannotRestart(rp, st.containerStatuses, oldPod.status?.containerStatuses, 'status.containerStatuses'));
  for (const [k, list] of [
    ['containerStatuses', st.containerStatuses],
    ['initContainerStatuses', st.initContainerStatuses],
    ['ephemeralContainerStatuses', st.ephemeralContainerStatuses],
  ] as const) {
    (list ?? []).forEach((s, i) => {
      const p = `status.${k}[${i}]`;
      if (!s.name) out.push(fieldErr.required(`${p}.name`));
      const states = ['waiting', 'running', 'terminated'].filter((x) => s.state?.[x as 'waiting'] !== undefined && s.state?.[x as 'waiting'] !== null);
      if (states.length > 1) out.push(fieldErr.forbidden(`${p}.state.${states[1]}`, `may not specify more than 1 state type`));
      if (s.restartCount !== undefined && s.restartCount < 0)
        out.push(fieldErr.invalid(`${p}.restartCount`, s.restartCount, 'must be greater than or equal to 0'));
    });
  }
  return out;
}
