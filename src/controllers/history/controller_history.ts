// ControllerRevision history shared by the StatefulSet and DaemonSet controllers (upstream
// pkg/controller/history): revision hashing and naming, the revision an object's template is at now
// (created, re-numbered or found), and truncation of old revisions beyond revisionHistoryLimit.
import type { ControllerRevision } from '../../api/apps/v1/workload_types.js';
import { isStatusError } from '../../api/errors.js';
import type { KubeObject, OwnerReference } from '../../api/types.js';
import type { ResourceClient } from '../../client/typed.js';

const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** apimachinery's rand.SafeEncodeString: no vowels (no words), no look-alike characters. */
export function safeEncodeString(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += SAFE_ALPHABET[s.charCodeAt(i) % SAFE_ALPHABET.length];
  return out;
}

/** 32-bit FNV-1a over the UTF-8 bytes of `s`. */
export function fnv32a(s: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (const b of Buffer.from(s, 'utf8')) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** JSON with sorted keys: equal data hashes alike whatever the key order. */
export function canonicalJSON(v: unknown): string {
  return JSON.stringify(v, (_k, val) =>
    val && typeof val === 'object' && !Array.isArray(val)
      ? Object.fromEntries(
          Object.keys(val)
            .sort()
            .map((k) => [k, (val as Record<string, unknown>)[k]]),
        )
      : val,
  );
}

/** HashControllerRevision: the hash of the data, perturbed by the collision count when there is one. */
export function hashRevisionData(data: unknown, collisionCount?: number): string {
  let h = fnv32a(canonicalJSON(data));
  if (collisionCount !== undefined && collisionCount !== 0) {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(collisionCount >>> 0);
    for (const x of b) {
      h ^= x;
      h = Math.imul(h, 0x01000193) >>> 0;
    }
  }
  return safeEncodeString(String(h >>> 0));
}

/** ControllerRevisionName: "<prefix>-<hash>", the prefix cut so the name stays within 253 characters. */
export function revisionName(prefix: string, hash: string): string {
  return `${prefix.length > 223 ? prefix.slice(0, 223) : prefix}-${hash}`;
}

/** The patch a StatefulSet or DaemonSet revision stores: its pod template, replacing the whole template on undo. */
export function templatePatch(template: unknown): Record<string, unknown> {
  return { spec: { template: { ...(structuredClone(template) as object), $patch: 'replace' } } };
}

/** The template a revision's data holds (without the patch directive). */
export function templateOf(revision: ControllerRevision): Record<string, unknown> {
  const t = { ...((revision.data as { spec?: { template?: Record<string, unknown> } } | undefined)?.spec?.template ?? {}) };
  delete t.$patch;
  return t;
}

export function controllerRefOf(obj: KubeObject): OwnerReference | undefined {
  return (obj.metadata.ownerReferences ?? []).find((r) => r.controller === true);
}

export function ownerReferenceTo(parent: KubeObject, kind: string): OwnerReference {
  return { apiVersion: 'apps/v1', kind, name: parent.metadata.name!, uid: parent.metadata.uid!, controller: true, blockOwnerDeletion: true };
}

/** Revisions, oldest first (by revision number, then name). */
export function byRevision(revisions: ControllerRevision[]): ControllerRevision[] {
  return [...revisions].sort((a, b) => (a.revision ?? 0) - (b.revision ?? 0) || (a.metadata.name! < b.metadata.name! ? -1 : 1));
}

export function nextRevisionNumber(revisions: ControllerRevision[]): number {
  return revisions.reduce((m, r) => Math.max(m, r.revision ?? 0), 0) + 1;
}

/** The hash a revision stands for: its hash label when it has one, else its name without the "<parent>-" prefix. */
export function revisionHash(r: ControllerRevision, parentName: string, hashLabel?: string): string {
  const prefix = revisionName(parentName, '');
  return (hashLabel && r.metadata.labels?.[hashLabel]) || (r.metadata.name!.startsWith(prefix) ? r.metadata.name!.slice(prefix.length) : r.metadata.name!);
}

export interface RevisionParent {
  obj: KubeObject;
  kind: string;
  /** The data the revision must hold (templatePatch of the template). */
  data: unknown;
  /** Labels for the revision (the template's). */
  labels: Record<string, string>;
  /** A label a new revision also gets, with its hash as the value (the DaemonSet's controller-revision-hash). */
  hashLabel?: string;
  /** Annotations a new revision copies (a DaemonSet's, so that rollout history shows its change-cause). */
  annotations?: Record<string, string>;
}

export interface CurrentRevisionResult {
  revision: ControllerRevision;
  /** The hash naming the revision ("<parent>-<hash>"). */
  hash: string;
  /** The collision count after any collisions met while creating the revision. */
  collisionCount: number;
  /** All controlled revisions after the call, oldest first. */
  revisions: ControllerRevision[];
}

/**
 * The revision `parent.data` is at now, among the revisions `parent` owns (after adoption): the newest revision with equal data (re-numbered to be the newest if
 * an older one matches, as on a rollback), else a new one named by the data's hash. A name taken by other data
 * is a hash collision: the collision count goes up and the hash is taken again.
 */
export async function ensureRevision(
  client: ResourceClient<ControllerRevision>,
  owned: ControllerRevision[],
  parent: RevisionParent,
  collisionCount: number,
): Promise<CurrentRevisionResult> {
  const revisions = byRevision(owned);
  const want = canonicalJSON(parent.data);
  const equal = revisions.filter((r) => canonicalJSON(r.data) === want);
  const next = nextRevisionNumber(revisions);
  const hashOf = (r: ControllerRevision) => revisionHash(r, parent.obj.metadata.name!, parent.hashLabel);
  if (equal.length > 0) {
    const newest = equal[equal.length - 1]!;
    if (newest === revisions[revisions.length - 1]) return { revision: newest, hash: hashOf(newest), collisionCount, revisions };
    const updated = await client.patch(newest.metadata.name!, { revision: next }, 'merge');
    return { revision: updated, hash: hashOf(updated), collisionCount, revisions: [...revisions.filter((r) => r !== newest), updated] };
  }
  for (let attempt = 0; attempt < 16; attempt++) {
    const hash = hashRevisionData(parent.data, collisionCount);
    const name = revisionName(parent.obj.metadata.name!, hash);
    const labels = { ...parent.labels, ...(parent.hashLabel ? { [parent.hashLabel]: hash } : {}) };
    const metadata: ControllerRevision['metadata'] = {
      name,
      namespace: parent.obj.metadata.namespace,
      labels,
      ownerReferences: [ownerReferenceTo(parent.obj, parent.kind)],
    };
    if (parent.annotations && Object.keys(parent.annotations).length > 0) metadata.annotations = { ...parent.annotations };
    const cr: ControllerRevision = { apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata, data: parent.data, revision: next };
    try {
      const created = await client.create(cr);
      return { revision: created, hash, collisionCount, revisions: [...revisions, created] };
    } catch (e) {
      if (!isStatusError(e) || e.code !== 409) throw e;
      const existing = await client.get(name);
      if (controllerRefOf(existing)?.uid === parent.obj.metadata.uid && canonicalJSON(existing.data) === want) {
        // made by an earlier reconcile whose write our cache has not seen yet
        return { revision: existing, hash, collisionCount, revisions: [...revisions, existing] };
      }
      collisionCount++;
    }
  }
  throw new Error(`could not name a ControllerRevision for ${parent.obj.metadata.name}: too many hash collisions`);
}

/**
 * Deletes the oldest revisions beyond `limit`, never one in `live` (the current and update revisions and any
 * revision a pod still runs).
 */
export async function truncateHistory(
  client: ResourceClient<ControllerRevision>,
  revisions: ControllerRevision[],
  live: Set<string>,
  limit: number,
): Promise<void> {
  const old = revisions.filter((r) => !live.has(r.metadata.name!));
  const excess = old.length - Math.max(0, limit);
  for (const r of old.slice(0, Math.max(0, excess))) {
    try {
      await client.delete(r.metadata.name!);
    } catch (e) {
      if (!isStatusError(e) || e.code !== 404) throw e;
    }
  }
}
