// policy/v1 resources: PodDisruptionBudget (short name pdb) with its status subresource; the strategy binds it
// to the defaulting and validation in src/api/policy/v1.
import type { PodDisruptionBudget } from '../../api/policy/v1/types.js';
import { emptyPodDisruptionBudgetStatus, setDefaultsPodDisruptionBudget } from '../../api/policy/v1/defaults.js';
import { validatePodDisruptionBudget, validatePodDisruptionBudgetStatusUpdate, validatePodDisruptionBudgetUpdate } from '../../api/policy/v1/validation.js';
import type { ResourceDef, ResourceStrategy } from '../registry.js';
import { statusSubresource } from '../subresources/status.js';

const pdbStrategy: ResourceStrategy<PodDisruptionBudget> = {
  defaults: setDefaultsPodDisruptionBudget,
  prepareForCreate: (pdb) => {
    pdb.status = emptyPodDisruptionBudgetStatus();
  },
  prepareForUpdate: (obj, old) => {
    obj.status = old.status;
  },
  validate: validatePodDisruptionBudget,
  validateUpdate: validatePodDisruptionBudgetUpdate,
  generationFields: (o) => o.spec,
  allowUnconditionalUpdate: true,
};

export const policyResources: ResourceDef[] = [
  {
    group: 'policy',
    version: 'v1',
    kind: 'PodDisruptionBudget',
    listKind: 'PodDisruptionBudgetList',
    resource: 'poddisruptionbudgets',
    singular: 'poddisruptionbudget',
    namespaced: true,
    shortNames: ['pdb'],
    schemaName: 'io.k8s.api.policy.v1.PodDisruptionBudget',
    subresources: { status: statusSubresource(pdbStrategy, { validate: validatePodDisruptionBudgetStatusUpdate }) },
    strategy: pdbStrategy,
  } as ResourceDef<PodDisruptionBudget> as unknown as ResourceDef,
];
