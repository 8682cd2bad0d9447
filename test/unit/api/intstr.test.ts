// Int-or-percent scaling as upstream's GetScaledValueFromIntOrPercent: integers as is, percentages of a
// total rounded up (maxSurge) or down (maxUnavailable).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isPercent, scaledValueFromIntOrPercent } from '../../../src/api/intstr.js';

test('percentages round up or down; integers pass through', () => {
  assert.equal(scaledValueFromIntOrPercent('25%', 10, true), 3);
  assert.equal(scaledValueFromIntOrPercent('25%', 10, false), 2);
  assert.equal(scaledValueFromIntOrPercent('25%', 4, true), 1);
  assert.equal(scaledValueFromIntOrPercent('25%', 1, false), 0);
  assert.equal(scaledValueFromIntOrPercent('100%', 7, false), 7);
  assert.equal(scaledValueFromIntOrPercent(2, 100, true), 2);
  assert.equal(scaledValueFromIntOrPercent(undefined, 10, true), 0);
  assert.throws(() => scaledValueFromIntOrPercent('25', 10, true), /invalid value/);
  assert.equal(isPercent('5%'), true);
  assert.equal(isPercent('5.5%'), false);
  assert.equal(isPercent(5), false);
});
