import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyMergePatch } from '../../../src/apiserver/patch/merge_patch.js';
import { StatusError } from '../../../src/api/errors.js';

const doc = {
  metadata: { name: 'p', labels: { app: 'web', tier: 'fe' } },
  spec: {
    containers: [
      { name: 'a', image: 'busybox' },
      { name: 'b', image: 'nginx' },
    ],
    restartPolicy: 'Always',
  },
};

test('null deletes a key, other keys merge recursively', () => {
  const out = applyMergePatch(doc, '{"metadata":{"labels":{"tier":null,"env":"prod"}}}');
  assert.deepEqual(out.metadata.labels as unknown, { app: 'web', env: 'prod' });
  assert.equal(out.spec.restartPolicy, 'Always');
  assert.deepEqual(doc.metadata.labels, { app: 'web', tier: 'fe' });
});

test('lists are replaced wholesale', () => {
  const out = applyMergePatch(doc, { spec: { containers: [{ name: 'a', image: 'alpine' }] } });
  assert.deepEqual(out.spec.containers, [{ name: 'a', image: 'alpine' }]);
});

test('null on a missing key is a no-op, nulls inside new maps are dropped (RFC 7386)', () => {
  const out = applyMergePatch(doc, { spec: { nope: null, extra: { a: 1, b: null } } });
  assert.equal('nope' in out.spec, false);
  assert.deepEqual((out.spec as Record<string, unknown>).extra, { a: 1 });
});

test('a scalar replaces a map and a map replaces a scalar', () => {
  const out = applyMergePatch(doc, { spec: { restartPolicy: { x: 1 } }, metadata: { labels: 'flat' } });
  assert.deepEqual(out.spec.restartPolicy, { x: 1 });
  assert.equal(out.metadata.labels, 'flat');
});

test('a non-object or undecodable body is 400', () => {
  for (const body of ['[1,2]', '{bad', '"str"']) {
    assert.throws(
      () => applyMergePatch(doc, body),
      (e: unknown) => e instanceof StatusError && e.code === 400,
    );
  }
});
