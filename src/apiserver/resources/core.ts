// core/v1 (and coordination.k8s.io/v1) resources: names, scope, subresources and the strategies (typed by
// kind) that bind each kind to its defaulting and validation in src/api.
import type { KubeObject, StatusCause } from '../../api/types.js';
import type { Pod, Namespace, Secret, ConfigMap, Node, ServiceAccount, Event, Lease, ReplicationController } from '../../api/core/v1/types.js';
import { selectorFromSet } from '../../api/labels.js';
import {
  setDefaultsPod,
  preparePodForCreate,
  setDefaultsNamespace,
  setDefaultsSecret,
  setDefaultsConfigMap,
  setDefaultsNode,
  setDefaultsServiceAccount,
  setDefaultsEvent,
  setDefaultsLease,
  setDefaultsReplicationController,
} from '../../api/core/v1/defaults.js';
import * as v from '../../api/core/v1/validation.js';
import type { ResourceDef, ResourceStrategy } from '../registry.js';
import { objectSubresource, statusSubresource } from '../subresources/status.js';
import { namespaceFinalize } from '../subresources/finalize.js';
import { podBinding } from '../subresources/binding.js';
import { podEviction } from '../subresources/eviction.js';
import { podConnect, podLog } from '../subresources/node.js';
import { proxySubresource } from '../subresources/proxy.js';
import { scaleSubresource, specReplicasAccessor } from '../subresources/scale.js';
import { specStatusStrategy } from './spec_status.js';
import { serviceAccountToken } from '../subresources/token_request.js';

const podStrategy: ResourceStrategy<Pod> = {
  defaults: setDefaultsPod,
  prepareForCreate: preparePodForCreate,
  prepareForUpdate: (obj, old) => {
    obj.status = old.status;
  },
  validate: v.validatePod,
  validateUpdate: v.validatePodUpdate,
  validateCreate: v.validatePodCreate,
  generationFields: (o) => o.spec,
  checkGracefulDelete: (pod, requested) => {
    let grace = requested ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
    // Pods that never reached a node, or that already finished, go at once.
    if (!pod.spec?.nodeName) grace = 0;
    const phase = pod.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') grace = 0;
    return { gracePeriodSeconds: Math.max(0, grace) };
  },
  allowUnconditionalUpdate: true,
};

const podStatus = statusSubresource(podStrategy, {
  // the whole stored pod but the client's status
  prepare: (obj, old) => {
    const status = obj.status;
    const rv = obj.metadata.resourceVersion;
    for (const k of Object.keys(obj)) delete obj[k];
    Object.assign(obj, structuredClone(old), { status });
    obj.metadata.resourceVersion = rv;
  },
  validate: v.validatePodStatusUpdate,
});

// pods/<name>/ephemeralcontainers: only spec.ephemeralContainers is the client's
const podEphemeralContainers = objectSubresource<Pod>({
  prepareForUpdate(obj, old) {
    const ephemeralContainers = obj.spec?.ephemeralContainers;
    const rv = obj.metadata.resourceVersion;
    for (const k of Object.keys(obj)) delete obj[k];
    Object.assign(obj, structuredClone(old));
    obj.metadata.resourceVersion = rv;
    const spec = (obj.spec ??= { containers: [] });
    if (ephemeralContainers === undefined || ephemeralContainers === null) delete spec.ephemeralContainers;
    else spec.ephemeralContainers = ephemeralContainers;
    podStrategy.defaults?.(obj);
  },
  validateUpdate: v.validatePodEphemeralContainersUpdate,
});

const namespaceStrategy: ResourceStrategy<Namespace> = {
  defaults: (ns) => void setDefaultsNamespace(ns, false),
  prepareForCreate: (ns) => {
    ns.status = { phase: 'Active' };
    setDefaultsNamespace(ns, true);
  },
  prepareForUpdate: (obj, old) => {
    // spec.finalizers change only through namespaces/<name>/finalize; status only through /status
    obj.spec = { ...(obj.spec ?? {}), finalizers: old.spec?.finalizers };
    obj.status = old.status;
  },
  validate: v.validateNamespace,
  validateUpdate: v.validateNamespaceUpdate,
  allowUnconditionalUpdate: true,
};

/**
 * A kind without spec/status split: defaults, validation on create and update, no generation tracking.
 * `createOnUpdate` mirrors upstream's AllowCreateOnUpdate (events, leases).
 */
function plainStrategy<T extends KubeObject>(
  defaults: (o: T) => unknown,
  validate: (o: T) => StatusCause[],
  validateUpdate: (o: T, old: T) => StatusCause[],
  createOnUpdate = false,
): ResourceStrategy<T> {
  return {
    defaults,
    validate,
    validateUpdate,
    allowCreateOnUpdate: createOnUpdate,
    allowUnconditionalUpdate: true,
  };
}

const configMapStrategy = plainStrategy<ConfigMap>(setDefaultsConfigMap, v.validateConfigMap, v.validateConfigMapUpdate);
const secretStrategy = plainStrategy<Secret>(setDefaultsSecret, v.validateSecret, v.validateSecretUpdate);
const serviceAccountStrategy = plainStrategy<ServiceAccount>(setDefaultsServiceAccount, v.validateServiceAccount, v.validateServiceAccountUpdate);
const eventStrategy = plainStrategy<Event>(setDefaultsEvent, v.validateEvent, v.validateEventUpdate, true);
const leaseStrategy = plainStrategy<Lease>(setDefaultsLease, v.validateLease, v.validateLeaseUpdate, true);

const replicationControllerStrategy: ResourceStrategy<ReplicationController> = {
  ...specStatusStrategy<ReplicationController>({
    defaults: setDefaultsReplicationController,
    validate: v.validateReplicationController,
    validateUpdate: v.validateReplicationControllerUpdate,
  }),
  // upstream keeps core/v1's old default: a delete without a policy orphans the pods
  defaultGarbageCollectionPolicy: 'OrphanDependents',
};

const nodeStrategy: ResourceStrategy<Node> = {
  defaults: setDefaultsNode,
  prepareForUpdate: (obj, old) => {
    obj.status = old.status;
  },
  validate: v.validateNode,
  validateUpdate: v.validateNodeUpdate,
  allowUnconditionalUpdate: true,
};

const core = <T extends KubeObject>(d: Omit<ResourceDef<T>, 'group' | 'version' | 'listKind' | 'schemaName'>): ResourceDef<T> => ({
  group: '',
  version: 'v1',
  listKind: `${d.kind}List`,
  schemaName: `io.k8s.api.core.v1.${d.kind}`,
  ...d,
});

export const coreResources: ResourceDef[] = [
  core<Pod>({
    kind: 'Pod',
    resource: 'pods',
    singular: 'pod',
    namespaced: true,
    shortNames: ['po'],
    categories: ['all'],
    subresources: {
      status: podStatus,
      ephemeralcontainers: podEphemeralContainers,
      binding: podBinding,
      eviction: podEviction,
      log: podLog,
      exec: podConnect('PodExecOptions'),
      attach: podConnect('PodAttachOptions'),
      portforward: podConnect('PodPortForwardOptions'),
      proxy: proxySubresource('PodProxyOptions'),
    },
    strategy: podStrategy,
  }),
  core<Namespace>({
    kind: 'Namespace',
    resource: 'namespaces',
    singular: 'namespace',
    namespaced: false,
    shortNames: ['ns'],
    subresources: { status: statusSubresource(namespaceStrategy), finalize: namespaceFinalize },
    strategy: namespaceStrategy,
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
  }),
  core<ConfigMap>({ kind: 'ConfigMap', resource: 'configmaps', singular: 'configmap', namespaced: true, shortNames: ['cm'], strategy: configMapStrategy }),
  core<Secret>({ kind: 'Secret', resource: 'secrets', singular: 'secret', namespaced: true, strategy: secretStrategy }),
  core<ServiceAccount>({
    kind: 'ServiceAccount',
    resource: 'serviceaccounts',
    singular: 'serviceaccount',
    namespaced: true,
    shortNames: ['sa'],
    subresources: { token: serviceAccountToken },
    strategy: serviceAccountStrategy,
  }),
  core<Event>({ kind: 'Event', resource: 'events', singular: 'event', namespaced: true, shortNames: ['ev'], strategy: eventStrategy }),
  core<Node>({
    kind: 'Node',
    resource: 'nodes',
    singular: 'node',
    namespaced: false,
    shortNames: ['no'],
    subresources: { status: statusSubresource(nodeStrategy), proxy: proxySubresource('NodeProxyOptions') },
    strategy: nodeStrategy,
  }),
  core<ReplicationController>({
    kind: 'ReplicationController',
    resource: 'replicationcontrollers',
    singular: 'replicationcontroller',
    namespaced: true,
    shortNames: ['rc'],
    categories: ['all'],
    subresources: {
      status: statusSubresource(replicationControllerStrategy, { validate: v.validateReplicationControllerStatusUpdate }),
      scale: scaleSubresource(specReplicasAccessor<ReplicationController>((rc) => selectorFromSet(rc.spec?.selector).toString())),
    },
    strategy: replicationControllerStrategy,
  }),
  {
    group: 'coordination.k8s.io',
    version: 'v1',
    kind: 'Lease',
    listKind: 'LeaseList',
    resource: 'leases',
    singular: 'lease',
    namespaced: true,
    schemaName: 'io.k8s.api.coordination.v1.Lease',
    strategy: leaseStrategy,
  },
];
