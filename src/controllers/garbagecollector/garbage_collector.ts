// The garbage collector controller (upstream's GarbageCollector): watches every deletable resource (found through
// discovery, re-read every 30 s so kinds that appear later are watched too), keeps the dependency graph, and
// carries out its work items: attemptToDelete verifies an object's owners by live reads (UID checked) and deletes
// it when none is left, and completes Foreground deletion (delete dependents, wait for the blocking ones, remove
// the owner's foregroundDeletion finalizer); attemptToOrphan removes the owner's references from its dependents,
// then its orphan finalizer.
import type { KubeObject, OwnerReference } from '../../api/types.js';
import { isStatusError } from '../../api/errors.js';
import { Controller } from '../../client/controller.js';
import { EventRecorder } from '../../client/events.js';
import type { SharedInformerFactory } from '../../client/informer_factory.js';
import type { KubeClient } from '../../client/rest.js';
import type { HandlerRegistration, SharedIndexInformer } from '../../client/shared_informer.js';
import { collectionPath, ResourceClient, type ResourceRef } from '../../client/typed.js';
import { errMessage, type Logger } from '../../log/logger.js';
import { discoverDeletableResources, kindKey, type DiscoveredResources } from './discovery.js';
import { DependencyGraph, FINALIZER_FOREGROUND, FINALIZER_ORPHAN, type GraphActions, type GraphNode, type ObjectIdentity } from './graph.js';

export interface GarbageCollectorOptions {
  /** --concurrent-gc-syncs (default 20). */
  workers?: number;
  /** How often discovery is read again for new resources (default 30 s, as upstream's GC resync). */
  discoveryPeriodMs?: number;
  log?: Logger;
  factory?: SharedInformerFactory;
}

/** How many owner UIDs confirmed absent are remembered (upstream's absentOwnerCache). */
const ABSENT_CACHE_SIZE = 500;

const code = (e: unknown) => (isStatusError(e) ? e.status.code : undefined);

export class GarbageCollector extends Controller {
  private readonly graph: DependencyGraph;
  private resources: DiscoveredResources = { watched: [], byKind: new Map() };
  private readonly watched = new Set<string>();
  private readonly lateRegistrations: HandlerRegistration[] = [];
  private readonly absent = new Map<string, true>();
  private readonly reportedInvalid = new Set<string>();
  private readonly recorder: EventRecorder;
  private discoveryTimer?: NodeJS.Timeout;
  private lastDiscovery = 0;
  private halted = false;
  private baseStarted = false;

  constructor(
    private readonly client: KubeClient,
    private readonly opts: GarbageCollectorOptions = {},
  ) {
    super({ name: 'garbagecollector', client, factory: opts.factory, log: opts.log, workers: opts.workers ?? 20 });
    this.graph = new DependencyGraph((apiVersion, kind) => this.resources.byKind.get(kindKey(apiVersion, kind))?.namespaced);
    this.recorder = new EventRecorder(client, { component: 'garbage-collector-controller' }, (e) =>
      this.log.debug({ err: errMessage(e) }, 'Failed to write an event'),
    );
  }

  /** The graph (for tests and debugging). */
  dependencyGraph(): DependencyGraph {
    return this.graph;
  }

  override start(): void {
    void this.run();
  }

  private async run(): Promise<void> {
    while (!this.halted) {
      try {
        await this.syncResources();
        break;
      } catch (e) {
        this.log.warn({ err: errMessage(e) }, 'Failed to discover deletable resources; retrying');
        await new Promise((r) => setTimeout(r, 2000));
      }
    }
    if (this.halted) return;
    this.baseStarted = true;
    super.start();
    this.log.info({ resources: this.watched.size }, 'Garbage collector: all resource monitors started');
    const period = this.opts.discoveryPeriodMs ?? 30_000;
    this.discoveryTimer = setInterval(() => {
      this.syncResources().catch((e) => this.log.warn({ err: errMessage(e) }, 'Failed to discover deletable resources'));
    }, period);
    this.discoveryTimer.unref?.();
  }

  override async stop(): Promise<void> {
    this.halted = true;
    clearInterval(this.discoveryTimer);
    for (const r of this.lateRegistrations) r.remove();
    if (this.baseStarted) await super.stop();
  }

  /** Reads discovery and watches the resources not watched yet (upstream's resyncMonitors). */
  private async syncResources(): Promise<void> {
    this.lastDiscovery = Date.now();
    const found = await discoverDeletableResources(this.client);
    this.resources = found;
    for (const ref of found.watched) {
      const key = collectionPath(ref);
      if (this.watched.has(key)) continue;
      this.watched.add(key);
      const informer = this.factory.informerFor<KubeObject>(ref);
      const handlers = {
        onAdd: (o: KubeObject) => this.apply(this.graph.observe(this.withKind(o, ref))),
        onUpdate: (_old: KubeObject, o: KubeObject) => this.apply(this.graph.observe(this.withKind(o, ref))),
        onDelete: (o: KubeObject) => {
          if (o.metadata.uid) this.rememberAbsent(o.metadata.namespace ?? '', o.metadata.uid);
          this.apply(this.graph.remove(o.metadata.uid ?? ''));
        },
      };
      if (!this.baseStarted) {
        this.watch(informer, handlers);
      } else {
        this.log.info({ resource: key }, 'Garbage collector: watching a new resource');
        this.lateRegistrations.push(informer.addEventHandler(handlers));
        (informer as SharedIndexInformer).start();
      }
    }
  }

  /** Lists may leave out apiVersion/kind; the graph needs them to name objects. */
  private withKind(o: KubeObject, ref: ResourceRef): KubeObject {
    if (o.apiVersion && o.kind) return o;
    for (const [k, r] of this.resources.byKind) {
      if (r.group === ref.group && r.version === ref.version && r.resource === ref.resource) {
        const i = k.lastIndexOf('/');
        return { ...o, apiVersion: k.slice(0, i), kind: k.slice(i + 1) };
      }
    }
    return o;
  }

  private apply(a: GraphActions): void {
    for (const n of a.attemptToDelete) this.queue.add(`delete/${n.identity.uid}`);
    for (const n of a.attemptToOrphan) this.queue.add(`orphan/${n.identity.uid}`);
    for (const inv of a.invalidNamespace) this.reportInvalidNamespace(inv.dependent.identity, inv.owner, inv.ownerNamespace);
  }

  private reportInvalidNamespace(dep: ObjectIdentity, owner: OwnerReference, namespace: string): void {
    const key = `${dep.uid}/${owner.uid}`;
    if (this.reportedInvalid.has(key)) return;
    this.reportedInvalid.add(key);
    const ref = `[${owner.apiVersion}/${owner.kind}, namespace: ${namespace}, name: ${owner.name}, uid: ${owner.uid}]`;
    this.recorder.event(
      { apiVersion: dep.apiVersion, kind: dep.kind, metadata: { name: dep.name, namespace: dep.namespace || undefined, uid: dep.uid } },
      'Warning',
      'OwnerRefInvalidNamespace',
      `ownerRef ${ref} does not exist in namespace "${namespace}"`,
    );
  }

  private rememberAbsent(namespace: string, uid: string): void {
    const key = `${namespace}/${uid}`;
    this.absent.delete(key);
    this.absent.set(key, true);
    if (this.absent.size > ABSENT_CACHE_SIZE) this.absent.delete(this.absent.keys().next().value!);
  }

  private mapping(apiVersion: string, kind: string): ResourceRef {
    const ref = this.resources.byKind.get(kindKey(apiVersion, kind));
    if (!ref) {
      // a kind served since the last discovery? read it again (at most every 5 s)
      if (Date.now() - this.lastDiscovery > 5000) void this.syncResources().catch(() => {});
      throw new Error(`unable to map ${apiVersion}, Kind=${kind} to a resource`);
    }
    return ref;
  }

  private clientFor(id: { apiVersion: string; kind: string; namespace: string }): ResourceClient {
    const ref = this.mapping(id.apiVersion, id.kind);
    return new ResourceClient(this.client, ref, ref.namespaced ? id.namespace : undefined);
  }

  private async getLive(id: ObjectIdentity): Promise<KubeObject | undefined> {
    try {
      return await this.clientFor(id).get(id.name);
    } catch (e) {
      if (code(e) === 404) return undefined;
      throw e;
    }
  }

  protected async reconcile(key: string): Promise<{ requeueAfterMs: number } | void> {
    const i = key.indexOf('/');
    const kind = key.slice(0, i);
    const uid = key.slice(i + 1);
    if (kind === 'orphan') return this.attemptToOrphan(uid);
    return this.attemptToDelete(uid);
  }

  /** upstream attemptToDeleteItem */
  private async attemptToDelete(uid: string): Promise<{ requeueAfterMs: number } | void> {
    const node = this.graph.get(uid);
    if (!node) return;
    if (node.beingDeleted && !node.deletingDependents) return;
    const latest = await this.getLive(node.identity);
    if (!latest || latest.metadata.uid !== uid) {
      // gone (or replaced): the node leaves the graph and its dependents are checked
      this.rememberAbsent(node.identity.namespace, uid);
      this.apply(node.observed ? this.graph.remove(uid) : this.graph.removeVirtual(uid));
      return;
    }
    if (node.deletingDependents) return this.processDeletingDependents(node);
    const refs = latest.metadata.ownerReferences ?? [];
    if (refs.length > 0) await this.deleteIfOwnersGone(node, latest, refs);
    // a virtual node for an object that exists: look again once an informer has delivered it
    if (!node.observed && this.graph.get(uid) === node) return { requeueAfterMs: 5000 };
  }

  private async deleteIfOwnersGone(node: GraphNode, latest: KubeObject, refs: OwnerReference[]): Promise<void> {
    const solid: OwnerReference[] = [];
    const dangling: OwnerReference[] = [];
    const waiting: OwnerReference[] = [];
    for (const ref of refs) {
      const owner = await this.ownerState(node.identity, ref);
      if (owner === 'unresolvable') solid.push(ref);
      else if (owner === undefined) dangling.push(ref);
      else if (owner.metadata.deletionTimestamp && (owner.metadata.finalizers ?? []).includes(FINALIZER_FOREGROUND)) waiting.push(ref);
      else solid.push(ref);
    }
    const id = node.identity;
    if (solid.length > 0) {
      if (dangling.length + waiting.length === 0) return;
      // keep the object (it has a live owner); drop the references to owners that are gone or going
      const drop = new Set([...dangling, ...waiting].map((r) => r.uid));
      this.log.debug({ object: this.describe(id), owners: [...drop] }, 'Removing dangling and waiting ownerReferences');
      await this.patchOwnerRefs(id, (cur) => cur.filter((r) => !drop.has(r.uid)));
      return;
    }
    let policy: 'Orphan' | 'Foreground' | 'Background';
    if (waiting.length > 0 && node.dependents.size > 0) {
      // it is an owner itself: delete it in the foreground so its owner waits for its dependents too; a cycle of
      // foreground deletions is broken by unblocking the references to the waiting owners
      if ([...node.dependents].some((d) => d.deletingDependents)) {
        const unblock = new Set(waiting.map((r) => r.uid));
        await this.patchOwnerRefs(id, (cur) => cur.map((r) => (unblock.has(r.uid) ? { ...r, blockOwnerDeletion: false } : r)));
      }
      policy = 'Foreground';
    } else {
      const fin = latest.metadata.finalizers ?? [];
      policy = fin.includes(FINALIZER_ORPHAN) ? 'Orphan' : fin.includes(FINALIZER_FOREGROUND) ? 'Foreground' : 'Background';
    }
    this.log.debug({ object: this.describe(id), propagationPolicy: policy }, 'Deleting object whose owners are gone');
    try {
      await this.clientFor(id).delete(id.name, { propagationPolicy: policy, preconditions: { uid: id.uid } });
    } catch (e) {
      if (code(e) !== 404 && code(e) !== 409) throw e;
    }
  }

  /** The live owner a reference names; undefined when it is absent (or another object has its name now). */
  private async ownerState(dep: ObjectIdentity, ref: OwnerReference): Promise<KubeObject | undefined | 'unresolvable'> {
    const mapping = this.mapping(ref.apiVersion, ref.kind);
    if (mapping.namespaced && !dep.namespace) {
      // a cluster-scoped dependent cannot have a namespaced owner: never collected through this reference
      this.reportInvalidNamespace(dep, ref, '');
      return 'unresolvable';
    }
    const ns = mapping.namespaced ? dep.namespace : '';
    if (this.absent.has(`${ns}/${ref.uid}`)) return undefined;
    let owner: KubeObject | undefined;
    try {
      owner = await new ResourceClient(this.client, mapping, mapping.namespaced ? ns : undefined).get(ref.name);
    } catch (e) {
      if (code(e) !== 404) throw e;
    }
    if (!owner || owner.metadata.uid !== ref.uid) {
      this.rememberAbsent(ns, ref.uid);
      return undefined;
    }
    return owner;
  }

  /** upstream processDeletingDependentsItem */
  private async processDeletingDependents(node: GraphNode): Promise<void> {
    const blocking = node.blockingDependents();
    if (blocking.length === 0) {
      await this.removeFinalizer(node.identity, FINALIZER_FOREGROUND);
      return;
    }
    for (const d of blocking) if (!d.deletingDependents) this.queue.add(`delete/${d.identity.uid}`);
  }

  /** upstream attemptToOrphanWorker */
  private async attemptToOrphan(uid: string): Promise<void> {
    const node = this.graph.get(uid);
    if (!node || !node.hasOrphanFinalizer) return;
    for (const d of [...node.dependents]) {
      await this.patchOwnerRefs(d.identity, (cur) => cur.filter((r) => r.uid !== uid));
    }
    await this.removeFinalizer(node.identity, FINALIZER_ORPHAN);
    this.log.debug({ object: this.describe(node.identity), dependents: node.dependents.size }, 'Orphaned dependents');
  }

  /** Read-modify-write of an object's ownerReferences, with its resourceVersion as precondition. */
  private async patchOwnerRefs(id: ObjectIdentity, change: (cur: OwnerReference[]) => OwnerReference[]): Promise<void> {
    const c = this.clientFor(id);
    for (let attempt = 0; ; attempt++) {
      const cur = await this.getLive(id);
      if (!cur || cur.metadata.uid !== id.uid) return;
      const refs = cur.metadata.ownerReferences ?? [];
      const next = change(refs);
      if (JSON.stringify(next) === JSON.stringify(refs)) return;
      try {
        await c.patch(id.name, { metadata: { resourceVersion: cur.metadata.resourceVersion, ownerReferences: next.length ? next : null } }, 'merge');
        return;
      } catch (e) {
        if (code(e) === 404) return;
        if (code(e) !== 409 || attempt >= 5) throw e;
      }
    }
  }

  private async removeFinalizer(id: ObjectIdentity, finalizer: string): Promise<void> {
    const c = this.clientFor(id);
    for (let attempt = 0; ; attempt++) {
      const cur = await this.getLive(id);
      if (!cur || cur.metadata.uid !== id.uid) return;
      const fin = cur.metadata.finalizers ?? [];
      if (!fin.includes(finalizer)) return;
      const next = fin.filter((f) => f !== finalizer);
      try {
        await c.patch(id.name, { metadata: { resourceVersion: cur.metadata.resourceVersion, finalizers: next.length ? next : null } }, 'merge');
        this.log.debug({ object: this.describe(id), finalizer }, 'Removed finalizer');
        return;
      } catch (e) {
        if (code(e) === 404) return;
        if (code(e) !== 409 || attempt >= 5) throw e;
      }
    }
  }

  private describe(id: ObjectIdentity): string {
    return `${id.apiVersion}/${id.kind}, namespace: ${id.namespace}, name: ${id.name}, uid: ${id.uid}`;
  }
}
