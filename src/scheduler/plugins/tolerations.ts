// Toleration matching with upstream rules: effect (empty = all), key (empty with Exists = all keys),
// operator Equal (default; values must be equal) or Exists.
import type { Taint, Toleration } from '../../api/core/v1/types.js';

export function toleratesTaint(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  switch (t.operator ?? '') {
    case '':
    case 'Equal':
      return (t.value ?? '') === (taint.value ?? '');
    case 'Exists':
      return true;
    default:
      return false;
  }
}

export function tolerationsTolerateTaint(tolerations: Toleration[] | undefined, taint: Taint): boolean {
  return (tolerations ?? []).some((t) => toleratesTaint(t, taint));
}

/** First taint (in node order) accepted by `filter` that no toleration tolerates. */
export function findMatchingUntoleratedTaint(taints: Taint[], tolerations: Toleration[] | undefined, filter: (t: Taint) => boolean): Taint | undefined {
  return taints.find((t) => filter(t) && !tolerationsTolerateTaint(tolerations, t));
}
