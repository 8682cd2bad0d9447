// The arithmetic of a rollout (upstream deployment/util): maxSurge rounds up and maxUnavailable down
// against spec.replicas (both 0 after rounding → 1 unavailable, the "fencepost"), how far the new
// ReplicaSet may scale up, and proportional scaling of every active ReplicaSet when spec.replicas changes
// mid-rollout.
import type { Deployment, ReplicaSet } from '../../api/apps/v1/types.js';
import { scaledValueFromIntOrPercent } from '../../api/intstr.js';

export const DESIRED_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/max-replicas';

const replicasOf = (rs: ReplicaSet) => rs.spec?.replicas ?? 0;

/** (maxSurge, maxUnavailable) in pods (upstream ResolveFenceposts). */
export function resolveFenceposts(d: Deployment): { surge: number; unavailable: number } {
  const replicas = d.spec?.replicas ?? 1;
  const ru = d.spec?.strategy?.rollingUpdate;
  const surge = scaledValueFromIntOrPercent(ru?.maxSurge ?? '25%', replicas, true);
  let unavailable = scaledValueFromIntOrPercent(ru?.maxUnavailable ?? '25%', replicas, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}

export function maxSurge(d: Deployment): number {
  return d.spec?.strategy?.type === 'RollingUpdate' ? resolveFenceposts(d).surge : 0;
}

/** At most replicas pods may be unavailable (upstream MaxUnavailable). */
export function maxUnavailable(d: Deployment): number {
  const replicas = d.spec?.replicas ?? 1;
  if (d.spec?.strategy?.type !== 'RollingUpdate' || replicas === 0) return 0;
  return Math.min(resolveFenceposts(d).unavailable, replicas);
}

export function totalReplicas(sets: ReplicaSet[]): number {
  return sets.reduce((n, rs) => n + replicasOf(rs), 0);
}

export function totalAvailable(sets: ReplicaSet[]): number {
  return sets.reduce((n, rs) => n + (rs.status?.availableReplicas ?? 0), 0);
}

/** The new ReplicaSet's replicas for this step of a rolling update (upstream NewRSNewReplicas). */
export function newRSNewReplicas(d: Deployment, all: ReplicaSet[], newRS: ReplicaSet): number {
  const replicas = d.spec?.replicas ?? 1;
  if (d.spec?.strategy?.type !== 'RollingUpdate') return replicas;
  const current = totalReplicas(all);
  const maxTotal = replicas + resolveFenceposts(d).surge;
  if (current >= maxTotal) return replicasOf(newRS);
  const scaleUp = Math.min(maxTotal - current, replicas - replicasOf(newRS));
  return replicasOf(newRS) + Math.max(0, scaleUp);
}

function annotationInt(rs: ReplicaSet, key: string): number | undefined {
  const v = rs.metadata.annotations?.[key];
  if (v === undefined) return undefined;
  const n = Number(v);
  return Number.isInteger(n) ? n : undefined;
}

/** Go's math.Round (halves away from zero), as integer.RoundToInt32. */
function round(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

/**
 * New sizes of the active ReplicaSets when the deployment is resized mid-rollout (upstream scale()):
 * each gets its share of (replicas + maxSurge) in proportion to its size against the max-replicas it was
 * annotated with; the rounding leftover goes to the largest (newest on ties when scaling up, oldest down).
 */
export function proportionalSizes(d: Deployment, active: ReplicaSet[]): Map<ReplicaSet, number> {
  const out = new Map<ReplicaSet, number>();
  const allowed = (d.spec?.replicas ?? 1) + maxSurge(d);
  const toAdd = allowed - totalReplicas(active);
  for (const rs of active) out.set(rs, replicasOf(rs));
  if (toAdd === 0) return out;
  const created = (rs: ReplicaSet) => Date.parse(rs.metadata.creationTimestamp ?? '') || 0;
  const sorted = [...active].sort((a, b) => {
    if (replicasOf(a) !== replicasOf(b)) return replicasOf(b) - replicasOf(a);
    return toAdd > 0 ? created(b) - created(a) : created(a) - created(b);
  });
  let added = 0;
  for (const rs of sorted) {
    if (replicasOf(rs) === 0) continue;
    const annotated = annotationInt(rs, MAX_REPLICAS_ANNOTATION) ?? d.status?.replicas ?? 0;
    const fraction = annotated > 0 ? round((replicasOf(rs) * allowed) / annotated) - replicasOf(rs) : 0;
    const share = toAdd > 0 ? Math.min(fraction, toAdd - added) : Math.max(fraction, toAdd - added);
    out.set(rs, replicasOf(rs) + share);
    added += share;
  }
  const leftover = toAdd - added;
  if (leftover !== 0 && sorted[0]) out.set(sorted[0], Math.max(0, (out.get(sorted[0]) ?? 0) + leftover));
  return out;
}
