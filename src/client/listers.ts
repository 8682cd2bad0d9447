// Listers (client-go's generated listers): read-only views of an informer's indexer — all objects or by
// label selector, one namespace's, by owner UID, by node name — so controllers never list through the API.
import type { KubeObject } from '../api/types.js';
import { Indexer, NamespaceIndex, NodeNameIndex, OwnerUIDIndex } from './indexer.js';

/** Label selector as a predicate over labels (e.g. from api/labels' parser), or undefined for everything. */
export type LabelMatcher = (labels: Record<string, string>) => boolean;

const matches = (o: KubeObject, sel?: LabelMatcher) => !sel || sel(o.metadata.labels ?? {});

export class Lister<T extends KubeObject = KubeObject> {
  constructor(private readonly indexer: Indexer<T>) {}

  list(selector?: LabelMatcher): T[] {
    return this.indexer.list().filter((o) => matches(o, selector));
  }

  /** A cluster-scoped object by name (namespaced ones: namespace(ns).get). */
  get(name: string): T | undefined {
    return this.indexer.get(name);
  }

  namespace(ns: string): NamespaceLister<T> {
    return new NamespaceLister(this.indexer, ns);
  }

  /** Objects with an ownerReference to `uid`. */
  byOwner(uid: string): T[] {
    return this.indexer.byIndex(OwnerUIDIndex, uid);
  }

  /** Pods (objects with spec.nodeName) on `node`. */
  byNode(node: string): T[] {
    return this.indexer.byIndex(NodeNameIndex, node);
  }
}

export class NamespaceLister<T extends KubeObject = KubeObject> {
  constructor(
    private readonly indexer: Indexer<T>,
    readonly ns: string,
  ) {}

  list(selector?: LabelMatcher): T[] {
    return this.indexer.byIndex(NamespaceIndex, this.ns).filter((o) => matches(o, selector));
  }

  get(name: string): T | undefined {
    return this.indexer.get(`${this.ns}/${name}`);
  }
}
