// ControllerExpectations: pending creations and UID-tracked deletions hold a key's sync back until the
// informer has seen them, and expire after the timeout so a lost event cannot wedge an owner.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ControllerExpectations } from '../../../src/controllers/expectations.js';

test('a key without expectations is satisfied; creations must all be observed', () => {
  const e = new ControllerExpectations();
  assert.equal(e.satisfied('ns/rs'), true);
  e.expectCreations('ns/rs', 3);
  assert.equal(e.satisfied('ns/rs'), false);
  e.creationObserved('ns/rs');
  e.creationObserved('ns/rs');
  assert.equal(e.satisfied('ns/rs'), false);
  assert.deepEqual(e.pending('ns/rs'), { add: 1, del: 0 });
  e.creationObserved('ns/rs');
  assert.equal(e.satisfied('ns/rs'), true);
});

test('skipped creates lower the expectation; deletions are tracked by UID (a repeat does not count twice)', () => {
  const e = new ControllerExpectations();
  e.expectCreations('k', 8);
  e.creationObserved('k');
  e.lowerCreations('k', 7);
  assert.equal(e.satisfied('k'), true);
  e.expectDeletions('k', ['u1', 'u2']);
  assert.equal(e.satisfied('k'), false);
  e.deletionObserved('k', 'u1');
  e.deletionObserved('k', 'u1');
  e.deletionObserved('k', 'other');
  assert.equal(e.satisfied('k'), false);
  e.deletionObserved('k', 'u2');
  assert.equal(e.satisfied('k'), true);
});

test('expectations expire after the timeout; delete forgets a key', () => {
  let now = 1000;
  const e = new ControllerExpectations(() => now, 5000);
  e.expectCreations('k', 2);
  now += 5000;
  assert.equal(e.satisfied('k'), false);
  now += 1;
  assert.equal(e.satisfied('k'), true);
  e.expectCreations('j', 1);
  e.delete('j');
  assert.equal(e.satisfied('j'), true);
  assert.equal(e.pending('j'), undefined);
});
