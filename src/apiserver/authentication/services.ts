// What the handlers need of authentication: the token authenticators (TokenReview) and the ServiceAccount
// token issuer (TokenRequest), with the issuer's expiration settings.
import type { ServiceAccountTokens } from './serviceaccount_token.js';
import type { TokenAuthenticator } from './token_authenticator.js';

export interface AuthenticationServices {
  /** Every token authenticator the server accepts bearer tokens with (ServiceAccount, bootstrap). */
  tokens: TokenAuthenticator;
  serviceAccountTokens: ServiceAccountTokens;
  /** --service-account-max-token-expiration in seconds (unset: no limit). */
  maxExpirationSeconds?: number;
  /** --service-account-extend-token-expiration (default true): the kubelet's 3607 s tokens live a year. */
  extendExpiration: boolean;
}
