// Schemas of policy/v1 PodDisruptionBudget (spec, status, list); the Eviction body lives with the pod
// schemas (core_v1_pod.ts) since pods/eviction posts it.
import type { Definitions } from './types.js';
import { arr, int32, int64, intOrString, kindSchema, listSchema, mapOf, obj, ref, str, META } from './build.js';

const POLICY = 'io.k8s.api.policy.v1.';

export const policyV1Definitions: Definitions = {
  [POLICY + 'PodDisruptionBudget']: kindSchema(
    'policy',
    'v1',
    'PodDisruptionBudget',
    'PodDisruptionBudget is an object to define the max disruption that can be caused to a collection of pods',
    {
      spec: { $ref: POLICY + 'PodDisruptionBudgetSpec', default: {}, description: 'Specification of the desired behavior of the PodDisruptionBudget.' },
      status: { $ref: POLICY + 'PodDisruptionBudgetStatus', default: {}, description: 'Most recently observed status of the PodDisruptionBudget.' },
    },
  ),
  [POLICY + 'PodDisruptionBudgetSpec']: obj('PodDisruptionBudgetSpec is a description of a PodDisruptionBudget.', {
    maxUnavailable: intOrString(
      'An eviction is allowed if at most "maxUnavailable" pods selected by "selector" are unavailable after the eviction, i.e. even in absence of the evicted pod. For example, one can prevent all voluntary evictions by specifying 0. This is a mutually exclusive setting with "minAvailable".',
    ),
    minAvailable: intOrString(
      'An eviction is allowed if at least "minAvailable" pods selected by "selector" will still be available after the eviction, i.e. even in the absence of the evicted pod.  So for example you can prevent all voluntary evictions by specifying "100%".',
    ),
    selector: ref(
      META + 'LabelSelector',
      'Label query over pods whose evictions are managed by the disruption budget. A null selector will match no pods, while an empty ({}) selector will select all pods within the namespace.',
    ),
    unhealthyPodEvictionPolicy: str(
      'UnhealthyPodEvictionPolicy defines the criteria for when unhealthy pods should be considered for eviction. Current implementation considers healthy pods, as pods that have status.conditions item with type="Ready",status="True".',
      ['AlwaysAllow', 'IfHealthyBudget'],
    ),
  }),
  [POLICY + 'PodDisruptionBudgetStatus']: obj(
    'PodDisruptionBudgetStatus represents information about the status of a PodDisruptionBudget. Status may trail the actual state of a system.',
    {
      conditions: arr(
        { $ref: META + 'Condition', default: {} },
        'Conditions contain conditions for PDB. The disruption controller sets the DisruptionAllowed condition (reasons SyncFailed, InsufficientPods, SufficientPods).',
        { mergeKey: 'type', strategy: 'merge', listType: 'map', mapKeys: ['type'] },
      ),
      currentHealthy: int32('current number of healthy pods'),
      desiredHealthy: int32('minimum desired number of healthy pods'),
      disruptedPods: mapOf(
        { $ref: META + 'Time' },
        'DisruptedPods contains information about pods whose eviction was processed by the API server eviction subresource handler but has not yet been observed by the PodDisruptionBudget controller.',
      ),
      disruptionsAllowed: int32('Number of pod disruptions that are currently allowed.'),
      expectedPods: int32('total number of pods counted by this disruption budget'),
      observedGeneration: int64(
        "Most recent generation observed when updating this PDB status. DisruptionsAllowed and other status information is valid only if observedGeneration equals to PDB's object generation.",
      ),
    },
    ['disruptionsAllowed', 'currentHealthy', 'desiredHealthy', 'expectedPods'],
  ),
  [POLICY + 'PodDisruptionBudgetList']: listSchema('policy', 'v1', 'PodDisruptionBudgetList', POLICY + 'PodDisruptionBudget', 'PodDisruptionBudgets'),
};
