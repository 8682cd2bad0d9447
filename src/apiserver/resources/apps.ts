// apps/v1 resources served by k8ts (Deployment, ReplicaSet): names, scope, status and scale subresources,
// and the strategies that bind them to src/api/apps/v1 defaulting and validation. Other apps/v1 kinds
// (StatefulSet, DaemonSet, ControllerRevision) add their ResourceDefs to `appsResources`.
import type { KubeObject } from '../../api/types.js';
import { labelSelectorAsSelector, type LabelSelector } from '../../api/labels.js';
import type { Deployment, ReplicaSet } from '../../api/apps/v1/types.js';
import { setDefaultsDeployment, setDefaultsReplicaSet } from '../../api/apps/v1/defaults.js';
import * as v from '../../api/apps/v1/validation.js';
import type { ResourceDef } from '../registry.js';
import { specStatusStrategy } from './spec_status.js';
import { statusSubresource } from '../subresources/status.js';
import { scaleSubresource, specReplicasAccessor } from '../subresources/scale.js';

/** The string form of a workload's spec.selector, as the scale subresource reports it. */
export function labelSelectorString(ls: LabelSelector | undefined): string {
  try {
    return labelSelectorAsSelector(ls).toString();
  } catch {
    return '';
  }
}

const deploymentStrategy = specStatusStrategy<Deployment>({
  defaults: setDefaultsDeployment,
  validate: v.validateDeployment,
  validateUpdate: v.validateDeploymentUpdate,
});

const replicaSetStrategy = specStatusStrategy<ReplicaSet>({
  defaults: setDefaultsReplicaSet,
  validate: v.validateReplicaSet,
  validateUpdate: v.validateReplicaSetUpdate,
});

const selectorOf = (o: Deployment | ReplicaSet) => labelSelectorString(o.spec?.selector);

const apps = <T extends KubeObject>(d: Omit<ResourceDef<T>, 'group' | 'version' | 'listKind' | 'schemaName' | 'namespaced'>): ResourceDef<T> => ({
  group: 'apps',
  version: 'v1',
  listKind: `${d.kind}List`,
  schemaName: `io.k8s.api.apps.v1.${d.kind}`,
  namespaced: true,
  ...d,
});

export const appsResources: ResourceDef[] = [
  apps<Deployment>({
    kind: 'Deployment',
    resource: 'deployments',
    singular: 'deployment',
    shortNames: ['deploy'],
    categories: ['all'],
    subresources: {
      status: statusSubresource(deploymentStrategy, { validate: v.validateDeploymentStatusUpdate }),
      scale: scaleSubresource(specReplicasAccessor<Deployment>(selectorOf)),
    },
    strategy: deploymentStrategy,
  }),
  apps<ReplicaSet>({
    kind: 'ReplicaSet',
    resource: 'replicasets',
    singular: 'replicaset',
    shortNames: ['rs'],
    categories: ['all'],
    subresources: {
      status: statusSubresource(replicaSetStrategy, { validate: v.validateReplicaSetStatusUpdate }),
      scale: scaleSubresource(specReplicasAccessor<ReplicaSet>(selectorOf)),
    },
    strategy: replicaSetStrategy,
  }),
];
