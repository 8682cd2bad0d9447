// EventRecorder: writes core/v1 Events about an object through the API, like client-go's recorder —
// names "<object>.<hex unix nanos>", and a repeat of the same event (same object, type, reason, message
// and source) bumps count/lastTimestamp on the existing Event instead of creating another.
import { isStatusError } from '../api/errors.js';
import type { KubeObject } from '../api/types.js';
import type { Event, EventSource, ObjectReference } from '../api/core/v1/types.js';
import type { KubeClient } from './rest.js';

export type EventType = 'Normal' | 'Warning';

interface Aggregate {
  name: string;
  namespace: string;
  count: number;
  firstTimestamp: string;
}

const MAX_CACHED = 4096;

/** metav1.Time wire form: RFC 3339, whole seconds. */
export function timestamp(d: Date = new Date()): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function objectReference(obj: KubeObject): ObjectReference {
  const ref: ObjectReference = {
    kind: obj.kind,
    namespace: obj.metadata.namespace,
    name: obj.metadata.name,
    uid: obj.metadata.uid,
    apiVersion: obj.apiVersion,
    resourceVersion: obj.metadata.resourceVersion,
  };
  for (const k of Object.keys(ref) as (keyof ObjectReference)[]) if (ref[k] === undefined || ref[k] === '') delete ref[k];
  return ref;
}

export class EventRecorder {
  private cache = new Map<string, Aggregate>();
  private chain: Promise<void> = Promise.resolve();
  private lastNanos = 0n;

  constructor(
    private readonly client: KubeClient,
    readonly source: EventSource,
    private readonly onError: (err: unknown) => void = () => {},
  ) {}

  /** Records an event; the write happens in the background (see flush()). */
  event(obj: KubeObject, type: EventType, reason: string, message: string): void {
    const ref = objectReference(obj);
    this.chain = this.chain.then(() => this.write(ref, type, reason, message)).catch((e) => this.onError(e));
  }

  /** Resolves once every event recorded so far has been written (or failed). */
  flush(): Promise<void> {
    return this.chain;
  }

  private uniqueNanos(): bigint {
    let n = BigInt(Date.now()) * 1_000_000n + (process.hrtime.bigint() % 1_000_000n);
    if (n <= this.lastNanos) n = this.lastNanos + 1n;
    this.lastNanos = n;
    return n;
  }

  private async write(ref: ObjectReference, type: EventType, reason: string, message: string): Promise<void> {
    const namespace = ref.namespace || 'default';
    const key = JSON.stringify([
      this.source.component,
      this.source.host ?? '',
      ref.kind,
      ref.namespace,
      ref.name,
      ref.uid,
      ref.apiVersion,
      type,
      reason,
      message,
    ]);
    const now = timestamp();
    const prev = this.cache.get(key);
    if (prev) {
      prev.count++;
      this.touch(key, prev);
      try {
        await this.client.patch(`/api/v1/namespaces/${prev.namespace}/events/${prev.name}`, { count: prev.count, lastTimestamp: now, message }, 'strategic');
        return;
      } catch (e) {
        if (!(isStatusError(e) && e.status.code === 404)) throw e;
        // the Event was deleted (TTL or by hand): start a new one
      }
    }
    const agg: Aggregate = { name: `${ref.name ?? 'unknown'}.${this.uniqueNanos().toString(16)}`, namespace, count: 1, firstTimestamp: now };
    const ev: Event = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: agg.name, namespace },
      involvedObject: ref,
      reason,
      message,
      source: { ...this.source },
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
      type,
      eventTime: null,
      reportingComponent: this.source.component,
      reportingInstance: this.source.host ?? '',
    };
    this.touch(key, agg);
    await this.client.create(`/api/v1/namespaces/${namespace}/events`, ev);
  }

  private touch(key: string, agg: Aggregate): void {
    this.cache.delete(key);
    this.cache.set(key, agg);
    if (this.cache.size > MAX_CACHED) this.cache.delete(this.cache.keys().next().value!);
  }
}
