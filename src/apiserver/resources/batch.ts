// batch/v1 resources: Job and CronJob with their status subresources; the strategies bind them to the
// defaulting (and the Job's generated selector) and validation in src/api/batch/v1.
import type { CronJob, Job } from '../../api/batch/v1/types.js';
import { generateJobSelector, setDefaultsCronJob, setDefaultsJob } from '../../api/batch/v1/defaults.js';
import {
  validateCronJob,
  validateCronJobStatusUpdate,
  validateCronJobUpdate,
  validateJob,
  validateJobStatusUpdate,
  validateJobUpdate,
} from '../../api/batch/v1/validation.js';
import type { ResourceDef, ResourceStrategy } from '../registry.js';
import { statusSubresource } from '../subresources/status.js';

const jobStrategy: ResourceStrategy<Job> = {
  defaults: setDefaultsJob,
  prepareForCreate: (job) => {
    job.status = {};
    generateJobSelector(job);
  },
  prepareForUpdate: (obj, old) => {
    obj.status = old.status;
  },
  validate: validateJob,
  validateUpdate: validateJobUpdate,
  generationFields: (o) => o.spec,
  allowUnconditionalUpdate: true,
  // batch/v1 keeps upstream's old default: a delete without a propagation policy orphans the pods
  defaultGarbageCollectionPolicy: 'OrphanDependents',
};

const cronJobStrategy: ResourceStrategy<CronJob> = {
  defaults: setDefaultsCronJob,
  prepareForCreate: (cj) => {
    cj.status = {};
  },
  prepareForUpdate: (obj, old) => {
    obj.status = old.status;
  },
  validate: validateCronJob,
  validateUpdate: validateCronJobUpdate,
  generationFields: (o) => o.spec,
  allowUnconditionalUpdate: true,
};

const batch = <T extends Job | CronJob>(d: Omit<ResourceDef<T>, 'group' | 'version' | 'listKind' | 'schemaName'>): ResourceDef<T> => ({
  group: 'batch',
  version: 'v1',
  listKind: `${d.kind}List`,
  schemaName: `io.k8s.api.batch.v1.${d.kind}`,
  ...d,
});

export const batchResources: ResourceDef[] = [
  batch<Job>({
    kind: 'Job',
    resource: 'jobs',
    singular: 'job',
    namespaced: true,
    categories: ['all'],
    subresources: { status: statusSubresource(jobStrategy, { validate: validateJobStatusUpdate }) },
    strategy: jobStrategy,
  }),
  batch<CronJob>({
    kind: 'CronJob',
    resource: 'cronjobs',
    singular: 'cronjob',
    namespaced: true,
    shortNames: ['cj'],
    categories: ['all'],
    subresources: { status: statusSubresource(cronJobStrategy, { validate: validateCronJobStatusUpdate }) },
    strategy: cronJobStrategy,
  }),
];
