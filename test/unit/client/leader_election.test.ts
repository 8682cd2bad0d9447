// The leader elector against an in-memory lock on a fake clock: one leader at a time, takeover only after the
// lease duration without an observed renewal, giving up after the renew deadline, release on a clean stop.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LeaderElector, microTime, type Clock, type LeaderElectionRecord, type ResourceLock } from '../../../src/client/leader_election.js';

class FakeClock implements Clock {
  t = 1_000_000;
  private timers: { at: number; resolve: () => void }[] = [];
  now(): number {
    return this.t;
  }
  sleep(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal.aborted) return resolve();
      const onAbort = () => resolve();
      const timer = {
        at: this.t + ms,
        resolve: () => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      this.timers.push(timer);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
  /** Moves time forward in 100 ms steps, letting every woken task run before the next step. */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    while (this.t < end) {
      await flush();
      this.t = Math.min(end, this.t + 100);
      const due = this.timers.filter((x) => x.at <= this.t);
      this.timers = this.timers.filter((x) => x.at > this.t);
      for (const d of due) d.resolve();
    }
    await flush();
  }
}

async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
}

interface Stored {
  record?: LeaderElectionRecord;
  version: number;
  events: string[];
  writes: number;
}

class MemLock implements ResourceLock {
  failing = false;
  constructor(
    readonly identity: string,
    private readonly store: Stored,
  ) {}
  describe(): string {
    return 'kube-system/test';
  }
  async get() {
    if (this.failing) throw new Error('connection refused');
    return this.store.record ? { record: { ...this.store.record }, version: String(this.store.version) } : undefined;
  }
  async create(r: LeaderElectionRecord) {
    if (this.failing) throw new Error('connection refused');
    if (this.store.record) throw new Error('already exists');
    this.store.record = { ...r };
    this.store.version++;
    this.store.writes++;
  }
  async update(r: LeaderElectionRecord, version: string) {
    if (this.failing) throw new Error('connection refused');
    if (version !== String(this.store.version)) throw new Error('conflict');
    this.store.record = { ...r };
    this.store.version++;
    this.store.writes++;
  }
  recordEvent(message: string) {
    this.store.events.push(`${this.identity} ${message}`);
  }
}

function candidate(id: string, store: Stored, clock: FakeClock) {
  const lock = new MemLock(id, store);
  const state = { leading: false, started: 0, stopped: 0 };
  const elector = new LeaderElector({
    lock,
    clock,
    jitterFactor: 0,
    leaseDurationMs: 15_000,
    renewDeadlineMs: 10_000,
    retryPeriodMs: 2_000,
    callbacks: {
      onStartedLeading: (signal) => {
        state.leading = true;
        state.started++;
        signal.addEventListener('abort', () => (state.leading = false));
      },
      onStoppedLeading: () => {
        state.leading = false;
        state.stopped++;
      },
    },
  });
  const done = elector.run();
  return { lock, state, elector, done };
}

test('exactly one of two candidates leads; the other takes over only after the lease duration passes unrenewed', async () => {
  const clock = new FakeClock();
  const store: Stored = { version: 0, events: [], writes: 0 };
  const a = candidate('a', store, clock);
  await clock.advance(100);
  const b = candidate('b', store, clock);
  await clock.advance(20_000);
  assert.equal(a.state.leading, true);
  assert.equal(b.state.leading, false);
  assert.equal(store.record?.holderIdentity, 'a');
  assert.equal(store.record?.leaseDurationSeconds, 15);
  assert.equal(store.record?.leaderTransitions, 0);
  assert.deepEqual(store.events, ['a became leader']);
  const acquiredByA = store.record!.acquireTime;
  assert.ok(store.record!.renewTime! > acquiredByA!, 'the leader renews');

  // a's process freezes (every request fails, no release): b waits a full lease duration from the last change it saw
  a.lock.failing = true;
  const frozenAt = clock.now();
  await clock.advance(12_000);
  assert.equal(b.state.leading, false, 'not before the lease expired');
  assert.equal(a.state.leading, false, 'a gave up after the renew deadline');
  assert.equal(a.state.stopped, 1);
  await clock.advance(6_000);
  assert.equal(b.state.leading, true);
  assert.equal(store.record?.holderIdentity, 'b');
  assert.equal(store.record?.leaderTransitions, 1);
  assert.ok(store.record!.acquireTime! >= frozenAt + 15_000, 'b acquired after the lease expired');
  assert.deepEqual(store.events, ['a became leader', 'a stopped leading', 'b became leader']);
  await a.done;
  b.elector.stop();
  await clock.advance(100);
  await b.done;
});

test('a clean stop releases the lease: the other candidate acquires at its next retry', async () => {
  const clock = new FakeClock();
  const store: Stored = { version: 0, events: [], writes: 0 };
  const a = candidate('a', store, clock);
  await clock.advance(100);
  const b = candidate('b', store, clock);
  await clock.advance(5_000);
  assert.equal(a.state.leading, true);
  a.elector.stop();
  await clock.advance(100);
  await a.done;
  assert.equal(a.state.stopped, 1);
  assert.equal(store.record?.holderIdentity, '');
  assert.equal(store.record?.leaseDurationSeconds, 1);
  await clock.advance(2_100);
  assert.equal(b.state.leading, true);
  assert.equal(store.record?.holderIdentity, 'b');
  assert.equal(store.record?.leaderTransitions, 1);
  b.elector.stop();
  await clock.advance(100);
  await b.done;
});

test('a leader that keeps its lease keeps acquireTime and transitions; a lost conflict is not leadership', async () => {
  const clock = new FakeClock();
  const store: Stored = { version: 0, events: [], writes: 0 };
  const a = candidate('a', store, clock);
  await clock.advance(100);
  const acquired = store.record!.acquireTime;
  await clock.advance(30_000);
  assert.equal(store.record!.acquireTime, acquired);
  assert.equal(store.record!.leaderTransitions, 0);
  assert.ok(store.writes >= 14, `renewed every retry period (${store.writes} writes)`);
  // someone else overwrote the record (a split brain the lock must reject): a sees another holder whose lease is fresh
  store.record = { holderIdentity: 'x', leaseDurationSeconds: 15, acquireTime: clock.now(), renewTime: clock.now(), leaderTransitions: 1 };
  store.version++;
  await clock.advance(13_000);
  assert.equal(a.state.leading, false);
  assert.equal(a.state.stopped, 1);
  await a.done;
});

test('MicroTime has microseconds; the elector refuses inconsistent durations as client-go does', () => {
  assert.equal(microTime(Date.UTC(2026, 0, 2, 3, 4, 5, 678)), '2026-01-02T03:04:05.678000Z');
  const lock = new MemLock('a', { version: 0, events: [], writes: 0 });
  const callbacks = { onStartedLeading: () => {} };
  assert.throws(
    () => new LeaderElector({ lock, callbacks, leaseDurationMs: 10_000, renewDeadlineMs: 10_000 }),
    /leaseDuration must be greater than renewDeadline/,
  );
  assert.throws(() => new LeaderElector({ lock, callbacks, renewDeadlineMs: 2_000, retryPeriodMs: 2_000 }), /renewDeadline must be greater than retryPeriod/);
});
