// The watch history is bounded by bytes as well as by count: big objects evict old revisions (which then
// answer Expired), and a watcher whose undelivered events pass the byte bound is dropped as too slow.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_MAX_QUEUE_BYTES, WatchCache, entryBytes, type HistoryEntry } from '../../../src/storage/watch_cache.js';
import { MemoryStorage } from '../../../src/storage/memory.js';
import { StorageError, type StoreEvent } from '../../../src/storage/interface.js';

const entry = (rv: number, size: number): HistoryEntry => ({
  type: 'MODIFIED',
  key: '/registry/configmaps/default/big',
  resourceVersion: rv,
  value: JSON.stringify({ metadata: { name: 'big', resourceVersion: String(rv) }, data: { a: 'x'.repeat(size) } }),
  prevValue: JSON.stringify({ metadata: { name: 'big' }, data: { a: 'y'.repeat(size) } }),
});

test('history keeps at most historyBytes of events; older revisions are Expired', () => {
  const cache = new WatchCache({ floorRV: 0, historySize: 10_000, historyBytes: 100_000 });
  for (let rv = 1; rv <= 300; rv++) cache.append(entry(rv, 10_000));
  assert.ok(cache.historyBytes <= 100_000, `history holds ${cache.historyBytes} bytes`);
  const per = entryBytes(entry(1, 10_000));
  const kept = Math.floor(100_000 / per);
  assert.equal(cache.oldestWatchableRV(), 300 - kept);
  assert.throws(
    () => cache.watch('/registry/', { fromRV: 10, onEvent: () => {} }),
    (e: unknown) => e instanceof StorageError && e.code === 'Expired',
  );
  const seen: number[] = [];
  const w = cache.watch('/registry/', { fromRV: 300 - kept, onEvent: (ev) => void seen.push(ev.resourceVersion) });
  return new Promise<void>((resolve) =>
    setImmediate(() => {
      w.stop();
      assert.deepEqual(
        seen,
        Array.from({ length: kept }, (_, i) => 301 - kept + i),
      );
      resolve();
    }),
  );
});

test('an event bigger than the whole bound is still kept (the newest one always is)', () => {
  const cache = new WatchCache({ floorRV: 0, historyBytes: 1000 });
  cache.append(entry(1, 10));
  cache.append(entry(2, 5000));
  assert.equal(cache.oldestWatchableRV(), 1);
  assert.ok(cache.historyBytes > 1000);
});

test('a watcher whose queued events pass the byte bound is dropped as too slow', async () => {
  const cache = new WatchCache({ floorRV: 0, historyBytes: 1024 });
  let closed = '';
  let release!: () => void;
  const blocked = new Promise<void>((r) => (release = r));
  cache.watch('/registry/', { fromRV: 0, onEvent: () => blocked, onClose: (r) => (closed = r) });
  const per = entryBytes(entry(1, 512 * 1024));
  const n = Math.ceil(DEFAULT_MAX_QUEUE_BYTES / per) + 2;
  for (let rv = 1; rv <= n; rv++) cache.append(entry(rv, 512 * 1024));
  await new Promise((r) => setImmediate(r));
  assert.equal(closed, 'too slow');
  assert.equal(cache.watcherCount, 0);
  release();
});

test('MemoryStorage: 300 updates of a 1 MiB object keep the history near its byte bound', async () => {
  const store = new MemoryStorage({ historyBytes: 8 * 1024 * 1024 });
  const key = '/registry/configmaps/default/big';
  const first = await store.create(key, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'big' }, data: { a: 'x'.repeat(1 << 20) } });
  for (let i = 0; i < 300; i++) {
    await store.update(key, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'big' }, data: { a: 'x'.repeat(1 << 20), i: String(i) } });
  }
  const events: StoreEvent[] = [];
  assert.throws(
    () => store.watch('/registry/', { fromRV: Number(first.metadata.resourceVersion), onEvent: (e) => void events.push(e) }),
    /too old resource version/,
  );
  const w = store.watch('/registry/', { fromRV: store.currentRevision() - 2, onEvent: (e) => void events.push(e) });
  await new Promise((r) => setImmediate(r));
  w.stop();
  assert.equal(events.length, 2);
  await store.close();
});
