// The kubelet's ServiceAccount token manager (upstream pkg/kubelet/token): tokens for projected
// serviceAccountToken volumes come from TokenRequest (bound to the pod), are cached per (account, audiences,
// lifetime, bound pod), and are fetched again once 80% of their lifetime has passed or after 24 h; a pod's
// tokens are dropped when the pod leaves the node.
import type { BoundObjectReference, TokenRequest } from '../../api/authentication/v1/types.js';

/** Posts a TokenRequest to serviceaccounts/<name>/token in `namespace`. */
export type RequestToken = (namespace: string, serviceAccount: string, tr: TokenRequest) => Promise<TokenRequest>;

/** Refresh at the latest after this long, whatever the token's lifetime (upstream maxTTL). */
export const MAX_TOKEN_AGE_MS = 24 * 3600 * 1000;
/** Up to this much earlier, so a node's pods do not all refresh at once (upstream maxJitter). */
const MAX_JITTER_MS = 10_000;

interface Cached {
  tr: TokenRequest;
  fetchedAt: number;
  expiresAt: number;
  podUID?: string;
}

/** How often expired entries are dropped (upstream's gc period). */
const CLEANUP_PERIOD_MS = 60_000;

export class TokenManager {
  private readonly cache = new Map<string, Cached>();
  private cleanedAt = 0;

  constructor(
    private readonly request: RequestToken,
    private readonly now: () => number = Date.now,
    private readonly jitter: () => number = () => Math.random() * MAX_JITTER_MS,
  ) {}

  private static key(ns: string, name: string, tr: TokenRequest): string {
    const ref = tr.spec.boundObjectRef;
    return JSON.stringify([ns, name, tr.spec.audiences ?? [], tr.spec.expirationSeconds ?? null, ref?.kind ?? '', ref?.name ?? '', ref?.uid ?? '']);
  }

  /** Whether a cached token must be fetched again: 80% of its lifetime gone, or older than 24 h (less a jitter). */
  requiresRefresh(c: Cached): boolean {
    const now = this.now();
    const jitter = this.jitter();
    if (now >= c.fetchedAt + MAX_TOKEN_AGE_MS - jitter) return true;
    const lifetime = c.expiresAt - c.fetchedAt;
    return now >= c.expiresAt - lifetime * 0.2 - jitter;
  }

  /** The token for the request, from the cache while it is fresh; a failed refresh keeps serving a still-valid token. */
  async getServiceAccountToken(namespace: string, name: string, tr: TokenRequest): Promise<TokenRequest> {
    if (this.now() - this.cleanedAt >= CLEANUP_PERIOD_MS) this.cleanup();
    const key = TokenManager.key(namespace, name, tr);
    const cached = this.cache.get(key);
    if (cached && !this.requiresRefresh(cached)) return cached.tr;
    let fresh: TokenRequest;
    try {
      fresh = await this.request(namespace, name, tr);
    } catch (e) {
      if (cached && this.now() < cached.expiresAt) return cached.tr;
      throw e;
    }
    const expiresAt = Date.parse(fresh.status?.expirationTimestamp ?? '');
    if (!fresh.status?.token || Number.isNaN(expiresAt)) throw new Error('the TokenRequest answer carries no token');
    this.cache.set(key, { tr: fresh, fetchedAt: this.now(), expiresAt, podUID: tr.spec.boundObjectRef?.uid });
    return fresh;
  }

  /** Forget every token bound to the pod (upstream DeleteServiceAccountToken). */
  deletePodTokens(podUID: string): void {
    for (const [k, c] of this.cache) if (c.podUID === podUID) this.cache.delete(k);
  }

  /** Drop expired entries (upstream's periodic cleanup). */
  cleanup(): void {
    const now = this.now();
    this.cleanedAt = now;
    for (const [k, c] of this.cache) if (now >= c.expiresAt) this.cache.delete(k);
  }

  get size(): number {
    return this.cache.size;
  }
}

/** The TokenRequest the kubelet sends for a pod's projected serviceAccountToken source. */
export function podTokenRequest(pod: { metadata: { name?: string; uid?: string } }, audience: string | undefined, expirationSeconds: number): TokenRequest {
  const ref: BoundObjectReference = { apiVersion: 'v1', kind: 'Pod', name: pod.metadata.name, uid: pod.metadata.uid };
  return {
    apiVersion: 'authentication.k8s.io/v1',
    kind: 'TokenRequest',
    metadata: {},
    spec: { audiences: audience ? [audience] : [], expirationSeconds, boundObjectRef: ref },
  };
}
