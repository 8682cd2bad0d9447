// ServiceAccount tokens end to end with the real kubectl: `kubectl create token` (TokenRequest), the token
// authenticator (bound tokens, audiences, expiry, forged keys, revocation when the bound pod goes),
// TokenReview, bootstrap tokens, `kubectl auth whoami` (1.33 and 1.27) and upstream's 401 body.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createPrivateKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { SignJWT, decodeJwt, decodeProtectedHeader } from 'jose';
import { TestCluster, waitFor } from '../helpers/cluster.js';

const UNAUTHORIZED = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 };
const ISSUER = 'https://kubernetes.default.svc.cluster.local';

function bearer(token: string): Record<string, string> {
  return { Authorization: `Bearer ${token}` };
}

describe('ServiceAccount tokens', { concurrency: 1 }, () => {
  let c: TestCluster;
  let saUID = '';
  before(async () => {
    c = await new TestCluster().start();
    await c.k(['create', 'serviceaccount', 'bot']);
    saUID = JSON.parse(await c.k(['get', 'sa', 'bot', '-o', 'json'])).metadata.uid;
  });
  after(async () => {
    await c.cleanup();
  });

  it('keeps the signing key pair in DATA/pki with 0600 files', () => {
    for (const f of ['sa.key', 'sa.pub']) {
      assert.equal(statSync(join(c.dataDir, 'pki', f)).mode & 0o777, 0o600, f);
    }
    assert.equal(createPrivateKey(readFileSync(join(c.dataDir, 'pki', 'sa.key'))).asymmetricKeyType, 'rsa');
  });

  it('kubectl create token issues a signed JWT with upstream claims, 1 h by default and --duration', async () => {
    const token = (await c.k(['create', 'token', 'bot'])).trim();
    const h = decodeProtectedHeader(token);
    assert.equal(h.alg, 'RS256');
    assert.ok(h.kid);
    const p = decodeJwt(token);
    assert.equal(p.iss, ISSUER);
    assert.deepEqual(p.aud, [ISSUER]);
    assert.equal(p.sub, 'system:serviceaccount:default:bot');
    assert.equal(p.exp! - p.iat!, 3600);
    assert.equal(p.nbf, p.iat);
    assert.ok(p.jti);
    assert.deepEqual(p['kubernetes.io'], { namespace: 'default', serviceaccount: { name: 'bot', uid: saUID } });
    const longer = decodeJwt((await c.k(['create', 'token', 'bot', '--duration', '20m'])).trim());
    assert.equal(longer.exp! - longer.iat!, 1200);
    const short = await c.kubectl(['create', 'token', 'bot', '--duration', '5m']);
    assert.notEqual(short.code, 0);
    assert.match(short.stderr, /spec.expirationSeconds: Invalid value: 300: may not specify a duration less than 10 minutes/);
    const missing = await c.kubectl(['create', 'token', 'nobody']);
    assert.match(missing.stderr, /serviceaccounts "nobody" not found/);
  });

  // kubectl sends bearer tokens only over TLS, so the token's identity is read through SelfSubjectReview directly.
  const whoami = async (token: string, version = 'v1') => {
    const r = await c.api(
      'POST',
      `/apis/authentication.k8s.io/${version}/selfsubjectreviews`,
      { apiVersion: `authentication.k8s.io/${version}`, kind: 'SelfSubjectReview' },
      bearer(token),
    );
    assert.equal(r.status, 201, r.text);
    assert.equal(r.body.kind, 'SelfSubjectReview');
    return r.body.status.userInfo;
  };

  it('authenticates requests with the token (SelfSubjectReview v1, v1beta1, v1alpha1)', async () => {
    const token = (await c.k(['create', 'token', 'bot'])).trim();
    const jti = decodeJwt(token).jti;
    for (const version of ['v1', 'v1beta1', 'v1alpha1']) {
      assert.deepEqual(await whoami(token, version), {
        username: 'system:serviceaccount:default:bot',
        uid: saUID,
        groups: ['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated'],
        extra: { 'authentication.kubernetes.io/credential-id': [`JTI=${jti}`] },
      });
    }
  });

  it('kubectl auth whoami (1.33 and 1.27) prints the requester', async () => {
    for (const minor of [33, 27]) {
      const out = await c.k(['auth', 'whoami'], { minor });
      assert.match(out, /ATTRIBUTE\s+VALUE/, `kubectl 1.${minor}`);
      assert.match(out, /Username\s+\S+/);
      assert.match(out, /Groups\s+\[.*system:masters.*system:authenticated\]/);
      const json = JSON.parse(await c.k(['auth', 'whoami', '-o', 'json'], { minor }));
      assert.ok(json.status.userInfo.groups.includes('system:masters'), JSON.stringify(json));
    }
  });

  it('answers bad tokens 401 with upstream body', async () => {
    const distinct = `not-a-token-${randomBytes(8).toString('hex')}`;
    for (const t of ['garbage', 'a.b.c', 'abcdef.0123456789abcdef', distinct, 'k9x2qz.f3a81c07d92e4b56']) {
      const r = await c.api('GET', '/api/v1/namespaces/default/pods', undefined, bearer(t));
      assert.equal(r.status, 401, t);
      assert.deepEqual(r.body, UNAUTHORIZED);
    }
    // nothing of a refused credential reaches the server's output
    for (const t of [distinct, 'f3a81c07d92e4b56']) assert.ok(!c.logs.includes(t), `server output holds ${t}`);
    // a good token is authenticated: RBAC then judges the ServiceAccount (no role lets it list pods)
    const ok = await c.api('GET', '/api/v1/namespaces/default/pods', undefined, bearer((await c.k(['create', 'token', 'bot'])).trim()));
    assert.equal(ok.status, 403, ok.text);
    assert.equal(
      ok.body.message,
      'pods is forbidden: User "system:serviceaccount:default:bot" cannot list resource "pods" in API group "" in the namespace "default"',
    );
  });

  it('TokenReview: good, forged, expired, not-yet-valid and wrong-audience tokens', async () => {
    const review = async (token: string, audiences?: string[]) => {
      const r = await c.api('POST', '/apis/authentication.k8s.io/v1/tokenreviews', {
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'TokenReview',
        spec: { token, ...(audiences ? { audiences } : {}) },
      });
      assert.equal(r.status, 201, r.text);
      return r.body.status;
    };
    const good = await review((await c.k(['create', 'token', 'bot'])).trim());
    assert.equal(good.authenticated, true);
    assert.equal(good.user.username, 'system:serviceaccount:default:bot');
    assert.equal(good.user.uid, saUID);
    assert.deepEqual(good.audiences, [ISSUER]);

    const real = decodeJwt((await c.k(['create', 'token', 'bot'])).trim());
    const { privateKey: otherKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const sign = (claims: Record<string, unknown>, key = createPrivateKey(readFileSync(join(c.dataDir, 'pki', 'sa.key')))) =>
      new SignJWT(claims).setProtectedHeader({ alg: 'RS256' }).sign(key);
    const forged = await review(await sign(real, otherKey));
    assert.equal(forged.authenticated, undefined);
    assert.match(forged.error, /invalid bearer token/);
    const now = Math.floor(Date.now() / 1000);
    const expired = await review(await sign({ ...real, iat: now - 7200, nbf: now - 7200, exp: now - 3600 }));
    assert.match(expired.error, /service account token has expired/);
    const early = await review(await sign({ ...real, iat: now + 3600, nbf: now + 3600, exp: now + 7200 }));
    assert.match(early.error, /service account token is not valid yet/);

    const foreign = (await c.k(['create', 'token', 'bot', '--audience', 'https://vault.example'])).trim();
    assert.match((await review(foreign)).error, /token audiences \["https:\/\/vault.example"\] is invalid for the target audiences/);
    const forVault = await review(foreign, ['https://vault.example']);
    assert.equal(forVault.authenticated, true);
    assert.deepEqual(forVault.audiences, ['https://vault.example']);
    assert.equal((await c.api('GET', '/api/v1/namespaces', undefined, bearer(foreign))).status, 401);
    const empty = await c.api('POST', '/apis/authentication.k8s.io/v1/tokenreviews', { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: {} });
    assert.equal(empty.status, 400);
    assert.equal((await c.api('GET', '/apis/authentication.k8s.io/v1/tokenreviews')).status, 405);
  });

  it('refuses a token bound to a pod once the pod is deleted, and checks the bound UID', async () => {
    await c.k(['create', '-f', '-'], {
      input: JSON.stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'holder' },
        spec: { serviceAccountName: 'bot', containers: [{ name: 'c', image: 'busybox:1.35' }] },
      }),
    });
    const podUID = JSON.parse(await c.k(['get', 'pod', 'holder', '-o', 'json'])).metadata.uid;
    const token = (await c.k(['create', 'token', 'bot', '--bound-object-kind', 'Pod', '--bound-object-name', 'holder'])).trim();
    assert.deepEqual((decodeJwt(token)['kubernetes.io'] as { pod: unknown }).pod, { name: 'holder', uid: podUID });
    const who = await whoami(token);
    assert.deepEqual(who.extra['authentication.kubernetes.io/pod-name'], ['holder']);
    assert.deepEqual(who.extra['authentication.kubernetes.io/pod-uid'], [podUID]);
    // the node agent's 3607 s pod token: a year in the JWT (warnafter at 3607 s), the lifetime asked for in the status
    const tr = await c.api('POST', '/api/v1/namespaces/default/serviceaccounts/bot/token', {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      spec: { expirationSeconds: 3607, boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: 'holder', uid: podUID } },
    });
    assert.equal(tr.status, 201, tr.text);
    const extended = decodeJwt(tr.body.status.token);
    assert.equal(extended.exp! - extended.iat!, 365 * 24 * 3600);
    assert.equal((extended['kubernetes.io'] as { warnafter: number }).warnafter, extended.iat! + 3607);
    assert.equal(tr.body.spec.expirationSeconds, 3607);
    assert.ok(Math.abs(Date.parse(tr.body.status.expirationTimestamp) / 1000 - (extended.iat! + 3607)) <= 1, tr.body.status.expirationTimestamp);
    const wrongUID = await c.kubectl(['create', 'token', 'bot', '--bound-object-kind', 'Pod', '--bound-object-name', 'holder', '--bound-object-uid', 'nope']);
    assert.match(wrongUID.stderr, /the UID in the bound object reference \(nope\) does not match the UID in record/);
    await c.k(['delete', 'pod', 'holder', '--wait=true']);
    const r = await c.api('GET', '/api/v1/namespaces/default/pods', undefined, bearer(token));
    assert.equal(r.status, 401);
    assert.deepEqual(r.body, UNAUTHORIZED);
  });

  it('refuses tokens of a deleted (or recreated) ServiceAccount', async () => {
    await c.k(['create', 'serviceaccount', 'temp']);
    const token = (await c.k(['create', 'token', 'temp'])).trim();
    const review = () =>
      c.api('POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' }, bearer(token));
    assert.equal((await review()).status, 201);
    await c.k(['delete', 'serviceaccount', 'temp']);
    assert.equal((await review()).status, 401);
    await c.k(['create', 'serviceaccount', 'temp']);
    assert.equal((await review()).status, 401);
  });

  it('populates a legacy token Secret and refuses its token once the ServiceAccount is gone', async () => {
    await c.k(['create', 'serviceaccount', 'old-style']);
    const uid = JSON.parse(await c.k(['get', 'sa', 'old-style', '-o', 'json'])).metadata.uid;
    await c.k(['apply', '-f', '-'], {
      input: `apiVersion: v1
kind: Secret
metadata:
  name: old-style-token
  annotations: {kubernetes.io/service-account.name: old-style}
type: kubernetes.io/service-account-token
`,
    });
    // the tokens controller fills token, ca.crt and namespace, and records the account's UID
    const secret = await waitFor(async () => {
      const s = JSON.parse(await c.k(['get', 'secret', 'old-style-token', '-o', 'json']));
      return s.data?.token ? s : undefined;
    });
    assert.equal(secret.metadata.annotations['kubernetes.io/service-account.uid'], uid);
    assert.equal(Buffer.from(secret.data['ca.crt'], 'base64').toString(), readFileSync(join(c.dataDir, 'pki', 'ca.crt'), 'utf8'));
    assert.equal(Buffer.from(secret.data.namespace, 'base64').toString(), 'default');
    const token = Buffer.from(secret.data.token, 'base64').toString();
    const claims = decodeJwt(token);
    assert.equal(claims.iss, 'kubernetes/serviceaccount');
    assert.equal(claims.exp, undefined);
    assert.equal(claims['kubernetes.io/serviceaccount/secret.name'], 'old-style-token');
    const who = await whoami(token);
    assert.equal(who.username, 'system:serviceaccount:default:old-style');
    assert.equal(who.uid, uid);

    // the same token with a broken signature is refused
    const [h, p, s] = token.split('.');
    assert.equal((await c.api('GET', '/api/v1/namespaces/default/pods', undefined, bearer(`${h}.${p}.${s!.slice(0, -4)}AAAA`))).status, 401);

    await c.k(['delete', 'serviceaccount', 'old-style']);
    const refused = await waitFor(async () => {
      const r = await c.api('GET', '/api/v1/namespaces/default/pods', undefined, bearer(token));
      return r.status === 401 ? r : undefined;
    }, 10_000);
    assert.deepEqual(refused.body, UNAUTHORIZED);
    // and the controller deletes the orphaned token Secret
    await waitFor(async () => (await c.api('GET', '/api/v1/namespaces/default/secrets/old-style-token')).status === 404);
  });
});
