// The generic REST store (upstream's genericregistry.Store): create/get/list/update/delete for any
// ResourceDef on top of Storage — metadata bookkeeping, strategy hooks (defaults, validation, status
// split), optimistic concurrency, graceful deletion and finalizers.
import { isDeepStrictEqual } from 'node:util';
import type { KubeObject, StatusCause } from '../../api/types.js';
import { alreadyExists, badRequest, conflict, invalid, notFound, StatusError, internalError, expired, fieldErr, methodNotAllowed } from '../../api/errors.js';
import { StorageError, type Storage, type ListResult, type RawListResult, type StoreWatcher, type WatchOptions } from '../../storage/interface.js';
import { apiVersionOf, ResourceRegistry, subresourceOf, type ResourceDef } from '../registry.js';
import { generateName, newUID, nowRFC3339, rvOf } from './meta.js';
import { recordUpdateFor } from '../patch/adapter.js';
import { jsonEqual } from './json_equal.js';

/**
 * Admission as the store runs it (upstream passes createValidation/updateValidation/deleteValidation into
 * the registry): `obj` undefined = a delete, `old` undefined = a create. Both reject by throwing.
 */
export interface StoreAdmission {
  /** Mutating admission, before the strategy: may change `obj`. */
  mutate(obj: KubeObject | undefined, old: KubeObject | undefined): Promise<void>;
  /** Validating admission, after the strategy's validation, right before the write. */
  validate(obj: KubeObject | undefined, old: KubeObject | undefined): Promise<void>;
}

export interface WriteOptions {
  dryRun?: boolean;
  /** Records this manager's ownership in metadata.managedFields (operation Update); omit for apply. */
  fieldManager?: string;
  /** Admission for this write (API requests); internal writers pass none. */
  admission?: StoreAdmission;
}

export interface DeleteOptions extends WriteOptions {
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
  propagationPolicy?: string;
  /** Legacy DeleteOptions.orphanDependents (propagationPolicy's predecessor; both set is refused by the handler). */
  orphanDependents?: boolean;
}

/** The finalizers through which the garbage collector carries out Orphan and Foreground deletion. */
export const FINALIZER_ORPHAN = 'orphan';
export const FINALIZER_FOREGROUND = 'foregroundDeletion';

export interface ListQuery {
  predicate?: (obj: KubeObject) => boolean;
  limit?: number;
  continue?: string;
}

export interface DeleteResult {
  object: KubeObject;
  /** True when the object is gone; false when deletion is pending (grace period or finalizers). */
  deleted: boolean;
}

const MODIFIED_MSG = 'the object has been modified; please apply your changes to the latest version and try again';

export class RESTStore {
  constructor(
    readonly def: ResourceDef,
    private readonly storage: Storage,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  private gr() {
    return { group: this.def.group, resource: this.def.resource };
  }

  key(namespace: string | undefined, name: string): string {
    return ResourceRegistry.key(this.def, namespace, name);
  }

  /** Map storage errors onto API Status errors. */
  private mapErr(e: unknown, name: string): never {
    if (e instanceof StorageError) {
      switch (e.code) {
        case 'NotFound':
          throw notFound(this.gr(), name);
        case 'AlreadyExists':
          throw alreadyExists(this.gr(), name);
        case 'Conflict':
          throw conflict(this.gr(), name, MODIFIED_MSG);
        case 'Expired':
          throw expired(e.message);
        case 'InvalidContinue':
          throw badRequest(`continue key is not valid: ${e.message}`);
      }
    }
    if (e instanceof StatusError) throw e;
    throw internalError(e instanceof Error ? e.message : String(e));
  }

  private fail(name: string, causes: StatusCause[]): void {
    if (causes.length) throw invalid(this.def.group, this.def.kind, name, causes);
  }

  async get(namespace: string | undefined, name: string): Promise<KubeObject> {
    const obj = await this.storage.get(this.key(namespace, name));
    if (!obj) throw notFound(this.gr(), name);
    return obj;
  }

  async list(namespace: string | undefined, q: ListQuery = {}): Promise<ListResult> {
    try {
      return await this.storage.list(ResourceRegistry.keyPrefix(this.def, namespace), {
        predicate: q.predicate,
        limit: q.limit,
        continue: q.continue,
      });
    } catch (e) {
      this.mapErr(e, '');
    }
  }

  /** Like list, but items as stored JSON bytes (no parse/serialise round trip); undefined if unsupported. */
  async listRaw(namespace: string | undefined, q: ListQuery = {}): Promise<RawListResult | undefined> {
    if (!this.storage.listRaw) return undefined;
    try {
      return await this.storage.listRaw(ResourceRegistry.keyPrefix(this.def, namespace), { predicate: q.predicate, limit: q.limit, continue: q.continue });
    } catch (e) {
      this.mapErr(e, '');
    }
  }

  /** Watch the kind's keys (in one namespace, or all), through this store's view of storage. */
  watch(namespace: string | undefined, opts: WatchOptions): StoreWatcher {
    return this.storage.watch(ResourceRegistry.keyPrefix(this.def, namespace), opts);
  }

  /** Fill type meta and the server-owned metadata of a new object, then default and validate it. */
  prepareCreate(namespace: string | undefined, obj: KubeObject): KubeObject {
    const def = this.def;
    obj.apiVersion = apiVersionOf(def);
    obj.kind = def.kind;
    const meta = (obj.metadata ??= {});
    if (def.namespaced) {
      if (meta.namespace && namespace && meta.namespace !== namespace) {
        throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
      }
      meta.namespace = namespace ?? meta.namespace;
    } else {
      delete meta.namespace;
    }
    if (!meta.name && meta.generateName) meta.name = generateName(meta.generateName);
    meta.uid = newUID();
    meta.creationTimestamp = nowRFC3339(this.clock());
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    delete meta.resourceVersion;
    if (def.strategy.generationFields) meta.generation = 1;
    else delete meta.generation;
    def.strategy.defaults?.(obj);
    def.strategy.prepareForCreate?.(obj);
    const causes = [...(def.strategy.validate?.(obj) ?? []), ...(def.strategy.validateCreate?.(obj) ?? [])];
    if (!meta.name) causes.unshift(fieldErr.required('metadata.name', 'name or generateName is required'));
    this.fail(meta.name ?? '', causes);
    def.strategy.allocate?.(obj, undefined);
    return obj;
  }

  async create(namespace: string | undefined, obj: KubeObject, opts: WriteOptions = {}): Promise<KubeObject> {
    await opts.admission?.mutate(obj, undefined);
    this.prepareCreate(namespace, obj);
    await opts.admission?.validate(obj, undefined);
    if (opts.fieldManager) recordUpdateFor(this.def, obj, undefined, opts.fieldManager, apiVersionOf(this.def));
    const name = obj.metadata.name!;
    if (opts.dryRun) {
      if (await this.storage.get(this.key(namespace, name))) throw alreadyExists(this.gr(), name);
      return obj;
    }
    try {
      return await this.storage.create(this.key(namespace, name), obj);
    } catch (e) {
      this.mapErr(e, name);
    }
  }

  /**
   * Compute the object an update would store, from the current object and the client's object.
   * `subresource` "status" takes only status from the client; "" takes everything else.
   */
  prepareUpdate(cur: KubeObject, next: KubeObject, subresource: string | undefined, name: string): KubeObject {
    const def = this.def;
    const s = def.strategy;
    next.apiVersion = apiVersionOf(def);
    next.kind = def.kind;
    const meta = (next.metadata ??= {});
    if (meta.name && meta.name !== name) {
      throw badRequest(`the name of the object (${meta.name}) does not match the name on the URL (${name})`);
    }
    if (def.namespaced && meta.namespace && meta.namespace !== cur.metadata.namespace) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    const causes: StatusCause[] = [];
    if (meta.uid && meta.uid !== cur.metadata.uid) {
      causes.push(fieldErr.invalid('metadata.uid', meta.uid, 'field is immutable'));
    }
    if (meta.creationTimestamp && meta.creationTimestamp !== cur.metadata.creationTimestamp) {
      // upstream silently keeps the stored value
    }
    meta.name = cur.metadata.name;
    if (def.namespaced) meta.namespace = cur.metadata.namespace;
    meta.uid = cur.metadata.uid;
    meta.creationTimestamp = cur.metadata.creationTimestamp;
    if (cur.metadata.generation === undefined) delete meta.generation;
    else meta.generation = cur.metadata.generation;
    if (cur.metadata.deletionTimestamp) {
      meta.deletionTimestamp = cur.metadata.deletionTimestamp;
      meta.deletionGracePeriodSeconds = cur.metadata.deletionGracePeriodSeconds;
      const oldF = new Set(cur.metadata.finalizers ?? []);
      const added = (meta.finalizers ?? []).filter((f) => !oldF.has(f));
      if (added.length) {
        causes.push(
          fieldErr.forbidden(
            'metadata.finalizers',
            `no new finalizers can be added if the object is being deleted, found new finalizers ${JSON.stringify(added)}`,
          ),
        );
      }
    } else {
      delete meta.deletionTimestamp;
      delete meta.deletionGracePeriodSeconds;
    }
    if (subresource) {
      // the subresource's strategy decides what of the client's object is kept (status, finalize, binding...)
      const sub = subresourceOf(def, subresource)?.strategy;
      if (!sub) throw methodNotAllowed();
      sub.prepareForUpdate(next, cur);
      causes.push(...(sub.validateUpdate?.(next, cur) ?? []));
    } else {
      s.prepareForUpdate?.(next, cur);
      s.defaults?.(next);
      causes.push(...(s.validate?.(next) ?? []), ...(s.validateUpdate?.(next, cur) ?? []));
      if (s.generationFields && !isDeepStrictEqual(s.generationFields(next), s.generationFields(cur))) meta.generation = (cur.metadata.generation ?? 1) + 1;
    }
    this.fail(name, causes);
    if (!subresource) s.allocate?.(next, cur);
    return next;
  }

  /** True when the stored object would not change (apart from resourceVersion). */
  private unchanged(next: KubeObject, cur: KubeObject): boolean {
    const a = { ...next, metadata: { ...next.metadata, resourceVersion: undefined } };
    const b = { ...cur, metadata: { ...cur.metadata, resourceVersion: undefined } };
    return jsonEqual(a, b);
  }

  /** Objects marked for deletion whose finalizers are all gone are removed by the write that clears them. */
  private shouldDeleteOnUpdate(obj: KubeObject): boolean {
    const m = obj.metadata;
    if (!m.deletionTimestamp || (m.finalizers?.length ?? 0) > 0) return false;
    if (this.def.strategy.checkGracefulDelete && (m.deletionGracePeriodSeconds ?? 0) > 0) return false;
    const specFin = (obj.spec as { finalizers?: string[] } | undefined)?.finalizers;
    if (this.def.kind === 'Namespace' && specFin && specFin.length > 0) return false;
    return true;
  }

  /**
   * Update with a client-supplied object (PUT). With resourceVersion set, it is a precondition;
   * without it, the update is unconditional (retried on races) when the strategy allows. `obj` is the
   * caller's to give: with a precondition (no retry) it is used, and changed, as the desired object.
   */
  async update(
    namespace: string | undefined,
    name: string,
    obj: KubeObject,
    opts: WriteOptions & { subresource?: string } = {},
  ): Promise<{ object: KubeObject; created: boolean }> {
    const key = this.key(namespace, name);
    const wantRV = obj.metadata?.resourceVersion;
    if (wantRV !== undefined && wantRV !== '' && !/^\d+$/.test(String(wantRV))) {
      throw badRequest(`invalid resourceVersion: ${JSON.stringify(wantRV)}`);
    }
    const s = this.def.strategy;
    for (let attempt = 0; ; attempt++) {
      const cur = await this.storage.get(key);
      if (!cur) {
        if (s.allowCreateOnUpdate && !opts.subresource) {
          if (obj.metadata) obj.metadata.name ??= name;
          return { object: await this.create(namespace, obj, opts), created: true };
        }
        throw notFound(this.gr(), name);
      }
      if (wantRV) {
        if (String(wantRV) !== cur.metadata.resourceVersion) throw conflict(this.gr(), name, MODIFIED_MSG);
      } else if (s.allowUnconditionalUpdate === false) {
        throw invalid(this.def.group, this.def.kind, name, [fieldErr.invalid('metadata.resourceVersion', 0, 'must be specified for an update')]);
      }
      // a retry starts again from the client's object, so only then is a copy needed
      const desired = wantRV ? obj : structuredClone(obj);
      await opts.admission?.mutate(desired, cur);
      const next = this.prepareUpdate(cur, desired, opts.subresource, name);
      await opts.admission?.validate(next, cur);
      if (opts.fieldManager) recordUpdateFor(this.def, next, cur, opts.fieldManager, apiVersionOf(this.def), opts.subresource);
      try {
        return { object: await this.commit(key, next, cur, opts), created: false };
      } catch (e) {
        if (!wantRV && e instanceof StorageError && e.code === 'Conflict' && attempt < 5) continue;
        this.mapErr(e, name);
      }
    }
  }

  /**
   * Read-modify-write (used by PATCH and internal writers): `mutate` receives a copy of the current object
   * and returns the desired object; the result goes through the same update rules as PUT.
   */
  async guaranteedUpdate(
    namespace: string | undefined,
    name: string,
    mutate: (cur: KubeObject) => KubeObject,
    opts: WriteOptions & { subresource?: string } = {},
  ): Promise<KubeObject> {
    const key = this.key(namespace, name);
    for (let attempt = 0; ; attempt++) {
      const cur = await this.storage.get(key);
      if (!cur) throw notFound(this.gr(), name);
      const desired = mutate(structuredClone(cur));
      const wantRV = desired.metadata?.resourceVersion;
      if (wantRV && wantRV !== cur.metadata.resourceVersion) throw conflict(this.gr(), name, MODIFIED_MSG);
      await opts.admission?.mutate(desired, cur);
      const next = this.prepareUpdate(cur, desired, opts.subresource, name);
      await opts.admission?.validate(next, cur);
      if (opts.fieldManager) recordUpdateFor(this.def, next, cur, opts.fieldManager, apiVersionOf(this.def), opts.subresource);
      try {
        return await this.commit(key, next, cur, opts);
      } catch (e) {
        if (e instanceof StorageError && e.code === 'Conflict' && attempt < 8) continue;
        this.mapErr(e, name);
      }
    }
  }

  private async commit(key: string, next: KubeObject, cur: KubeObject, opts: WriteOptions): Promise<KubeObject> {
    if (this.unchanged(next, cur)) return cur;
    if (opts.dryRun) return next;
    if (this.shouldDeleteOnUpdate(next)) {
      return await this.storage.delete(key, rvOf(cur));
    }
    return await this.storage.update(key, next, rvOf(cur));
  }

  async delete(namespace: string | undefined, name: string, opts: DeleteOptions = {}): Promise<DeleteResult> {
    const key = this.key(namespace, name);
    for (let attempt = 0; ; attempt++) {
      const cur = await this.storage.get(key);
      if (!cur) throw notFound(this.gr(), name);
      if (opts.admission) {
        // upstream hands admission a copy of the object being deleted
        await opts.admission.mutate(undefined, structuredClone(cur));
        await opts.admission.validate(undefined, structuredClone(cur));
      }
      const pre = opts.preconditions;
      if (pre?.uid && pre.uid !== cur.metadata.uid) {
        throw conflict(this.gr(), name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${cur.metadata.uid}`);
      }
      if (pre?.resourceVersion && pre.resourceVersion !== cur.metadata.resourceVersion) {
        throw conflict(
          this.gr(),
          name,
          `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${cur.metadata.resourceVersion}`,
        );
      }
      try {
        return await this.deleteOnce(key, cur, opts);
      } catch (e) {
        if (e instanceof StorageError && e.code === 'Conflict' && attempt < 8) continue;
        if (e instanceof StorageError && e.code === 'NotFound') throw notFound(this.gr(), name);
        this.mapErr(e, name);
      }
    }
  }

  /**
   * The finalizers a delete leaves on the object for the garbage collector (upstream
   * deletionFinalizersForGarbageCollection): the options' policy wins, then a GC finalizer the object already
   * has, then the kind's default. undefined when they would not change.
   */
  private gcFinalizers(cur: KubeObject, opts: DeleteOptions): string[] | undefined {
    const policy = this.def.strategy.defaultGarbageCollectionPolicy ?? 'DeleteDependents';
    if (policy === 'Unsupported') return undefined;
    const existing = cur.metadata.finalizers ?? [];
    let orphan: boolean;
    let foreground: boolean;
    if (opts.orphanDependents !== undefined) {
      orphan = opts.orphanDependents;
      foreground = false;
    } else if (opts.propagationPolicy) {
      orphan = opts.propagationPolicy === 'Orphan';
      foreground = opts.propagationPolicy === 'Foreground';
    } else {
      const hasOrphan = existing.includes(FINALIZER_ORPHAN);
      foreground = existing.includes(FINALIZER_FOREGROUND);
      orphan = hasOrphan || (!foreground && policy === 'OrphanDependents');
    }
    const next = existing.filter((f) => f !== FINALIZER_ORPHAN && f !== FINALIZER_FOREGROUND);
    if (orphan) next.push(FINALIZER_ORPHAN);
    if (foreground) next.push(FINALIZER_FOREGROUND);
    const a = new Set(existing);
    if (a.size === new Set(next).size && next.every((f) => a.has(f))) return undefined;
    return next;
  }

  private async deleteOnce(key: string, cur: KubeObject, opts: DeleteOptions): Promise<DeleteResult> {
    const s = this.def.strategy;
    const now = this.clock();
    let grace = 0;
    if (s.checkGracefulDelete) grace = s.checkGracefulDelete(cur, opts.gracePeriodSeconds).gracePeriodSeconds;
    const nsFinalizers = this.def.kind === 'Namespace' && ((cur.spec as { finalizers?: string[] })?.finalizers?.length ?? 0) > 0;
    const pending = cur.metadata.deletionTimestamp !== undefined;
    const curGrace = cur.metadata.deletionGracePeriodSeconds ?? 0;
    // A graceful deletion under way may only be shortened, and its finalizers not changed by another delete.
    if (pending && s.checkGracefulDelete && grace >= curGrace) return { object: cur, deleted: false };
    const finalizers = this.gcFinalizers(cur, opts) ?? cur.metadata.finalizers ?? [];

    if (grace === 0 && finalizers.length === 0 && !nsFinalizers) {
      if (opts.dryRun) return { object: cur, deleted: true };
      return { object: await this.storage.delete(key, rvOf(cur)), deleted: true };
    }
    const next = structuredClone(cur);
    const m = next.metadata;
    if (finalizers.length) m.finalizers = finalizers;
    else delete m.finalizers;
    if (!pending || s.checkGracefulDelete) {
      m.deletionGracePeriodSeconds = grace;
      m.deletionTimestamp = nowRFC3339(new Date(now.getTime() + grace * 1000));
      // upstream bumps the generation when deletion starts, so controllers see a change to act on
      if (!pending && m.generation !== undefined && m.generation > 0) m.generation++;
    }
    if (this.def.kind === 'Namespace') {
      next.status = { ...((next.status as object) ?? {}), phase: 'Terminating' };
    }
    if (pending && this.unchanged(next, cur)) return { object: cur, deleted: false };
    if (opts.dryRun) return { object: next, deleted: false };
    return { object: await this.storage.update(key, next, rvOf(cur)), deleted: false };
  }
}
