// The authenticator of an in-process, plain-HTTP API server that a test builds without one: every request is
// system:admin in system:masters. `k8ts server` serves TLS and never uses it (handler_chain.ts).
import type { Authenticator } from './authentication.js';
import { ALL_AUTHENTICATED, SYSTEM_ADMIN, SYSTEM_MASTERS } from './user.js';

export const everyoneIsAdmin: Authenticator = {
  authenticate: () => ({ name: SYSTEM_ADMIN, uid: '', groups: [SYSTEM_MASTERS, ALL_AUTHENTICATED], extra: {} }),
};
