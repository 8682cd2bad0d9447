// Event correlation as client-go's recorder does it: identical events bump one Event's count, 10 similar events
// (same object, type, reason; other messages) become one "(combined from similar events)" Event, a source may
// write 25 events about one object and then one per 5 minutes; and the recorder writes that (creates, then
// patches) against a real API server, so 500 "Created pod" events cost 25 writes, not 500.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Event } from '../../../src/api/core/v1/types.js';
import type { KubeList } from '../../../src/api/types.js';
import { EventCorrelator } from '../../../src/client/event_correlator.js';
import { EventRecorder } from '../../../src/client/events.js';
import { startApi } from './api_fixture.js';

let seq = 0;
function ev(name: string, reason: string, message: string, type = 'Normal'): Event {
  seq++;
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `${name}.${seq.toString(16)}`, namespace: 'default' },
    involvedObject: { kind: 'ReplicaSet', namespace: 'default', name, uid: `uid-${name}`, apiVersion: 'apps/v1' },
    reason,
    message,
    type,
    count: 1,
    firstTimestamp: `t${seq}`,
    lastTimestamp: `t${seq}`,
    source: { component: 'replicaset-controller' },
    reportingComponent: 'replicaset-controller',
  };
}

describe('EventCorrelator', () => {
  it('turns a repeat of the same event into a patch of the first one with count + 1', () => {
    const c = new EventCorrelator();
    const first = c.correlate(ev('web', 'BackOff', 'Back-off restarting'));
    const second = c.correlate(ev('web', 'BackOff', 'Back-off restarting'));
    assert.ok(!first.skip && !second.skip);
    assert.equal(first.patch, false);
    assert.equal(second.patch, true);
    assert.equal(second.event.metadata.name, first.event.metadata.name);
    assert.equal(second.event.count, 2);
    assert.equal(second.event.firstTimestamp, first.event.firstTimestamp);
  });

  it('combines the 10th similar event and later ones into one aggregate Event', () => {
    const c = new EventCorrelator();
    const out = Array.from({ length: 14 }, (_, i) => c.correlate(ev('web', 'SuccessfulCreate', `Created pod: web-${i}`)));
    assert.ok(out.every((o) => !o.skip));
    const written = out.map((o) => (o.skip ? undefined : o));
    for (let i = 0; i < 9; i++) assert.equal(written[i]!.event.message, `Created pod: web-${i}`);
    assert.equal(written[9]!.event.message, '(combined from similar events): Created pod: web-9');
    assert.equal(written[9]!.patch, false, 'the aggregate is created once');
    for (let i = 10; i < 14; i++) {
      assert.equal(written[i]!.patch, true);
      assert.equal(written[i]!.event.metadata.name, written[9]!.event.metadata.name);
      assert.equal(written[i]!.event.message, `(combined from similar events): Created pod: web-${i}`);
      assert.equal(written[i]!.event.count, i - 8);
    }
    // another reason about the same object is its own group
    const other = c.correlate(ev('web', 'SuccessfulDelete', 'Deleted pod: web-0'));
    assert.ok(!other.skip && other.event.message === 'Deleted pod: web-0');
  });

  it('lets a source write 25 events about one object, then one more per 5 minutes; other objects are not affected', () => {
    let now = 1_000_000;
    const c = new EventCorrelator({ now: () => now });
    const out = Array.from({ length: 40 }, (_, i) => c.correlate(ev('web', 'Unhealthy', `probe failed ${i % 3}`, 'Warning')));
    assert.equal(out.filter((o) => !o.skip).length, 25);
    assert.ok(out.slice(25).every((o) => o.skip));
    assert.equal(c.correlate(ev('db', 'Unhealthy', 'probe failed 0', 'Warning')).skip, false);
    now += 299_000;
    assert.equal(c.correlate(ev('web', 'Unhealthy', 'probe failed 0', 'Warning')).skip, true);
    now += 2_000;
    const later = c.correlate(ev('web', 'Unhealthy', 'probe failed 0', 'Warning'));
    assert.ok(!later.skip);
    // the skipped repeats were still counted: 40 + 1 skipped + this one of "probe failed 0", 14 + 1 + 1
    assert.equal(later.patch, true);
    assert.equal(later.event.count, 16);
  });

  it('starts a new aggregation window after 10 minutes without a similar event', () => {
    let now = 0;
    const c = new EventCorrelator({ now: () => now, spamBurst: 1000 });
    for (let i = 0; i < 9; i++) c.correlate(ev('web', 'SuccessfulCreate', `Created pod: a${i}`));
    now += 600_001;
    const o = c.correlate(ev('web', 'SuccessfulCreate', 'Created pod: b'));
    assert.ok(!o.skip);
    assert.equal(o.event.message, 'Created pod: b');
  });
});

describe('EventRecorder against the API server', () => {
  it('writes 500 SuccessfulCreate events of one ReplicaSet as 25 requests: 9 Events, an aggregate, its count patches', async () => {
    const api = await startApi();
    try {
      const rec = new EventRecorder(api.client, { component: 'replicaset-controller' });
      const rs = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web', namespace: 'default', uid: 'u-1' } };
      for (let i = 0; i < 500; i++) rec.event(rs, 'Normal', 'SuccessfulCreate', `Created pod: web-${i}`);
      await rec.flush();
      assert.equal(api.client.count('POST /api/v1/namespaces/default/events'), 10);
      assert.equal(api.client.count('PATCH /api/v1/namespaces/default/events/'), 15);
      const list = await api.admin.list<Event>('/api/v1/namespaces/default/events');
      const events = (list as KubeList<Event>).items;
      assert.equal(events.length, 10);
      const combined = events.filter((e) => e.message?.startsWith('(combined from similar events): '));
      assert.equal(combined.length, 1);
      assert.equal(combined[0]!.count, 16);
      assert.equal(combined[0]!.message, '(combined from similar events): Created pod: web-24');
      assert.ok(events.every((e) => e.involvedObject.uid === 'u-1' && e.reason === 'SuccessfulCreate' && e.source?.component === 'replicaset-controller'));
    } finally {
      await api.close();
    }
  });

  it('creates the Event again when the one it would patch is gone', async () => {
    const api = await startApi();
    try {
      const rec = new EventRecorder(api.client, { component: 'kubelet', host: 'n1' });
      const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default', uid: 'u-2' } };
      rec.event(pod, 'Warning', 'BackOff', 'Back-off restarting failed container');
      await rec.flush();
      const [first] = (await api.admin.list<Event>('/api/v1/namespaces/default/events')).items;
      await api.admin.delete(`/api/v1/namespaces/default/events/${first!.metadata.name}`);
      rec.event(pod, 'Warning', 'BackOff', 'Back-off restarting failed container');
      await rec.flush();
      const items = (await api.admin.list<Event>('/api/v1/namespaces/default/events')).items;
      assert.equal(items.length, 1);
      assert.equal(items[0]!.count, 2);
      assert.equal(items[0]!.source?.host, 'n1');
    } finally {
      await api.close();
    }
  });
});
