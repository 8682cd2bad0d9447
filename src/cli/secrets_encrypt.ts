// `k8ts secrets-encrypt status|rotate-keys`: the encryption-at-rest config under DATA/pki/ and the state of the
// data it covers. Rotation writes a new first key, waits until the running server (which follows the config)
// has re-encrypted everything with it, then drops the old keys.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import Database from 'better-sqlite3';
import { parse } from 'yaml';
import { DEFAULT_DB_FILE } from '../storage/index.js';
import { prefixEnd } from '../storage/encoding.js';
import { ENCRYPTION_CONFIG_FILE, newAesKey, parseEncryptionConfig, writeEncryptionConfig, type EncryptionConfiguration } from '../storage/encryption/config.js';
import type { EncryptionTransformer } from '../storage/encryption/transformer.js';

interface Flags {
  dataDir: string;
  encryptionProviderConfig?: string;
  timeout: string;
}

const configFile = (f: Flags) => resolve(f.encryptionProviderConfig ?? join(f.dataDir, 'pki', ENCRYPTION_CONFIG_FILE));

function readConfig(file: string): EncryptionConfiguration {
  if (!existsSync(file)) throw new Error(`no encryption config at ${file} (it is made by the first start of k8ts server)`);
  const text = readFileSync(file, 'utf8');
  parseEncryptionConfig(text, file); // validates
  return parse(text) as EncryptionConfiguration;
}

/** Per key prefix of `t`: how many stored values there are and how many the current writer did not write. */
function census(dbFile: string, t: EncryptionTransformer): { keyPrefix: string; writer: string; stored: number; stale: number }[] {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    const scan = db.prepare<[string, string], { key: string; value: string }>('SELECT key, value FROM kv WHERE key >= ? AND key < ?');
    return t.writers().map(({ keyPrefix, writer }) => {
      let stored = 0;
      let stale = 0;
      for (const r of scan.iterate(keyPrefix, prefixEnd(keyPrefix)!)) {
        stored++;
        if (t.fromStorage(r.key, r.value).stale) stale++;
      }
      return { keyPrefix, writer, stored, stale };
    });
  } finally {
    db.close();
  }
}

function status(f: Flags): void {
  const file = configFile(f);
  const t = parseEncryptionConfig(readFileSync(file, 'utf8'), file);
  const dbFile = join(resolve(f.dataDir), DEFAULT_DB_FILE);
  const rows = existsSync(dbFile) ? census(dbFile, t) : t.writers().map((w) => ({ ...w, stored: 0, stale: 0 }));
  const encrypted = rows.some((r) => r.writer !== 'identity');
  const lines = [`Encryption Status: ${encrypted ? 'Enabled' : 'Disabled'}`, `Config: ${file}`, ''];
  const table = [['KEY PREFIX', 'WRITER', 'STORED', 'NOT WITH WRITER'], ...rows.map((r) => [r.keyPrefix, r.writer, String(r.stored), String(r.stale)])];
  const widths = table[0].map((_, c) => Math.max(...table.map((r) => r[c].length)));
  for (const r of table) lines.push(r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c] + 3))).join(''));
  process.stdout.write(lines.join('\n') + '\n');
}

async function rotateKeys(f: Flags): Promise<void> {
  const file = configFile(f);
  const dbFile = join(resolve(f.dataDir), DEFAULT_DB_FILE);
  const timeoutMs = Number(f.timeout) * 1000;
  if (!(timeoutMs > 0)) throw new Error(`--timeout wants seconds, got ${JSON.stringify(f.timeout)}`);
  const cfg = readConfig(file);
  const key = newAesKey();
  const old = new Set<string>();
  for (const entry of cfg.resources) {
    const first = entry.providers[0];
    if (first?.aesgcm) {
      for (const k of first.aesgcm.keys) old.add(k.name);
      first.aesgcm.keys.unshift(key);
    } else entry.providers.unshift({ aesgcm: { keys: [key] } });
  }
  writeEncryptionConfig(file, cfg);
  process.stdout.write(`New key ${key.name} written first in ${file}; waiting for the server to re-encrypt\n`);
  const t = parseEncryptionConfig(readFileSync(file, 'utf8'), file);
  const deadline = Date.now() + timeoutMs;
  let left = census(dbFile, t).reduce((n, r) => n + r.stale, 0);
  while (left > 0) {
    if (Date.now() > deadline) {
      throw new Error(
        `${left} value(s) are still not encrypted with ${key.name} after ${f.timeout}s: is k8ts server running with --data-dir ${f.dataDir}? (the old keys stay in the config, so nothing is unreadable)`,
      );
    }
    await new Promise((r) => setTimeout(r, 250));
    left = census(dbFile, t).reduce((n, r) => n + r.stale, 0);
  }
  // everything is under the new key: the old aesgcm keys can go (identity stays, for data written without encryption)
  for (const entry of cfg.resources) {
    entry.providers = entry.providers.filter((p, i) => i === 0 || !p.aesgcm);
    entry.providers[0].aesgcm!.keys = [key];
  }
  writeEncryptionConfig(file, cfg);
  process.stdout.write(`Everything re-encrypted with ${key.name}; removed key(s): ${[...old].join(', ') || 'none'}\n`);
}

export function registerSecretsEncryptCommands(program: Command): void {
  const cmd = program.command('secrets-encrypt').description('encryption of Secrets at rest: status and key rotation');
  const common = (c: Command) =>
    c
      .option('--data-dir <dir>', 'data directory of the server', '/var/lib/k8ts')
      .option('--encryption-provider-config <file>', 'the EncryptionConfiguration (default DATA/pki/encryption-config.yaml)');
  common(cmd.command('status').description('the active key and how much stored data uses it')).action((f: Flags) => status(f));
  common(cmd.command('rotate-keys').description('add a new key, re-encrypt everything with it (through the running server), drop the old keys'))
    .option('--timeout <seconds>', 'how long to wait for the server to re-encrypt', '60')
    .action(async (f: Flags) => rotateKeys(f));
}
