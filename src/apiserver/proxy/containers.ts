// Which container a pods/log|exec|attach request means (upstream's validateContainer), and the log
// errors the pod's status already answers (waiting to start, no previous instance), with upstream wording.
import { badRequest } from '../../api/errors.js';
import type { ContainerStatus, Pod } from '../../api/core/v1/types.js';

/** Every container name in the pod: init, app, then ephemeral containers. */
export function allContainerNames(pod: Pod): string[] {
  const spec = pod.spec;
  return [...(spec?.initContainers ?? []), ...(spec?.containers ?? []), ...((spec?.ephemeralContainers ?? []) as { name: string }[])].map((c) => c.name);
}

/** The requested container, or the only app container; 400 BadRequest otherwise. */
export function resolveContainer(pod: Pod, container: string | undefined): string {
  const podName = pod.metadata.name ?? '';
  if (!container) {
    const app = pod.spec?.containers ?? [];
    if (app.length === 1) return app[0].name;
    if (app.length === 0) throw badRequest(`a container name must be specified for pod ${podName}`);
    throw badRequest(`a container name must be specified for pod ${podName}, choose one of: [${allContainerNames(pod).join(' ')}]`);
  }
  if (!allContainerNames(pod).includes(container)) throw badRequest(`container ${container} is not valid for pod ${podName}`);
  return container;
}

function statusOf(pod: Pod, name: string): ContainerStatus | undefined {
  const st = pod.status;
  return [...(st?.containerStatuses ?? []), ...(st?.initContainerStatuses ?? []), ...(st?.ephemeralContainerStatuses ?? [])].find((s) => s.name === name);
}

/**
 * The kubelet's answer for a container whose status says there are no logs to read yet (or no previous
 * instance), as a message; undefined when the node should be asked. Without a status for the container
 * the node decides.
 */
export function containerLogStatusError(pod: Pod, container: string, previous: boolean): string | undefined {
  const s = statusOf(pod, container);
  if (!s) return undefined;
  const podName = pod.metadata.name ?? '';
  const state = s.state ?? {};
  const last = s.lastState ?? {};
  if (previous) {
    if (!last.terminated || !last.terminated.containerID) return `previous terminated container "${container}" in pod "${podName}" not found`;
    return undefined;
  }
  if (state.running || state.terminated || last.terminated) return undefined;
  if (state.waiting) {
    const reason = state.waiting.reason ?? '';
    if (reason === 'ErrImagePull') return `container "${container}" in pod "${podName}" is waiting to start: image can't be pulled`;
    if (reason === 'ImagePullBackOff') return `container "${container}" in pod "${podName}" is waiting to start: trying and failing to pull image`;
    return `container "${container}" in pod "${podName}" is waiting to start: ${reason}`;
  }
  return `container "${container}" in pod "${podName}" is waiting to start - no logs yet`;
}
