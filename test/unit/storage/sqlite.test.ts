// Runs the shared Storage conformance suite against SqliteStorage, plus sqlite-only checks: reopening a file,
// watch validity after restart, and durability of acknowledged writes across SIGKILL of the writer process.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { SqliteStorage } from '../../../src/storage/sqlite.js';
import { openStorage } from '../../../src/storage/index.js';
import type { StoreEvent } from '../../../src/storage/interface.js';
import { runStorageSuite, pod, podKey, expectStorageError, waitFor } from './suite.js';
import { defaultEncryptionConfig, parseEncryptionConfig } from '../../../src/storage/encryption/config.js';
import { stringify } from 'yaml';

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'k8ts-storage-'));
}

runStorageSuite('sqlite', async (opts) => {
  const dir = tempDir();
  return {
    store: new SqliteStorage(path.join(dir, 'test.db'), { historySize: opts?.historySize }),
    cleanup: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
});

// The same contract with every value encrypted at rest (a config covering all resources).
runStorageSuite('sqlite+aesgcm', async (opts) => {
  const dir = tempDir();
  const cfg = defaultEncryptionConfig();
  cfg.resources[0].resources = ['*.*'];
  return {
    store: new SqliteStorage(path.join(dir, 'test.db'), { historySize: opts?.historySize, transformer: parseEncryptionConfig(stringify(cfg)) }),
    cleanup: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
});

describe('SqliteStorage on disk', () => {
  it('reopens with data and revision intact; history is empty after restart', async () => {
    const dir = tempDir();
    try {
      const s1 = openStorage('sqlite', { dataDir: path.join(dir, 'nested') });
      const a = await s1.create(podKey('a'), pod('a'));
      await s1.create(podKey('b'), pod('b'));
      await s1.guaranteedUpdate(podKey('a'), (cur) => ({ ...cur, status: { phase: 'Running' } }));
      await s1.delete(podKey('b'));
      const rv = s1.currentRevision();
      await s1.close();

      const s2 = openStorage('sqlite', { dataDir: path.join(dir, 'nested') });
      try {
        assert.equal(s2.currentRevision(), rv);
        const got = await s2.get(podKey('a'));
        assert.deepEqual(got!.status, { phase: 'Running' });
        assert.equal(got!.metadata.resourceVersion, String(Number(a.metadata.resourceVersion) + 2));
        assert.equal(await s2.get(podKey('b')), undefined);
        // History did not survive the restart: older revisions are Expired, the current one is fine.
        await expectStorageError(() => s2.watch('/registry/', { fromRV: rv - 1, onEvent: () => {} }), 'Expired');
        const events: StoreEvent[] = [];
        const w = s2.watch('/registry/', { fromRV: rv, onEvent: (e) => void events.push(e) });
        const c = await s2.create(podKey('c'), pod('c'));
        assert.equal(Number(c.metadata.resourceVersion), rv + 1);
        await waitFor(() => events.length === 1);
        assert.equal(events[0].resourceVersion, rv + 1);
        w.stop();
      } finally {
        await s2.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('openStorage requires a location for sqlite', () => {
    assert.throws(() => openStorage('sqlite', {}), /dataDir or file/);
  });

  it('every acknowledged write survives SIGKILL of the writer', { timeout: 60_000 }, async () => {
    const dir = tempDir();
    const file = path.join(dir, 'durable.db');
    const here = path.dirname(fileURLToPath(import.meta.url)); // dist/test/unit/storage
    const sqliteModule = pathToFileURL(path.resolve(here, '../../../src/storage/sqlite.js')).href;
    const N = 100_000;
    const childCode = `
      import { SqliteStorage } from ${JSON.stringify(sqliteModule)};
      const s = new SqliteStorage(${JSON.stringify(file)});
      for (let i = 0; i < ${N}; i++) {
        const o = await s.create('/registry/pods/durable/p' + i, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' + i, namespace: 'durable' }, spec: { i } });
        process.stdout.write('ack ' + i + ' ' + o.metadata.resourceVersion + '\\n');
      }
    `;
    const child = spawn(process.execPath, ['--input-type=module', '-e', childCode], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acks = new Map<number, number>();
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal })),
    );
    try {
      let buf = '';
      let killed = false;
      child.stdout.on('data', (d: Buffer) => {
        buf += d.toString('utf8');
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          const m = /^ack (\d+) (\d+)$/.exec(line);
          if (m) acks.set(Number(m[1]), Number(m[2]));
        }
        if (!killed && acks.size >= 300) {
          killed = true;
          child.kill('SIGKILL');
        }
      });
      const res = await exited;
      assert.equal(res.signal, 'SIGKILL', `child ended without being killed: code=${res.code} stderr=${stderr}`);
      assert.ok(acks.size >= 300 && acks.size < N, `acks=${acks.size}`);

      const s = new SqliteStorage(file);
      try {
        let maxRV = 0;
        for (const [i, rv] of acks) {
          const o = await s.get(`/registry/pods/durable/p${i}`);
          assert.ok(o, `acknowledged write p${i} lost`);
          assert.equal(o.metadata.resourceVersion, String(rv));
          assert.deepEqual(o.spec, { i });
          maxRV = Math.max(maxRV, rv);
        }
        assert.ok(s.currentRevision() >= maxRV, 'revision went backwards');
        const list = await s.list('/registry/pods/durable/');
        assert.ok(list.items.length >= acks.size);
        const next = await s.create(podKey('after-crash'), pod('after-crash'));
        assert.equal(Number(next.metadata.resourceVersion), s.currentRevision());
        assert.ok(Number(next.metadata.resourceVersion) > maxRV);
      } finally {
        await s.close();
      }
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
