// The ReplicaSet controller against an in-process API server whose pod creates are made to fail: a
// FailedCreate warning ("Error creating: ..."), the ReplicaFailure condition, retries with backoff, and the
// condition cleared once creates work again; and a 40-replica scale-up in slow-start batches that never
// creates more pods than asked for.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KubeClient, type RequestOptions } from '../../../src/client/rest.js';
import { makeStatus, StatusError } from '../../../src/api/errors.js';
import { ReplicaSetController } from '../../../src/controllers/replicaset/replica_set_controller.js';
import { replicaSetAdapter } from '../../../src/controllers/replicaset/adapter.js';
import { startApi, until } from '../client/api_fixture.js';

class FailingPodsClient extends KubeClient {
  failCreates = true;
  podCreates = 0;
  override request<T>(method: string, p: string, body?: unknown, o: RequestOptions = {}): Promise<T> {
    if (method === 'POST' && p.endsWith('/pods')) {
      this.podCreates++;
      if (this.failCreates) return Promise.reject(new StatusError(makeStatus(403, 'Forbidden', 'pods "x" is forbidden: exceeded quota')));
    }
    return super.request<T>(method, p, body, o);
  }
}

const rs = (name: string, replicas: number) => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: { name, namespace: 'default' },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } },
  },
});

test('failed creates: FailedCreate event, ReplicaFailure condition, retried until they work', async () => {
  const api = await startApi();
  const client = new FailingPodsClient({ server: api.url });
  const ctrl = new ReplicaSetController(client, replicaSetAdapter, { workers: 2 });
  try {
    ctrl.start();
    await api.admin.create('/apis/apps/v1/namespaces/default/replicasets', rs('q', 2));
    const cond = await until('ReplicaFailure', async () => {
      const got = await api.admin.get<any>('/apis/apps/v1/namespaces/default/replicasets/q');
      return got.status?.conditions?.find((c: any) => c.type === 'ReplicaFailure');
    });
    assert.equal(cond.status, 'True');
    assert.equal(cond.reason, 'FailedCreate');
    assert.match(cond.message, /exceeded quota/);
    await ctrl.flushEvents();
    const evs = await api.admin.get<any>('/api/v1/namespaces/default/events');
    const failed = evs.items.find((e: any) => e.reason === 'FailedCreate');
    assert.equal(failed.type, 'Warning');
    assert.match(failed.message, /^Error creating: pods "x" is forbidden: exceeded quota$/);
    // a failing first batch of slow start stops after one call
    const tries = client.podCreates;
    client.failCreates = false;
    const ok = await until('pods created and condition cleared', async () => {
      const got = await api.admin.get<any>('/apis/apps/v1/namespaces/default/replicasets/q');
      return got.status?.replicas === 2 && !got.status?.conditions ? got : false;
    });
    assert.equal(ok.status.replicas, 2);
    assert.ok(tries >= 1);
    const pods = await api.admin.get<any>('/api/v1/namespaces/default/pods?labelSelector=app%3Dq');
    assert.equal(pods.items.length, 2);
  } finally {
    await ctrl.stop();
    client.close();
    await api.close();
  }
});

test('scale up by 40 creates exactly 40 pods (expectations hold back re-syncs during the batches)', async () => {
  const api = await startApi();
  const client = new FailingPodsClient({ server: api.url });
  client.failCreates = false;
  const ctrl = new ReplicaSetController(client, replicaSetAdapter, { workers: 5, burstReplicas: 15 });
  try {
    ctrl.start();
    await api.admin.create('/apis/apps/v1/namespaces/default/replicasets', rs('many', 40));
    await until('40 pods', async () => (await api.admin.get<any>('/apis/apps/v1/namespaces/default/replicasets/many')).status?.replicas === 40, 20_000);
    // nudge a few more syncs; none may create extra pods
    for (let i = 0; i < 3; i++) ctrl.enqueue({ metadata: { namespace: 'default', name: 'many' } });
    await new Promise((r) => setTimeout(r, 300));
    const pods = await api.admin.get<any>('/api/v1/namespaces/default/pods?labelSelector=app%3Dmany');
    assert.equal(pods.items.length, 40);
    assert.equal(client.podCreates, 40);
  } finally {
    await ctrl.stop();
    client.close();
    await api.close();
  }
});
