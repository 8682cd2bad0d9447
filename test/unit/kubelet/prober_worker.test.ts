// Probe workers and the prober manager with a fake prober and shrunk time (1 probe "second" = a few ms):
// thresholds, initial readiness, initial delay, startup gating, liveness hold, jitter bounds, stop rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Container, Pod, PodStatus, Probe } from '../../../src/api/core/v1/types.js';
import { ProberManager, runtimeContainerId } from '../../../src/kubelet/prober/prober_manager.js';
import type { ProbeRequest, ProbeVerdict } from '../../../src/kubelet/prober/prober.js';
import type { ResultUpdate } from '../../../src/kubelet/prober/results.js';
import type { ProbeKind } from '../../../src/kubelet/prober/types.js';

const S = 20; // ms per probe second

let uidN = 0;
function makePod(containers: Container[], extra: Partial<NonNullable<Pod['spec']>> = {}): Pod {
  uidN++;
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: `p${uidN}`, namespace: 'default', uid: `uid-${uidN}` }, spec: { containers, ...extra } };
}

function status(
  containers: { name: string; id: string; running?: boolean; terminated?: boolean; since?: number }[],
  phase: PodStatus['phase'] = 'Running',
): PodStatus {
  return {
    phase,
    podIP: '127.0.0.1',
    containerStatuses: containers.map((c) => ({
      name: c.name,
      containerID: c.id ? `k8ts://${c.id}` : undefined,
      ready: c.running !== false,
      restartCount: 0,
      image: 'busybox',
      imageID: '',
      state:
        c.running !== false
          ? { running: { startedAt: new Date(c.since ?? Date.now()).toISOString() } }
          : c.terminated
            ? { terminated: { exitCode: 1 } }
            : { waiting: { reason: 'ContainerCreating' } },
    })),
  };
}

/** A fake prober: per kind, a script of verdicts (the last one repeats); records every call. */
class Script {
  calls: { kind: ProbeKind; container: string; id: string; at: number }[] = [];
  constructor(private readonly scripts: Partial<Record<ProbeKind, ProbeVerdict[]>>) {}
  run = async (req: ProbeRequest): Promise<ProbeVerdict> => {
    const n = this.calls.filter((c) => c.kind === req.kind && c.container === req.container.name).length;
    this.calls.push({ kind: req.kind, container: req.container.name, id: req.containerId, at: Date.now() });
    const s = this.scripts[req.kind] ?? ['Success'];
    return s[Math.min(n, s.length - 1)]!;
  };
  count(kind: ProbeKind): number {
    return this.calls.filter((c) => c.kind === kind).length;
  }
}

async function waitFor(cond: () => boolean, timeoutMs = 2000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 2));
  }
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function manager(script: Script, extra: Partial<ConstructorParameters<typeof ProberManager>[0]> = {}): ProberManager {
  return new ProberManager({ exec: async () => ({ stdout: '', stderr: '', exitCode: 0, timedOut: false }), msPerSecond: S, runProbe: script.run, ...extra });
}

const probe = (p: Partial<Probe> = {}): Probe => ({ exec: { command: ['x'] }, periodSeconds: 1, ...p });

test('readiness starts false and follows success/failure thresholds', async () => {
  const script = new Script({ readiness: ['Success', 'Success', 'Failure', 'Failure', 'Success', 'Success'] });
  const m = manager(script);
  const updates: ResultUpdate[] = [];
  m.onResult((u) => updates.push(u));
  const pod = makePod([{ name: 'c', readinessProbe: probe({ successThreshold: 2, failureThreshold: 2 }) }]);
  try {
    m.addPod(pod);
    await sleep(3 * S);
    assert.equal(script.count('readiness'), 0, 'no probing before the kubelet reported a status');
    const st = status([{ name: 'c', id: 'c1' }]);
    m.updatePodStatus(pod.metadata.uid!, st);
    assert.equal(st.containerStatuses![0]!.ready, false, 'not ready before the first success');
    assert.equal(st.containerStatuses![0]!.started, true);
    await waitFor(() => updates.filter((u) => u.kind === 'readiness').length >= 4);
    assert.deepEqual(
      updates.filter((u) => u.kind === 'readiness').map((u) => u.result),
      ['Failure', 'Success', 'Failure', 'Success'],
    );
    // Transitions happened exactly at the threshold: after probes 2, 4 and 6.
    assert.equal(m.readiness(pod.metadata.uid!, 'c'), 'Success');
    const st2 = status([{ name: 'c', id: 'c1' }]);
    m.updatePodStatus(pod.metadata.uid!, st2);
    assert.equal(st2.containerStatuses![0]!.ready, true);
  } finally {
    m.stop();
  }
});

test('a container without probes is started and ready as soon as it runs', () => {
  const m = manager(new Script({}));
  const pod = makePod([{ name: 'plain' }]);
  m.addPod(pod);
  const st = status([{ name: 'plain', id: 'x1' }]);
  m.updatePodStatus(pod.metadata.uid!, st);
  assert.equal(st.containerStatuses![0]!.started, true);
  assert.equal(st.containerStatuses![0]!.ready, true);
  const waiting = status([{ name: 'plain', id: '', running: false }]);
  m.updatePodStatus(pod.metadata.uid!, waiting);
  assert.equal(waiting.containerStatuses![0]!.ready, false);
  assert.equal(waiting.containerStatuses![0]!.started, false);
  assert.equal(m.workerCount, 0);
  m.stop();
});

test('initialDelaySeconds holds the first probe back', async () => {
  const script = new Script({ liveness: ['Success'] });
  const m = manager(script);
  const pod = makePod([{ name: 'c', livenessProbe: probe({ initialDelaySeconds: 5 }) }]);
  try {
    m.addPod(pod);
    const since = Date.now();
    m.updatePodStatus(pod.metadata.uid!, status([{ name: 'c', id: 'c1', since }]));
    await waitFor(() => script.count('liveness') > 0);
    const first = script.calls[0]!.at - since;
    assert.ok(first >= 5 * S - 1, `first probe after ${first} ms`);
    assert.ok(first <= 5 * S + 6 * S, `first probe after ${first} ms`);
  } finally {
    m.stop();
  }
});

test('startup probe gates liveness and readiness until it succeeds', async () => {
  const script = new Script({ startup: ['Failure', 'Failure', 'Failure', 'Success'], liveness: ['Success'], readiness: ['Success'] });
  const m = manager(script);
  const pod = makePod([{ name: 'c', startupProbe: probe({ failureThreshold: 10 }), livenessProbe: probe(), readinessProbe: probe() }]);
  const uid = pod.metadata.uid!;
  try {
    m.addPod(pod);
    const st = status([{ name: 'c', id: 'c1' }]);
    m.updatePodStatus(uid, st);
    assert.equal(st.containerStatuses![0]!.started, false);
    assert.equal(st.containerStatuses![0]!.ready, false);
    await waitFor(() => m.startup(uid, 'c') === 'Success');
    const startupDoneAt = script.calls.filter((c) => c.kind === 'startup')[3]!.at;
    assert.ok(
      script.calls.filter((c) => c.kind !== 'startup').every((c) => c.at >= startupDoneAt),
      'liveness/readiness waited for startup',
    );
    await waitFor(() => script.count('liveness') > 0 && m.readiness(uid, 'c') === 'Success');
    await sleep(3 * S);
    assert.equal(script.count('startup'), 4, 'startup is not probed again once it succeeded');
    const st2 = status([{ name: 'c', id: 'c1' }]);
    m.updatePodStatus(uid, st2);
    assert.equal(st2.containerStatuses![0]!.started, true);
    assert.equal(st2.containerStatuses![0]!.ready, true);
  } finally {
    m.stop();
  }
});

test('liveness failure: reported once, held until a new container, then probing resumes', async () => {
  const script = new Script({ liveness: ['Success', 'Failure', 'Failure', 'Success'] });
  const m = manager(script);
  const updates: ResultUpdate[] = [];
  m.onResult((u) => updates.push(u));
  const c: Container = { name: 'c', livenessProbe: probe({ failureThreshold: 2, terminationGracePeriodSeconds: 7 }) };
  const pod = makePod([c]);
  const uid = pod.metadata.uid!;
  try {
    m.addPod(pod);
    m.updatePodStatus(uid, status([{ name: 'c', id: 'c1' }]));
    await waitFor(() => m.liveness(uid, 'c') === 'Failure');
    assert.deepEqual(m.probeKill(pod, c, 'k8ts://c1'), { reason: 'LivenessProbe', message: 'Container c failed liveness probe', gracePeriodSeconds: 7 });
    const n = script.count('liveness');
    assert.equal(n, 3);
    await sleep(5 * S);
    assert.equal(script.count('liveness'), n, 'on hold while the container is not replaced');
    m.updatePodStatus(uid, status([{ name: 'c', id: 'c2' }]));
    assert.equal(m.liveness(uid, 'c'), 'Success', 'a new container starts with liveness Success');
    assert.equal(m.probeKill(pod, c, 'k8ts://c2'), undefined);
    await waitFor(() => script.calls.some((x) => x.id === 'c2'));
    const lv = updates.filter((u) => u.kind === 'liveness');
    assert.deepEqual(
      lv.map((u) => [u.containerId, u.result]),
      [
        ['c1', 'Success'],
        ['c1', 'Failure'],
        ['c2', 'Success'],
      ],
    );
  } finally {
    m.stop();
  }
});

test('startup failure asks for a kill with the startup message', async () => {
  const script = new Script({ startup: ['Failure'] });
  const m = manager(script);
  const c: Container = { name: 's', startupProbe: probe({ failureThreshold: 2 }) };
  const pod = makePod([c]);
  try {
    m.addPod(pod);
    m.updatePodStatus(pod.metadata.uid!, status([{ name: 's', id: 's1' }]));
    await waitFor(() => m.startup(pod.metadata.uid!, 's') === 'Failure');
    assert.deepEqual(m.probeKill(pod, c, 's1'), { reason: 'StartupProbe', message: 'Container s failed startup probe', gracePeriodSeconds: undefined });
  } finally {
    m.stop();
  }
});

test('first-probe jitter stays within one period (on the tick grid), and only while the manager is young', () => {
  const script = new Script({});
  for (const r of [0, 0.25, 0.5, 0.999999]) {
    const m = manager(script, { random: () => r, msPerSecond: 1000 });
    const pod = makePod([{ name: 'c', readinessProbe: probe({ periodSeconds: 10 }) }]);
    m.addPod(pod);
    const w = m.worker(pod.metadata.uid!, 'c', 'readiness')!;
    const d = w.firstDelayMs;
    const slot = m.ticks.slotMs;
    assert.equal(slot, 100, 'ticks on a 100 ms grid');
    assert.ok(d >= 0 && d < 10_000 + slot, `jitter ${d}`);
    assert.ok(d - r * 10_000 >= -2 && d - r * 10_000 <= slot + 2, `jitter ${d} for r=${r}`);
    assert.equal(w.nextTickAt % slot, 0, 'first tick on the grid');
    m.stop();
  }
  let offset = 0;
  const clock = {
    now: () => Date.now() + offset,
    setTimeout: (f: () => void, ms: number) => setTimeout(f, ms),
    clearTimeout: (h: unknown) => clearTimeout(h as NodeJS.Timeout),
  };
  const old = manager(script, { random: () => 0.5, clock, msPerSecond: 1000 });
  offset = 60_000; // the manager has been running for a minute
  const pod = makePod([{ name: 'c', readinessProbe: probe({ periodSeconds: 10 }) }]);
  old.addPod(pod);
  assert.ok(old.worker(pod.metadata.uid!, 'c', 'readiness')!.firstDelayMs < old.ticks.slotMs, 'no jitter beyond the grid');
  old.stop();
});

test('removePod stops the workers and forgets results', async () => {
  const script = new Script({ readiness: ['Success'] });
  const m = manager(script);
  const pod = makePod([
    { name: 'a', readinessProbe: probe(), livenessProbe: probe() },
    { name: 'b', readinessProbe: probe() },
  ]);
  const uid = pod.metadata.uid!;
  m.addPod(pod);
  m.addPod(pod); // idempotent
  assert.equal(m.workerCount, 3);
  m.updatePodStatus(
    uid,
    status([
      { name: 'a', id: 'a1' },
      { name: 'b', id: 'b1' },
    ]),
  );
  await waitFor(() => m.readiness(uid, 'b') === 'Success');
  m.removePod(pod);
  assert.equal(m.workerCount, 0);
  assert.equal(m.readiness(uid, 'b'), undefined);
  const n = script.calls.length;
  await sleep(4 * S);
  assert.equal(script.calls.length, n, 'no probes after removal');
  m.stop();
});

test('a terminated container that will not restart ends its workers', async () => {
  const script = new Script({});
  const m = manager(script);
  const pod = makePod([{ name: 'c', livenessProbe: probe(), readinessProbe: probe() }], { restartPolicy: 'Never' });
  const uid = pod.metadata.uid!;
  try {
    m.addPod(pod);
    m.updatePodStatus(uid, status([{ name: 'c', id: 'c1', running: false, terminated: true }]));
    await waitFor(() => m.workerCount === 0);
    // With restartPolicy Always they keep waiting for the next container.
    const pod2 = makePod([{ name: 'c', livenessProbe: probe() }]);
    m.addPod(pod2);
    m.updatePodStatus(pod2.metadata.uid!, status([{ name: 'c', id: 'c1', running: false, terminated: true }]));
    await sleep(4 * S);
    assert.equal(m.workerCount, 1);
    assert.equal(m.liveness(pod2.metadata.uid!, 'c'), 'Failure');
  } finally {
    m.stop();
  }
});

test('pod deletion: liveness stops quietly with Success, readiness keeps probing', async () => {
  let deleted = false;
  const m = manager(new Script({}), { runProbe: async (req) => (req.kind === 'readiness' && deleted ? 'Failure' : 'Success') });
  const pod = makePod([{ name: 'c', livenessProbe: probe(), readinessProbe: probe({ failureThreshold: 1 }) }]);
  const uid = pod.metadata.uid!;
  try {
    m.addPod(pod);
    m.updatePodStatus(uid, status([{ name: 'c', id: 'c1' }]));
    await waitFor(() => m.readiness(uid, 'c') === 'Success');
    m.addPod({ ...pod, metadata: { ...pod.metadata, deletionTimestamp: new Date().toISOString() } });
    deleted = true;
    await waitFor(() => !m.worker(uid, 'c', 'liveness'));
    await waitFor(() => m.readiness(uid, 'c') === 'Failure');
    assert.ok(m.worker(uid, 'c', 'readiness'));
  } finally {
    m.stop();
  }
});

test('restartable init containers (sidecars) are probed; terminal pods stop probing', async () => {
  const script = new Script({ readiness: ['Success'] });
  const m = manager(script);
  const pod = makePod([{ name: 'main' }], {
    initContainers: [
      { name: 'side', restartPolicy: 'Always', readinessProbe: probe() },
      { name: 'once', readinessProbe: probe() },
    ],
  });
  const uid = pod.metadata.uid!;
  try {
    m.addPod(pod);
    assert.equal(m.workerCount, 1);
    const st: PodStatus = { ...status([{ name: 'main', id: 'm1' }]), initContainerStatuses: status([{ name: 'side', id: 's1' }]).containerStatuses };
    m.updatePodStatus(uid, st);
    await waitFor(() => m.readiness(uid, 'side') === 'Success');
    m.updatePodStatus(uid, { ...status([{ name: 'main', id: 'm1', running: false, terminated: true }], 'Succeeded') });
    await waitFor(() => m.workerCount === 0);
  } finally {
    m.stop();
  }
});

/** A clock whose timers fire only when the test runs it, each `lateMs` after its due time (a loaded machine). */
class LateClock {
  t = 0;
  private timers = new Map<number, { at: number; f: () => void }>();
  private ids = 0;
  now = () => this.t;
  setTimeout = (f: () => void, ms: number) => {
    this.timers.set(++this.ids, { at: this.t + ms, f });
    return this.ids;
  };
  clearTimeout = (h: unknown) => {
    this.timers.delete(h as number);
  };
  async runUntil(end: number, lateMs: number): Promise<void> {
    for (;;) {
      let next: [number, { at: number; f: () => void }] | undefined;
      for (const e of this.timers) if (!next || e[1].at < next[1].at) next = e;
      if (!next || next[1].at + lateMs > end) break;
      this.timers.delete(next[0]);
      this.t = Math.max(this.t, next[1].at + lateMs);
      next[1].f();
      for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r)); // let the probe's promise settle
    }
    this.t = end;
  }
}

test('periodic ticks are drift-free: late timers do not push later ticks back', async () => {
  const late: number[] = [];
  const script = new Script({ readiness: ['Success'] });
  const clock = new LateClock();
  const m = manager(script, { msPerSecond: 25, clock, random: () => 0, observeLateness: (ms) => late.push(ms) });
  const pod = makePod([{ name: 'c', readinessProbe: probe() }]);
  try {
    m.addPod(pod);
    m.updatePodStatus(pod.metadata.uid!, status([{ name: 'c', id: 'c1' }]));
    // every wakeup comes 7 ms (over a quarter period) late; a schedule that drifted would fit ~16 ticks in 20 periods
    await clock.runUntil(25 * 20 + 10, 7);
    assert.ok(late.length >= 19 && late.length <= 21, `${late.length} ticks in 20 periods`);
    late.sort((a, b) => a - b);
    assert.ok(late[Math.floor(late.length / 2)]! <= 7, `median lateness ${late[Math.floor(late.length / 2)]} ms`);
  } finally {
    m.stop();
  }
});

test('workers due in the same slot share one timer wakeup', async () => {
  const script = new Script({ readiness: ['Success'] });
  let armed = 0;
  // time stands still while the pods are added, so a loaded machine cannot spread them over two slots
  let frozen: number | undefined = Date.now();
  const clock = {
    now: () => frozen ?? Date.now(),
    setTimeout: (f: () => void, ms: number) => (armed++, setTimeout(f, ms)),
    clearTimeout: (h: unknown) => clearTimeout(h as NodeJS.Timeout),
  };
  // 100 ms probe "seconds" → a 10 ms grid; random 0 puts every worker on the same slot
  const m = manager(script, { msPerSecond: 100, clock, random: () => 0 });
  const pods = Array.from({ length: 10 }, () => makePod([{ name: 'c', readinessProbe: probe() }]));
  try {
    for (const p of pods) m.addPod(p);
    const at = new Set(pods.map((p) => m.worker(p.metadata.uid!, 'c', 'readiness')!.nextTickAt));
    assert.equal(at.size, 1, 'all first ticks on one slot');
    frozen = undefined;
    for (const p of pods) m.updatePodStatus(p.metadata.uid!, status([{ name: 'c', id: `${p.metadata.uid}-c` }]));
    const armed0 = armed;
    const probes0 = script.calls.length;
    await sleep(100 * 5 + 20);
    const probes = script.calls.length - probes0;
    assert.ok(probes >= 40, `${probes} probes in 5 periods`);
    assert.ok(armed - armed0 <= 8, `${armed - armed0} timer wakeups for ${probes} probes`);
  } finally {
    m.stop();
  }
});

test('runtimeContainerId strips the scheme', () => {
  assert.equal(runtimeContainerId('k8ts://abc'), 'abc');
  assert.equal(runtimeContainerId('abc'), 'abc');
  assert.equal(runtimeContainerId(undefined), '');
});
