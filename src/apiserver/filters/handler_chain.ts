// The API server's filter chain, in kube-apiserver's order (DefaultBuildHandlerChain): panic recovery →
// request info → authentication → audit → impersonation → authorization → the handler. Admission is not a
// filter: the write and connect handlers run it (src/apiserver/admission/) once they have the objects.
import { withAudit, noopAuditSink, type AuditSink } from './audit.js';
import { everyoneIsAdmin, withAuthentication, type Authenticator } from './authentication.js';
import { alwaysAllow, withAuthorization, type Authorizer } from './authorization.js';
import { withImpersonation } from './impersonation.js';
import { withPanicRecovery } from './panic_recovery.js';
import type { Handler } from './request.js';
import { logger, type Logger } from '../../log/logger.js';
import { withRequestInfo } from './request_info.js';

export interface ChainConfig {
  /** Where panics are logged. */
  log?: Logger;
  authenticator?: Authenticator;
  authorizer?: Authorizer;
  audit?: AuditSink;
}

export function buildHandlerChain(handler: Handler, cfg: ChainConfig = {}): Handler {
  const authorizer = cfg.authorizer ?? alwaysAllow;
  // wrapped inside out: the last filter applied is the first to see the request
  let h = handler;
  // Filters that cannot change the outcome are left out of the hot path: an allow-all authorizer never
  // refuses, and without an audit sink there is no event for an Audit-Id to name.
  if (authorizer !== alwaysAllow) h = withAuthorization(authorizer)(h);
  h = withImpersonation(authorizer)(h);
  if (cfg.audit && cfg.audit !== noopAuditSink) h = withAudit(cfg.audit)(h);
  h = withAuthentication(cfg.authenticator ?? everyoneIsAdmin)(h);
  h = withRequestInfo(h);
  h = withPanicRecovery(cfg.log ?? logger('apiserver'))(h);
  return h;
}
