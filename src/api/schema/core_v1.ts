// Schemas of the other core/v1 kinds k8ts serves (Namespace, ConfigMap, Secret, Event, ServiceAccount,
// Node and their lists), merged with the Pod, container and volume definitions into coreV1Definitions.
import type { Definitions } from './types.js';
import { CORE, META, str, int32, int64, bool, bytes, ref, arr, strList, strMap, mapOf, obj, time, quantity, kindSchema, listSchema } from './build.js';
import { podDefinitions } from './core_v1_pod.js';
import { containerDefinitions } from './core_v1_container.js';
import { volumeDefinitions } from './core_v1_volume.js';

const core = (kind: string, description: string, props: Parameters<typeof kindSchema>[4], required?: string[]) =>
  kindSchema('', 'v1', kind, description, props, required);

const otherDefinitions: Definitions = {
  // Namespace
  [CORE + 'Namespace']: core('Namespace', 'A Namespace is a scope for names; most objects live in one.', {
    spec: ref(CORE + 'NamespaceSpec', 'Desired state of the namespace.'),
    status: ref(CORE + 'NamespaceStatus', 'Observed state of the namespace.'),
  }),
  [CORE + 'NamespaceSpec']: obj('Desired state of a namespace.', {
    finalizers: strList('Values that must be removed before the namespace is deleted from storage (e.g. "kubernetes").'),
  }),
  [CORE + 'NamespaceStatus']: obj('Observed state of a namespace.', {
    conditions: arr({ $ref: CORE + 'NamespaceCondition', default: {} }, 'Current conditions of the namespace.', {
      mergeKey: 'type',
      strategy: 'merge',
      listType: 'map',
      mapKeys: ['type'],
    }),
    phase: str('Active or Terminating.', ['Active', 'Terminating']),
  }),
  [CORE + 'NamespaceCondition']: obj(
    'One condition of a namespace.',
    {
      lastTransitionTime: time('When the condition last changed status.'),
      message: str('Human-readable details.'),
      reason: str('CamelCase reason.'),
      status: str('True, False or Unknown.'),
      type: str('Condition type.'),
    },
    ['type', 'status'],
  ),
  [CORE + 'NamespaceList']: listSchema('', 'v1', 'NamespaceList', CORE + 'Namespace', 'namespaces'),

  // ConfigMap
  [CORE + 'ConfigMap']: core('ConfigMap', 'A ConfigMap holds non-secret configuration data as key/value pairs for pods to consume.', {
    binaryData: mapOf(bytes('Base64 encoded bytes.'), 'Binary values, base64 encoded; keys must not overlap with data.'),
    data: strMap('UTF-8 values; keys are made of alphanumerics, "-", "_" and ".".'),
    immutable: bool('When true, data cannot be changed after creation (only metadata).'),
  }),
  [CORE + 'ConfigMapList']: listSchema('', 'v1', 'ConfigMapList', CORE + 'ConfigMap', 'ConfigMaps'),

  // Secret
  [CORE + 'Secret']: core('Secret', 'A Secret holds small amounts of sensitive data such as passwords, tokens or keys.', {
    data: mapOf(bytes('Base64 encoded bytes.'), 'The secret values, base64 encoded in JSON.'),
    immutable: bool('When true, data cannot be changed after creation (only metadata).'),
    stringData: strMap('Write-only convenience: plain string values merged into data on write; never returned.'),
    type: str('Used to help handle the data programmatically, e.g. Opaque or kubernetes.io/dockerconfigjson.'),
  }),
  [CORE + 'SecretList']: listSchema('', 'v1', 'SecretList', CORE + 'Secret', 'Secrets'),

  // ServiceAccount
  [CORE + 'ServiceAccount']: core('ServiceAccount', 'A ServiceAccount is an identity for processes running in pods.', {
    automountServiceAccountToken: bool('Whether pods using this account get a token mounted automatically; pods can override it.'),
    imagePullSecrets: arr({ $ref: CORE + 'LocalObjectReference', default: {} }, 'Registry credentials added to pods using this account.', {
      listType: 'atomic',
    }),
    secrets: arr({ $ref: CORE + 'ObjectReference', default: {} }, 'Secrets pods using this account may use (legacy).', {
      mergeKey: 'name',
      strategy: 'merge',
    }),
  }),
  [CORE + 'ServiceAccountList']: listSchema('', 'v1', 'ServiceAccountList', CORE + 'ServiceAccount', 'ServiceAccounts'),

  // Event (core/v1)
  [CORE + 'EventSource']: obj('The component that reported an event.', {
    component: str('Component name.'),
    host: str('Node name the component runs on.'),
  }),
  [CORE + 'EventSeries']: obj('Data about a series of recurring events.', {
    count: int32('Occurrences so far in the series.'),
    lastObservedTime: ref(META + 'MicroTime', 'Time of the last occurrence.'),
  }),
  [CORE + 'Event']: core(
    'Event',
    'An Event reports something that happened to an object, such as a pod being scheduled or an image pull failing.',
    {
      action: str('What action was taken or failed.'),
      count: int32('How many times this event occurred.'),
      eventTime: ref(META + 'MicroTime', 'When the event first occurred (new-style events).'),
      firstTimestamp: time('When the event was first recorded.'),
      involvedObject: { $ref: CORE + 'ObjectReference', default: {}, description: 'The object this event is about.' },
      lastTimestamp: time('When the event last occurred.'),
      message: str('Human-readable description.'),
      reason: str('Short CamelCase reason, e.g. Scheduled, Pulled, BackOff.'),
      related: ref(CORE + 'ObjectReference', 'A secondary object involved.'),
      reportingComponent: str('Controller that emitted the event, e.g. kubernetes.io/kubelet.'),
      reportingInstance: str('Instance of the controller, e.g. the node name.'),
      series: ref(CORE + 'EventSeries', 'Data about a series of this event, if recurring.'),
      source: { $ref: CORE + 'EventSource', default: {}, description: 'The component reporting the event.' },
      type: str('Normal or Warning.'),
    },
    ['metadata', 'involvedObject'],
  ),
  [CORE + 'EventList']: listSchema('', 'v1', 'EventList', CORE + 'Event', 'events'),

  // Node
  [CORE + 'Node']: core('Node', 'A Node is a worker machine that runs pods; each has its own kubelet.', {
    spec: ref(CORE + 'NodeSpec', 'Desired configuration of the node.'),
    status: ref(CORE + 'NodeStatus', 'Observed status of the node, reported by its kubelet.'),
  }),
  [CORE + 'Taint']: obj(
    'Repels pods that do not tolerate it from a node.',
    {
      effect: str('NoSchedule, PreferNoSchedule or NoExecute.', ['NoExecute', 'NoSchedule', 'PreferNoSchedule']),
      key: str('Taint key.'),
      timeAdded: time('When a NoExecute taint was added.'),
      value: str('Taint value.'),
    },
    ['key', 'effect'],
  ),
  [CORE + 'NodeSpec']: obj('Desired configuration of a node.', {
    externalID: str('Deprecated; not used.'),
    podCIDR: str('Pod IP range assigned to the node.'),
    podCIDRs: arr({ type: 'string', default: '' }, 'Pod IP ranges assigned to the node, at most one per family; the first equals podCIDR.', {
      strategy: 'merge',
      listType: 'set',
    }),
    providerID: str('Cloud provider ID of the node.'),
    taints: arr({ $ref: CORE + 'Taint', default: {} }, 'Taints of the node.', { listType: 'atomic' }),
    unschedulable: bool('When true, no new pods are scheduled onto the node (cordon).'),
  }),
  [CORE + 'NodeCondition']: obj(
    'One condition of a node.',
    {
      lastHeartbeatTime: time('When the condition was last reported.'),
      lastTransitionTime: time('When the condition last changed status.'),
      message: str('Human-readable details.'),
      reason: str('CamelCase reason.'),
      status: str('True, False or Unknown.'),
      type: str('Ready, MemoryPressure, DiskPressure, PIDPressure or NetworkUnavailable.'),
    },
    ['type', 'status'],
  ),
  [CORE + 'NodeAddress']: obj(
    'One address of a node.',
    { address: str('The address.'), type: str('Hostname, InternalIP, ExternalIP, InternalDNS or ExternalDNS.') },
    ['type', 'address'],
  ),
  [CORE + 'DaemonEndpoint']: obj('A port a node daemon listens on.', { Port: int32('Port number.') }, ['Port']),
  [CORE + 'NodeDaemonEndpoints']: obj('Ports of the daemons on a node.', {
    kubeletEndpoint: { $ref: CORE + 'DaemonEndpoint', default: {}, description: 'Port of the kubelet.' },
  }),
  [CORE + 'NodeSystemInfo']: obj(
    'Identity and versions of a node.',
    {
      architecture: str('CPU architecture.'),
      bootID: str('Boot ID.'),
      containerRuntimeVersion: str('Container runtime version, e.g. runc://1.1.0.'),
      kernelVersion: str('Kernel version (uname -r).'),
      kubeProxyVersion: str('Deprecated kube-proxy version.'),
      kubeletVersion: str('Kubelet version.'),
      machineID: str('Machine ID.'),
      operatingSystem: str('Operating system.'),
      osImage: str('OS image description from /etc/os-release.'),
      systemUUID: str('System UUID.'),
    },
    [
      'machineID',
      'systemUUID',
      'bootID',
      'kernelVersion',
      'osImage',
      'containerRuntimeVersion',
      'kubeletVersion',
      'kubeProxyVersion',
      'operatingSystem',
      'architecture',
    ],
  ),
  [CORE + 'ContainerImage']: obj('An image present on a node.', {
    names: strList('Names of the image.'),
    sizeBytes: int64('Size of the image in bytes.'),
  }),
  [CORE + 'AttachedVolume']: obj('A volume attached to a node.', { devicePath: str('Device path.'), name: str('Volume name.') }, ['name', 'devicePath']),
  [CORE + 'NodeRuntimeHandlerFeatures']: obj('Features of a runtime handler.', {
    recursiveReadOnlyMounts: bool('Supports recursive read-only mounts.'),
    userNamespaces: bool('Supports user namespaces.'),
  }),
  [CORE + 'NodeRuntimeHandler']: obj('A runtime handler of a node.', {
    features: ref(CORE + 'NodeRuntimeHandlerFeatures', 'Its features.'),
    name: str('Handler name; empty for the default.'),
  }),
  [CORE + 'NodeFeatures']: obj('Features of a node.', { supplementalGroupsPolicy: bool('Supports supplementalGroupsPolicy.') }),
  [CORE + 'NodeStatus']: obj('Observed status of a node.', {
    addresses: arr({ $ref: CORE + 'NodeAddress', default: {} }, 'Addresses of the node.', {
      mergeKey: 'type',
      strategy: 'merge',
      listType: 'map',
      mapKeys: ['type'],
    }),
    allocatable: mapOf(quantity(), 'Resources available for pods (capacity minus reservations).'),
    capacity: mapOf(quantity(), 'Total resources of the node.'),
    conditions: arr({ $ref: CORE + 'NodeCondition', default: {} }, 'Current conditions, e.g. Ready.', {
      mergeKey: 'type',
      strategy: 'merge',
      listType: 'map',
      mapKeys: ['type'],
    }),
    daemonEndpoints: { $ref: CORE + 'NodeDaemonEndpoints', default: {}, description: 'Endpoints of the node daemons.' },
    features: ref(CORE + 'NodeFeatures', 'Features the node supports.'),
    images: arr({ $ref: CORE + 'ContainerImage', default: {} }, 'Images present on the node.', { listType: 'atomic' }),
    nodeInfo: { $ref: CORE + 'NodeSystemInfo', default: {}, description: 'Identity and versions of the node.' },
    phase: str('Deprecated lifecycle phase.', ['Pending', 'Running', 'Terminated']),
    runtimeHandlers: arr({ $ref: CORE + 'NodeRuntimeHandler', default: {} }, 'Available runtime handlers.', { listType: 'atomic' }),
    volumesAttached: arr({ $ref: CORE + 'AttachedVolume', default: {} }, 'Volumes attached to the node.', { listType: 'atomic' }),
    volumesInUse: strList('Volumes in use (mounted) on the node.'),
  }),
  [CORE + 'NodeList']: listSchema('', 'v1', 'NodeList', CORE + 'Node', 'nodes'),
};

export const coreV1Definitions: Definitions = {
  ...podDefinitions,
  ...containerDefinitions,
  ...volumeDefinitions,
  ...otherDefinitions,
};
