// When a pod's volumes need work on a sync: set up once (until it succeeds), then re-project configMap/
// secret/downwardAPI/projected content only when something it reads changed (an object it references, the
// pod's labels/annotations/resources) or on a slow safety-net period — not on every periodic resync.
import type { Pod } from '../../api/core/v1/types.js';

interface PodVolumeState {
  setUp: boolean;
  refreshedAt: number;
  inputs: string;
  dirty: boolean;
}

const hasProjectedContent = (pod: Pod): boolean => (pod.spec?.volumes ?? []).some((v) => v.configMap || v.secret || v.downwardAPI || v.projected);

/** What downwardAPI items can read that may change on a live pod (name, namespace and uid cannot). */
function podInputs(pod: Pod): string {
  const spec = pod.spec;
  return JSON.stringify([
    pod.metadata.labels ?? {},
    pod.metadata.annotations ?? {},
    [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])].map((c) => c.resources ?? {}),
  ]);
}

export class VolumeRefreshPolicy {
  private pods = new Map<string, PodVolumeState>();

  /** periodMs: the safety-net re-projection period (upstream refreshes projected volumes on a slow cadence). */
  constructor(
    readonly periodMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  private state(uid: string): PodVolumeState {
    let s = this.pods.get(uid);
    if (!s) this.pods.set(uid, (s = { setUp: false, refreshedAt: 0, inputs: '', dirty: false }));
    return s;
  }

  /** True until setUp succeeded once for the pod. */
  needsSetUp(pod: Pod): boolean {
    return !this.pods.get(pod.metadata.uid!)?.setUp;
  }

  /** setUp succeeded (it projected every volume's content too). */
  setUpDone(pod: Pod): void {
    const s = this.state(pod.metadata.uid!);
    s.setUp = true;
    s.refreshedAt = this.now();
    s.inputs = podInputs(pod);
    s.dirty = false;
  }

  /** Whether the pod's projected content should be re-read and re-written on this sync. */
  needsRefresh(pod: Pod): boolean {
    const s = this.pods.get(pod.metadata.uid!);
    if (!s?.setUp || !hasProjectedContent(pod)) return false;
    return s.dirty || this.now() - s.refreshedAt >= this.periodMs || s.inputs !== podInputs(pod);
  }

  refreshed(pod: Pod): void {
    const s = this.state(pod.metadata.uid!);
    s.refreshedAt = this.now();
    s.inputs = podInputs(pod);
    s.dirty = false;
  }

  /** Something the pod's volumes read changed (a configMap or secret it references). */
  invalidate(uid: string): void {
    const s = this.pods.get(uid);
    if (s) s.dirty = true;
  }

  forget(uid: string): void {
    this.pods.delete(uid);
  }
}
