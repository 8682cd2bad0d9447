// NodeInfo: one node plus what the scheduler knows is placed on it (assigned and assumed pods), with the
// summed requests, allocatable, host ports in use and the pods carrying affinity terms — the snapshot every
// plugin reads. The cache (cache.ts) keeps one per node up to date; preemption works on clones.
import type { ContainerPort, Node, Pod, Taint } from '../api/core/v1/types.js';
import { hasAffinityTerms, podInfo, type PodInfo } from './pod_info.js';
import { addResource, emptyResource, resourceFromList, subResource, type Resource } from './resources.js';

export { podHostPorts } from './pod_info.js';

/** hostIP -> set of "protocol/port". */
export type HostPortInfo = Map<string, Set<string>>;

export interface NodeInfo {
  node: Node;
  /** Pods on the node (key ns/name). */
  podInfos: Map<string, PodInfo>;
  /** The same pods as a list (rebuilt lazily). */
  readonly pods: Pod[];
  podsWithAffinity: number;
  podsWithRequiredAntiAffinity: number;
  requested: Resource;
  /** Requests with the scorer's defaults for containers that request nothing. */
  nonZeroRequested: Resource;
  allocatable: Resource;
  usedPorts: HostPortInfo;
  /** Changes whenever pods or the node change (lets callers cache per-node results). */
  generation: number;
  /**
   * What plugins derive from the Node object alone, filled on first use and dropped when the node changes:
   * read for every node in every cycle, so a property here beats a lookup keyed by the object.
   */
  derived: NodeDerived;
}

export interface NodeDerived {
  /** TaintToleration: spec.taints plus the readiness taint. */
  taints?: Taint[];
  /** ImageLocality: status.images by normalised name. */
  images?: Map<string, number>;
}

export const DEFAULT_BIND_ALL_HOST_IP = '0.0.0.0';

export function portKey(p: ContainerPort): { ip: string; key: string } {
  return { ip: p.hostIP || DEFAULT_BIND_ALL_HOST_IP, key: `${p.protocol || 'TCP'}/${p.hostPort}` };
}

let generation = 0;
export function nextGeneration(): number {
  return ++generation;
}

class NodeInfoImpl implements NodeInfo {
  podInfos = new Map<string, PodInfo>();
  podsWithAffinity = 0;
  podsWithRequiredAntiAffinity = 0;
  requested = emptyResource();
  nonZeroRequested = emptyResource();
  allocatable: Resource;
  usedPorts: HostPortInfo = new Map();
  generation = nextGeneration();
  derived: NodeDerived = {};
  private podList?: Pod[];

  constructor(public node: Node) {
    this.allocatable = resourceFromList(node.status?.allocatable ?? node.status?.capacity);
  }

  get pods(): Pod[] {
    if (!this.podList) this.podList = [...this.podInfos.values()].map((pi) => pi.pod);
    return this.podList;
  }

  invalidate(): void {
    this.podList = undefined;
    this.generation = nextGeneration();
  }
}

export function podKey(pod: Pod): string {
  return `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`;
}

export function newNodeInfo(node: Node, pods: Pod[] = []): NodeInfo {
  const ni = new NodeInfoImpl(node);
  for (const p of pods) addPod(ni, p);
  return ni;
}

export function setNode(ni: NodeInfo, node: Node): void {
  ni.node = node;
  ni.allocatable = resourceFromList(node.status?.allocatable ?? node.status?.capacity);
  ni.derived = {};
  (ni as NodeInfoImpl).invalidate();
}

export function addPod(ni: NodeInfo, pod: Pod): void {
  const key = podKey(pod);
  if (ni.podInfos.has(key)) removePod(ni, key);
  const pi = podInfo(pod);
  ni.podInfos.set(key, pi);
  addResource(ni.requested, pi.requests);
  addResource(ni.nonZeroRequested, pi.nonZeroRequests);
  if (hasAffinityTerms(pi)) ni.podsWithAffinity++;
  if (pi.requiredAntiAffinityTerms.length) ni.podsWithRequiredAntiAffinity++;
  for (const p of pi.hostPorts) {
    const { ip, key: pk } = portKey(p);
    let set = ni.usedPorts.get(ip);
    if (!set) ni.usedPorts.set(ip, (set = new Set()));
    set.add(pk);
  }
  (ni as NodeInfoImpl).invalidate();
}

/** Removes the pod with this key; returns false when it was not there. */
export function removePod(ni: NodeInfo, key: string): boolean {
  const pi = ni.podInfos.get(key);
  if (!pi) return false;
  ni.podInfos.delete(key);
  subResource(ni.requested, pi.requests);
  subResource(ni.nonZeroRequested, pi.nonZeroRequests);
  if (hasAffinityTerms(pi)) ni.podsWithAffinity--;
  if (pi.requiredAntiAffinityTerms.length) ni.podsWithRequiredAntiAffinity--;
  for (const p of pi.hostPorts) {
    const { ip, key: pk } = portKey(p);
    ni.usedPorts.get(ip)?.delete(pk);
  }
  (ni as NodeInfoImpl).invalidate();
  return true;
}

/** An independent copy (preemption's dry runs change it). */
export function cloneNodeInfo(ni: NodeInfo): NodeInfo {
  return newNodeInfo(
    ni.node,
    [...ni.podInfos.values()].map((pi) => pi.pod),
  );
}

/** Builds NodeInfos for `nodes`, placing each pod on the node named by spec.nodeName. */
export function buildNodeInfos(nodes: Node[], pods: Pod[]): NodeInfo[] {
  const byName = new Map<string, NodeInfo>();
  for (const n of nodes) byName.set(n.metadata.name ?? '', newNodeInfo(n));
  for (const p of pods) {
    const ni = byName.get(p.spec?.nodeName ?? '');
    if (ni) addPod(ni, p);
  }
  return [...byName.values()];
}
