// sameJSON (the status manager's "unchanged since the last write" check) agrees with comparing
// JSON.stringify output with sorted keys: key order, undefined members, array holes, toJSON, numbers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jsonSnapshot, sameJSON } from '../../../src/kubelet/status/json_equal.js';

/** The reference: JSON text with every object's keys sorted. */
function sortedJSON(v: unknown): string | undefined {
  return JSON.stringify(v, (_k, val: unknown) =>
    val && typeof val === 'object' && !Array.isArray(val)
      ? Object.fromEntries(Object.entries(val as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : val,
  );
}

const when = new Date('2024-01-01T00:00:00Z');
const cases: [string, unknown, unknown][] = [
  ['same object', { a: 1, b: 'x' }, { a: 1, b: 'x' }],
  ['key order', { a: 1, b: { c: [1, 2], d: null } }, { b: { d: null, c: [1, 2] }, a: 1 }],
  ['undefined member dropped', { a: 1, gone: undefined }, { a: 1 }],
  ['function member dropped', { a: 1, f: () => 1 }, { a: 1 }],
  ['undefined in array is null', [1, undefined, 3], [1, null, 3]],
  ['NaN and Infinity are null', { n: NaN, i: Infinity }, { n: null, i: null }],
  ['toJSON', { t: when }, { t: '2024-01-01T00:00:00.000Z' }],
  ['different value', { a: 1 }, { a: 2 }],
  ['extra key', { a: 1 }, { a: 1, b: 2 }],
  ['missing key', { a: 1, b: 2 }, { a: 1 }],
  ['array length', [1, 2], [1, 2, 3]],
  ['array order', [1, 2], [2, 1]],
  ['array vs object', [1], { 0: 1 }],
  ['null vs object', { a: null }, { a: {} }],
  ['string vs number', { a: '1' }, { a: 1 }],
  ['false vs null', { a: false }, { a: null }],
  ['nested change', { cs: [{ name: 'c', ready: true }] }, { cs: [{ name: 'c', ready: false }] }],
  ['empty objects', {}, {}],
];

for (const [name, v, other] of cases) {
  test(`sameJSON: ${name}`, () => {
    const snapshot = JSON.parse(JSON.stringify(other)) as unknown;
    assert.equal(sameJSON(v, snapshot), sortedJSON(v) === sortedJSON(other));
  });
}

test('undefined is never the same as a missing snapshot', () => {
  assert.equal(sameJSON(undefined, undefined), false);
  assert.equal(sameJSON({ a: 1 }, undefined), false);
});

test('jsonSnapshot is a detached JSON copy', () => {
  const v = { a: [1, { b: 2 }], u: undefined, t: when };
  const s = jsonSnapshot(v);
  assert.deepEqual(s, { a: [1, { b: 2 }], t: '2024-01-01T00:00:00.000Z' });
  (v.a[1] as { b: number }).b = 3;
  assert.equal(sameJSON(v, s), false, 'a later change of the original is seen');
});
