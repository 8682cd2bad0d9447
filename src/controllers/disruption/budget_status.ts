// The arithmetic of a PodDisruptionBudget's status (upstream pkg/controller/disruption): the expected pod count
// and desired healthy count from minAvailable/maxUnavailable, the disrupted-pods map pruned of evictions that
// completed or timed out, the healthy count, disruptionsAllowed and the DisruptionAllowed condition.
import type { Pod } from '../../api/core/v1/types.js';
import { isPercent, scaledValueFromIntOrPercent } from '../../api/intstr.js';
import type { PDBCondition, PodDisruptionBudget, PodDisruptionBudgetStatus } from '../../api/policy/v1/types.js';
import { DISRUPTION_ALLOWED_CONDITION, INSUFFICIENT_PODS_REASON, SUFFICIENT_PODS_REASON, SYNC_FAILED_REASON } from '../../api/policy/v1/types.js';
import { isPodReady } from '../controller_utils.js';

/** How long an eviction's entry in disruptedPods keeps the pod out of the healthy count (upstream DeletionTimeout). */
export const DELETION_TIMEOUT_MS = 2 * 60_000;

/** Whether the budget's numbers need the owning controllers' scale (maxUnavailable, or minAvailable as a percent). */
export function needsScale(pdb: PodDisruptionBudget): boolean {
  const s = pdb.spec ?? {};
  if (s.maxUnavailable !== undefined && s.maxUnavailable !== null) return true;
  return isPercent(s.minAvailable);
}

/** expectedCount and desiredHealthy (upstream getExpectedPodCount); `scale` = the summed controller scales. */
export function expectedAndDesired(pdb: PodDisruptionBudget, pods: Pod[], scale: number): { expectedCount: number; desiredHealthy: number } {
  const s = pdb.spec ?? {};
  if (s.maxUnavailable !== undefined && s.maxUnavailable !== null) {
    const maxUnavailable = scaledValueFromIntOrPercent(s.maxUnavailable, scale, true);
    return { expectedCount: scale, desiredHealthy: Math.max(0, scale - maxUnavailable) };
  }
  if (s.minAvailable !== undefined && s.minAvailable !== null) {
    if (typeof s.minAvailable === 'number') return { expectedCount: pods.length, desiredHealthy: s.minAvailable };
    return { expectedCount: scale, desiredHealthy: scaledValueFromIntOrPercent(s.minAvailable, scale, true) };
  }
  return { expectedCount: 0, desiredHealthy: 0 };
}

/**
 * The disruptedPods entries still pending (upstream buildDisruptedPodMap): pods that exist, are not yet being
 * deleted and whose eviction is younger than the timeout; `recheckAt` is when the oldest of them expires, and
 * `notDeleted` the pods whose eviction timed out without their deletion.
 */
export function pendingDisruptions(
  pdb: PodDisruptionBudget,
  pods: Pod[],
  now: number,
): { disrupted: Record<string, string>; recheckAt?: number; notDeleted: Pod[] } {
  const recorded = pdb.status?.disruptedPods ?? {};
  const disrupted: Record<string, string> = {};
  const notDeleted: Pod[] = [];
  let recheckAt: number | undefined;
  for (const pod of pods) {
    if (pod.metadata.deletionTimestamp) continue;
    const at = recorded[pod.metadata.name!];
    if (at === undefined) continue;
    const expires = Date.parse(at) + DELETION_TIMEOUT_MS;
    if (expires < now) notDeleted.push(pod);
    else {
      disrupted[pod.metadata.name!] = at;
      if (recheckAt === undefined || expires < recheckAt) recheckAt = expires;
    }
  }
  return { disrupted, recheckAt, notDeleted };
}

/** Ready pods that are neither being deleted nor just evicted (upstream countHealthyPods). */
export function countHealthy(pods: Pod[], disrupted: Record<string, string>, now: number): number {
  let n = 0;
  for (const pod of pods) {
    if (pod.metadata.deletionTimestamp) continue;
    const at = disrupted[pod.metadata.name!];
    if (at !== undefined && Date.parse(at) + DELETION_TIMEOUT_MS > now) continue;
    if (isPodReady(pod)) n++;
  }
  return n;
}

function withCondition(conditions: PDBCondition[] | undefined, c: Omit<PDBCondition, 'lastTransitionTime'>, nowStr: string): PDBCondition[] {
  const old = (conditions ?? []).find((x) => x.type === c.type);
  const rest = (conditions ?? []).filter((x) => x.type !== c.type);
  const lastTransitionTime = old && old.status === c.status ? old.lastTransitionTime : nowStr;
  return [...rest, { ...c, lastTransitionTime }];
}

/** The status a successful sync writes (upstream updatePdbStatus + UpdateDisruptionAllowedCondition). */
export function syncedStatus(
  pdb: PodDisruptionBudget,
  counts: { currentHealthy: number; desiredHealthy: number; expectedCount: number; disrupted: Record<string, string> },
  nowStr: string,
): PodDisruptionBudgetStatus {
  let allowed = counts.currentHealthy - counts.desiredHealthy;
  if (counts.expectedCount <= 0 || allowed <= 0) allowed = 0;
  const observedGeneration = pdb.metadata.generation ?? 0;
  const status: PodDisruptionBudgetStatus = {
    observedGeneration,
    disruptionsAllowed: allowed,
    currentHealthy: counts.currentHealthy,
    desiredHealthy: counts.desiredHealthy,
    expectedPods: counts.expectedCount,
    conditions: withCondition(
      pdb.status?.conditions,
      allowed > 0
        ? { type: DISRUPTION_ALLOWED_CONDITION, status: 'True', reason: SUFFICIENT_PODS_REASON, message: '', observedGeneration }
        : { type: DISRUPTION_ALLOWED_CONDITION, status: 'False', reason: INSUFFICIENT_PODS_REASON, message: '', observedGeneration },
      nowStr,
    ),
  };
  if (Object.keys(counts.disrupted).length) status.disruptedPods = counts.disrupted;
  return status;
}

/** The status of a budget whose sync failed: no disruption allowed (upstream failSafe). */
export function failSafeStatus(pdb: PodDisruptionBudget, message: string, nowStr: string): PodDisruptionBudgetStatus {
  const observedGeneration = pdb.metadata.generation ?? 0;
  const cur = pdb.status ?? { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 };
  return {
    ...cur,
    observedGeneration,
    disruptionsAllowed: 0,
    conditions: withCondition(
      cur.conditions,
      { type: DISRUPTION_ALLOWED_CONDITION, status: 'False', reason: SYNC_FAILED_REASON, message, observedGeneration },
      nowStr,
    ),
  };
}

/** Same numbers, condition and observed generation: no write needed. */
export function statusEqual(a: PodDisruptionBudgetStatus | undefined, b: PodDisruptionBudgetStatus): boolean {
  if (!a) return false;
  const key = (s: PodDisruptionBudgetStatus) =>
    JSON.stringify([
      s.observedGeneration ?? 0,
      s.disruptionsAllowed,
      s.currentHealthy,
      s.desiredHealthy,
      s.expectedPods,
      Object.entries(s.disruptedPods ?? {}).sort(),
      (s.conditions ?? []).map((c) => [c.type, c.status, c.reason, c.message, c.observedGeneration ?? 0]).sort(),
    ]);
  return key(a) === key(b);
}
