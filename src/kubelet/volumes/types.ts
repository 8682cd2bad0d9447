// Contracts of the kubelet's volume manager: where it reads ConfigMaps/Secrets from, the bind mounts it
// hands to the runtime, and the errors it raises (FailedMount, CreateContainerConfigError).
import type { ConfigMap, Pod, ResourceList, Secret, ServiceAccountTokenProjection } from '../../api/core/v1/types.js';

/** Read access to the objects pods reference; undefined means "not found". Other failures throw. */
export interface ObjectSource {
  getConfigMap(ns: string, name: string): Promise<ConfigMap | undefined>;
  getSecret(ns: string, name: string): Promise<Secret | undefined>;
  /** A token for a projected serviceAccountToken source, bound to the pod (absent: such sources are skipped). */
  getServiceAccountToken?(pod: Pod, projection: ServiceAccountTokenProjection): Promise<string>;
}

/** One bind mount of a container: host path → container path. */
export interface HostMount {
  /** Name of the pod volume this mount comes from. */
  name: string;
  hostPath: string;
  containerPath: string;
  readOnly: boolean;
  propagation?: 'private' | 'rslave' | 'rshared';
}

export interface VolumeContext {
  podIP?: string;
  hostIP?: string;
  /** Overrides the manager's nodeAllocatable for this call. */
  nodeAllocatable?: ResourceList;
}

export interface VolumeManagerOptions {
  /** Default for unset limits in downward API resourceFieldRefs and memory-backed volume sizes. */
  nodeAllocatable?: ResourceList;
  /** Put secret and projected volumes on tmpfs like upstream (default: when running as root). */
  secretsInMemory?: boolean;
}

/** A pod volume could not be prepared; the kubelet records it as a FailedMount event. */
export class VolumeSetupError extends Error {
  readonly reason = 'FailedMount' as const;
  constructor(
    readonly volume: string,
    readonly detail: string,
  ) {
    super(`MountVolume.SetUp failed for volume "${volume}" : ${detail}`);
    this.name = 'VolumeSetupError';
  }
}

/** A container's config (env, mounts) could not be generated; the container waits as CreateContainerConfigError. */
export class ContainerConfigError extends Error {
  readonly reason = 'CreateContainerConfigError' as const;
  constructor(message: string) {
    super(message);
    this.name = 'ContainerConfigError';
  }
}
