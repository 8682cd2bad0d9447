// Builds the Node object the kubelet registers and the status it reports (upstream nodestatus setters):
// labels, capacity/allocatable, addresses, nodeInfo, daemonEndpoints and the four kubelet conditions.
import type { Node, NodeAddress, NodeCondition, NodeStatus, NodeSystemInfo, ResourceList } from '../../api/core/v1/types.js';
import { hostArch } from './host.js';

export interface NodeFacts {
  nodeName: string;
  capacity: ResourceList;
  allocatable?: ResourceList;
  addresses: NodeAddress[];
  nodeInfo: NodeSystemInfo;
  kubeletPort: number;
  /** Why the node is not ready ('' = ready). */
  notReadyMessage?: string;
  images?: NonNullable<NodeStatus['images']>;
  /** The pressure conditions the eviction manager's last observation found (MemoryPressure, DiskPressure, PIDPressure). */
  pressure?: ReadonlySet<string>;
}

export function initialNode(nodeName: string): Node {
  const arch = hostArch();
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: nodeName,
      labels: {
        'beta.kubernetes.io/arch': arch,
        'beta.kubernetes.io/os': 'linux',
        'kubernetes.io/arch': arch,
        'kubernetes.io/hostname': nodeName,
        'kubernetes.io/os': 'linux',
      },
      annotations: { 'node.alpha.kubernetes.io/ttl': '0' },
    },
    spec: {},
  };
}

const conditionSpecs: { type: string; reason: string; message: string; pressureReason: string; pressureMessage: string }[] = [
  {
    type: 'MemoryPressure',
    reason: 'KubeletHasSufficientMemory',
    message: 'kubelet has sufficient memory available',
    pressureReason: 'KubeletHasInsufficientMemory',
    pressureMessage: 'kubelet has insufficient memory available',
  },
  {
    type: 'DiskPressure',
    reason: 'KubeletHasNoDiskPressure',
    message: 'kubelet has no disk pressure',
    pressureReason: 'KubeletHasDiskPressure',
    pressureMessage: 'kubelet has disk pressure',
  },
  {
    type: 'PIDPressure',
    reason: 'KubeletHasSufficientPID',
    message: 'kubelet has sufficient PID available',
    pressureReason: 'KubeletHasInsufficientPID',
    pressureMessage: 'kubelet has insufficient PID available',
  },
];

/** Conditions with heartbeat = now; lastTransitionTime kept from `old` while the status is unchanged. */
export function nodeConditions(
  old: NodeCondition[] | undefined,
  notReadyMessage: string,
  now: string,
  pressure: ReadonlySet<string> = new Set(),
): NodeCondition[] {
  const mk = (type: string, status: 'True' | 'False', reason: string, message: string): NodeCondition => {
    const prev = old?.find((c) => c.type === type);
    return {
      type,
      status,
      lastHeartbeatTime: now,
      lastTransitionTime: prev && prev.status === status && prev.lastTransitionTime ? prev.lastTransitionTime : now,
      reason,
      message,
    };
  };
  const out = conditionSpecs.map((c) =>
    pressure.has(c.type) ? mk(c.type, 'True', c.pressureReason, c.pressureMessage) : mk(c.type, 'False', c.reason, c.message),
  );
  out.push(notReadyMessage ? mk('Ready', 'False', 'KubeletNotReady', notReadyMessage) : mk('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'));
  return out;
}

export function buildNodeStatus(facts: NodeFacts, old: NodeStatus | undefined, now: string): NodeStatus {
  const st: NodeStatus = {
    capacity: facts.capacity,
    allocatable: facts.allocatable ?? facts.capacity,
    conditions: nodeConditions(old?.conditions, facts.notReadyMessage ?? '', now, facts.pressure),
    addresses: facts.addresses,
    daemonEndpoints: { kubeletEndpoint: { Port: facts.kubeletPort } },
    nodeInfo: facts.nodeInfo,
  };
  if (facts.images) st.images = facts.images;
  return st;
}
