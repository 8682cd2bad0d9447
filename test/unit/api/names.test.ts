// Unit tests for src/api/names.ts: DNS names, qualified names, label values, port/env/config-key names, generateName.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as n from '../../../src/api/names.js';

test('DNS-1123 subdomain accepts and rejects with upstream wording', () => {
  assert.deepEqual(n.isDNS1123Subdomain('example.com'), []);
  assert.deepEqual(n.isDNS1123Subdomain('a'), []);
  const errs = n.isDNS1123Subdomain('Example_com');
  assert.equal(errs.length, 1);
  assert.equal(
    errs[0],
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
  );
  assert.ok(n.isDNS1123Subdomain('a'.repeat(254)).includes('must be no more than 253 characters'));
  assert.equal(n.isDNS1123Subdomain('-a').length, 1);
  assert.equal(n.isDNS1123Subdomain('a.').length, 1);
});

test('DNS-1123 label', () => {
  assert.deepEqual(n.isDNS1123Label('my-name'), []);
  assert.deepEqual(n.isDNS1123Label('123-abc'), []);
  assert.deepEqual(n.isDNS1123Label('a.b'), ['must not contain dots']);
  assert.match(n.isDNS1123Label('My')[0]!, /^a lowercase RFC 1123 label must consist of/);
  assert.match(n.isDNS1123Label('My')[0]!, /e\.g\. 'my-name', {2}or '123-abc'/);
  assert.deepEqual(n.isDNS1123Label('a'.repeat(64)), ['must be no more than 63 characters']);
  assert.equal(n.isDNS1123Label('').length, 1);
});

test('DNS-1035 label must start with a letter', () => {
  assert.deepEqual(n.isDNS1035Label('abc-123'), []);
  assert.match(n.isDNS1035Label('1abc')[0]!, /^a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character/);
});

test('qualified names (label/annotation keys)', () => {
  for (const ok of ['app', 'MyName', 'my.name', '123-abc', 'example.com/MyName', 'k8s.io/a_b']) assert.deepEqual(n.isQualifiedName(ok), [], ok);
  assert.deepEqual(n.isQualifiedName(''), [
    'name part must be non-empty',
    "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
  ]);
  assert.deepEqual(n.isQualifiedName('/a'), ['prefix part must be non-empty']);
  assert.match(n.isQualifiedName('Bad_Prefix/a')[0]!, /^prefix part a lowercase RFC 1123 subdomain/);
  assert.match(
    n.isQualifiedName('a/b/c')[0]!,
    /^a qualified name must consist of .* with an optional DNS subdomain prefix and '\/' \(e\.g\. 'example\.com\/MyName'\)$/,
  );
  assert.ok(n.isQualifiedName('a'.repeat(64)).includes('name part must be no more than 63 characters'));
  assert.equal(n.isQualifiedName('-a').length, 1);
});

test('label values', () => {
  assert.deepEqual(n.isValidLabelValue(''), []);
  assert.deepEqual(n.isValidLabelValue('my_value'), []);
  assert.match(n.isValidLabelValue('a b')[0]!, /^a valid label must be an empty string or consist of alphanumeric characters/);
  assert.deepEqual(n.isValidLabelValue('a'.repeat(64)), ['must be no more than 63 characters']);
});

test('port names (IANA_SVC_NAME) and numbers', () => {
  assert.deepEqual(n.isValidPortName('http'), []);
  assert.deepEqual(n.isValidPortName('web-8080'), []);
  assert.ok(n.isValidPortName('a'.repeat(16)).includes('must be no more than 15 characters'));
  assert.ok(n.isValidPortName('80').includes('must contain at least one letter (a-z)'));
  assert.ok(n.isValidPortName('a--b').includes('must not contain consecutive hyphens'));
  assert.ok(n.isValidPortName('-ab').includes('must not begin or end with a hyphen'));
  assert.ok(n.isValidPortName('a_b').includes('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)'));
  assert.deepEqual(n.isValidPortNum(1), []);
  assert.deepEqual(n.isValidPortNum(65535), []);
  assert.deepEqual(n.isValidPortNum(0), ['must be between 1 and 65535, inclusive']);
  assert.deepEqual(n.isValidPortNum(65536), ['must be between 1 and 65535, inclusive']);
});

test('env var names and config keys', () => {
  assert.deepEqual(n.isEnvVarName('MY_ENV.NAME'), []);
  assert.match(n.isEnvVarName('1ABC')[0]!, /must not start with a digit/);
  assert.deepEqual(n.isEnvVarName('..'), ["must not be '..'"]);
  assert.deepEqual(n.isConfigMapKey('key.name'), []);
  assert.match(n.isConfigMapKey('a/b')[0]!, /^a valid config key must consist of alphanumeric characters, '-', '_' or '.'/);
  assert.deepEqual(n.isConfigMapKey('.'), ["must not be '.'"]);
  assert.deepEqual(n.isConfigMapKey('..a'), ["must not start with '..'"]);
});

test('name validators allow a trailing dash only for generateName prefixes', () => {
  assert.deepEqual(n.nameIsDNSSubdomain('web-', true), []);
  assert.equal(n.nameIsDNSSubdomain('web-', false).length, 1);
  assert.deepEqual(n.nameIsDNSLabel('ns-', true), []);
});

test('annotation size limit is 256 KiB over keys and values', () => {
  assert.equal(n.TotalAnnotationSizeLimitB, 262144);
  assert.equal(n.annotationsSize({ ab: 'cde' }), 5);
  assert.equal(n.isAnnotationsSizeOK({ a: 'x'.repeat(262143) }), true);
  assert.equal(n.isAnnotationsSizeOK({ a: 'x'.repeat(262144) }), false);
});

test('generateName appends 5 characters from the upstream alphabet', () => {
  const seen = new Set<string>();
  for (let i = 0; i < 50; i++) {
    const name = n.generateName('web-');
    assert.match(name, /^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    seen.add(name);
  }
  assert.ok(seen.size > 40, 'suffixes are random');
  const long = n.generateName('x'.repeat(70));
  assert.equal(long.length, 63);
  assert.ok(long.startsWith('x'.repeat(58)));
});
