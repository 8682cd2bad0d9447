// Unit tests for src/api/labels.ts: selector string parsing (every operator), matching, errors,
// LabelSelector objects, and label map validation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as l from '../../../src/api/labels.js';

const labels = { app: 'web', tier: 'front', env: 'prod' };

test('equality forms', () => {
  assert.equal(l.matchesLabelSelectorString('app=web', labels), true);
  assert.equal(l.matchesLabelSelectorString('app==web', labels), true);
  assert.equal(l.matchesLabelSelectorString('app=db', labels), false);
  assert.equal(l.matchesLabelSelectorString('app!=db', labels), true);
  assert.equal(l.matchesLabelSelectorString('app!=web', labels), false);
  assert.equal(l.matchesLabelSelectorString('missing!=x', labels), true, '!= matches when the key is absent');
  assert.equal(l.matchesLabelSelectorString('app=', { app: '' }), true);
  assert.equal(l.matchesLabelSelectorString('app=', labels), false);
});

test('set-based forms', () => {
  assert.equal(l.matchesLabelSelectorString('env in (prod, staging)', labels), true);
  assert.equal(l.matchesLabelSelectorString('env in (dev,staging)', labels), false);
  assert.equal(l.matchesLabelSelectorString('env notin (dev,staging)', labels), true);
  assert.equal(l.matchesLabelSelectorString('env notin (prod)', labels), false);
  assert.equal(l.matchesLabelSelectorString('missing notin (prod)', labels), true);
  assert.equal(l.matchesLabelSelectorString('missing in (prod)', labels), false);
});

test('exists and not-exists', () => {
  assert.equal(l.matchesLabelSelectorString('app', labels), true);
  assert.equal(l.matchesLabelSelectorString('missing', labels), false);
  assert.equal(l.matchesLabelSelectorString('!missing', labels), true);
  assert.equal(l.matchesLabelSelectorString('!app', labels), false);
  assert.equal(l.matchesLabelSelectorString('app', undefined), false);
  assert.equal(l.matchesLabelSelectorString('!app', null), true);
});

test('comma is AND and whitespace is tolerated', () => {
  assert.equal(l.matchesLabelSelectorString('app=web,tier=front', labels), true);
  assert.equal(l.matchesLabelSelectorString('app=web,tier=back', labels), false);
  assert.equal(l.matchesLabelSelectorString('  app = web ,  env in ( prod ) , !x ', labels), true);
  assert.equal(l.matchesLabelSelectorString('', labels), true);
  assert.ok(l.parseLabelSelector('').empty());
  assert.ok(l.parseLabelSelector('   ').empty());
});

test('parsed requirements and string form are deterministic (sorted by key)', () => {
  const s = l.parseLabelSelector('z in (b,a),a=1,!m,k');
  assert.deepEqual(
    s.requirements.map((r) => [r.key, r.operator, r.values]),
    [
      ['a', '=', ['1']],
      ['k', 'exists', []],
      ['m', '!', []],
      ['z', 'in', ['a', 'b']],
    ],
  );
  assert.equal(s.toString(), 'a=1,k,!m,z in (a,b)');
  assert.equal(s.requiresExactMatch('a'), '1');
  assert.equal(s.requiresExactMatch('k'), undefined);
  assert.equal(l.parseLabelSelector('x in (foo,,baz),y,z notin ()').toString(), 'x in (,baz,foo),y,z notin ()');
});

test('gt/lt forms', () => {
  assert.equal(l.matchesLabelSelectorString('n>5', { n: '7' }), true);
  assert.equal(l.matchesLabelSelectorString('n<5', { n: '7' }), false);
  assert.equal(l.matchesLabelSelectorString('n>5', { n: 'x' }), false);
  assert.throws(() => l.parseLabelSelector('n>x'), /unable to parse requirement: values: Invalid value/);
});

test('malformed selectors throw upstream-like errors', () => {
  const cases: [string, string][] = [
    ['a=b c', "found 'c', expected: ',' or 'end of string'"],
    ['=a', "found '=', expected: !, identifier, or 'end of string'"],
    ['a in x', "unable to parse requirement: found 'x' expected: '('"],
    ['a,', "found '', expected: identifier after ','"],
    ['a b', "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"],
    ['!a=b', "found '=', expected: ',' or 'end of string'"],
    ['a in (x y)', "unable to parse requirement: found 'y', expected: ',' or ')'"],
    ['a in (x', "unable to parse requirement: found '', expected: ',' or ')'"],
    ['!', "unable to parse requirement: found '', expected: identifier"],
    ['a=(', "unable to parse requirement: found '(', expected: identifier"],
  ];
  for (const [sel, msg] of cases) assert.throws(() => l.parseLabelSelector(sel), { message: msg }, sel);
  assert.throws(
    () => l.parseLabelSelector('a/b/c=d'),
    /^Error: unable to parse requirement: <nil>: Invalid value: "a\/b\/c": a qualified name must consist of/,
  );
  assert.throws(
    () => l.parseLabelSelector('a=%'),
    /^Error: unable to parse requirement: values\[0\]\[a\]: Invalid value: "%": a valid label must be an empty string/,
  );
  assert.throws(() => l.parseLabelSelector('a=' + 'x'.repeat(64)), /must be no more than 63 characters/);
});

test('LabelSelector objects', () => {
  const sel = {
    matchLabels: { app: 'web' },
    matchExpressions: [
      { key: 'env', operator: 'In', values: ['prod', 'staging'] },
      { key: 'tier', operator: 'NotIn', values: ['back'] },
      { key: 'tier', operator: 'Exists' },
      { key: 'legacy', operator: 'DoesNotExist' },
    ],
  };
  assert.equal(l.labelSelectorMatches(sel, labels), true);
  assert.equal(l.labelSelectorMatches(sel, { ...labels, legacy: 'y' }), false);
  assert.equal(l.labelSelectorMatches(sel, { ...labels, env: 'dev' }), false);
  assert.equal(l.labelSelectorMatches({}, labels), true, 'empty selector matches everything');
  assert.equal(l.labelSelectorMatches(undefined, labels), false, 'nil selector matches nothing');
  assert.equal(l.labelSelectorMatches(null, {}), false);
  assert.throws(() => l.labelSelectorAsSelector({ matchExpressions: [{ key: 'a', operator: 'Bogus' }] }), /"Bogus" is not a valid label selector operator/);
  assert.throws(() => l.labelSelectorAsSelector({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }), /values set can't be empty/);
  assert.throws(() => l.labelSelectorAsSelector({ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] }), /values set must be empty/);
  assert.throws(() => l.labelSelectorAsSelector({ matchLabels: { 'bad key': 'x' } }), /key: Invalid value: "bad key"/);
  assert.equal(l.selectorFromSet({ b: '2', a: '1' }).toString(), 'a=1,b=2');
  assert.equal(l.selectorFromSet({ a: '1' }).matches({ a: '1', b: '2' }), true);
});

test('label map and LabelSelector validation', () => {
  assert.deepEqual(l.validateLabelMap({ app: 'web', 'example.com/x': '' }), []);
  const errs = l.validateLabelMap({ 'bad key': 'ok', good: 'bad value' });
  assert.equal(errs.length, 2);
  assert.equal(errs[0]!.part, 'key');
  assert.equal(errs[1]!.part, 'value');
  const sErrs = l.validateLabelSelector(
    {
      matchExpressions: [
        { key: 'a', operator: 'In' },
        { key: 'b', operator: 'Foo' },
      ],
    },
    'spec.selector',
  );
  assert.deepEqual(
    sErrs.map((e) => e.field),
    ['spec.selector.matchExpressions[0].values', 'spec.selector.matchExpressions[1].operator'],
  );
});
