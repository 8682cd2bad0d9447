// Kubelet-owned pod conditions (upstream pkg/kubelet/status/generate.go): PodReadyToStartContainers,
// Initialized, ContainersReady and Ready (with readinessGates), with upstream reasons and messages.
import type { ContainerStatus, PodCondition, PodPhase, PodSpec } from '../../api/core/v1/types.js';
import type { RuntimePodStatus } from '../kuberuntime/pod_status.js';

export const kubeletConditionTypes = new Set(['PodReadyToStartContainers', 'Initialized', 'ContainersReady', 'Ready', 'PodScheduled']);

const find = (info: ContainerStatus[], name: string) => info.find((s) => s.name === name);
const list = (names: string[]) => `[${names.join(' ')}]`;

export function podReadyToStartContainersCondition(status: RuntimePodStatus): PodCondition {
  const sb = status.sandboxes[0];
  const ready = !!sb && sb.ready && (sb.hostNetwork || !!sb.ip);
  return { type: 'PodReadyToStartContainers', status: ready ? 'True' : 'False' };
}

export function podInitializedCondition(spec: PodSpec, info: ContainerStatus[], phase: PodPhase): PodCondition {
  const inits = spec.initContainers ?? [];
  if (!inits.length) return { type: 'Initialized', status: 'True' };
  const unknown: string[] = [];
  const unready: string[] = [];
  for (const c of inits) {
    const s = find(info, c.name);
    if (!s) {
      unknown.push(c.name);
      continue;
    }
    if (c.restartPolicy === 'Always') {
      if (!s.started) unready.push(c.name);
    } else if (!(s.state?.terminated && s.state.terminated.exitCode === 0)) unready.push(c.name);
  }
  if (phase === 'Succeeded') return { type: 'Initialized', status: 'True', reason: 'PodCompleted' };
  // Once an app container has started, initialization is over (upstream hasStarted check).
  const appStarted = (spec.containers ?? []).some((c) => {
    const s = find(info, c.name);
    return !!(s && (s.state?.running || s.state?.terminated || s.lastState?.terminated));
  });
  if (appStarted) return { type: 'Initialized', status: 'True' };
  const bad = [...unknown, ...unready];
  if (!bad.length) return { type: 'Initialized', status: 'True' };
  return { type: 'Initialized', status: 'False', reason: 'ContainersNotInitialized', message: `containers with incomplete status: ${list(bad)}` };
}

function unreadyContainers(spec: PodSpec, info: ContainerStatus[]): { unknown: string[]; unready: string[] } {
  const unknown: string[] = [];
  const unready: string[] = [];
  for (const c of spec.initContainers ?? []) {
    if (c.restartPolicy !== 'Always') continue;
    const s = find(info, c.name);
    if (!s) unknown.push(c.name);
    else if (!s.ready) unready.push(c.name);
  }
  for (const c of spec.containers ?? []) {
    const s = find(info, c.name);
    if (!s) unknown.push(c.name);
    else if (!s.ready) unready.push(c.name);
  }
  return { unknown, unready };
}

export function containersReadyCondition(spec: PodSpec, info: ContainerStatus[], phase: PodPhase): PodCondition {
  if (phase === 'Succeeded' || phase === 'Failed') return { type: 'ContainersReady', status: 'False', reason: 'PodCompleted' };
  const { unknown, unready } = unreadyContainers(spec, info);
  const bad = [...unknown, ...unready];
  if (!bad.length) return { type: 'ContainersReady', status: 'True' };
  return { type: 'ContainersReady', status: 'False', reason: 'ContainersNotReady', message: `containers with unready status: ${list(bad)}` };
}

export function podReadyCondition(spec: PodSpec, conditions: PodCondition[], info: ContainerStatus[], phase: PodPhase): PodCondition {
  const cr = containersReadyCondition(spec, info, phase);
  if (cr.status !== 'True') return { ...cr, type: 'Ready' };
  const missing: string[] = [];
  for (const g of spec.readinessGates ?? []) {
    const c = conditions.find((x) => x.type === g.conditionType);
    if (!c) missing.push(`corresponding condition of pod readiness gate "${g.conditionType}" does not exist.`);
    else if (c.status !== 'True') missing.push(`the status of pod readiness gate "${g.conditionType}" is not "True", but ${c.status}`);
  }
  if (missing.length) return { type: 'Ready', status: 'False', reason: 'ReadinessGatesNotReady', message: missing.join(', ') };
  return { type: 'Ready', status: 'True' };
}
