// Completion-index set strings ("1,3-5,7") as Job status and success policies write them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatIndexes, parseIndexes } from '../../../src/api/batch/v1/indexes.js';

test('formatIndexes writes sorted numbers and ranges', () => {
  assert.equal(formatIndexes([]), '');
  assert.equal(formatIndexes([0]), '0');
  assert.equal(formatIndexes([2, 0, 1]), '0-2');
  assert.equal(formatIndexes([1, 3, 4, 5, 7]), '1,3-5,7');
  assert.equal(formatIndexes([5, 6]), '5-6');
  assert.equal(formatIndexes([9, 1, 1, 2]), '1-2,9');
});

test('parseIndexes reads them back, bounded by completions', () => {
  assert.deepEqual(parseIndexes('1,3-5,7'), [1, 3, 4, 5, 7]);
  assert.deepEqual(parseIndexes(''), []);
  assert.deepEqual(parseIndexes(undefined), []);
  assert.deepEqual(parseIndexes('0-9', 3), [0, 1, 2]);
  assert.deepEqual(parseIndexes(formatIndexes([0, 2, 3, 4, 8])), [0, 2, 3, 4, 8]);
});

test('parseIndexes refuses malformed and unordered sets', () => {
  assert.throws(() => parseIndexes('a'), /cannot parse integer index/);
  assert.throws(() => parseIndexes('5-3'), /non-increasing order/);
  assert.throws(() => parseIndexes('3,1'), /non-increasing order/);
  assert.throws(() => parseIndexes('1-4,3'), /non-increasing order/);
  assert.throws(() => parseIndexes('1,,2'), /cannot parse/);
});
