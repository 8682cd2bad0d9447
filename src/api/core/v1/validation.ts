// Entry point for core/v1 validation: re-exports the per-kind validators (each returns StatusCause[]
// with upstream field paths and messages; empty = valid) and the ObjectMeta validators.
export {
  validateObjectMeta,
  validateObjectMetaUpdate,
  validateAnnotations,
  validateFinalizers,
  type ObjectMetaUpdateOptions,
} from '../../validation/object_meta.js';
export { validateLabels } from '../../validation/field.js';
export {
  validatePod,
  validatePodCreate,
  validatePodEphemeralContainersUpdate,
  validatePodUpdate,
  validatePodStatusUpdate,
  podUpdateForbiddenMessage,
} from './validation/pod.js';
export { validatePodSpec, validateTolerations } from './validation/pod_spec.js';
export { validateContainer, validateProbe, validateEnv } from './validation/container.js';
export { validateVolumes } from './validation/volumes.js';
export { validateResourceRequirements, validateResourceList } from './validation/resources.js';
export { validateConfigMap, validateConfigMapUpdate, validateSecret, validateSecretUpdate, MaxSecretSize } from './validation/config_data.js';
export {
  validateNamespace,
  validateNamespaceUpdate,
  validateNode,
  validateNodeUpdate,
  validateServiceAccount,
  validateServiceAccountUpdate,
  validateEvent,
  validateEventUpdate,
  validateLease,
  validateLeaseUpdate,
} from './validation/cluster.js';
export {
  validateReplicationController,
  validateReplicationControllerUpdate,
  validateReplicationControllerStatusUpdate,
} from './validation/replication_controller.js';
export { validatePodTemplateForReplicas } from './validation/pod_template.js';
export { validateReplicaCounts } from './validation/replica_counts.js';
