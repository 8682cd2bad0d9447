// The bearer token request authenticator: `Authorization: Bearer <token>` goes to the token authenticators
// (ServiceAccount JWTs, bootstrap tokens, ... plug in here); a token none of them accepts is refused (401), as
// upstream's bearertoken authenticator answers errInvalidToken.
import { AuthenticationError, type Authenticator } from './authentication.js';
import type { UserInfo } from './user.js';

export interface TokenAuthenticator {
  /** The token's user, or undefined when this authenticator does not know the token; an AuthenticationError when it is invalid. */
  authenticateToken(token: string): Promise<UserInfo | undefined>;
}

export class InvalidTokenError extends AuthenticationError {
  constructor() {
    super('invalid bearer token');
  }
}

export function bearerTokenAuthenticator(tokens: TokenAuthenticator[]): Authenticator {
  return {
    async authenticate(req) {
      const h = req.headers.authorization;
      if (!h) return undefined;
      const m = /^\s*bearer\s+(\S+)\s*$/i.exec(h);
      if (!m) return undefined;
      for (const t of tokens) {
        const u = await t.authenticateToken(m[1]);
        if (u) return u;
      }
      throw new InvalidTokenError();
    },
  };
}
