// The reflector: re-watches from the last resourceVersion it saw (events and bookmarks) when a watch ends,
// relists only on 410 Expired (or another watch Status), retries a failed connection from the same version,
// lists in pages (a continue token answered 410: one full list); against a scripted ListWatch and against a real
// API server (watch timeouts, bookmarks, 410 Expired, paging).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeList, KubeObject, WatchEvent } from '../../../src/api/types.js';
import { Reflector, listWatchFor, type ListPageOptions, type ListWatch, type ReflectorStore } from '../../../src/client/reflector.js';
import { StatusError } from '../../../src/api/errors.js';
import type { WatchEnd, WatchHandle } from '../../../src/client/rest.js';
import { SharedIndexInformer } from '../../../src/client/shared_informer.js';
import { configMap, startApi, until } from './api_fixture.js';

const obj = (name: string, rv: string): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default', resourceVersion: rv } });

interface ScriptedWatch {
  rv: string;
  emit(ev: WatchEvent): void;
  end(e: WatchEnd): void;
}

/** A ListWatch the test drives: each list answers `items` at `rv`; each watch is recorded for the test to feed. */
class ScriptedListWatch implements ListWatch {
  lists = 0;
  watches: ScriptedWatch[] = [];
  items: KubeObject[] = [];
  rv = '10';

  async list(): Promise<KubeList> {
    this.lists++;
    return { apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: this.rv }, items: [...this.items] };
  }

  watch(rv: string, onEvent: (ev: WatchEvent) => void): WatchHandle {
    let end!: (e: WatchEnd) => void;
    const done = new Promise<WatchEnd>((r) => (end = r));
    this.watches.push({ rv, emit: onEvent, end });
    return { stop: () => end({ reason: 'stopped' }), done };
  }
}

/** Answers lists in pages (the continue token is the next index); with `expireContinue`, a continue is 410. */
class PagedListWatch extends ScriptedListWatch {
  pages: string[] = [];
  expireContinue = false;

  override async list(page?: ListPageOptions): Promise<KubeList> {
    this.lists++;
    this.pages.push(`limit=${page?.limit ?? ''} continue=${page?.continue ?? ''}`);
    if (page?.continue && this.expireContinue) {
      this.rv = '30'; // time went by: the full list is of a later revision
      throw new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code: 410, reason: 'Expired', message: 'continue too old' });
    }
    const start = page?.continue ? Number(page.continue) : 0;
    const end = page?.limit ? start + page.limit : this.items.length;
    const more = end < this.items.length ? { continue: String(end) } : {};
    return { apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: this.rv, ...more }, items: this.items.slice(start, end) };
  }
}

class RecordingStore implements ReflectorStore<KubeObject> {
  ops: string[] = [];
  replace(items: KubeObject[], rv: string): void {
    this.ops.push(`replace ${items.map((o) => o.metadata.name).join(',')} @${rv}`);
  }
  add(o: KubeObject): void {
    this.ops.push(`add ${o.metadata.name}`);
  }
  update(o: KubeObject): void {
    this.ops.push(`update ${o.metadata.name}`);
  }
  delete(o: KubeObject): void {
    this.ops.push(`delete ${o.metadata.name}`);
  }
}

function scripted() {
  const lw = new ScriptedListWatch();
  const store = new RecordingStore();
  const r = new Reflector(lw, store, { initialBackoffMs: 5, maxBackoffMs: 20 });
  return { lw, store, r };
}

describe('Reflector (scripted ListWatch)', () => {
  it('re-watches from the last event resourceVersion when a watch ends, without relisting', async () => {
    const { lw, store, r } = scripted();
    lw.items = [obj('a', '9')];
    r.run();
    try {
      await until('first watch', () => lw.watches.length === 1);
      assert.equal(lw.watches[0]!.rv, '10');
      lw.watches[0]!.emit({ type: 'ADDED', object: obj('b', '11') });
      lw.watches[0]!.emit({ type: 'MODIFIED', object: obj('b', '12') });
      lw.watches[0]!.end({ reason: 'closed' });
      await until('second watch', () => lw.watches.length === 2);
      assert.equal(lw.watches[1]!.rv, '12');
      lw.watches[1]!.emit({ type: 'DELETED', object: obj('a', '13') });
      lw.watches[1]!.end({ reason: 'closed' });
      await until('third watch', () => lw.watches.length === 3);
      assert.equal(lw.watches[2]!.rv, '13');
      assert.equal(lw.lists, 1);
      assert.deepEqual(store.ops, ['replace a @10', 'add b', 'update b', 'delete a']);
    } finally {
      await r.stop();
    }
  });

  it('takes the resourceVersion of bookmarks (and caches nothing from them)', async () => {
    const { lw, store, r } = scripted();
    r.run();
    try {
      await until('first watch', () => lw.watches.length === 1);
      lw.watches[0]!.emit({ type: 'BOOKMARK', object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { resourceVersion: '250' } } });
      assert.equal(r.lastSyncResourceVersion(), '250');
      lw.watches[0]!.end({ reason: 'closed' });
      await until('second watch', () => lw.watches.length === 2);
      assert.equal(lw.watches[1]!.rv, '250');
      assert.equal(lw.lists, 1);
      assert.deepEqual(store.ops, ['replace  @10']);
    } finally {
      await r.stop();
    }
  });

  it('relists on 410 Expired and watches from the new list', async () => {
    const { lw, store, r } = scripted();
    r.run();
    try {
      await until('first watch', () => lw.watches.length === 1);
      lw.items = [obj('x', '40')];
      lw.rv = '41';
      lw.watches[0]!.emit({
        type: 'ERROR',
        object: {
          kind: 'Status',
          apiVersion: 'v1',
          status: 'Failure',
          code: 410,
          reason: 'Expired',
          message: 'too old resource version: 10 (41)',
        } as unknown as KubeObject,
      });
      await until('watch after relist', () => lw.watches.length === 2);
      assert.equal(lw.lists, 2);
      assert.equal(lw.watches[1]!.rv, '41');
      assert.deepEqual(store.ops, ['replace  @10', 'replace x @41']);
    } finally {
      await r.stop();
    }
  });

  it('retries a failed watch connection from the same resourceVersion, with no relist', async () => {
    const { lw, r } = scripted();
    r.run();
    try {
      await until('first watch', () => lw.watches.length === 1);
      lw.watches[0]!.emit({ type: 'ADDED', object: obj('a', '15') });
      lw.watches[0]!.end({ reason: 'error', error: new Error('ECONNRESET') });
      await until('retried watch', () => lw.watches.length === 2);
      assert.equal(lw.watches[1]!.rv, '15');
      lw.watches[1]!.end({ reason: 'error', error: new Error('ECONNREFUSED') });
      await until('retried again', () => lw.watches.length === 3);
      assert.equal(lw.watches[2]!.rv, '15');
      assert.equal(lw.lists, 1);
    } finally {
      await r.stop();
    }
  });

  it('lists in pages of pageSize (500 by default) with the continue token, all cached at once at the list revision', async () => {
    const lw = new PagedListWatch();
    const store = new RecordingStore();
    lw.items = ['a', 'b', 'c', 'd', 'e'].map((n, i) => obj(n, String(i + 1)));
    const r = new Reflector(lw, store, { pageSize: 2 });
    r.run();
    try {
      await until('watch', () => lw.watches.length === 1);
      assert.deepEqual(lw.pages, ['limit=2 continue=', 'limit=2 continue=2', 'limit=2 continue=4']);
      assert.deepEqual(store.ops, ['replace a,b,c,d,e @10']);
      assert.equal(lw.watches[0]!.rv, '10');
    } finally {
      await r.stop();
    }
    const byDefault = new PagedListWatch();
    const r2 = new Reflector(byDefault, new RecordingStore());
    r2.run();
    await until('watch', () => byDefault.watches.length === 1);
    await r2.stop();
    assert.deepEqual(byDefault.pages, ['limit=500 continue=']);
  });

  it('falls back to one full list when a continue token is answered 410 Expired', async () => {
    const lw = new PagedListWatch();
    const store = new RecordingStore();
    lw.items = ['a', 'b', 'c'].map((n, i) => obj(n, String(i + 1)));
    lw.expireContinue = true;
    const r = new Reflector(lw, store, { pageSize: 2 });
    r.run();
    try {
      await until('watch', () => lw.watches.length === 1);
      assert.deepEqual(lw.pages, ['limit=2 continue=', 'limit=2 continue=2', 'limit= continue=']);
      assert.deepEqual(store.ops, ['replace a,b,c @30']);
      assert.equal(lw.watches[0]!.rv, '30');
    } finally {
      await r.stop();
    }
  });

  it('relists after a watch Status other than 410', async () => {
    const { lw, r } = scripted();
    r.run();
    try {
      await until('first watch', () => lw.watches.length === 1);
      lw.watches[0]!.emit({
        type: 'ERROR',
        object: { kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 500, reason: 'InternalError', message: 'boom' } as unknown as KubeObject,
      });
      await until('relisted', () => lw.lists === 2 && lw.watches.length === 2);
    } finally {
      await r.stop();
    }
  });
});

describe('Reflector (real API server)', () => {
  const rvOf = (line: string) => Number(/ rv=(\d*)$/.exec(line)?.[1]);

  it('lists a real collection in pages and watches from the first page revision', async () => {
    const api = await startApi();
    for (const n of ['a', 'b', 'c', 'd', 'e']) await api.admin.create('/api/v1/namespaces/default/configmaps', configMap('default', n));
    const inf = new SharedIndexInformer(listWatchFor(api.client, '/api/v1/namespaces/default/configmaps'), { reflector: { pageSize: 2 } });
    try {
      inf.start();
      await inf.waitForSync();
      const gets = api.client.log.filter((l) => l.startsWith('GET '));
      assert.equal(gets.length, 3, gets.join('\n'));
      assert.match(gets[0]!, /\?limit=2$/);
      assert.match(gets[1]!, /\?limit=2&continue=[^&]+$/);
      assert.deepEqual(
        inf
          .list()
          .map((o) => o.metadata.name)
          .sort(),
        ['a', 'b', 'c', 'd', 'e'],
      );
      await until('the watch', () => api.client.count('WATCH ') >= 1);
      const watches = api.client.log.filter((l) => l.startsWith('WATCH '));
      assert.equal(rvOf(watches[0]!), Number(inf.lastSyncResourceVersion()));
    } finally {
      await inf.stop();
      await api.close();
    }
  });

  it('re-watches after the server ends a watch (timeout) instead of relisting', async () => {
    const api = await startApi();
    const inf = new SharedIndexInformer(listWatchFor(api.client, '/api/v1/namespaces/default/configmaps'), { reflector: { minWatchTimeoutSeconds: 1 } });
    try {
      await api.admin.create('/api/v1/namespaces/default/configmaps', configMap('default', 'a'));
      inf.start();
      await inf.waitForSync();
      await until('a re-watch after the first watch timed out', () => api.client.count('WATCH ') >= 2, 10_000);
      await api.admin.create('/api/v1/namespaces/default/configmaps', configMap('default', 'b'));
      await until('b in the cache', () => inf.get('default/b'));
      assert.equal(api.client.count('GET /api/v1/namespaces/default/configmaps'), 1, api.client.log.join('\n'));
      const watches = api.client.log.filter((l) => l.startsWith('WATCH '));
      assert.ok(rvOf(watches[1]!) >= rvOf(watches[0]!) && rvOf(watches[0]!) > 0, watches.join('\n'));
    } finally {
      await inf.stop();
      await api.close();
    }
  });

  it('resumes from the bookmark the server sends at the watch timeout (objects outside the selector moved it)', async () => {
    const api = await startApi();
    const inf = new SharedIndexInformer(listWatchFor(api.client, '/api/v1/namespaces/default/configmaps', { labelSelector: 'app=mine' }), {
      reflector: { minWatchTimeoutSeconds: 1 },
    });
    try {
      await api.admin.create('/api/v1/namespaces/default/configmaps', configMap('default', 'mine', {}, { app: 'mine' }));
      inf.start();
      await inf.waitForSync();
      const listRV = Number(inf.lastSyncResourceVersion());
      const other = await api.admin.create<KubeObject>('/api/v1/namespaces/default/configmaps', configMap('default', 'other', {}, { app: 'theirs' }));
      await until('a re-watch', () => api.client.count('WATCH ') >= 2, 10_000);
      const watches = api.client.log.filter((l) => l.startsWith('WATCH '));
      assert.match(watches[0]!, /allowWatchBookmarks=true/);
      assert.equal(rvOf(watches[0]!), listRV);
      assert.equal(rvOf(watches[1]!), Number(other.metadata.resourceVersion), watches.join('\n'));
      assert.equal(inf.get('default/other'), undefined);
    } finally {
      await inf.stop();
      await api.close();
    }
  });

  it('relists when the re-watch is answered 410 Expired (history overrun while disconnected)', async () => {
    const api = await startApi({ historySize: 5 });
    const real = listWatchFor(api.client, '/api/v1/namespaces/default/configmaps');
    // Watches go to the real server; the test can cut the current one and hold the next one back.
    let current: WatchHandle | undefined;
    let cut: (() => void) | undefined;
    let release: (() => void) | undefined;
    let hold: Promise<void> | undefined;
    const lw: ListWatch = {
      list: () => real.list(),
      watch: (rv, onEvent, t) => {
        let inner: WatchHandle | undefined;
        let stopped = false;
        const gate = hold ?? Promise.resolve();
        const done = new Promise<WatchEnd>((resolve) => {
          cut = () => {
            inner?.stop();
            resolve({ reason: 'closed' });
          };
          void gate.then(() => {
            if (stopped) return resolve({ reason: 'stopped' });
            inner = real.watch(rv, onEvent, t);
            current = inner;
            void inner.done.then(resolve);
          });
        });
        return { stop: () => ((stopped = true), inner?.stop()), done };
      },
    };
    const inf = new SharedIndexInformer(lw, { reflector: { initialBackoffMs: 5, maxBackoffMs: 20 } });
    try {
      await api.admin.create('/api/v1/namespaces/default/configmaps', configMap('default', 'first'));
      inf.start();
      await inf.waitForSync();
      await until('watching', () => current);
      hold = new Promise((r) => (release = r));
      cut!();
      for (let i = 0; i < 10; i++) await api.admin.create('/api/v1/namespaces/default/configmaps', configMap('default', `n${i}`));
      assert.equal(api.client.count('GET /api/v1/namespaces/default/configmaps'), 1);
      release!();
      await until('all objects cached after the relist', () => inf.list().length === 11);
      assert.equal(api.client.count('GET /api/v1/namespaces/default/configmaps'), 2, api.client.log.join('\n'));
    } finally {
      release?.();
      await inf.stop();
      await api.close();
    }
  });
});
