// Pod printer: NAME, READY, STATUS, RESTARTS, AGE (+ wide IP, NODE, NOMINATED NODE, READINESS GATES),
// with the STATUS/READY/RESTARTS logic of upstream printPod (init containers, sidecars, Terminating).
import type { KubeObject } from '../../api/types.js';
import { ageColumn, column, nameColumn } from './columns.js';
import { humanDuration, parseTime, translateTimestampSince } from './duration.js';
import { asArray, asDict, asNumber, asString } from './format.js';
import type { Printer, TableRowCondition } from './types.js';

/** Pod status reason the node lifecycle controller sets when a node stops reporting. */
export const NODE_UNREACHABLE_POD_REASON = 'NodeLost';

interface ContainerState {
  waiting?: { reason?: string };
  running?: Record<string, unknown>;
  terminated?: { exitCode?: number; signal?: number; reason?: string; finishedAt?: string };
}

interface ContainerStatus {
  name: string;
  ready: boolean;
  started?: boolean;
  restartCount: number;
  state: ContainerState;
  lastState: ContainerState;
}

function containerStatuses(list: unknown): ContainerStatus[] {
  return asArray(list).map((raw) => {
    const c = asDict(raw);
    return {
      name: asString(c.name),
      ready: c.ready === true,
      started: typeof c.started === 'boolean' ? c.started : undefined,
      restartCount: asNumber(c.restartCount),
      state: asDict(c.state) as ContainerState,
      lastState: asDict(c.lastState) as ContainerState,
    };
  });
}

function conditionsOf(status: Record<string, unknown>): Record<string, unknown>[] {
  return asArray(status.conditions).map(asDict);
}

function isTerminalPhase(phase: string): boolean {
  return phase === 'Succeeded' || phase === 'Failed';
}

/** Latest lastState.terminated.finishedAt of `cs`, compared against `current` (ms; 0 = unset). */
function laterFinish(current: number, cs: ContainerStatus): number {
  const t = parseTime(cs.lastState.terminated?.finishedAt);
  return t !== undefined && t > current ? t : current;
}

export interface PodSummary {
  ready: string;
  status: string;
  restarts: number;
  /** ms since epoch of the most recent restart counted in `restarts`; 0 when unknown. */
  lastRestart: number;
}

/** READY / STATUS / RESTARTS of a pod, following upstream printPod step by step. */
export function summarizePod(pod: KubeObject): PodSummary {
  const spec = asDict(pod.spec);
  const status = asDict(pod.status);
  const conditions = conditionsOf(status);
  const phase = asString(status.phase);

  let restarts = 0;
  let sidecarRestarts = 0;
  let lastRestart = 0;
  let lastSidecarRestart = 0;
  let readyContainers = 0;
  let totalContainers = asArray(spec.containers).length;

  let reason = phase;
  if (asString(status.reason) !== '') reason = asString(status.reason);
  for (const c of conditions) {
    if (c.type === 'PodScheduled' && c.reason === 'SchedulingGated') reason = 'SchedulingGated';
  }

  const initSpecs = asArray(spec.initContainers).map(asDict);
  const sidecars = new Set<string>();
  for (const ic of initSpecs) {
    if (ic.restartPolicy === 'Always') {
      sidecars.add(asString(ic.name));
      totalContainers++;
    }
  }

  let initializing = false;
  const initStatuses = containerStatuses(status.initContainerStatuses);
  for (let i = 0; i < initStatuses.length; i++) {
    const cs = initStatuses[i]!;
    const isSidecar = sidecars.has(cs.name);
    restarts += cs.restartCount;
    lastRestart = laterFinish(lastRestart, cs);
    if (isSidecar) {
      sidecarRestarts += cs.restartCount;
      lastSidecarRestart = laterFinish(lastSidecarRestart, cs);
    }
    const term = cs.state.terminated;
    const waiting = cs.state.waiting;
    if (term && asNumber(term.exitCode) === 0) continue;
    if (isSidecar && cs.started === true) {
      if (cs.ready) readyContainers++;
      continue;
    }
    if (term) {
      // initialization failed
      if (!term.reason) {
        reason = asNumber(term.signal) !== 0 ? `Init:Signal:${asNumber(term.signal)}` : `Init:ExitCode:${asNumber(term.exitCode)}`;
      } else {
        reason = `Init:${term.reason}`;
      }
    } else if (waiting && waiting.reason && waiting.reason !== 'PodInitializing') {
      reason = `Init:${waiting.reason}`;
    } else {
      reason = `Init:${i}/${initSpecs.length}`;
    }
    initializing = true;
    break;
  }

  const initializedTrue = conditions.find((c) => c.type === 'Initialized')?.status === 'True';
  if (!initializing || initializedTrue) {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const statuses = containerStatuses(status.containerStatuses);
    for (let i = statuses.length - 1; i >= 0; i--) {
      const cs = statuses[i]!;
      restarts += cs.restartCount;
      lastRestart = laterFinish(lastRestart, cs);
      const waiting = cs.state.waiting;
      const term = cs.state.terminated;
      if (waiting && waiting.reason) {
        reason = waiting.reason;
      } else if (term && term.reason) {
        reason = term.reason;
      } else if (term) {
        reason = asNumber(term.signal) !== 0 ? `Signal:${asNumber(term.signal)}` : `ExitCode:${asNumber(term.exitCode)}`;
      } else if (cs.ready && cs.state.running) {
        hasRunning = true;
        readyContainers++;
      }
    }
    // A pod whose last-listed container completed but which still has a running one is not "Completed".
    if (reason === 'Completed' && hasRunning) {
      const podReady = conditions.some((c) => c.type === 'Ready' && c.status === 'True');
      reason = podReady ? 'Running' : 'NotReady';
    }
  }

  const deleting = parseTime(pod.metadata.deletionTimestamp) !== undefined;
  if (deleting && asString(status.reason) === NODE_UNREACHABLE_POD_REASON) {
    reason = 'Unknown';
  } else if (deleting && !isTerminalPhase(phase)) {
    reason = 'Terminating';
  }

  return { ready: `${readyContainers}/${totalContainers}`, status: reason, restarts, lastRestart };
}

function readinessGates(spec: Record<string, unknown>, status: Record<string, unknown>): string {
  const gates = asArray(spec.readinessGates).map(asDict);
  if (gates.length === 0) return '<none>';
  const conditions = conditionsOf(status);
  let trueCount = 0;
  for (const g of gates) {
    const cond = conditions.find((c) => c.type === g.conditionType);
    if (cond?.status === 'True') trueCount++;
  }
  return `${trueCount}/${gates.length}`;
}

export const podPrinter: Printer = {
  columns: [
    nameColumn,
    column('Ready', 'string', 'Ready containers out of all app containers (sidecar init containers included).'),
    column('Status', 'string', 'Summary of the pod phase and the states of its containers.'),
    column('Restarts', 'string', "How many times the pod's containers restarted, and how long ago the latest restart was."),
    ageColumn,
    column('IP', 'string', 'First IP address allocated to the pod.', 1),
    column('Node', 'string', 'Node the pod is bound to.', 1),
    column('Nominated Node', 'string', 'Node the scheduler nominated for this pod after preemption.', 1),
    column('Readiness Gates', 'string', 'True readiness-gate conditions out of all declared gates.', 1),
  ],
  cells(pod: KubeObject, now: Date): unknown[] {
    const spec = asDict(pod.spec);
    const status = asDict(pod.status);
    const s = summarizePod(pod);
    let restarts = String(s.restarts);
    if (s.restarts !== 0 && s.lastRestart !== 0) {
      restarts = `${s.restarts} (${humanDuration(now.getTime() - s.lastRestart)} ago)`;
    }
    const podIPs = asArray(status.podIPs).map(asDict);
    const ip = asString(podIPs[0]?.ip) || asString(status.podIP) || '<none>';
    return [
      asString(pod.metadata.name),
      s.ready,
      s.status,
      restarts,
      translateTimestampSince(pod.metadata.creationTimestamp, now),
      ip,
      asString(spec.nodeName) || '<none>',
      asString(status.nominatedNodeName) || '<none>',
      readinessGates(spec, status),
    ];
  },
  rowConditions(pod: KubeObject): TableRowCondition[] | undefined {
    switch (asString(asDict(pod.status).phase)) {
      case 'Succeeded':
        return [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }];
      case 'Failed':
        return [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }];
      default:
        return undefined;
    }
  },
};
