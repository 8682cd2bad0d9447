// The atomic writer: path validation, change detection, and a concurrent reader that must always see
// one complete version through `..data` while versions are swapped underneath it.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { writeAtomic, type Payload } from '../../../src/kubelet/volumes/atomic_writer.js';
import { makeTempDir, mode, removeTempDir } from './volume_helpers.js';

let root: string;
before(() => {
  root = makeTempDir('atomic');
});
after(() => removeTempDir(root));

function payload(entries: Record<string, string>, m = 0o644): Payload {
  return new Map(Object.entries(entries).map(([k, v]) => [k, { data: Buffer.from(v), mode: m }]));
}
function target(name: string): string {
  const d = path.join(root, name);
  fs.mkdirSync(d);
  return d;
}

describe('writeAtomic', () => {
  it('rejects unsafe paths with upstream wording', async () => {
    const d = target('invalid');
    await assert.rejects(writeAtomic(d, payload({ '/abs': 'x' })), /invalid path: must be relative path: \/abs/);
    await assert.rejects(writeAtomic(d, payload({ 'a/../../b': 'x' })), /invalid path: must not contain '\.\.': a\/\.\.\/\.\.\/b/);
    await assert.rejects(writeAtomic(d, payload({ '..data': 'x' })), /invalid path: must not start with '\.\.': \.\.data/);
    await assert.rejects(writeAtomic(d, payload({ '': 'x' })), /invalid path: must not be empty/);
    assert.deepEqual(fs.readdirSync(d), [], 'nothing written on a rejected payload');
  });

  it('detects content and mode changes, rewrites only then', async () => {
    const d = target('changes');
    assert.equal(await writeAtomic(d, payload({ a: '1' })), true);
    assert.equal(await writeAtomic(d, payload({ a: '1' })), false);
    assert.equal(await writeAtomic(d, payload({ a: '1' }, 0o600)), true);
    assert.equal(mode(path.join(d, 'a')), 0o600);
    assert.equal(await writeAtomic(d, payload({ a: '2' }, 0o600)), true);
    assert.equal(await writeAtomic(d, payload({ a: '2', b: '3' }, 0o600)), true);
    assert.equal(await writeAtomic(d, payload({ b: '3' }, 0o600)), true);
    assert.deepEqual(
      fs.readdirSync(d).filter((n) => !n.startsWith('..')),
      ['b'],
    );
    assert.equal(fs.readdirSync(d).filter((n) => n.startsWith('..2')).length, 1, 'one timestamped dir left');
  });

  it('serialises concurrent writers of one directory', async () => {
    const d = target('concurrent');
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => writeAtomic(d, payload({ k: `v${i}` }))));
    assert.deepEqual(results, Array(8).fill(true));
    assert.equal(fs.readFileSync(path.join(d, 'k'), 'utf8'), 'v7', 'last writer wins');
    assert.equal(fs.readdirSync(d).filter((n) => n.startsWith('..2')).length, 1);
  });

  it('removes stale timestamped dirs and a leftover ..data_tmp', async () => {
    const d = target('stale');
    fs.mkdirSync(path.join(d, '..2020_01_01_00_00_00.1'));
    fs.symlinkSync('..2020_01_01_00_00_00.1', path.join(d, '..data_tmp'));
    await writeAtomic(d, payload({ k: 'v' }));
    const dots = fs
      .readdirSync(d)
      .filter((n) => n.startsWith('..'))
      .sort();
    assert.equal(dots.length, 2);
    assert.equal(dots[0], '..2' + dots[0]!.slice(3));
    assert.ok(dots.includes('..data'));
    assert.notEqual(fs.readlinkSync(path.join(d, '..data')), '..2020_01_01_00_00_00.1');
  });

  it('a reader holding ..data sees the old or the new version, never a mix', async (t) => {
    const d = target('race');
    const keys = ['a', 'b', 'c', 'd'];
    const version = (n: number): Record<string, string> => Object.fromEntries(keys.map((k) => [k, `v${n}`]));
    await writeAtomic(d, payload(version(0)));
    const readerSrc = `
      const { workerData, parentPort } = require('node:worker_threads');
      const fs = require('node:fs');
      const path = require('node:path');
      const { dir, keys } = workerData;
      let stop = false, reads = 0, mixed = [], vanished = 0;
      parentPort.on('message', () => { stop = true; });
      const loop = () => {
        for (let i = 0; i < 50 && !stop; i++) {
          let held;
          try { held = fs.realpathSync(path.join(dir, '..data')); } catch { vanished++; continue; }
          try {
            const vals = keys.map((k) => fs.readFileSync(path.join(held, k), 'utf8'));
            reads++;
            if (new Set(vals).size !== 1) mixed.push(vals.join(','));
          } catch (e) { if (e.code === 'ENOENT') vanished++; else throw e; }
          // the user-visible names must always resolve too
          for (const k of keys) { try { fs.readFileSync(path.join(dir, k)); } catch (e) { mixed.push('missing ' + k + ' ' + e.code); } }
        }
        if (stop) parentPort.postMessage({ reads, mixed, vanished }); else setImmediate(loop);
      };
      loop();`;
    const worker = new Worker(readerSrc, { eval: true, workerData: { dir: d, keys } });
    try {
      for (let n = 1; n <= 60; n++) await writeAtomic(d, payload(version(n)));
      const result = await new Promise<{ reads: number; mixed: string[]; vanished: number }>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
        worker.postMessage('stop');
      });
      assert.deepEqual(result.mixed, [], 'no torn reads and no missing user-visible files');
      t.diagnostic(`reader: ${result.reads} consistent reads, ${result.vanished} retried after a swap`);
      assert.ok(result.reads > 0, 'the reader actually read');
      assert.equal(fs.readFileSync(path.join(d, 'a'), 'utf8'), 'v60');
    } finally {
      await worker.terminate();
    }
  });
});
