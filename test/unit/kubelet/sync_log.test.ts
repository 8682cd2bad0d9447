// The fields of the kubelet's "Pod synced" line: upstream action names, what started, what waits and why.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { syncLogFields } from '../../../src/kubelet/sync_log.js';
import type { PodActions } from '../../../src/kubelet/kuberuntime/compute_actions.js';

const none: PodActions = {
  killPod: false,
  createSandbox: false,
  sandboxId: 's',
  attempt: 0,
  initContainersToStart: [],
  containersToStart: [],
  containersToKill: [],
};

test('a new pod: sandbox and containers, no KillPod although computePodActions asks for one', () => {
  const f = syncLogFields(
    { ...none, killPod: true, createSandbox: true, sandboxId: '', initContainersToStart: [0], containersToStart: [0, 1] },
    ['init', 'a'],
    new Map([['b', { reason: 'ErrImagePull', message: 'x' }]]),
    false,
  );
  assert.deepEqual(f, { action: 'CreatePodSandbox,StartInitContainers,StartContainers', started: ['init', 'a'], waiting: { b: 'ErrImagePull' } });
});

test('a pod whose sandbox changed is killed and re-created; killed containers are named', () => {
  assert.equal(syncLogFields({ ...none, killPod: true, createSandbox: true }, [], new Map(), true).action, 'KillPod,CreatePodSandbox');
  const f = syncLogFields(
    { ...none, containersToKill: [{ id: '1', name: 'web', reason: 'Container web failed liveness probe, will be restarted' }], containersToStart: [0] },
    [],
    new Map(),
    true,
  );
  assert.deepEqual(f, { action: 'KillContainers,StartContainers', killed: ['web'] });
  assert.deepEqual(syncLogFields(none, [], new Map(), true), { action: 'None' });
});
