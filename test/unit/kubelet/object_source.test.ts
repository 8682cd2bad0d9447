// The kubelet's watch-based Secret/ConfigMap manager: a watch per object its pods reference (field selector
// metadata.name, in the pod's namespace) and none cluster-wide, reads served from that watch's cache,
// changes reported, references refcounted by pod and the watch stopped when no pod uses the object.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../../src/api/core/v1/types.js';
import { InformerObjectSource } from '../../../src/kubelet/object_source.js';
import { configMap, startApi, until } from '../client/api_fixture.js';

const CM = '/api/v1/namespaces/default/configmaps';
const podUsing = (uid: string, cms: string[], secrets: string[] = []): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: `p-${uid}`, namespace: 'default', uid },
  spec: {
    containers: [{ name: 'c', image: 'busybox', env: secrets.map((s) => ({ name: s.toUpperCase(), valueFrom: { secretKeyRef: { name: s, key: 'k' } } })) }],
    volumes: cms.map((c) => ({ name: c, configMap: { name: c } })),
  },
});

describe('kubelet object source (watch-based manager)', () => {
  it('watches only the referenced objects, by name, and serves them from the watch cache', async () => {
    const api = await startApi();
    const changes: string[] = [];
    const src = new InformerObjectSource(api.client, (kind, ns, name) => changes.push(`${kind} ${ns}/${name}`));
    try {
      await api.admin.create(CM, configMap('default', 'cm1', { a: '1' }));
      await api.admin.create('/api/v1/namespaces/default/secrets', {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 's1', namespace: 'default' },
        data: { k: 'dg==' },
      });
      src.registerPod(podUsing('u1', ['cm1'], ['s1']));
      assert.deepEqual(src.configMaps.keys(), ['default/cm1']);
      assert.deepEqual(src.secrets.keys(), ['default/s1']);
      await until('initial adds reported', () => changes.includes('ConfigMap default/cm1') && changes.includes('Secret default/s1'));
      const watches = api.client.log.filter((l) => l.startsWith('WATCH '));
      assert.deepEqual(watches.map((w) => w.replace(/ rv=\d+$/, '')).sort(), [
        'WATCH /api/v1/namespaces/default/configmaps?fieldSelector=metadata.name%3Dcm1&allowWatchBookmarks=true',
        'WATCH /api/v1/namespaces/default/secrets?fieldSelector=metadata.name%3Ds1&allowWatchBookmarks=true',
      ]);
      assert.equal((await src.getConfigMap('default', 'cm1'))?.data?.a, '1');
      assert.equal((await src.getSecret('default', 's1'))?.data?.k, 'dg==');
      assert.equal(api.client.count(`GET ${CM}/cm1`), 0, 'served from the watch cache');
      changes.length = 0;
      await api.admin.update(`${CM}/cm1`, configMap('default', 'cm1', { a: '2' }));
      await until('update reported', () => changes.includes('ConfigMap default/cm1'));
      await until('cache updated', async () => (await src.getConfigMap('default', 'cm1'))?.data?.a === '2');
      // not referenced by any pod: a direct read, no watch
      await api.admin.create(CM, configMap('default', 'other'));
      assert.equal((await src.getConfigMap('default', 'other'))?.metadata.name, 'other');
      assert.equal(api.client.count(`GET ${CM}/other`), 1);
      assert.equal(await src.getConfigMap('default', 'absent'), undefined);
    } finally {
      src.stop();
      await api.close();
    }
  });

  it('keeps a watch while any pod references the object and stops it after the last one', async () => {
    const api = await startApi();
    const changes: string[] = [];
    const src = new InformerObjectSource(api.client, (_k, _ns, name) => changes.push(name));
    try {
      await api.admin.create(CM, configMap('default', 'shared'));
      await api.admin.create(CM, configMap('default', 'only1'));
      src.registerPod(podUsing('u1', ['shared', 'only1']));
      src.registerPod(podUsing('u2', ['shared']));
      const sharedWatches = () => api.client.count('WATCH /api/v1/namespaces/default/configmaps?fieldSelector=metadata.name%3Dshared');
      await until('watching shared', () => sharedWatches() >= 1);
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(sharedWatches(), 1, 'one watch per object, not per pod');
      // u1's spec no longer references only1 (an update of the pod): that reference is released
      src.registerPod(podUsing('u1', ['shared']));
      assert.deepEqual(src.configMaps.keys(), ['default/shared']);
      src.unregisterPod('u1');
      assert.deepEqual(src.configMaps.keys(), ['default/shared']);
      src.unregisterPod('u2');
      assert.deepEqual(src.configMaps.keys(), []);
      changes.length = 0;
      await api.admin.update(`${CM}/shared`, configMap('default', 'shared', { x: 'y' }));
      await new Promise((r) => setTimeout(r, 100));
      assert.deepEqual(changes, [], 'no watch any more');
    } finally {
      src.stop();
      await api.close();
    }
  });
});
