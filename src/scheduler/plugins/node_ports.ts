// NodePorts filter (plugin NodePorts): a pod's hostPorts must not clash with those already used on the node. 0.0.0.0
// (or no hostIP) clashes with every address; a specific address clashes with itself and 0.0.0.0.
import type { Pod } from '../../api/core/v1/types.js';
import type { FilterResult, Plugin } from '../framework_types.js';
import { DEFAULT_BIND_ALL_HOST_IP, portKey, type HostPortInfo, type NodeInfo } from '../node_info.js';
import { podInfo } from '../pod_info.js';

export const ERR_REASON_NODE_PORTS = "node(s) didn't have free ports for the requested pod ports";

export function hostPortConflicts(used: HostPortInfo, ip: string, key: string): boolean {
  if (ip === DEFAULT_BIND_ALL_HOST_IP) {
    for (const set of used.values()) if (set.has(key)) return true;
    return false;
  }
  return (used.get(ip)?.has(key) ?? false) || (used.get(DEFAULT_BIND_ALL_HOST_IP)?.has(key) ?? false);
}

export function nodePortsFilter(pod: Pod, ni: NodeInfo): FilterResult {
  for (const p of podInfo(pod).hostPorts) {
    const { ip, key } = portKey(p);
    if (hostPortConflicts(ni.usedPorts, ip, key)) {
      return { code: 'Unschedulable', reasons: [ERR_REASON_NODE_PORTS], plugin: 'NodePorts' };
    }
  }
  return null;
}

export const nodePortsPlugin: Plugin = {
  name: 'NodePorts',
  events: [
    { resource: 'AssignedPod', actions: ['Delete'], label: 'AssignedPodDelete' },
    { resource: 'Node', actions: ['Add'], label: 'NodeAdd' },
  ],
  preFilter: (_s, pod) => {
    if (podInfo(pod).hostPorts.length === 0) return { skip: true };
  },
  filter: (_s, pod, ni) => nodePortsFilter(pod, ni),
};
