// The pod a Job creates (upstream getPodFromTemplate + the Job controller's additions): the template's
// labels, annotations and spec, a controller ownerReference, the job-tracking finalizer and, for Indexed
// Jobs, the completion index annotation/label, hostname <job>-<index> and the JOB_COMPLETION_INDEX env var.
import { JobLabels, type Job } from '../../api/batch/v1/types.js';
import type { Container, Pod } from '../../api/core/v1/types.js';

const INDEX_ENV = 'JOB_COMPLETION_INDEX';

function addIndexEnv(c: Container): void {
  const env = (c.env ??= []);
  if (env.some((e) => e.name === INDEX_ENV)) return;
  env.push({ name: INDEX_ENV, valueFrom: { fieldRef: { fieldPath: `metadata.annotations['${JobLabels.completionIndex}']` } } });
}

/** A new pod for `job` (with `index` for Indexed Jobs and the index's failures so far). */
export function podFromJob(job: Job, index?: number, indexFailures?: number): Pod {
  const tpl = structuredClone(job.spec!.template);
  const name = job.metadata.name!;
  const labels = { ...(tpl.metadata?.labels ?? {}) };
  const annotations = { ...(tpl.metadata?.annotations ?? {}) };
  const spec = tpl.spec!;
  let generateName = `${name}-`;
  if (index !== undefined) {
    annotations[JobLabels.completionIndex] = String(index);
    labels[JobLabels.completionIndex] = String(index);
    generateName = `${name}-${index}-`;
    // a stable hostname per index, so pods of an Indexed Job can address each other
    spec.hostname ??= `${name}-${index}`;
    for (const c of spec.initContainers ?? []) addIndexEnv(c);
    for (const c of spec.containers) addIndexEnv(c);
    if (indexFailures !== undefined && job.spec!.backoffLimitPerIndex !== undefined) annotations[JobLabels.jobIndexFailureCount] = String(indexFailures);
  }
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName,
      namespace: job.metadata.namespace,
      labels,
      finalizers: [JobLabels.trackingFinalizer],
      ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name, uid: job.metadata.uid!, controller: true, blockOwnerDeletion: true }],
    },
    spec,
  };
  if (Object.keys(annotations).length) pod.metadata.annotations = annotations;
  return pod;
}
