// WithAuthentication: an Authenticator turns the request into a user; no user is 401 Unauthorized. For now
// every request is system:admin in system:masters (upstream's equivalent of an anonymous admin).
import type { IncomingMessage } from 'node:http';
import { StatusError, makeStatus } from '../../api/errors.js';
import type { Filter } from './request.js';
import { ALL_AUTHENTICATED, SYSTEM_ADMIN, SYSTEM_MASTERS, type UserInfo } from './user.js';

export interface Authenticator {
  /** The user making the request, or undefined when the request carries no credentials this accepts. */
  authenticate(req: IncomingMessage): Promise<UserInfo | undefined>;
}

export const everyoneIsAdmin: Authenticator = {
  authenticate: async () => ({ name: SYSTEM_ADMIN, uid: '', groups: [SYSTEM_MASTERS, ALL_AUTHENTICATED], extra: {} }),
};

export function unauthorized(): StatusError {
  return new StatusError(makeStatus(401, 'Unauthorized', 'Unauthorized'));
}

export function withAuthentication(authenticator: Authenticator): Filter {
  return (next) => async (r) => {
    const user = await authenticator.authenticate(r.req);
    if (!user) throw unauthorized();
    // as upstream: credentials are not passed on to the handlers
    delete r.req.headers.authorization;
    r.user = user;
    await next(r);
  };
}
