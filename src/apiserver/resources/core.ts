// core/v1 (and coordination.k8s.io/v1) resources: names, scope, subresources and the strategies that
// bind each kind to its defaulting and validation in src/api.
import type { KubeObject, StatusCause } from '../../api/types.js';
import { forbidden } from '../../api/errors.js';
import type { Pod, Namespace, Secret, ConfigMap, Node, ServiceAccount, Event, Lease } from '../../api/core/v1/types.js';
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
} from '../../api/core/v1/defaults.js';
import * as v from '../../api/core/v1/validation.js';
import type { ResourceDef, ResourceStrategy } from '../registry.js';

type Fn<T> = (o: T) => unknown;
const as = <T>(f: Fn<T>) => (o: KubeObject) => void f(o as unknown as T);

const PROTECTED_NAMESPACES = new Set(['default', 'kube-system', 'kube-public']);

const podStrategy: ResourceStrategy = {
  defaults: as<Pod>(setDefaultsPod),
  prepareForCreate: as<Pod>(preparePodForCreate),
  prepareForUpdate: (obj, old) => {
    obj.status = old.status;
  },
  validate: (o) => v.validatePod(o as unknown as Pod),
  validateUpdate: (o, old) => v.validatePodUpdate(o as unknown as Pod, old as unknown as Pod),
  prepareForStatusUpdate: (obj, old) => {
    const status = obj.status;
    const rv = obj.metadata.resourceVersion;
    for (const k of Object.keys(obj)) delete obj[k];
    Object.assign(obj, structuredClone(old), { status });
    obj.metadata.resourceVersion = rv;
  },
  validateStatusUpdate: (o, old) => v.validatePodStatusUpdate(o as unknown as Pod, old as unknown as Pod),
  validateCreate: (o) => v.validatePodCreate(o as unknown as Pod),
  prepareForEphemeralContainersUpdate: (obj, old) => {
    const ephemeralContainers = (obj.spec as Pod['spec'] | undefined)?.ephemeralContainers;
    const rv = obj.metadata.resourceVersion;
    for (const k of Object.keys(obj)) delete obj[k];
    Object.assign(obj, structuredClone(old));
    obj.metadata.resourceVersion = rv;
    const spec = (obj.spec ??= {}) as NonNullable<Pod['spec']>;
    if (ephemeralContainers === undefined || ephemeralContainers === null) delete spec.ephemeralContainers;
    else spec.ephemeralContainers = ephemeralContainers;
  },
  validateEphemeralContainersUpdate: (o, old) => v.validatePodEphemeralContainersUpdate(o as unknown as Pod, old as unknown as Pod),
  generationFields: (o) => o.spec,
  checkGracefulDelete: (obj, requested) => {
    const pod = obj as unknown as Pod;
    let grace = requested ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
    // Pods that never reached a node, or that already finished, go at once.
    if (!pod.spec?.nodeName) grace = 0;
    const phase = pod.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') grace = 0;
    return { gracePeriodSeconds: Math.max(0, grace) };
  },
  allowUnconditionalUpdate: true,
};

const namespaceStrategy: ResourceStrategy = {
  defaults: (o) => void setDefaultsNamespace(o as unknown as Namespace, false),
  prepareForCreate: (o) => {
    const ns = o as unknown as Namespace;
    ns.status = { phase: 'Active' };
    setDefaultsNamespace(ns, true);
  },
  prepareForUpdate: (obj, old) => {
    // spec.finalizers change only through namespaces/<name>/finalize; status only through /status
    obj.spec = { ...((obj.spec as object) ?? {}), finalizers: (old.spec as { finalizers?: string[] } | undefined)?.finalizers };
    obj.status = old.status;
  },
  validate: (o) => v.validateNamespace(o as unknown as Namespace),
  validateUpdate: (o, old) => v.validateNamespaceUpdate(o as unknown as Namespace, old as unknown as Namespace),
  allowUnconditionalUpdate: true,
  admitDelete: (obj: KubeObject) => {
    if (PROTECTED_NAMESPACES.has(obj.metadata.name ?? '')) {
      throw forbidden({ group: '', resource: 'namespaces' }, obj.metadata.name!, 'this namespace may not be deleted');
    }
  },
};

/**
 * A kind without spec/status split: defaults, validation on create and update, no generation tracking.
 * `createOnUpdate` mirrors upstream's AllowCreateOnUpdate (events, leases).
 */
function plainStrategy<T>(
  defaults: (o: T) => unknown,
  validate: (o: T) => StatusCause[],
  validateUpdate: (o: T, old: T) => StatusCause[],
  createOnUpdate = false,
): ResourceStrategy {
  return {
    defaults: as<T>(defaults),
    validate: (o) => validate(o as unknown as T),
    validateUpdate: (o, old) => validateUpdate(o as unknown as T, old as unknown as T),
      allowCreateOnUpdate: createOnUpdate,
    allowUnconditionalUpdate: true,
  };
}

const configMapStrategy = plainStrategy<ConfigMap>(setDefaultsConfigMap, v.validateConfigMap, v.validateConfigMapUpdate);
const secretStrategy = plainStrategy<Secret>(setDefaultsSecret, v.validateSecret, v.validateSecretUpdate);
const serviceAccountStrategy = plainStrategy<ServiceAccount>(setDefaultsServiceAccount, v.validateServiceAccount, v.validateServiceAccountUpdate);
const eventStrategy = plainStrategy<Event>(setDefaultsEvent, v.validateEvent, v.validateEventUpdate, true);
const leaseStrategy = plainStrategy<Lease>(setDefaultsLease, v.validateLease, v.validateLeaseUpdate, true);

const nodeStrategy: ResourceStrategy = {
  defaults: as<Node>(setDefaultsNode),
  prepareForUpdate: (obj, old) => {
    obj.status = old.status;
  },
  validate: (o) => v.validateNode(o as unknown as Node),
  validateUpdate: (o, old) => v.validateNodeUpdate(o as unknown as Node, old as unknown as Node),
  allowUnconditionalUpdate: true,
};


const core = (d: Omit<ResourceDef, 'group' | 'version' | 'listKind' | 'schemaName'>): ResourceDef => ({
  group: '',
  version: 'v1',
  listKind: `${d.kind}List`,
  schemaName: `io.k8s.api.core.v1.${d.kind}`,
  ...d,
});

export const coreResources: ResourceDef[] = [
  core({ kind: 'Pod', resource: 'pods', singular: 'pod', namespaced: true, shortNames: ['po'], categories: ['all'], subresources: ['status', 'ephemeralcontainers', 'binding', 'log', 'exec', 'attach', 'portforward'], strategy: podStrategy }),
  core({ kind: 'Namespace', resource: 'namespaces', singular: 'namespace', namespaced: false, shortNames: ['ns'], subresources: ['status', 'finalize'], strategy: namespaceStrategy, verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'] }),
  core({ kind: 'ConfigMap', resource: 'configmaps', singular: 'configmap', namespaced: true, shortNames: ['cm'], strategy: configMapStrategy }),
  core({ kind: 'Secret', resource: 'secrets', singular: 'secret', namespaced: true, strategy: secretStrategy }),
  core({ kind: 'ServiceAccount', resource: 'serviceaccounts', singular: 'serviceaccount', namespaced: true, shortNames: ['sa'], strategy: serviceAccountStrategy }),
  core({ kind: 'Event', resource: 'events', singular: 'event', namespaced: true, shortNames: ['ev'], strategy: eventStrategy }),
  core({ kind: 'Node', resource: 'nodes', singular: 'node', namespaced: false, shortNames: ['no'], subresources: ['status'], strategy: nodeStrategy }),
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
