// The DefaultTolerationSeconds admission plugin (upstream plugin/pkg/admission/defaulttolerationseconds):
// a pod created without a toleration for the not-ready or unreachable NoExecute taint gets one for
// --default-not-ready-toleration-seconds / --default-unreachable-toleration-seconds (300 s each), so the
// taint eviction removes it only after that long once its node fails.
import type { Pod, Toleration } from '../../api/core/v1/types.js';
import { TAINT_NODE_NOT_READY, TAINT_NODE_UNREACHABLE } from '../../api/core/v1/taints.js';
import type { AdmissionAttributes, MutationInterface } from './interfaces.js';

export const DEFAULT_TOLERATION_SECONDS = 300;

function toleratesAlready(tolerations: Toleration[], key: string): boolean {
  return tolerations.some((t) => (t.key === key || !t.key) && (t.effect === 'NoExecute' || !t.effect));
}

export function defaultTolerationSeconds(o: { notReadySeconds?: number; unreachableSeconds?: number } = {}): MutationInterface {
  const seconds: Record<string, number> = {
    [TAINT_NODE_NOT_READY]: o.notReadySeconds ?? DEFAULT_TOLERATION_SECONDS,
    [TAINT_NODE_UNREACHABLE]: o.unreachableSeconds ?? DEFAULT_TOLERATION_SECONDS,
  };
  return {
    name: 'DefaultTolerationSeconds',
    handles: (op) => op === 'CREATE',
    async admit(a: AdmissionAttributes) {
      if (a.resource.group !== '' || a.resource.resource !== 'pods' || a.subresource !== '' || !a.object) return;
      const pod = a.object as Pod;
      const spec = pod.spec;
      if (!spec || typeof spec !== 'object') return;
      const tolerations = Array.isArray(spec.tolerations) ? spec.tolerations : [];
      const add: Toleration[] = [];
      for (const key of [TAINT_NODE_NOT_READY, TAINT_NODE_UNREACHABLE]) {
        if (!toleratesAlready(tolerations, key)) add.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: seconds[key] });
      }
      if (add.length) spec.tolerations = [...tolerations, ...add];
    },
  };
}
