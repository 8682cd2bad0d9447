// Runtime pod cache (upstream kubecontainer.Cache): keeps the PLEG's latest relist grouped by pod, stamped
// with when its reads began, and per pod when the kubelet last changed it in the runtime. A pod's cached
// view is usable only when the relist began after that change (upstream GetNewerThan); else read the pod.
import type { ContainerStatus, PodSandboxStatus } from '../../runtime/types.js';
import { groupByPod, type RuntimePodStatus } from './pod_status.js';

/** What the PLEG lists (the subset of RuntimeLister this cache sits in front of). */
export interface RelistSource {
  listPodSandboxes(): Promise<PodSandboxStatus[]>;
  listContainers(): Promise<ContainerStatus[]>;
  onContainerExit?(cb: (id: string) => void): () => void;
}

interface Round {
  seq: number;
  asked: Set<'sandboxes' | 'containers'>;
  sandboxes?: PodSandboxStatus[];
  containers?: ContainerStatus[];
}

export class RuntimePodCache {
  /** One counter orders relist starts and the kubelet's changes. */
  private seq = 0;
  private round?: Round;
  private pods = new Map<string, RuntimePodStatus>();
  /** seq at which the reads of the cached relist began; 0 = no relist yet. */
  private snapshotSeq = 0;
  private changed = new Map<string, number>();

  /**
   * A lister for the PLEG: passes the runtime's answers through unchanged and, once both lists of one
   * relist are in, installs them as the cached view (stamped with the seq taken when the first was asked).
   */
  wrap(source: RelistSource): RelistSource {
    const part =
      <T>(kind: 'sandboxes' | 'containers', list: () => Promise<T[]>) =>
      async (): Promise<T[]> => {
        let r = this.round;
        if (!r || r.asked.has(kind)) this.round = r = { seq: ++this.seq, asked: new Set() };
        r.asked.add(kind);
        const round = r;
        try {
          const out = await list();
          (round as unknown as Record<string, T[]>)[kind] = out;
          if (round.sandboxes && round.containers && this.round === round) this.install(round);
          return out;
        } catch (e) {
          if (this.round === round) this.round = undefined;
          throw e;
        }
      };
    const wrapped: RelistSource = {
      listPodSandboxes: part('sandboxes', () => source.listPodSandboxes()),
      listContainers: part('containers', () => source.listContainers()),
    };
    if (source.onContainerExit) wrapped.onContainerExit = (cb) => source.onContainerExit!(cb);
    return wrapped;
  }

  private install(r: Round): void {
    this.round = undefined;
    if (r.seq <= this.snapshotSeq) return;
    this.pods = groupByPod(r.sandboxes!, r.containers!);
    this.snapshotSeq = r.seq;
    // changes older than this relist are in it: their marks are no longer needed
    for (const [uid, at] of this.changed) if (at < r.seq) this.changed.delete(uid);
  }

  /** The kubelet just changed this pod in the runtime (created/started/stopped/removed something). */
  markChanged(uid: string): void {
    this.changed.set(uid, ++this.seq);
  }

  /** Whether the cached view of the pod is newer than the kubelet's last change of it. */
  isFresh(uid: string): boolean {
    return this.snapshotSeq > 0 && this.snapshotSeq > (this.changed.get(uid) ?? 0);
  }

  /** Whatever the latest relist saw of the pod, however old (hints for a direct read). */
  peek(uid: string): RuntimePodStatus | undefined {
    return this.pods.get(uid);
  }

  /** Every pod of the latest relist. */
  all(): Map<string, RuntimePodStatus> {
    return this.pods;
  }
}
