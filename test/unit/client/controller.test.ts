// The Controller base: no reconcile before the informers' caches have synced (then every cached object's
// key), failures retried with per-key backoff until they succeed, requeueAfter, keys de-duplicated,
// N workers that never reconcile one key concurrently, and stop() removes its handlers.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ConfigMap } from '../../../src/api/core/v1/types.js';
import { Controller, type ReconcileResult } from '../../../src/client/controller.js';
import { SharedInformerFactory } from '../../../src/client/informer_factory.js';
import type { KubeClient } from '../../../src/client/rest.js';
import { ItemExponentialFailureRateLimiter } from '../../../src/client/workqueue.js';
import { configMap, startApi, until } from './api_fixture.js';

const CM = '/api/v1/namespaces/default/configmaps';

class TestController extends Controller {
  calls: string[] = [];
  cachedAtFirstCall = -1;
  active = new Set<string>();
  overlap = false;
  behaviour: (key: string, n: number) => Promise<ReconcileResult | void> = async () => {};

  constructor(client: KubeClient, factory: SharedInformerFactory, workers = 1) {
    super({ name: 'test-controller', client, factory, workers, rateLimiter: new ItemExponentialFailureRateLimiter(5, 50) });
    const inf = factory.configMaps({ namespace: 'default' });
    this.watch(inf, this.enqueueAll<ConfigMap>());
    this.lister = () => inf.list().length;
  }

  lister: () => number;

  protected async reconcile(key: string): Promise<ReconcileResult | void> {
    if (this.cachedAtFirstCall < 0) this.cachedAtFirstCall = this.lister();
    if (this.active.has(key)) this.overlap = true;
    this.active.add(key);
    try {
      this.calls.push(key);
      return await this.behaviour(key, this.calls.filter((k) => k === key).length);
    } finally {
      this.active.delete(key);
    }
  }
}

async function withController(
  fn: (c: TestController, api: Awaited<ReturnType<typeof startApi>>, f: SharedInformerFactory) => Promise<void>,
  workers = 1,
  seed = 0,
) {
  const api = await startApi();
  for (let i = 0; i < seed; i++) await api.admin.create(CM, configMap('default', `seed${i}`));
  const f = new SharedInformerFactory(api.client);
  const c = new TestController(api.client, f, workers);
  try {
    await fn(c, api, f);
  } finally {
    await c.stop();
    await f.shutdown();
    await api.close();
  }
}

describe('Controller', () => {
  it('starts reconciling only after the cache has synced, with every cached key', async () => {
    await withController(
      async (c) => {
        c.start();
        await until('all seeded keys reconciled', () => c.calls.length >= 20);
        assert.equal(c.cachedAtFirstCall, 20);
        assert.deepEqual([...new Set(c.calls)].sort(), Array.from({ length: 20 }, (_, i) => `default/seed${i}`).sort());
      },
      1,
      20,
    );
  });

  it('retries a failing key with backoff until it succeeds, then forgets it', async () => {
    await withController(async (c, api) => {
      c.behaviour = async (_k, n) => {
        if (n < 4) throw new Error(`attempt ${n} fails`);
      };
      c.start();
      await c.waitForCacheSync();
      await api.admin.create(CM, configMap('default', 'flaky'));
      await until('four attempts', () => c.calls.length === 4);
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(c.calls.length, 4, 'no more attempts after the success');
      assert.equal((c as unknown as { queue: { numRequeues(k: string): number } }).queue.numRequeues('default/flaky'), 0);
    });
  });

  it('reconciles again after requeueAfterMs', async () => {
    await withController(async (c, api) => {
      c.behaviour = async (_k, n) => (n === 1 ? { requeueAfterMs: 20 } : undefined);
      c.start();
      await c.waitForCacheSync();
      await api.admin.create(CM, configMap('default', 'again'));
      await until('second reconcile', () => c.calls.length === 2);
    });
  });

  it('runs N workers, never two on the same key, and folds repeated events of a key being reconciled into one more', async () => {
    await withController(async (c, api) => {
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      c.behaviour = async (k, n) => {
        if (k === 'default/hot' && n === 1) await gate;
      };
      c.start();
      await c.waitForCacheSync();
      await api.admin.create(CM, configMap('default', 'hot'));
      await until('hot in progress', () => c.active.has('default/hot'));
      for (let i = 0; i < 5; i++) await api.admin.update(`${CM}/hot`, configMap('default', 'hot', { i: String(i) }));
      await api.admin.create(CM, configMap('default', 'cold'));
      await until('cold reconciled by another worker meanwhile', () => c.calls.includes('default/cold'));
      release();
      await until('hot once more', () => c.calls.filter((k) => k === 'default/hot').length === 2);
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(c.calls.filter((k) => k === 'default/hot').length, 2);
      assert.equal(c.overlap, false);
    }, 3);
  });

  it('stop() removes its handlers from the shared informer', async () => {
    await withController(async (c, _api, f) => {
      const inf = f.configMaps({ namespace: 'default' });
      c.start();
      await c.waitForCacheSync();
      assert.equal(inf.handlerCount(), 1);
      await c.stop();
      assert.equal(inf.handlerCount(), 0);
    });
  });
});
