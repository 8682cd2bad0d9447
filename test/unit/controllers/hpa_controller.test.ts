// The HPA controller against an in-process API server that serves no pod metrics: the ScalingActive condition
// and the FailedGetResourceMetric / FailedComputeMetricsReplicas events carry upstream's error chain
// ("failed to get cpu utilization: unable to get metrics for resource cpu: ..." for a utilization target,
// "failed to get memory usage: ..." for an average-value one), and the target is not scaled.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HorizontalController } from '../../../src/controllers/podautoscaler/horizontal.js';
import { startApi, until } from '../client/api_fixture.js';

const HPA = '/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers';
const NO_METRICS = 'no metrics returned from resource metrics API';

const hpa = (name: string, resource: string, target: Record<string, unknown>) => ({
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name },
  spec: {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
    minReplicas: 1,
    maxReplicas: 3,
    metrics: [{ type: 'Resource', resource: { name: resource, target } }],
  },
});

test('without metrics: ScalingActive False FailedGetResourceMetric with the wrapped error, and the same in events', async () => {
  const api = await startApi();
  const ctrl = new HorizontalController(api.client, { syncPeriodMs: 300 });
  try {
    await api.admin.create('/apis/apps/v1/namespaces/default/deployments', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'busybox:1.35' }] } },
      },
    });
    await api.admin.create(HPA, hpa('cpu', 'cpu', { type: 'Utilization', averageUtilization: 50 }));
    await api.admin.create(HPA, hpa('mem', 'memory', { type: 'AverageValue', averageValue: '100Mi' }));
    ctrl.start();
    const want = {
      cpu: `failed to get cpu utilization: unable to get metrics for resource cpu: ${NO_METRICS}`,
      mem: `failed to get memory usage: unable to get metrics for resource memory: ${NO_METRICS}`,
    };
    for (const [name, err] of Object.entries(want)) {
      const got = await until(`${name} ScalingActive`, async () => {
        const h = await api.admin.get<any>(`${HPA}/${name}`);
        return h.status?.conditions?.find((c: any) => c.type === 'ScalingActive') ? h : false;
      });
      const active = got.status.conditions.find((c: any) => c.type === 'ScalingActive');
      assert.equal(active.status, 'False');
      assert.equal(active.reason, 'FailedGetResourceMetric');
      assert.equal(active.message, `the HPA was unable to compute the replica count: ${err}`);
      assert.equal(got.status.currentReplicas, 2);
      const evs = await until(`${name} events`, async () => {
        const items = (await api.admin.get<any>(`/api/v1/namespaces/default/events?fieldSelector=involvedObject.name%3D${name}`)).items as any[];
        return items.some((e) => e.reason === 'FailedComputeMetricsReplicas') && items.some((e) => e.reason === 'FailedGetResourceMetric') ? items : false;
      });
      assert.equal(evs.find((e) => e.reason === 'FailedGetResourceMetric').message, err);
      assert.equal(evs.find((e) => e.reason === 'FailedComputeMetricsReplicas').message, `invalid metrics (1 invalid out of 1), first error is: ${err}`);
      assert.ok(evs.every((e) => e.type === 'Warning' && e.source.component === 'horizontal-pod-autoscaler'));
    }
    assert.equal((await api.admin.get<any>('/apis/apps/v1/namespaces/default/deployments/web')).spec.replicas, 2, 'not scaled');
  } finally {
    await ctrl.stop();
    await api.close();
  }
});
