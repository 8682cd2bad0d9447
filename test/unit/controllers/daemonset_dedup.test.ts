// Duplicate current ControllerRevisions of a DaemonSet (upstream dedupCurHistories), against an in-process API
// server: the DaemonSet controller keeps the duplicate with the highest revision, relabels the pods of the other
// duplicates to its hash, deletes the duplicates, and replaces no pod; a pod of an older template keeps its hash.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DaemonSetController } from '../../../src/controllers/daemonset/daemon_set_controller.js';
import { revisionToKeep } from '../../../src/controllers/daemonset/dedup_revisions.js';
import { templatePatch } from '../../../src/controllers/history/controller_history.js';
import type { ControllerRevision } from '../../../src/api/apps/v1/workload_types.js';
import { startApi, until } from '../client/api_fixture.js';

const DS = '/apis/apps/v1/namespaces/default/daemonsets';
const CR = '/apis/apps/v1/namespaces/default/controllerrevisions';
const PODS = '/api/v1/namespaces/default/pods';
const HASH = 'controller-revision-hash';

const rev = (name: string, revision: number, created: string): ControllerRevision => ({
  apiVersion: 'apps/v1',
  kind: 'ControllerRevision',
  metadata: { name, creationTimestamp: created },
  revision,
});

test('the revision kept: highest revision number, then the oldest, then by name', () => {
  assert.equal(
    revisionToKeep([rev('a', 1, '2024-01-01T00:00:00Z'), rev('b', 3, '2024-01-02T00:00:00Z'), rev('c', 2, '2024-01-01T00:00:00Z')]).metadata.name,
    'b',
  );
  assert.equal(revisionToKeep([rev('a', 2, '2024-01-02T00:00:00Z'), rev('b', 2, '2024-01-01T00:00:00Z')]).metadata.name, 'b');
  assert.equal(revisionToKeep([rev('b', 2, '2024-01-01T00:00:00Z'), rev('a', 2, '2024-01-01T00:00:00Z')]).metadata.name, 'a');
});

test('duplicate current revisions: the highest kept, its duplicates deleted, their pods relabelled, nothing replaced', async () => {
  const api = await startApi();
  const ctrl = new DaemonSetController(api.client, { workers: 1 });
  try {
    for (const n of ['n1', 'n2']) {
      await api.admin.create('/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: n, labels: { 'kubernetes.io/hostname': n } } });
    }
    const ds = await api.admin.create<any>(DS, {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'agent' },
      spec: {
        selector: { matchLabels: { app: 'agent' } },
        updateStrategy: { type: 'OnDelete' },
        template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'c', image: 'busybox:1.35' }] } },
      },
    });
    const owner = [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'agent', uid: ds.metadata.uid, controller: true, blockOwnerDeletion: true }];
    const current = templatePatch(ds.spec.template);
    const older = templatePatch({ ...ds.spec.template, spec: { containers: [{ name: 'c', image: 'busybox:1.34' }] } });
    // what a controller manager that raced another could leave: two revisions of the current template
    const makeRev = (name: string, hash: string, revision: number, data: unknown) =>
      api.admin.create(CR, {
        apiVersion: 'apps/v1',
        kind: 'ControllerRevision',
        metadata: { name, labels: { app: 'agent', [HASH]: hash }, ownerReferences: owner },
        data,
        revision,
      });
    await makeRev('agent-old', 'old', 1, older);
    await makeRev('agent-aaa', 'aaa', 2, current);
    await makeRev('agent-bbb', 'bbb', 3, current);
    const makePod = (name: string, node: string, hash: string) =>
      api.admin.create<any>(PODS, {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name, labels: { app: 'agent', [HASH]: hash }, ownerReferences: owner },
        spec: { nodeName: node, containers: [{ name: 'c', image: 'busybox:1.35' }] },
      });
    const dupPod = await makePod('agent-1', 'n1', 'aaa');
    const oldPod = await makePod('agent-2', 'n2', 'old');

    ctrl.start();
    const revs = await until('the duplicate deleted', async () => {
      const items = (await api.admin.get<any>(CR)).items as ControllerRevision[];
      return items.length === 2 ? items : false;
    });
    assert.deepEqual(revs.map((r) => `${r.metadata.name}:${r.revision}`).sort(), ['agent-bbb:3', 'agent-old:1']);
    const relabelled = await until('the pod relabelled', async () => {
      const p = await api.admin.get<any>(`${PODS}/agent-1`);
      return p.metadata.labels[HASH] === 'bbb' ? p : false;
    });
    assert.equal(relabelled.metadata.uid, dupPod.metadata.uid);
    await until('the relabelled pod counted as updated', async () => (await api.admin.get<any>(`${DS}/agent`)).status?.updatedNumberScheduled === 1);
    // a few more syncs change nothing: no pod created or deleted, no revision made, the old pod keeps its hash
    for (let i = 0; i < 3; i++) ctrl.enqueue(ds);
    await new Promise((r) => setTimeout(r, 300));
    const status = (await api.admin.get<any>(`${DS}/agent`)).status;
    assert.equal(status.desiredNumberScheduled, 2);
    assert.equal(status.currentNumberScheduled, 2);
    assert.equal(status.updatedNumberScheduled, 1, 'the relabelled pod is current; the older one is not');
    const pods = (await api.admin.get<any>(PODS)).items as any[];
    assert.deepEqual(pods.map((p) => `${p.metadata.name}:${p.metadata.labels[HASH]}:${p.metadata.uid}`).sort(), [
      `agent-1:bbb:${dupPod.metadata.uid}`,
      `agent-2:old:${oldPod.metadata.uid}`,
    ]);
    assert.equal(((await api.admin.get<any>(CR)).items as unknown[]).length, 2);
  } finally {
    await ctrl.stop();
    await api.close();
  }
});
