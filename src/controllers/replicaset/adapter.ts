// What the replica-set logic needs to know of the kind it runs for: apps/v1 ReplicaSet (a LabelSelector)
// or core/v1 ReplicationController (a label map), so one controller serves both (upstream wraps RCs the same).
import type { KubeObject } from '../../api/types.js';
import type { PodTemplateSpec } from '../../api/core/v1/types.js';
import { labelSelectorAsSelector, selectorFromSet, type LabelSelector, type Selector } from '../../api/labels.js';
import { Resources, type ResourceRef } from '../../client/typed.js';

/** The fields the controller reads and writes (the same in both kinds). */
export interface ReplicatedObject extends KubeObject {
  spec?: { replicas?: number; minReadySeconds?: number; template?: PodTemplateSpec; selector?: unknown };
  status?: ReplicaStatus;
}

export interface ReplicaCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

export interface ReplicaStatus {
  replicas?: number;
  fullyLabeledReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  observedGeneration?: number;
  conditions?: ReplicaCondition[];
}

export interface ReplicaSetAdapter {
  /** Controller name in logs and the event source ("replicaset-controller"). */
  controllerName: string;
  apiVersion: string;
  kind: string;
  ref: ResourceRef;
  /** Throws on a selector that cannot be one (validation keeps those out). */
  selector(obj: ReplicatedObject): Selector;
}

export const replicaSetAdapter: ReplicaSetAdapter = {
  controllerName: 'replicaset-controller',
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  ref: Resources.replicaSets,
  selector: (o) => labelSelectorAsSelector(o.spec?.selector as LabelSelector | undefined),
};

export const replicationControllerAdapter: ReplicaSetAdapter = {
  controllerName: 'replication-controller',
  apiVersion: 'v1',
  kind: 'ReplicationController',
  ref: Resources.replicationControllers,
  selector: (o) => {
    const sel = o.spec?.selector as Record<string, string> | undefined;
    // an empty map selects nothing for an RC (validation requires one)
    return sel && Object.keys(sel).length ? selectorFromSet(sel) : labelSelectorAsSelector(undefined);
  },
};
