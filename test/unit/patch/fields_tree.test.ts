import { test } from 'node:test';
import assert from 'node:assert/strict';
import { treeAdd, treeRemove, treeRemoveUnder } from '../../../src/apiserver/patch/fields_tree.js';
import { fieldsV1ToSet, setToFieldsV1, isUnder, splitPath, SEP } from '../../../src/apiserver/patch/field_path.js';

const ELEMS = ['f:a', 'f:b', 'k:{"name":"x"}', 'v:"s"', 'f:c'];

/** Tiny deterministic PRNG so the comparison below is reproducible. */
function rng(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x7fffffff;
  };
}

test('copy-on-write tree edits agree with set semantics', () => {
  const r = rng(42);
  for (let round = 0; round < 200; round++) {
    let tree: Record<string, unknown> = {};
    const set = new Set<string>();
    for (let step = 0; step < 12; step++) {
      const depth = 1 + Math.floor(r() * 3);
      const path = Array.from({ length: depth }, () => ELEMS[Math.floor(r() * ELEMS.length)]).join(SEP);
      const before = JSON.stringify(tree);
      const frozen = tree;
      const op = r();
      if (op < 0.5) {
        tree = treeAdd(tree, splitPath(path));
        set.add(path);
      } else if (op < 0.8) {
        tree = treeRemove(tree, splitPath(path));
        set.delete(path);
      } else {
        tree = treeRemoveUnder(tree, splitPath(path));
        for (const p of [...set]) if (isUnder(p, path)) set.delete(p);
      }
      assert.equal(JSON.stringify(frozen), before, 'input tree not mutated');
      assert.deepEqual([...fieldsV1ToSet(tree)].sort(), [...set].sort(), `round ${round} step ${step}`);
      assert.deepEqual(fieldsV1ToSet(setToFieldsV1(set)), set);
    }
  }
});

test('removing the last child of a member node leaves a leaf; unchanged edits return the same object', () => {
  const t = { 'f:spec': { '.': {}, 'f:x': {} } };
  assert.deepEqual(treeRemove(t, ['f:spec', 'f:x']), { 'f:spec': {} });
  assert.equal(treeRemove(t, ['f:nope']), t);
  assert.deepEqual(treeAdd({ 'f:a': {} }, ['f:a', 'f:b']), { 'f:a': { '.': {}, 'f:b': {} } });
});
