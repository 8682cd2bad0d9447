// DefaultPreemption's dry run (upstream framework/preemption + plugins/defaultpreemption): for a pod no node
// fits, the nodes rejected for resolvable reasons are candidates; on each, all lower-priority pods are removed,
// and if the pod then fits, victims are reprieved one by one (most important first; PDB-violating ones first),
// so the victims are a minimal set. The node is chosen as upstream: fewest PDB violations, then the lowest
// highest victim priority, the smallest priority sum, the fewest victims, the latest start of the most
// important victims. The verdicts of nodes that cannot help make the "preemption: ..." message.
import type { Pod } from '../api/core/v1/types.js';
import type { Selector } from '../api/labels.js';
import { formatFitError, NO_PREEMPTION_VICTIMS, PREEMPTION_NOT_HELPFUL, PREEMPTION_POLICY_NEVER, PREEMPTION_TERMINATING_ON_NOMINATED } from './fit_error.js';
import type { Framework } from './framework.js';
import type { CycleState, FilterStatus } from './framework_types.js';
import { cloneNodeInfo, addPod, removePod, podKey, type NodeInfo } from './node_info.js';

/** What preemption needs of a PodDisruptionBudget. */
export interface DisruptionBudget {
  namespace: string;
  selector: Selector;
  disruptionsAllowed: number;
  disruptedPods: Set<string>;
}

export interface Candidate {
  node: string;
  victims: Pod[];
  numPDBViolations: number;
}

export type PreemptionResult = { candidate: Candidate; message?: undefined } | { candidate?: undefined; message: string };

const priorityOf = (p: Pod) => p.spec?.priority ?? 0;
const startOf = (p: Pod) => {
  const t = Date.parse(p.status?.startTime ?? p.metadata.creationTimestamp ?? '');
  return Number.isFinite(t) ? t : 0;
};

/** upstream MoreImportantPod: higher priority, then started earlier. */
export function moreImportant(a: Pod, b: Pod): boolean {
  const pa = priorityOf(a);
  const pb = priorityOf(b);
  if (pa !== pb) return pa > pb;
  return startOf(a) < startOf(b);
}

/** upstream PodEligibleToPreemptOthers; returns the reason when not eligible. */
export function notEligibleReason(pod: Pod, nominatedNode: NodeInfo | undefined): string | undefined {
  if (pod.spec?.preemptionPolicy === 'Never') return PREEMPTION_POLICY_NEVER;
  if (nominatedNode && pod.status?.nominatedNodeName) {
    const prio = priorityOf(pod);
    for (const p of nominatedNode.pods) if (p.metadata.deletionTimestamp && priorityOf(p) < prio) return PREEMPTION_TERMINATING_ON_NOMINATED;
  }
  return undefined;
}

export function filterPodsWithPDBViolation(pods: Pod[], pdbs: DisruptionBudget[]): { violating: Pod[]; nonViolating: Pod[] } {
  const allowed = pdbs.map((p) => p.disruptionsAllowed);
  const violating: Pod[] = [];
  const nonViolating: Pod[] = [];
  for (const pod of pods) {
    let violated = false;
    if (pod.metadata.labels && Object.keys(pod.metadata.labels).length) {
      pdbs.forEach((pdb, i) => {
        if (pdb.namespace !== pod.metadata.namespace) return;
        if (pdb.selector.empty() || !pdb.selector.matches(pod.metadata.labels)) return;
        if (pdb.disruptedPods.has(pod.metadata.name ?? '')) return;
        allowed[i]!--;
        if (allowed[i]! < 0) violated = true;
      });
    }
    (violated ? violating : nonViolating).push(pod);
  }
  return { violating, nonViolating };
}

/** upstream SelectVictimsOnNode on a copy of the node; a status when the node cannot help. */
export function selectVictimsOnNode(
  fw: Framework,
  state: CycleState,
  pod: Pod,
  original: NodeInfo,
  pdbs: DisruptionBudget[],
): { victims: Pod[]; numPDBViolations: number } | FilterStatus {
  const ni = cloneNodeInfo(original);
  const prio = priorityOf(pod);
  const potential: Pod[] = [];
  for (const p of ni.pods) {
    if (priorityOf(p) < prio) potential.push(p);
  }
  if (potential.length === 0) return { code: 'UnschedulableAndUnresolvable', reasons: [NO_PREEMPTION_VICTIMS], plugin: 'DefaultPreemption' };
  for (const p of potential) {
    removePod(ni, podKey(p));
    fw.runRemovePod(state, pod, p, ni);
  }
  const st = fw.runFilterWithNominatedPods(state, pod, ni);
  if (st) return st;
  potential.sort((a, b) => (moreImportant(a, b) ? -1 : moreImportant(b, a) ? 1 : 0));
  const { violating, nonViolating } = filterPodsWithPDBViolation(potential, pdbs);
  const victims: Pod[] = [];
  let numPDBViolations = 0;
  const reprieve = (p: Pod): boolean => {
    addPod(ni, p);
    fw.runAddPod(state, pod, p, ni);
    if (!fw.runFilterWithNominatedPods(state, pod, ni)) return true;
    removePod(ni, podKey(p));
    fw.runRemovePod(state, pod, p, ni);
    victims.push(p);
    return false;
  };
  for (const p of violating) if (!reprieve(p)) numPDBViolations++;
  for (const p of nonViolating) reprieve(p);
  victims.sort((a, b) => (moreImportant(a, b) ? -1 : moreImportant(b, a) ? 1 : 0));
  return { victims, numPDBViolations };
}

const INT32 = 2 ** 31;

/** upstream pickOneNodeForPreemption. */
export function pickOneNodeForPreemption(cands: Candidate[]): Candidate | undefined {
  if (cands.length === 0) return undefined;
  let best = cands;
  const keepMin = (f: (c: Candidate) => number) => {
    if (best.length <= 1) return;
    const min = Math.min(...best.map(f));
    best = best.filter((c) => f(c) === min);
  };
  keepMin((c) => c.numPDBViolations);
  keepMin((c) => (c.victims.length ? priorityOf(c.victims[0]!) : -INT32));
  keepMin((c) => c.victims.reduce((s, v) => s + priorityOf(v) + INT32, 0));
  keepMin((c) => c.victims.length);
  // the latest earliest start time among each node's highest-priority victims
  keepMin((c) => {
    if (!c.victims.length) return 0;
    const top = priorityOf(c.victims[0]!);
    const earliest = Math.min(...c.victims.filter((v) => priorityOf(v) === top).map(startOf));
    return -earliest;
  });
  return best[0];
}

/**
 * Runs the dry run over the nodes that preemption might help (rejected as Unschedulable), at most
 * `maxCandidates` candidates, and picks one; without a candidate returns upstream's message.
 */
export function preempt(
  fw: Framework,
  state: CycleState,
  pod: Pod,
  nodes: NodeInfo[],
  statuses: Map<string, FilterStatus>,
  pdbs: DisruptionBudget[],
  nominatedNode?: NodeInfo,
  maxCandidates = Math.max(100, Math.trunc(nodes.length / 10)),
): PreemptionResult {
  const reason = notEligibleReason(pod, nominatedNode);
  if (reason) return { message: `preemption: ${reason}` };
  const verdicts: FilterStatus[] = [];
  const candidates: Candidate[] = [];
  let potential = 0;
  for (const ni of nodes) {
    const st = statuses.get(ni.node.metadata.name ?? '');
    if (!st || st.code !== 'Unschedulable') continue;
    potential++;
    if (candidates.length >= maxCandidates) continue;
    const r = selectVictimsOnNode(fw, state.clone(), pod, ni, pdbs);
    if ('victims' in r) candidates.push({ node: ni.node.metadata.name ?? '', victims: r.victims, numPDBViolations: r.numPDBViolations });
    else verdicts.push(r);
  }
  const chosen = pickOneNodeForPreemption(candidates);
  if (chosen) return { candidate: chosen };
  const n = nodes.length;
  return { message: `preemption: ${formatFitError(n, verdicts, { count: n - potential, reason: PREEMPTION_NOT_HELPFUL })}` };
}
