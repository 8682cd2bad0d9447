// The pure decisions of a DaemonSet sync (upstream daemon_controller.go podsShouldBeOnNode and update.go
// rollingUpdate): per node, whether to create a daemon pod and which pods to delete (failed, succeeded,
// excess, misscheduled); during a RollingUpdate, which old pods to delete (maxUnavailable) or on which nodes
// to surge a new pod first (maxSurge); and the status counts. Nothing here talks to the API.
import type { DaemonSet, DaemonSetStatus } from '../../api/apps/v1/workload_types.js';
import type { Node, Pod } from '../../api/core/v1/types.js';
import { isPodAvailable, isPodReady } from '../pod_readiness.js';
import {
  allowsSurge,
  byCreationTimestampAndPhase,
  isPodUpdated,
  nodeShouldRunDaemonPod,
  surgeCount,
  unavailableCount,
  type NodeVerdict,
} from './daemon_pod.js';

export interface NodePlan {
  create: boolean;
  delete: Pod[];
  /** Failed pods the caller deletes unless that node is in its failed-pod backoff. */
  failed: Pod[];
  /** Succeeded pods (deleted too, with a Normal event). */
  succeeded: Pod[];
}

/** What to do on one node given its daemon pods (upstream podsShouldBeOnNode). */
export function planNode(ds: DaemonSet, verdict: NodeVerdict, daemonPods: Pod[] | undefined, hash: string, now: number): NodePlan {
  const plan: NodePlan = { create: false, delete: [], failed: [], succeeded: [] };
  const exists = daemonPods !== undefined && daemonPods.length > 0;
  if (verdict.shouldRun && !exists) {
    plan.create = true;
    return plan;
  }
  if (verdict.shouldContinueRunning) {
    const running: Pod[] = [];
    for (const p of daemonPods ?? []) {
      if (p.metadata.deletionTimestamp) continue;
      if (p.status?.phase === 'Failed') plan.failed.push(p);
      else if (p.status?.phase === 'Succeeded') plan.succeeded.push(p);
      else running.push(p);
    }
    running.sort(byCreationTimestampAndPhase);
    if (!allowsSurge(ds)) {
      // one pod per node: keep the oldest
      plan.delete.push(...running.slice(1));
      return plan;
    }
    if (running.length <= 1) {
      // surging: a node needs at least one pod that is not being deleted
      if (running.length === 0 && verdict.shouldRun) plan.create = true;
      return plan;
    }
    // keep the oldest new and the oldest old pod; the old one goes once it is not ready or the new one is available
    let oldestNew: Pod | undefined;
    let oldestOld: Pod | undefined;
    for (const p of running) {
      if (p.metadata.labels?.['controller-revision-hash'] === hash) {
        if (!oldestNew) {
          oldestNew = p;
          continue;
        }
      } else if (!oldestOld) {
        oldestOld = p;
        continue;
      }
      plan.delete.push(p);
    }
    if (oldestNew && oldestOld && (!isPodReady(oldestOld) || isPodAvailable(oldestNew, ds.spec.minReadySeconds ?? 0, now))) plan.delete.push(oldestOld);
    return plan;
  }
  if (exists) for (const p of daemonPods) if (!p.metadata.deletionTimestamp) plan.delete.push(p);
  return plan;
}

/** At most one new and one old non-terminating pod on the node; undefined when there are more (upstream findUpdatedPodsOnNode). */
function updatedPodsOnNode(pods: Pod[], hash: string, generation: number | undefined): { newPod?: Pod; oldPod?: Pod } | undefined {
  let newPod: Pod | undefined;
  let oldPod: Pod | undefined;
  for (const p of pods) {
    if (p.metadata.deletionTimestamp) continue;
    if (isPodUpdated(p, hash, generation)) {
      if (newPod) return undefined;
      newPod = p;
    } else {
      if (oldPod) return undefined;
      oldPod = p;
    }
  }
  return { newPod, oldPod };
}

export interface RollingPlan {
  delete: Pod[];
  /** Nodes to surge a new pod onto. */
  create: string[];
  maxSurge: number;
  maxUnavailable: number;
}

/**
 * One step of a RollingUpdate (upstream rollingUpdate): without surge, delete old pods while no more than
 * maxUnavailable nodes lack an available pod (old unavailable pods go at once); with surge, create new pods
 * beside old ones on at most maxSurge nodes at a time and delete each old pod once its replacement is available.
 */
export function planRollingUpdate(
  ds: DaemonSet,
  nodes: Node[],
  nodeToDaemonPods: Map<string, Pod[]>,
  hash: string,
  generation: number | undefined,
  now: number,
): RollingPlan {
  const minReady = ds.spec.minReadySeconds ?? 0;
  const available = (p: Pod) => isPodAvailable(p, minReady, now);
  const byName = new Map(nodes.map((n) => [n.metadata.name!, n]));
  const verdicts = new Map<string, NodeVerdict>();
  const verdict = (name: string): NodeVerdict => {
    let v = verdicts.get(name);
    if (!v) {
      const node = byName.get(name);
      v = node ? nodeShouldRunDaemonPod(node, ds) : { shouldRun: false, shouldContinueRunning: false };
      verdicts.set(name, v);
    }
    return v;
  };
  const perNode = new Map(nodeToDaemonPods);
  let desired = 0;
  for (const n of nodes) {
    if (!verdict(n.metadata.name!).shouldRun) continue;
    desired++;
    if (!perNode.has(n.metadata.name!)) perNode.set(n.metadata.name!, []);
  }
  let maxUnavailable = unavailableCount(ds, desired);
  const maxSurge = surgeCount(ds, desired);
  // an impossible 0/0 (validation forbids it) falls back to one unavailable
  if (desired > 0 && maxUnavailable === 0 && maxSurge === 0) maxUnavailable = 1;
  const plan: RollingPlan = { delete: [], create: [], maxSurge, maxUnavailable };

  if (maxSurge === 0) {
    let numUnavailable = 0;
    const replacements: Pod[] = [];
    const candidates: Pod[] = [];
    for (const pods of perNode.values()) {
      const found = updatedPodsOnNode(pods, hash, generation);
      if (!found) {
        // excess pods: the manage step prunes them; the node counts as unavailable
        numUnavailable++;
        continue;
      }
      const { newPod, oldPod } = found;
      if ((!oldPod && !newPod) || (oldPod && newPod)) numUnavailable++;
      else if (newPod) {
        if (!available(newPod)) numUnavailable++;
      } else if (oldPod) {
        if (!available(oldPod)) {
          replacements.push(oldPod);
          numUnavailable++;
        } else if (numUnavailable < maxUnavailable) candidates.push(oldPod);
      }
    }
    const room = Math.min(Math.max(0, maxUnavailable - numUnavailable), candidates.length);
    plan.delete = [...replacements, ...candidates.slice(0, room)];
    return plan;
  }

  let numSurge = 0;
  let numAvailable = 0;
  const allowedNew: string[] = [];
  const candidateNew: string[] = [];
  const shouldNotRun: Pod[] = [];
  for (const [nodeName, pods] of perNode) {
    const found = updatedPodsOnNode(pods, hash, generation);
    if (!found) {
      numSurge++;
      continue;
    }
    const { newPod, oldPod } = found;
    if (oldPod ? available(oldPod) : newPod ? available(newPod) : false) numAvailable++;
    if (!oldPod) continue;
    if (!newPod) {
      const run = verdict(nodeName).shouldRun;
      if (!available(oldPod)) {
        if (!run) plan.delete.push(oldPod);
        else allowedNew.push(nodeName);
      } else if (!run) shouldNotRun.push(oldPod);
      else if (numSurge < maxSurge) candidateNew.push(nodeName);
      continue;
    }
    // surged already: wait for the new pod, then retire the old one
    if (!available(newPod)) numSurge++;
    else plan.delete.push(oldPod);
  }
  // pods on nodes that no longer qualify go only while enough pods elsewhere are available
  const deletable = Math.min(numAvailable - desired, shouldNotRun.length);
  if (deletable > 0) plan.delete.push(...shouldNotRun.slice(0, deletable));
  const room = Math.min(Math.max(0, maxSurge - numSurge), candidateNew.length);
  plan.create = [...allowedNew, ...candidateNew.slice(0, room)];
  return plan;
}

/** The status counts of a DaemonSet (upstream updateDaemonSetStatus), without observedGeneration and collisionCount. */
export function computeStatus(
  ds: DaemonSet,
  nodes: Node[],
  nodeToDaemonPods: Map<string, Pod[]>,
  hash: string,
  generation: number | undefined,
  now: number,
): Omit<DaemonSetStatus, 'observedGeneration' | 'collisionCount' | 'conditions'> {
  let desired = 0;
  let current = 0;
  let misscheduled = 0;
  let ready = 0;
  let updated = 0;
  let avail = 0;
  for (const node of nodes) {
    const { shouldRun } = nodeShouldRunDaemonPod(node, ds);
    const pods = nodeToDaemonPods.get(node.metadata.name!) ?? [];
    const scheduled = pods.length > 0;
    if (!shouldRun) {
      if (scheduled) misscheduled++;
      continue;
    }
    desired++;
    if (!scheduled) continue;
    current++;
    const pod = [...pods].sort(byCreationTimestampAndPhase)[0]!;
    if (isPodReady(pod)) {
      ready++;
      if (isPodAvailable(pod, ds.spec.minReadySeconds ?? 0, now)) avail++;
    }
    if (isPodUpdated(pod, hash, generation)) updated++;
  }
  return {
    desiredNumberScheduled: desired,
    currentNumberScheduled: current,
    numberMisscheduled: misscheduled,
    numberReady: ready,
    updatedNumberScheduled: updated,
    numberAvailable: avail,
    numberUnavailable: desired - avail,
  };
}
