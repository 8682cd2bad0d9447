// Pod readiness as workload controllers see it (upstream podutil.IsPodReady / IsPodAvailable): Ready
// condition True; available once it has been Ready for minReadySeconds.
import type { Pod } from '../api/core/v1/types.js';

export function readyCondition(pod: Pod): { status?: string; lastTransitionTime?: string | null } | undefined {
  return (pod.status?.conditions ?? []).find((c) => c.type === 'Ready');
}

export function isPodReady(pod: Pod): boolean {
  return readyCondition(pod)?.status === 'True';
}

export function isRunningAndReady(pod: Pod): boolean {
  return pod.status?.phase === 'Running' && isPodReady(pod);
}

export function isTerminating(pod: Pod): boolean {
  return !!pod.metadata.deletionTimestamp;
}

/** Ready for at least minReadySeconds at `now` (ms). */
export function isPodAvailable(pod: Pod, minReadySeconds: number, now: number): boolean {
  if (!isPodReady(pod)) return false;
  if (!minReadySeconds) return true;
  const since = Date.parse(readyCondition(pod)?.lastTransitionTime ?? '');
  return Number.isFinite(since) && since + minReadySeconds * 1000 <= now;
}

/** How long until a ready pod becomes available (ms), 0 when it is or never will be by waiting. */
export function msUntilAvailable(pod: Pod, minReadySeconds: number, now: number): number {
  if (!minReadySeconds || !isPodReady(pod)) return 0;
  const since = Date.parse(readyCondition(pod)?.lastTransitionTime ?? '');
  if (!Number.isFinite(since)) return 0;
  return Math.max(0, since + minReadySeconds * 1000 - now);
}
