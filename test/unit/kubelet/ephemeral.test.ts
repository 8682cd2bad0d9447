// Unit tests: the kubelet's ephemeral containers — computePodActions starts each one exactly once (also
// while init containers run, not while the sandbox is being made or the pod deleted), the target's
// runtime container is found, and ephemeralContainerStatuses are generated (never ready, no `started`,
// not counted for the pod's readiness).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../../src/api/core/v1/types.js';
import { computePodActions } from '../../../src/kubelet/kuberuntime/compute_actions.js';
import { targetContainerId } from '../../../src/kubelet/kuberuntime/ephemeral.js';
import { ctr, rt } from './runtime_fixtures.js';
import { generateAPIPodStatus } from '../../../src/kubelet/status/generate.js';

function pod(spec: Partial<NonNullable<Pod['spec']>>, meta: Partial<Pod['metadata']> = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'default', uid: 'u1', ...meta },
    spec: {
      containers: [{ name: 'a', image: 'busybox:1.35' }],
      ephemeralContainers: [{ name: 'dbg', image: 'busybox:1.35', targetContainerName: 'a' }],
      ...spec,
    },
  };
}

describe('ephemeral containers in computePodActions', () => {
  it('starts a new ephemeral container in a running pod, and only that', () => {
    const a = computePodActions(pod({}), rt([ctr('a', 'running')]));
    assert.deepEqual(a.ephemeralContainersToStart, [0]);
    assert.deepEqual(a.containersToStart, []);
    assert.equal(a.killPod, false);
  });
  it('never restarts one: running or exited, it is left alone', () => {
    assert.deepEqual(computePodActions(pod({}), rt([ctr('a', 'running'), ctr('dbg', 'running')])).ephemeralContainersToStart, []);
    assert.deepEqual(computePodActions(pod({}), rt([ctr('a', 'running'), ctr('dbg', 'exited', { exitCode: 1 })])).ephemeralContainersToStart, []);
  });
  it('starts while an init container still runs; not with a new sandbox; not while the pod is deleted', () => {
    const init = pod({ initContainers: [{ name: 'i1', image: 'busybox:1.35' }] });
    const a = computePodActions(init, rt([ctr('i1', 'running')]));
    assert.deepEqual(a.ephemeralContainersToStart, [0]);
    assert.deepEqual(a.containersToStart, []);
    assert.deepEqual(computePodActions(pod({}), rt([], 'none')).ephemeralContainersToStart, []);
    const deleting = pod({}, { deletionTimestamp: '2024-01-01T00:00:00Z' });
    assert.deepEqual(computePodActions(deleting, rt([ctr('a', 'running')])).ephemeralContainersToStart ?? [], []);
  });
  it('a running ephemeral container does not keep a finished pod alive', () => {
    const p = pod({ restartPolicy: 'Never' });
    const a = computePodActions(p, rt([ctr('a', 'exited', { exitCode: 0 }), ctr('dbg', 'running')]));
    assert.equal(a.killPod, true);
  });
});

describe('targetContainerId', () => {
  it('is the running target container, none without a target, an error when the target is not running', () => {
    const main = ctr('a', 'running');
    assert.equal(targetContainerId({ targetContainerName: 'a' }, rt([main])), main.id);
    assert.equal(targetContainerId({}, rt([main])), undefined);
    assert.throws(() => targetContainerId({ targetContainerName: 'a' }, rt([ctr('a', 'exited', { exitCode: 0 })])), /unable to find target container a/);
  });
});

describe('ephemeralContainerStatuses', () => {
  it('waiting ContainerCreating, then running but never ready, without `started`; the pod stays Ready', () => {
    const p = pod({});
    const before = generateAPIPodStatus({ pod: p, runtime: rt([ctr('a', 'running')]), hostIPs: ['10.0.0.1'] });
    assert.deepEqual(
      before.ephemeralContainerStatuses?.map((s) => s.state),
      [{ waiting: { reason: 'ContainerCreating' } }],
    );
    const dbg = ctr('dbg', 'running', { startedAt: '2024-01-01T00:00:05Z' });
    const s = generateAPIPodStatus({ pod: p, runtime: rt([ctr('a', 'running'), dbg]), hostIPs: ['10.0.0.1'] });
    const e = s.ephemeralContainerStatuses![0]!;
    assert.equal(e.name, 'dbg');
    assert.deepEqual(e.state, { running: { startedAt: '2024-01-01T00:00:05Z' } });
    assert.equal(e.ready, false);
    assert.equal('started' in e, false);
    assert.equal(e.containerID, `k8ts://${dbg.id}`);
    assert.deepEqual(
      s.containerStatuses?.map((x) => x.name),
      ['a'],
    );
    assert.equal(s.conditions?.find((c) => c.type === 'Ready')?.status, 'True');
    const done = generateAPIPodStatus({ pod: p, runtime: rt([ctr('a', 'running'), ctr('dbg', 'exited', { exitCode: 3 })]), hostIPs: ['10.0.0.1'] });
    assert.equal(done.ephemeralContainerStatuses![0]!.state?.terminated?.exitCode, 3);
    assert.equal(done.phase, 'Running');
  });
  it('a pod without ephemeral containers has no ephemeralContainerStatuses', () => {
    const s = generateAPIPodStatus({ pod: pod({ ephemeralContainers: undefined }), runtime: rt([ctr('a', 'running')]), hostIPs: [] });
    assert.equal(s.ephemeralContainerStatuses, undefined);
  });
});
