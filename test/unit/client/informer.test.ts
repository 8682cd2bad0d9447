// Shared informers and the factory: one list+watch per resource and scope for all consumers, handlers
// dispatched from their own queue (a throwing handler is logged, the others and the watch carry on),
// removable handlers, late handlers get the cache as adds, waitForCacheSync, and resync periods.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../src/api/types.js';
import { SharedInformerFactory } from '../../../src/client/informer_factory.js';
import { configMap, startApi, until } from './api_fixture.js';

const CM = '/api/v1/namespaces/default/configmaps';

describe('SharedInformerFactory', () => {
  it('gives every consumer of a resource and scope the same informer: one list and one watch', async () => {
    const api = await startApi();
    const f = new SharedInformerFactory(api.client);
    try {
      const a = f.configMaps({ namespace: 'default' });
      const b = f.configMaps({ namespace: 'default' });
      const labelled = f.configMaps({ namespace: 'default', labelSelector: 'app=x' });
      assert.equal(a, b);
      assert.notEqual(a, labelled);
      assert.equal(f.nodes(), f.nodes());
      assert.equal(f.size(), 3);
      const seenA: string[] = [];
      const seenB: string[] = [];
      a.addEventHandler({ onAdd: (o) => seenA.push(o.metadata.name!) });
      b.addEventHandler({ onAdd: (o) => seenB.push(o.metadata.name!) });
      f.start();
      await f.waitForCacheSync();
      await api.admin.create(CM, configMap('default', 'one'));
      await until('both handlers saw it', () => seenA.includes('one') && seenB.includes('one'));
      assert.equal(api.client.count(`GET ${CM}?`), 2, 'one list for the shared scope, one for the labelled one');
      assert.equal(api.client.log.filter((l) => l.startsWith(`WATCH ${CM}?allowWatchBookmarks`)).length, 1);
      assert.equal(api.client.count('GET /api/v1/nodes'), 1);
    } finally {
      await f.shutdown();
      await api.close();
    }
  });
});

describe('SharedIndexInformer handlers', () => {
  it('a throwing handler is logged; the other handlers and later events still arrive', async () => {
    const api = await startApi();
    const f = new SharedInformerFactory(api.client);
    try {
      const inf = f.configMaps({ namespace: 'default' });
      const good: string[] = [];
      let thrown = 0;
      inf.addEventHandler({
        onAdd: () => {
          thrown++;
          throw new Error('handler bug');
        },
      });
      inf.addEventHandler({ onAdd: (o) => good.push(o.metadata.name!), onUpdate: (_o, n) => good.push(`${n.metadata.name}~`) });
      f.start();
      await f.waitForCacheSync();
      await api.admin.create(CM, configMap('default', 'x'));
      await api.admin.create(CM, configMap('default', 'y'));
      await api.admin.update(`${CM}/x`, configMap('default', 'x', { k: 'v' }));
      await until('all events at the good handler', () => good.length === 3);
      assert.deepEqual(good, ['x', 'y', 'x~']);
      assert.equal(thrown, 2);
      assert.equal(inf.get('default/x')?.metadata.name, 'x');
    } finally {
      await f.shutdown();
      await api.close();
    }
  });

  it('a removed handler hears nothing more; a late handler first gets the cache as adds, then is synced', async () => {
    const api = await startApi();
    const f = new SharedInformerFactory(api.client);
    try {
      await api.admin.create(CM, configMap('default', 'pre'));
      const inf = f.configMaps({ namespace: 'default' });
      const early: string[] = [];
      const reg = inf.addEventHandler({ onAdd: (o) => early.push(o.metadata.name!) });
      f.start();
      await f.waitForCacheSync();
      assert.ok(reg.hasSynced());
      assert.deepEqual(early, ['pre']);
      reg.remove();
      assert.equal(inf.handlerCount(), 0);
      await api.admin.create(CM, configMap('default', 'post'));
      await until('cached', () => inf.get('default/post'));
      const late: string[] = [];
      const lateReg = inf.addEventHandler({ onAdd: (o) => late.push(o.metadata.name!) });
      assert.equal(lateReg.hasSynced(), false);
      await lateReg.waitForSync();
      assert.deepEqual(late.sort(), ['post', 'pre']);
      await new Promise((r) => setTimeout(r, 20));
      assert.deepEqual(early, ['pre']);
    } finally {
      await f.shutdown();
      await api.close();
    }
  });

  it('a handler with a resync period gets update(obj, obj) for every cached object periodically', async () => {
    const api = await startApi();
    const f = new SharedInformerFactory(api.client);
    try {
      await api.admin.create(CM, configMap('default', 'r'));
      const inf = f.configMaps({ namespace: 'default' });
      const resyncs: KubeObject[][] = [];
      const plain: string[] = [];
      inf.addEventHandler({ onUpdate: (o, n) => resyncs.push([o, n]) }, 30);
      inf.addEventHandler({ onUpdate: (_o, n) => plain.push(n.metadata.name!) });
      f.start();
      await f.waitForCacheSync();
      await until('two resyncs', () => resyncs.length >= 2, 5_000);
      assert.ok(resyncs.every(([o, n]) => o === n && n.metadata.name === 'r'));
      assert.deepEqual(plain, [], 'no resync for a handler without a period');
    } finally {
      await f.shutdown();
      await api.close();
    }
  });

  it('on a relist, objects that vanished are delivered as deletes and changed ones as updates', async () => {
    const api = await startApi();
    const f = new SharedInformerFactory(api.client);
    try {
      const inf = f.configMaps({ namespace: 'default' });
      const seen: string[] = [];
      inf.addEventHandler({
        onAdd: (o) => seen.push(`add ${o.metadata.name}`),
        onUpdate: (_o, n) => seen.push(`update ${n.metadata.name}`),
        onDelete: (o) => seen.push(`delete ${o.metadata.name}`),
      });
      // the store side of the informer, as a relist drives it
      inf.replace(
        [
          configMap('default', 'a') as KubeObject,
          { ...configMap('default', 'b'), metadata: { name: 'b', namespace: 'default', resourceVersion: '1' } } as KubeObject,
        ],
        '5',
      );
      inf.replace([{ ...configMap('default', 'b'), metadata: { name: 'b', namespace: 'default', resourceVersion: '2' } } as KubeObject], '9');
      await until('delivered', () => seen.length === 4);
      assert.deepEqual(seen, ['add a', 'add b', 'update b', 'delete a']);
    } finally {
      await f.shutdown();
      await api.close();
    }
  });
});
