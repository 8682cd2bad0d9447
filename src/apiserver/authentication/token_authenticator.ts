// Bearer token authentication (upstream authentication/request/bearertoken + token/union): the token
// authenticators (ServiceAccount JWTs, bootstrap tokens) behind one interface, and the request
// authenticator that judges any request carrying `Authorization: Bearer <token>` by its token alone.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Authenticator } from '../filters/authentication.js';
import { unauthorized } from '../filters/authentication.js';
import type { UserInfo } from '../filters/user.js';

export interface TokenResult {
  user: UserInfo;
  /** The audiences the token is valid for among those asked for. */
  audiences: string[];
}

/** A token this authenticator owns but refuses (expired, forged, revoked...): the reason, never token material. */
export class TokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TokenError';
  }
}

export interface TokenAuthenticator {
  /**
   * The user the token stands for; undefined when the token is not of this authenticator's kind; throws a
   * TokenError when it is but is invalid. `audiences`: the audiences the caller serves (default: the API server's).
   */
  authenticateToken(token: string, audiences?: string[]): Promise<TokenResult | undefined>;
}

/** Upstream's "invalid bearer token": no authenticator accepted the token. */
export const INVALID_BEARER_TOKEN = 'invalid bearer token';

/** The first authenticator that accepts the token wins; otherwise every refusal is reported together. */
export function unionTokenAuthenticator(list: TokenAuthenticator[]): TokenAuthenticator {
  return {
    async authenticateToken(token, audiences) {
      const errs: string[] = [];
      for (const a of list) {
        try {
          const r = await a.authenticateToken(token, audiences);
          if (r) return r;
        } catch (e) {
          if (!(e instanceof TokenError)) throw e;
          errs.push(e.message);
        }
      }
      if (errs.length) throw new TokenError(errs.length === 1 ? errs[0] : `[${errs.join(', ')}]`);
      return undefined;
    },
  };
}

/** Upstream's token file authenticator: fixed tokens, each standing for one user (compared in constant time). */
export function staticTokenAuthenticator(tokens: Record<string, UserInfo>): TokenAuthenticator {
  const entries = Object.entries(tokens).map(([t, user]) => ({ digest: createHash('sha256').update(t).digest(), user }));
  return {
    async authenticateToken(token, audiences) {
      if (!entries.length) return undefined;
      const d = createHash('sha256').update(token).digest();
      const hit = entries.find((e) => timingSafeEqual(e.digest, d));
      return hit ? { user: structuredClone(hit.user), audiences: audiences ?? [] } : undefined;
    },
  };
}

/** Authenticate a token as a TokenReview does: the user, or the reason it was refused. */
export async function reviewToken(tokens: TokenAuthenticator, token: string, audiences?: string[]): Promise<TokenResult | { error: string }> {
  try {
    const r = await tokens.authenticateToken(token, audiences);
    return r ?? { error: `[${INVALID_BEARER_TOKEN}]` };
  } catch (e) {
    if (!(e instanceof TokenError)) throw e;
    return { error: `[${INVALID_BEARER_TOKEN}, ${e.message}]` };
  }
}

/** The token of an `Authorization: Bearer <token>` header (scheme case-insensitive), else undefined. */
export function bearerToken(req: IncomingMessage): string | undefined {
  const h = req.headers.authorization;
  if (!h) return undefined;
  const parts = h.split(' ');
  if (parts.length < 2 || parts[0].toLowerCase() !== 'bearer') return undefined;
  return parts[1] || undefined;
}

/**
 * Requests with a bearer token are judged by it (valid → its user, otherwise 401 Unauthorized); all others go
 * to `next` (client certificates, anonymous, ...).
 */
export function withBearerTokens(tokens: TokenAuthenticator, next: Authenticator): Authenticator {
  return {
    async authenticate(req) {
      const token = bearerToken(req);
      if (token === undefined) return next.authenticate(req);
      try {
        const r = await tokens.authenticateToken(token);
        if (r) return r.user;
      } catch (e) {
        if (!(e instanceof TokenError)) throw e;
      }
      throw unauthorized();
    },
  };
}
