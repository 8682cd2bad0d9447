// The delay before a Job recreates pods after failures (upstream's backoff record): the base (10 s) doubled
// per failure since the last success, capped (10 min), counted from the newest failure's finish time.

export const DEFAULT_POD_FAILURE_BACKOFF_MS = 10_000;
export const MAX_POD_FAILURE_BACKOFF_MS = 10 * 60_000;

export interface BackoffRecord {
  /** Failed pods since the last successful one. */
  failuresAfterLastSuccess: number;
  /** When the newest of those failed (ms since the epoch). */
  lastFailureTime?: number;
}

/** base · 2^(failures−1), at most `max`; 0 without failures. */
export function backoffDuration(failures: number, baseMs = DEFAULT_POD_FAILURE_BACKOFF_MS, maxMs = MAX_POD_FAILURE_BACKOFF_MS): number {
  if (failures <= 0 || baseMs <= 0) return 0;
  // doubling past the cap would overflow long before 2^1000; stop once it is reached
  let d = baseMs;
  for (let i = 1; i < failures && d < maxMs; i++) d *= 2;
  return Math.min(d, maxMs);
}

/** How long creation must still wait at `now` (0: create now). */
export function remainingBackoff(rec: BackoffRecord, now: number, baseMs?: number, maxMs?: number): number {
  if (rec.failuresAfterLastSuccess <= 0 || rec.lastFailureTime === undefined) return 0;
  return Math.max(0, rec.lastFailureTime + backoffDuration(rec.failuresAfterLastSuccess, baseMs, maxMs) - now);
}

/** The record after newly finished pods: a success resets the count; failures add to it. */
export function nextBackoffRecord(rec: BackoffRecord, newSucceeded: number, newFailedFinishTimes: number[]): BackoffRecord {
  if (newSucceeded > 0) return { failuresAfterLastSuccess: 0 };
  if (newFailedFinishTimes.length === 0) return rec;
  const last = Math.max(rec.lastFailureTime ?? 0, ...newFailedFinishTimes);
  return { failuresAfterLastSuccess: rec.failuresAfterLastSuccess + newFailedFinishTimes.length, lastFailureTime: last };
}
