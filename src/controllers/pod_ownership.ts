// Adoption and release of pods by their controller (upstream ControllerRefManager.ClaimPods): an orphan
// that the selector matches is adopted by patching in a controller ownerReference (with the pod's uid as a
// precondition); an owned pod the selector no longer matches is released by removing that reference.
import type { Pod } from '../api/core/v1/types.js';
import { isStatusError } from '../api/errors.js';
import type { Selector } from '../api/labels.js';
import type { KubeObject } from '../api/types.js';
import type { ResourceClient } from '../client/typed.js';
import { controllerRefOf, ownerReferenceTo } from './history/controller_history.js';

/** The pods `owner` controls after adopting and releasing; `accept` narrows what may be adopted. */
export async function adoptOrRelease(
  pods: ResourceClient<Pod>,
  owner: KubeObject,
  kind: string,
  candidates: Pod[],
  selector: Selector,
  accept: (p: Pod) => boolean = () => true,
): Promise<Pod[]> {
  const uid = owner.metadata.uid!;
  const out: Pod[] = [];
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

async function patchRefs(pods: ResourceClient<Pod>, p: Pod, refs: NonNullable<Pod['metadata']['ownerReferences']>): Promise<Pod | undefined> {
  try {
    return await pods.patch(p.metadata.name!, { metadata: { ownerReferences: refs, uid: p.metadata.uid } }, 'merge');
  } catch (e) {
    if (isStatusError(e) && (e.code === 404 || e.code === 409 || e.code === 422)) return undefined;
    throw e;
  }
}
