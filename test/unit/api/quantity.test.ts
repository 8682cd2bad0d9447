// Unit tests for src/api/quantity.ts: parsing, canonical form, comparison, milli/byte conversions, errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as q from '../../../src/api/quantity.js';

test('canonical string form matches upstream serialisation', () => {
  const cases: [string | number, string][] = [
    ['100m', '100m'],
    ['1.5', '1500m'],
    ['0.1', '100m'],
    ['2Gi', '2Gi'],
    ['1024Mi', '1Gi'],
    ['1.5Gi', '1536Mi'],
    ['0.5Ki', '512'],
    ['1e3', '1e3'],
    ['1E3', '1e3'],
    ['500M', '500M'],
    ['1000m', '1'],
    ['1500000', '1500k'],
    ['1000', '1k'],
    ['1536', '1536'],
    ['-1.5', '-1500m'],
    ['.5', '500m'],
    ['5.', '5'],
    ['0', '0'],
    ['0Gi', '0'],
    ['1e-12', '1e-9'],
    ['1n', '1n'],
    ['1.0000000001', '1000000001n'],
    ['+3', '3'],
    [1, '1'],
    [0.25, '250m'],
  ];
  for (const [input, want] of cases) assert.equal(q.canonicalQuantity(input), want, `canonical(${input})`);
});

test('milli-units and bytes round up', () => {
  assert.equal(q.quantityToMilli('100m'), 100);
  assert.equal(q.quantityToMilli('2'), 2000);
  assert.equal(q.quantityToMilli('1.5'), 1500);
  assert.equal(q.quantityToMilli('0.0001'), 1);
  assert.equal(q.quantityToBytes('1Ki'), 1024);
  assert.equal(q.quantityToBytes('128Mi'), 134217728);
  assert.equal(q.quantityToBytes('1G'), 1e9);
  assert.equal(q.quantityToBytes('1.5'), 2);
  assert.equal(q.quantityToBytes('100m'), 1);
});

test('comparison across formats', () => {
  assert.equal(q.compareQuantities('1', '1000m'), 0);
  assert.equal(q.compareQuantities('1Ki', '1024'), 0);
  assert.equal(q.compareQuantities('1k', '1Ki'), -1);
  assert.equal(q.compareQuantities('2Gi', '2G'), 1);
  assert.equal(q.compareQuantities('-1', '0'), -1);
  const a = q.parseQuantity('250m');
  assert.equal(a.add(q.parseQuantity('750m')).toString(), '1');
  assert.equal(a.sub(q.parseQuantity('1')).toString(), '-750m');
  assert.ok(q.parseQuantity('0').isZero());
});

test('format is kept from the suffix', () => {
  assert.equal(q.parseQuantity('1Gi').format, 'BinarySI');
  assert.equal(q.parseQuantity('1G').format, 'DecimalSI');
  assert.equal(q.parseQuantity('1e9').format, 'DecimalExponent');
  assert.equal(q.parseQuantity('5').format, 'DecimalSI');
  assert.equal(JSON.stringify({ x: q.parseQuantity('2048Ki') }), '{"x":"2Mi"}');
});

test('bad input gets the upstream error messages', () => {
  const re = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
  for (const bad of ['', 'abc', '1Qi', '1 Gi', 'e3', '--1', 'Gi']) {
    assert.throws(
      () => q.parseQuantity(bad),
      (e: Error) => e instanceof q.QuantityError && e.message === re,
      bad,
    );
  }
  for (const bad of ['1.2.3', '.']) assert.throws(() => q.parseQuantity(bad), { message: 'unable to parse numeric part of quantity' }, bad);
  for (const bad of ['1iK', '1e', '1kk', '1Mm']) assert.throws(() => q.parseQuantity(bad), { message: "unable to parse quantity's suffix" }, bad);
  assert.equal(q.tryParseQuantity('nope'), undefined);
  assert.equal(q.tryParseQuantity({}), undefined);
  assert.equal(q.quantityError('1x'), re);
  assert.equal(q.quantityError('1'), undefined);
  assert.throws(() => q.parseQuantity(Number.NaN));
});

test('resource list canonicalisation', () => {
  assert.deepEqual(q.canonicalResourceList({ cpu: '1000m', memory: '1024Mi', bad: 'x' }), { cpu: '1', memory: '1Gi', bad: 'x' });
});
