// The node endpoint's webhooks on a fake API client: TokenReview answers become users (cached 2 min by the
// token's hash, failures too), SubjectAccessReviews carry upstream's attributes for the mapped subresource and
// are cached 5 min when allowed and 30 s when denied; a failing review is an error, never an allow.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeClient } from '../../../src/client/rest.js';
import { nodeRequestAttributes } from '../../../src/kubelet/server/auth.js';
import { WebhookNodeAuthorizer, WebhookTokenAuthenticator } from '../../../src/kubelet/server/webhook_auth.js';

function fakeClient(answer: (path: string, body: any) => any) {
  const calls: { path: string; body: any }[] = [];
  const client = {
    create: async (path: string, body: unknown) => {
      calls.push({ path, body: structuredClone(body) });
      return answer(path, body);
    },
  } as unknown as KubeClient;
  return { client, calls };
}

test('a TokenReview that authenticates gives the user; an unknown token none; both are cached for 2 minutes', async () => {
  const clock = { now: 0 };
  const { client, calls } = fakeClient((_p, body) =>
    body.spec.token === 'good'
      ? {
          status: {
            authenticated: true,
            user: {
              username: 'system:serviceaccount:ns:bot',
              uid: 'u1',
              groups: ['system:serviceaccounts'],
              extra: { 'authentication.kubernetes.io/pod-name': ['p'] },
            },
          },
        }
      : { status: { authenticated: false, error: 'invalid bearer token' } },
  );
  const authn = new WebhookTokenAuthenticator(client, 120_000, { now: () => clock.now });
  const user = await authn.authenticateToken('good');
  assert.deepEqual(user, {
    name: 'system:serviceaccount:ns:bot',
    uid: 'u1',
    groups: ['system:serviceaccounts'],
    extra: { 'authentication.kubernetes.io/pod-name': ['p'] },
  });
  assert.equal(calls[0]!.path, '/apis/authentication.k8s.io/v1/tokenreviews');
  assert.deepEqual(calls[0]!.body, { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token: 'good' } });
  assert.equal(await authn.authenticateToken('bad'), undefined);
  await authn.authenticateToken('good');
  await authn.authenticateToken('bad');
  assert.equal(calls.length, 2);
  clock.now += 120_000;
  await authn.authenticateToken('good');
  assert.equal(calls.length, 3);
});

test('SubjectAccessReviews ask about the node object and its subresource; allowed 5 min, denied 30 s in the cache', async () => {
  const clock = { now: 0 };
  let allow = false;
  const { client, calls } = fakeClient(() => ({ status: { allowed: allow } }));
  const authz = new WebhookNodeAuthorizer(client, 300_000, 30_000, { now: () => clock.now });
  const user = { name: 'jane', groups: ['devs', 'system:authenticated'], uid: 'j1', extra: { scopes: ['x'] } };
  const stats = nodeRequestAttributes(user, 'node-1', 'GET', '/stats/summary');
  assert.equal(await authz.authorize(stats), false);
  assert.deepEqual(calls[0]!.body, {
    apiVersion: 'authorization.k8s.io/v1',
    kind: 'SubjectAccessReview',
    spec: {
      user: 'jane',
      uid: 'j1',
      groups: ['devs', 'system:authenticated'],
      extra: { scopes: ['x'] },
      resourceAttributes: { verb: 'get', group: '', version: 'v1', resource: 'nodes', subresource: 'stats', name: 'node-1' },
    },
  });
  allow = true;
  assert.equal(await authz.authorize(stats), false, 'a denial is cached');
  clock.now += 30_000;
  assert.equal(await authz.authorize(stats), true);
  allow = false;
  clock.now += 299_000;
  assert.equal(await authz.authorize(stats), true, 'an allow is cached for 5 minutes');
  clock.now += 1_000;
  assert.equal(await authz.authorize(stats), false);
  // each path's subresource and method's verb is its own question
  await authz.authorize(nodeRequestAttributes(user, 'node-1', 'POST', '/exec/ns/pod/c'));
  assert.deepEqual(calls.at(-1)!.body.spec.resourceAttributes, {
    verb: 'create',
    group: '',
    version: 'v1',
    resource: 'nodes',
    subresource: 'proxy',
    name: 'node-1',
  });
  for (const [path, sub] of [
    ['/metrics/resource', 'metrics'],
    ['/logs/syslog', 'log'],
    ['/spec/', 'spec'],
    ['/containerLogs/ns/pod/c', 'proxy'],
    ['/statsx', 'proxy'],
  ]) {
    await authz.authorize(nodeRequestAttributes(user, 'node-1', 'GET', path!));
    assert.equal(calls.at(-1)!.body.spec.resourceAttributes.subresource, sub, path);
  }
});

test('a review the API server fails is an error, not a decision', async () => {
  const { client } = fakeClient(() => {
    throw new Error('connection refused');
  });
  await assert.rejects(
    new WebhookNodeAuthorizer(client).authorize(nodeRequestAttributes({ name: 'x', groups: [] }, 'n', 'GET', '/pods')),
    /connection refused/,
  );
  await assert.rejects(new WebhookTokenAuthenticator(client).authenticateToken('t'), /connection refused/);
});
