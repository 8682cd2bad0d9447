// kube-controller-manager's endpoint batching against an in-process API server: with
// --endpoint-updates-batch-period / --endpointslice-updates-batch-period a burst of pod changes waits out the
// period and lands as one Endpoints and one EndpointSlice write; Service changes are not delayed; and the flags
// (with --max-endpoints-per-slice, 1-1000) are parsed as upstream's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { coreV1 } from '../../../src/client/typed.js';
import { EndpointsController } from '../../../src/controllers/endpoint/endpoints_controller.js';
import { EndpointSliceController } from '../../../src/controllers/endpoint/endpointslice_controller.js';
import { controllerManagerSettings } from '../../../src/cli/controller_manager.js';
import { startApi, until } from '../client/api_fixture.js';

const BATCH_MS = 3000;

const pod = (name: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', labels: { app: 'web' } },
  spec: { nodeName: 'k8ts-fake-1', containers: [{ name: 'c', image: 'busybox:1.35' }] },
});

test('a burst of pod changes within the batch period makes one Endpoints and one EndpointSlice write', async () => {
  const api = await startApi();
  const core = coreV1(api.admin);
  const ep = new EndpointsController(api.client, { updatesBatchPeriodMs: BATCH_MS });
  const slices = new EndpointSliceController(api.client, { updatesBatchPeriodMs: BATCH_MS });
  const setReady = (name: string, i: number, ready: boolean) =>
    core.pods('default').patchStatus(name, {
      status: { phase: 'Running', podIP: `10.244.9.${i + 2}`, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
    });
  const readySlice = async () => {
    const list = await api.admin.get<any>('/apis/discovery.k8s.io/v1/namespaces/default/endpointslices?labelSelector=kubernetes.io%2Fservice-name%3Dweb');
    return (list.items[0]?.endpoints ?? []).filter((e: any) => e.conditions?.ready).length as number;
  };
  const readyEndpoints = async () => {
    const e = await api.admin.get<any>('/api/v1/namespaces/default/endpoints/web').catch(() => undefined);
    return (e?.subsets?.[0]?.addresses ?? []).length as number;
  };
  try {
    ep.start();
    slices.start();
    const names = ['web-a', 'web-b', 'web-c'];
    for (const [i, n] of names.entries()) {
      await core.pods('default').create(pod(n) as any);
      await setReady(n, i, true);
    }
    // a Service is synced at once, not after the period
    const t0 = Date.now();
    await api.admin.create('/api/v1/namespaces/default/services', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'default' },
      spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] },
    });
    await until('the first slice', async () => (await readySlice()) === 3 && (await readyEndpoints()) === 3, 2 * BATCH_MS);
    assert.ok(Date.now() - t0 < BATCH_MS, `the new Service waited ${Date.now() - t0} ms`);

    // all three fail readiness together
    const writes = () => api.client.log.filter((l) => /^(PUT|POST|PATCH) .*\/(endpoints|endpointslices)(\/|$)/.test(l)).length;
    const before = writes();
    const t1 = Date.now();
    for (const [i, n] of names.entries()) await setReady(n, i, false);
    const sent = Date.now() - t1;
    await new Promise((r) => setTimeout(r, BATCH_MS / 2 - sent));
    assert.equal(await readySlice(), 3, 'the slice moved before the batch period ended');
    assert.equal(await readyEndpoints(), 3, 'the Endpoints moved before the batch period ended');
    await until('the batched writes', async () => (await readySlice()) === 0 && (await readyEndpoints()) === 0, 4 * BATCH_MS);
    await new Promise((r) => setTimeout(r, BATCH_MS + 200));
    assert.equal(writes() - before, 2, `writes: ${api.client.log.slice(-6).join(' | ')}`);
  } finally {
    await ep.stop();
    await slices.stop();
    await api.close();
  }
});

test('the batching and slice size flags parse as upstream', () => {
  const s = controllerManagerSettings(
    { endpointUpdatesBatchPeriod: '1s', endpointsliceUpdatesBatchPeriod: '500ms', maxEndpointsPerSlice: '250' },
    false,
  ).options;
  assert.equal(s.endpointUpdatesBatchPeriodMs, 1000);
  assert.equal(s.endpointSliceUpdatesBatchPeriodMs, 500);
  assert.equal(s.maxEndpointsPerSlice, 250);
  const d = controllerManagerSettings({}, false).options;
  assert.deepEqual([d.endpointUpdatesBatchPeriodMs, d.endpointSliceUpdatesBatchPeriodMs, d.maxEndpointsPerSlice], [0, 0, 100]);
  for (const bad of ['0', '1001', 'x'])
    assert.throws(() => controllerManagerSettings({ maxEndpointsPerSlice: bad }, false), /--max-endpoints-per-slice must be between 1 and 1000/);
});
