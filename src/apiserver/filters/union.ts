// Upstream's unionauth and anonymous authenticators: the first authenticator that recognizes the request wins;
// a credential one of them refused makes the request 401 (it does not fall through to anonymous); a request with
// no credentials at all is system:anonymous in system:unauthenticated — only on the paths anonymous requests
// are for (upstream's anonymous authenticator conditions); elsewhere it is 401.
import { AuthenticationError, type Authenticator } from './authentication.js';
import { ALL_UNAUTHENTICATED, ANONYMOUS, type UserInfo } from './user.js';

export function unionAuthenticator(authenticators: Authenticator[]): Authenticator {
  return {
    async authenticate(req) {
      let failure: unknown;
      for (const a of authenticators) {
        try {
          const u = await a.authenticate(req);
          if (u) return u;
        } catch (e) {
          if (!(e instanceof AuthenticationError)) throw e;
          failure ??= e;
        }
      }
      if (failure) throw failure;
      return undefined;
    },
  };
}

const anonymousUser: UserInfo = Object.freeze({ name: ANONYMOUS, uid: '', groups: [ALL_UNAUTHENTICATED], extra: {} }) as UserInfo;

export const anonymousAuthenticator: Authenticator = { authenticate: () => anonymousUser };

/**
 * `authenticator`, then anonymous for requests it does not recognize (not for those it refused), when `paths`
 * (default: any) allows the request's path.
 */
export function withAnonymous(authenticator: Authenticator, paths?: (path: string) => boolean): Authenticator {
  return {
    async authenticate(req) {
      const u = await authenticator.authenticate(req);
      if (u) return u;
      if (!paths) return anonymousUser;
      const url = req.url ?? '/';
      const q = url.indexOf('?');
      return paths(q < 0 ? url : url.slice(0, q)) ? anonymousUser : undefined;
    },
  };
}
