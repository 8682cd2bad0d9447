// Schemas of apps/v1 StatefulSet, DaemonSet and ControllerRevision (and their lists, specs, strategies and
// statuses).
import type { Definitions, Schema } from './types.js';
import { CORE, META, str, int32, int64, ref, arr, obj, time, intOrString, kindSchema, listSchema } from './build.js';

const APPS = 'io.k8s.api.apps.v1.';
const RAW = 'io.k8s.apimachinery.pkg.runtime.RawExtension';

const conditions = (kind: string): Schema =>
  arr({ $ref: APPS + `${kind}Condition`, default: {} }, `Latest available observations of the ${kind}'s state.`, {
    mergeKey: 'type',
    strategy: 'merge',
    listType: 'map',
    mapKeys: ['type'],
  });

const condition = (kind: string): Schema =>
  obj(
    `One condition of a ${kind}.`,
    {
      lastTransitionTime: time('Last time the condition changed status.'),
      message: str('Human-readable details of the transition.'),
      reason: str("The condition's last transition reason, CamelCase."),
      status: str('True, False or Unknown.'),
      type: str('Type of the condition.'),
    },
    ['type', 'status'],
  );

const selector = ref(META + 'LabelSelector', 'Label query over the pods the controller should own; must match the template labels. Immutable.');
const template = (what: string): Schema => ({
  $ref: CORE + 'PodTemplateSpec',
  default: {},
  description: `The pod template ${what} creates pods from; restartPolicy must be Always.`,
});

export const appsV1WorkloadDefinitions: Definitions = {
  // ControllerRevision
  [APPS + 'ControllerRevision']: kindSchema(
    'apps',
    'v1',
    'ControllerRevision',
    'An immutable snapshot of state data a controller (StatefulSet, DaemonSet) keeps to roll back and forward.',
    {
      data: ref(RAW, 'The serialized state: for StatefulSets and DaemonSets a patch of the pod template.'),
      revision: int64('The revision this object represents; increases with each new template.'),
    },
    ['revision'],
  ),
  [APPS + 'ControllerRevisionList']: listSchema('apps', 'v1', 'ControllerRevisionList', APPS + 'ControllerRevision', 'ControllerRevisions'),

  // StatefulSet
  [APPS + 'StatefulSet']: kindSchema('apps', 'v1', 'StatefulSet', 'A StatefulSet runs pods with stable, ordered identities (<name>-<ordinal>).', {
    spec: { $ref: APPS + 'StatefulSetSpec', default: {}, description: 'Desired identities and pods of the set.' },
    status: { $ref: APPS + 'StatefulSetStatus', default: {}, description: 'Most recently observed state of the set; may lag.' },
  }),
  [APPS + 'StatefulSetList']: listSchema('apps', 'v1', 'StatefulSetList', APPS + 'StatefulSet', 'StatefulSets'),
  [APPS + 'StatefulSetSpec']: obj(
    'Desired state of a StatefulSet.',
    {
      minReadySeconds: int32('Seconds a new pod must be ready without any container crashing to count as available. Default 0.'),
      ordinals: ref(APPS + 'StatefulSetOrdinals', 'Numbering of the replicas (the first ordinal).'),
      persistentVolumeClaimRetentionPolicy: ref(
        APPS + 'StatefulSetPersistentVolumeClaimRetentionPolicy',
        'What happens to claims from volumeClaimTemplates when the set is deleted or scaled down.',
      ),
      podManagementPolicy: str('OrderedReady (default: one pod at a time, in order, each Ready first) or Parallel.', ['OrderedReady', 'Parallel']),
      replicas: int32('Desired number of replicas. Default 1.'),
      revisionHistoryLimit: int32('Number of ControllerRevisions kept for rollbacks. Default 10.'),
      selector,
      serviceName: str('Name of the governing Service: pods get hostname <pod name> and subdomain <serviceName>.'),
      template: template('the StatefulSet'),
      updateStrategy: { $ref: APPS + 'StatefulSetUpdateStrategy', default: {}, description: 'How pods are replaced when the template changes.' },
      volumeClaimTemplates: arr(
        { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, description: 'A PersistentVolumeClaim template.' },
        'Claims each pod would get; not supported by this cluster (no PersistentVolumeClaims): must be empty.',
        { listType: 'atomic' },
      ),
    },
    ['selector', 'template'],
  ),
  [APPS + 'StatefulSetOrdinals']: obj('Numbering of StatefulSet replicas.', {
    start: int32('The number of the first replica (default 0); replicas are start .. start+replicas-1.'),
  }),
  [APPS + 'StatefulSetPersistentVolumeClaimRetentionPolicy']: obj('Lifecycle of claims created from volumeClaimTemplates.', {
    whenDeleted: str('Retain (default) or Delete, when the StatefulSet is deleted.', ['Delete', 'Retain']),
    whenScaled: str('Retain (default) or Delete, when the StatefulSet is scaled down.', ['Delete', 'Retain']),
  }),
  [APPS + 'StatefulSetUpdateStrategy']: obj('How a StatefulSet replaces its pods.', {
    rollingUpdate: ref(APPS + 'RollingUpdateStatefulSetStrategy', 'Parameters of RollingUpdate.'),
    type: str('RollingUpdate (default) or OnDelete.', ['OnDelete', 'RollingUpdate']),
  }),
  [APPS + 'RollingUpdateStatefulSetStrategy']: obj('Parameters of a StatefulSet rolling update.', {
    maxUnavailable: intOrString('Maximum pods that can be unavailable during the update (alpha upstream).'),
    partition: int32('Pods with an ordinal >= partition are updated; lower ones keep the current revision. Default 0.'),
  }),
  [APPS + 'StatefulSetStatus']: obj(
    'Observed state of a StatefulSet.',
    {
      availableReplicas: int32('Pods ready for at least minReadySeconds.'),
      collisionCount: int32('Count of hash collisions for the ControllerRevisions; used in naming the newest one.'),
      conditions: conditions('StatefulSet'),
      currentReplicas: int32('Pods created from the currentRevision.'),
      currentRevision: str('The revision pods below the update are at (ordinals [0, replicas-currentReplicas)).'),
      observedGeneration: int64('The generation last observed by the controller.'),
      readyReplicas: int32('Pods with a Ready condition.'),
      replicas: int32('Pods created by the controller.'),
      updateRevision: str('The revision the template is at now.'),
      updatedReplicas: int32('Pods created from the updateRevision.'),
    },
    ['replicas'],
  ),
  [APPS + 'StatefulSetCondition']: condition('StatefulSet'),

  // DaemonSet
  [APPS + 'DaemonSet']: kindSchema('apps', 'v1', 'DaemonSet', 'A DaemonSet runs one copy of a pod on every eligible node.', {
    spec: { $ref: APPS + 'DaemonSetSpec', default: {}, description: 'Desired pods of the daemon set.' },
    status: { $ref: APPS + 'DaemonSetStatus', default: {}, description: 'Most recently observed state of the daemon set; may lag.' },
  }),
  [APPS + 'DaemonSetList']: listSchema('apps', 'v1', 'DaemonSetList', APPS + 'DaemonSet', 'DaemonSets'),
  [APPS + 'DaemonSetSpec']: obj(
    'Desired state of a DaemonSet.',
    {
      minReadySeconds: int32('Seconds a new pod must be ready without any container crashing to count as available. Default 0.'),
      revisionHistoryLimit: int32('Number of ControllerRevisions kept for rollbacks. Default 10.'),
      selector,
      template: template('the DaemonSet'),
      updateStrategy: { $ref: APPS + 'DaemonSetUpdateStrategy', default: {}, description: 'How pods are replaced when the template changes.' },
    },
    ['selector', 'template'],
  ),
  [APPS + 'DaemonSetUpdateStrategy']: obj('How a DaemonSet replaces its pods.', {
    rollingUpdate: ref(APPS + 'RollingUpdateDaemonSet', 'Parameters of RollingUpdate.'),
    type: str('RollingUpdate (default) or OnDelete.', ['OnDelete', 'RollingUpdate']),
  }),
  [APPS + 'RollingUpdateDaemonSet']: obj('Parameters of a DaemonSet rolling update.', {
    maxSurge: intOrString('Nodes that may run an updated pod beside the old one during the update (number or percent). Default 0.'),
    maxUnavailable: intOrString('Nodes whose pod may be unavailable during the update (number or percent). Default 1; not 0 when maxSurge is 0.'),
  }),
  [APPS + 'DaemonSetStatus']: obj(
    'Observed state of a DaemonSet.',
    {
      collisionCount: int32('Count of hash collisions for the ControllerRevisions; used in naming the newest one.'),
      conditions: conditions('DaemonSet'),
      currentNumberScheduled: int32('Nodes running at least one daemon pod that should run it.'),
      desiredNumberScheduled: int32('Nodes that should run the daemon pod.'),
      numberAvailable: int32('Nodes whose daemon pod has been ready for minReadySeconds.'),
      numberMisscheduled: int32('Nodes running the daemon pod that should not.'),
      numberReady: int32('Nodes whose daemon pod is ready.'),
      numberUnavailable: int32('Nodes that should run the daemon pod and have none available.'),
      observedGeneration: int64('The generation last observed by the controller.'),
      updatedNumberScheduled: int32('Nodes running the updated daemon pod.'),
    },
    ['currentNumberScheduled', 'numberMisscheduled', 'desiredNumberScheduled', 'numberReady'],
  ),
  [APPS + 'DaemonSetCondition']: condition('DaemonSet'),
};
