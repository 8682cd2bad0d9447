// scheduling.k8s.io/v1 PriorityClass: a name mapped to a pod priority (and preemption policy), plus the two
// system classes every cluster has (upstream pkg/apis/scheduling).
import type { KubeObject } from '../../types.js';

export interface PriorityClass extends KubeObject {
  value: number;
  globalDefault?: boolean;
  description?: string;
  preemptionPolicy?: 'PreemptLowerPriority' | 'Never';
}

/** Pods without a class and no global default get this priority. */
export const DEFAULT_PRIORITY_WHEN_NO_DEFAULT_CLASS_EXISTS = 0;
/** The highest value a user-defined class may have. */
export const HIGHEST_USER_DEFINABLE_PRIORITY = 1_000_000_000;
export const SYSTEM_CRITICAL_PRIORITY = 2 * HIGHEST_USER_DEFINABLE_PRIORITY;
export const SYSTEM_PRIORITY_CLASS_PREFIX = 'system-';
export const SYSTEM_CLUSTER_CRITICAL = 'system-cluster-critical';
export const SYSTEM_NODE_CRITICAL = 'system-node-critical';

/** upstream SystemPriorityClasses(). */
export function systemPriorityClasses(): PriorityClass[] {
  return [
    {
      apiVersion: 'scheduling.k8s.io/v1',
      kind: 'PriorityClass',
      metadata: { name: SYSTEM_NODE_CRITICAL },
      value: SYSTEM_CRITICAL_PRIORITY + 1000,
      description: 'Used for system critical pods that must not be moved from their current node.',
    },
    {
      apiVersion: 'scheduling.k8s.io/v1',
      kind: 'PriorityClass',
      metadata: { name: SYSTEM_CLUSTER_CRITICAL },
      value: SYSTEM_CRITICAL_PRIORITY,
      description: 'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.',
    },
  ];
}

/** upstream IsKnownSystemPriorityClass: the error text, or undefined when name/value/globalDefault are a system class's. */
export function knownSystemPriorityClassError(name: string, value: number, globalDefault: boolean): string | undefined {
  const spc = systemPriorityClasses().find((c) => c.metadata.name === name);
  if (!spc) return `${name} is not a known system priority class`;
  if (spc.value !== value) return `value of ${name} PriorityClass must be ${spc.value}`;
  if (!!spc.globalDefault !== globalDefault) return `globalDefault of ${name} PriorityClass must be ${!!spc.globalDefault}`;
  return undefined;
}
