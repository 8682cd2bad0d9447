// The resource registry: one declarative ResourceDef per served kind (group, version, names, scope,
// subresources, and the strategy hooks that give a kind its Kubernetes semantics). Adding a kind is adding
// a ResourceDef to a list in src/apiserver/resources/.
import type { KubeObject, StatusCause } from '../api/types.js';
import type { RequestInfo } from './request_info.js';

export interface FieldSet {
  [field: string]: string;
}

export interface DeleteDecision {
  /** Grace period to apply; 0 = remove now (unless finalizers hold it). */
  gracePeriodSeconds: number;
}

/**
 * A kind's semantics, typed by the kind (upstream's RESTCreateStrategy/RESTUpdateStrategy/RESTDeleteStrategy).
 * Methods, so that a ResourceStrategy<Pod> serves where the registry holds ResourceStrategy<KubeObject>.
 */
export interface ResourceStrategy<T extends KubeObject = KubeObject> {
  /** Fill defaults on create/update (upstream SetDefaults_*). */
  defaults?(obj: T): void;
  /** Reset server-owned fields on create (e.g. a pod's status). */
  prepareForCreate?(obj: T): void;
  /** Carry server-owned fields over on a main-resource update (status for kinds with a status subresource). */
  prepareForUpdate?(obj: T, old: T): void;
  validate?(obj: T): StatusCause[];
  validateUpdate?(obj: T, old: T): StatusCause[];
  /** Rules only a create checks (e.g. a new pod may not have ephemeral containers). */
  validateCreate?(obj: T): StatusCause[];
  /**
   * Hands out what the registry allocates (a Service's ClusterIP and node ports) once the object is valid,
   * right before the write (`old`: the stored object on update). May throw a StatusError (422 taken/out of range).
   */
  allocate?(obj: T, old: T | undefined): void;
  /** Fields usable in fieldSelector (metadata.name and metadata.namespace are always there). */
  fields?(obj: T): FieldSet;
  /** Graceful deletion policy; omitted = delete at once. */
  checkGracefulDelete?(obj: T, requestedGrace: number | undefined): DeleteDecision;
  /**
   * The part of an object whose changes bump metadata.generation (usually spec). Kinds without it do not
   * track generation at all (upstream sets it only for kinds with a desired-state spec).
   */
  generationFields?(obj: T): unknown;
  /** PUT on a missing object creates it (upstream AllowCreateOnUpdate). */
  allowCreateOnUpdate?: boolean;
  /** PUT without resourceVersion is accepted (upstream AllowUnconditionalUpdate). */
  allowUnconditionalUpdate?: boolean;
  /**
   * What a delete without propagationPolicy/orphanDependents does to dependents (upstream
   * DefaultGarbageCollectionPolicy): DeleteDependents (background, the default), OrphanDependents (core/v1
   * ReplicationController and batch/v1 Job, for backward compatibility), or Unsupported (no GC finalizers).
   */
  defaultGarbageCollectionPolicy?: GarbageCollectionPolicy;
}

export type GarbageCollectionPolicy = 'DeleteDependents' | 'OrphanDependents' | 'Unsupported';

/** How an update through a subresource changes the stored object (e.g. status: only .status is the client's). */
export interface SubresourceStrategy<T extends KubeObject = KubeObject> {
  /** Turn the client's `obj` into the object to store, taking everything but this subresource's fields from `old`. */
  prepareForUpdate(obj: T, old: T): void;
  validateUpdate?(obj: T, old: T): StatusCause[];
}

/**
 * What a subresource handler is given: the API server passes its HandlerContext (or UpgradeContext), both in
 * handlers/context.ts, which extend this; handlers declare their parameter as those. Declared here so that the
 * registry does not import the handlers (that would be an import cycle).
 */
export interface SubresourceRequest {
  info: RequestInfo;
  query: URLSearchParams;
}

/**
 * One subresource of a kind (upstream: a REST storage registered at "<resource>/<sub>"): what discovery says
 * of it, the store's update rules for it, and the handler that serves it. Adding a subresource to a kind is
 * adding one entry to its ResourceDef's `subresources`.
 */
export interface SubresourceDef<T extends KubeObject = KubeObject> {
  /** The kind it takes and returns, when not the parent's (e.g. Binding, PodExecOptions; Eviction of policy/v1). */
  kind?: { group: string; version?: string; kind: string };
  /** Verbs served (discovery); other verbs are 405 MethodNotAllowed. */
  verbs: string[];
  /** Update rules, for subresources written through the generic store (status, finalize, binding). */
  strategy?: SubresourceStrategy<T>;
  /** Serves a request on <resource>/<name>/<subresource> whose verb is in `verbs` (given a HandlerContext). */
  serve(ctx: SubresourceRequest): Promise<void>;
  /** Serves an upgrade request (exec, attach, portforward; given an UpgradeContext); absent = not upgradable (404). */
  upgrade?(ctx: SubresourceRequest): Promise<void>;
}

export interface ResourceDef<T extends KubeObject = KubeObject> {
  group: string; // "" for core
  version: string;
  kind: string;
  listKind: string;
  resource: string; // plural
  singular: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  /** Subresources served besides the main resource ("status", "binding", "finalize", "log", ...). */
  subresources?: Record<string, SubresourceDef<T>>;
  verbs?: string[];
  strategy: ResourceStrategy<T>;
  /** Schema definition name, e.g. "io.k8s.api.core.v1.Pod". */
  schemaName: string;
  /**
   * Serves POST itself instead of the generic store (given a HandlerContext): create-only kinds that are
   * answered and never stored, such as the access reviews (upstream's rest.Creater without a registry).
   */
  serveCreate?(ctx: SubresourceRequest): Promise<void>;
  /**
   * Set when this version is not the one stored (e.g. autoscaling/v1 HPAs are stored as autoscaling/v2): the
   * store converts objects on their way in and out. Both versions share the store key prefix.
   */
  conversion?: { toStorage(obj: KubeObject): KubeObject; fromStorage(obj: KubeObject): KubeObject };
  /**
   * Verbs served by the kind's own handlers instead of the generic store (metrics.k8s.io's computed
   * NodeMetrics/PodMetrics); given a HandlerContext.
   */
  handlers?: Partial<Record<'get' | 'list', (ctx: SubresourceRequest) => Promise<void>>>;
  /**
   * A deprecated kind (upstream's APILifecycleDeprecated / APILifecycleReplacement): every request on it is
   * answered with the warning `<apiVersion> <Kind> is deprecated in v<since>+; use <replacement>`.
   */
  deprecated?: { since: string; replacement?: string };
}

/** Upstream's deprecation warning for a kind (k8s.io/apiserver's deprecation.WarningMessage). */
export function deprecationWarning(def: ResourceDef): string | undefined {
  if (!def.deprecated) return undefined;
  const msg = `${apiVersionOf(def)} ${def.kind} is deprecated in v${def.deprecated.since}+`;
  return def.deprecated.replacement ? `${msg}; use ${def.deprecated.replacement}` : msg;
}

export const DEFAULT_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export function apiVersionOf(def: ResourceDef): string {
  return def.group ? `${def.group}/${def.version}` : def.version;
}

/** The declared subresource `name` of `def` (own entries only: a URL segment like "constructor" is not one). */
export function subresourceOf(def: ResourceDef, name: string | undefined): SubresourceDef | undefined {
  const subs = def.subresources;
  return subs && name !== undefined && Object.hasOwn(subs, name) ? subs[name] : undefined;
}

export function subresourceNames(def: ResourceDef): string[] {
  return Object.keys(def.subresources ?? {});
}

export function groupResource(def: ResourceDef): { group: string; resource: string } {
  return { group: def.group, resource: def.resource };
}

/** Registry lookups by group/version/resource. */
export class ResourceRegistry {
  private byGVR = new Map<string, ResourceDef>();
  readonly all: ResourceDef[] = [];

  add(...defs: ResourceDef[]): this {
    for (const d of defs) {
      this.byGVR.set(`${d.group}/${d.version}/${d.resource}`, d);
      this.all.push(d);
    }
    return this;
  }

  lookup(group: string, version: string, resource: string): ResourceDef | undefined {
    return this.byGVR.get(`${group}/${version}/${resource}`);
  }

  /** Groups (other than core) with their versions, in registration order. */
  groups(): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const d of this.all) {
      if (!d.group) continue;
      const vs = out.get(d.group) ?? [];
      if (!vs.includes(d.version)) vs.push(d.version);
      out.set(d.group, vs);
    }
    return out;
  }

  inGroupVersion(group: string, version: string): ResourceDef[] {
    return this.all.filter((d) => d.group === group && d.version === version);
  }

  /** The store key prefix for a resource (optionally within one namespace). */
  static keyPrefix(def: ResourceDef, namespace?: string): string {
    const base = `/registry/${def.group ? def.group + '/' : ''}${def.resource}/`;
    return def.namespaced && namespace ? `${base}${namespace}/` : base;
  }

  static key(def: ResourceDef, namespace: string | undefined, name: string): string {
    return `${ResourceRegistry.keyPrefix(def, def.namespaced ? namespace : undefined)}${name}`;
  }
}
