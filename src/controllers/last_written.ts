// What a controller last wrote of each object, kept until its informer shows that write. A sync that runs before
// the watch has caught up (a pod event right after a status write) then starts from the copy the API answered,
// instead of the stale cached one: it neither writes again the status it already wrote nor fails with a 409 on the
// superseded resourceVersion (then a GET and a second PUT: three requests instead of none or one).
import type { KubeObject } from '../api/types.js';

export class LastWritten<T extends KubeObject> {
  private readonly byUID = new Map<string, { obj: T; superseded: Set<string> }>();

  /** `cached`, or our newer write of it while the cache still shows a version that write replaced. */
  fresh(cached: T): T {
    const uid = cached.metadata.uid;
    const w = uid ? this.byUID.get(uid) : undefined;
    if (!w) return cached;
    if (w.superseded.has(cached.metadata.resourceVersion ?? '')) return w.obj;
    // the cache caught up with our write, or moved past it (someone else's write): it is the truth again
    this.byUID.delete(uid!);
    return cached;
  }

  /** `before` was written and the API answered `after`. */
  wrote(before: T, after: T): void {
    const uid = after.metadata.uid;
    if (!uid || uid !== before.metadata.uid) return;
    const w = this.byUID.get(uid) ?? { obj: after, superseded: new Set<string>() };
    w.superseded.add(before.metadata.resourceVersion ?? '');
    w.obj = after;
    this.byUID.set(uid, w);
  }

  forget(uid: string | undefined): void {
    if (uid) this.byUID.delete(uid);
  }
}
