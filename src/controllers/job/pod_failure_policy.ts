// Matching a failed pod against a Job's podFailurePolicy (upstream matchPodFailurePolicy): the first rule
// whose exit-code requirement or pod-condition pattern matches decides FailJob, FailIndex, Ignore or Count.
import type { PodFailurePolicy, PodFailurePolicyAction, PodFailurePolicyRule } from '../../api/batch/v1/types.js';
import type { ContainerStatus, Pod } from '../../api/core/v1/types.js';

export interface PolicyMatch {
  action: PodFailurePolicyAction;
  /** Upstream's message for FailJob/FailIndex, e.g. "Container main for pod default/x failed with exit code 42 matching FailJob rule at index 0". */
  message: string;
}

function exitCodeMatch(rule: PodFailurePolicyRule, statuses: ContainerStatus[]): ContainerStatus | undefined {
  const req = rule.onExitCodes!;
  for (const cs of statuses) {
    if (req.containerName && cs.name !== req.containerName) continue;
    const code = cs.state?.terminated?.exitCode;
    // containers that succeeded (0) never match; a container still running has no code
    if (code === undefined || code === 0) continue;
    const inValues = req.values.includes(code);
    if ((req.operator === 'In' && inValues) || (req.operator === 'NotIn' && !inValues)) return cs;
  }
  return undefined;
}

/** The first matching rule's action and message; undefined when no rule matches (the failure counts). */
export function matchPodFailurePolicy(policy: PodFailurePolicy | undefined, pod: Pod): PolicyMatch | undefined {
  if (!policy) return undefined;
  const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  const who = `${pod.metadata.namespace}/${pod.metadata.name}`;
  for (const [i, rule] of (policy.rules ?? []).entries()) {
    if (rule.onExitCodes) {
      const cs = exitCodeMatch(rule, statuses);
      if (cs)
        return {
          action: rule.action,
          message: `Container ${cs.name} for pod ${who} failed with exit code ${cs.state!.terminated!.exitCode} matching ${rule.action} rule at index ${i}`,
        };
    } else if (rule.onPodConditions) {
      for (const pattern of rule.onPodConditions) {
        const c = (pod.status?.conditions ?? []).find((x) => x.type === pattern.type && x.status === (pattern.status ?? 'True'));
        if (c) return { action: rule.action, message: `Pod ${who} has condition ${c.type} matching ${rule.action} rule at index ${i}` };
      }
    }
  }
  return undefined;
}
