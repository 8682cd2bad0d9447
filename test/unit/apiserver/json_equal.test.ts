// jsonEqual: the update path's "would the stored object change?" must agree with a JSON round trip.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import { jsonEqual } from '../../../src/apiserver/rest/json_equal.js';

const viaJSON = (a: unknown, b: unknown) => isDeepStrictEqual(JSON.parse(JSON.stringify(a) ?? 'null'), JSON.parse(JSON.stringify(b) ?? 'null'));

test('jsonEqual agrees with a JSON round trip', () => {
  const cases: [unknown, unknown][] = [
    [
      { a: 1, b: { c: [1, 2, { d: 'x' }] } },
      { b: { c: [1, 2, { d: 'x' }] }, a: 1 },
    ],
    [{ a: 1, u: undefined }, { a: 1 }],
    [{ a: 1 }, { a: 1, u: undefined }],
    [{ a: [undefined, 1] }, { a: [null, 1] }],
    [{ a: [1, 2] }, { a: [2, 1] }],
    [{ a: [] }, { a: {} }],
    [{ a: null }, { a: undefined }],
    [{ a: null }, {}],
    [{ a: 0 }, { a: '0' }],
    [{ a: NaN }, { a: null }],
    [{ a: 'x' }, { a: 'y' }],
    [{ a: { b: 1 } }, { a: { b: 1, c: 2 } }],
    [{ t: new Date(0) }, { t: '1970-01-01T00:00:00.000Z' }],
    [
      { metadata: { name: 'p', labels: { x: 'y' } }, spec: { containers: [{ name: 'c' }] } },
      { metadata: { name: 'p', labels: { x: 'y' } }, spec: { containers: [{ name: 'c' }] } },
    ],
    [{ metadata: { name: 'p', labels: { x: 'y' } } }, { metadata: { name: 'p', labels: { x: 'z' } } }],
  ];
  for (const [a, b] of cases) assert.equal(jsonEqual(a, b), viaJSON(a, b), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
});
