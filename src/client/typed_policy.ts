// Typed policy/v1 clients (client-go's PolicyV1Interface): `policyV1(client).podDisruptionBudgets(ns)` and the
// pods/eviction subresource.
import type { Eviction, PodDisruptionBudget } from '../api/policy/v1/types.js';
import type { Status } from '../api/types.js';
import type { KubeClient } from './rest.js';
import { ResourceClient, Resources, type ResourceRef } from './typed.js';

export const PolicyResources = {
  podDisruptionBudgets: { group: 'policy', version: 'v1', resource: 'poddisruptionbudgets', namespaced: true } as ResourceRef,
} as const;

export class PolicyV1Client {
  constructor(readonly client: KubeClient) {}

  podDisruptionBudgets(namespace?: string): ResourceClient<PodDisruptionBudget> {
    return new ResourceClient<PodDisruptionBudget>(this.client, PolicyResources.podDisruptionBudgets, namespace);
  }

  /** POST pods/<name>/eviction: a 429 when a disruption budget forbids it. */
  evict(namespace: string, name: string, deleteOptions?: Eviction['deleteOptions']): Promise<Status> {
    const body: Eviction = { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace } };
    if (deleteOptions) body.deleteOptions = deleteOptions;
    return new ResourceClient(this.client, Resources.pods, namespace).createSubresource<Status>(name, 'eviction', body);
  }
}

export function policyV1(client: KubeClient): PolicyV1Client {
  return new PolicyV1Client(client);
}
