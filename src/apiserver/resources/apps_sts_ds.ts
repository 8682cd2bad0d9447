// apps/v1 StatefulSet, DaemonSet and ControllerRevision: names, scope, status (and, for StatefulSet, scale:
// the apps kinds' shared helper) subresources and the strategies binding each to its defaulting and validation in src/api/apps/v1.
import type { ControllerRevision, DaemonSet, StatefulSet } from '../../api/apps/v1/workload_types.js';
import { setDefaultsControllerRevision, setDefaultsDaemonSet, setDefaultsStatefulSet } from '../../api/apps/v1/workload_defaults.js';
import { validateStatefulSet, validateStatefulSetStatusUpdate, validateStatefulSetUpdate } from '../../api/apps/v1/validation/stateful_set.js';
import { validateDaemonSet, validateDaemonSetStatusUpdate, validateDaemonSetUpdate } from '../../api/apps/v1/validation/daemon_set.js';
import { validateControllerRevision, validateControllerRevisionUpdate } from '../../api/apps/v1/validation/controller_revision.js';
import type { KubeObject } from '../../api/types.js';
import type { ResourceDef, ResourceStrategy } from '../registry.js';
import { isDeepStrictEqual } from 'node:util';
import { statusSubresource } from '../subresources/status.js';
import { scaleSubresource, specReplicasAccessor } from '../subresources/scale.js';
import { labelSelectorString } from './apps.js';

const statefulSetStrategy: ResourceStrategy<StatefulSet> = {
  defaults: setDefaultsStatefulSet,
  prepareForCreate: (sts) => {
    sts.status = { replicas: 0, availableReplicas: 0 };
  },
  prepareForUpdate: (obj, old) => {
    obj.status = old.status;
  },
  validate: validateStatefulSet,
  validateUpdate: validateStatefulSetUpdate,
  generationFields: (o) => o.spec,
  allowUnconditionalUpdate: true,
};

/** apps/v1 keeps the DaemonSet's template generation (its pods' pod-template-generation label) in this annotation. */
const TEMPLATE_GENERATION = 'deprecated.daemonset.template.generation';

function templateGenerationOf(ds: DaemonSet): number {
  const v = ds.metadata.annotations?.[TEMPLATE_GENERATION];
  return v !== undefined && /^[0-9]+$/.test(v) ? Number(v) : 0;
}

function setTemplateGeneration(ds: DaemonSet, g: number): void {
  ds.metadata.annotations = { ...(ds.metadata.annotations ?? {}), [TEMPLATE_GENERATION]: String(g) };
}

const daemonSetStrategy: ResourceStrategy<DaemonSet> = {
  defaults: setDefaultsDaemonSet,
  prepareForCreate: (ds) => {
    ds.status = { currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0 };
    setTemplateGeneration(ds, Math.max(1, templateGenerationOf(ds)));
  },
  prepareForUpdate: (obj, old) => {
    obj.status = old.status;
    // upstream: clients cannot set the template generation; a changed template bumps it
    const defaulted = setDefaultsDaemonSet(structuredClone(obj));
    const changed = !isDeepStrictEqual(defaulted.spec?.template, old.spec?.template);
    setTemplateGeneration(obj, Math.max(1, templateGenerationOf(old)) + (changed ? 1 : 0));
  },
  validate: validateDaemonSet,
  validateUpdate: validateDaemonSetUpdate,
  generationFields: (o) => o.spec,
  allowUnconditionalUpdate: true,
};

const controllerRevisionStrategy: ResourceStrategy<ControllerRevision> = {
  defaults: setDefaultsControllerRevision,
  validate: validateControllerRevision,
  validateUpdate: validateControllerRevisionUpdate,
  allowUnconditionalUpdate: true,
};

const apps = <T extends KubeObject>(d: Omit<ResourceDef<T>, 'group' | 'version' | 'listKind' | 'schemaName'>): ResourceDef<T> => ({
  group: 'apps',
  version: 'v1',
  listKind: `${d.kind}List`,
  schemaName: `io.k8s.api.apps.v1.${d.kind}`,
  ...d,
});

export const statefulSetAndDaemonSetResources: ResourceDef[] = [
  apps<StatefulSet>({
    kind: 'StatefulSet',
    resource: 'statefulsets',
    singular: 'statefulset',
    namespaced: true,
    shortNames: ['sts'],
    categories: ['all'],
    subresources: {
      status: statusSubresource(statefulSetStrategy, { validate: validateStatefulSetStatusUpdate }),
      scale: scaleSubresource(specReplicasAccessor<StatefulSet>((o) => labelSelectorString(o.spec?.selector))),
    },
    strategy: statefulSetStrategy,
  }),
  apps<DaemonSet>({
    kind: 'DaemonSet',
    resource: 'daemonsets',
    singular: 'daemonset',
    namespaced: true,
    shortNames: ['ds'],
    categories: ['all'],
    subresources: { status: statusSubresource(daemonSetStrategy, { validate: validateDaemonSetStatusUpdate }) },
    strategy: daemonSetStrategy,
  }),
  apps<ControllerRevision>({
    kind: 'ControllerRevision',
    resource: 'controllerrevisions',
    singular: 'controllerrevision',
    namespaced: true,
    strategy: controllerRevisionStrategy,
  }),
] as ResourceDef[];
