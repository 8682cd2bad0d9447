// Deployment history trimming against an in-process API server (Deployment and ReplicaSet controllers, the test
// playing kubelet): as upstream's cleanupDeployment, old ReplicaSets beyond revisionHistoryLimit go only once
// the rollout is complete — while the new pods are not available, the old ReplicaSet (what `rollout undo`
// goes back to) stays.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DeploymentController } from '../../../src/controllers/deployment/deployment_controller.js';
import { ReplicaSetController } from '../../../src/controllers/replicaset/replica_set_controller.js';
import { replicaSetAdapter } from '../../../src/controllers/replicaset/adapter.js';
import { startApi, until } from '../client/api_fixture.js';

const DEPLOY = '/apis/apps/v1/namespaces/default/deployments';
const RS = '/apis/apps/v1/namespaces/default/replicasets';
const PODS = '/api/v1/namespaces/default/pods';

test('revisionHistoryLimit 0: the old ReplicaSet stays until the new one is available, then goes', async () => {
  const api = await startApi();
  const dc = new DeploymentController(api.client, { workers: 1 });
  const rsc = new ReplicaSetController(api.client, replicaSetAdapter, { workers: 1 });
  const rsNames = async () => ((await api.admin.get<any>(RS)).items as any[]).map((r) => r.metadata.name as string).sort();
  /** Plays scheduler and kubelet for one pod: bound, Running and Ready. */
  const makeReady = async (pod: any) => {
    const name = pod.metadata.name;
    await api.admin.create(`${PODS}/${name}/binding`, { apiVersion: 'v1', kind: 'Binding', metadata: { name }, target: { kind: 'Node', name: 'n1' } });
    const cur = await api.admin.get<any>(`${PODS}/${name}`);
    const since = new Date(Date.now() - 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
    cur.status = { ...cur.status, phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: since }] };
    await api.admin.update(`${PODS}/${name}/status`, cur);
  };
  const podsOf = async (rs: string) =>
    ((await api.admin.get<any>(PODS)).items as any[]).filter((p) => p.metadata.ownerReferences?.[0]?.name === rs && !p.metadata.deletionTimestamp);
  try {
    dc.start();
    rsc.start();
    await api.admin.create(DEPLOY, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        replicas: 1,
        revisionHistoryLimit: 0,
        strategy: { type: 'Recreate' },
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'busybox:1.35' }] } },
      },
    });
    const [first] = await until('the first ReplicaSet', async () => {
      const n = await rsNames();
      return n.length === 1 ? n : false;
    });
    const [p1] = await until('its pod', async () => {
      const p = await podsOf(first!);
      return p.length === 1 ? p : false;
    });
    await makeReady(p1);
    await until('complete', async () => (await api.admin.get<any>(`${DEPLOY}/web`)).status?.availableReplicas === 1);

    // a new template: Recreate scales the first ReplicaSet to 0, its pod goes, the second one's pod is never ready
    const d = await api.admin.get<any>(`${DEPLOY}/web`);
    d.spec.template.spec.containers[0].image = 'busybox:1.36';
    await api.admin.update(`${DEPLOY}/web`, d);
    // the kubelet's part of the old pod's graceful deletion
    await until('the old pod deleted', async () => (await api.admin.get<any>(`${PODS}/${p1.metadata.name}`)).metadata.deletionTimestamp);
    await api.admin.delete(`${PODS}/${p1.metadata.name}`, { gracePeriodSeconds: 0 });
    const second = await until('the second ReplicaSet', async () => (await rsNames()).find((n) => n !== first));
    const [p2] = await until('its pod', async () => {
      const p = await podsOf(second);
      return p.length === 1 ? p : false;
    });
    await until('the first observed at 0', async () => {
      const r = await api.admin.get<any>(`${RS}/${first}`);
      return r.spec.replicas === 0 && r.status?.observedGeneration === r.metadata.generation && (r.status?.replicas ?? 0) === 0;
    });
    // several syncs of the incomplete rollout: the first ReplicaSet is kept
    for (let i = 0; i < 3; i++) dc.enqueue({ metadata: { namespace: 'default', name: 'web' } });
    await new Promise((r) => setTimeout(r, 500));
    assert.deepEqual(await rsNames(), [first, second].sort(), 'kept while the rollout is not complete');

    await makeReady(p2);
    await until('the first ReplicaSet deleted once complete', async () => {
      const n = await rsNames();
      return n.length === 1 && n[0] === second;
    });
  } finally {
    await dc.stop();
    await rsc.stop();
    await api.close();
  }
});
