// The resource registry: one declarative ResourceDef per served kind (group, version, names, scope,
// subresources, and the strategy hooks that give a kind its Kubernetes semantics). Adding a kind is adding
// a ResourceDef to a list in src/apiserver/resources/.
import type { KubeObject, StatusCause } from '../api/types.js';

export interface FieldSet {
  [field: string]: string;
}

export interface DeleteDecision {
  /** Grace period to apply; 0 = remove now (unless finalizers hold it). */
  gracePeriodSeconds: number;
}

export interface ResourceStrategy {
  /** Fill defaults on create/update (upstream SetDefaults_*). */
  defaults?(obj: KubeObject): void;
  /** Reset server-owned fields on create (e.g. a pod's status). */
  prepareForCreate?(obj: KubeObject): void;
  /** Carry server-owned fields over on a main-resource update (status for kinds with a status subresource). */
  prepareForUpdate?(obj: KubeObject, old: KubeObject): void;
  validate?(obj: KubeObject): StatusCause[];
  validateUpdate?(obj: KubeObject, old: KubeObject): StatusCause[];
  /** Status subresource: take status from `obj`, everything else from `old`. */
  prepareForStatusUpdate?(obj: KubeObject, old: KubeObject): void;
  validateStatusUpdate?(obj: KubeObject, old: KubeObject): StatusCause[];
  /** Rules only a create checks (e.g. a new pod may not have ephemeral containers). */
  validateCreate?(obj: KubeObject): StatusCause[];
  /** pods/<name>/ephemeralcontainers: take spec.ephemeralContainers from `obj`, everything else from `old`. */
  prepareForEphemeralContainersUpdate?(obj: KubeObject, old: KubeObject): void;
  validateEphemeralContainersUpdate?(obj: KubeObject, old: KubeObject): StatusCause[];
  /** Fields usable in fieldSelector (metadata.name and metadata.namespace are always there). */
  fields?(obj: KubeObject): FieldSet;
  /** Refuse a delete (e.g. the system namespaces) by throwing a StatusError. */
  admitDelete?(obj: KubeObject): void;
  /** Graceful deletion policy; omitted = delete at once. */
  checkGracefulDelete?(obj: KubeObject, requestedGrace: number | undefined): DeleteDecision;
  /**
   * The part of an object whose changes bump metadata.generation (usually spec). Kinds without it do not
   * track generation at all (upstream sets it only for kinds with a desired-state spec).
   */
  generationFields?: (obj: KubeObject) => unknown;
  /** PUT on a missing object creates it (upstream AllowCreateOnUpdate). */
  allowCreateOnUpdate?: boolean;
  /** PUT without resourceVersion is accepted (upstream AllowUnconditionalUpdate). */
  allowUnconditionalUpdate?: boolean;
}

export interface ResourceDef {
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
  subresources?: string[];
  verbs?: string[];
  strategy: ResourceStrategy;
  /** Schema definition name, e.g. "io.k8s.api.core.v1.Pod". */
  schemaName: string;
}

export const DEFAULT_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export function apiVersionOf(def: ResourceDef): string {
  return def.group ? `${def.group}/${def.version}` : def.version;
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
