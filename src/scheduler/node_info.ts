// NodeInfo: one node plus what the scheduler knows is placed on it (assigned and assumed pods), with
// the summed requests, allocatable and host ports in use — the snapshot every filter reads.
import type { ContainerPort, Node, Pod } from '../api/core/v1/types.js';
import { addResource, emptyResource, podRequests, resourceFromList, type Resource } from './resources.js';

/** hostIP -> set of "protocol/port". */
export type HostPortInfo = Map<string, Set<string>>;

export interface NodeInfo {
  node: Node;
  pods: Pod[];
  requested: Resource;
  /** Requests with the scorer's defaults for containers that request nothing. */
  nonZeroRequested: Resource;
  allocatable: Resource;
  usedPorts: HostPortInfo;
}

export const DEFAULT_BIND_ALL_HOST_IP = '0.0.0.0';

/** The host ports a pod asks for (app containers and sidecar init containers with hostPort > 0). */
export function podHostPorts(pod: Pod): ContainerPort[] {
  const out: ContainerPort[] = [];
  const containers = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always')];
  for (const c of containers) for (const p of c.ports ?? []) if ((p.hostPort ?? 0) > 0) out.push(p);
  return out;
}

export function portKey(p: ContainerPort): { ip: string; key: string } {
  return { ip: p.hostIP || DEFAULT_BIND_ALL_HOST_IP, key: `${p.protocol || 'TCP'}/${p.hostPort}` };
}

export function newNodeInfo(node: Node, pods: Pod[] = []): NodeInfo {
  const ni: NodeInfo = {
    node,
    pods: [],
    requested: emptyResource(),
    nonZeroRequested: emptyResource(),
    allocatable: resourceFromList(node.status?.allocatable ?? node.status?.capacity),
    usedPorts: new Map(),
  };
  for (const p of pods) addPod(ni, p);
  return ni;
}

export function addPod(ni: NodeInfo, pod: Pod): void {
  ni.pods.push(pod);
  addResource(ni.requested, podRequests(pod));
  addResource(ni.nonZeroRequested, podRequests(pod, { nonZero: true }));
  for (const p of podHostPorts(pod)) {
    const { ip, key } = portKey(p);
    let set = ni.usedPorts.get(ip);
    if (!set) ni.usedPorts.set(ip, (set = new Set()));
    set.add(key);
  }
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
