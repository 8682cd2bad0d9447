// Unit tests of the probe wiring in the kubelet's pure parts: liveness/startup kills in computePodActions,
// conditions computed after the prober's started/ready, readiness gates, and the status manager's
// merge of others' conditions.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod, PodCondition } from '../../../src/api/core/v1/types.js';
import { computePodActions } from '../../../src/kubelet/kuberuntime/compute_actions.js';
import { hashContainer } from '../../../src/kubelet/kuberuntime/labels.js';
import type { RuntimeContainerStatus, RuntimePodStatus } from '../../../src/kubelet/kuberuntime/pod_status.js';
import { generateAPIPodStatus } from '../../../src/kubelet/status/generate.js';
import { mergeForeignConditions } from '../../../src/kubelet/status/status_manager.js';
import { ProberManager } from '../../../src/kubelet/prober/prober_manager.js';

function pod(spec: Partial<NonNullable<Pod['spec']>>, meta: Partial<Pod['metadata']> = {}, status?: Pod['status']): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'default', uid: 'u1', ...meta },
    spec: { containers: [{ name: 'a', image: 'busybox:1.35' }], ...spec },
    ...(status ? { status } : {}),
  };
}
function running(name: string, id: string, p: Pod): RuntimeContainerStatus {
  const c = [...(p.spec!.initContainers ?? []), ...p.spec!.containers].find((x) => x.name === name)!;
  return {
    id,
    name,
    sandboxId: 'sb',
    state: 'running',
    createdAt: '2024-01-01T00:00:00Z',
    startedAt: '2024-01-01T00:00:01Z',
    image: 'busybox',
    imageID: 'img',
    restartCount: 0,
    hash: hashContainer(c),
    logPath: '/x',
  };
}
function rt(containers: RuntimeContainerStatus[]): RuntimePodStatus {
  return {
    uid: 'u1',
    name: 'p',
    namespace: 'default',
    ips: ['10.244.1.2'],
    sandboxes: [{ id: 'sb', ready: true, ip: '10.244.1.2', createdAt: '2024-01-01T00:00:00Z', attempt: 0, hostNetwork: false }],
    containers,
  };
}
const cond = (conds: PodCondition[] | undefined, type: string) => conds?.find((c) => c.type === type);

describe('computePodActions with probe kills', () => {
  it('kills and restarts a container whose liveness probe failed, with the probe grace period', () => {
    const p = pod({});
    const a = computePodActions(p, rt([running('a', 'c1', p)]), {
      probeKill: (c, id) => (c.name === 'a' && id === 'c1' ? { message: 'Container a failed liveness probe', gracePeriodSeconds: 3 } : undefined),
    });
    assert.deepEqual(a.containersToKill, [{ id: 'c1', name: 'a', reason: 'Container a failed liveness probe, will be restarted', gracePeriodSeconds: 3 }]);
    assert.deepEqual(a.containersToStart, [0]);
    assert.equal(a.killPod, false);
  });
  it('does not restart under restartPolicy Never (the pod is killed)', () => {
    const p = pod({ restartPolicy: 'Never' });
    const a = computePodActions(p, rt([running('a', 'c1', p)]), { probeKill: () => ({ message: 'Container a failed liveness probe' }) });
    assert.deepEqual(a.containersToStart, []);
    assert.equal(a.containersToKill[0]!.reason, 'Container a failed liveness probe');
    assert.equal(a.killPod, true);
  });
  it('leaves healthy containers and terminating pods alone', () => {
    const p = pod({});
    assert.deepEqual(computePodActions(p, rt([running('a', 'c1', p)]), { probeKill: () => undefined }).containersToKill, []);
    const del = pod({}, { deletionTimestamp: '2024-01-01T00:00:00Z' });
    assert.deepEqual(computePodActions(del, rt([running('a', 'c1', del)]), { probeKill: () => ({ message: 'x' }) }).containersToKill, []);
  });
  it('restarts a running sidecar whose probe failed', () => {
    const p = pod({ initContainers: [{ name: 's', image: 'busybox', restartPolicy: 'Always' }] });
    const a = computePodActions(p, rt([running('s', 'c0', p), running('a', 'c1', p)]), {
      probeKill: (c) => (c.name === 's' ? { message: 'Container s failed startup probe' } : undefined),
    });
    assert.deepEqual(
      a.containersToKill.map((k) => k.reason),
      ['Container s failed startup probe, will be restarted'],
    );
    assert.deepEqual(a.initContainersToStart, [0]);
  });
});

describe('status generation after probes', () => {
  it('computes ContainersReady/Ready from the statuses the prober lowered', () => {
    const p = pod({});
    const st = generateAPIPodStatus({
      pod: p,
      runtime: rt([running('a', 'c1', p)]),
      hostIPs: ['127.0.0.1'],
      updateContainerStatuses: (s) => {
        assert.equal(s.phase, 'Running');
        assert.equal(s.podIP, '10.244.1.2');
        assert.equal(s.conditions, undefined, 'conditions must come after the prober');
        s.containerStatuses![0]!.ready = false;
      },
    });
    assert.equal(cond(st.conditions, 'ContainersReady')!.status, 'False');
    assert.equal(cond(st.conditions, 'Ready')!.message, 'containers with unready status: [a]');
  });
  it('a real ProberManager keeps a readiness-probed container unready until the first success', () => {
    const p = pod({
      containers: [
        { name: 'a', image: 'busybox', readinessProbe: { exec: { command: ['true'] }, periodSeconds: 100 } },
        { name: 'b', image: 'busybox' },
      ],
    });
    const mgr = new ProberManager({ exec: async () => ({ stdout: '', stderr: '', exitCode: 0, timedOut: false }), runProbe: () => new Promise(() => {}) });
    try {
      mgr.addPod(p);
      const st = generateAPIPodStatus({
        pod: p,
        runtime: rt([running('a', 'c1', p), running('b', 'c2', p)]),
        hostIPs: [],
        updateContainerStatuses: (s) => mgr.updatePodStatus('u1', s),
      });
      assert.deepEqual(
        st.containerStatuses!.map((c) => [c.name, c.started, c.ready]),
        [
          ['a', true, false],
          ['b', true, true],
        ],
      );
      assert.equal(cond(st.conditions, 'Ready')!.message, 'containers with unready status: [a]');
      mgr.results.set('readiness', 'u1', 'a', 'c1', 'Success');
      const st2 = generateAPIPodStatus({
        pod: p,
        runtime: rt([running('a', 'c1', p), running('b', 'c2', p)]),
        hostIPs: [],
        updateContainerStatuses: (s) => mgr.updatePodStatus('u1', s),
      });
      assert.equal(cond(st2.conditions, 'Ready')!.status, 'True');
    } finally {
      mgr.stop();
    }
  });
  it('holds Ready back until every readiness gate condition is True', () => {
    const gates = { readinessGates: [{ conditionType: 'example.com/g' }] };
    const noCond = generateAPIPodStatus({ pod: pod(gates), runtime: rt([running('a', 'c1', pod(gates))]), hostIPs: [] });
    assert.equal(cond(noCond.conditions, 'ContainersReady')!.status, 'True');
    assert.equal(cond(noCond.conditions, 'Ready')!.reason, 'ReadinessGatesNotReady');
    const withTrue = pod(gates, {}, { conditions: [{ type: 'example.com/g', status: 'True' }] });
    const st = generateAPIPodStatus({ pod: withTrue, runtime: rt([running('a', 'c1', withTrue)]), hostIPs: [] });
    assert.equal(cond(st.conditions, 'Ready')!.status, 'True');
    assert.equal(cond(st.conditions, 'example.com/g')!.status, 'True');
  });
});

describe('status manager: others’ conditions', () => {
  it('takes kubelet-owned conditions from us and every other one from the API', () => {
    const mine: PodCondition[] = [
      { type: 'example.com/g', status: 'False' },
      { type: 'Ready', status: 'True' },
      { type: 'gone.example.com', status: 'True' },
    ];
    const api: PodCondition[] = [
      { type: 'Ready', status: 'False' },
      { type: 'example.com/g', status: 'True' },
      { type: 'DisruptionTarget', status: 'True' },
    ];
    assert.deepEqual(mergeForeignConditions(mine, api), [
      { type: 'example.com/g', status: 'True' },
      { type: 'Ready', status: 'True' },
      { type: 'DisruptionTarget', status: 'True' },
    ]);
  });
});
