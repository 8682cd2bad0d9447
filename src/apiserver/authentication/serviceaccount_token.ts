// ServiceAccount JWTs (upstream pkg/serviceaccount jwt.go): signing bound and legacy tokens with the
// cluster's key, and the authenticator that verifies them — signature, issuer, audience, exp/nbf — then
// checks that the ServiceAccount and the object a token is bound to still exist with the same UID.
import { randomUUID, type KeyObject } from 'node:crypto';
import { keyID, signingAlgorithm as algorithmOf } from '../../api/serviceaccount.js';
import { SignJWT, decodeJwt, decodeProtectedHeader, errors as joseErrors, exportJWK, jwtVerify, type JWK, type JWTPayload } from 'jose';
import type { Pod, Secret, ServiceAccount, Node } from '../../api/core/v1/types.js';
import type { KubeObject } from '../../api/types.js';
import {
  DEFAULT_ISSUER,
  LEGACY_CLAIMS,
  LEGACY_ISSUER,
  serviceAccountUser,
  serviceAccountUsername,
  type BoundClaims,
  type ServiceAccountInfo,
} from './serviceaccount_claims.js';
import { TokenError, type TokenAuthenticator, type TokenResult } from './token_authenticator.js';
import { VerifiedTokenCache } from './token_cache.js';

/** Reads of the objects tokens name (upstream ServiceAccountTokenGetter); undefined = not found. */
export interface TokenObjectGetter {
  getServiceAccount(namespace: string, name: string): Promise<ServiceAccount | undefined>;
  getPod(namespace: string, name: string): Promise<Pod | undefined>;
  getSecret(namespace: string, name: string): Promise<Secret | undefined>;
  getNode(name: string): Promise<Node | undefined>;
}

export interface ServiceAccountTokenOptions {
  privateKey: KeyObject;
  publicKeys: KeyObject[];
  /** Default: DEFAULT_ISSUER. */
  issuer?: string;
  /** The API server's audiences (--api-audiences); default [issuer]. */
  audiences?: string[];
  now?: () => number;
}

/** Upstream's jwt.DefaultLeeway: objects deleted less than this ago, and clocks off by this much, are tolerated. */
const LEEWAY_SECONDS = 60;

export interface IssueRequest {
  serviceAccount: ServiceAccount;
  pod?: Pod;
  secret?: Secret;
  node?: Node;
  audiences: string[];
  expirationSeconds: number;
  /** Seconds after which a use of the token is stale (extended kubelet tokens). */
  warnAfterSeconds?: number;
}

/** The JWKS document of the verification keys (served by the OIDC discovery endpoints upstream). */
export async function publicJWKS(publicKeys: KeyObject[]): Promise<{ keys: JWK[] }> {
  return { keys: await Promise.all(publicKeys.map(async (k) => ({ ...(await exportJWK(k)), kid: keyID(k), use: 'sig', alg: algorithmOf(k) }))) };
}

export class ServiceAccountTokens implements TokenAuthenticator {
  readonly issuer: string;
  readonly audiences: string[];
  private readonly alg: string;
  private readonly kid: string;
  private readonly keysByID: Map<string, KeyObject>;
  private readonly now: () => number;
  private readonly cache: VerifiedTokenCache<JWTPayload>;

  constructor(
    private readonly opts: ServiceAccountTokenOptions,
    private readonly getter: TokenObjectGetter,
  ) {
    this.issuer = opts.issuer ?? DEFAULT_ISSUER;
    this.audiences = opts.audiences?.length ? opts.audiences : [this.issuer];
    this.alg = algorithmOf(opts.privateKey);
    this.keysByID = new Map(opts.publicKeys.map((k) => [keyID(k), k]));
    this.kid = keyID(opts.publicKeys[0]);
    this.now = opts.now ?? Date.now;
    this.cache = new VerifiedTokenCache<JWTPayload>({ now: this.now });
  }

  /** A bound token (TokenRequest): returns it and its expiry (seconds since the epoch). */
  async issue(r: IssueRequest): Promise<{ token: string; expiresAt: number }> {
    const now = Math.floor(this.now() / 1000);
    const sa = r.serviceAccount;
    const ns = sa.metadata.namespace!;
    const k8s: BoundClaims = { namespace: ns, serviceaccount: { name: sa.metadata.name!, uid: sa.metadata.uid! } };
    if (r.pod) k8s.pod = { name: r.pod.metadata.name!, uid: r.pod.metadata.uid! };
    else if (r.secret) k8s.secret = { name: r.secret.metadata.name!, uid: r.secret.metadata.uid! };
    if (r.node) k8s.node = { name: r.node.metadata.name!, uid: r.node.metadata.uid! };
    if (r.warnAfterSeconds) k8s.warnafter = now + r.warnAfterSeconds;
    const expiresAt = now + r.expirationSeconds;
    const token = await new SignJWT({ 'kubernetes.io': k8s })
      .setProtectedHeader({ alg: this.alg, kid: this.kid })
      .setIssuer(this.issuer)
      .setSubject(serviceAccountUsername(ns, sa.metadata.name!))
      .setAudience(r.audiences)
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(expiresAt)
      .setJti(randomUUID())
      .sign(this.opts.privateKey);
    return { token, expiresAt };
  }

  async authenticateToken(token: string, audiences?: string[]): Promise<TokenResult | undefined> {
    const issuer = unverifiedIssuer(token);
    if (issuer !== this.issuer && issuer !== LEGACY_ISSUER) return undefined;
    const payload = await this.verified(token);
    const legacy = payload.iss === LEGACY_ISSUER;
    const tokenAuds = legacy ? this.audiences : typeof payload.aud === 'string' ? [payload.aud] : (payload.aud ?? []);
    const wanted = audiences?.length ? audiences : this.audiences;
    const auds = tokenAuds.filter((a) => wanted.includes(a));
    if (!auds.length) throw new TokenError(`token audiences ${JSON.stringify(tokenAuds)} is invalid for the target audiences ${JSON.stringify(wanted)}`);
    const info = legacy ? await this.validateLegacy(token, payload) : await this.validateBound(payload);
    return { user: serviceAccountUser(info), audiences: auds };
  }

  /** Signature, issuer and time checks; the verified payload is kept briefly so a request costs a map lookup. */
  private async verified(token: string): Promise<JWTPayload> {
    const hit = this.cache.get(token);
    if (hit) {
      checkTimes(hit, this.now());
      return hit;
    }
    let payload: JWTPayload;
    try {
      const kid = decodeProtectedHeader(token).kid;
      const keys = kid !== undefined && this.keysByID.has(kid) ? [this.keysByID.get(kid)!] : [...this.keysByID.values()];
      payload = await this.verifyWithAny(token, keys);
    } catch (e) {
      if (e instanceof TokenError) throw e;
      throw new TokenError('token could not be verified');
    }
    this.cache.set(token, payload, typeof payload.exp === 'number' ? payload.exp * 1000 : undefined);
    return payload;
  }

  private async verifyWithAny(token: string, keys: KeyObject[]): Promise<JWTPayload> {
    let last: unknown;
    for (const key of keys) {
      try {
        const { payload } = await jwtVerify(token, key, {
          issuer: [this.issuer, LEGACY_ISSUER],
          algorithms: ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512'],
          currentDate: new Date(this.now()),
          clockTolerance: LEEWAY_SECONDS,
        });
        return payload;
      } catch (e) {
        last = e;
        if (!(e instanceof joseErrors.JWSSignatureVerificationFailed)) break;
      }
    }
    if (last instanceof joseErrors.JWTExpired) throw new TokenError('service account token has expired');
    if (last instanceof joseErrors.JWTClaimValidationFailed && last.claim === 'nbf') throw new TokenError('service account token is not valid yet');
    if (last instanceof joseErrors.JWSSignatureVerificationFailed) throw new TokenError('token signature is invalid');
    throw last;
  }

  private async validateBound(p: JWTPayload): Promise<ServiceAccountInfo> {
    const k8s = p['kubernetes.io'] as BoundClaims | undefined;
    if (!k8s?.namespace || !k8s.serviceaccount?.name)
      throw new TokenError('service account token claims could not be validated due to unexpected private claim');
    const ns = k8s.namespace;
    const deletedBefore = this.now() - LEEWAY_SECONDS * 1000;
    const gone = (o: KubeObject) => o.metadata.deletionTimestamp !== undefined && Date.parse(o.metadata.deletionTimestamp) < deletedBefore;
    const sa = await this.getter.getServiceAccount(ns, k8s.serviceaccount.name);
    if (!sa) throw new TokenError(`serviceaccounts "${k8s.serviceaccount.name}" not found`);
    if (gone(sa)) throw new TokenError(`service account ${ns}/${k8s.serviceaccount.name} has been deleted`);
    if (sa.metadata.uid !== k8s.serviceaccount.uid)
      throw new TokenError(`service account UID (${sa.metadata.uid}) does not match claim (${k8s.serviceaccount.uid})`);
    if (k8s.secret) {
      const secret = await this.getter.getSecret(ns, k8s.secret.name);
      if (!secret || gone(secret)) throw new TokenError('service account token has been invalidated');
      if (secret.metadata.uid !== k8s.secret.uid) {
        throw new TokenError(`secret UID (${secret.metadata.uid}) does not match service account secret ref claim (${k8s.secret.uid})`);
      }
    }
    const info: ServiceAccountInfo = { namespace: ns, name: k8s.serviceaccount.name, uid: k8s.serviceaccount.uid };
    if (k8s.pod) {
      const pod = await this.getter.getPod(ns, k8s.pod.name);
      if (!pod || gone(pod)) throw new TokenError('service account token has been invalidated');
      if (pod.metadata.uid !== k8s.pod.uid) throw new TokenError(`pod UID (${pod.metadata.uid}) does not match service account pod ref claim (${k8s.pod.uid})`);
      info.podName = k8s.pod.name;
      info.podUID = k8s.pod.uid;
    }
    if (k8s.node) {
      info.nodeName = k8s.node.name;
      info.nodeUID = k8s.node.uid;
    }
    if (typeof p.jti === 'string' && p.jti) info.credentialID = `JTI=${p.jti}`;
    return info;
  }

  private async validateLegacy(token: string, p: JWTPayload): Promise<ServiceAccountInfo> {
    const ns = p[LEGACY_CLAIMS.namespace];
    const secretName = p[LEGACY_CLAIMS.secretName];
    const saName = p[LEGACY_CLAIMS.serviceAccountName];
    const saUID = p[LEGACY_CLAIMS.serviceAccountUID];
    if (typeof ns !== 'string' || typeof secretName !== 'string' || typeof saName !== 'string' || typeof saUID !== 'string' || !ns || !saName) {
      throw new TokenError('service account token claims could not be validated due to unexpected private claim');
    }
    const secret = await this.getter.getSecret(ns, secretName);
    if (!secret || secret.metadata.deletionTimestamp) throw new TokenError('Token has been invalidated');
    if (Buffer.from(secret.data?.token ?? '', 'base64').toString('utf8') !== token) throw new TokenError("Token does not match server's copy");
    const sa = await this.getter.getServiceAccount(ns, saName);
    if (!sa || sa.metadata.deletionTimestamp) throw new TokenError('Token has been invalidated');
    if (sa.metadata.uid !== saUID) throw new TokenError(`ServiceAccount UID (${sa.metadata.uid}) does not match claim (${saUID})`);
    return { namespace: ns, name: saName, uid: saUID, credentialID: secret.metadata.uid ? `Secret=${secret.metadata.uid}` : undefined };
  }
}

function unverifiedIssuer(token: string): string | undefined {
  if (token.split('.').length !== 3) return undefined;
  try {
    return decodeJwt(token).iss;
  } catch {
    return undefined;
  }
}

function checkTimes(p: JWTPayload, nowMs: number): void {
  const now = nowMs / 1000;
  if (typeof p.exp === 'number' && now > p.exp + LEEWAY_SECONDS) throw new TokenError('service account token has expired');
  if (typeof p.nbf === 'number' && now < p.nbf - LEEWAY_SECONDS) throw new TokenError('service account token is not valid yet');
}
