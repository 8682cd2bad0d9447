// Unit tests of the kubelet's pure parts: computePodActions, getPhase, status generation, backoff,
// node status building and the image manager's pull-policy decisions.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Pod } from '../../../src/api/core/v1/types.js';
import { computePodActions } from '../../../src/kubelet/kuberuntime/compute_actions.js';
import { hashContainer } from '../../../src/kubelet/kuberuntime/labels.js';
import { ctr, rt } from './runtime_fixtures.js';
import { Backoff } from '../../../src/kubelet/kuberuntime/backoff.js';
import { goDuration } from '../../../src/kubelet/kuberuntime/runtime_manager.js';
import { getPhase } from '../../../src/kubelet/status/phase.js';
import { generateAPIPodStatus } from '../../../src/kubelet/status/generate.js';
import { buildNodeStatus, nodeConditions } from '../../../src/kubelet/nodestatus/node_status.js';
import { ImageManager, pullPolicyFor } from '../../../src/kubelet/images/image_manager.js';
import { ImageStore } from '../../../src/runtime/images/index.js';
import { ImageError } from '../../../src/runtime/images/errors.js';

function pod(spec: Partial<NonNullable<Pod['spec']>>, meta: Partial<Pod['metadata']> = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'default', uid: 'u1', ...meta },
    spec: { containers: [{ name: 'a', image: 'busybox:1.35' }], ...spec },
  };
}

describe('computePodActions', () => {
  it('creates a sandbox and starts every app container for a new pod', () => {
    const p = pod({ containers: [{ name: 'a' }, { name: 'b' }] });
    const a = computePodActions(p, rt([], 'none'));
    assert.equal(a.createSandbox, true);
    assert.deepEqual(a.containersToStart, [0, 1]);
    assert.deepEqual(a.initContainersToStart, []);
  });
  it('starts only the first init container when a sandbox is created', () => {
    const p = pod({ initContainers: [{ name: 'i1' }, { name: 'i2' }] });
    const a = computePodActions(p, rt([], 'none'));
    assert.deepEqual(a.initContainersToStart, [0]);
    assert.deepEqual(a.containersToStart, []);
  });
  it('runs init containers one by one, each to success', () => {
    const p = pod({ initContainers: [{ name: 'i1' }, { name: 'i2' }] });
    assert.deepEqual(computePodActions(p, rt([ctr('i1', 'running')])).initContainersToStart, []);
    const next = computePodActions(p, rt([ctr('i1', 'exited', { exitCode: 0 })]));
    assert.deepEqual(next.initContainersToStart, [1]);
    assert.deepEqual(next.containersToStart, []);
    const app = computePodActions(p, rt([ctr('i1', 'exited', { exitCode: 0 }), ctr('i2', 'exited', { exitCode: 0 })]));
    assert.deepEqual(app.containersToStart, [0]);
  });
  it('retries a failed init container unless restartPolicy is Never (then the pod is killed)', () => {
    const failed = rt([ctr('i1', 'exited', { exitCode: 1 })]);
    assert.deepEqual(computePodActions(pod({ initContainers: [{ name: 'i1' }] }), failed).initContainersToStart, [0]);
    const never = computePodActions(pod({ restartPolicy: 'Never', initContainers: [{ name: 'i1' }] }), failed);
    assert.equal(never.killPod, true);
  });
  it('keeps restartable init containers (sidecars) running beside the app', () => {
    const p = pod({ initContainers: [{ name: 'side', restartPolicy: 'Always' }, { name: 'i2' }] });
    const a = computePodActions(p, rt([ctr('side', 'running')]));
    assert.deepEqual(a.initContainersToStart, [1]);
    const b = computePodActions(p, rt([ctr('side', 'exited', { exitCode: 1 }), ctr('i2', 'exited', { exitCode: 0 }), ctr('a', 'running')]));
    assert.deepEqual(b.initContainersToStart, [0]);
    assert.equal(b.killPod, false);
  });
  it('applies restartPolicy to exited app containers', () => {
    const ok = rt([ctr('a', 'exited', { exitCode: 0 })]);
    const bad = rt([ctr('a', 'exited', { exitCode: 1 })]);
    assert.deepEqual(computePodActions(pod({ restartPolicy: 'Always' }), ok).containersToStart, [0]);
    assert.equal(computePodActions(pod({ restartPolicy: 'OnFailure' }), ok).killPod, true);
    assert.deepEqual(computePodActions(pod({ restartPolicy: 'OnFailure' }), bad).containersToStart, [0]);
    assert.equal(computePodActions(pod({ restartPolicy: 'Never' }), bad).killPod, true);
  });
  it('restarts a container whose spec hash changed and leaves healthy ones alone', () => {
    const p = pod({ containers: [{ name: 'a', image: 'busybox:1.36' }] });
    const stale = computePodActions(p, rt([ctr('a', 'running', { hash: 'deadbeef' })]));
    assert.equal(stale.containersToKill.length, 1);
    assert.deepEqual(stale.containersToStart, [0]);
    const fine = computePodActions(p, rt([ctr('a', 'running', { hash: hashContainer(p.spec!.containers[0]!) })]));
    assert.deepEqual(fine.containersToStart, []);
    assert.equal(fine.killPod, false);
  });
  it('hashes a container spec once per object; an updated pod (a new object) gets its own hash', () => {
    const p = pod({ containers: [{ name: 'a', image: 'busybox:1.36' }] });
    const c = p.spec!.containers[0]!;
    assert.equal(hashContainer(c), hashContainer(c));
    assert.equal(hashContainer(structuredClone(c)), hashContainer(c), 'same spec, same hash');
    const updated = { ...c, image: 'busybox:1.37' };
    assert.notEqual(hashContainer(updated), hashContainer(c));
    assert.equal(hashContainer({ ...c, resources: { limits: { cpu: '1' } } }), hashContainer(c), 'fields that need no restart are not hashed');
  });
  it('re-creates a dead sandbox (attempt+1) but not for a finished Never pod', () => {
    const a = computePodActions(pod({}), rt([ctr('a', 'running')], 'notready'));
    assert.equal(a.createSandbox, true);
    assert.equal(a.attempt, 1);
    const n = computePodActions(pod({ restartPolicy: 'Never' }), rt([ctr('a', 'exited', { exitCode: 0 })], 'notready'));
    assert.equal(n.createSandbox, false);
  });
});

describe('getPhase', () => {
  const run = { running: { startedAt: 'x' } };
  const term = (exitCode: number) => ({ terminated: { exitCode } });
  const cs = (name: string, state: object, lastState: object = {}) => ({ name, state, lastState, ready: false, restartCount: 0, image: '', imageID: '' });
  it('Pending until containers start, Running once they do', () => {
    assert.equal(getPhase(pod({}), [cs('a', { waiting: { reason: 'ContainerCreating' } })], false), 'Pending');
    assert.equal(getPhase(pod({}), [cs('a', run)], false), 'Running');
  });
  it('follows restartPolicy for stopped containers', () => {
    assert.equal(getPhase(pod({ restartPolicy: 'Always' }), [cs('a', term(0))], false), 'Running');
    assert.equal(getPhase(pod({ restartPolicy: 'OnFailure' }), [cs('a', term(0))], false), 'Succeeded');
    assert.equal(getPhase(pod({ restartPolicy: 'OnFailure' }), [cs('a', term(1))], false), 'Running');
    assert.equal(getPhase(pod({ restartPolicy: 'Never' }), [cs('a', term(1))], false), 'Failed');
    assert.equal(getPhase(pod({ restartPolicy: 'Always' }), [cs('a', term(137))], true), 'Failed');
  });
  it('is Failed when an init container failed under Never, Pending while init runs', () => {
    const p = pod({ restartPolicy: 'Never', initContainers: [{ name: 'i' }] });
    assert.equal(getPhase(p, [cs('i', term(1)), cs('a', { waiting: { reason: 'PodInitializing' } })], false), 'Failed');
    assert.equal(getPhase(p, [cs('i', run), cs('a', { waiting: { reason: 'PodInitializing' } })], false), 'Pending');
  });
  it('counts a crash-looping container (waiting with lastState) as stopped', () => {
    assert.equal(getPhase(pod({}), [cs('a', { waiting: { reason: 'CrashLoopBackOff' } }, term(2))], false), 'Running');
  });
});

describe('generateAPIPodStatus', () => {
  it('reports CrashLoopBackOff with lastState and keeps transition times', () => {
    const p = pod({});
    const exited = ctr('a', 'exited', {
      exitCode: 2,
      reason: 'Error',
      startedAt: '2024-01-01T00:00:01.123Z',
      finishedAt: '2024-01-01T00:00:02.456Z',
      restartCount: 1,
    });
    const reasons = new Map([['a', { reason: 'CrashLoopBackOff', message: 'back-off 10s restarting failed container=a pod=p_default(u1)' }]]);
    const st = generateAPIPodStatus({ pod: p, runtime: rt([exited]), reasons, hostIPs: ['192.0.2.1'], now: '2024-01-01T00:00:03Z' });
    const cs = st.containerStatuses![0]!;
    assert.equal(cs.state?.waiting?.reason, 'CrashLoopBackOff');
    assert.equal(cs.lastState?.terminated?.exitCode, 2);
    assert.equal(cs.lastState?.terminated?.finishedAt, '2024-01-01T00:00:02Z');
    assert.equal(cs.restartCount, 1);
    assert.equal(st.phase, 'Running');
    assert.equal(st.conditions!.find((c) => c.type === 'Ready')?.message, 'containers with unready status: [a]');
    const again = generateAPIPodStatus({ pod: p, runtime: rt([exited]), reasons, oldStatus: st, hostIPs: ['192.0.2.1'], now: '2024-01-01T00:09:00Z' });
    assert.equal(again.conditions!.find((c) => c.type === 'Ready')?.lastTransitionTime, '2024-01-01T00:00:03Z');
    assert.equal(again.startTime, st.startTime);
  });
  it('uses PodInitializing for app containers of pods with init containers and gates Ready on readinessGates', () => {
    const p = pod({ initContainers: [{ name: 'i' }] });
    const st = generateAPIPodStatus({ pod: p, runtime: rt([ctr('i', 'running')]), hostIPs: [] });
    assert.equal(st.containerStatuses![0]!.state?.waiting?.reason, 'PodInitializing');
    assert.equal(st.conditions!.find((c) => c.type === 'Initialized')?.status, 'False');
    const gated = pod({ readinessGates: [{ conditionType: 'example.com/ok' }] });
    const g = generateAPIPodStatus({ pod: gated, runtime: rt([ctr('a', 'running')]), hostIPs: [] });
    const ready = g.conditions!.find((c) => c.type === 'Ready')!;
    assert.equal(ready.status, 'False');
    assert.equal(ready.reason, 'ReadinessGatesNotReady');
    assert.equal(g.conditions!.find((c) => c.type === 'ContainersReady')?.status, 'True');
  });
});

describe('Backoff', () => {
  it('doubles to the max and resets after a quiet period', () => {
    let now = 0;
    const b = new Backoff({ initialMs: 10_000, maxMs: 40_000, resetAfterMs: 600_000 }, () => now);
    assert.equal(b.next('k', 0), 10_000);
    assert.equal(b.next('k', 1000), 20_000);
    assert.equal(b.next('k', 2000), 40_000);
    assert.equal(b.next('k', 3000), 40_000);
    now = 3000 + 39_000;
    assert.equal(b.isInBackOffSince('k', 3000), true);
    now = 3000 + 40_001;
    assert.equal(b.isInBackOffSince('k', 3000), false);
    assert.equal(b.next('k', 3000 + 700_000), 10_000);
    assert.equal(goDuration(10_000), '10s');
    assert.equal(goDuration(80_000), '1m20s');
    assert.equal(goDuration(300_000), '5m0s');
  });
});

describe('node status', () => {
  it('builds capacity, endpoints and the four conditions, keeping transition times', () => {
    const facts = {
      nodeName: 'n1',
      capacity: { cpu: '2', memory: '1000Ki', pods: '110', 'ephemeral-storage': '10Ki' },
      addresses: [
        { type: 'InternalIP', address: '192.0.2.1' },
        { type: 'Hostname', address: 'n1' },
      ],
      nodeInfo: {
        machineID: '',
        systemUUID: '',
        bootID: '',
        kernelVersion: 'k',
        osImage: 'o',
        containerRuntimeVersion: 'runc://1',
        kubeletVersion: 'v1',
        operatingSystem: 'linux',
        architecture: 'amd64',
      },
      kubeletPort: 10250,
    };
    const st = buildNodeStatus(facts, undefined, '2024-01-01T00:00:00Z');
    assert.deepEqual(
      st.conditions!.map((c) => `${c.type}=${c.status}/${c.reason}`),
      [
        'MemoryPressure=False/KubeletHasSufficientMemory',
        'DiskPressure=False/KubeletHasNoDiskPressure',
        'PIDPressure=False/KubeletHasSufficientPID',
        'Ready=True/KubeletReady',
      ],
    );
    assert.equal(st.daemonEndpoints?.kubeletEndpoint?.Port, 10250);
    assert.deepEqual(st.allocatable, facts.capacity);
    const later = nodeConditions(st.conditions, '', '2024-01-01T00:01:00Z');
    assert.equal(later[3]!.lastTransitionTime, '2024-01-01T00:00:00Z');
    assert.equal(later[3]!.lastHeartbeatTime, '2024-01-01T00:01:00Z');
  });
});

describe('ImageManager', () => {
  it('applies pull policies, reports upstream reasons and backs off failed pulls', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'k8ts-imgmgr-'));
    try {
      const store = new ImageStore(dir);
      const evs: string[] = [];
      let pulls = 0;
      const mgr = new ImageManager(
        store,
        { event: (_o, _t, reason) => evs.push(reason) },
        new Backoff({ initialMs: 60_000, maxMs: 120_000, resetAfterMs: 600_000 }),
        async () => {
          pulls++;
          throw new ImageError('NotFound', 'manifest unknown');
        },
      );
      const p = pod({});
      assert.equal(pullPolicyFor({ name: 'a', image: 'busybox' }), 'Always');
      assert.equal(pullPolicyFor({ name: 'a', image: 'busybox:1.35' }), 'IfNotPresent');
      const bad = await mgr.ensureImageExists(p, { name: 'a', image: 'Bad:Ref' });
      assert.equal(bad.ok, false);
      assert.equal(!bad.ok && bad.reason, 'InvalidImageName');
      const never = await mgr.ensureImageExists(p, { name: 'a', image: 'busybox:9', imagePullPolicy: 'Never' });
      assert.equal(!never.ok && never.reason, 'ErrImageNeverPull');
      const first = await mgr.ensureImageExists(p, { name: 'a', image: 'busybox:9' });
      assert.equal(!first.ok && first.reason, 'ErrImagePull');
      assert.match(!first.ok ? first.message : '', /^Failed to pull image "busybox:9": manifest unknown/);
      const second = await mgr.ensureImageExists(p, { name: 'a', image: 'busybox:9' });
      assert.equal(!second.ok && second.reason, 'ImagePullBackOff');
      assert.equal(pulls, 1);
      assert.deepEqual(evs, ['InspectFailed', 'ErrImageNeverPull', 'Pulling', 'Failed', 'Failed', 'BackOff']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
