// The encryption provider config (upstream's EncryptionConfiguration, apiserver.config.k8s.io/v1): reading it
// into a transformer, and the default that `k8ts server` writes on first start (aesgcm for secrets, identity to
// read data written before encryption was on).
import { existsSync, readFileSync, renameSync, unwatchFile, watchFile, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { parse, stringify } from 'yaml';
import { aesgcmProvider, identityProvider } from './aesgcm.js';
import { EncryptionTransformer, type Provider, type ResourceProviders } from './transformer.js';

/** Where `k8ts server` keeps the config, under DATA/pki/. */
export const ENCRYPTION_CONFIG_FILE = 'encryption-config.yaml';

export interface AesKey {
  name: string;
  secret: string;
}

export interface ProviderConfig {
  aesgcm?: { keys: AesKey[] };
  identity?: Record<string, never>;
  [other: string]: unknown;
}

export interface EncryptionConfiguration {
  apiVersion: string;
  kind: string;
  resources: { resources: string[]; providers: ProviderConfig[] }[];
}

/**
 * Storage key prefix of `resource[.group]` (the key layout the API server uses: /registry/[group/]resource/);
 * `*.*` is every key, `*.group` every resource of a group.
 */
function keyPrefix(name: string): string {
  const dot = name.indexOf('.');
  const resource = dot < 0 ? name : name.slice(0, dot);
  const group = dot < 0 ? '' : name.slice(dot + 1);
  if (resource === '*' && group === '*') return '/registry/';
  if (resource === '*') {
    if (!group) throw new Error('resource "*." (every core resource) is not supported; list the core resources by name');
    return `/registry/${group}/`;
  }
  if (!/^[a-z0-9][a-z0-9.-]*$/.test(resource)) throw new Error(`invalid resource name ${JSON.stringify(name)}`);
  return `/registry/${group ? group + '/' : ''}${resource}/`;
}

function providersOf(list: ProviderConfig[], where: string): Provider[] {
  if (!Array.isArray(list) || list.length === 0) throw new Error(`${where}.providers: at least one provider is required`);
  return list.flatMap((p, i): Provider[] => {
    const at = `${where}.providers[${i}]`;
    const kinds = Object.keys(p ?? {});
    if (kinds.length !== 1) throw new Error(`${at}: exactly one provider type per entry, got ${kinds.join(', ') || 'none'}`);
    if (p.identity !== undefined) return [identityProvider];
    if (p.aesgcm !== undefined) {
      const keys = p.aesgcm.keys;
      if (!Array.isArray(keys) || keys.length === 0) throw new Error(`${at}.aesgcm.keys: at least one key is required`);
      // every key decrypts; the first one encrypts
      return keys.map((k, j) => {
        if (!k?.name || typeof k.secret !== 'string') throw new Error(`${at}.aesgcm.keys[${j}]: name and secret are required`);
        return aesgcmProvider(k.name, Buffer.from(k.secret, 'base64'));
      });
    }
    throw new Error(`${at}: provider ${kinds[0]} is not supported by k8ts (supported: aesgcm, identity)`);
  });
}

export function parseEncryptionConfig(text: string, file = 'encryption config'): EncryptionTransformer {
  let doc: EncryptionConfiguration;
  try {
    doc = parse(text) as EncryptionConfiguration;
  } catch (e) {
    throw new Error(`${file}: ${(e as Error).message}`);
  }
  if (doc?.kind !== 'EncryptionConfiguration' || doc.apiVersion !== 'apiserver.config.k8s.io/v1') {
    throw new Error(`${file}: want apiVersion apiserver.config.k8s.io/v1, kind EncryptionConfiguration`);
  }
  const entries: ResourceProviders[] = [];
  (doc.resources ?? []).forEach((r, i) => {
    const where = `${file}: resources[${i}]`;
    if (!Array.isArray(r?.resources) || r.resources.length === 0) throw new Error(`${where}.resources: at least one resource is required`);
    const providers = providersOf(r.providers, where);
    for (const name of r.resources) entries.push({ keyPrefix: keyPrefix(name), providers });
  });
  return new EncryptionTransformer(entries);
}

export function newAesKey(): AesKey {
  return { name: `key-${Date.now().toString(36)}`, secret: randomBytes(32).toString('base64') };
}

export function defaultEncryptionConfig(key: AesKey = newAesKey()): EncryptionConfiguration {
  return {
    apiVersion: 'apiserver.config.k8s.io/v1',
    kind: 'EncryptionConfiguration',
    resources: [{ resources: ['secrets'], providers: [{ aesgcm: { keys: [key] } }, { identity: {} }] }],
  };
}

export function writeEncryptionConfig(file: string, cfg: EncryptionConfiguration): void {
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, stringify(cfg), { mode: 0o600 });
  renameSync(tmp, file);
}

/** The transformer of `file`, writing the default config first when it does not exist. */
export function loadOrCreateEncryptionConfig(file: string): EncryptionTransformer {
  if (!existsSync(file)) writeEncryptionConfig(file, defaultEncryptionConfig());
  return parseEncryptionConfig(readFileSync(file, 'utf8'), file);
}

/**
 * Re-reads `file` when it changes (upstream's --encryption-provider-config-automatic-reload), polling its
 * mtime every `intervalMs`; a config that does not parse is reported and the running one kept. Returns stop().
 */
export function watchEncryptionConfig(file: string, onChange: (t: EncryptionTransformer) => void, onError: (e: Error) => void, intervalMs = 1000): () => void {
  const listener = (cur: { mtimeMs: number }, prev: { mtimeMs: number }) => {
    if (cur.mtimeMs === prev.mtimeMs) return;
    let next: EncryptionTransformer;
    try {
      next = parseEncryptionConfig(readFileSync(file, 'utf8'), file);
    } catch (e) {
      onError(e as Error);
      return;
    }
    onChange(next);
  };
  watchFile(file, { interval: intervalMs, persistent: false }, listener);
  return () => unwatchFile(file, listener);
}
