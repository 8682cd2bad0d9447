// Probe results cache (upstream pkg/kubelet/prober/results): the latest result per probe kind and
// container instance; a set that changes the value is published to the update listeners.
import type { ProbeKind, ProbeResult } from './types.js';

export interface ResultUpdate {
  kind: ProbeKind;
  podUID: string;
  containerName: string;
  /** Runtime id of the container instance the result is about (no "scheme://" prefix). */
  containerId: string;
  result: ProbeResult;
  /** The value before this update (undefined when there was none for this container instance). */
  previous?: ProbeResult;
}

interface Entry {
  containerId: string;
  result: ProbeResult;
}

const key = (kind: ProbeKind, podUID: string, name: string) => `${kind}\u0000${podUID}\u0000${name}`;

export class ResultsCache {
  private entries = new Map<string, Entry>();
  private listeners: ((u: ResultUpdate) => void)[] = [];

  /** Records a result; returns whether it changed (and then notifies listeners). */
  set(kind: ProbeKind, podUID: string, containerName: string, containerId: string, result: ProbeResult): boolean {
    const k = key(kind, podUID, containerName);
    const prev = this.entries.get(k);
    const previous = prev && prev.containerId === containerId ? prev.result : undefined;
    if (previous === result) return false;
    this.entries.set(k, { containerId, result });
    const u: ResultUpdate = { kind, podUID, containerName, containerId, result, previous };
    for (const l of this.listeners) {
      try {
        l(u);
      } catch {
        // a listener's failure must not stop probing
      }
    }
    return true;
  }

  /** The result for the container; with containerId, only if it is about that instance. */
  get(kind: ProbeKind, podUID: string, containerName: string, containerId?: string): ProbeResult | undefined {
    const e = this.entries.get(key(kind, podUID, containerName));
    if (!e || (containerId !== undefined && e.containerId !== containerId)) return undefined;
    return e.result;
  }

  /** Forgets the result (only if it is about containerId when given). */
  remove(kind: ProbeKind, podUID: string, containerName: string, containerId?: string): void {
    const k = key(kind, podUID, containerName);
    const e = this.entries.get(k);
    if (e && (containerId === undefined || e.containerId === containerId)) this.entries.delete(k);
  }

  onUpdate(cb: (u: ResultUpdate) => void): () => void {
    this.listeners.push(cb);
    return () => {
      this.listeners = this.listeners.filter((l) => l !== cb);
    };
  }

  get size(): number {
    return this.entries.size;
  }
}
