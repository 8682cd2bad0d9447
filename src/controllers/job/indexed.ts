// Indexed completion mode: a pod's completion index (annotation, else label), the indexes still to run,
// and the per-index failure count a replacement pod carries (backoffLimitPerIndex).
import { JobLabels } from '../../api/batch/v1/types.js';
import type { Pod } from '../../api/core/v1/types.js';

/** The pod's completion index, or undefined when it has none or an invalid one (such pods are deleted). */
export function completionIndex(pod: Pod, completions: number): number | undefined {
  const raw = pod.metadata.annotations?.[JobLabels.completionIndex] ?? pod.metadata.labels?.[JobLabels.completionIndex];
  if (raw === undefined || !/^(0|[1-9]\d*)$/.test(raw)) return undefined;
  const i = Number(raw);
  return i < completions ? i : undefined;
}

/** The failures of the pod's index before it was created (batch.kubernetes.io/job-index-failure-count). */
export function indexFailureCount(pod: Pod): number {
  const raw = pod.metadata.annotations?.[JobLabels.jobIndexFailureCount];
  return raw !== undefined && /^\d+$/.test(raw) ? Number(raw) : 0;
}

/** The lowest `count` indexes in [0, completions) that are in none of `taken`. */
export function firstPendingIndexes(completions: number, taken: Set<number>, count: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < completions && out.length < count; i++) if (!taken.has(i)) out.push(i);
  return out;
}
