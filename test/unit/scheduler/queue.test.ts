import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SchedulingQueue } from '../../../src/scheduler/queue.js';

test('pops by priority, then age', async () => {
  const q = new SchedulingQueue();
  q.add('ns/old', 0, 1);
  q.add('ns/new', 0, 5);
  q.add('ns/important', 100, 9);
  assert.equal(await q.pop(), 'ns/important');
  assert.equal(await q.pop(), 'ns/old');
  assert.equal(await q.pop(), 'ns/new');
  q.close();
  assert.equal(await q.pop(), undefined);
});

test('failed pods wait for a cluster event, then back off', async () => {
  let now = 1000;
  const q = new SchedulingQueue({ initialBackoffMs: 20, maxBackoffMs: 40, now: () => now });
  q.add('a');
  assert.equal(await q.pop(), 'a');
  q.failed('a');
  assert.deepEqual(q.pendingCounts(), { active: 0, backoff: 0, unschedulable: 1 });
  now += 100; // backoff long over
  q.moveAllToActiveOrBackoff();
  assert.deepEqual(q.pendingCounts(), { active: 1, backoff: 0, unschedulable: 0 });
  assert.equal(await q.pop(), 'a');
  q.failed('a');
  q.moveAllToActiveOrBackoff(); // still backing off: goes through the backoff timer
  assert.deepEqual(q.pendingCounts(), { active: 0, backoff: 1, unschedulable: 0 });
  now += 100;
  const popped = await q.pop(); // timer fires (real time, <= 40ms)
  assert.equal(popped, 'a');
  q.done('a');
  assert.equal(q.has('a'), false);
  q.close();
});

test('an event during an attempt sends the failed pod to backoff instead of parking it', async () => {
  const q = new SchedulingQueue({ initialBackoffMs: 5 });
  q.add('a');
  assert.equal(await q.pop(), 'a');
  q.moveAllToActiveOrBackoff();
  q.failed('a');
  assert.equal(q.pendingCounts().unschedulable, 0);
  assert.equal(await q.pop(), 'a');
  q.close();
});

test('periodic flush and delete', async () => {
  const q = new SchedulingQueue({ initialBackoffMs: 1 });
  q.add('a');
  q.add('b');
  await q.pop();
  await q.pop();
  q.failed('a');
  q.failed('b');
  q.delete('b');
  await new Promise((r) => setTimeout(r, 5));
  q.flushUnschedulable();
  assert.deepEqual(q.pendingCounts(), { active: 1, backoff: 0, unschedulable: 0 });
  assert.equal(await q.pop(), 'a');
  q.close();
});

test('unschedulable pods move only on events the rejecting plugins registered for', async () => {
  const { eventMatches } = await import('../../../src/scheduler/cluster_events.js');
  const { defaultPlugins } = await import('../../../src/scheduler/framework.js');
  const byName = new Map(defaultPlugins().map((p) => [p.name, p]));
  const q = new SchedulingQueue({ initialBackoffMs: 1 });
  q.interest = (plugins, ev) => [...plugins].some((n) => (byName.get(n)?.events ?? []).some((r) => eventMatches(r, ev)));
  q.add('ns/affinity');
  q.add('ns/resources');
  q.add('ns/unknown');
  await q.pop();
  await q.pop();
  await q.pop();
  q.failed('ns/affinity', { plugins: ['NodeAffinity'] });
  q.failed('ns/resources', { plugins: ['NodeResourcesFit'] });
  q.failed('ns/unknown');
  await new Promise((r) => setTimeout(r, 5));
  q.moveAllToActiveOrBackoff({ resource: 'AssignedPod', action: 'Delete' });
  assert.deepEqual(q.pendingCounts(), { active: 2, backoff: 0, unschedulable: 1 }, 'a pod deletion frees resources, not labels');
  const popped = new Set([await q.pop(), await q.pop()]);
  assert.deepEqual(popped, new Set(['ns/resources', 'ns/unknown']));
  q.moveAllToActiveOrBackoff({ resource: 'Node', action: 'UpdateNodeTaint' });
  assert.equal(q.pendingCounts().unschedulable, 1, 'a taint change does not help a node-affinity rejection');
  q.moveAllToActiveOrBackoff({ resource: 'Node', action: 'UpdateNodeLabel' });
  assert.equal(await q.pop(), 'ns/affinity');
  q.close();
});

test('the active queue is a heap: many pods come out by priority then age', async () => {
  const q = new SchedulingQueue();
  const want: string[] = [];
  for (let i = 0; i < 500; i++) q.add(`ns/p${i}`, i % 7, 1000 - i);
  for (let pr = 6; pr >= 0; pr--) {
    const group = [];
    for (let i = 0; i < 500; i++) if (i % 7 === pr) group.push({ k: `ns/p${i}`, t: 1000 - i });
    group.sort((a, b) => a.t - b.t);
    want.push(...group.map((g) => g.k));
  }
  const got: string[] = [];
  for (let i = 0; i < 500; i++) got.push((await q.pop())!);
  assert.deepEqual(got, want);
  q.close();
});
