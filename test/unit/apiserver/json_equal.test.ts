// jsonEqual answers what isDeepStrictEqual on JSON round trips answers (the REST store's no-op check), on
// hand-picked edge cases and on random JSON-ish values with undefined holes, reordered keys and small edits.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import { jsonEqual } from '../../../src/apiserver/rest/json_equal.js';

const reference = (a: unknown, b: unknown) => isDeepStrictEqual(JSON.parse(JSON.stringify(a) ?? 'null'), JSON.parse(JSON.stringify(b) ?? 'null'));

describe('jsonEqual', () => {
  const cases: [string, unknown, unknown][] = [
    ['same primitives', 1, 1],
    ['different primitives', 1, '1'],
    ['key order does not matter', { a: 1, b: { c: [1, 2] } }, { b: { c: [1, 2] }, a: 1 }],
    ['an undefined property is absent', { a: 1, b: undefined }, { a: 1 }],
    ['an undefined element is null', [1, undefined], [1, null]],
    ['array order matters', [1, 2], [2, 1]],
    ['array vs object', [], {}],
    ['null vs absent', { a: null }, {}],
    ['NaN is null', { a: NaN }, { a: null }],
    ['a Date is its ISO string', { t: new Date(0) }, { t: '1970-01-01T00:00:00.000Z' }],
    ['nested difference', { a: { b: { c: 'x' } } }, { a: { b: { c: 'y' } } }],
    ['extra key', { a: 1 }, { a: 1, b: 2 }],
    ['a function property vanishes', { a: 1, f: () => 1 }, { a: 1 }],
  ];
  for (const [name, a, b] of cases) {
    it(name, () => {
      assert.equal(jsonEqual(a, b), reference(a, b));
      assert.equal(jsonEqual(b, a), reference(b, a));
    });
  }

  it('agrees with the round trip on random values and their edits', () => {
    let seed = 42;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const gen = (d: number): unknown => {
      const r = rnd();
      if (d <= 0 || r < 0.3) return [0, 1, 'a', 'b', true, null, undefined][Math.floor(rnd() * 7)];
      if (r < 0.6) return Array.from({ length: Math.floor(rnd() * 4) }, () => gen(d - 1));
      const o: Record<string, unknown> = {};
      for (let i = Math.floor(rnd() * 4); i > 0; i--) o['k' + Math.floor(rnd() * 5)] = gen(d - 1);
      return o;
    };
    const shuffle = (v: unknown): unknown => {
      if (Array.isArray(v)) return v.map(shuffle);
      if (v && typeof v === 'object') {
        const keys = Object.keys(v).sort(() => rnd() - 0.5);
        return Object.fromEntries(keys.map((k) => [k, shuffle((v as Record<string, unknown>)[k])]));
      }
      return v;
    };
    const edit = (v: unknown): unknown => {
      if (v && typeof v === 'object' && !Array.isArray(v)) {
        const keys = Object.keys(v);
        if (keys.length) return { ...v, [keys[Math.floor(rnd() * keys.length)]]: gen(1) };
        return { x: 1 };
      }
      if (Array.isArray(v) && v.length) return v.map((x, i) => (i === 0 ? gen(1) : x));
      return gen(1);
    };
    let equalSeen = 0;
    for (let i = 0; i < 3000; i++) {
      const a = { v: gen(4) };
      for (const b of [shuffle(a), edit(a), { v: gen(4) }]) {
        const want = reference(a, b);
        if (want) equalSeen++;
        assert.equal(jsonEqual(a, b), want, `${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
      }
    }
    assert.ok(equalSeen > 3000, 'the cases include equal pairs');
  });
});
