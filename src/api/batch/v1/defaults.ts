// batch/v1 defaulting (upstream SetDefaults_Job / SetDefaults_CronJob plus the pod template's PodSpec
// defaults) and the Job strategy's create-time selector generation (generateSelector).
import { setDefaultsTemplatePodSpec } from '../../core/v1/defaults.js';
import type { PodTemplateSpec } from '../../core/v1/types.js';
import { JobLabels, type CronJob, type Job, type JobSpec } from './types.js';

const MAX_INT32 = 2147483647;

/** PodSpec defaults inside a template: not the service account, priority or service links, which only pods get. */
export function setDefaultsPodTemplateSpec(t: PodTemplateSpec | undefined): void {
  if (!t?.spec || typeof t.spec !== 'object') return;
  setDefaultsTemplatePodSpec(t.spec);
}

function setDefaultsJobSpecPolicies(spec: JobSpec): void {
  for (const rule of spec.podFailurePolicy?.rules ?? []) {
    for (const p of rule.onPodConditions ?? []) p.status ??= 'True';
  }
}

export function setDefaultsJob(job: Job): Job {
  job.apiVersion ??= 'batch/v1';
  job.kind ??= 'Job';
  const spec = (job.spec ??= { template: {} });
  // completions and parallelism both unset: one pod; completions unset alone: a work queue
  if ((spec.completions === undefined || spec.completions === null) && (spec.parallelism === undefined || spec.parallelism === null)) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  if (spec.parallelism === undefined || spec.parallelism === null) spec.parallelism = 1;
  if (spec.backoffLimit === undefined || spec.backoffLimit === null) spec.backoffLimit = spec.backoffLimitPerIndex !== undefined ? MAX_INT32 : 6;
  spec.completionMode ??= 'NonIndexed';
  spec.suspend ??= false;
  spec.podReplacementPolicy ??= spec.podFailurePolicy ? 'Failed' : 'TerminatingOrFailed';
  setDefaultsJobSpecPolicies(spec);
  spec.template ??= {};
  const templateLabels = spec.template.metadata?.labels;
  if (templateLabels && Object.keys(job.metadata.labels ?? {}).length === 0) job.metadata.labels = { ...templateLabels };
  setDefaultsPodTemplateSpec(spec.template);
  return job;
}

/**
 * Create-time: unless manualSelector, the selector is the job's UID and the template carries the labels
 * that match it (new and legacy names), as upstream's Job strategy generates them.
 */
export function generateJobSelector(job: Job): void {
  const spec = job.spec;
  if (!spec || spec.manualSelector === true) return;
  const uid = job.metadata.uid ?? '';
  const name = job.metadata.name ?? '';
  const meta = (spec.template.metadata ??= {});
  const labels = (meta.labels ??= {});
  labels[JobLabels.controllerUid] ??= uid;
  labels[JobLabels.legacyControllerUid] ??= uid;
  labels[JobLabels.jobName] ??= name;
  labels[JobLabels.legacyJobName] ??= name;
  // what upstream's read-time defaulting shows: a Job without labels carries its pods' labels
  if (Object.keys(job.metadata.labels ?? {}).length === 0) job.metadata.labels = { ...labels };
  const selector = (spec.selector ??= {});
  (selector.matchLabels ??= {})[JobLabels.controllerUid] ??= uid;
}

export function setDefaultsCronJob(cj: CronJob): CronJob {
  cj.apiVersion ??= 'batch/v1';
  cj.kind ??= 'CronJob';
  const spec = (cj.spec ??= { schedule: '', jobTemplate: {} });
  spec.concurrencyPolicy ??= 'Allow';
  spec.suspend ??= false;
  spec.successfulJobsHistoryLimit ??= 3;
  spec.failedJobsHistoryLimit ??= 1;
  spec.jobTemplate ??= {};
  const jobSpec = spec.jobTemplate.spec;
  if (jobSpec && typeof jobSpec === 'object') {
    setDefaultsJobSpecPolicies(jobSpec);
    setDefaultsPodTemplateSpec(jobSpec.template);
  }
  return cj;
}
