// Go %q quoting, labels/annotations formatting and field path parsing used by the downward API.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { extractFieldPathAsString, formatMap, goQuote, splitMaybeSubscriptedPath } from '../../../src/kubelet/field_path.js';
import { expand, lookupIn } from '../../../src/kubelet/expansion.js';

describe('goQuote', () => {
  it('escapes like strconv.Quote', () => {
    assert.equal(goQuote('plain'), '"plain"');
    assert.equal(goQuote('say "hi"\\'), '"say \\"hi\\"\\\\"');
    assert.equal(goQuote('a\nb\tc\rd\x07\b\f\v'), '"a\\nb\\tc\\rd\\a\\b\\f\\v"');
    assert.equal(goQuote('\x01\x1f\x7f'), '"\\x01\\x1f\\x7f"');
    assert.equal(goQuote('héllo 世界 🎉'), '"héllo 世界 🎉"');
    assert.equal(goQuote('nb\u00a0sp\u2028'), '"nb\\u00a0sp\\u2028"');
    assert.equal(goQuote('\u{e0001}'), '"\\U000e0001"');
  });
});

describe('formatMap', () => {
  it('sorts keys and joins key="value" lines without a trailing newline', () => {
    assert.equal(formatMap({ b: '2', a: '1', 'x.io/c': 'q"' }), 'a="1"\nb="2"\nx.io/c="q\\""');
    assert.equal(formatMap({}), '');
    assert.equal(formatMap(undefined), '');
  });
});

describe('field paths', () => {
  const pod = { metadata: { name: 'n', namespace: 'ns', uid: 'u', labels: { app: 'web' }, annotations: { 'a.io/b': 'c' } } };
  it('splits subscripts', () => {
    assert.deepEqual(splitMaybeSubscriptedPath("metadata.labels['app']"), { path: 'metadata.labels', subscript: 'app' });
    assert.equal(splitMaybeSubscriptedPath('metadata.labels'), undefined);
    assert.equal(splitMaybeSubscriptedPath("['x']"), undefined);
  });
  it('extracts supported paths and rejects others', () => {
    assert.equal(extractFieldPathAsString(pod, 'metadata.name'), 'n');
    assert.equal(extractFieldPathAsString(pod, "metadata.annotations['a.io/b']"), 'c');
    assert.equal(extractFieldPathAsString(pod, "metadata.labels['missing']"), '');
    assert.throws(() => extractFieldPathAsString(pod, "metadata.labels['bad key!']"), /^Error: invalid key subscript in metadata.labels\['bad key!'\]: /);
    assert.throws(() => extractFieldPathAsString(pod, "metadata.name['x']"), /fieldPath "metadata.name\['x'\]" does not support subscript/);
    assert.throws(() => extractFieldPathAsString(pod, 'status.phase'), /unsupported fieldPath: status.phase/);
  });
});

describe('expand', () => {
  it('follows upstream expansion rules', () => {
    const l = lookupIn({ A: 'x', EMPTY: '' }, { B: 'second', A: 'shadowed' });
    assert.equal(expand('$(A)$(B)', l), 'xsecond');
    assert.equal(expand('$(EMPTY)|', l), '|');
    assert.equal(expand('$$(A) $$ $', l), '$(A) $ $');
    assert.equal(expand('$(A', l), '$(A');
    assert.equal(expand('$A $()', l), '$A $()');
    assert.equal(expand('$(C)', l), '$(C)');
  });
});
