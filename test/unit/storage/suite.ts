// The shared Storage conformance suite: every backend (memory, sqlite, ...) runs these same tests.
// Covers CRUD and errors, revisions, list paging/predicates, watch semantics, slow watchers, copies.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../src/api/types.js';
import { StorageError, type Storage, type StoreEvent, type StorageErrorCode } from '../../../src/storage/interface.js';

export interface SuiteStoreOptions {
  /** Watch history size; the suite asks for a small one to exercise Expired. */
  historySize?: number;
}

export type MakeStore = (opts?: SuiteStoreOptions) => Promise<{ store: Storage; cleanup: () => Promise<void> }>;

export function pod(name: string, ns = 'default', extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns, labels: { app: name.split('-')[0] } },
    spec: { containers: [{ name: 'c', image: 'busybox' }] },
    ...extra,
  };
}

export const podKey = (name: string, ns = 'default') => `/registry/pods/${ns}/${name}`;

export async function expectStorageError(p: Promise<unknown> | (() => unknown), code: StorageErrorCode): Promise<StorageError> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    assert.ok(e instanceof StorageError, `expected StorageError(${code}), got ${String(e)}`);
    assert.equal(e.code, code);
    return e;
  }
  assert.fail(`expected StorageError(${code}), but the call succeeded`);
}

/** Resolve once `cond()` holds, polling across macrotasks; fail after `ms`. */
export async function waitFor(cond: () => boolean, ms = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

const rvOf = (o: KubeObject) => Number(o.metadata.resourceVersion);

export function runStorageSuite(name: string, make: MakeStore): void {
  describe(`Storage conformance: ${name}`, () => {
    let store: Storage;
    let cleanup: () => Promise<void>;
    before(async () => {
      ({ store, cleanup } = await make());
    });
    after(async () => {
      await store.close();
      await cleanup();
    });

    describe('CRUD', () => {
      it('create stamps resourceVersion, overwrites the caller value and does not mutate the input', async () => {
        const input = pod('crud-a');
        input.metadata.resourceVersion = '999999';
        const before = store.currentRevision();
        const created = await store.create(podKey('crud-a'), input);
        assert.equal(created.metadata.resourceVersion, String(before + 1));
        assert.equal(store.currentRevision(), before + 1);
        assert.equal(input.metadata.resourceVersion, '999999', 'input must not be mutated');
        assert.deepEqual(created.spec, input.spec);
        const got = await store.get(podKey('crud-a'));
        assert.deepEqual(got, created);
      });

      it('get of a missing key returns undefined', async () => {
        assert.equal(await store.get(podKey('nope')), undefined);
      });

      it('create of an existing key fails with AlreadyExists and does not bump the revision', async () => {
        await store.create(podKey('crud-dup'), pod('crud-dup'));
        const rv = store.currentRevision();
        const err = await expectStorageError(store.create(podKey('crud-dup'), pod('crud-dup')), 'AlreadyExists');
        assert.equal(err.key, podKey('crud-dup'));
        assert.equal(store.currentRevision(), rv);
      });

      it('update replaces, bumps the revision, and checks expectedRV', async () => {
        const c = await store.create(podKey('crud-u'), pod('crud-u'));
        const next = { ...c, spec: { containers: [{ name: 'c', image: 'nginx' }] } };
        const u = await store.update(podKey('crud-u'), next, rvOf(c));
        assert.equal(rvOf(u), rvOf(c) + 1);
        assert.equal((u.spec as any).containers[0].image, 'nginx');
        // Stale precondition -> Conflict, nothing written.
        const rv = store.currentRevision();
        await expectStorageError(store.update(podKey('crud-u'), { ...next, spec: {} }, rvOf(c)), 'Conflict');
        assert.equal(store.currentRevision(), rv);
        assert.equal(((await store.get(podKey('crud-u')))!.spec as any).containers[0].image, 'nginx');
        // No precondition -> last write wins.
        const u2 = await store.update(podKey('crud-u'), { ...next, spec: { x: 1 } });
        assert.equal(rvOf(u2), rv + 1);
      });

      it('update of a missing key fails with NotFound', async () => {
        await expectStorageError(store.update(podKey('crud-missing'), pod('crud-missing')), 'NotFound');
        await expectStorageError(store.update(podKey('crud-missing'), pod('crud-missing'), 5), 'NotFound');
      });

      it('update with identical content is a no-op (no new revision)', async () => {
        const c = await store.create(podKey('crud-same'), pod('crud-same'));
        const rv = store.currentRevision();
        const u = await store.update(podKey('crud-same'), pod('crud-same'));
        assert.equal(rvOf(u), rvOf(c));
        assert.equal(store.currentRevision(), rv);
      });

      it('delete returns the last state at the deletion revision, removes the key, and checks expectedRV', async () => {
        const c = await store.create(podKey('crud-d'), pod('crud-d'));
        await expectStorageError(store.delete(podKey('crud-d'), rvOf(c) - 1), 'Conflict');
        assert.ok(await store.get(podKey('crud-d')));
        const rv = store.currentRevision();
        const d = await store.delete(podKey('crud-d'), rvOf(c));
        assert.equal(d.metadata.name, 'crud-d');
        // the deletion's revision, as the DELETED event carries it (upstream's etcd3 store)
        assert.equal(rvOf(d), rv + 1);
        assert.equal(store.currentRevision(), rv + 1);
        assert.equal(await store.get(podKey('crud-d')), undefined);
        await expectStorageError(store.delete(podKey('crud-d')), 'NotFound');
        // The key can be created again.
        const again = await store.create(podKey('crud-d'), pod('crud-d'));
        assert.equal(rvOf(again), rv + 2);
      });

      it('the revision is strictly monotonic (+1 per write) across keys', async () => {
        let last = store.currentRevision();
        for (let i = 0; i < 20; i++) {
          const ns = i % 2 ? 'ns-a' : 'ns-b';
          const o = await store.create(podKey(`mono-${i}`, ns), pod(`mono-${i}`, ns));
          assert.equal(rvOf(o), last + 1);
          last = rvOf(o);
          const u = await store.guaranteedUpdate(podKey(`mono-${i}`, ns), (cur) => ({ ...cur, status: { i } }));
          assert.equal(rvOf(u), last + 1);
          last = rvOf(u);
          assert.equal(store.currentRevision(), last);
        }
      });
    });

    describe('returned objects are copies', () => {
      it('mutating results of create/get/update/list/guaranteedUpdate/delete does not affect the store', async () => {
        const key = podKey('copy-a', 'copies');
        const c = await store.create(key, pod('copy-a', 'copies'));
        (c.metadata.labels as Record<string, string>).app = 'HACKED';
        (c.spec as any).containers.push({ name: 'evil' });
        const g = await store.get(key);
        assert.equal(g!.metadata.labels!.app, 'copy');
        assert.equal((g!.spec as any).containers.length, 1);
        g!.metadata.name = 'HACKED';
        const l = await store.list('/registry/pods/copies/');
        assert.equal(l.items[0].metadata.name, 'copy-a');
        l.items[0].metadata.name = 'HACKED';
        const u = await store.guaranteedUpdate(key, (cur) => {
          cur.metadata.annotations = { a: 'b' };
          return cur;
        });
        u.metadata.annotations!.a = 'HACKED';
        const g2 = await store.get(key);
        assert.equal(g2!.metadata.name, 'copy-a');
        assert.deepEqual(g2!.metadata.annotations, { a: 'b' });
        // Mutating the object we passed in after the call must not leak into the store either.
        const input = pod('copy-b', 'copies');
        await store.create(podKey('copy-b', 'copies'), input);
        (input.spec as any).containers[0].image = 'HACKED';
        assert.equal(((await store.get(podKey('copy-b', 'copies')))!.spec as any).containers[0].image, 'busybox');
        const d = await store.delete(podKey('copy-b', 'copies'));
        d.metadata.name = 'x';
        assert.equal((await store.list('/registry/pods/copies/')).items.length, 1);
      });

      it('each watcher gets its own copy of event objects', async () => {
        const a: StoreEvent[] = [];
        const b: StoreEvent[] = [];
        const from = store.currentRevision();
        const wa = store.watch('/registry/pods/copies2/', { fromRV: from, onEvent: (e) => void a.push(e) });
        const wb = store.watch('/registry/pods/copies2/', { fromRV: from, onEvent: (e) => void b.push(e) });
        await store.create(podKey('x', 'copies2'), pod('x', 'copies2'));
        await waitFor(() => a.length === 1 && b.length === 1);
        a[0].object.metadata.name = 'HACKED';
        assert.equal(b[0].object.metadata.name, 'x');
        assert.equal((await store.get(podKey('x', 'copies2')))!.metadata.name, 'x');
        wa.stop();
        wb.stop();
      });
    });

    describe('list', () => {
      const ns = 'listns';
      const names = Array.from({ length: 25 }, (_, i) => `p${String(i).padStart(2, '0')}`);
      before(async () => {
        // Insert in a scrambled order; lists must come back ordered by key.
        const order = [...names].sort((x, y) => (x.split('').reverse().join('') < y.split('').reverse().join('') ? -1 : 1));
        for (const n of order) {
          await store.create(podKey(n, ns), pod(n, ns, { spec: { idx: Number(n.slice(1)) } }));
        }
        // Neighbours that share a textual prefix must not leak in.
        await store.create(podKey('p00', `${ns}2`), pod('p00', `${ns}2`));
        await store.create(`/registry/services/${ns}/p00`, pod('svc', ns));
      });

      it('returns items under the prefix, ordered by key, with the current revision', async () => {
        const r = await store.list(`/registry/pods/${ns}/`);
        assert.deepEqual(
          r.items.map((o) => o.metadata.name),
          names,
        );
        assert.equal(r.resourceVersion, store.currentRevision());
        assert.equal(r.continue, undefined);
        assert.equal(r.remainingItemCount, undefined);
        for (const o of r.items) assert.ok(Number(o.metadata.resourceVersion) > 0);
        const all = await store.list('/registry/pods/');
        const keys = all.items.map((o) => `/registry/pods/${o.metadata.namespace}/${o.metadata.name}`);
        assert.deepEqual(keys, [...keys].sort());
        assert.ok(all.items.some((o) => o.metadata.namespace === `${ns}2`));
        assert.ok(!all.items.some((o) => o.metadata.name === 'svc'));
        const none = await store.list('/registry/nothing/');
        assert.deepEqual(none.items, []);
      });

      it('pages with limit/continue, keeps the first page revision, reports remainingItemCount', async () => {
        const first = await store.list(`/registry/pods/${ns}/`, { limit: 10 });
        assert.deepEqual(
          first.items.map((o) => o.metadata.name),
          names.slice(0, 10),
        );
        assert.ok(first.continue);
        assert.equal(first.remainingItemCount, 15);
        const rv0 = first.resourceVersion;
        // A write between pages: later pages report the first page's revision.
        await store.create('/registry/unrelated/x', pod('x'));
        const second = await store.list(`/registry/pods/${ns}/`, { limit: 10, continue: first.continue });
        assert.deepEqual(
          second.items.map((o) => o.metadata.name),
          names.slice(10, 20),
        );
        assert.equal(second.resourceVersion, rv0);
        assert.equal(second.remainingItemCount, 5);
        const third = await store.list(`/registry/pods/${ns}/`, { limit: 10, continue: second.continue });
        assert.deepEqual(
          third.items.map((o) => o.metadata.name),
          names.slice(20),
        );
        assert.equal(third.continue, undefined);
        assert.equal(third.resourceVersion, rv0);
        // limit exactly equal to the number of items: no continue.
        const exact = await store.list(`/registry/pods/${ns}/`, { limit: 25 });
        assert.equal(exact.items.length, 25);
        assert.equal(exact.continue, undefined);
      });

      it('applies the predicate before paging', async () => {
        const even = (o: KubeObject) => (o.spec as { idx: number }).idx % 2 === 0;
        const all = await store.list(`/registry/pods/${ns}/`, { predicate: even });
        assert.equal(all.items.length, 13);
        const got: string[] = [];
        let cont: string | undefined;
        let pages = 0;
        do {
          const page = await store.list(`/registry/pods/${ns}/`, { predicate: even, limit: 4, continue: cont });
          assert.ok(page.items.length <= 4);
          if (page.continue) assert.equal(page.items.length, 4);
          got.push(...page.items.map((o) => o.metadata.name!));
          cont = page.continue;
          pages++;
        } while (cont);
        assert.equal(pages, 4);
        assert.deepEqual(
          got,
          names.filter((_, i) => i % 2 === 0),
        );
      });

      it('later pages show the first page revision: writes since then under the prefix are undone', async () => {
        const cns = 'consistentns';
        const prefix = `/registry/pods/${cns}/`;
        for (const n of ['c1', 'c2', 'c3', 'c4', 'c5', 'c6']) await store.create(podKey(n, cns), pod(n, cns));
        const first = await store.list(prefix, { limit: 2 });
        assert.deepEqual(
          first.items.map((o) => o.metadata.name),
          ['c1', 'c2'],
        );
        assert.equal(first.remainingItemCount, 4);
        const before4 = (await store.get(podKey('c4', cns)))!;
        // after the first page: one deleted, one added in the range, one changed, one deleted and made again
        await store.delete(podKey('c3', cns));
        await store.create(podKey('c3a', cns), pod('c3a', cns));
        await store.update(podKey('c4', cns), pod('c4', cns, { spec: { changed: true } }));
        await store.delete(podKey('c5', cns));
        await store.create(podKey('c5', cns), pod('c5', cns, { spec: { again: true } }));
        await store.create(podKey('c0', cns), pod('c0', cns)); // before the continue position: not in later pages anyway
        const second = await store.list(prefix, { limit: 2, continue: first.continue });
        assert.equal(second.resourceVersion, first.resourceVersion);
        assert.deepEqual(
          second.items.map((o) => o.metadata.name),
          ['c3', 'c4'],
        );
        assert.deepEqual(second.items[1], before4, 'c4 as it was at the first page');
        assert.equal(second.remainingItemCount, 2);
        const raw = await store.listRaw?.(prefix, { limit: 2, continue: first.continue });
        if (raw)
          assert.deepEqual(
            raw.items.map((j) => JSON.parse(j.toString('utf8'))),
            second.items,
          );
        const third = await store.list(prefix, { limit: 2, continue: second.continue });
        assert.deepEqual(
          third.items.map((o) => [o.metadata.name, o.spec]),
          [
            ['c5', pod('c5').spec],
            ['c6', pod('c6').spec],
          ],
        );
        assert.equal(third.continue, undefined);
        assert.ok([...second.items, ...third.items].every((o) => rvOf(o) <= first.resourceVersion));
        // a new list shows the writes
        assert.deepEqual(
          (await store.list(prefix)).items.map((o) => o.metadata.name),
          ['c0', 'c1', 'c2', 'c3a', 'c4', 'c5', 'c6'],
        );
      });

      it('a long list is a snapshot at its revision and leaves the event loop to writes while it walks', async () => {
        const bigNs = 'snapshotns';
        const n = 600;
        for (let i = 0; i < n; i++) await store.create(podKey(`s${String(i).padStart(4, '0')}`, bigNs), pod(`s${i}`, bigNs));
        const prefix = `/registry/pods/${bigNs}/`;
        const rv0 = store.currentRevision();
        let writesDone = false;
        let rowsAfterWrites = 0;
        let first = true;
        const slow = (o: KubeObject) => {
          // the first row takes long enough that the walk must pause before the rest
          if (first) {
            first = false;
            const t = Date.now();
            while (Date.now() - t < 20);
          }
          if (writesDone) rowsAfterWrites++;
          return o.metadata.name !== 'none';
        };
        const listing = store.list(prefix, { predicate: slow });
        const rawListing = store.listRaw?.(prefix);
        // writes that run while the lists walk: neither list shows them
        await store.delete(podKey('s0599', bigNs));
        await store.create(podKey('s0600', bigNs), pod('s600', bigNs));
        await store.update(podKey('s0300', bigNs), pod('s300', bigNs, { spec: { changed: true } }));
        writesDone = true;
        const r = await listing;
        assert.ok(rowsAfterWrites > 0, 'the walk went on after the writes (it yielded)');
        assert.equal(r.resourceVersion, rv0);
        assert.equal(r.items.length, n);
        assert.equal(r.items[n - 1]!.metadata.name, 's599');
        assert.equal((r.items[300]!.spec as { changed?: boolean }).changed, undefined);
        assert.ok(r.items.every((o) => rvOf(o) <= rv0));
        if (rawListing) {
          const raw = await rawListing;
          assert.equal(raw.resourceVersion, rv0);
          assert.deepEqual(
            raw.items.map((j) => JSON.parse(j.toString('utf8'))),
            r.items,
          );
        }
        // the next list shows them; remainingItemCount counts the keys there are now
        const page = await store.list(prefix, { limit: 100 });
        assert.equal(page.remainingItemCount, n - 100);
        const after = await store.list(prefix, { limit: 100, continue: page.continue });
        assert.equal(after.remainingItemCount, n - 200);
        const last = await store.list(prefix, { limit: 550 });
        assert.equal(last.remainingItemCount, n - 550);
        assert.equal(((await store.list(prefix)).items.find((o) => o.metadata.name === 's300')!.spec as { changed?: boolean }).changed, true);
      });

      it('listRaw (when implemented) matches list: same items as JSON bytes, same paging', async (t) => {
        if (!store.listRaw) return t.skip('backend has no listRaw');
        const prefix = `/registry/pods/${ns}/`;
        const full = await store.list(prefix);
        const raw = await store.listRaw(prefix);
        assert.equal(raw.resourceVersion, full.resourceVersion);
        assert.deepEqual(
          raw.items.map((j) => JSON.parse(j.toString('utf8'))),
          full.items,
        );
        const even = (o: KubeObject) => (o.spec as { idx: number }).idx % 2 === 0;
        const p1 = await store.listRaw(prefix, { limit: 5, predicate: even });
        assert.deepEqual(
          p1.items.map((j) => JSON.parse(j.toString('utf8')).metadata.name),
          ['p00', 'p02', 'p04', 'p06', 'p08'],
        );
        const p2 = await store.listRaw(prefix, { limit: 5, predicate: even, continue: p1.continue });
        assert.deepEqual(
          p2.items.map((j) => JSON.parse(j.toString('utf8')).metadata.name),
          ['p10', 'p12', 'p14', 'p16', 'p18'],
        );
        const q = await store.listRaw(prefix, { limit: 20 });
        assert.equal(q.remainingItemCount, 5);
        await expectStorageError(store.listRaw(prefix, { continue: 'x' }), 'InvalidContinue');
      });

      it('rejects a malformed continue token with InvalidContinue', async () => {
        for (const bad of [
          'garbage!!',
          Buffer.from('not json').toString('base64'),
          Buffer.from('{"v":"x","rv":1,"start":"a"}').toString('base64'),
          Buffer.from('{"v":"meta.k8s.io/v1","rv":"1","start":"a"}').toString('base64'),
          Buffer.from('[]').toString('base64'),
        ]) {
          await expectStorageError(store.list(`/registry/pods/${ns}/`, { limit: 2, continue: bad }), 'InvalidContinue');
        }
      });
    });

    describe('watch', () => {
      const collect = (prefix: string, fromRV: number) => {
        const events: StoreEvent[] = [];
        const closed: string[] = [];
        const w = store.watch(prefix, { fromRV, onEvent: (e) => void events.push(e), onClose: (r) => void closed.push(r) });
        return { events, closed, w };
      };

      it('delivers ADDED/MODIFIED/DELETED asynchronously, in order, with correct revisions', async () => {
        const from = store.currentRevision();
        const { events, w } = collect('/registry/pods/watch1/', from);
        const c = await store.create(podKey('a', 'watch1'), pod('a', 'watch1'));
        const u = await store.guaranteedUpdate(podKey('a', 'watch1'), (cur) => ({ ...cur, status: { phase: 'Running' } }));
        // Delivery never happens inside the writer's call stack.
        let syncDelivered = false;
        const n = events.length;
        void store.delete(podKey('a', 'watch1'));
        syncDelivered = events.length !== n;
        assert.equal(syncDelivered, false, 'event delivered synchronously inside delete()');
        await waitFor(() => events.length === 3, 5000, '3 events');
        assert.deepEqual(
          events.map((e) => e.type),
          ['ADDED', 'MODIFIED', 'DELETED'],
        );
        assert.deepEqual(
          events.map((e) => e.resourceVersion),
          [rvOf(c), rvOf(u), rvOf(u) + 1],
        );
        assert.equal(events[0].object.metadata.resourceVersion, String(rvOf(c)));
        assert.equal(events[0].prevObject, undefined);
        assert.equal(events[1].prevObject!.metadata.resourceVersion, String(rvOf(c)));
        assert.deepEqual(events[1].object.status, { phase: 'Running' });
        // DELETED carries the last state with the deletion's revision; prevObject keeps the old one.
        assert.equal(events[2].object.metadata.resourceVersion, String(rvOf(u) + 1));
        assert.deepEqual(events[2].object.status, { phase: 'Running' });
        assert.equal(events[2].prevObject!.metadata.resourceVersion, String(rvOf(u)));
        assert.equal(events[2].key, podKey('a', 'watch1'));
        // objectJSON, when provided, is the same object as text and is not enumerable.
        for (const e of events) {
          if (e.objectJSON !== undefined) assert.deepEqual(JSON.parse(e.objectJSON), e.object);
          assert.ok(!Object.keys(e).includes('objectJSON'));
        }
        w.stop();
      });

      it('filters by prefix and delivers every event without gaps', async () => {
        const from = store.currentRevision();
        const mine = collect('/registry/pods/watch2/', from);
        const everything = collect('/registry/', from);
        const N = 300;
        const writes: Promise<unknown>[] = [];
        for (let i = 0; i < N; i++) {
          const ns = i % 3 === 0 ? 'watch2' : 'watch2-other';
          writes.push(store.create(podKey(`p${i}`, ns), pod(`p${i}`, ns)));
        }
        await Promise.all(writes);
        await waitFor(() => everything.events.length === N && mine.events.length === 100, 5000, 'all events');
        const rvs = everything.events.map((e) => e.resourceVersion);
        for (let i = 0; i < N; i++) assert.equal(rvs[i], from + 1 + i, 'gap or reordering');
        assert.ok(mine.events.every((e) => e.key.startsWith('/registry/pods/watch2/')));
        const mineRVs = mine.events.map((e) => e.resourceVersion);
        assert.deepEqual(
          mineRVs,
          [...mineRVs].sort((a, b) => a - b),
        );
        mine.w.stop();
        everything.w.stop();
      });

      it('replays history from an older revision and then continues live', async () => {
        const from = store.currentRevision();
        await store.create(podKey('h1', 'watch3'), pod('h1', 'watch3'));
        await store.create(podKey('h2', 'watch3'), pod('h2', 'watch3'));
        await store.create(podKey('h3', 'watch3'), pod('h3', 'watch3'));
        const { events, w } = collect('/registry/pods/watch3/', from + 1); // skip h1
        await store.create(podKey('h4', 'watch3'), pod('h4', 'watch3'));
        await waitFor(() => events.length === 3);
        assert.deepEqual(
          events.map((e) => e.object.metadata.name),
          ['h2', 'h3', 'h4'],
        );
        assert.deepEqual(
          events.map((e) => e.resourceVersion),
          [from + 2, from + 3, from + 4],
        );
        w.stop();
      });

      it('watching from the current revision is always valid and sees only later events', async () => {
        await store.create(podKey('cur0', 'watch4'), pod('cur0', 'watch4'));
        const { events, w } = collect('/registry/pods/watch4/', store.currentRevision());
        await store.create(podKey('cur1', 'watch4'), pod('cur1', 'watch4'));
        await waitFor(() => events.length === 1);
        await new Promise((r) => setTimeout(r, 10));
        assert.equal(events.length, 1);
        assert.equal(events[0].object.metadata.name, 'cur1');
        w.stop();
      });

      it('stop() ends delivery, including events already queued', async () => {
        const { events, closed, w } = collect('/registry/pods/watch5/', store.currentRevision());
        await store.create(podKey('s1', 'watch5'), pod('s1', 'watch5'));
        await waitFor(() => events.length === 1);
        void store.create(podKey('s2', 'watch5'), pod('s2', 'watch5')); // queued, not yet delivered
        w.stop();
        await store.create(podKey('s3', 'watch5'), pod('s3', 'watch5'));
        await new Promise((r) => setTimeout(r, 20));
        assert.equal(events.length, 1);
        assert.deepEqual(closed, [], 'onClose is only for store-initiated termination');
      });

      it('drops a slow watcher with onClose("too slow") while writes and other watchers proceed', async () => {
        const from = store.currentRevision();
        const fast = collect('/registry/pods/slow/', from);
        let slowGot = 0;
        const slowClosed: string[] = [];
        const slow = store.watch('/registry/pods/slow/', {
          fromRV: from,
          maxQueue: 50,
          // Back-pressure that never releases: a consumer that stopped reading.
          onEvent: () => {
            slowGot++;
            return new Promise<void>(() => {});
          },
          onClose: (r) => void slowClosed.push(r),
        });
        const N = 200;
        const t0 = Date.now();
        for (let i = 0; i < N; i++) await store.create(podKey(`s${i}`, 'slow'), pod(`s${i}`, 'slow'));
        assert.ok(Date.now() - t0 < 10_000);
        await waitFor(() => slowClosed.length === 1 && fast.events.length === N, 5000, 'slow watcher dropped');
        assert.deepEqual(slowClosed, ['too slow']);
        assert.equal(slowGot, 1);
        assert.equal(fast.closed.length, 0);
        assert.equal(fast.events.length, N);
        slow.stop(); // harmless after termination
        fast.w.stop();
      });

      it('drops a watcher whose queue overflows within one synchronous burst of writes', async () => {
        const closed: string[] = [];
        let got = 0;
        const w = store.watch('/registry/pods/burst/', {
          fromRV: store.currentRevision(),
          maxQueue: 10,
          onEvent: () => void got++,
          onClose: (r) => void closed.push(r),
        });
        const writes: Promise<unknown>[] = [];
        for (let i = 0; i < 30; i++) writes.push(store.create(podKey(`b${i}`, 'burst'), pod(`b${i}`, 'burst')));
        await Promise.all(writes);
        await waitFor(() => closed.length === 1);
        assert.deepEqual(closed, ['too slow']);
        w.stop();
      });

      it('close() terminates watchers with onClose', async () => {
        const { store: s2, cleanup: c2 } = await make();
        const closed: string[] = [];
        s2.watch('/registry/', { fromRV: s2.currentRevision(), onEvent: () => {}, onClose: (r) => void closed.push(r) });
        await s2.close();
        await waitFor(() => closed.length === 1);
        await c2();
      });
    });

    describe('watch history', () => {
      it('a continue token older than the history is Expired (as etcd answers a compacted revision)', async () => {
        const { store: s, cleanup: c } = await make({ historySize: 5 });
        try {
          for (let i = 0; i < 4; i++) await s.create(podKey(`k${i}`, 'cexp'), pod(`k${i}`, 'cexp'));
          const first = await s.list('/registry/pods/cexp/', { limit: 2 });
          // writes elsewhere keep it reachable while the history holds the first page's revision
          await s.create(podKey('x', 'other'), pod('x', 'other'));
          assert.equal((await s.list('/registry/pods/cexp/', { limit: 2, continue: first.continue })).items.length, 2);
          for (let i = 0; i < 6; i++) await s.create(podKey(`y${i}`, 'other'), pod(`y${i}`, 'other'));
          const err = await expectStorageError(s.list('/registry/pods/cexp/', { limit: 2, continue: first.continue }), 'Expired');
          assert.match(err.message, /The provided continue parameter is too old to display a consistent list result/);
          if (s.listRaw) await expectStorageError(s.listRaw('/registry/pods/cexp/', { limit: 2, continue: first.continue }), 'Expired');
          // a fresh list pages on
          const again = await s.list('/registry/pods/cexp/', { limit: 2 });
          assert.equal((await s.list('/registry/pods/cexp/', { limit: 2, continue: again.continue })).items.length, 2);
        } finally {
          await s.close();
          await c();
        }
      });

      it('throws Expired for a revision older than the retained history', async () => {
        const { store: s, cleanup: c } = await make({ historySize: 5 });
        try {
          const start = s.currentRevision();
          for (let i = 0; i < 12; i++) await s.create(podKey(`e${i}`, 'exp'), pod(`e${i}`, 'exp'));
          const cur = s.currentRevision();
          assert.equal(cur, start + 12);
          const err = await expectStorageError(() => s.watch('/registry/', { fromRV: start, onEvent: () => {} }), 'Expired');
          assert.match(err.message, /too old resource version/);
          await expectStorageError(() => s.watch('/registry/', { fromRV: cur - 6, onEvent: () => {} }), 'Expired');
          // The oldest still-reachable revision works and replays exactly the retained tail.
          const events: StoreEvent[] = [];
          const w = s.watch('/registry/', { fromRV: cur - 5, onEvent: (e) => void events.push(e) });
          await waitFor(() => events.length === 5);
          assert.deepEqual(
            events.map((e) => e.resourceVersion),
            [cur - 4, cur - 3, cur - 2, cur - 1, cur],
          );
          w.stop();
          const w2 = s.watch('/registry/', { fromRV: cur, onEvent: () => {} });
          w2.stop();
        } finally {
          await s.close();
          await c();
        }
      });
    });

    describe('guaranteedUpdate', () => {
      it('is atomic read-modify-write under concurrent callers', async () => {
        const key = podKey('counter', 'gu');
        await store.create(key, pod('counter', 'gu', { data: { n: 0 } }));
        const before = store.currentRevision();
        await Promise.all(Array.from({ length: 50 }, () => store.guaranteedUpdate(key, (cur) => ({ ...cur, data: { n: (cur.data as { n: number }).n + 1 } }))));
        const got = await store.get(key);
        assert.equal((got!.data as { n: number }).n, 50);
        assert.equal(store.currentRevision(), before + 50);
        assert.equal(rvOf(got!), before + 50);
      });

      it('passes a copy with the current resourceVersion; undefined leaves it unchanged', async () => {
        const key = podKey('gu2', 'gu');
        const c = await store.create(key, pod('gu2', 'gu'));
        const rv = store.currentRevision();
        let seen: KubeObject | undefined;
        const r = await store.guaranteedUpdate(key, (cur) => {
          seen = cur;
          cur.metadata.name = 'mutated-but-discarded';
          return undefined;
        });
        assert.equal(seen!.metadata.resourceVersion, c.metadata.resourceVersion);
        assert.equal(r.metadata.name, 'gu2');
        assert.equal(store.currentRevision(), rv);
      });

      it('a throwing fn aborts without writing; missing key is NotFound', async () => {
        const key = podKey('gu3', 'gu');
        await store.create(key, pod('gu3', 'gu'));
        const rv = store.currentRevision();
        await assert.rejects(
          store.guaranteedUpdate(key, () => {
            throw new Error('nope');
          }),
          /nope/,
        );
        assert.equal(store.currentRevision(), rv);
        await expectStorageError(
          store.guaranteedUpdate(podKey('gu-missing', 'gu'), (c) => c),
          'NotFound',
        );
      });
    });
  });
}
