// Adoption and release by a controller (upstream ControllerRefManager.ClaimPods / ClaimControllerRevisions):
// an orphan pod or ControllerRevision that the selector matches is adopted by patching in a controller
// ownerReference (with the object's uid as a precondition); an owned one the selector no longer matches is
// released by removing that reference.
import { isStatusError } from '../api/errors.js';
import type { Selector } from '../api/labels.js';
import type { KubeObject } from '../api/types.js';
import type { ResourceClient } from '../client/typed.js';
import { controllerRefOf, ownerReferenceTo } from './history/controller_history.js';

/** The objects (pods, revisions) `owner` controls after adopting and releasing; `accept` narrows what may be adopted. */
export async function adoptOrRelease<T extends KubeObject>(
  pods: ResourceClient<T>,
  owner: KubeObject,
  kind: string,
  candidates: T[],
  selector: Selector,
  accept: (p: T) => boolean = () => true,
): Promise<T[]> {
  const uid = owner.metadata.uid!;
  const out: T[] = [];
  for (const p of candidates) {
    const ref = controllerRefOf(p);
    const matches = selector.matches(p.metadata.labels);
    if (ref?.uid === uid) {
      if (matches) {
        out.push(p);
        continue;
      }
      const refs = (p.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid);
      await patchRefs(pods, p, refs);
      continue;
    }
    if (ref || !matches || p.metadata.deletionTimestamp || owner.metadata.deletionTimestamp || !accept(p)) continue;
    const refs = [...(p.metadata.ownerReferences ?? []), ownerReferenceTo(owner, kind)];
    const adopted = await patchRefs(pods, p, refs);
    if (adopted) out.push(adopted);
  }
  return out;
}

async function patchRefs<T extends KubeObject>(pods: ResourceClient<T>, p: T, refs: NonNullable<T['metadata']['ownerReferences']>): Promise<T | undefined> {
  try {
    return await pods.patch(p.metadata.name!, { metadata: { ownerReferences: refs, uid: p.metadata.uid } }, 'merge');
  } catch (e) {
    if (isStatusError(e) && (e.code === 404 || e.code === 409 || e.code === 422)) return undefined;
    throw e;
  }
}
