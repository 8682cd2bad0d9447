// Labels and annotations the kubelet stamps on runtime sandboxes/containers so it can rebuild its view of
// every pod from the runtime alone (after a restart): pod identity, container name, spec hash, image ID.
import { createHash } from 'node:crypto';
import type { Container } from '../../api/core/v1/types.js';

export const LabelPodUID = 'io.kubernetes.pod.uid';
export const LabelPodName = 'io.kubernetes.pod.name';
export const LabelPodNamespace = 'io.kubernetes.pod.namespace';
export const LabelContainerName = 'io.kubernetes.container.name';
export const AnnotationContainerHash = 'io.kubernetes.container.hash';
export const AnnotationImageRef = 'io.kubernetes.container.imageRef';
export const AnnotationContainerType = 'io.kubernetes.container.type';
export const AnnotationTerminationMessagePolicy = 'io.kubernetes.container.terminationMessagePolicy';

/** Hashes by container spec object: every pod sync compares each running container's hash. */
const hashes = new WeakMap<Container, string>();

/**
 * Stable hash of the parts of a container spec whose change requires a restart. Cached per spec object
 * (the kubelet never edits a pod it got from the API; a changed pod arrives as a new object).
 */
export function hashContainer(c: Container): string {
  let h = hashes.get(c);
  if (h === undefined) hashes.set(c, (h = computeHash(c)));
  return h;
}

function computeHash(c: Container): string {
  const relevant = {
    name: c.name,
    image: c.image,
    command: c.command,
    args: c.args,
    workingDir: c.workingDir,
    env: c.env,
    envFrom: c.envFrom,
    ports: c.ports,
    volumeMounts: c.volumeMounts,
    securityContext: c.securityContext,
    restartPolicy: c.restartPolicy,
  };
  return createHash('sha256').update(JSON.stringify(relevant)).digest('hex').slice(0, 8);
}
