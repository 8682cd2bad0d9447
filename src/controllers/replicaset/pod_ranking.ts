// Which pods a ReplicaSet deletes first when it scales down (upstream ActivePodsWithRanks): unassigned
// before assigned; Pending before Unknown before Running; not ready before ready; lower
// controller.kubernetes.io/pod-deletion-cost first; pods doubled up on a node with others of the owner
// first; ready for less time first; more container restarts first; newer first. Times compare on a
// logarithmic scale (upstream's LogarithmicScaleDown) so pods of about the same age are equals.
import type { Pod } from '../../api/core/v1/types.js';
import { isPodReady, podReadySince } from '../controller_utils.js';

export const POD_DELETION_COST = 'controller.kubernetes.io/pod-deletion-cost';

const PHASE_ORDER: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

function deletionCost(p: Pod): number {
  const v = Number(p.metadata.annotations?.[POD_DELETION_COST] ?? 0);
  return Number.isInteger(v) ? v : 0;
}

function maxRestarts(p: Pod): number {
  return Math.max(0, ...(p.status?.containerStatuses ?? []).map((c) => c.restartCount ?? 0));
}

/** floor(log2(age in ns)), -1 for no age: the bucket two times compare in. */
function logRank(t: number | undefined, now: number): number {
  if (t === undefined) return -1;
  const d = (now - t) * 1e6;
  return d <= 0 ? -1 : Math.floor(Math.log2(d));
}

export interface RankedPod {
  pod: Pod;
  /** How many active pods of the same owner(s) share its node (more = deleted first). */
  rank: number;
}

/** < 0 when `a` should be deleted before `b`. */
export function compareForDeletion(a: RankedPod, b: RankedPod, now: number): number {
  const pa = a.pod;
  const pb = b.pod;
  const na = pa.spec?.nodeName ?? '';
  const nb = pb.spec?.nodeName ?? '';
  if ((na === '') !== (nb === '')) return na === '' ? -1 : 1;
  const pha = PHASE_ORDER[pa.status?.phase ?? 'Pending'] ?? 0;
  const phb = PHASE_ORDER[pb.status?.phase ?? 'Pending'] ?? 0;
  if (pha !== phb) return pha - phb;
  const ra = isPodReady(pa);
  const rb = isPodReady(pb);
  if (ra !== rb) return ra ? 1 : -1;
  const ca = deletionCost(pa);
  const cb = deletionCost(pb);
  if (ca !== cb) return ca - cb;
  if (a.rank !== b.rank) return b.rank - a.rank;
  if (ra && rb) {
    const la = logRank(podReadySince(pa), now);
    const lb = logRank(podReadySince(pb), now);
    if (la !== lb) return la - lb;
  }
  const xa = maxRestarts(pa);
  const xb = maxRestarts(pb);
  if (xa !== xb) return xb - xa;
  const ta = pa.metadata.creationTimestamp ? Date.parse(pa.metadata.creationTimestamp) : undefined;
  const tb = pb.metadata.creationTimestamp ? Date.parse(pb.metadata.creationTimestamp) : undefined;
  return logRank(ta, now) - logRank(tb, now);
}

/**
 * The `diff` pods of `pods` to delete first. `related` are the active pods of the same owner(s) (for the
 * "doubled up on a node" rank; the pods themselves by default).
 */
export function podsToDelete(pods: Pod[], diff: number, now: number, related: Pod[] = pods): Pod[] {
  if (diff >= pods.length) return pods.slice();
  const perNode = new Map<string, number>();
  for (const p of related) {
    const n = p.spec?.nodeName;
    if (n) perNode.set(n, (perNode.get(n) ?? 0) + 1);
  }
  const ranked = pods.map((pod) => ({ pod, rank: pod.spec?.nodeName ? (perNode.get(pod.spec.nodeName) ?? 0) : 0 }));
  ranked.sort((a, b) => compareForDeletion(a, b, now));
  return ranked.slice(0, diff).map((r) => r.pod);
}
