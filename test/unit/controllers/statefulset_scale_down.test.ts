// StatefulSet OrderedReady scale-down against an in-process API server (the test playing scheduler and kubelet):
// as upstream's processCondemned, an unavailable condemned pod is deleted only when it is the first unhealthy
// pod; while a lower-ordinal pod is unhealthy too, the scale-down waits, and goes on once that one is Ready.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StatefulSetController } from '../../../src/controllers/statefulset/stateful_set_controller.js';
import { startApi, until } from '../client/api_fixture.js';

const STS = '/apis/apps/v1/namespaces/default/statefulsets';
const PODS = '/api/v1/namespaces/default/pods';

test('OrderedReady scale-down: an unready condemned pod waits while a lower one is unready too', async () => {
  const api = await startApi();
  const ctrl = new StatefulSetController(api.client, { workers: 1 });
  const since = () => new Date(Date.now() - 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
  /** Running, with the Ready condition `ready`; bound to a node first if it is not yet. */
  const setReady = async (name: string, ready: boolean) => {
    let cur = await api.admin.get<any>(`${PODS}/${name}`);
    if (!cur.spec.nodeName) {
      await api.admin.create(`${PODS}/${name}/binding`, { apiVersion: 'v1', kind: 'Binding', metadata: { name }, target: { kind: 'Node', name: 'n1' } });
      cur = await api.admin.get<any>(`${PODS}/${name}`);
    }
    cur.status = { ...cur.status, phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: since() }] };
    await api.admin.update(`${PODS}/${name}/status`, cur);
  };
  const pods = async () => ((await api.admin.get<any>(PODS)).items as any[]).filter((p) => p.metadata.name.startsWith('web-'));
  const live = async () =>
    (await pods())
      .filter((p) => !p.metadata.deletionTimestamp)
      .map((p) => p.metadata.name as string)
      .sort();
  try {
    ctrl.start();
    await api.admin.create(STS, {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'web' },
      spec: {
        replicas: 3,
        serviceName: 'web',
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'busybox:1.36' }] } },
      },
    });
    // OrderedReady: each pod appears once the one before it is Ready
    for (const name of ['web-0', 'web-1', 'web-2']) {
      await until(name, async () => (await live()).includes(name));
      await setReady(name, true);
    }
    await until('3 ready', async () => (await api.admin.get<any>(`${STS}/web`)).status?.readyReplicas === 3);

    // web-1 and web-2 lose readiness, then the set scales to 1: web-2 is unready and not the first unhealthy pod
    await setReady('web-1', false);
    await setReady('web-2', false);
    await until('readiness seen', async () => (await api.admin.get<any>(`${STS}/web`)).status?.readyReplicas === 1);
    const scaled = await api.admin.patch<any>(`${STS}/web`, { spec: { replicas: 1 } });
    // the pass that observed the new generation has run its condemned loop: it must have deleted nothing
    await until('scale observed', async () => (await api.admin.get<any>(`${STS}/web`)).status?.observedGeneration === scaled.metadata.generation);
    assert.deepEqual(await live(), ['web-0', 'web-1', 'web-2']);

    // web-1 Ready again: web-2 is now the first unhealthy pod and goes, web-1 waits for it to terminate
    await setReady('web-1', true);
    await until('web-2 deleted', async () => !(await live()).includes('web-2'));
    assert.deepEqual(await live(), ['web-0', 'web-1']);

    // web-2 gone (its kubelet finished): the healthy web-1 is deleted next
    if ((await pods()).some((p) => p.metadata.name === 'web-2')) await api.admin.delete(`${PODS}/web-2`, { gracePeriodSeconds: 0 });
    await until('web-1 deleted', async () => !(await live()).includes('web-1'));
    assert.deepEqual(await live(), ['web-0']);
  } finally {
    await ctrl.stop();
    await api.close();
  }
});
