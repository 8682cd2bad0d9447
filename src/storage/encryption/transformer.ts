// Encryption at rest, as upstream's storage value transformers: which keys are transformed, and how a value
// goes to its stored form and back. The first provider of a resource writes; every provider may read.
export interface ValueTransformer {
  /** The stored form of `plaintext` (object JSON) under `key`. */
  toStorage(key: string, plaintext: string): string;
  /**
   * The object JSON of a stored value. `stale` says it was not written by the key's current writer (an older
   * key, or identity), so an update must rewrite it even when the object is unchanged.
   */
  fromStorage(key: string, stored: string): { value: string; stale: boolean };
  /** Whether any key under `prefix` may be transformed (false lets reads of e.g. pods skip the transformer). */
  touches(prefix: string): boolean;
}

/** One provider of a resources entry (aesgcm with a named key, identity, ...). */
export interface Provider {
  /** Prefix of the values it writes ('' for identity). */
  readonly prefix: string;
  /** Human name for errors and status, e.g. "aesgcm:key1". */
  readonly name: string;
  seal(key: string, plaintext: string): string;
  /** The plaintext of a value that starts with `prefix`; throws when it cannot be decrypted. */
  open(key: string, stored: string): string;
}

export interface ResourceProviders {
  /** Storage key prefix the entry covers, e.g. "/registry/secrets/". */
  keyPrefix: string;
  providers: Provider[];
}

/** Values written by any encrypting provider start with this (upstream's "k8s:enc:" envelope). */
export const ENCRYPTED_PREFIX = 'k8s:enc:';

export class EncryptionTransformer implements ValueTransformer {
  constructor(private readonly entries: ResourceProviders[]) {}

  /** The providers of the first entry whose key prefix covers `key` (upstream: the first matching resources entry). */
  private providersFor(key: string): Provider[] | undefined {
    for (const e of this.entries) if (key.startsWith(e.keyPrefix)) return e.providers;
    return undefined;
  }

  touches(prefix: string): boolean {
    return this.entries.some((e) => e.keyPrefix.startsWith(prefix) || prefix.startsWith(e.keyPrefix));
  }

  /** The key prefixes this config encrypts (upstream: its resources entries). */
  keyPrefixes(): string[] {
    return this.entries.map((e) => e.keyPrefix);
  }

  toStorage(key: string, plaintext: string): string {
    const providers = this.providersFor(key);
    return providers ? providers[0].seal(key, plaintext) : plaintext;
  }

  fromStorage(key: string, stored: string): { value: string; stale: boolean } {
    const providers = this.providersFor(key);
    if (!providers) return { value: stored, stale: false };
    const encrypted = stored.startsWith(ENCRYPTED_PREFIX);
    for (let i = 0; i < providers.length; i++) {
      const p = providers[i];
      if (p.prefix ? !stored.startsWith(p.prefix) : encrypted) continue;
      return { value: p.open(key, stored), stale: i !== 0 };
    }
    // as upstream: data that no configured provider can read is an error, never returned as is
    const what = encrypted ? `a provider that is not configured (${stored.split(':', 5).slice(2, 5).join(':')})` : 'no provider (identity is not configured)';
    throw new Error(`cannot decrypt the stored value of ${key}: it was written by ${what}`);
  }

  /** The writer of each entry, for status output. */
  writers(): { keyPrefix: string; writer: string }[] {
    return this.entries.map((e) => ({ keyPrefix: e.keyPrefix, writer: e.providers[0].name }));
  }
}

/** A transformer whose configuration can be replaced while the store runs (automatic config reload). */
export class ReloadableTransformer implements ValueTransformer {
  constructor(private current: EncryptionTransformer) {}

  get active(): EncryptionTransformer {
    return this.current;
  }

  set(next: EncryptionTransformer): void {
    this.current = next;
  }

  toStorage(key: string, plaintext: string): string {
    return this.current.toStorage(key, plaintext);
  }

  fromStorage(key: string, stored: string): { value: string; stale: boolean } {
    return this.current.fromStorage(key, stored);
  }

  touches(prefix: string): boolean {
    return this.current.touches(prefix);
  }
}
