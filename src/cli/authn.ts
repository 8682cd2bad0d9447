// How `k8ts server`'s API server authenticates (one place, shared with bench/api.ts so its authn row measures
// what the server runs): client certificates, then bearer tokens (ServiceAccount and bootstrap token
// authenticators plug in here), then anonymous on the public paths. (Authorization is Node,RBAC: see
// --authorization-mode; apiserverAuthorizer is the small stand-in the benchmark times when it has no store.)
import type { Authenticator } from '../apiserver/filters/authentication.js';
import type { Authorizer } from '../apiserver/filters/authorization.js';
import { bearerTokenAuthenticator, type TokenAuthenticator } from '../apiserver/filters/bearer_token.js';
import { interimAuthorizer } from '../apiserver/filters/interim_authorizer.js';
import { isAnonymousPath } from '../apiserver/filters/public_info.js';
import { unionAuthenticator, withAnonymous } from '../apiserver/filters/union.js';
import { x509Authenticator } from '../apiserver/filters/x509.js';

export function apiserverAuthentication(tokens: TokenAuthenticator[] = []): Authenticator {
  return withAnonymous(unionAuthenticator([x509Authenticator(), bearerTokenAuthenticator(tokens)]), isAnonymousPath);
}

export function apiserverAuthorizer(): Authorizer {
  return interimAuthorizer;
}
