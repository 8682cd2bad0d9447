// Printers for batch/v1: Job (STATUS from its conditions, COMPLETIONS, DURATION) and CronJob (SCHEDULE,
// TIMEZONE, SUSPEND, ACTIVE, LAST SCHEDULE), with upstream's wide columns CONTAINERS, IMAGES, SELECTOR.
import type { KubeObject } from '../../api/types.js';
import { ageColumn, column, nameColumn } from './columns.js';
import { humanDuration, parseTime, translateTimestampSince } from './duration.js';
import { asArray, asDict, asNumber, asString } from './format.js';
import type { Printer } from './types.js';
import { containersColumn, imagesColumn, labelSelectorCell, selectorColumn, templateContainerCells } from './apps.js';

const wideColumns = [containersColumn, imagesColumn, selectorColumn];

/** metav1.FormatLabelSelector: "<none>" for an unset or empty selector. */
const selectorCell = (ls: unknown): string => (ls === undefined || ls === null ? '' : labelSelectorCell(ls)) || '<none>';

function hasCondition(status: Record<string, unknown>, type: string): boolean {
  return asArray(status.conditions)
    .map(asDict)
    .some((c) => c.type === type && c.status === 'True');
}

function jobStatus(job: KubeObject): string {
  const status = asDict(job.status);
  if (hasCondition(status, 'Complete')) return 'Complete';
  if (hasCondition(status, 'Failed')) return 'Failed';
  if (job.metadata.deletionTimestamp) return 'Terminating';
  if (hasCondition(status, 'Suspended')) return 'Suspended';
  if (hasCondition(status, 'FailureTarget')) return 'FailureTarget';
  return 'Running';
}

function jobCompletions(spec: Record<string, unknown>, succeeded: number): string {
  if (typeof spec.completions === 'number') return `${succeeded}/${spec.completions}`;
  const parallelism = asNumber(spec.parallelism);
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

function jobDuration(status: Record<string, unknown>, now: Date): string {
  const start = parseTime(status.startTime);
  if (start === undefined) return '';
  const end = parseTime(status.completionTime) ?? now.getTime();
  return humanDuration(end - start);
}

export const jobPrinter: Printer = {
  columns: [
    nameColumn,
    column('Status', 'string', 'Status of the job.'),
    column('Completions', 'string', 'The desired number of successfully finished pods the job should be run with.'),
    column('Duration', 'string', 'Time required to complete the job.'),
    ageColumn,
    ...wideColumns,
  ],
  cells(job, now) {
    const spec = asDict(job.spec);
    const status = asDict(job.status);
    const [names, images] = templateContainerCells(spec.template);
    return [
      asString(job.metadata.name),
      jobStatus(job),
      jobCompletions(spec, asNumber(status.succeeded)),
      jobDuration(status, now),
      translateTimestampSince(job.metadata.creationTimestamp, now),
      names,
      images,
      selectorCell(spec.selector),
    ];
  },
};

export const cronJobPrinter: Printer = {
  columns: [
    nameColumn,
    column('Schedule', 'string', 'The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.'),
    column('Timezone', 'string', 'The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones.'),
    column('Suspend', 'boolean', 'This flag tells the controller to suspend subsequent executions.'),
    column('Active', 'integer', 'A list of pointers to currently running jobs.'),
    column('Last Schedule', 'string', 'Information when was the last time the job was successfully scheduled.'),
    ageColumn,
    ...wideColumns,
  ],
  cells(cj, now) {
    const spec = asDict(cj.spec);
    const status = asDict(cj.status);
    const jobSpec = asDict(asDict(spec.jobTemplate).spec);
    const [names, images] = templateContainerCells(jobSpec.template);
    const suspend = typeof spec.suspend === 'boolean' ? (spec.suspend ? 'True' : 'False') : '<unset>';
    return [
      asString(cj.metadata.name),
      asString(spec.schedule),
      typeof spec.timeZone === 'string' ? spec.timeZone : '<none>',
      suspend,
      asArray(status.active).length,
      status.lastScheduleTime ? translateTimestampSince(status.lastScheduleTime, now) : '<none>',
      translateTimestampSince(cj.metadata.creationTimestamp, now),
      names,
      images,
      selectorCell(jobSpec.selector),
    ];
  },
};
