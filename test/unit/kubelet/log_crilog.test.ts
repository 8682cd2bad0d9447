// CRI log record parsing and Go RFC3339Nano timestamp rendering; query option parsing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCRILine, parseRFC3339 } from '../../../src/kubelet/server/crilog.js';
import { parseContainerLogQuery, LogOptionsError } from '../../../src/kubelet/server/log_options.js';

test('parses a full stdout record', () => {
  const r = parseCRILine(Buffer.from('2024-05-01T10:00:00.123456789+00:00 stdout F hello world'));
  assert.ok(r);
  assert.equal(r.stream, 'stdout');
  assert.equal(r.partial, false);
  assert.equal(r.content.toString(), 'hello world');
  assert.equal(r.time, '2024-05-01T10:00:00.123456789Z');
  assert.equal(r.timeNs, BigInt(Date.parse('2024-05-01T10:00:00Z')) * 1_000_000n + 123456789n);
});

test('parses partial, stderr, extra tags, and empty content', () => {
  const p = parseCRILine(Buffer.from('2024-05-01T10:00:00Z stderr P:x  two spaces kept'));
  assert.ok(p);
  assert.equal(p.stream, 'stderr');
  assert.equal(p.partial, true);
  assert.equal(p.content.toString(), ' two spaces kept');
  const e1 = parseCRILine(Buffer.from('2024-05-01T10:00:00Z stdout F '));
  assert.equal(e1?.content.length, 0);
  const e2 = parseCRILine(Buffer.from('2024-05-01T10:00:00Z stdout F'));
  assert.equal(e2?.content.length, 0);
});

test('rejects lines that are not CRI records', () => {
  for (const l of ['', 'garbage', 'notatime stdout F x', '2024-05-01T10:00:00Z stdin F x', '2024-05-01T10:00:00Z stdout X x', '2024-05-01T10:00:00Z']) {
    assert.equal(parseCRILine(Buffer.from(l)), undefined, l);
  }
});

test('keeps binary content byte for byte', () => {
  const bytes = Buffer.concat([Buffer.from('2024-05-01T10:00:00Z stdout F '), Buffer.from([0xff, 0x00, 0xc3, 0xa9])]);
  assert.deepEqual(parseCRILine(bytes)?.content, Buffer.from([0xff, 0x00, 0xc3, 0xa9]));
});

test('RFC3339Nano rendering trims trailing zeros and keeps non-zero offsets', () => {
  assert.equal(parseRFC3339('2024-05-01T10:00:01.120000000+00:00')?.text, '2024-05-01T10:00:01.12Z');
  assert.equal(parseRFC3339('2024-05-01T10:00:01.000000000+00:00')?.text, '2024-05-01T10:00:01Z');
  assert.equal(parseRFC3339('2024-05-01T10:00:01Z')?.text, '2024-05-01T10:00:01Z');
  assert.equal(parseRFC3339('2024-05-01T12:00:03.000000001+02:00')?.text, '2024-05-01T12:00:03.000000001+02:00');
  assert.equal(parseRFC3339('2024-05-01T12:00:03.5-0330')?.text, '2024-05-01T12:00:03.5-03:30');
  // Same instant, different offsets.
  assert.equal(parseRFC3339('2024-05-01T12:00:03+02:00')?.ns, parseRFC3339('2024-05-01T10:00:03Z')?.ns);
  assert.equal(parseRFC3339('2024-05-01 10:00:03Z'), undefined);
});

test('query options: booleans, tail, limit, since', () => {
  const now = new Date('2024-05-01T10:00:10Z');
  const o = parseContainerLogQuery(new URLSearchParams('follow=true&timestamps=1&previous=false&tailLines=3&limitBytes=10&sinceSeconds=5'), now);
  assert.equal(o.follow, true);
  assert.equal(o.timestamps, true);
  assert.equal(o.previous, false);
  assert.equal(o.tailLines, 3);
  assert.equal(o.limitBytes, 10);
  assert.equal(o.sinceNs, BigInt(Date.parse('2024-05-01T10:00:05Z')) * 1_000_000n);
  const t = parseContainerLogQuery(new URLSearchParams('sinceTime=2024-05-01T10:00:02Z&stream=Stderr'), now);
  assert.equal(t.sinceNs, BigInt(Date.parse('2024-05-01T10:00:02Z')) * 1_000_000n);
  assert.equal(t.stream, 'Stderr');
  assert.equal(t.follow, false);
  assert.equal(t.tailLines, undefined);
});

test('query options: invalid values are rejected', () => {
  for (const q of [
    'tailLines=-1',
    'limitBytes=0',
    'sinceSeconds=0',
    'sinceSeconds=1&sinceTime=2024-05-01T10:00:02Z',
    'tailLines=abc',
    'sinceTime=yesterday',
    'stream=both',
  ]) {
    assert.throws(() => parseContainerLogQuery(new URLSearchParams(q)), LogOptionsError, q);
  }
});
