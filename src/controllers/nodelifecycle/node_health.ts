// What the node lifecycle controller decides about one node, as pure functions (upstream
// node_lifecycle_controller.go tryUpdateNodeHealth, doNoExecuteTaintingPass, doNoScheduleTaintingPass):
// the conditions a silent node gets past its grace period, and the taints its conditions call for.
import type { Node, NodeCondition, Taint } from '../../api/core/v1/types.js';
import {
  TAINT_NODE_DISK_PRESSURE,
  TAINT_NODE_MEMORY_PRESSURE,
  TAINT_NODE_NETWORK_UNAVAILABLE,
  TAINT_NODE_NOT_READY,
  TAINT_NODE_PID_PRESSURE,
  TAINT_NODE_UNREACHABLE,
  TAINT_NODE_UNSCHEDULABLE,
} from '../../api/core/v1/taints.js';

/** The conditions a kubelet posts that the controller turns Unknown when the kubelet goes silent. */
export const MONITORED_CONDITIONS = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'];
export const NODE_STATUS_UNKNOWN = 'NodeStatusUnknown';
export const NODE_STATUS_NEVER_UPDATED = 'NodeStatusNeverUpdated';
export const STOPPED_POSTING_MESSAGE = 'Kubelet stopped posting node status.';
export const NEVER_POSTED_MESSAGE = 'Kubelet never posted node status.';

export function condition(node: Node, type: string): NodeCondition | undefined {
  return (node.status?.conditions ?? []).find((c) => c.type === type);
}

/**
 * The conditions of a node whose kubelet has not been heard from within its grace period: each monitored
 * condition Unknown (NodeStatusUnknown) or, never posted, added as Unknown (NodeStatusNeverUpdated).
 * Returns undefined when nothing changes.
 */
export function unknownConditions(node: Node, nowStr: string): NodeCondition[] | undefined {
  const conds = structuredClone(node.status?.conditions ?? []);
  let changed = false;
  for (const type of MONITORED_CONDITIONS) {
    const c = conds.find((x) => x.type === type);
    if (!c) {
      conds.push({
        type,
        status: 'Unknown',
        reason: NODE_STATUS_NEVER_UPDATED,
        message: NEVER_POSTED_MESSAGE,
        lastHeartbeatTime: node.metadata.creationTimestamp,
        lastTransitionTime: nowStr,
      });
      changed = true;
    } else if (c.status !== 'Unknown') {
      c.status = 'Unknown';
      c.reason = NODE_STATUS_UNKNOWN;
      c.message = STOPPED_POSTING_MESSAGE;
      c.lastTransitionTime = nowStr;
      changed = true;
    }
  }
  return changed ? conds : undefined;
}

/** The NoSchedule taints the node's conditions and spec call for (TaintNodesByCondition). */
function wantedNoSchedule(node: Node): Set<string> {
  const want = new Set<string>();
  const ready = condition(node, 'Ready')?.status;
  if (ready === 'False') want.add(TAINT_NODE_NOT_READY);
  else if (ready === 'Unknown') want.add(TAINT_NODE_UNREACHABLE);
  const byCondition: [string, string][] = [
    ['MemoryPressure', TAINT_NODE_MEMORY_PRESSURE],
    ['DiskPressure', TAINT_NODE_DISK_PRESSURE],
    ['PIDPressure', TAINT_NODE_PID_PRESSURE],
    ['NetworkUnavailable', TAINT_NODE_NETWORK_UNAVAILABLE],
  ];
  for (const [type, key] of byCondition) if (condition(node, type)?.status === 'True') want.add(key);
  if (node.spec?.unschedulable) want.add(TAINT_NODE_UNSCHEDULABLE);
  return want;
}

const NO_SCHEDULE_MANAGED = new Set([
  TAINT_NODE_NOT_READY,
  TAINT_NODE_UNREACHABLE,
  TAINT_NODE_MEMORY_PRESSURE,
  TAINT_NODE_DISK_PRESSURE,
  TAINT_NODE_PID_PRESSURE,
  TAINT_NODE_NETWORK_UNAVAILABLE,
  TAINT_NODE_UNSCHEDULABLE,
]);

/**
 * The node's taints after the tainting passes: NoExecute not-ready (Ready False) or unreachable (Ready
 * Unknown) with timeAdded, the NoSchedule taints of its conditions; others' taints are kept as they are.
 * Returns undefined when the taints do not change.
 */
export function desiredTaints(node: Node, nowStr: string): Taint[] | undefined {
  const cur = node.spec?.taints ?? [];
  const ready = condition(node, 'Ready')?.status;
  const noExecute = ready === 'False' ? TAINT_NODE_NOT_READY : ready === 'Unknown' ? TAINT_NODE_UNREACHABLE : undefined;
  const noSchedule = wantedNoSchedule(node);
  const out: Taint[] = [];
  for (const t of cur) {
    if (t.effect === 'NoExecute' && (t.key === TAINT_NODE_NOT_READY || t.key === TAINT_NODE_UNREACHABLE)) {
      if (t.key === noExecute) out.push(t);
    } else if (t.effect === 'NoSchedule' && NO_SCHEDULE_MANAGED.has(t.key)) {
      if (noSchedule.has(t.key)) out.push(t);
    } else out.push(t);
  }
  if (noExecute && !out.some((t) => t.key === noExecute && t.effect === 'NoExecute')) out.push({ key: noExecute, effect: 'NoExecute', timeAdded: nowStr });
  for (const key of noSchedule) if (!out.some((t) => t.key === key && t.effect === 'NoSchedule')) out.push({ key, effect: 'NoSchedule' });
  const same = out.length === cur.length && out.every((t, i) => cur[i] === t);
  return same ? undefined : out;
}
