// How long a pod may stay on a node with NoExecute taints (upstream tainteviction getMinTolerationTime):
// 'now' when one taint is not tolerated, 'forever' when every matching toleration has no tolerationSeconds,
// else the least tolerationSeconds (negative counts as 0) of the tolerations that matched.
import type { Taint, Toleration } from '../../api/core/v1/types.js';
import { toleratesTaint } from '../../api/core/v1/taints.js';

export type TolerationTime = { kind: 'now' } | { kind: 'forever' } | { kind: 'after'; ms: number };

export function minTolerationTime(taints: Taint[], tolerations: Toleration[] | undefined): TolerationTime {
  const noExecute = taints.filter((t) => t.effect === 'NoExecute');
  if (!noExecute.length) return { kind: 'forever' };
  const used: Toleration[] = [];
  for (const taint of noExecute) {
    const matching = (tolerations ?? []).filter((t) => toleratesTaint(t, taint));
    if (!matching.length) return { kind: 'now' };
    used.push(...matching);
  }
  let min: number | undefined;
  for (const t of used) {
    if (t.tolerationSeconds === undefined || t.tolerationSeconds === null) continue;
    const s = Math.max(0, t.tolerationSeconds);
    if (min === undefined || s < min) min = s;
  }
  return min === undefined ? { kind: 'forever' } : min === 0 ? { kind: 'now' } : { kind: 'after', ms: min * 1000 };
}
