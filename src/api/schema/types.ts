// The structural schema shape k8ts describes its kinds with (a subset of OpenAPI v3 plus the Kubernetes
// x-kubernetes-* extensions). One schema feeds: unknown-field/type checks (fieldValidation), strategic
// merge patch (merge keys and strategies), server-side apply (list types), /openapi/v2 and /openapi/v3,
// and `kubectl explain`.

export type SchemaType = 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

export interface Schema {
  type?: SchemaType;
  format?: string;
  description?: string;
  properties?: Record<string, Schema>;
  /** Map values (e.g. labels: string->string); `true` = any value. */
  additionalProperties?: Schema | boolean;
  items?: Schema;
  required?: string[];
  enum?: string[];
  default?: unknown;
  /** Reference to a named definition, e.g. "io.k8s.api.core.v1.PodSpec". */
  $ref?: string;
  'x-kubernetes-patch-merge-key'?: string;
  /** "merge", "replace", "retainKeys", or "merge,retainKeys". */
  'x-kubernetes-patch-strategy'?: string;
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: 'atomic' | 'granular';
  /** Accepts an integer or a string (ports, quantities-as-intstr). */
  'x-kubernetes-int-or-string'?: boolean;
  /** Any JSON below this node is kept as is (no unknown-field checks). */
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-group-version-kind'?: GroupVersionKind[];
}

/** Named definitions, keyed like upstream: "io.k8s.api.core.v1.Pod". */
export type Definitions = Record<string, Schema>;
