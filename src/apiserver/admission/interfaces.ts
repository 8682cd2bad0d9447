// Admission control's interfaces (upstream k8s.io/apiserver/pkg/admission): the attributes of a write or
// connect, and plugins that mutate (admit) and/or validate it. A plugin rejects by throwing a StatusError.
import type { KubeObject } from '../../api/types.js';
import type { UserInfo } from '../filters/user.js';

export type Operation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';

export interface AdmissionAttributes {
  operation: Operation;
  /** The kind of `object` (for connect: the options kind, e.g. PodExecOptions). */
  kind: { group: string; version: string; kind: string };
  resource: { group: string; version: string; resource: string };
  subresource: string;
  /** "" for cluster-scoped objects. */
  namespace: string;
  /** "" on a create whose name is still to be generated. */
  name: string;
  /** The new object (create, update) or the connect options; undefined on delete. */
  object?: KubeObject;
  /** The stored object (update, delete). */
  oldObject?: KubeObject;
  dryRun: boolean;
  userInfo: UserInfo;
}

export interface AdmissionPlugin {
  readonly name: string;
  /** The operations the plugin takes part in. */
  handles(op: Operation): boolean;
  /** Mutating admission: may change attributes.object. Runs before the kind's strategy. */
  admit?(a: AdmissionAttributes): Promise<void>;
  /** Validating admission: must not change anything. Runs after the strategy's validation, before the write. */
  validate?(a: AdmissionAttributes): Promise<void>;
}

/** A plugin with admit (upstream MutationInterface). */
export type MutationInterface = AdmissionPlugin & Required<Pick<AdmissionPlugin, 'admit'>>;
/** A plugin with validate (upstream ValidationInterface). */
export type ValidationInterface = AdmissionPlugin & Required<Pick<AdmissionPlugin, 'validate'>>;
