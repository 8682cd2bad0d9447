// EventRecorder: writes core/v1 Events about an object through the API, like client-go's recorder — names
// "<object>.<hex unix nanos>", and every event passes the correlator first (event_correlator.ts): a repeat bumps
// count/lastTimestamp on the Event already written, many similar ones are combined, a flood is dropped.
import { isStatusError } from '../api/errors.js';
import type { KubeObject } from '../api/types.js';
import type { Event, EventSource, ObjectReference } from '../api/core/v1/types.js';
import { EventCorrelator, type CorrelatorOptions } from './event_correlator.js';
import type { KubeClient } from './rest.js';

export type EventType = 'Normal' | 'Warning';

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
  private readonly correlator: EventCorrelator;
  private chain: Promise<void> = Promise.resolve();
  private lastNanos = 0n;

  constructor(
    private readonly client: KubeClient,
    readonly source: EventSource,
    private readonly onError: (err: unknown) => void = () => {},
    correlation: CorrelatorOptions = {},
  ) {
    this.correlator = new EventCorrelator(correlation);
  }

  /** Records an event; the write happens in the background (see flush()). */
  event(obj: KubeObject, type: EventType, reason: string, message: string): void {
    const ref = objectReference(obj);
    const namespace = ref.namespace || 'default';
    const now = timestamp();
    const ev: Event = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `${ref.name ?? 'unknown'}.${this.uniqueNanos().toString(16)}`, namespace },
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
    // correlated now, in call order; written in the same order by one chain (client-go's single sink goroutine)
    const c = this.correlator.correlate(ev);
    if (c.skip) return;
    this.chain = this.chain.then(() => this.write(c.event, c.patch)).catch((e) => this.onError(e));
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

  private async write(ev: Event, patch: boolean): Promise<void> {
    const ns = ev.metadata.namespace!;
    if (patch) {
      try {
        await this.client.patch(
          `/api/v1/namespaces/${ns}/events/${ev.metadata.name}`,
          { count: ev.count, lastTimestamp: ev.lastTimestamp, message: ev.message },
          'strategic',
        );
        return;
      } catch (e) {
        // the Event was deleted (TTL or by hand), or its first occurrence was never written: create it
        if (!(isStatusError(e) && e.status.code === 404)) throw e;
      }
    }
    await this.client.create(`/api/v1/namespaces/${ns}/events`, ev);
  }
}
