// The API server's filter chain, in kube-apiserver's order (DefaultBuildHandlerChain): panic recovery →
// request info → authentication → audit → impersonation → authorization → the handler. Admission is not a
// filter: the write and connect handlers run it (src/apiserver/admission/) once they have the objects.
import { withAudit, noopAuditSink, type AuditSink } from './audit.js';
import { withAuthentication, type Authenticator } from './authentication.js';
import { everyoneIsAdmin } from './insecure_admin.js';
import { unionAuthenticator, withAnonymous } from './union.js';
import { x509Authenticator } from './x509.js';
import { isAnonymousPath } from './public_info.js';
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

/** What a TLS server authenticates with unless told otherwise: client certificates, then anonymous on the public paths. */
export function defaultSecureAuthenticator(): Authenticator {
  return withAnonymous(unionAuthenticator([x509Authenticator()]), isAnonymousPath);
}

/** `secure`: the server speaks TLS (the default authenticator is then never everyone-is-admin). */
export function buildHandlerChain(handler: Handler, cfg: ChainConfig = {}, secure = false): Handler {
  const authorizer = cfg.authorizer ?? alwaysAllow;
  // wrapped inside out: the last filter applied is the first to see the request
  let h = handler;
  // Filters that cannot change the outcome are left out of the hot path: an allow-all authorizer never
  // refuses, and without an audit sink there is no event for an Audit-Id to name.
  if (authorizer !== alwaysAllow) h = withAuthorization(authorizer)(h);
  h = withImpersonation(authorizer)(h);
  if (cfg.audit && cfg.audit !== noopAuditSink) h = withAudit(cfg.audit)(h);
  h = withAuthentication(cfg.authenticator ?? (secure ? defaultSecureAuthenticator() : everyoneIsAdmin))(h);
  h = withRequestInfo(h);
  h = withPanicRecovery(cfg.log ?? logger('apiserver'))(h);
  return h;
}
