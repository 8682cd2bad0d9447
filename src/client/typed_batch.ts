// Typed batch/v1 clients (client-go's BatchV1Interface): `batchV1(client).jobs(ns)` and `.cronJobs(ns)`.
import type { CronJob, Job } from '../api/batch/v1/types.js';
import type { KubeClient } from './rest.js';
import { ResourceClient, type ResourceRef } from './typed.js';

export const BatchResources = {
  jobs: { group: 'batch', version: 'v1', resource: 'jobs', namespaced: true } as ResourceRef,
  cronJobs: { group: 'batch', version: 'v1', resource: 'cronjobs', namespaced: true } as ResourceRef,
} as const;

export class BatchV1Client {
  constructor(readonly client: KubeClient) {}

  jobs(namespace?: string): ResourceClient<Job> {
    return new ResourceClient<Job>(this.client, BatchResources.jobs, namespace);
  }
  cronJobs(namespace?: string): ResourceClient<CronJob> {
    return new ResourceClient<CronJob>(this.client, BatchResources.cronJobs, namespace);
  }
}

export function batchV1(client: KubeClient): BatchV1Client {
  return new BatchV1Client(client);
}
