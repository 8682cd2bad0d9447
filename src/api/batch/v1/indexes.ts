// Completion-index sets as the Job API writes them (status.completedIndexes, failedIndexes,
// successPolicy succeededIndexes): sorted, comma-separated numbers and inclusive ranges, e.g. "1,3-5,7".

/** Formats a set of indexes as "1,3-5,7": any run of consecutive numbers is one range (upstream writes "1-2" too). */
export function formatIndexes(indexes: Iterable<number>): string {
  const sorted = [...new Set(indexes)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(j === i ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/**
 * Parses "1,3-5" into its indexes, keeping those below `limit` (completions); throws Error with a reason
 * for malformed input (non-numbers, descending ranges, unordered or overlapping intervals).
 */
export function parseIndexes(s: string | undefined, limit = Number.MAX_SAFE_INTEGER): number[] {
  const out: number[] = [];
  if (!s) return out;
  let prev = -1;
  for (const part of s.split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) throw new Error(`cannot parse integer index: "${part}"`);
    const first = Number(m[1]);
    const last = m[2] === undefined ? first : Number(m[2]);
    if (last < first) throw new Error(`non-increasing order, previous: ${first}, current: ${last}`);
    if (first <= prev) throw new Error(`non-increasing order, previous: ${prev}, current: ${first}`);
    prev = last;
    for (let x = first; x <= last && x < limit; x++) out.push(x);
  }
  return out;
}
