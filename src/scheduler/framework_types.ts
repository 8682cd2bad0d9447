// The filter framework's types: what a filter plugin is and returns (shared by framework.ts and the plugins).
import type { Pod } from '../api/core/v1/types.js';
import type { NodeInfo } from './node_info.js';

/**
 * Unschedulable: the node may fit after something changes on it (preemption could help).
 * UnschedulableAndUnresolvable: nothing done to the node's pods would help.
 */
export type StatusCode = 'Unschedulable' | 'UnschedulableAndUnresolvable';

export interface FilterStatus {
  code: StatusCode;
  /** Upstream reason strings, e.g. "Insufficient cpu"; one node may have several. */
  reasons: string[];
  plugin: string;
}

/** null = the node passes. */
export type FilterResult = FilterStatus | null;

export type FilterFn = (pod: Pod, nodeInfo: NodeInfo) => FilterResult;

export interface FilterPlugin {
  name: string;
  filter: FilterFn;
}
