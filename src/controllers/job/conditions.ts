// Job conditions as upstream writes them: type, status, reason, message and probe/transition times; a
// condition is replaced only when its status, reason or message changes.
import type { JobCondition, JobConditionType, JobStatus } from '../../api/batch/v1/types.js';

export const JobReasons = {
  backoffLimitExceeded: 'BackoffLimitExceeded',
  deadlineExceeded: 'DeadlineExceeded',
  podFailurePolicy: 'PodFailurePolicy',
  maxFailedIndexesExceeded: 'MaxFailedIndexesExceeded',
  failedIndexes: 'FailedIndexes',
  completionsReached: 'CompletionsReached',
  successPolicy: 'SuccessPolicy',
  suspended: 'JobSuspended',
  resumed: 'JobResumed',
} as const;

export function findCondition(status: JobStatus | undefined, type: JobConditionType): JobCondition | undefined {
  return (status?.conditions ?? []).find((c) => c.type === type);
}

export function isConditionTrue(status: JobStatus | undefined, type: JobConditionType): boolean {
  return findCondition(status, type)?.status === 'True';
}

/** Finished: Complete or Failed is True. */
export function isJobFinished(status: JobStatus | undefined): boolean {
  return isConditionTrue(status, 'Complete') || isConditionTrue(status, 'Failed');
}

/** Sets a condition; returns whether anything changed. */
export function setCondition(status: JobStatus, type: JobConditionType, value: 'True' | 'False', reason: string, message: string, now: string): boolean {
  const conds = (status.conditions ??= []);
  const cur = conds.find((c) => c.type === type);
  if (cur && cur.status === value && cur.reason === reason && cur.message === message) return false;
  const next: JobCondition = { type, status: value, reason, message, lastProbeTime: now, lastTransitionTime: now };
  if (cur && cur.status === value) next.lastTransitionTime = cur.lastTransitionTime;
  if (cur) conds.splice(conds.indexOf(cur), 1, next);
  else conds.push(next);
  return true;
}
