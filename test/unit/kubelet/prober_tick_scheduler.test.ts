// The probe workers' shared timer: ticks due together run from one wakeup, in booking order; cancelled
// ticks never run; early bookings re-arm the timer; the grid rounds times up; a throwing tick spares the rest.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TickScheduler } from '../../../src/kubelet/prober/tick_scheduler.js';
import type { Clock } from '../../../src/kubelet/prober/worker.js';

/** A manual clock: timers fire only when advance() passes their time; counts armed timers. */
class FakeClock implements Clock {
  t = 1_000_000;
  armed = 0;
  private timers = new Map<number, { at: number; fn: () => void }>();
  private id = 0;
  now = () => this.t;
  setTimeout = (fn: () => void, ms: number) => {
    this.armed++;
    const id = ++this.id;
    this.timers.set(id, { at: this.t + ms, fn });
    return id;
  };
  clearTimeout = (h: unknown) => void this.timers.delete(h as number);
  /** Moves time forward, firing due timers in time order; returns how many fired (= wakeups). */
  advance(ms: number): number {
    const end = this.t + ms;
    let fired = 0;
    for (;;) {
      let next: [number, { at: number; fn: () => void }] | undefined;
      for (const e of this.timers) if (e[1].at <= end && (!next || e[1].at < next[1].at)) next = e;
      if (!next) break;
      this.timers.delete(next[0]);
      this.t = Math.max(this.t, next[1].at);
      fired++;
      next[1].fn();
    }
    this.t = end;
    return fired;
  }
  get live(): number {
    return this.timers.size;
  }
}

test('align rounds up to the grid; slot 1 means whole ms', () => {
  const c = new FakeClock();
  const s = new TickScheduler(c, 50);
  assert.equal(s.align(1000), 1000);
  assert.equal(s.align(1001), 1050);
  assert.equal(s.align(1049.5), 1050);
  assert.equal(new TickScheduler(c, 1).align(1000.2), 1001);
});

test('ticks due at the same time share one wakeup and run in booking order', () => {
  const c = new FakeClock();
  const s = new TickScheduler(c, 50);
  const ran: string[] = [];
  const at = s.align(c.now() + 120);
  for (const n of ['a', 'b', 'c']) s.schedule(at, () => ran.push(n));
  s.schedule(at + 50, () => ran.push('d'));
  assert.equal(c.advance(at - c.now() - 5), 0, 'nothing before the time');
  assert.deepEqual(ran, []);
  assert.equal(c.advance(5), 1, 'one wakeup for three ticks');
  assert.deepEqual(ran, ['a', 'b', 'c']);
  assert.equal(c.advance(50), 1);
  assert.deepEqual(ran, ['a', 'b', 'c', 'd']);
  assert.equal(c.live, 0, 'no timer left when nothing is booked');
  assert.equal(s.pending, 0);
});

test('an earlier booking re-arms the timer; a later one does not', () => {
  const c = new FakeClock();
  const s = new TickScheduler(c, 1);
  const ran: number[] = [];
  s.schedule(c.now() + 100, () => ran.push(100));
  const armed = c.armed;
  s.schedule(c.now() + 200, () => ran.push(200));
  assert.equal(c.armed, armed, 'later booking: same timer');
  s.schedule(c.now() + 10, () => ran.push(10));
  assert.equal(c.armed, armed + 1, 'earlier booking: re-armed');
  assert.equal(c.live, 1, 'only one timer at a time');
  c.advance(250);
  assert.deepEqual(ran, [10, 100, 200]);
});

test('cancelled ticks never run; a tick booked from a tick runs at its own time', () => {
  const c = new FakeClock();
  const s = new TickScheduler(c, 1);
  const ran: string[] = [];
  const t = s.schedule(c.now() + 10, () => ran.push('cancelled'));
  s.schedule(c.now() + 10, () => {
    ran.push('first');
    s.schedule(c.now() + 30, () => ran.push('again'));
  });
  t.cancel();
  c.advance(20);
  assert.deepEqual(ran, ['first']);
  c.advance(30);
  assert.deepEqual(ran, ['first', 'again']);
});

test('a timer firing a millisecond early still runs the tick; a throwing tick does not stop the others', () => {
  const c = new FakeClock();
  const s = new TickScheduler(c, 1);
  const ran: string[] = [];
  s.schedule(c.now() + 10, () => {
    throw new Error('boom');
  });
  s.schedule(c.now() + 11, () => ran.push('late by one'));
  c.advance(10);
  assert.deepEqual(ran, ['late by one'], 'due within a ms: same wakeup');
});

test('stop drops every booking and the timer', () => {
  const c = new FakeClock();
  const s = new TickScheduler(c, 50);
  let n = 0;
  s.schedule(c.now() + 100, () => n++);
  s.stop();
  assert.equal(c.live, 0);
  c.advance(1000);
  assert.equal(n, 0);
});
