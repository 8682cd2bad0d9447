// The bootstrap token authenticator (upstream plugin/pkg/auth/authenticator/token/bootstrap): "<id>.<secret>"
// is looked up as kube-system/bootstrap-token-<id>; a live, unexpired Secret of type
// bootstrap.kubernetes.io/token with that secret and usage-bootstrap-authentication "true" makes the user
// system:bootstrap:<id> in system:bootstrappers (+ auth-extra-groups). Anything else is not a user.
import { timingSafeEqual } from 'node:crypto';
import type { Secret } from '../../api/core/v1/types.js';
import {
  BOOTSTRAP_DEFAULT_GROUP,
  BOOTSTRAP_KEYS,
  BOOTSTRAP_TOKEN_NAMESPACE,
  BOOTSTRAP_TOKEN_SECRET_TYPE,
  BOOTSTRAP_USER_PREFIX,
  bootstrapGroupError,
  bootstrapSecretData,
  bootstrapTokenExpired,
  bootstrapTokenSecretName,
  parseBootstrapToken,
} from '../../api/bootstrap_token.js';
import { ALL_AUTHENTICATED } from '../filters/user.js';
import type { TokenAuthenticator } from './token_authenticator.js';

export function bootstrapTokenAuthenticator(
  getSecret: (ns: string, name: string) => Promise<Secret | undefined>,
  now: () => number = Date.now,
): TokenAuthenticator {
  return {
    async authenticateToken(token, audiences) {
      const parsed = parseBootstrapToken(token);
      if (!parsed) return undefined;
      const secret = await getSecret(BOOTSTRAP_TOKEN_NAMESPACE, bootstrapTokenSecretName(parsed.id));
      if (!secret || secret.metadata.deletionTimestamp || secret.type !== BOOTSTRAP_TOKEN_SECRET_TYPE) return undefined;
      const data = bootstrapSecretData(secret.data);
      const stored = Buffer.from(data[BOOTSTRAP_KEYS.tokenSecret] ?? '');
      const given = Buffer.from(parsed.secret);
      if (stored.length !== given.length || !timingSafeEqual(stored, given)) return undefined;
      if (data[BOOTSTRAP_KEYS.tokenID] !== parsed.id) return undefined;
      if (bootstrapTokenExpired(data[BOOTSTRAP_KEYS.expiration], now())) return undefined;
      if (data[BOOTSTRAP_KEYS.usagePrefix + 'authentication'] !== 'true') return undefined;
      const extra = (data[BOOTSTRAP_KEYS.extraGroups] ?? '')
        .split(',')
        .map((g) => g.trim())
        .filter(Boolean);
      if (extra.some((g) => bootstrapGroupError(g))) return undefined;
      const groups = [BOOTSTRAP_DEFAULT_GROUP, ...extra.filter((g) => g !== BOOTSTRAP_DEFAULT_GROUP), ALL_AUTHENTICATED];
      return { user: { name: BOOTSTRAP_USER_PREFIX + parsed.id, uid: '', groups, extra: {} }, audiences: audiences ?? [] };
    },
  };
}
