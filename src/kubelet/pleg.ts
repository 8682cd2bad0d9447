// Pod lifecycle event generator (upstream GenericPLEG): relists the runtime every period — and at once when
// the runtime reports a container exit — compares each container's and sandbox's state with the previous
// relist, and reports the pods whose state changed.
import type { ContainerStatus, PodSandboxStatus } from '../runtime/types.js';
import { groupByPod, type RuntimePodStatus } from './kuberuntime/pod_status.js';

export type PodLifecycleEventType = 'ContainerStarted' | 'ContainerDied' | 'ContainerRemoved' | 'ContainerChanged' | 'SandboxChanged';

export interface PodLifecycleEvent {
  uid: string;
  type: PodLifecycleEventType;
  data: string;
}

export interface RuntimeLister {
  listPodSandboxes(): Promise<PodSandboxStatus[]>;
  listContainers(): Promise<ContainerStatus[]>;
  /** Optional exit notifications (conmon's exit files): trigger a relist without waiting for the period. */
  onContainerExit?(cb: (id: string) => void): () => void;
}

export class GenericPLEG {
  private lastStates = new Map<string, string>();
  private cache = new Map<string, RuntimePodStatus>();
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private relisting?: Promise<void>;
  private wakeTimer?: NodeJS.Timeout;
  private unsubscribe?: () => void;
  lastRelist = 0;

  constructor(
    private readonly runtime: RuntimeLister,
    private readonly onEvent: (ev: PodLifecycleEvent) => void,
    private readonly periodMs = 1000,
  ) {}

  /** Runtime status of every pod as of the last relist. */
  podStatuses(): Map<string, RuntimePodStatus> {
    return this.cache;
  }

  relist(): Promise<void> {
    this.relisting ??= this.doRelist().finally(() => (this.relisting = undefined));
    return this.relisting;
  }

  private async doRelist(): Promise<void> {
    const [sandboxes, containers] = await Promise.all([this.runtime.listPodSandboxes(), this.runtime.listContainers()]);
    const pods = groupByPod(sandboxes, containers);
    const now = new Map<string, string>();
    const events: PodLifecycleEvent[] = [];
    for (const p of pods.values()) {
      for (const sb of p.sandboxes) now.set(`s/${p.uid}/${sb.id}`, sb.ready ? 'ready' : 'notready');
      for (const c of p.containers) now.set(`c/${p.uid}/${c.id}`, c.state);
    }
    for (const [k, st] of now) {
      const old = this.lastStates.get(k);
      if (old === st) continue;
      const [kind, uid, id] = k.split('/') as [string, string, string];
      if (kind === 's') events.push({ uid, type: 'SandboxChanged', data: id });
      else events.push({ uid, type: st === 'running' ? 'ContainerStarted' : st === 'exited' ? 'ContainerDied' : 'ContainerChanged', data: id });
    }
    for (const k of this.lastStates.keys()) {
      if (now.has(k)) continue;
      const [kind, uid, id] = k.split('/') as [string, string, string];
      events.push({ uid, type: kind === 's' ? 'SandboxChanged' : 'ContainerRemoved', data: id });
    }
    this.lastStates = now;
    this.cache = pods;
    this.lastRelist = Date.now();
    for (const ev of events) this.onEvent(ev);
  }

  /** Relist soon (coalescing a flurry of wake-ups into one relist). */
  private wake(): void {
    if (this.stopped || this.wakeTimer) return;
    this.wakeTimer = setTimeout(() => {
      this.wakeTimer = undefined;
      if (this.stopped) return;
      // a relist already running may have read the state before the exit: relist once more after it
      const running = this.relisting;
      void (running ? running.catch(() => {}).then(() => this.relist()) : this.relist()).catch(() => {});
    }, 5);
  }

  start(): void {
    this.unsubscribe = this.runtime.onContainerExit?.(() => this.wake());
    const tick = async () => {
      if (this.stopped) return;
      await this.relist().catch(() => {});
      if (!this.stopped) this.timer = setTimeout(() => void tick(), this.periodMs);
    };
    void tick();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    this.unsubscribe?.();
  }
}
