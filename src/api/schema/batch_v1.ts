// Schemas of batch/v1: Job (spec with pod failure and success policies, status with uncounted pods),
// CronJob (schedule, concurrency, job template, active references) and their lists.
import type { Definitions } from './types.js';
import { CORE, META, str, int32, int64, bool, ref, arr, strList, obj, time, kindSchema, listSchema } from './build.js';

const BATCH = 'io.k8s.api.batch.v1.';

export const batchV1Definitions: Definitions = {
  [BATCH + 'Job']: kindSchema('batch', 'v1', 'Job', 'Job represents the configuration of a single job: pods run until a number of them succeed.', {
    spec: ref(BATCH + 'JobSpec', 'Desired behaviour of the job.'),
    status: ref(BATCH + 'JobStatus', 'Current status of the job; written by the job controller.'),
  }),
  [BATCH + 'JobList']: listSchema('batch', 'v1', 'JobList', BATCH + 'Job', 'jobs'),
  [BATCH + 'JobSpec']: obj(
    'How a job runs: how many pods succeed, how many run at once, failure handling and deadlines.',
    {
      activeDeadlineSeconds: int64('Seconds the job may be active (from its start time) before the system fails it and terminates its pods; positive integer.'),
      backoffLimit: int32('Number of retries before marking the job failed. Defaults to 6.'),
      backoffLimitPerIndex: int32('Retries per index before that index fails (Indexed completion mode only).'),
      completionMode: str('How pod completions are tracked: NonIndexed (the default) or Indexed (each pod gets a completion index).', [
        'Indexed',
        'NonIndexed',
      ]),
      completions: int32('Number of successfully finished pods the job needs. Unset with parallelism set: any pod succeeding means success (work queue).'),
      managedBy: str('The controller that manages the job; immutable.'),
      manualSelector: bool('Whether the selector is given by the user rather than generated from the job UID.'),
      maxFailedIndexes: int32('Failed indexes after which the whole job fails (with backoffLimitPerIndex).'),
      parallelism: int32('Maximum number of pods running at any time. Defaults to 1.'),
      podFailurePolicy: ref(BATCH + 'PodFailurePolicy', 'How failed pods count: rules on exit codes and pod conditions.'),
      podReplacementPolicy: str('When replacement pods are created: TerminatingOrFailed (default) or Failed (once a pod is fully terminated).', [
        'Failed',
        'TerminatingOrFailed',
      ]),
      selector: ref(META + 'LabelSelector', 'Label query over the pods of the job; generated unless manualSelector.'),
      successPolicy: ref(BATCH + 'SuccessPolicy', 'When an Indexed job counts as succeeded before all indexes complete.'),
      suspend: bool('Whether the controller creates pods; suspending a running job deletes its active pods. Defaults to false.'),
      template: { $ref: CORE + 'PodTemplateSpec', default: {}, description: 'The pods the job runs; restartPolicy must be OnFailure or Never.' },
      ttlSecondsAfterFinished: int32('Seconds after the job finishes (Complete or Failed) before it is deleted automatically.'),
    },
    ['template'],
  ),
  [BATCH + 'PodFailurePolicy']: obj(
    'Rules on failed pods, checked in order; the first match decides.',
    {
      rules: arr({ $ref: BATCH + 'PodFailurePolicyRule', default: {} }, 'The rules (at most 20).', { listType: 'atomic' }),
    },
    ['rules'],
  ),
  [BATCH + 'PodFailurePolicyRule']: obj(
    'An action taken when a failed pod matches its requirement on exit codes or on pod conditions.',
    {
      action: str('FailJob, FailIndex, Ignore (not counted toward backoffLimit) or Count.', ['Count', 'FailIndex', 'FailJob', 'Ignore']),
      onExitCodes: ref(BATCH + 'PodFailurePolicyOnExitCodesRequirement', 'Requirement on container exit codes.'),
      onPodConditions: arr({ $ref: BATCH + 'PodFailurePolicyOnPodConditionsPattern', default: {} }, 'Requirement on pod conditions (any pattern matching).', {
        listType: 'atomic',
      }),
    },
    ['action'],
  ),
  [BATCH + 'PodFailurePolicyOnExitCodesRequirement']: obj(
    'Matches a failed pod by its containers’ terminal exit codes.',
    {
      containerName: str('Only this container’s exit code is checked; all containers when unset.'),
      operator: str('In or NotIn the values.', ['In', 'NotIn']),
      values: arr({ type: 'integer', format: 'int32', default: 0 }, 'Exit codes, ordered, without duplicates (at most 255).', { listType: 'set' }),
    },
    ['operator', 'values'],
  ),
  [BATCH + 'PodFailurePolicyOnPodConditionsPattern']: obj(
    'Matches a failed pod by one of its conditions.',
    {
      status: str('Required status of the condition; defaults to True.'),
      type: str('Condition type, e.g. DisruptionTarget.'),
    },
    ['type'],
  ),
  [BATCH + 'SuccessPolicy']: obj(
    'Rules by which an Indexed job succeeds early.',
    {
      rules: arr({ $ref: BATCH + 'SuccessPolicyRule', default: {} }, 'The rules (any satisfied means success).', { listType: 'atomic' }),
    },
    ['rules'],
  ),
  [BATCH + 'SuccessPolicyRule']: obj('Indexes and/or a count of indexes that must succeed.', {
    succeededCount: int32('Minimum number of succeeded indexes (within succeededIndexes when set).'),
    succeededIndexes: str('Indexes that must succeed, as "1,3-5".'),
  }),
  [BATCH + 'JobStatus']: obj('Observed state of a job.', {
    active: int32('Number of pending and running pods that are not terminating.'),
    completedIndexes: str('Completed indexes of an Indexed job, as "1,3-5,7".'),
    completionTime: time('When the job completed (set only once it succeeded).'),
    conditions: arr({ $ref: BATCH + 'JobCondition', default: {} }, 'Latest observations of the job’s state.', {
      listType: 'atomic',
    }),
    failed: int32('Number of pods that reached phase Failed.'),
    failedIndexes: str('Failed indexes (with backoffLimitPerIndex), as "1,3-5,7".'),
    ready: int32('Number of active pods with condition Ready.'),
    startTime: time('When the job controller started processing the job (reset on resume after suspension).'),
    succeeded: int32('Number of pods that reached phase Succeeded.'),
    terminating: int32('Number of pods terminating (with a deletionTimestamp).'),
    uncountedTerminatedPods: ref(BATCH + 'UncountedTerminatedPods', 'UIDs of finished pods not yet counted in the counters.'),
  }),
  [BATCH + 'UncountedTerminatedPods']: obj('UIDs of terminated pods that the controller has not yet added to the counters.', {
    failed: strList('UIDs of failed pods.', 'set'),
    succeeded: strList('UIDs of succeeded pods.', 'set'),
  }),
  [BATCH + 'JobCondition']: obj(
    'One observation of a job’s state.',
    {
      lastProbeTime: time('Last time the condition was checked.'),
      lastTransitionTime: time('Last time the condition changed status.'),
      message: str('Human readable details.'),
      reason: str('One-word CamelCase reason for the last transition.'),
      status: str('True, False or Unknown.'),
      type: str('Complete, Failed, Suspended, FailureTarget or SuccessCriteriaMet.'),
    },
    ['type', 'status'],
  ),
  [BATCH + 'CronJob']: kindSchema('batch', 'v1', 'CronJob', 'CronJob runs a job on a time-based schedule.', {
    spec: ref(BATCH + 'CronJobSpec', 'The schedule and the job to run.'),
    status: ref(BATCH + 'CronJobStatus', 'Current status; written by the cronjob controller.'),
  }),
  [BATCH + 'CronJobList']: listSchema('batch', 'v1', 'CronJobList', BATCH + 'CronJob', 'cronjobs'),
  [BATCH + 'CronJobSpec']: obj(
    'When and how jobs are created.',
    {
      concurrencyPolicy: str('How overlapping runs are treated: Allow (default), Forbid (skip the new run) or Replace (replace the running job).', [
        'Allow',
        'Forbid',
        'Replace',
      ]),
      failedJobsHistoryLimit: int32('Number of failed finished jobs to keep. Defaults to 1.'),
      jobTemplate: { $ref: BATCH + 'JobTemplateSpec', default: {}, description: 'The job created at each scheduled time.' },
      schedule: str('The schedule in cron format (5 fields, or a macro such as @hourly).'),
      startingDeadlineSeconds: int64('Deadline in seconds for starting a job that missed its scheduled time; missed runs later than this count as failed.'),
      successfulJobsHistoryLimit: int32('Number of successful finished jobs to keep. Defaults to 3.'),
      suspend: bool('Suspends subsequent runs (running jobs are not touched). Defaults to false.'),
      timeZone: str('IANA time zone the schedule is read in; the controller’s (UTC) when unset.'),
    },
    ['schedule', 'jobTemplate'],
  ),
  [BATCH + 'JobTemplateSpec']: obj('The Job created from a CronJob.', {
    metadata: { $ref: META + 'ObjectMeta', default: {}, description: 'Metadata of the jobs created from this template.' },
    spec: ref(BATCH + 'JobSpec', 'Specification of the job.'),
  }),
  [BATCH + 'CronJobStatus']: obj('Observed state of a cron job.', {
    active: arr({ $ref: CORE + 'ObjectReference', default: {} }, 'The jobs currently running.', { listType: 'atomic' }),
    lastScheduleTime: time('When a job was last scheduled.'),
    lastSuccessfulTime: time('When a job last completed successfully.'),
  }),
};
