// Encryption at rest: aesgcm values in the sqlite file, the storage key bound into each value, identity for
// older data, rewrite of values read with an older key (rotation), and config errors.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { stringify } from 'yaml';
import { SqliteStorage } from '../../../src/storage/sqlite.js';
import { defaultEncryptionConfig, newAesKey, parseEncryptionConfig, type EncryptionConfiguration } from '../../../src/storage/encryption/config.js';
import { ReloadableTransformer } from '../../../src/storage/encryption/transformer.js';
import type { KubeObject } from '../../../src/api/types.js';

const SECRET_VALUE = 'c3VwZXJzZWNyZXQtdmFsdWU=';
const secret = (name: string): KubeObject =>
  ({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: 'default' }, data: { password: SECRET_VALUE } }) as KubeObject;
const key = (name: string) => `/registry/secrets/default/${name}`;

function withStore<T>(cfg: EncryptionConfiguration | undefined, dir: string, body: (s: SqliteStorage, file: string) => Promise<T>): Promise<T> {
  const file = path.join(dir, 'k8ts.db');
  const s = new SqliteStorage(file, { transformer: cfg ? parseEncryptionConfig(stringify(cfg)) : undefined });
  return body(s, file).finally(() => s.close());
}

function rawValue(file: string, k: string): string {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare('SELECT value FROM kv WHERE key = ?').get(k) as { value: string }).value;
  } finally {
    db.close();
  }
}

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'k8ts-enc-'));
}

describe('encryption at rest', () => {
  it('stores secrets as aesgcm values and reads them back; other resources stay as they are', async () => {
    const dir = tempDir();
    try {
      const cfg = defaultEncryptionConfig();
      const keyName = cfg.resources[0].providers[0].aesgcm!.keys[0].name;
      await withStore(cfg, dir, async (s, file) => {
        await s.create(key('db'), secret('db'));
        await s.create('/registry/configmaps/default/cm', {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'cm', namespace: 'default' },
          data: { a: 'plain' },
        } as KubeObject);
        const stored = rawValue(file, key('db'));
        assert.ok(stored.startsWith(`k8s:enc:aesgcm:v1:${keyName}:`), stored.slice(0, 40));
        assert.ok(!stored.includes(SECRET_VALUE) && !stored.includes('password'));
        assert.match(rawValue(file, '/registry/configmaps/default/cm'), /"plain"/);
        assert.equal(((await s.get(key('db'))) as KubeObject & { data: Record<string, string> }).data.password, SECRET_VALUE);
        const list = await s.list('/registry/secrets/');
        assert.equal(list.items.length, 1);
        assert.equal((list.items[0] as KubeObject & { data: Record<string, string> }).data.password, SECRET_VALUE);
        // the whole file, WAL included, never holds the value
        for (const f of fs.readdirSync(dir)) assert.ok(!fs.readFileSync(path.join(dir, f)).includes(SECRET_VALUE), f);
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('binds each value to its key: a value copied under another key does not decrypt', async () => {
    const dir = tempDir();
    try {
      const cfg = defaultEncryptionConfig();
      await withStore(cfg, dir, async (s) => {
        await s.create(key('a'), secret('a'));
        await s.create(key('b'), secret('b'));
      });
      const file = path.join(dir, 'k8ts.db');
      const db = new Database(file);
      db.prepare('UPDATE kv SET value = ? WHERE key = ?').run(rawValue(file, key('a')), key('b'));
      db.close();
      await withStore(cfg, dir, async (s) => {
        assert.ok(await s.get(key('a')));
        await assert.rejects(s.get(key('b')));
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads data written before encryption through identity, and refuses it without identity', async () => {
    const dir = tempDir();
    try {
      await withStore(undefined, dir, (s) => s.create(key('old'), secret('old')));
      const cfg = defaultEncryptionConfig();
      await withStore(cfg, dir, async (s) => assert.equal((await s.get(key('old')))!.metadata.name, 'old'));
      const withIdentity = structuredClone(cfg);
      cfg.resources[0].providers = cfg.resources[0].providers.filter((p) => !p.identity);
      await withStore(cfg, dir, async (s) => {
        await s.create(key('new'), secret('new'));
        await assert.rejects(s.get(key('old')), /identity is not configured/);
        // a list covering it fails the same way, a write to it too; other keys read and list as ever
        await assert.rejects(s.list('/registry/secrets/'), /identity is not configured/);
        await assert.rejects(
          s.guaranteedUpdate(key('old'), (cur) => cur),
          /identity is not configured/,
        );
        await assert.rejects(s.create(key('old'), secret('old')), /AlreadyExists/);
        assert.equal((await s.get(key('new')))!.metadata.name, 'new');
        assert.equal((await s.list('/registry/secrets/default/new')).items.length, 1);
      });
      // a reloaded config that reads it again: the running store serves it from then on
      const live = new ReloadableTransformer(parseEncryptionConfig(stringify(cfg)));
      const s = new SqliteStorage(path.join(dir, 'k8ts.db'), { transformer: live });
      try {
        await assert.rejects(s.get(key('old')), /identity is not configured/);
        live.set(parseEncryptionConfig(stringify(withIdentity)));
        assert.equal((await s.get(key('old')))!.metadata.name, 'old');
      } finally {
        await s.close();
      }
      await withStore(withIdentity, dir, async (s) => {
        assert.deepEqual(
          (await s.list('/registry/secrets/')).items.map((o) => o.metadata.name),
          ['new', 'old'],
        );
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rewrites a value read with an older key on an unchanged update (rotation), with a new revision', async () => {
    const dir = tempDir();
    try {
      const cfg = defaultEncryptionConfig();
      const old = cfg.resources[0].providers[0].aesgcm!.keys[0];
      await withStore(cfg, dir, (s) => s.create(key('db'), secret('db')));
      const fresh = { ...newAesKey(), name: 'key-new' };
      cfg.resources[0].providers[0].aesgcm!.keys = [fresh, old];
      await withStore(cfg, dir, async (s, file) => {
        const before = s.currentRevision();
        const out = await s.guaranteedUpdate(key('db'), (cur) => cur);
        assert.equal(Number(out.metadata.resourceVersion), before + 1);
        assert.ok(rawValue(file, key('db')).startsWith('k8s:enc:aesgcm:v1:key-new:'));
        // now current: an unchanged update is a no-op again
        await s.guaranteedUpdate(key('db'), (cur) => cur);
        assert.equal(s.currentRevision(), before + 1);
      });
      // the old key alone can no longer read it
      cfg.resources[0].providers[0].aesgcm!.keys = [old];
      await withStore(cfg, dir, async (s) => await assert.rejects(s.get(key('db')), /not configured \(aesgcm:v1:key-new\)/));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects configs it cannot honour, naming the problem', () => {
    const base = defaultEncryptionConfig();
    const bad = (mut: (c: EncryptionConfiguration) => void) => {
      const c = structuredClone(base);
      mut(c);
      return stringify(c);
    };
    assert.throws(() => parseEncryptionConfig(bad((c) => (c.kind = 'Other'))), /EncryptionConfiguration/);
    assert.throws(() => parseEncryptionConfig(bad((c) => (c.resources[0].providers = [{ secretbox: { keys: [] } }]))), /secretbox is not supported/);
    assert.throws(() => parseEncryptionConfig(bad((c) => (c.resources[0].providers[0].aesgcm!.keys[0].secret = 'c2hvcnQ='))), /must be 16, 24 or 32 bytes/);
    assert.throws(() => parseEncryptionConfig(bad((c) => (c.resources[0].providers = []))), /at least one provider/);
    assert.throws(() => parseEncryptionConfig(':\n  - ['), /encryption config/);
  });
});
