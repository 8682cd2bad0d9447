// Printers for batch/v1: Job (STATUS, COMPLETIONS, DURATION) and CronJob.
import type { KubeObject } from '../../api/types.js';
import { ageColumn, column, containersColumn, imagesColumn, nameColumn } from './columns.js';
import { humanDuration, parseTime, translateTimestampSince } from './duration.js';
import { asArray, asDict, asNumber, asString, formatLabelSelector, layoutContainerCells, templateContainers } from './format.js';
import type { Printer } from './types.js';

/** Status of the first condition of `type`: true only when it is "True". */
function hasCondition(status: Record<string, unknown>, type: string): boolean {
  const c = asArray(status.conditions).map(asDict).find((x) => x.type === type);
  return c?.status === 'True';
}

export function jobStatusString(job: KubeObject): string {
  const status = asDict(job.status);
  if (hasCondition(status, 'Complete')) return 'Complete';
  if (hasCondition(status, 'Failed')) return 'Failed';
  if (parseTime(job.metadata.deletionTimestamp) !== undefined) return 'Terminating';
  if (hasCondition(status, 'Suspended')) return 'Suspended';
  if (hasCondition(status, 'FailureTarget')) return 'FailureTarget';
  return 'Running';
}

export function jobCompletionsString(job: KubeObject): string {
  const spec = asDict(job.spec);
  const succeeded = asNumber(asDict(job.status).succeeded);
  if (typeof spec.completions === 'number') return `${succeeded}/${spec.completions}`;
  const parallelism = asNumber(spec.parallelism);
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

function jobDuration(job: KubeObject, now: Date): string {
  const status = asDict(job.status);
  const start = parseTime(status.startTime);
  if (start === undefined) return '';
  const end = parseTime(status.completionTime);
  return humanDuration((end ?? now.getTime()) - start);
}

export const jobPrinter: Printer = {
  columns: [
    nameColumn,
    column('Status', 'string', 'Summary of the job conditions.'),
    column('Completions', 'string', 'Succeeded pods out of required completions.'),
    column('Duration', 'string', 'How long the job has run (until completion, if complete).'),
    ageColumn,
    containersColumn,
    imagesColumn,
    column('Selector', 'string', 'Label selector for the pods of the job.', 1),
  ],
  cells(job, now) {
    const spec = asDict(job.spec);
    const [names, images] = layoutContainerCells(templateContainers(spec));
    return [
      asString(job.metadata.name),
      jobStatusString(job),
      jobCompletionsString(job),
      jobDuration(job, now),
      translateTimestampSince(job.metadata.creationTimestamp, now),
      names,
      images,
      formatLabelSelector(spec.selector),
    ];
  },
};

export const cronJobPrinter: Printer = {
  columns: [
    nameColumn,
    column('Schedule', 'string', 'Cron schedule the jobs are created on.'),
    column('Timezone', 'string', 'Time zone the schedule is interpreted in.'),
    column('Suspend', 'boolean', 'Whether new job creation is suspended.'),
    column('Active', 'integer', 'Number of currently running jobs.'),
    column('Last Schedule', 'string', 'Time since a job was last scheduled.'),
    ageColumn,
    containersColumn,
    imagesColumn,
    column('Selector', 'string', 'Label selector of the job template.', 1),
  ],
  cells(cj, now) {
    const spec = asDict(cj.spec);
    const status = asDict(cj.status);
    const jobSpec = asDict(asDict(spec.jobTemplate).spec);
    const [names, images] = layoutContainerCells(templateContainers(jobSpec));
    const suspend = typeof spec.suspend === 'boolean' ? (spec.suspend ? 'True' : 'False') : '<unset>';
    const last = status.lastScheduleTime ? translateTimestampSince(status.lastScheduleTime, now) : '<none>';
    return [
      asString(cj.metadata.name),
      asString(spec.schedule),
      asString(spec.timeZone) || '<none>',
      suspend,
      asArray(status.active).length,
      last,
      translateTimestampSince(cj.metadata.creationTimestamp, now),
      names,
      images,
      formatLabelSelector(jobSpec.selector),
    ];
  },
};
