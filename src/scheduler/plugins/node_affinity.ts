// NodeAffinity: the filter (spec.nodeSelector, every label must match, AND the required node affinity: any
// nodeSelectorTerm matches; within a term every matchExpression on labels and matchField on metadata.name
// must hold; operators In, NotIn, Exists, DoesNotExist, Gt, Lt) and the score (sum of the weights of the
// preferred terms the node matches, normalised so the best node gets 100).
import type { Node, NodeSelector, NodeSelectorRequirement, NodeSelectorTerm, Pod } from '../../api/core/v1/types.js';
import type { FilterResult, FilterStatus, Plugin } from '../framework_types.js';
import { defaultNormalizeScore } from './normalize.js';
import type { NodeInfo } from '../node_info.js';

export const ERR_REASON_POD = "node(s) didn't match Pod's node affinity/selector";

const INT64 = /^[+-]?[0-9]+$/;

/** One requirement against a key/value map; a malformed requirement matches nothing. */
export function nodeSelectorRequirementMatches(r: NodeSelectorRequirement, values: Record<string, string>): boolean {
  const has = Object.prototype.hasOwnProperty.call(values, r.key);
  const v = has ? values[r.key] : undefined;
  const vals = r.values ?? [];
  switch (r.operator) {
    case 'In':
      return vals.length > 0 && has && vals.includes(v!);
    case 'NotIn':
      return vals.length > 0 && (!has || !vals.includes(v!));
    case 'Exists':
      return vals.length === 0 && has;
    case 'DoesNotExist':
      return vals.length === 0 && !has;
    case 'Gt':
    case 'Lt': {
      if (vals.length !== 1 || !INT64.test(vals[0]!)) return false;
      if (!has || !INT64.test(v!)) return false;
      const a = BigInt(v!);
      const b = BigInt(vals[0]!);
      return r.operator === 'Gt' ? a > b : a < b;
    }
    default:
      return false;
  }
}

/** Fields a matchFields requirement may name (upstream supports only metadata.name). */
function nodeFields(node: Node): Record<string, string> {
  return { 'metadata.name': node.metadata.name ?? '' };
}

/** A term matches when all its requirements hold; an empty term matches nothing. */
export function nodeSelectorTermMatches(term: NodeSelectorTerm, node: Node): boolean {
  const exprs = term.matchExpressions ?? NONE;
  const fields = term.matchFields ?? NONE;
  if (exprs.length === 0 && fields.length === 0) return false;
  // asked for every node of every cycle: plain loops, no per-node objects unless the term has matchFields
  const labels = node.metadata.labels ?? NO_LABELS;
  for (let i = 0; i < exprs.length; i++) if (!nodeSelectorRequirementMatches(exprs[i]!, labels)) return false;
  if (fields.length === 0) return true;
  const fv = nodeFields(node);
  for (const r of fields) {
    if (r.key !== 'metadata.name' || (r.operator !== 'In' && r.operator !== 'NotIn')) return false;
    if (!nodeSelectorRequirementMatches(r, fv)) return false;
  }
  return true;
}

const NONE: NodeSelectorRequirement[] = [];
const NO_LABELS: Record<string, string> = {};

/** NodeSelector (ORed terms) against a node; no terms matches nothing. */
export function nodeSelectorMatches(sel: NodeSelector, node: Node): boolean {
  const terms = sel.nodeSelectorTerms ?? [];
  for (let i = 0; i < terms.length; i++) if (nodeSelectorTermMatches(terms[i]!, node)) return true;
  return false;
}

/** Whether the pod's nodeSelector and required node affinity both admit the node. */
export function podMatchesNodeSelectorAndAffinityTerms(pod: Pod, node: Node): boolean {
  const want = pod.spec?.nodeSelector;
  if (want) {
    const labels = node.metadata.labels ?? NO_LABELS;
    for (const k in want) if (labels[k] !== want[k]) return false;
  }
  const required = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (required && !nodeSelectorMatches(required, node)) return false;
  return true;
}

/** One status for every rejected node (statuses are read, never changed): no object per node. */
const REJECTED: FilterStatus = { code: 'UnschedulableAndUnresolvable', reasons: [ERR_REASON_POD], plugin: 'NodeAffinity' };

export function nodeAffinityFilter(pod: Pod, ni: NodeInfo): FilterResult {
  return podMatchesNodeSelectorAndAffinityTerms(pod, ni.node) ? null : REJECTED;
}

/** Sum of the weights of the pod's preferred node affinity terms that the node matches. */
export function nodeAffinityScore(pod: Pod, node: Node): number {
  let score = 0;
  for (const t of pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []) {
    if (t.weight && nodeSelectorTermMatches(t.preference ?? {}, node)) score += t.weight;
  }
  return score;
}

export const nodeAffinityPlugin: Plugin = {
  name: 'NodeAffinity',
  weight: 2,
  events: [{ resource: 'Node', actions: ['Add', 'UpdateNodeLabel'], label: 'NodeAdd|NodeLabelChange' }],
  preFilter: (_s, pod) => {
    if (!pod.spec?.nodeSelector && !pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution) return { skip: true };
  },
  filter: (_s, pod, ni) => nodeAffinityFilter(pod, ni),
  preScore: (_s, pod) => {
    if (!pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution?.length) return 'skip';
  },
  score: (_s, pod, ni) => nodeAffinityScore(pod, ni.node),
  normalizeScore: (_s, _pod, scores) => defaultNormalizeScore(scores, false),
};
