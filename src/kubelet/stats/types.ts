// The kubelet Summary API (stats/v1alpha1) shapes k8ts serves at /stats/summary: node, pod and container
// CPU and memory (the subset metrics-server and `kubectl top` use).

export interface CPUStats {
  time: string;
  /** CPU rate over the sampling window, in nanocores (1e9 = one core busy). */
  usageNanoCores?: number;
  usageCoreNanoSeconds?: number;
}

export interface MemoryStats {
  time: string;
  availableBytes?: number;
  usageBytes?: number;
  workingSetBytes?: number;
  rssBytes?: number;
  pageFaults?: number;
  majorPageFaults?: number;
}

export interface ContainerStats {
  name: string;
  startTime: string;
  cpu?: CPUStats;
  memory?: MemoryStats;
}

export interface PodStats {
  podRef: { name: string; namespace: string; uid: string };
  startTime: string;
  containers: ContainerStats[];
  cpu?: CPUStats;
  memory?: MemoryStats;
}

export interface NodeStats {
  nodeName: string;
  startTime?: string;
  cpu?: CPUStats;
  memory?: MemoryStats;
}

export interface Summary {
  node: NodeStats;
  pods: PodStats[];
}

/** What the kubelet's HTTP endpoint asks for /stats/summary and /metrics/resource. */
export interface StatsSource {
  summary(): Promise<Summary>;
}
