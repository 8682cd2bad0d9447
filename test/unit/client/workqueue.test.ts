// The rate-limited work queue: de-duplication, a key never handed out twice at once (dirty while
// processing → once more after done), delayed adds, per-key exponential backoff (5 ms → 1000 s) and forget.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ItemExponentialFailureRateLimiter, WorkQueue } from '../../../src/client/workqueue.js';

describe('WorkQueue', () => {
  it('queues a key added many times once, in first-added order', async () => {
    const q = new WorkQueue();
    for (const k of ['a', 'b', 'a', 'c', 'b']) q.add(k);
    assert.equal(q.len(), 3);
    assert.deepEqual([await q.get(), await q.get(), await q.get()], ['a', 'b', 'c']);
    assert.equal(q.len(), 0);
    q.shutdown();
  });

  it('holds a key re-added while it is processed until done, then hands it out once more', async () => {
    const q = new WorkQueue();
    q.add('a');
    assert.equal(await q.get(), 'a');
    q.add('a');
    q.add('a');
    assert.equal(q.len(), 0, 'not queued while processing');
    q.done('a');
    assert.equal(q.len(), 1);
    assert.equal(await q.get(), 'a');
    q.done('a');
    assert.equal(q.len(), 0);
    q.shutdown();
  });

  it('never runs one key on two workers at once', async () => {
    const q = new WorkQueue();
    let active = 0;
    let maxActive = 0;
    let runs = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const done = q.run(async () => {
      active++;
      maxActive = Math.max(maxActive, active);
      if (runs === 0) await gate;
      active--;
      runs++;
    }, 4);
    q.add('k');
    while (active === 0) await new Promise((r) => setTimeout(r, 1));
    q.add('k');
    q.add('k');
    await new Promise((r) => setTimeout(r, 10));
    assert.equal(active, 1, 'idle workers do not take the key being processed');
    release();
    while (runs < 2) await new Promise((r) => setTimeout(r, 1));
    await new Promise((r) => setTimeout(r, 10));
    q.shutdown();
    await done;
    assert.equal(maxActive, 1);
    assert.equal(runs, 2, 'the adds during the first run coalesce into one more run');
  });

  it('addAfter delays the add; the earlier of two delayed adds wins', async () => {
    const q = new WorkQueue();
    q.addAfter('a', 30);
    q.addAfter('a', 1000);
    assert.equal(q.len(), 0);
    await new Promise((r) => setTimeout(r, 60));
    assert.equal(q.len(), 1);
    q.shutdown();
  });

  it('backs off per key exponentially from 5 ms up to 1000 s, and forget starts over', () => {
    const rl = new ItemExponentialFailureRateLimiter();
    assert.deepEqual([rl.when('a'), rl.when('a'), rl.when('a'), rl.when('b')], [5, 10, 20, 5]);
    for (let i = 0; i < 40; i++) rl.when('a');
    assert.equal(rl.when('a'), 1_000_000);
    assert.equal(rl.numRequeues('a'), 44);
    rl.forget('a');
    assert.equal(rl.numRequeues('a'), 0);
    assert.equal(rl.when('a'), 5);
  });

  it('addRateLimited re-adds after the backoff; numRequeues counts the failures', async () => {
    const q = new WorkQueue(20, 1000);
    q.addRateLimited('a');
    q.addRateLimited('a');
    assert.equal(q.numRequeues('a'), 2);
    assert.equal(q.len(), 0);
    await new Promise((r) => setTimeout(r, 60));
    assert.equal(q.len(), 1, 'one add, at the earlier deadline');
    q.forget('a');
    assert.equal(q.numRequeues('a'), 0);
    q.shutdown();
  });

  it('shutdown releases waiting workers and drops delayed adds', async () => {
    const q = new WorkQueue();
    const waiting = q.get();
    q.addAfter('late', 10);
    q.shutdown();
    assert.equal(await waiting, undefined);
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(q.len(), 0);
    q.add('x');
    assert.equal(q.len(), 0);
    assert.ok(q.shuttingDown());
  });
});
