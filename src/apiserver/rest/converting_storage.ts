// A Storage view that serves a kind in a version other than the one it is stored in (upstream's codec
// converting through the storage version): objects are converted on every write and on every read,
// list and watch event. The raw-list fast path is left out, since stored JSON is the other version.
import type { KubeObject } from '../../api/types.js';
import type { ListOptions, ListResult, Storage, StoreEvent, StoreWatcher, WatchOptions } from '../../storage/interface.js';

export interface VersionConversion {
  /** The served version's object → the stored version's. */
  toStorage(obj: KubeObject): KubeObject;
  /** The stored version's object → the served version's. */
  fromStorage(obj: KubeObject): KubeObject;
}

export function convertingStorage(inner: Storage, c: VersionConversion): Storage {
  const from = (o: KubeObject) => c.fromStorage(o);
  const to = (o: KubeObject) => c.toStorage(o);
  return {
    create: async (key, obj) => from(await inner.create(key, to(obj))),
    get: async (key) => {
      const o = await inner.get(key);
      return o && from(o);
    },
    list: async (prefix, opts: ListOptions = {}): Promise<ListResult> => {
      const pred = opts.predicate;
      const r = await inner.list(prefix, { ...opts, predicate: pred ? (o) => pred(from(o)) : undefined });
      return { ...r, items: r.items.map(from) };
    },
    update: async (key, obj, rv) => from(await inner.update(key, to(obj), rv)),
    guaranteedUpdate: async (key, fn) =>
      from(
        await inner.guaranteedUpdate(key, (cur) => {
          const next = fn(from(cur));
          return next && to(next);
        }),
      ),
    delete: async (key, rv) => from(await inner.delete(key, rv)),
    watch: (prefix, opts: WatchOptions): StoreWatcher =>
      inner.watch(prefix, {
        ...opts,
        onEvent: (ev) => {
          const out: StoreEvent = { type: ev.type, key: ev.key, object: from(ev.object), resourceVersion: ev.resourceVersion };
          if (ev.prevObject) out.prevObject = from(ev.prevObject);
          return opts.onEvent(out);
        },
      }),
    currentRevision: () => inner.currentRevision(),
    close: () => inner.close(),
  };
}
