// The event correlator (client-go's tools/record EventCorrelator), so a controller creating 5,000 pods does not
// write 5,000 Events: similar events (same source, object, type and reason) with 10 different messages within
// 10 minutes are aggregated into one "(combined from similar events): ..." Event; a repeat of an identical event
// bumps the count of the Event already written; and each source may write 25 events about one object, then one
// more every 5 minutes (the spam filter; skipped events still count).
import type { Event } from '../api/core/v1/types.js';
import { TokenBucket } from './token_bucket.js';

export const MAX_LRU_ENTRIES = 4096;
export const AGGREGATE_MAX_EVENTS = 10;
export const AGGREGATE_INTERVAL_MS = 600_000;
export const SPAM_BURST = 25;
export const SPAM_QPS = 1 / 300;

export interface CorrelatorOptions {
  now?: () => number;
  spamBurst?: number;
  spamQPS?: number;
  maxEvents?: number;
  intervalMs?: number;
}

/** What to write: a new Event, or a patch of the Event already written for the same key; or nothing. */
export type Correlated = { skip: true } | { skip: false; event: Event; patch: boolean };

/** A Map kept in least-recently-used order, bounded like client-go's lru.Cache. */
class Lru<V> {
  private m = new Map<string, V>();
  get(k: string): V | undefined {
    const v = this.m.get(k);
    if (v !== undefined) {
      this.m.delete(k);
      this.m.set(k, v);
    }
    return v;
  }
  set(k: string, v: V): void {
    this.m.delete(k);
    this.m.set(k, v);
    if (this.m.size > MAX_LRU_ENTRIES) this.m.delete(this.m.keys().next().value!);
  }
}

const objectKeyParts = (e: Event) => {
  const o = e.involvedObject;
  return [e.source?.component ?? '', e.source?.host ?? '', o.kind ?? '', o.namespace ?? '', o.name ?? '', o.uid ?? '', o.apiVersion ?? ''];
};

/** Source and object: the spam filter's bucket. */
export const spamKey = (e: Event) => JSON.stringify(objectKeyParts(e));
/** Everything that makes two events the same one (upstream getEventKey). */
export const eventKey = (e: Event) => JSON.stringify([...objectKeyParts(e), e.involvedObject.fieldPath ?? '', e.type ?? '', e.reason ?? '', e.message ?? '']);
/** Same but the message: the events an aggregate combines (upstream EventAggregatorByReasonFunc). */
const aggregateKey = (e: Event) => JSON.stringify([...objectKeyParts(e), e.type ?? '', e.reason ?? '', e.reportingComponent ?? '', e.reportingInstance ?? '']);

interface Observation {
  count: number;
  firstTimestamp?: string | null;
  name: string;
}

export class EventCorrelator {
  private readonly now: () => number;
  private readonly aggregates = new Lru<{ messages: Set<string>; last: number }>();
  private readonly observed = new Lru<Observation>();
  private readonly spam = new Lru<TokenBucket>();
  private readonly burst: number;
  private readonly qps: number;
  private readonly maxEvents: number;
  private readonly intervalMs: number;

  constructor(o: CorrelatorOptions = {}) {
    this.now = o.now ?? Date.now;
    this.burst = o.spamBurst ?? SPAM_BURST;
    this.qps = o.spamQPS ?? SPAM_QPS;
    this.maxEvents = o.maxEvents ?? AGGREGATE_MAX_EVENTS;
    this.intervalMs = o.intervalMs ?? AGGREGATE_INTERVAL_MS;
  }

  /** Aggregates, de-duplicates, then spam-filters `ev` (a new Event with its name and timestamps set). */
  correlate(ev: Event): Correlated {
    const { event, key } = this.aggregate(ev);
    const observed = this.observe(event, key);
    const bucketKey = spamKey(observed.event);
    let bucket = this.spam.get(bucketKey);
    if (!bucket) bucket = new TokenBucket(this.qps, this.burst, this.now);
    this.spam.set(bucketKey, bucket);
    if (!bucket.tryAccept()) return { skip: true };
    return { skip: false, ...observed };
  }

  private aggregate(ev: Event): { event: Event; key: string } {
    const now = this.now();
    const aggKey = aggregateKey(ev);
    let rec = this.aggregates.get(aggKey);
    if (!rec || now - rec.last > this.intervalMs) rec = { messages: new Set(), last: now };
    rec.messages.add(ev.message ?? '');
    rec.last = now;
    this.aggregates.set(aggKey, rec);
    if (rec.messages.size < this.maxEvents) return { event: ev, key: eventKey(ev) };
    // over the threshold: keep the set at its size, and fold this event into the aggregate
    rec.messages.delete(rec.messages.values().next().value!);
    const combined: Event = {
      ...ev,
      message: `(combined from similar events): ${ev.message ?? ''}`,
      count: 1,
    };
    return { event: combined, key: aggKey };
  }

  private observe(ev: Event, key: string): { event: Event; patch: boolean } {
    const prev = this.observed.get(key);
    const event: Event = prev ? { ...ev, metadata: { ...ev.metadata, name: prev.name }, firstTimestamp: prev.firstTimestamp, count: prev.count + 1 } : ev;
    this.observed.set(key, { count: event.count ?? 1, firstTimestamp: event.firstTimestamp, name: event.metadata.name! });
    return { event, patch: !!prev };
  }
}
