// The kubelet's ServiceAccount token manager on an injected clock: cached tokens are served until 80% of
// their lifetime has passed (or 24 h for long-lived ones), then fetched again; a failed refresh keeps serving
// a still-valid token; a pod's tokens go with the pod; and the projected volume writes the token file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TokenRequest } from '../../../src/api/authentication/v1/types.js';
import type { Pod } from '../../../src/api/core/v1/types.js';
import { MAX_TOKEN_AGE_MS, TokenManager, podTokenRequest } from '../../../src/kubelet/token/manager.js';
import { projectedPayload } from '../../../src/kubelet/volumes/payload.js';

function fakeIssuer(clock: { now: number }, lifetimeSeconds?: number) {
  const calls: { ns: string; name: string; tr: TokenRequest }[] = [];
  let fail = false;
  const request = async (ns: string, name: string, tr: TokenRequest): Promise<TokenRequest> => {
    calls.push({ ns, name, tr: structuredClone(tr) });
    if (fail) throw new Error('connection refused');
    const life = lifetimeSeconds ?? tr.spec.expirationSeconds!;
    return { ...tr, status: { token: `token-${calls.length}`, expirationTimestamp: new Date(clock.now + life * 1000).toISOString() } };
  };
  return { calls, request, setFail: (f: boolean) => (fail = f) };
}

const pod = { metadata: { name: 'web', namespace: 'default', uid: 'uid-1' }, spec: { serviceAccountName: 'default', containers: [] } } as Pod;

test('a token is reused until 80% of its lifetime has passed, then fetched again', async () => {
  const clock = { now: Date.parse('2026-01-01T00:00:00Z') };
  const issuer = fakeIssuer(clock);
  const m = new TokenManager(
    issuer.request,
    () => clock.now,
    () => 0,
  );
  const tr = podTokenRequest(pod, undefined, 3600);
  assert.deepEqual(tr.spec.boundObjectRef, { apiVersion: 'v1', kind: 'Pod', name: 'web', uid: 'uid-1' });
  assert.equal((await m.getServiceAccountToken('default', 'default', tr)).status!.token, 'token-1');
  clock.now += 2879_000; // just under 80% of 3600 s
  assert.equal((await m.getServiceAccountToken('default', 'default', tr)).status!.token, 'token-1');
  clock.now += 1000; // 80%
  assert.equal((await m.getServiceAccountToken('default', 'default', tr)).status!.token, 'token-2');
  assert.equal(issuer.calls.length, 2);
  assert.equal(issuer.calls[0].ns, 'default');
  assert.equal(issuer.calls[0].tr.spec.expirationSeconds, 3600);
});

test('a long-lived token (the extended kubelet tokens) is refreshed after 24 h', async () => {
  const clock = { now: 0 };
  const issuer = fakeIssuer(clock, 365 * 24 * 3600);
  const m = new TokenManager(
    issuer.request,
    () => clock.now,
    () => 0,
  );
  const tr = podTokenRequest(pod, 'vault', 3607);
  await m.getServiceAccountToken('default', 'default', tr);
  clock.now += MAX_TOKEN_AGE_MS - 1;
  await m.getServiceAccountToken('default', 'default', tr);
  assert.equal(issuer.calls.length, 1);
  clock.now += 1;
  await m.getServiceAccountToken('default', 'default', tr);
  assert.equal(issuer.calls.length, 2);
  assert.deepEqual(issuer.calls[1].tr.spec.audiences, ['vault']);
});

test('a failed refresh serves the cached token while it is valid, and fails once it expired', async () => {
  const clock = { now: 0 };
  const issuer = fakeIssuer(clock);
  const m = new TokenManager(
    issuer.request,
    () => clock.now,
    () => 0,
  );
  const tr = podTokenRequest(pod, undefined, 600);
  await m.getServiceAccountToken('default', 'default', tr);
  issuer.setFail(true);
  clock.now += 590_000;
  assert.equal((await m.getServiceAccountToken('default', 'default', tr)).status!.token, 'token-1');
  clock.now += 20_000;
  await assert.rejects(m.getServiceAccountToken('default', 'default', tr), /connection refused/);
});

test('different audiences, lifetimes and pods are cached apart; a pod leaving drops its tokens', async () => {
  const clock = { now: 0 };
  const issuer = fakeIssuer(clock);
  const m = new TokenManager(
    issuer.request,
    () => clock.now,
    () => 0,
  );
  const other = { metadata: { name: 'db', uid: 'uid-2' } };
  await m.getServiceAccountToken('default', 'default', podTokenRequest(pod, undefined, 3600));
  await m.getServiceAccountToken('default', 'default', podTokenRequest(pod, 'vault', 3600));
  await m.getServiceAccountToken('default', 'default', podTokenRequest(pod, undefined, 7200));
  await m.getServiceAccountToken('default', 'default', podTokenRequest(other, undefined, 3600));
  assert.equal(m.size, 4);
  m.deletePodTokens('uid-1');
  assert.equal(m.size, 1);
  await m.getServiceAccountToken('default', 'default', podTokenRequest(pod, undefined, 3600));
  assert.equal(issuer.calls.length, 5);
});

test('the projected serviceAccountToken source becomes the token file with the volume mode', async () => {
  const source = {
    getConfigMap: async () => ({ metadata: { name: 'kube-root-ca.crt' }, data: { 'ca.crt': 'PEM' } }),
    getSecret: async () => undefined,
    getServiceAccountToken: async (p: Pod, proj: { expirationSeconds?: number }) => `jwt-for-${p.metadata.name}-${proj.expirationSeconds}`,
  };
  const payload = await projectedPayload(
    pod,
    {
      defaultMode: 0o644,
      sources: [
        { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
      ],
    },
    source,
    {},
  );
  assert.deepEqual([...payload.keys()].sort(), ['ca.crt', 'namespace', 'token']);
  assert.equal(payload.get('token')!.data.toString(), 'jwt-for-web-3607');
  assert.equal(payload.get('token')!.mode, 0o644);
  assert.equal(payload.get('namespace')!.data.toString(), 'default');
  const failing = { ...source, getServiceAccountToken: async () => Promise.reject(new Error('serviceaccounts "default" not found')) };
  await assert.rejects(
    projectedPayload(pod, { sources: [{ serviceAccountToken: { path: 'token' } }] }, failing, {}),
    /failed to fetch token: serviceaccounts "default" not found/,
  );
});
