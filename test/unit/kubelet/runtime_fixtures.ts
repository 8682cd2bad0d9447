// Runtime-side fixtures for kubelet unit tests: container statuses and a pod's runtime view, as the PLEG
// hands them to computePodActions and the status generator.
import type { RuntimeContainerStatus, RuntimePodStatus } from '../../../src/kubelet/kuberuntime/pod_status.js';

let seq = 0;

/** A container of the pod's sandbox; each call is one second younger than the last (ids id1, id2, …). */
export function ctr(name: string, state: RuntimeContainerStatus['state'], extra: Partial<RuntimeContainerStatus> = {}): RuntimeContainerStatus {
  seq++;
  return {
    id: `id${seq}`,
    name,
    sandboxId: 'sb',
    state,
    createdAt: new Date(1_700_000_000_000 + seq * 1000).toISOString(),
    image: 'docker.io/library/busybox:1.35',
    imageID: 'img',
    restartCount: 0,
    hash: '',
    logPath: '/x',
    ...extra,
  };
}

/** Pod u1 (default/p) with one sandbox `sb` (ready, not ready, or none) and these containers, newest first. */
export function rt(containers: RuntimeContainerStatus[], sandbox: 'ready' | 'notready' | 'none' = 'ready'): RuntimePodStatus {
  return {
    uid: 'u1',
    name: 'p',
    namespace: 'default',
    ips: sandbox === 'ready' ? ['10.244.1.2'] : [],
    sandboxes:
      sandbox === 'none' ? [] : [{ id: 'sb', ready: sandbox === 'ready', ip: '10.244.1.2', createdAt: '2024-01-01T00:00:00Z', attempt: 0, hostNetwork: false }],
    containers: [...containers].reverse(),
  };
}
