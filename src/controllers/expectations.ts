// ControllerExpectations (upstream pkg/controller's, with UID-tracked deletions): what a controller expects
// its informers to show after its own writes, so that it does not act twice on a cache that has not caught
// up (e.g. create 5 more pods while its first 5 creates are still on their way). Reused by every controller
// that creates or deletes pods for an owner (ReplicaSet, ReplicationController, StatefulSet, Job, ...).

/** Expectations older than this are treated as met (a lost watch event must not wedge the owner). */
export const EXPECTATIONS_TIMEOUT_MS = 5 * 60 * 1000;

interface Expectation {
  add: number;
  /** UIDs of pods whose deletion was asked for and not yet observed. */
  deleting: Set<string>;
  /** Deletions expected without known UIDs (counted only). */
  del: number;
  timestamp: number;
}

export class ControllerExpectations {
  private readonly byKey = new Map<string, Expectation>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly timeoutMs = EXPECTATIONS_TIMEOUT_MS,
  ) {}

  /** True when nothing is pending for `key` (or its expectations expired, or it has none): sync may act. */
  satisfied(key: string): boolean {
    const e = this.byKey.get(key);
    if (!e) return true;
    if (e.add <= 0 && e.del <= 0 && e.deleting.size === 0) return true;
    return this.now() - e.timestamp > this.timeoutMs;
  }

  /** Sets (replaces) the expectations of `key`: `adds` creations and the deletion of `deleteUIDs`. */
  expect(key: string, adds: number, deleteUIDs: string[] = [], deletes = 0): void {
    this.byKey.set(key, { add: adds, deleting: new Set(deleteUIDs), del: deletes, timestamp: this.now() });
  }

  expectCreations(key: string, adds: number): void {
    this.expect(key, adds);
  }

  expectDeletions(key: string, uids: string[]): void {
    this.expect(key, 0, uids);
  }

  /** A create of ours was seen by the informer (or failed, so it never will be). */
  creationObserved(key: string): void {
    const e = this.byKey.get(key);
    if (e) e.add--;
  }

  /** Lowers the pending creations by `n` (creates that were skipped after an error). */
  lowerCreations(key: string, n: number): void {
    const e = this.byKey.get(key);
    if (e) e.add -= n;
  }

  /** A deletion was seen (by UID when we asked for that UID; counted otherwise). */
  deletionObserved(key: string, uid?: string): void {
    const e = this.byKey.get(key);
    if (!e) return;
    if (uid !== undefined && e.deleting.delete(uid)) return;
    if (uid === undefined) e.del--;
  }

  /** Forget `key` (its owner is gone). */
  delete(key: string): void {
    this.byKey.delete(key);
  }

  /** Pending counts, for logs and tests. */
  pending(key: string): { add: number; del: number } | undefined {
    const e = this.byKey.get(key);
    return e ? { add: e.add, del: e.del + e.deleting.size } : undefined;
  }
}
