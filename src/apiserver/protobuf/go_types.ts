// Facts about the Go types that the protobuf descriptors do not carry: which scalars are pointers (an
// explicit zero is kept), which message fields are embedded structs (inlined in JSON), and the few fields
// whose proto name differs from the JSON name.
const POINTER_FIELDS: Record<string, string[]> = {
  ObjectMeta: ['deletionGracePeriodSeconds'],
  OwnerReference: ['controller', 'blockOwnerDeletion'],
  ListMeta: ['remainingItemCount'],
  DeleteOptions: ['gracePeriodSeconds', 'orphanDependents', 'ignoreStoreReadErrorWithClusterBreakingPotential'],
  ConfigMap: ['immutable'],
  Secret: ['immutable'],
  ServiceAccount: ['automountServiceAccountToken'],
  PodSpec: [
    'terminationGracePeriodSeconds',
    'activeDeadlineSeconds',
    'automountServiceAccountToken',
    'shareProcessNamespace',
    'priority',
    'enableServiceLinks',
    'setHostnameAsFQDN',
    'hostUsers',
  ],
  SecurityContext: ['privileged', 'runAsUser', 'runAsGroup', 'runAsNonRoot', 'readOnlyRootFilesystem', 'allowPrivilegeEscalation'],
  PodSecurityContext: ['runAsUser', 'runAsGroup', 'runAsNonRoot', 'fsGroup'],
  WindowsSecurityContextOptions: ['hostProcess'],
  Probe: ['terminationGracePeriodSeconds'],
  ConfigMapVolumeSource: ['defaultMode', 'optional'],
  SecretVolumeSource: ['defaultMode', 'optional'],
  ProjectedVolumeSource: ['defaultMode'],
  DownwardAPIVolumeSource: ['defaultMode'],
  DownwardAPIVolumeFile: ['mode'],
  KeyToPath: ['mode'],
  ConfigMapProjection: ['optional'],
  SecretProjection: ['optional'],
  ConfigMapKeySelector: ['optional'],
  SecretKeySelector: ['optional'],
  ConfigMapEnvSource: ['optional'],
  SecretEnvSource: ['optional'],
  ServiceAccountTokenProjection: ['expirationSeconds'],
  ClusterTrustBundleProjection: ['optional'],
  CSIVolumeSource: ['readOnly'],
  ISCSIVolumeSource: ['chapAuthDiscovery', 'chapAuthSession'],
  TopologySpreadConstraint: ['minDomains'],
  ContainerStatus: ['started'],
  ServiceSpec: ['allocateLoadBalancerNodePorts'],
  ClientIPConfig: ['timeoutSeconds'],
  Toleration: ['tolerationSeconds'],
  DeploymentSpec: ['replicas', 'revisionHistoryLimit', 'progressDeadlineSeconds'],
  StatefulSetSpec: ['replicas', 'revisionHistoryLimit'],
  RollingUpdateStatefulSetStrategy: ['partition'],
  DaemonSetSpec: ['revisionHistoryLimit'],
  ReplicaSetSpec: ['replicas'],
  DeploymentStatus: ['collisionCount'],
  JobSpec: [
    'parallelism',
    'completions',
    'activeDeadlineSeconds',
    'backoffLimit',
    'backoffLimitPerIndex',
    'maxFailedIndexes',
    'ttlSecondsAfterFinished',
    'suspend',
    'manualSelector',
  ],
  JobStatus: ['ready', 'terminating'],
  CronJobSpec: ['startingDeadlineSeconds', 'suspend', 'successfulJobsHistoryLimit', 'failedJobsHistoryLimit'],
  ReplicationControllerSpec: ['replicas'],
  HorizontalPodAutoscalerSpec: ['minReplicas'],
  LeaseSpec: ['leaseDurationSeconds', 'leaseTransitions'],
  TokenRequestSpec: ['expirationSeconds'],
  NetworkPolicyPort: ['endPort'],
  EndpointPort: ['port'],
};

const SET = new Set(Object.entries(POINTER_FIELDS).flatMap(([msg, fields]) => fields.map((f) => `${msg}.${f}`)));

/** True when Message.field is a Go pointer scalar (zero values are meaningful). */
export function isPointerScalar(message: string, field: string): boolean {
  return SET.has(`${message}.${field}`);
}

/** Embedded Go structs (`json:",inline"`): their fields appear directly in the parent's JSON. */
const INLINE = new Set([
  'Volume.volumeSource',
  'Probe.handler',
  'EphemeralContainer.ephemeralContainerCommon',
  'PersistentVolumeSpec.persistentVolumeSource',
  'IngressRule.ingressRuleValue',
  'ConfigMapEnvSource.localObjectReference',
  'ConfigMapKeySelector.localObjectReference',
  'ConfigMapProjection.localObjectReference',
  'ConfigMapVolumeSource.localObjectReference',
  'SecretEnvSource.localObjectReference',
  'SecretKeySelector.localObjectReference',
  'SecretProjection.localObjectReference',
]);

export function isInline(message: string, field: string): boolean {
  return INLINE.has(`${message}.${field}`);
}

const JSON_NAMES: Record<string, string> = {
  'BoundObjectReference.uID': 'uid',
  'IngressClassParametersReference.aPIGroup': 'apiGroup',
};

/** The JSON name of a field (the proto name, except for a few generator quirks). */
export function jsonName(message: string, field: string): string {
  return JSON_NAMES[`${message}.${field}`] ?? field;
}
