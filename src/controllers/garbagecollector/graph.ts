// The garbage collector's dependency graph (upstream's GraphBuilder): one node per object UID seen through the
// informers (or only named by an ownerReference: a "virtual" node), owner → dependents edges, and the work each
// change calls for — verify and maybe delete (attemptToDelete), orphan the dependents (attemptToOrphan).
// Pure: it does no I/O; the collector feeds it informer events and carries out what it returns.
import type { KubeObject, OwnerReference } from '../../api/types.js';

export const FINALIZER_ORPHAN = 'orphan';
export const FINALIZER_FOREGROUND = 'foregroundDeletion';

export interface ObjectIdentity {
  apiVersion: string;
  kind: string;
  /** '' for cluster-scoped objects. */
  namespace: string;
  name: string;
  uid: string;
}

export class GraphNode {
  readonly dependents = new Set<GraphNode>();
  owners: OwnerReference[] = [];
  /** False while known only from a dependent's ownerReference. */
  observed = false;
  beingDeleted = false;
  /** Being deleted with the foregroundDeletion finalizer: waits for its blocking dependents. */
  deletingDependents = false;
  hasOrphanFinalizer = false;
  /** A virtual node left by the owner's observed deletion: whoever references it now has an owner that is gone. */
  deleted = false;

  constructor(public identity: ObjectIdentity) {}

  /** Dependents that hold this owner's deletion (their reference to it has blockOwnerDeletion: true). */
  blockingDependents(): GraphNode[] {
    return [...this.dependents].filter((d) => d.owners.some((o) => o.uid === this.identity.uid && o.blockOwnerDeletion === true));
  }
}

export interface GraphActions {
  /** UIDs to verify (and delete, or unblock) through attemptToDelete. */
  attemptToDelete: GraphNode[];
  /** Owners whose dependents must be orphaned (orphan finalizer). */
  attemptToOrphan: GraphNode[];
  /** Dependents whose ownerReference names a namespaced owner in another namespace (OwnerRefInvalidNamespace). */
  invalidNamespace: { dependent: GraphNode; owner: OwnerReference; ownerNamespace: string }[];
}

/** Whether a kind (by apiVersion + kind) is namespaced; undefined when the kind is unknown. */
export type ScopeOf = (apiVersion: string, kind: string) => boolean | undefined;

function identityOf(obj: KubeObject): ObjectIdentity {
  const m = obj.metadata;
  return { apiVersion: obj.apiVersion ?? '', kind: obj.kind ?? '', namespace: m.namespace ?? '', name: m.name ?? '', uid: m.uid ?? '' };
}

export class DependencyGraph {
  private readonly nodes = new Map<string, GraphNode>();

  constructor(private readonly scopeOf: ScopeOf) {}

  get(uid: string): GraphNode | undefined {
    return this.nodes.get(uid);
  }

  size(): number {
    return this.nodes.size;
  }

  private static actions(): GraphActions {
    return { attemptToDelete: [], attemptToOrphan: [], invalidNamespace: [] };
  }

  /** An object was added or updated (as the informer delivers it). */
  observe(obj: KubeObject): GraphActions {
    const out = DependencyGraph.actions();
    const id = identityOf(obj);
    if (!id.uid) return out;
    let node = this.nodes.get(id.uid);
    const wasObserved = node?.observed ?? false;
    const prev =
      node && wasObserved ? { beingDeleted: node.beingDeleted, deletingDependents: node.deletingDependents, orphan: node.hasOrphanFinalizer } : undefined;
    if (!node) {
      node = new GraphNode(id);
      this.nodes.set(id.uid, node);
    } else if (!wasObserved) {
      // a virtual node becomes real: its dependents in other namespaces referenced it wrongly
      if (id.namespace) {
        for (const d of node.dependents) {
          if (d.identity.namespace !== id.namespace) {
            const ref = d.owners.find((o) => o.uid === id.uid);
            if (ref) out.invalidNamespace.push({ dependent: d, owner: ref, ownerNamespace: d.identity.namespace });
            out.attemptToDelete.push(d);
          }
        }
      }
      node.identity = id;
    }
    node.identity = id;
    node.observed = true;
    this.setOwners(node, obj.metadata.ownerReferences ?? [], out);

    const m = obj.metadata;
    const fin = m.finalizers ?? [];
    node.beingDeleted = !!m.deletionTimestamp;
    node.deletingDependents = node.beingDeleted && fin.includes(FINALIZER_FOREGROUND);
    node.hasOrphanFinalizer = fin.includes(FINALIZER_ORPHAN);
    // startsWaitingForDependentsOrphaned / ...Deleted (also for objects first seen that way, after a restart)
    if (node.beingDeleted && node.hasOrphanFinalizer && !(prev?.beingDeleted && prev.orphan)) out.attemptToOrphan.push(node);
    if (node.deletingDependents && !prev?.deletingDependents) {
      for (const d of node.dependents) out.attemptToDelete.push(d);
      out.attemptToDelete.push(node);
    }
    return out;
  }

  /** Replaces a node's owner references, keeping edges (and virtual owner nodes) in step. */
  private setOwners(node: GraphNode, refs: OwnerReference[], out: GraphActions): void {
    const old = new Map(node.owners.map((o) => [o.uid, o]));
    const next = new Map(refs.filter((o) => o.uid).map((o) => [o.uid, o]));
    node.owners = [...next.values()];
    for (const [uid, ref] of old) {
      const owner = this.nodes.get(uid);
      if (!owner) continue;
      const now = next.get(uid);
      if (!now) {
        owner.dependents.delete(node);
        this.dropIfOrphanVirtual(owner);
      }
      // a dependent no longer blocks its owner: an owner waiting in foreground may go on
      const unblocked = ref.blockOwnerDeletion === true && now?.blockOwnerDeletion !== true;
      if (unblocked && owner.deletingDependents) out.attemptToDelete.push(owner);
    }
    for (const [uid, ref] of next) {
      let owner = this.nodes.get(uid);
      if (!owner) {
        const namespaced = this.scopeOf(ref.apiVersion, ref.kind);
        owner = new GraphNode({
          apiVersion: ref.apiVersion,
          kind: ref.kind,
          namespace: namespaced === false ? '' : node.identity.namespace,
          name: ref.name,
          uid,
        });
        this.nodes.set(uid, owner);
        // verify that the owner exists (it may never be observed: a dangling reference)
        out.attemptToDelete.push(owner);
      } else if (owner.deleted && !old.has(uid)) {
        // a dependent that arrives after its owner's deletion was seen (a create still in flight then)
        out.attemptToDelete.push(node);
      } else if (owner.observed && !old.has(uid) && owner.identity.namespace && owner.identity.namespace !== node.identity.namespace) {
        out.invalidNamespace.push({ dependent: node, owner: ref, ownerNamespace: node.identity.namespace });
        out.attemptToDelete.push(node);
      }
      owner.dependents.add(node);
    }
  }

  private dropIfOrphanVirtual(n: GraphNode): void {
    if (!n.observed && n.dependents.size === 0) this.nodes.delete(n.identity.uid);
  }

  /** An object was deleted; or (virtual = true) a node was verified absent by a live read. */
  remove(uid: string): GraphActions {
    const out = DependencyGraph.actions();
    const node = this.nodes.get(uid);
    if (!node) return out;
    this.nodes.delete(uid);
    for (const ref of node.owners) {
      const owner = this.nodes.get(ref.uid);
      if (!owner) continue;
      owner.dependents.delete(node);
      // one dependent fewer for an owner deleting in the foreground
      if (owner.deletingDependents) out.attemptToDelete.push(owner);
      this.dropIfOrphanVirtual(owner);
    }
    // the dependents lost an owner: each is verified, and deleted if it has no owner left
    for (const d of node.dependents) out.attemptToDelete.push(d);
    // a dependent keeps pointing at a UID that is gone: keep a virtual node so a late event still finds its edges
    if (node.dependents.size > 0) {
      const virtual = new GraphNode(node.identity);
      virtual.deleted = true;
      for (const d of node.dependents) virtual.dependents.add(d);
      this.nodes.set(uid, virtual);
    }
    return out;
  }

  /** A virtual node found absent (or replaced under a new UID) by a live read: dependents are verified. */
  removeVirtual(uid: string): GraphActions {
    const node = this.nodes.get(uid);
    if (!node || node.observed) return DependencyGraph.actions();
    this.nodes.delete(uid);
    const out = DependencyGraph.actions();
    for (const d of node.dependents) out.attemptToDelete.push(d);
    return out;
  }
}
