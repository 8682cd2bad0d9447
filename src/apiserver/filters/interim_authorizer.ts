// The authorizer until RBAC lands: every authenticated user may do anything; anonymous requests may only read
// the public health and version paths (what upstream's system:public-info-viewer grants to system:unauthenticated).
// Everything else is 403 with upstream's message. RBAC (and the Node authorizer) replace this file.
import type { Authorizer } from './authorization.js';
import { isPublicInfoPath } from './public_info.js';
import { ALL_UNAUTHENTICATED, ANONYMOUS } from './user.js';

export const interimAuthorizer: Authorizer = {
  async authorize(a) {
    const anonymous = a.user.name === ANONYMOUS || a.user.groups.includes(ALL_UNAUTHENTICATED);
    if (!anonymous) return { decision: 'Allow' };
    if (!a.isResourceRequest && (a.verb === 'get' || a.verb === 'head') && isPublicInfoPath(a.path)) return { decision: 'Allow' };
    return { decision: 'NoOpinion' };
  },
};
