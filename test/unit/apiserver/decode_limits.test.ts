// Request decoding limits: nesting depth of JSON and YAML bodies, duplicate keys for strict decoding,
// int64 range, JSON patch copy growth, and how request paths and the watch parameter are read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StatusError } from '../../../src/api/errors.js';
import { MAX_NESTING_DEPTH, checkYAMLDepth, scanJSON } from '../../../src/apiserver/decode_limits.js';
import { decodeBody } from '../../../src/apiserver/body.js';
import { applyJsonPatch, MAX_JSON_PATCH_COPY_BYTES } from '../../../src/apiserver/patch/json_patch.js';
import { isWatchParam, rawRequestPath, resolveRequestInfo } from '../../../src/apiserver/request_info.js';
import { checkFields } from '../../../src/api/schema/field_check.js';
import { schemaForKind } from '../../../src/api/schema/index.js';

function statusOf(fn: () => unknown): { code: number; reason: string; message: string } {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof StatusError, `expected a StatusError, got ${String(e)}`);
    return { code: e.status.code!, reason: e.status.reason!, message: e.status.message! };
  }
  assert.fail('expected an error');
}

const nested = (open: string, close: string, n: number, inner = '') => open.repeat(n) + inner + close.repeat(n);

test('JSON deeper than the limit is 400 before parsing; at the limit it parses', () => {
  const s = statusOf(() => decodeBody(Buffer.from(`{"a":${nested('[', ']', 10_000)}}`), 'application/json'));
  assert.equal(s.code, 400);
  assert.equal(s.reason, 'BadRequest');
  assert.match(s.message, /exceeded max depth/);
  // the outer object counts as one level
  assert.doesNotThrow(() => decodeBody(Buffer.from(`{"a":${nested('[', ']', MAX_NESTING_DEPTH - 1)}}`), 'application/json'));
  assert.equal(statusOf(() => decodeBody(Buffer.from(`{"a":${nested('[', ']', MAX_NESTING_DEPTH)}}`), 'application/json')).code, 400);
  // brackets inside strings do not count
  assert.doesNotThrow(() => scanJSON(JSON.stringify({ a: '['.repeat(10_000), 'b\\"[': '{'.repeat(5000) })));
  // patch media types go through the same check
  assert.equal(statusOf(() => decodeBody(Buffer.from(`{"a":${nested('{"a":', '}', 10_000, '1')}}`), 'application/merge-patch+json')).code, 400);
});

test('YAML deeper than the limit is 400 before the YAML parser sees it (flow, block and compact)', () => {
  for (const doc of [
    `apiVersion: v1\nkind: ConfigMap\ndata:\n  a: ${nested('[', ']', 1000)}\n`,
    nested('[', ']', 1000),
    nested('{a: ', '}', 1000),
    '- '.repeat(1000) + 'x',
    Array.from({ length: 600 }, (_, i) => ' '.repeat(i) + 'a:').join('\n') + ' 1',
    `a:\n  ${'[\n'.repeat(1000)}`,
  ]) {
    const s = statusOf(() => decodeBody(Buffer.from(doc), 'application/yaml'));
    assert.equal(s.code, 400);
    assert.match(s.message, /exceeded max depth of 500/, doc.slice(0, 40));
  }
  // brackets inside block scalars, quotes and comments are text, not nesting
  const legit = [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata: {name: cm, labels: {a: b}}   # ' + '['.repeat(2000),
    'data:',
    '  script: |',
    '    ' + '['.repeat(2000),
    '    ' + '{'.repeat(2000),
    `  q: "${'['.repeat(2000)}"`,
    `  s: '${'{'.repeat(2000)}'`,
    `  plain: a[b${'['.repeat(2000)}`,
    '  list: [1, [2, [3]], {x: [4]}]',
    '',
  ].join('\n');
  assert.doesNotThrow(() => checkYAMLDepth(legit));
  const v = decodeBody(Buffer.from(legit), 'application/yaml') as { data: { list: unknown[] } };
  assert.deepEqual(v.data.list, [1, [2, [3]], { x: [4] }]);
  assert.doesNotThrow(() => checkYAMLDepth(nested('[', ']', MAX_NESTING_DEPTH - 1)));
});

test('duplicate JSON keys are reported as upstream strict decoding errors (once each, any depth)', () => {
  const dups: string[] = [];
  const v = decodeBody(
    Buffer.from('{"metadata":{"name":"a","name":"b","labels":{"x":"1","x":"2"}},"data":{"k":"v"},"data":{},"na\\u006de":1,"name":2}'),
    'application/json',
    dups,
  );
  assert.deepEqual(dups, ['duplicate field "name"', 'duplicate field "x"', 'duplicate field "data"']);
  assert.equal((v as { metadata: { name: string } }).metadata.name, 'b'); // last one wins, as JSON.parse
  const none: string[] = [];
  decodeBody(Buffer.from('[{"name":"a"},{"name":"b"}]'), 'application/json', none);
  decodeBody(Buffer.from('{"a":{"name":1},"b":{"name":2},"s":"\\"name\\":"}'), 'application/json', none);
  assert.deepEqual(none, []);
});

test('int64 fields accept the whole int64 range (2^63-1 included) and refuse beyond it', () => {
  const schema = schemaForKind('', 'v1', 'Pod')!;
  const pod = (spec: string) => JSON.parse(`{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"containers":[{"name":"c","image":"i"}],${spec}}}`);
  assert.deepEqual(checkFields(pod('"activeDeadlineSeconds":9223372036854775807'), schema).typeErrors, []);
  assert.deepEqual(checkFields(pod('"terminationGracePeriodSeconds":-9223372036854775808'), schema).typeErrors, []);
  assert.equal(checkFields(pod('"activeDeadlineSeconds":9223372036854777856'), schema).typeErrors.length, 1);
  assert.equal(checkFields(pod('"activeDeadlineSeconds":1e19'), schema).typeErrors.length, 1);
  assert.equal(checkFields(pod('"activeDeadlineSeconds":1.5'), schema).typeErrors.length, 1);
});

test('JSON patch copies may not add more than the accumulated copy limit (422), ordinary copies apply', () => {
  const doc = { metadata: { name: 'cm' }, data: { a: 'x'.repeat(1024) } };
  const ops = [{ op: 'add', path: '/data/b', value: {} }];
  ops.push({ op: 'copy', from: '/data', path: '/data/b' } as never);
  for (let i = 0; i < 20; i++) ops.push({ op: 'copy', from: '/data', path: `/data/c${i}` } as never);
  const s = statusOf(() => applyJsonPatch(doc, ops));
  assert.equal(s.code, 422);
  assert.equal(s.reason, 'Invalid');
  const e = (() => {
    try {
      applyJsonPatch(doc, ops);
    } catch (err) {
      return (err as StatusError).status;
    }
  })()!;
  assert.match(
    e.details!.causes![0].message!,
    new RegExp(`^Unable to complete the copy, the accumulated size increase of copy is \\d+, exceeding the limit ${MAX_JSON_PATCH_COPY_BYTES}$`),
  );
  assert.equal(doc.data.a.length, 1024);
  assert.equal(Object.keys(doc.data).length, 1, 'the input document is not modified');
  const ok = applyJsonPatch(doc, [{ op: 'copy', from: '/data/a', path: '/data/b' }]);
  assert.equal((ok.data as Record<string, string>).b, doc.data.a);
});

test('watch: any value but 0 or false (in any case) asks for a watch, as upstream decodes it', () => {
  for (const v of ['true', 'True', 'TRUE', '1', 't', 'yes', '']) assert.equal(isWatchParam(v), true, v);
  for (const v of ['false', 'False', 'FALSE', '0']) assert.equal(isWatchParam(v), false, v);
  assert.equal(isWatchParam(null), false);
  const info = resolveRequestInfo('GET', '/api/v1/namespaces/default/pods', new URLSearchParams('watch=True'));
  assert.equal(info.verb, 'watch');
  assert.equal(resolveRequestInfo('GET', '/api/v1/pods', new URLSearchParams('watch=False')).verb, 'list');
});

test('request paths: no dot-segment folding, invalid names and namespaces and bad escapes are 400', () => {
  assert.equal(rawRequestPath('/api/v1/namespaces/default/configmaps/..?x=1'), '/api/v1/namespaces/default/configmaps/..');
  assert.equal(rawRequestPath('/api/v1/namespaces/%2E%2E/configmaps'), '/api/v1/namespaces/%2E%2E/configmaps');
  const q = new URLSearchParams();
  const cases: [string, RegExp][] = [
    ['/api/v1/namespaces/default/configmaps/..', /^Name parameter invalid: "\.\.": may not be '\.\.'$/],
    ['/api/v1/namespaces/default/configmaps/%2E%2E', /^Name parameter invalid: "\.\.": may not be '\.\.'$/],
    ['/api/v1/namespaces/default/configmaps/.', /may not be '\.'/],
    ['/api/v1/namespaces/%2E%2E/configmaps', /^Namespace parameter invalid: "\.\.": may not be '\.\.'$/],
    ['/api/v1/namespaces/..', /may not be '\.\.'/],
    ['/api/v1/namespaces/default/configmaps/a%2Fb', /may not contain '\/'/],
    ['/api/v1/namespaces/default/configmaps/a%25b', /may not contain '%'/],
    ['/api/v1/namespaces/%/pods', /^invalid URL escape/],
    ['/api/v1/namespaces/%zz/pods', /^invalid URL escape "%zz"$/],
  ];
  for (const [path, msg] of cases) {
    const s = statusOf(() => resolveRequestInfo('DELETE', path, q));
    assert.equal(s.code, 400, path);
    assert.match(s.message, msg, path);
  }
  const ok = resolveRequestInfo('GET', '/api/v1/namespaces/default/configmaps/a.b', q);
  assert.equal(ok.name, 'a.b');
});
