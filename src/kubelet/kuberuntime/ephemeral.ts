// Ephemeral containers (kubectl debug) on the node: which ones a sync starts — each exactly once, even
// before initialization completes, never restarted — and the runtime container whose PID namespace a
// container with targetContainerName joins.
import type { Container, Pod } from '../../api/core/v1/types.js';
import { findContainerStatus, type RuntimePodStatus } from './pod_status.js';

/** Indexes of spec.ephemeralContainers that the runtime has never run (upstream computePodActions). */
export function ephemeralContainersToStart(pod: Pod, status: RuntimePodStatus): number[] {
  if (pod.metadata.deletionTimestamp) return [];
  const out: number[] = [];
  (pod.spec?.ephemeralContainers ?? []).forEach((c, i) => {
    if (!findContainerStatus(status, c.name)) out.push(i);
  });
  return out;
}

/** The ephemeral container as the runtime manager starts it (an EphemeralContainer is a Container). */
export function ephemeralContainer(pod: Pod, i: number): Container & { targetContainerName?: string } {
  return pod.spec!.ephemeralContainers![i]!;
}

/**
 * The running runtime container named by targetContainerName, whose PID namespace the ephemeral container
 * joins; undefined without a target. Throws (upstream's wording) when the target is not running.
 */
export function targetContainerId(c: { targetContainerName?: string }, status: RuntimePodStatus): string | undefined {
  const target = c.targetContainerName;
  if (!target) return undefined;
  const cs = findContainerStatus(status, target);
  if (!cs || cs.state !== 'running') throw new Error(`unable to find target container ${target}`);
  return cs.id;
}
