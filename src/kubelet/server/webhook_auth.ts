// The node endpoint's webhook authentication and authorization (upstream kubelet --authentication-token-webhook
// and --authorization-mode=Webhook): a bearer token is sent to the API server as a TokenReview, a request's
// attributes as a SubjectAccessReview, both through the kubelet's own client. Answers are cached as the
// kubelet's defaults say: TokenReviews 2 min, allowed reviews 5 min, denied ones 30 s.
import { createHash } from 'node:crypto';
import type { KubeClient } from '../../client/rest.js';
import type { NodeAuthorizer, NodeRequestAttributes, NodeTokenAuthenticator, NodeUser } from './auth.js';

const TOKEN_REVIEWS = '/apis/authentication.k8s.io/v1/tokenreviews';
const SUBJECT_ACCESS_REVIEWS = '/apis/authorization.k8s.io/v1/subjectaccessreviews';

interface TokenReviewStatus {
  authenticated?: boolean;
  user?: { username?: string; uid?: string; groups?: string[]; extra?: Record<string, string[]> };
  error?: string;
}

/** A map whose entries expire; the clock is injectable for tests. */
class TTLCache<V> {
  private entries = new Map<string, { value: V; expiresAt: number }>();
  constructor(
    private readonly max = 4096,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string): V | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (this.now() >= e.expiresAt) {
      this.entries.delete(key);
      return undefined;
    }
    return e.value;
  }

  set(key: string, value: V, ttlMs: number): void {
    if (ttlMs <= 0) return;
    if (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { value, expiresAt: this.now() + ttlMs });
  }
}

export interface WebhookOptions {
  now?: () => number;
}

/** Bearer tokens checked by TokenReview; the token itself is never kept, only its SHA-256. */
export class WebhookTokenAuthenticator implements NodeTokenAuthenticator {
  private cache: TTLCache<NodeUser | null>;

  constructor(
    private readonly client: KubeClient,
    private readonly ttlMs = 120_000,
    o: WebhookOptions = {},
  ) {
    this.cache = new TTLCache(4096, o.now);
  }

  async authenticateToken(token: string): Promise<NodeUser | undefined> {
    const key = createHash('sha256').update(token).digest('hex');
    const hit = this.cache.get(key);
    if (hit !== undefined) return hit ?? undefined;
    const review = await this.client.create<{ status?: TokenReviewStatus }>(TOKEN_REVIEWS, {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenReview',
      spec: { token },
    });
    const st = review.status;
    const user: NodeUser | null =
      st?.authenticated && st.user?.username ? { name: st.user.username, uid: st.user.uid, groups: st.user.groups ?? [], extra: st.user.extra } : null;
    this.cache.set(key, user, this.ttlMs);
    return user ?? undefined;
  }
}

/** Requests decided by SubjectAccessReview on the node object (resource nodes, the mapped subresource). */
export class WebhookNodeAuthorizer implements NodeAuthorizer {
  private cache: TTLCache<boolean>;

  constructor(
    private readonly client: KubeClient,
    private readonly allowedTTLMs = 300_000,
    private readonly deniedTTLMs = 30_000,
    o: WebhookOptions = {},
  ) {
    this.cache = new TTLCache(4096, o.now);
  }

  async authorize(a: NodeRequestAttributes): Promise<boolean> {
    const spec = {
      user: a.user.name,
      uid: a.user.uid,
      groups: a.user.groups,
      extra: a.user.extra,
      resourceAttributes: { verb: a.verb, group: '', version: 'v1', resource: a.resource, subresource: a.subresource, name: a.name },
    };
    const key = JSON.stringify(spec);
    const hit = this.cache.get(key);
    if (hit !== undefined) return hit;
    const review = await this.client.create<{ status?: { allowed?: boolean } }>(SUBJECT_ACCESS_REVIEWS, {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SubjectAccessReview',
      spec,
    });
    const allowed = review.status?.allowed === true;
    this.cache.set(key, allowed, allowed ? this.allowedTTLMs : this.deniedTTLMs);
    return allowed;
  }
}
