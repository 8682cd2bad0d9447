// A short-lived cache of verified tokens (upstream caches successful token authentications for 10 s):
// keyed by the token's SHA-256 so no token is kept, bounded in size, never past the token's own expiry.
import { createHash } from 'node:crypto';

export const TOKEN_SUCCESS_CACHE_TTL_MS = 10_000;
const MAX_ENTRIES = 4096;

export class VerifiedTokenCache<V> {
  private readonly entries = new Map<string, { value: V; until: number }>();
  private readonly now: () => number;
  private readonly ttlMs: number;

  constructor(o: { now?: () => number; ttlMs?: number } = {}) {
    this.now = o.now ?? Date.now;
    this.ttlMs = o.ttlMs ?? TOKEN_SUCCESS_CACHE_TTL_MS;
  }

  private static key(token: string): string {
    return createHash('sha256').update(token).digest('base64');
  }

  get(token: string): V | undefined {
    const k = VerifiedTokenCache.key(token);
    const e = this.entries.get(k);
    if (!e) return undefined;
    if (this.now() >= e.until) {
      this.entries.delete(k);
      return undefined;
    }
    return e.value;
  }

  /** Keep `value` for the TTL, or until `expiresAtMs` when that is sooner. */
  set(token: string, value: V, expiresAtMs?: number): void {
    if (this.entries.size >= MAX_ENTRIES) {
      // the oldest entry goes first (Map keeps insertion order)
      const first = this.entries.keys().next();
      if (!first.done) this.entries.delete(first.value);
    }
    const until = Math.min(this.now() + this.ttlMs, expiresAtMs ?? Infinity);
    this.entries.set(VerifiedTokenCache.key(token), { value, until });
  }
}
