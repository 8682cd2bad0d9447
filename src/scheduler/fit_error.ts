// The "0/N nodes are available: ..." message of a failed scheduling attempt (upstream FitError.Error): the
// rejection reasons counted over nodes and sorted, then the PostFilter (preemption) message, if any.
import type { FilterStatus } from './framework_types.js';

export const ERR_NO_NODES_AVAILABLE = 'no nodes available to schedule pods';
export const PREEMPTION_NOT_HELPFUL = 'Preemption is not helpful for scheduling';
export const NO_PREEMPTION_VICTIMS = 'No preemption victims found for incoming pod';
export const PREEMPTION_POLICY_NEVER = 'not eligible due to preemptionPolicy=Never.';
export const PREEMPTION_TERMINATING_ON_NOMINATED = 'not eligible due to a terminating pod on the nominated node.';
/** Upstream's limit on an event note / condition message from the scheduler. */
export const NOTE_LENGTH_LIMIT = 1024;

/** "0/N nodes are available: <count reason, ...sorted>." */
export function formatFitError(numAllNodes: number, statuses: Iterable<FilterStatus>, absent?: { count: number; reason: string }): string {
  const counts = new Map<string, number>();
  for (const st of statuses) for (const r of st.reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  if (absent && absent.count > 0) counts.set(absent.reason, (counts.get(absent.reason) ?? 0) + absent.count);
  const parts = [...counts].map(([reason, n]) => `${n} ${reason}`).sort();
  let msg = `0/${numAllNodes} nodes are available:`;
  if (parts.length) msg += ` ${parts.join(', ')}.`;
  return msg;
}

/** With a PreFilter rejection the message names it once, not per node. */
export function formatPreFilterError(numAllNodes: number, st: FilterStatus): string {
  return `0/${numAllNodes} nodes are available: ${st.reasons.join(', ')}.`;
}

export function truncateMessage(msg: string): string {
  if (msg.length <= NOTE_LENGTH_LIMIT) return msg;
  const suffix = ' ...';
  return msg.slice(0, NOTE_LENGTH_LIMIT - suffix.length) + suffix;
}
