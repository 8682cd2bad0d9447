// Secrets at rest, through a real `k8ts server` on sqlite and the real kubectl: the data dir never holds a
// Secret's value, the config and key are made on first start (0600) and reused, and `k8ts secrets-encrypt
// rotate-keys` moves everything to a new key while the server runs, after which the old key is gone.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { parse } from 'yaml';
import { K8TS_BIN, TestCluster } from '../helpers/cluster.js';

const run = promisify(execFile);
const VALUE = `s3cr3t-${randomBytes(6).toString('hex')}`;

/** Whether any file of the data dir (db, WAL, logs, pki...) contains `needle`. */
function dataDirHolds(dir: string, needle: string): string[] {
  const hits: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && readFileSync(p).includes(needle)) hits.push(p);
    }
  };
  walk(dir);
  return hits;
}

function storedPrefix(dataDir: string, key: string): string {
  const db = new Database(join(dataDir, 'k8ts.db'), { readonly: true });
  try {
    return (db.prepare('SELECT value FROM kv WHERE key = ?').get(key) as { value: string }).value.split(':', 5).join(':');
  } finally {
    db.close();
  }
}

describe('secrets encrypted at rest', () => {
  let c: TestCluster;
  const config = () => join(c.dataDir, 'pki', 'encryption-config.yaml');
  const keyNames = () =>
    (
      parse(readFileSync(config(), 'utf8')) as { resources: { providers: { aesgcm?: { keys: { name: string }[] } }[] }[] }
    ).resources[0].providers[0].aesgcm!.keys.map((k) => k.name);
  const readBack = async () => Buffer.from(await c.k(['get', 'secret', 'db', '-o', 'jsonpath={.data.password}']), 'base64').toString();

  before(async () => {
    c = await new TestCluster({ store: 'sqlite' }).start();
  });
  after(async () => {
    await c.cleanup();
  });

  it('keeps no Secret value in the data dir, in clear or base64, and still serves it', async () => {
    await c.k(['create', 'secret', 'generic', 'db', `--from-literal=password=${VALUE}`]);
    assert.equal(await readBack(), VALUE);
    assert.equal(statSync(config()).mode & 0o777, 0o600);
    assert.match(storedPrefix(c.dataDir, '/registry/secrets/default/db'), /^k8s:enc:aesgcm:v1:key-/);
    assert.deepEqual(dataDirHolds(c.dataDir, VALUE), []);
    assert.deepEqual(dataDirHolds(c.dataDir, Buffer.from(VALUE).toString('base64')), []);
    assert.ok(!c.logs.includes(VALUE) && !c.logs.includes(Buffer.from(VALUE).toString('base64')), 'server output holds the value');
  });

  it('reuses the key after a restart', async () => {
    const before = keyNames();
    await c.restart();
    assert.deepEqual(keyNames(), before);
    assert.equal(await readBack(), VALUE);
  });

  it('rotates the key through the running server: everything re-encrypted, the old key dropped', async () => {
    const [oldKey] = keyNames();
    const status = await run(process.execPath, [K8TS_BIN, 'secrets-encrypt', 'status', '--data-dir', c.dataDir]);
    assert.match(status.stdout, /Encryption Status: Enabled/);
    assert.match(status.stdout, new RegExp(`/registry/secrets/\\s+aesgcm:${oldKey}\\s+\\d+\\s+0`));

    const out = await run(process.execPath, [K8TS_BIN, 'secrets-encrypt', 'rotate-keys', '--data-dir', c.dataDir, '--timeout', '30']);
    const keys = keyNames();
    assert.equal(keys.length, 1);
    assert.notEqual(keys[0], oldKey);
    assert.match(out.stdout, new RegExp(`removed key\\(s\\): ${oldKey}`));
    assert.equal(storedPrefix(c.dataDir, '/registry/secrets/default/db'), `k8s:enc:aesgcm:v1:${keys[0]}`);
    assert.equal(await readBack(), VALUE);
    // a restart reads everything with the new key alone
    await c.restart();
    assert.equal(await readBack(), VALUE);
    await c.k(['create', 'secret', 'generic', 'db2', '--from-literal=k=v']);
    assert.equal(storedPrefix(c.dataDir, '/registry/secrets/default/db2'), `k8s:enc:aesgcm:v1:${keys[0]}`);
  });

  it('refuses to start on a config it cannot honour, naming the problem', async () => {
    const bad = join(c.dataDir, 'bad-encryption.yaml');
    writeFileSync(
      bad,
      'apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources:\n  - resources: [secrets]\n    providers:\n      - secretbox:\n          keys: [{name: k, secret: AAAA}]\n',
    );
    const other = new TestCluster({ store: 'sqlite', dataDir: c.dataDir, extraArgs: ['--encryption-provider-config', bad] });
    try {
      await assert.rejects(other.start(), /secretbox is not supported by k8ts/);
    } finally {
      await other.cleanup();
    }
    assert.equal(await readBack(), VALUE);
  });
});
