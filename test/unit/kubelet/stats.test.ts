// Kubelet stats: CPU rates from cumulative usage, the summary over a fake runtime, /metrics/resource text.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CpuRateTracker, StatsProvider, renderResourceMetrics, type StatsRuntime } from '../../../src/kubelet/stats/index.js';

describe('CpuRateTracker', () => {
  it('rates against a reading at least the minimum window older', () => {
    const r = new CpuRateTracker(1000);
    assert.equal(r.observe('c', { timestamp: 0, usageNs: 0 }), undefined);
    assert.equal(r.observe('c', { timestamp: 500, usageNs: 100_000_000 }), undefined, 'too soon for a window');
    // against the newest reading old enough (t=500): 0.4 s of CPU over 1.5 s
    assert.equal(r.observe('c', { timestamp: 2000, usageNs: 500_000_000 }), 266_666_667);
  });

  it('a counter that went back restarts the key', () => {
    const r = new CpuRateTracker(1000);
    r.observe('c', { timestamp: 0, usageNs: 5e9 });
    assert.equal(r.observe('c', { timestamp: 2000, usageNs: 1e6 }), undefined);
    assert.equal(r.observe('c', { timestamp: 4000, usageNs: 1e6 + 2e9 }), 1e9);
  });

  it('forgets keys no longer live', () => {
    const r = new CpuRateTracker(1000);
    r.observe('a', { timestamp: 0, usageNs: 0 });
    r.retain(new Set());
    assert.equal(r.observe('a', { timestamp: 5000, usageNs: 1e9 }), undefined);
  });
});

describe('StatsProvider', () => {
  it('reports running containers of ready sandboxes, with rates from the second reading on', async () => {
    let t = 1_000_000;
    let cpu = 0;
    const rt: StatsRuntime = {
      listPodSandboxes: async () => [
        { id: 's1', metadata: { name: 'web', namespace: 'default', uid: 'u1' }, state: 'SANDBOX_READY', createdAt: '2026-01-01T00:00:00Z' } as never,
      ],
      listContainers: async () =>
        [
          { id: 'c1', sandboxId: 's1', name: 'app', state: 'CONTAINER_RUNNING', createdAt: '2026-01-01T00:00:01Z', startedAt: '2026-01-01T00:00:02Z' },
          { id: 'c2', sandboxId: 'other', name: 'x', state: 'CONTAINER_RUNNING', createdAt: '' },
        ] as never,
      containerStats: async () => ({ timestamp: t, cpuUsageCoreNanoSeconds: cpu, memoryUsageBytes: 4096, memoryWorkingSetBytes: 2048 }),
      podSandboxStats: async () => ({ timestamp: t, cpuUsageCoreNanoSeconds: cpu + 10, memoryUsageBytes: 8192, memoryWorkingSetBytes: 4096 }),
    };
    const p = new StatsProvider({
      nodeName: 'n1',
      runtime: () => rt,
      nodeUsage: async () => ({ timestamp: t, cpuUsageCoreNanoSeconds: cpu * 2, memoryUsageBytes: 1e6, memoryWorkingSetBytes: 5e5, memoryAvailableBytes: 3e6 }),
      samplePeriodMs: 0,
    });
    const first = await p.summary();
    assert.equal(first.pods.length, 1);
    assert.equal(first.pods[0].containers.length, 1);
    assert.equal(first.pods[0].containers[0].cpu?.usageNanoCores, undefined);
    t += 2000;
    cpu += 1e9;
    const s = await p.summary();
    const c = s.pods[0].containers[0];
    assert.equal(c.name, 'app');
    assert.equal(c.startTime, '2026-01-01T00:00:02Z');
    assert.equal(c.cpu?.usageNanoCores, 5e8);
    assert.equal(c.memory?.workingSetBytes, 2048);
    assert.equal(s.node.cpu?.usageNanoCores, 1e9);
    assert.equal(s.node.memory?.availableBytes, 3e6);
    assert.deepEqual(s.pods[0].podRef, { name: 'web', namespace: 'default', uid: 'u1' });

    const text = renderResourceMetrics(s);
    assert.match(text, /^# TYPE container_cpu_usage_seconds_total counter$/m);
    assert.match(text, /^container_cpu_usage_seconds_total\{container="app",namespace="default",pod="web"\} 1 \d+$/m);
    assert.match(text, /^container_memory_working_set_bytes\{container="app",namespace="default",pod="web"\} 2048 \d+$/m);
    assert.match(text, /^pod_memory_working_set_bytes\{namespace="default",pod="web"\} 4096 \d+$/m);
    assert.match(text, /^node_cpu_usage_seconds_total 2 \d+$/m);
    assert.match(text, /^container_start_time_seconds\{container="app",namespace="default",pod="web"\} 1767225602$/m);
    assert.match(text, /^scrape_error 0$/m);
  });

  it('has the node alone before the runtime is up', async () => {
    const p = new StatsProvider({ nodeName: 'n1', runtime: () => undefined, nodeUsage: async () => ({ timestamp: 1 }), samplePeriodMs: 0 });
    const s = await p.summary();
    assert.deepEqual(s.pods, []);
    assert.equal(s.node.nodeName, 'n1');
  });
});
