// The narrow event-recording interface the kubelet's parts use (an EventRecorder from src/client/events.ts
// satisfies it); keeps pod workers and the image manager testable without an API server.
import type { KubeObject } from '../api/types.js';

export interface Recorder {
  event(obj: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string, fieldPath?: string): void;
}

export const nullRecorder: Recorder = { event: () => {} };

/** `spec.containers{name}` / `spec.initContainers{name}` — the involvedObject.fieldPath upstream uses. */
export function containerFieldPath(pod: { spec?: { initContainers?: { name: string }[] } }, name: string): string {
  return (pod.spec?.initContainers ?? []).some((c) => c.name === name) ? `spec.initContainers{${name}}` : `spec.containers{${name}}`;
}
