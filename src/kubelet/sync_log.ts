// What one pod sync did, as the fields of its log line: the actions computePodActions chose (by upstream
// name), the containers started and killed, and why the others are still waiting.
import type { PodActions } from './kuberuntime/compute_actions.js';
import type { WaitingReason } from './status/generate.js';

export interface SyncLogFields {
  action: string;
  started?: string[];
  killed?: string[];
  waiting?: Record<string, string>;
}

/**
 * `reasons`: the waiting reasons of the containers this sync could not start; `hadSandbox`: whether the pod had a
 * sandbox before (computePodActions asks for a kill with every sandbox creation, a no-op for a new pod).
 */
export function syncLogFields(actions: PodActions, started: string[], reasons: Map<string, WaitingReason>, hadSandbox: boolean): SyncLogFields {
  const verbs: string[] = [];
  if (actions.killPod && (hadSandbox || !actions.createSandbox)) verbs.push('KillPod');
  if (actions.createSandbox) verbs.push('CreatePodSandbox');
  if (actions.containersToKill.length) verbs.push('KillContainers');
  if (actions.initContainersToStart.length) verbs.push('StartInitContainers');
  if (actions.containersToStart.length) verbs.push('StartContainers');
  const out: SyncLogFields = { action: verbs.join(',') || 'None' };
  if (started.length) out.started = started;
  if (actions.containersToKill.length) out.killed = actions.containersToKill.map((k) => k.name);
  if (reasons.size) out.waiting = Object.fromEntries([...reasons].map(([name, r]) => [name, r.reason]));
  return out;
}
