// Typed resource clients (client-go's clientset shape): `coreV1(client).pods(ns).create(pod)` builds the
// REST paths from a resource's group/version/name/scope, so no caller hand-writes `/api/v1/...` strings.
import type { ConfigMap, Event, Namespace, Node, Pod, ReplicationController, Secret, ServiceAccount } from '../api/core/v1/types.js';
import type { Deployment, ReplicaSet } from '../api/apps/v1/types.js';
import type { KubeList, KubeObject, Status, WatchEvent } from '../api/types.js';
import type { KubeClient, RequestOptions, WatchHandle } from './rest.js';

/** A resource's REST coordinates. */
export interface ResourceRef {
  group: string;
  version: string;
  /** Plural, lower-case: "pods". */
  resource: string;
  namespaced: boolean;
}

const core = (resource: string, namespaced: boolean): ResourceRef => ({ group: '', version: 'v1', resource, namespaced });
const apps = (resource: string): ResourceRef => ({ group: 'apps', version: 'v1', resource, namespaced: true });

export const Resources = {
  pods: core('pods', true),
  nodes: core('nodes', false),
  namespaces: core('namespaces', false),
  configMaps: core('configmaps', true),
  secrets: core('secrets', true),
  events: core('events', true),
  serviceAccounts: core('serviceaccounts', true),
  services: core('services', true),
  endpoints: core('endpoints', true),
  endpointSlices: { group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices', namespaced: true } as ResourceRef,
  leases: { group: 'coordination.k8s.io', version: 'v1', resource: 'leases', namespaced: true } as ResourceRef,
  replicationControllers: core('replicationcontrollers', true),
  deployments: apps('deployments'),
  replicaSets: apps('replicasets'),
  statefulSets: apps('statefulsets'),
  daemonSets: apps('daemonsets'),
  controllerRevisions: apps('controllerrevisions'),
} as const;

/** The collection path of a resource, in one namespace when given (all namespaces otherwise). */
export function collectionPath(r: ResourceRef, namespace?: string): string {
  const gv = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  return r.namespaced && namespace ? `${gv}/namespaces/${encodeURIComponent(namespace)}/${r.resource}` : `${gv}/${r.resource}`;
}

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
}

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: string;
  preconditions?: { uid?: string; resourceVersion?: string };
}

export type PatchType = 'merge' | 'strategic' | 'json';

export class ResourceClient<T extends KubeObject = KubeObject> {
  constructor(
    private readonly client: KubeClient,
    readonly ref: ResourceRef,
    /** Namespace of namespaced resources; undefined = all namespaces (list/watch only). */
    readonly namespace?: string,
  ) {}

  collection(): string {
    return collectionPath(this.ref, this.namespace);
  }

  /** Path of one object (and optionally one of its subresources). */
  path(name: string, subresource?: string): string {
    if (this.ref.namespaced && !this.namespace) throw new Error(`${this.ref.resource}: a namespace is required for ${name}`);
    const base = `${this.collection()}/${encodeURIComponent(name)}`;
    return subresource ? `${base}/${subresource}` : base;
  }

  get(name: string, o?: RequestOptions): Promise<T> {
    return this.client.get<T>(this.path(name), o);
  }

  list(opts: ListOptions = {}): Promise<KubeList<T>> {
    return this.client.list<T>(this.collection(), { query: { ...opts } });
  }

  create(obj: T, o?: RequestOptions): Promise<T> {
    return this.client.create<T>(this.collection(), obj, o);
  }

  update(obj: T, o?: RequestOptions): Promise<T> {
    return this.client.update<T>(this.path(obj.metadata.name!), obj, o);
  }

  updateStatus(obj: T, o?: RequestOptions): Promise<T> {
    return this.client.update<T>(this.path(obj.metadata.name!, 'status'), obj, o);
  }

  patch(name: string, patch: unknown, type: PatchType = 'merge', o?: RequestOptions): Promise<T> {
    return this.client.patch<T>(this.path(name), patch, type, o);
  }

  patchStatus(name: string, patch: unknown, type: PatchType = 'merge', o?: RequestOptions): Promise<T> {
    return this.client.patch<T>(this.path(name, 'status'), patch, type, o);
  }

  delete(name: string, opts?: DeleteOptions): Promise<T | Status> {
    return this.client.delete<T | Status>(this.path(name), opts);
  }

  deleteCollection(opts: ListOptions = {}): Promise<KubeList<T> | Status> {
    return this.client.request<KubeList<T> | Status>('DELETE', this.collection(), undefined, { query: { ...opts } });
  }

  /** POST to a subresource (pods/binding, pods/eviction). */
  createSubresource<R = Status>(name: string, subresource: string, body: unknown): Promise<R> {
    return this.client.create<R>(this.path(name, subresource), body);
  }

  /** PUT to a subresource (namespaces/finalize). */
  updateSubresource<R = T>(name: string, subresource: string, body: unknown): Promise<R> {
    return this.client.update<R>(this.path(name, subresource), body);
  }

  watch(resourceVersion: string, onEvent: (ev: WatchEvent<T>) => void, opts: ListOptions & { timeoutSeconds?: number } = {}): WatchHandle {
    return this.client.watch(this.collection(), resourceVersion, onEvent as (ev: WatchEvent) => void, { ...opts });
  }
}

/** core/v1 (and the coordination Leases the node agent uses) as typed clients. */
export class CoreV1Client {
  constructor(readonly client: KubeClient) {}

  pods(namespace?: string): ResourceClient<Pod> {
    return new ResourceClient<Pod>(this.client, Resources.pods, namespace);
  }
  nodes(): ResourceClient<Node> {
    return new ResourceClient<Node>(this.client, Resources.nodes);
  }
  namespaces(): ResourceClient<Namespace> {
    return new ResourceClient<Namespace>(this.client, Resources.namespaces);
  }
  configMaps(namespace?: string): ResourceClient<ConfigMap> {
    return new ResourceClient<ConfigMap>(this.client, Resources.configMaps, namespace);
  }
  secrets(namespace?: string): ResourceClient<Secret> {
    return new ResourceClient<Secret>(this.client, Resources.secrets, namespace);
  }
  events(namespace?: string): ResourceClient<Event> {
    return new ResourceClient<Event>(this.client, Resources.events, namespace);
  }
  leases(namespace?: string): ResourceClient {
    return new ResourceClient(this.client, Resources.leases, namespace);
  }
  replicationControllers(namespace?: string): ResourceClient<ReplicationController> {
    return new ResourceClient<ReplicationController>(this.client, Resources.replicationControllers, namespace);
  }
  serviceAccounts(namespace?: string): ResourceClient<ServiceAccount> {
    return new ResourceClient<ServiceAccount>(this.client, Resources.serviceAccounts, namespace);
  }
}

export function coreV1(client: KubeClient): CoreV1Client {
  return new CoreV1Client(client);
}

/** apps/v1 workloads as typed clients. */
export class AppsV1Client {
  constructor(readonly client: KubeClient) {}

  deployments(namespace?: string): ResourceClient<Deployment> {
    return new ResourceClient<Deployment>(this.client, Resources.deployments, namespace);
  }
  replicaSets(namespace?: string): ResourceClient<ReplicaSet> {
    return new ResourceClient<ReplicaSet>(this.client, Resources.replicaSets, namespace);
  }
}

export function appsV1(client: KubeClient): AppsV1Client {
  return new AppsV1Client(client);
}
