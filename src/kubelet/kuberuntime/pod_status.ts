// The runtime's view of one pod (upstream kubecontainer.PodStatus): its sandboxes and containers, newest
// first, as read back from the RuntimeService; built by the kubelet for every sync and by the PLEG.
import type { ContainerInfo, ContainerStatus as CRIContainerStatus, PodSandboxStatus } from '../../runtime/types.js';
import { AnnotationContainerHash, AnnotationImageRef, AnnotationTerminationMessagePolicy, LabelContainerName, LabelPodUID } from './labels.js';

export type RuntimeContainerState = 'created' | 'running' | 'exited' | 'unknown';

/** The kubelet's view of one container: the runtime's shape plus what the kubelet reads from its labels. */
export interface RuntimeContainerStatus extends ContainerInfo {
  state: RuntimeContainerState;
  imageID: string;
  restartCount: number;
  hash: string;
  /** The container spec's terminationMessagePolicy, from the container's annotations. */
  terminationMessagePolicy?: string;
}

export interface RuntimeSandboxStatus {
  id: string;
  ready: boolean;
  ip: string;
  createdAt: string;
  attempt: number;
  hostNetwork: boolean;
}

export interface RuntimePodStatus {
  uid: string;
  name: string;
  namespace: string;
  ips: string[];
  /** Newest first. */
  sandboxes: RuntimeSandboxStatus[];
  /** Newest first (by creation time). */
  containers: RuntimeContainerStatus[];
}

const stateMap: Record<CRIContainerStatus['state'], RuntimeContainerState> = {
  CONTAINER_CREATED: 'created',
  CONTAINER_RUNNING: 'running',
  CONTAINER_EXITED: 'exited',
  CONTAINER_UNKNOWN: 'unknown',
};

export function toRuntimeContainerStatus(c: CRIContainerStatus): RuntimeContainerStatus {
  const s: RuntimeContainerStatus = {
    id: c.id,
    name: c.labels?.[LabelContainerName] ?? c.name,
    sandboxId: c.sandboxId,
    state: stateMap[c.state] ?? 'unknown',
    createdAt: c.createdAt,
    image: c.image,
    imageID: c.annotations?.[AnnotationImageRef] ?? '',
    restartCount: c.attempt,
    hash: c.annotations?.[AnnotationContainerHash] ?? '',
    logPath: c.logPath,
  };
  if (c.startedAt) s.startedAt = c.startedAt;
  if (c.finishedAt) s.finishedAt = c.finishedAt;
  if (c.exitCode !== undefined) s.exitCode = c.exitCode;
  if (c.reason) s.reason = c.reason;
  if (c.message) s.message = c.message;
  const policy = c.annotations?.[AnnotationTerminationMessagePolicy];
  if (policy) s.terminationMessagePolicy = policy;
  return s;
}

export function toRuntimeSandboxStatus(s: PodSandboxStatus): RuntimeSandboxStatus {
  return { id: s.id, ready: s.state === 'SANDBOX_READY', ip: s.ip, createdAt: s.createdAt, attempt: s.metadata.attempt ?? 0, hostNetwork: s.hostNetwork };
}

const newestFirst = <T extends { createdAt: string }>(a: T, b: T): number => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0);

/** Group everything the runtime lists by pod UID. */
export function groupByPod(sandboxes: PodSandboxStatus[], containers: CRIContainerStatus[]): Map<string, RuntimePodStatus> {
  const out = new Map<string, RuntimePodStatus>();
  const sbPod = new Map<string, string>();
  for (const sb of sandboxes) {
    const uid = sb.metadata.uid;
    sbPod.set(sb.id, uid);
    let p = out.get(uid);
    if (!p) out.set(uid, (p = { uid, name: sb.metadata.name, namespace: sb.metadata.namespace, ips: [], sandboxes: [], containers: [] }));
    p.sandboxes.push(toRuntimeSandboxStatus(sb));
  }
  for (const c of containers) {
    const uid = c.labels?.[LabelPodUID] ?? sbPod.get(c.sandboxId);
    if (!uid) continue;
    let p = out.get(uid);
    if (!p) out.set(uid, (p = { uid, name: '', namespace: '', ips: [], sandboxes: [], containers: [] }));
    p.containers.push(toRuntimeContainerStatus(c));
  }
  for (const p of out.values()) {
    p.sandboxes.sort(newestFirst);
    p.containers.sort((a, b) => newestFirst(a, b) || b.restartCount - a.restartCount);
    const sb = p.sandboxes[0];
    p.ips = sb && sb.ready && sb.ip ? [sb.ip] : [];
  }
  return out;
}

export function emptyPodStatus(uid: string, name: string, namespace: string): RuntimePodStatus {
  return { uid, name, namespace, ips: [], sandboxes: [], containers: [] };
}

/** Newest status of the named container, if any. */
export function findContainerStatus(s: RuntimePodStatus, name: string): RuntimeContainerStatus | undefined {
  return s.containers.find((c) => c.name === name);
}

/** All statuses of the named container, newest first. */
export function containerHistory(s: RuntimePodStatus, name: string): RuntimeContainerStatus[] {
  return s.containers.filter((c) => c.name === name);
}
