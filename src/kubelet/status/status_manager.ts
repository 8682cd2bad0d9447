// Status manager (upstream pkg/kubelet/status): the kubelet's only writer of pod status, through
// pods/<name>/status. Caches the latest status per pod, skips unchanged writes, retries failures, and
// finally deletes a terminated pod's object (gracePeriodSeconds=0 with a UID precondition). Conditions it
// does not own (readiness gates, DisruptionTarget, ...) come from the newest copy of the pod it has (watch
// cache or its last write's answer), written under that copy's resourceVersion; on a conflict it re-reads.
import { isStatusError } from '../../api/errors.js';
import type { Pod, PodStatus } from '../../api/core/v1/types.js';
import type { KubeClient } from '../../client/rest.js';
import { WorkQueue } from '../../client/workqueue.js';
import { kubeletConditionTypes } from './conditions.js';
import { jsonSnapshot, sameJSON } from './json_equal.js';
import { errMessage, type Logger } from '../../log/logger.js';

interface Entry {
  namespace: string;
  name: string;
  status: PodStatus;
  /** A JSON copy of the last status the API accepted (compared, key order aside, with each new status). */
  written?: PodStatus;
  /** Keys of the status last written (to null out removed ones). */
  writtenKeys?: string[];
  /** resourceVersion the API gave our last write (older copies of the pod are stale, not someone's edit). */
  writtenRV?: number;
  /** The pod as our last write left it (newer than the watch cache until the watch catches up). */
  lastWritten?: Pod;
  deleteRequested: boolean;
  deleted: boolean;
}

/** Ours (kubelet-owned types) from `mine`, everyone else's from `api`, in `mine`'s order then the new ones. */
export function mergeForeignConditions<C extends { type: string }>(mine: C[], api: C[]): C[] {
  const out: C[] = [];
  for (const c of mine) {
    if (kubeletConditionTypes.has(c.type)) out.push(c);
    else {
      const cur = api.find((a) => a.type === c.type);
      if (cur) out.push(cur);
    }
  }
  for (const a of api) if (!kubeletConditionTypes.has(a.type) && !out.some((o) => o.type === a.type)) out.push(a);
  return out;
}

export interface StatusManagerOptions {
  /** The pod's newest copy from the kubelet's watch cache, by UID. */
  cachedPod?: (uid: string) => Pod | undefined;
  /** Failed writes (retried with backoff) are logged here. */
  log?: Logger;
}

const rvNumber = (p?: Pod): number => {
  const n = Number(p?.metadata?.resourceVersion);
  return Number.isFinite(n) ? n : -1;
};

export class StatusManager {
  private entries = new Map<string, Entry>();
  private queue = new WorkQueue(100, 5_000);
  private running?: Promise<void>;
  /** Observers of successful writes (tests, metrics). */
  onWrite?: (uid: string, status: PodStatus) => void;

  /** API reads made to merge conditions (the cached copy was missing or stale). */
  reads = 0;

  constructor(
    private readonly client: KubeClient,
    private readonly opts: StatusManagerOptions = {},
  ) {}

  start(): void {
    this.running ??= this.queue.run(
      (uid) => this.sync(uid),
      4,
      (uid, err) => {
        const e = this.entries.get(uid);
        this.opts.log?.warn({ pod: e ? `${e.namespace}/${e.name}` : uid, err: errMessage(err) }, 'Failed to update pod status, will retry');
      },
    );
  }

  async stop(): Promise<void> {
    this.queue.shutdown();
    await this.running;
  }

  getPodStatus(uid: string): PodStatus | undefined {
    return this.entries.get(uid)?.status;
  }

  /** Record the status the kubelet computed; written asynchronously if it changed. */
  setPodStatus(pod: Pod, status: PodStatus): void {
    const uid = pod.metadata.uid!;
    let e = this.entries.get(uid);
    if (!e) {
      e = { namespace: pod.metadata.namespace ?? 'default', name: pod.metadata.name!, status, deleteRequested: false, deleted: false };
      // Seed dedup with what the API already has so a restart does not rewrite identical statuses.
      if (pod.status) {
        e.written = jsonSnapshot(pod.status);
        e.writtenKeys = Object.keys(pod.status);
      }
      this.entries.set(uid, e);
    }
    e.status = status;
    if (!sameJSON(status, e.written)) this.queue.add(uid);
    else if (this.needsReconcile(e, pod)) {
      e.written = undefined;
      this.queue.add(uid);
    }
  }

  /**
   * Someone else rewrote the status after our last write and dropped conditions we own (e.g. a merge patch
   * of status.conditions through /status): write ours again (upstream needsReconcile).
   */
  private needsReconcile(e: Entry, pod: Pod): boolean {
    const rv = Number(pod.metadata.resourceVersion);
    if (e.writtenRV !== undefined && Number.isFinite(rv) && rv <= e.writtenRV) return false;
    if (!pod.status || e.written === undefined) return false;
    const have = new Set((pod.status.conditions ?? []).map((c) => c.type));
    return (e.status.conditions ?? []).some((c) => kubeletConditionTypes.has(c.type) && !have.has(c.type));
  }

  /** The pod's containers are gone and its sandbox removed: write the final status, then delete the object. */
  terminated(pod: Pod, status?: PodStatus): void {
    const uid = pod.metadata.uid!;
    if (status) this.setPodStatus(pod, status);
    let e = this.entries.get(uid);
    if (!e) {
      e = { namespace: pod.metadata.namespace ?? 'default', name: pod.metadata.name!, status: pod.status ?? {}, deleteRequested: false, deleted: false };
      this.entries.set(uid, e);
    }
    e.deleteRequested = true;
    this.queue.add(uid);
  }

  /** Forget a pod that no longer exists in the API. */
  forget(uid: string): void {
    this.entries.delete(uid);
  }

  /** The newest copy of the pod the manager has without asking the API. */
  private bestKnown(uid: string, e: Entry): Pod | undefined {
    const cached = this.opts.cachedPod?.(uid);
    const mine = e.lastWritten;
    if (!cached) return mine;
    if (!mine) return cached;
    return rvNumber(cached) >= rvNumber(mine) ? cached : mine;
  }

  /**
   * PATCH pods/<name>/status. A merge patch replaces the whole conditions list, so others' conditions are
   * carried over from the newest copy we know, under its resourceVersion: when someone wrote in between,
   * the API answers 409 and we merge again from a fresh read (upstream re-reads before every write).
   * Returns the updated pod, or undefined when the pod is gone or is a different pod of the same name.
   */
  private async patchStatus(uid: string, e: Entry, patch: Record<string, unknown>): Promise<Pod | undefined> {
    const notFound = (err: unknown) => isStatusError(err) && err.status.code === 404;
    let base = e.status.conditions ? this.bestKnown(uid, e) : undefined;
    for (let attempt = 0; ; attempt++) {
      const metadata: Record<string, unknown> = { uid };
      if (e.status.conditions) {
        if (!base || attempt > 0) {
          this.reads++;
          try {
            base = await this.client.get<Pod>(this.path(e));
          } catch (err) {
            if (notFound(err)) {
              e.deleted = true;
              return undefined;
            }
            throw err;
          }
        }
        if (base.metadata?.uid && base.metadata.uid !== uid) return undefined; // a different pod of the same name
        patch.conditions = mergeForeignConditions(e.status.conditions, base.status?.conditions ?? []);
        if (base.metadata?.resourceVersion) metadata.resourceVersion = base.metadata.resourceVersion;
      }
      try {
        const res = await this.client.patch<Pod>(`${this.path(e)}/status`, { metadata, status: patch }, 'merge');
        if (res?.metadata?.uid && res.metadata.uid !== uid) return undefined;
        return res;
      } catch (err) {
        if (notFound(err)) {
          e.deleted = true;
          return undefined;
        }
        if (isStatusError(err) && err.status.code === 409 && attempt < 3) continue;
        throw err;
      }
    }
  }

  private path(e: Entry): string {
    return `/api/v1/namespaces/${encodeURIComponent(e.namespace)}/pods/${encodeURIComponent(e.name)}`;
  }

  private async sync(uid: string): Promise<void> {
    const e = this.entries.get(uid);
    if (!e || e.deleted) return;
    if (!sameJSON(e.status, e.written)) {
      const sent = jsonSnapshot(e.status);
      const patch: Record<string, unknown> = { ...e.status };
      for (const k of e.writtenKeys ?? []) if (!(k in patch)) patch[k] = null;
      const res = await this.patchStatus(uid, e, patch);
      if (!res) return;
      e.written = sent;
      e.writtenKeys = Object.keys(sent);
      e.lastWritten = res;
      const rv = rvNumber(res);
      if (rv >= 0) e.writtenRV = rv;
      this.onWrite?.(uid, e.status);
    }
    if (e.deleteRequested && !e.deleted) {
      try {
        await this.client.request('DELETE', this.path(e), { kind: 'DeleteOptions', apiVersion: 'v1', gracePeriodSeconds: 0, preconditions: { uid } });
      } catch (err) {
        if (!isStatusError(err) || (err.status.code !== 404 && err.status.code !== 409)) throw err;
      }
      e.deleted = true;
    }
  }
}
