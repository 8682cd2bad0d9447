// LastWritten: a controller's own write stands in for the cached object while the cache still shows a version that
// write replaced, and the cache is the truth again once it caught up or moved on; and, end to end, a ReplicaSet
// scaling up through many status writes never sends one on a superseded resourceVersion (no 409 Conflict).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../src/api/types.js';
import { isStatusError } from '../../../src/api/errors.js';
import { KubeClient, type RequestOptions } from '../../../src/client/rest.js';
import { LastWritten } from '../../../src/controllers/last_written.js';
import { ReplicaSetController } from '../../../src/controllers/replicaset/replica_set_controller.js';
import { replicaSetAdapter } from '../../../src/controllers/replicaset/adapter.js';
import { startApi, until } from '../client/api_fixture.js';

const obj = (rv: string, replicas: number, uid = 'u1'): KubeObject =>
  ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'a', namespace: 'default', uid, resourceVersion: rv }, status: { replicas } }) as KubeObject;

test('LastWritten: our write replaces the stale cached copy until the cache shows it or a newer one', () => {
  const w = new LastWritten<KubeObject>();
  const v1 = obj('1', 0);
  assert.equal(w.fresh(v1), v1, 'nothing written: the cache');
  const v2 = obj('2', 5);
  w.wrote(v1, v2);
  assert.equal(w.fresh(v1), v2, 'cache still at 1: our 2');
  const v3 = obj('3', 7);
  w.wrote(v2, v3);
  assert.equal(w.fresh(v1), v3, 'two writes ahead of the cache');
  assert.equal(w.fresh(obj('2', 5)), v3, 'the cache shows our first write: our second is newer');
  const cached3 = obj('3', 7);
  assert.equal(w.fresh(cached3), cached3, 'caught up: the cache again');
  assert.equal(w.fresh(v1), v1, 'and the entry is gone');
  w.wrote(v1, v2);
  const theirs = obj('9', 1);
  assert.equal(w.fresh(theirs), theirs, "someone else's version: the cache");
  w.wrote(v1, v2);
  w.forget('u1');
  assert.equal(w.fresh(v1), v1);
  assert.equal(w.fresh(obj('1', 0, 'u2')).metadata.uid, 'u2', 'other objects are not affected');
});

class ConflictCountingClient extends KubeClient {
  statusWrites = 0;
  conflicts = 0;
  override async request<T>(method: string, p: string, body?: unknown, o: RequestOptions = {}): Promise<T> {
    const status = method === 'PUT' && p.endsWith('/status');
    if (status) this.statusWrites++;
    try {
      return await super.request<T>(method, p, body, o);
    } catch (e) {
      if (status && isStatusError(e) && e.code === 409) this.conflicts++;
      throw e;
    }
  }
}

test('a ReplicaSet scaling to 60 writes its status without conflicts on its own earlier writes', async () => {
  const api = await startApi();
  const client = new ConflictCountingClient({ server: api.url });
  const ctrl = new ReplicaSetController(client, replicaSetAdapter, { workers: 5, burstReplicas: 20 });
  try {
    ctrl.start();
    await api.admin.create('/apis/apps/v1/namespaces/default/replicasets', {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'w', namespace: 'default' },
      spec: {
        replicas: 60,
        selector: { matchLabels: { app: 'w' } },
        template: { metadata: { labels: { app: 'w' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } },
      },
    });
    const done = await until(
      '60 replicas',
      async () => {
        const got = await api.admin.get<any>('/apis/apps/v1/namespaces/default/replicasets/w');
        return got.status?.replicas === 60 && got.status?.observedGeneration === 1 ? got : false;
      },
      20_000,
    );
    assert.equal(done.status.fullyLabeledReplicas, 60);
    assert.ok(client.statusWrites >= 3, `status written ${client.statusWrites} times`);
    assert.equal(client.conflicts, 0);
  } finally {
    await ctrl.stop();
    client.close();
    await api.close();
  }
});
