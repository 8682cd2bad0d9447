// metrics.k8s.io/v1beta1 NodeMetrics and PodMetrics (the resource metrics API metrics-server serves; here
// the API server computes them from the node agents' stats).
import type { KubeObject } from '../types.js';

/** cpu in nanocores ("123456n"), memory in Ki ("2048Ki"), as metrics-server writes them. */
export type ResourceUsage = Record<string, string>;

export interface NodeMetrics extends KubeObject {
  timestamp: string;
  /** e.g. "10.002s": the interval the CPU rate was measured over. */
  window: string;
  usage: ResourceUsage;
}

export interface ContainerMetrics {
  name: string;
  usage: ResourceUsage;
}

export interface PodMetrics extends KubeObject {
  timestamp: string;
  window: string;
  containers: ContainerMetrics[];
}
