// WithAuthentication: an Authenticator turns the request into a user; none is 401 Unauthorized with upstream's
// body. The server's authenticator is a union (union.ts): client certificates, bearer tokens, then anonymous.
import type { IncomingMessage } from 'node:http';
import { StatusError, makeStatus } from '../../api/errors.js';
import type { Filter } from './request.js';
import type { UserInfo } from './user.js';

export interface Authenticator {
  /**
   * The user making the request, or undefined when the request carries no credentials this one handles.
   * Throws an AuthenticationError when it carries such credentials but they are not valid: the request is then
   * 401. Any other exception is a failure of the server (500, through panic recovery).
   */
  authenticate(req: IncomingMessage): Promise<UserInfo | undefined> | UserInfo | undefined;
}

/** A credential was presented and refused (why stays on the server: the client only learns 401). */
export class AuthenticationError extends Error {}

export function unauthorized(): StatusError {
  return new StatusError(makeStatus(401, 'Unauthorized', 'Unauthorized'));
}

export function withAuthentication(authenticator: Authenticator): Filter {
  return (next) => async (r) => {
    let user: UserInfo | undefined;
    try {
      user = await authenticator.authenticate(r.req);
    } catch (e) {
      // why a credential was refused stays on the server side, and nothing of it is logged
      if (e instanceof AuthenticationError) throw unauthorized();
      throw e;
    }
    if (!user) throw unauthorized();
    // as upstream: credentials are not passed on to the handlers
    delete r.req.headers.authorization;
    r.user = user;
    await next(r);
  };
}
