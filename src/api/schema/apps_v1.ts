// Schemas of apps/v1 Deployment and ReplicaSet (specs, strategies, statuses, conditions, lists), for field
// validation, `kubectl explain` and the strategic-merge keys of their conditions.
import type { Definitions } from './types.js';
import { CORE, META, str, int32, int64, bool, ref, arr, obj, time, intOrString, kindSchema, listSchema } from './build.js';

export const APPS = 'io.k8s.api.apps.v1.';
const SELECTOR = META + 'LabelSelector';

const conditions = (item: string, what: string) =>
  arr({ $ref: item, default: {} }, what, { mergeKey: 'type', strategy: 'merge', listType: 'map', mapKeys: ['type'] });

export const appsV1Definitions: Definitions = {
  [APPS + 'Deployment']: kindSchema(
    'apps',
    'v1',
    'Deployment',
    'A Deployment declares the desired state of ReplicaSets and rolls pods from one template to the next.',
    {
      spec: { $ref: APPS + 'DeploymentSpec', default: {}, description: 'Desired behaviour of the Deployment.' },
      status: { $ref: APPS + 'DeploymentStatus', default: {}, description: 'Most recently observed status of the Deployment.' },
    },
  ),
  [APPS + 'DeploymentSpec']: obj(
    'Desired state of a Deployment.',
    {
      minReadySeconds: int32('Seconds a new pod must be ready, without any container crashing, to count as available. Defaults to 0.'),
      paused: bool('Whether the deployment is paused (template changes do not roll out).'),
      progressDeadlineSeconds: int32(
        'Seconds the deployment may take to make progress before it is considered failed (condition Progressing=False, reason ProgressDeadlineExceeded). Defaults to 600; must exceed minReadySeconds.',
      ),
      replicas: int32('Number of desired pods. Defaults to 1.'),
      revisionHistoryLimit: int32('Number of old ReplicaSets kept to allow rollback. Defaults to 10.'),
      selector: ref(
        SELECTOR,
        "Label selector for the pods. ReplicaSets whose pods match it are affected by this deployment; must match the template's labels. Immutable in apps/v1.",
      ),
      strategy: {
        $ref: APPS + 'DeploymentStrategy',
        default: {},
        description: 'The deployment strategy used to replace existing pods with new ones.',
        'x-kubernetes-patch-strategy': 'retainKeys',
      },
      template: { $ref: CORE + 'PodTemplateSpec', default: {}, description: 'Template of the pods; its restartPolicy may only be Always.' },
    },
    ['selector', 'template'],
  ),
  [APPS + 'DeploymentStrategy']: obj('How a deployment replaces existing pods with new ones.', {
    rollingUpdate: ref(APPS + 'RollingUpdateDeployment', 'Rolling update parameters; present only when type is RollingUpdate.'),
    type: str(
      'Type of deployment: "Recreate" (kill all existing pods before creating new ones) or "RollingUpdate" (replace gradually). Default is RollingUpdate.',
      ['Recreate', 'RollingUpdate'],
    ),
  }),
  [APPS + 'RollingUpdateDeployment']: obj('Controls a rolling update.', {
    maxSurge: intOrString(
      'Maximum number of pods that can be scheduled above the desired number, absolute or a percentage of desired pods (rounded up). Defaults to 25%. Cannot be 0 when maxUnavailable is 0.',
    ),
    maxUnavailable: intOrString(
      'Maximum number of pods that can be unavailable during the update, absolute or a percentage of desired pods (rounded down). Defaults to 25%. Cannot be 0 when maxSurge is 0.',
    ),
  }),
  [APPS + 'DeploymentStatus']: obj('Most recently observed status of a Deployment.', {
    availableReplicas: int32('Pods targeted by this deployment available for at least minReadySeconds.'),
    collisionCount: int32('Count of hash collisions for the ReplicaSets of this deployment; used to compute a new name when a collision occurs.'),
    conditions: conditions(APPS + 'DeploymentCondition', "Latest observations of the deployment's state."),
    observedGeneration: int64('The generation observed by the deployment controller.'),
    readyReplicas: int32('Pods targeted by this deployment with a Ready condition.'),
    replicas: int32('Non-terminating pods targeted by this deployment (their labels match the selector).'),
    terminatingReplicas: int32('Terminating pods targeted by this deployment.'),
    unavailableReplicas: int32('Pods still needed for the deployment to have 100% available capacity.'),
    updatedReplicas: int32('Non-terminating pods targeted by this deployment that have the desired template spec.'),
  }),
  [APPS + 'DeploymentCondition']: obj(
    'The state of a deployment at a certain point.',
    {
      lastTransitionTime: time('When the condition last changed from one status to another.'),
      lastUpdateTime: time('The last time this condition was updated.'),
      message: str('Human-readable message with details about the transition.'),
      reason: str('The reason for the last transition.'),
      status: str('True, False or Unknown.'),
      type: str('Type of deployment condition (Available, Progressing, ReplicaFailure).'),
    },
    ['type', 'status'],
  ),
  [APPS + 'DeploymentList']: listSchema('apps', 'v1', 'DeploymentList', APPS + 'Deployment', 'deployments'),

  [APPS + 'ReplicaSet']: kindSchema('apps', 'v1', 'ReplicaSet', 'A ReplicaSet keeps a given number of pod replicas running at any time.', {
    spec: { $ref: APPS + 'ReplicaSetSpec', default: {}, description: 'Desired behaviour of the ReplicaSet.' },
    status: { $ref: APPS + 'ReplicaSetStatus', default: {}, description: 'Most recently observed status of the ReplicaSet; read-only.' },
  }),
  [APPS + 'ReplicaSetSpec']: obj(
    'Desired state of a ReplicaSet.',
    {
      minReadySeconds: int32('Seconds a new pod must be ready, without any container crashing, to count as available. Defaults to 0.'),
      replicas: int32('Number of desired pods. Defaults to 1.'),
      selector: ref(SELECTOR, "Label query over the pods that count as replicas; must match the template's labels."),
      template: { $ref: CORE + 'PodTemplateSpec', default: {}, description: 'The pod created when too few replicas exist.' },
    },
    ['selector'],
  ),
  [APPS + 'ReplicaSetStatus']: obj(
    'Most recently observed status of a ReplicaSet.',
    {
      availableReplicas: int32('Pods available (ready for at least minReadySeconds).'),
      conditions: conditions(APPS + 'ReplicaSetCondition', "Latest observations of the replica set's state."),
      fullyLabeledReplicas: int32('Pods that carry every label of the template.'),
      observedGeneration: int64('The generation of the ReplicaSet last observed by the controller.'),
      readyReplicas: int32('Pods targeted with a Ready condition.'),
      replicas: int32('Most recently observed number of non-terminating replicas.'),
      terminatingReplicas: int32('Terminating pods of this replica set.'),
    },
    ['replicas'],
  ),
  [APPS + 'ReplicaSetCondition']: obj(
    'The state of a replica set at a certain point.',
    {
      lastTransitionTime: time('When the condition last changed status.'),
      message: str('Human-readable message with details about the transition.'),
      reason: str('The reason for the last transition.'),
      status: str('True, False or Unknown.'),
      type: str('Type of replica set condition (ReplicaFailure).'),
    },
    ['type', 'status'],
  ),
  [APPS + 'ReplicaSetList']: listSchema('apps', 'v1', 'ReplicaSetList', APPS + 'ReplicaSet', 'replica sets'),
};
