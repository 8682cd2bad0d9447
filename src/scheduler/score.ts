// Score constants and host selection: the node with the highest total score wins; ties are broken at random
// among the best (upstream's reservoir sampling), so equal nodes share the load.
import type { NodeScore } from './framework_types.js';

export const MAX_NODE_SCORE = 100;

/** The best-scored node's name (ties: uniformly random, `rand` for tests), or undefined when there is none. */
export function selectHost(scores: NodeScore[], rand: () => number = Math.random): string | undefined {
  let best: string | undefined;
  let bestScore = -Infinity;
  let ties = 0;
  for (const s of scores) {
    if (s.score > bestScore) {
      best = s.name;
      bestScore = s.score;
      ties = 1;
    } else if (s.score === bestScore) {
      ties++;
      if (rand() * ties < 1) best = s.name;
    }
  }
  return best;
}
