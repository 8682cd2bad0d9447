// policy/v1 defaulting: a PodDisruptionBudget gets no spec defaults in v1 (an empty selector selects every
// pod of the namespace); on create its status is reset to zero counts.
import type { PodDisruptionBudget } from './types.js';

export function setDefaultsPodDisruptionBudget(pdb: PodDisruptionBudget): void {
  pdb.spec ??= {};
}

export function emptyPodDisruptionBudgetStatus(): NonNullable<PodDisruptionBudget['status']> {
  return { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 };
}
