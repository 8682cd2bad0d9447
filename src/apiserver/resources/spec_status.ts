// The strategy shared by kinds with a spec/status split and a status subresource (Deployment, ReplicaSet,
// ReplicationController, and the other workload kinds).
import type { KubeObject } from '../../api/types.js';
import type { ResourceStrategy } from '../registry.js';

/**
 * The strategy of a kind with spec and status (upstream's for every apps/v1 kind): status is reset on
 * create and kept on update (it changes through /status), generation tracks spec.
 */
export function specStatusStrategy<T extends KubeObject>(o: {
  defaults: (obj: T) => unknown;
  validate: (obj: T) => ReturnType<NonNullable<ResourceStrategy<T>['validate']>>;
  validateUpdate: (obj: T, old: T) => ReturnType<NonNullable<ResourceStrategy<T>['validate']>>;
}): ResourceStrategy<T> {
  return {
    defaults: o.defaults,
    prepareForCreate: (obj) => {
      (obj as KubeObject).status = {};
    },
    prepareForUpdate: (obj, old) => {
      (obj as KubeObject).status = old.status;
    },
    validate: o.validate,
    validateUpdate: o.validateUpdate,
    generationFields: (obj) => obj.spec,
    allowUnconditionalUpdate: true,
  };
}
