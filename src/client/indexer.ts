// The informer's local cache (client-go's cache.Indexer over a thread-safe store): objects by
// "namespace/name" key plus secondary indices kept in step on every add/update/delete/replace;
// the standard index functions are by namespace, by owner UID and by a pod's node name.
import type { KubeObject } from '../api/types.js';

/** The values an object is filed under in one index (none: not indexed there). */
export type IndexFunc<T extends KubeObject = KubeObject> = (obj: T) => string[];

export const NamespaceIndex = 'namespace';
export const OwnerUIDIndex = 'ownerUID';
export const NodeNameIndex = 'nodeName';

export function objectKey(o: KubeObject): string {
  return o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : `${o.metadata.name}`;
}

export const namespaceIndexFunc: IndexFunc = (o) => (o.metadata.namespace ? [o.metadata.namespace] : []);
export const ownerUIDIndexFunc: IndexFunc = (o) => (o.metadata.ownerReferences ?? []).map((r) => r.uid).filter((u): u is string => !!u);
export const nodeNameIndexFunc: IndexFunc = (o) => {
  const n = (o.spec as { nodeName?: string } | undefined)?.nodeName;
  return n ? [n] : [];
};

/** The indices every informer of the kit keeps (cheap: a few map entries per object). */
export function defaultIndexers(): Record<string, IndexFunc> {
  return { [NamespaceIndex]: namespaceIndexFunc, [OwnerUIDIndex]: ownerUIDIndexFunc, [NodeNameIndex]: nodeNameIndexFunc };
}

export class Indexer<T extends KubeObject = KubeObject> {
  private items = new Map<string, T>();
  /** index name → indexed value → keys */
  private indices = new Map<string, Map<string, Set<string>>>();
  private indexers = new Map<string, IndexFunc<T>>();

  constructor(indexers: Record<string, IndexFunc<T>> = defaultIndexers() as Record<string, IndexFunc<T>>) {
    for (const [name, fn] of Object.entries(indexers)) this.addIndexer(name, fn);
  }

  /** Adds an index (also over what the store already holds). Adding a name twice is an error. */
  addIndexer(name: string, fn: IndexFunc<T>): void {
    if (this.indexers.has(name)) throw new Error(`indexer ${JSON.stringify(name)} already exists`);
    this.indexers.set(name, fn);
    const index = new Map<string, Set<string>>();
    this.indices.set(name, index);
    for (const [key, obj] of this.items) for (const v of fn(obj)) fileUnder(index, v, key);
  }

  get(key: string): T | undefined {
    return this.items.get(key);
  }

  has(key: string): boolean {
    return this.items.has(key);
  }

  list(): T[] {
    return [...this.items.values()];
  }

  listKeys(): string[] {
    return [...this.items.keys()];
  }

  get size(): number {
    return this.items.size;
  }

  /** Adds or replaces the object at its key; returns the object it replaced. */
  set(obj: T): T | undefined {
    const key = objectKey(obj);
    const old = this.items.get(key);
    if (old) this.unindex(key, old);
    this.items.set(key, obj);
    this.index(key, obj);
    return old;
  }

  delete(key: string): T | undefined {
    const old = this.items.get(key);
    if (!old) return undefined;
    this.unindex(key, old);
    this.items.delete(key);
    return old;
  }

  /** Objects filed under `value` in the named index. */
  byIndex(name: string, value: string): T[] {
    const index = this.indices.get(name);
    if (!index) throw new Error(`index ${JSON.stringify(name)} does not exist`);
    return [...(index.get(value) ?? [])].map((k) => this.items.get(k)!);
  }

  /** Values the named index currently holds. */
  indexValues(name: string): string[] {
    const index = this.indices.get(name);
    if (!index) throw new Error(`index ${JSON.stringify(name)} does not exist`);
    return [...index.keys()];
  }

  private index(key: string, obj: T): void {
    for (const [name, fn] of this.indexers) for (const v of fn(obj)) fileUnder(this.indices.get(name)!, v, key);
  }

  private unindex(key: string, obj: T): void {
    for (const [name, fn] of this.indexers) {
      const index = this.indices.get(name)!;
      for (const v of fn(obj)) {
        const keys = index.get(v);
        if (!keys) continue;
        keys.delete(key);
        if (!keys.size) index.delete(v);
      }
    }
  }
}

function fileUnder(index: Map<string, Set<string>>, value: string, key: string): void {
  let keys = index.get(value);
  if (!keys) index.set(value, (keys = new Set()));
  keys.add(key);
}
