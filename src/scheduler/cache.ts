// The scheduler cache (upstream internal/cache): one NodeInfo per node kept up to date from the pod and node
// informers plus the pods the scheduler assumed (bound, or being bound, and not yet seen on their node); the
// node list interleaved by zone (upstream's nodeTree), how many nodes hold each image, which nodes carry pods
// with affinity terms, and the pods nominated to a node by preemption. Terminal pods free their node.
import type { Node, Pod } from '../api/core/v1/types.js';
import { LABEL_ZONE } from './plugins/pod_topology_spread.js';
import { nodeImages } from './plugins/image_locality.js';
import { podInfoOfCopy } from './pod_info.js';
import { addPod, newNodeInfo, podKey, removePod, setNode, type NodeInfo } from './node_info.js';

function isTerminal(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

/** Shared answer for the common case (no pod nominated to the node); never mutated. */
const NO_PODS: Pod[] = [];

interface Placement {
  node: string;
  assumed: boolean;
}

/** Adds or removes `name`; true when the set changed. */
function track(set: Set<string>, name: string, member: boolean): boolean {
  if (member === set.has(name)) return false;
  if (member) set.add(name);
  else set.delete(name);
  return true;
}

export class SchedulerCache {
  private readonly infos = new Map<string, NodeInfo>();
  /** Nodes that exist (a NodeInfo may exist for pods whose node has not arrived or has gone). */
  private readonly present = new Set<string>();
  private readonly placements = new Map<string, Placement>();
  private readonly imageNodes = new Map<string, number>();
  private readonly affinityNodes = new Set<string>();
  private readonly antiAffinityNodes = new Set<string>();
  private readonly nominated = new Map<string, Map<string, Pod>>();
  private readonly nominatedOf = new Map<string, string>();
  private list?: NodeInfo[];
  private affinityList?: NodeInfo[];
  private antiAffinityList?: NodeInfo[];

  // ---- nodes ----

  addNode(node: Node): void {
    const name = node.metadata.name ?? '';
    let ni = this.infos.get(name);
    // the zone before the update (setNode replaces the node): a new zone reorders the node list
    const oldZone = ni?.node.metadata.labels?.[LABEL_ZONE] ?? '';
    if (ni) {
      if (this.present.has(name)) this.countImages(ni.node, -1);
      setNode(ni, node);
    } else this.infos.set(name, (ni = newNodeInfo(node)));
    if (!this.present.has(name) || oldZone !== (node.metadata.labels?.[LABEL_ZONE] ?? '')) this.invalidateLists();
    this.present.add(name);
    this.countImages(node, 1);
    this.trackAffinity(name, ni);
  }

  updateNode(node: Node): void {
    this.addNode(node);
  }

  removeNode(node: Node): void {
    const name = node.metadata.name ?? '';
    const ni = this.infos.get(name);
    if (!ni || !this.present.has(name)) return;
    this.countImages(ni.node, -1);
    this.present.delete(name);
    if (ni.podInfos.size === 0) this.infos.delete(name);
    this.affinityNodes.delete(name);
    this.antiAffinityNodes.delete(name);
    this.invalidateLists();
  }

  private invalidateLists(): void {
    this.list = undefined;
    this.affinityList = undefined;
    this.antiAffinityList = undefined;
  }

  private countImages(node: Node, delta: number): void {
    for (const img of nodeImages(node).keys()) {
      const n = (this.imageNodes.get(img) ?? 0) + delta;
      if (n <= 0) this.imageNodes.delete(img);
      else this.imageNodes.set(img, n);
    }
  }

  imageNumNodes(image: string): number {
    return this.imageNodes.get(image) ?? 0;
  }

  nodeInfo(name: string): NodeInfo | undefined {
    return this.present.has(name) ? this.infos.get(name) : undefined;
  }

  /** Every present node, zones interleaved (one node of each zone in turn), as upstream's node tree lists them. */
  nodeInfos(): NodeInfo[] {
    if (this.list) return this.list;
    const zones = new Map<string, NodeInfo[]>();
    for (const name of this.present) {
      const ni = this.infos.get(name)!;
      const z = ni.node.metadata.labels?.[LABEL_ZONE] ?? '';
      let arr = zones.get(z);
      if (!arr) zones.set(z, (arr = []));
      arr.push(ni);
    }
    const out: NodeInfo[] = [];
    const lists = [...zones.values()];
    for (let i = 0; out.length < this.present.size; i++) for (const l of lists) if (i < l.length) out.push(l[i]!);
    this.list = out;
    return out;
  }

  nodeCount(): number {
    return this.present.size;
  }

  /** Asked in every cycle: the lists are kept until a node joins or leaves one of the sets, or nodes change. */
  nodeInfosWithAffinityPods(): NodeInfo[] {
    return (this.affinityList ??= [...this.affinityNodes].flatMap((n) => (this.present.has(n) ? [this.infos.get(n)!] : [])));
  }

  nodeInfosWithRequiredAntiAffinityPods(): NodeInfo[] {
    return (this.antiAffinityList ??= [...this.antiAffinityNodes].flatMap((n) => (this.present.has(n) ? [this.infos.get(n)!] : [])));
  }

  // ---- pods ----

  private place(pod: Pod, nodeName: string, assumed: boolean): void {
    const key = podKey(pod);
    const prev = this.placements.get(key);
    if (prev) this.unplace(key, prev);
    let ni = this.infos.get(nodeName);
    if (!ni) this.infos.set(nodeName, (ni = newNodeInfo({ apiVersion: 'v1', kind: 'Node', metadata: { name: nodeName } })));
    addPod(ni, pod);
    this.placements.set(key, { node: nodeName, assumed });
    this.trackAffinity(nodeName, ni);
  }

  private unplace(key: string, p: Placement): void {
    const ni = this.infos.get(p.node);
    this.placements.delete(key);
    if (!ni) return;
    removePod(ni, key);
    if (!this.present.has(p.node) && ni.podInfos.size === 0) this.infos.delete(p.node);
    this.trackAffinity(p.node, ni);
  }

  private trackAffinity(name: string, ni: NodeInfo): void {
    if (track(this.affinityNodes, name, ni.podsWithAffinity > 0)) this.affinityList = undefined;
    if (track(this.antiAffinityNodes, name, ni.podsWithRequiredAntiAffinity > 0)) this.antiAffinityList = undefined;
  }

  /** An informer add/update of any pod: placed if bound and not finished, otherwise forgotten. */
  setPod(pod: Pod): void {
    const key = podKey(pod);
    const nodeName = pod.spec?.nodeName;
    if (nodeName && !isTerminal(pod)) {
      this.place(pod, nodeName, false);
      this.clearNominated(key);
      return;
    }
    const prev = this.placements.get(key);
    if (prev && !(prev.assumed && !nodeName && !isTerminal(pod))) this.unplace(key, prev);
    if (!nodeName) this.setNominated(pod);
    else this.clearNominated(key);
  }

  removePodObject(pod: Pod): void {
    const key = podKey(pod);
    const prev = this.placements.get(key);
    if (prev) this.unplace(key, prev);
    this.clearNominated(key);
  }

  /** The scheduler placed the pod on the node: count it there until the informer shows it bound (or the binding fails). */
  assumePod(pod: Pod, nodeName: string): void {
    const assumed = { ...pod, spec: { ...pod.spec!, nodeName } };
    podInfoOfCopy(pod, assumed);
    this.place(assumed, nodeName, true);
    this.clearNominated(podKey(pod));
  }

  forgetPod(pod: Pod): void {
    const key = podKey(pod);
    const prev = this.placements.get(key);
    if (prev?.assumed) this.unplace(key, prev);
  }

  isAssumed(key: string): boolean {
    return this.placements.get(key)?.assumed ?? false;
  }

  // ---- nominated pods (status.nominatedNodeName of pending pods) ----

  setNominated(pod: Pod, nodeName = pod.status?.nominatedNodeName): void {
    const key = podKey(pod);
    this.clearNominated(key);
    if (!nodeName) return;
    let m = this.nominated.get(nodeName);
    if (!m) this.nominated.set(nodeName, (m = new Map()));
    m.set(key, pod);
    this.nominatedOf.set(key, nodeName);
  }

  clearNominated(key: string): void {
    const node = this.nominatedOf.get(key);
    if (node === undefined) return;
    this.nominatedOf.delete(key);
    const m = this.nominated.get(node);
    m?.delete(key);
    if (m && m.size === 0) this.nominated.delete(node);
  }

  nominatedPodsFor(nodeName: string): Pod[] {
    if (this.nominated.size === 0) return NO_PODS;
    const m = this.nominated.get(nodeName);
    return m ? [...m.values()] : NO_PODS;
  }
}
