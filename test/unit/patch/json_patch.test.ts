import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyJsonPatch } from '../../../src/apiserver/patch/json_patch.js';
import { StatusError } from '../../../src/api/errors.js';

const doc = { metadata: { name: 'p', labels: { app: 'web' } }, spec: { containers: [{ name: 'a', image: 'busybox' }] } };

function statusOf(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof StatusError, `expected StatusError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected an error');
}

test('add, replace and remove apply in order and leave the input alone', () => {
  const out = applyJsonPatch(
    doc,
    JSON.stringify([
      { op: 'add', path: '/metadata/labels/tier', value: 'fe' },
      { op: 'replace', path: '/spec/containers/0/image', value: 'nginx' },
      { op: 'remove', path: '/metadata/labels/app' },
      { op: 'add', path: '/spec/containers/-', value: { name: 'b', image: 'x' } },
    ]),
  );
  assert.deepEqual(out.metadata.labels, { tier: 'fe' });
  assert.deepEqual(out.spec.containers, [
    { name: 'a', image: 'nginx' },
    { name: 'b', image: 'x' },
  ]);
  assert.equal(doc.spec.containers[0].image, 'busybox');
  assert.deepEqual(doc.metadata.labels, { app: 'web' });
});

test('a passing test op lets the patch through; a failing one is 422 Invalid', () => {
  const ok = applyJsonPatch(doc, [
    { op: 'test', path: '/metadata/name', value: 'p' },
    { op: 'replace', path: '/metadata/name', value: 'q' },
  ]);
  assert.equal(ok.metadata.name, 'q');
  const e = statusOf(() =>
    applyJsonPatch(doc, [
      { op: 'test', path: '/metadata/name', value: 'zzz' },
      { op: 'remove', path: '/metadata/name' },
    ]),
  );
  assert.equal(e.code, 422);
  assert.equal(e.reason, 'Invalid');
  assert.equal(e.status.message, 'the server rejected our request due to an error in our request');
  assert.equal(e.status.details?.causes?.[0].message, 'testing value /metadata/name failed: test failed');
});

test('removing or replacing a missing path is 422 with upstream-like detail', () => {
  const r = statusOf(() => applyJsonPatch(doc, [{ op: 'remove', path: '/metadata/labels/nope' }]));
  assert.equal(r.code, 422);
  assert.match(r.status.details?.causes?.[0].message ?? '', /Unable to remove nonexistent key: nope/);
  const p = statusOf(() => applyJsonPatch(doc, [{ op: 'replace', path: '/spec/nope', value: 1 }]));
  assert.equal(p.code, 422);
  assert.match(p.status.details?.causes?.[0].message ?? '', /replace operation does not apply: doc is missing key: \/spec\/nope/);
  const a = statusOf(() => applyJsonPatch(doc, [{ op: 'add', path: '/spec/x/y', value: 1 }]));
  assert.equal(a.code, 422);
});

test('unknown op and missing value are 422; undecodable bodies are 400', () => {
  assert.equal(statusOf(() => applyJsonPatch(doc, [{ op: 'frobnicate', path: '/a' }])).code, 422);
  assert.match(
    statusOf(() => applyJsonPatch(doc, [{ op: 'frobnicate', path: '/a' }])).status.details?.causes?.[0].message ?? '',
    /Unexpected kind: frobnicate/,
  );
  assert.equal(statusOf(() => applyJsonPatch(doc, [{ op: 'add', path: '/a' }])).code, 422);
  const bad = statusOf(() => applyJsonPatch(doc, '{not json'));
  assert.equal(bad.code, 400);
  assert.equal(bad.reason, 'BadRequest');
  const obj = statusOf(() => applyJsonPatch(doc, '{"op":"add"}'));
  assert.equal(obj.code, 400);
  assert.match(obj.status.message ?? '', /cannot unmarshal object into Go value of type jsonpatch.Patch/);
});

test('move and copy work; the document is not mutated on failure', () => {
  const out = applyJsonPatch(doc, [
    { op: 'copy', from: '/metadata/labels', path: '/metadata/annotations' },
    { op: 'move', from: '/metadata/name', path: '/metadata/generateName' },
  ]);
  assert.deepEqual(out.metadata as unknown, { generateName: 'p', labels: { app: 'web' }, annotations: { app: 'web' } });
  statusOf(() =>
    applyJsonPatch(doc, [
      { op: 'remove', path: '/metadata/name' },
      { op: 'test', path: '/metadata/name', value: 'p' },
    ]),
  );
  assert.equal(doc.metadata.name, 'p');
});
