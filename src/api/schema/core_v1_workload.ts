// Schemas of core/v1 PodTemplateSpec (the pod template every workload kind embeds), ReplicationController
// and its list, and autoscaling/v1 Scale (what a scalable kind's "scale" subresource serves).
import type { Definitions } from './types.js';
import { CORE, META, str, int32, int64, ref, arr, strMap, obj, time, kindSchema, listSchema } from './build.js';

const AUTOSCALING = 'io.k8s.api.autoscaling.v1.';

export const workloadCoreDefinitions: Definitions = {
  [CORE + 'PodTemplateSpec']: obj('Describes the pods a workload creates from it.', {
    metadata: { $ref: META + 'ObjectMeta', default: {}, description: "Metadata of the created pods (labels must match the owner's selector)." },
    spec: ref(CORE + 'PodSpec', 'Specification of the desired behaviour of the created pods.'),
  }),
  [CORE + 'ReplicationController']: kindSchema(
    '',
    'v1',
    'ReplicationController',
    'A ReplicationController keeps a number of replicas of a pod template running (the predecessor of apps/v1 ReplicaSet).',
    {
      spec: { $ref: CORE + 'ReplicationControllerSpec', default: {}, description: 'Desired behaviour of the replication controller.' },
      status: { $ref: CORE + 'ReplicationControllerStatus', default: {}, description: 'Most recently observed status; read-only for users.' },
    },
  ),
  [CORE + 'ReplicationControllerSpec']: obj('Desired state of a replication controller.', {
    minReadySeconds: int32('Seconds a new pod must be ready, without any container crashing, to count as available. Defaults to 0.'),
    replicas: int32('Number of desired replicas. Defaults to 1.'),
    selector: {
      ...strMap('Label query over the pods that count as replicas; defaulted from the template labels when empty.'),
      'x-kubernetes-map-type': 'atomic',
    },
    template: ref(CORE + 'PodTemplateSpec', 'The pod created when too few replicas exist.'),
  }),
  [CORE + 'ReplicationControllerStatus']: obj(
    'Most recently observed status of a replication controller.',
    {
      availableReplicas: int32('Replicas available (ready for at least minReadySeconds).'),
      conditions: arr({ $ref: CORE + 'ReplicationControllerCondition', default: {} }, 'Latest observations of the controller state.', {
        mergeKey: 'type',
        strategy: 'merge',
        listType: 'map',
        mapKeys: ['type'],
      }),
      fullyLabeledReplicas: int32('Pods that carry every label of the template.'),
      observedGeneration: int64('The generation last acted upon by the controller.'),
      readyReplicas: int32('Pods targeted that are ready.'),
      replicas: int32('Most recently observed number of replicas.'),
    },
    ['replicas'],
  ),
  [CORE + 'ReplicationControllerCondition']: obj(
    'One condition of a replication controller.',
    {
      lastTransitionTime: time('When the condition last changed status.'),
      message: str('Human-readable details about the transition.'),
      reason: str('CamelCase reason for the last transition.'),
      status: str('True, False or Unknown.'),
      type: str('Condition type (ReplicaFailure).'),
    },
    ['type', 'status'],
  ),
  [CORE + 'ReplicationControllerList']: listSchema('', 'v1', 'ReplicationControllerList', CORE + 'ReplicationController', 'replication controllers'),

  [AUTOSCALING + 'Scale']: kindSchema('autoscaling', 'v1', 'Scale', 'Scale is the desired and observed replica count of a scalable resource.', {
    spec: { $ref: AUTOSCALING + 'ScaleSpec', default: {}, description: 'Desired number of replicas.' },
    status: { $ref: AUTOSCALING + 'ScaleStatus', default: {}, description: 'Current status; read-only.' },
  }),
  [AUTOSCALING + 'ScaleSpec']: obj('Desired state of a scale.', { replicas: int32('Desired number of instances of the scaled object.') }),
  [AUTOSCALING + 'ScaleStatus']: obj(
    'Observed state of a scale.',
    {
      replicas: int32('Actual number of observed instances of the scaled object.'),
      selector: str('Label query over the pods counted in replicas, in the string form of a label selector.'),
    },
    ['replicas'],
  ),
};
