// Duplicate current revisions of a DaemonSet (upstream dedupCurHistories): when more than one ControllerRevision
// the set owns holds its current template (left by two controller managers racing over a leader hand-over, or
// by hand), the one with the highest revision number is kept, the set's pods labelled with a duplicate's hash
// are relabelled to the kept one's, and the duplicates are deleted — so no pod looks out of date and nothing rolls.
import type { ControllerRevision } from '../../api/apps/v1/workload_types.js';
import { ControllerRevisionHashLabel } from '../../api/apps/v1/workload_types.js';
import type { Pod } from '../../api/core/v1/types.js';
import { isStatusError } from '../../api/errors.js';
import type { ResourceClient } from '../../client/typed.js';
import { canonicalJSON, revisionHash } from '../history/controller_history.js';

/** The revision kept among equal ones: the highest revision number, then the oldest, then the first by name. */
export function revisionToKeep(equal: ControllerRevision[]): ControllerRevision {
  const created = (r: ControllerRevision) => Date.parse(r.metadata.creationTimestamp ?? '') || 0;
  return [...equal].sort((a, b) => (b.revision ?? 0) - (a.revision ?? 0) || created(a) - created(b) || (a.metadata.name! < b.metadata.name! ? -1 : 1))[0]!;
}

/**
 * `owned` without the duplicates of the revision holding `data`, after relabelling the pods that carry a
 * duplicate's hash and deleting the duplicates. Unlike upstream, which relabels every pod whose hash differs
 * from the kept one, only the duplicates' pods are relabelled: a pod of an older template keeps its hash and
 * stays due for its update.
 */
export async function dedupCurrentRevisions(
  revisions: ResourceClient<ControllerRevision>,
  pods: ResourceClient<Pod>,
  dsName: string,
  owned: ControllerRevision[],
  data: unknown,
  daemonPods: () => Promise<Pod[]>,
): Promise<ControllerRevision[]> {
  const want = canonicalJSON(data);
  const equal = owned.filter((r) => canonicalJSON(r.data) === want);
  if (equal.length < 2) return owned;
  const keep = revisionToKeep(equal);
  const keepHash = revisionHash(keep, dsName, ControllerRevisionHashLabel);
  const dups = equal.filter((r) => r !== keep);
  const dupHashes = new Set(dups.map((r) => revisionHash(r, dsName, ControllerRevisionHashLabel)));
  dupHashes.delete(keepHash);
  // relabel first: were the duplicates gone first, a crash in between would leave pods naming no revision
  for (const p of await daemonPods()) {
    const h = p.metadata.labels?.[ControllerRevisionHashLabel];
    if (h === undefined || !dupHashes.has(h)) continue;
    await ignoreNotFound(pods.patch(p.metadata.name!, { metadata: { labels: { [ControllerRevisionHashLabel]: keepHash } } }, 'merge'));
  }
  for (const r of dups) await ignoreNotFound(revisions.delete(r.metadata.name!));
  return owned.filter((r) => !dups.includes(r));
}

async function ignoreNotFound(p: Promise<unknown>): Promise<void> {
  try {
    await p;
  } catch (e) {
    if (!isStatusError(e) || e.code !== 404) throw e;
  }
}
