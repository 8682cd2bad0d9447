// The API server's filter chain: the order of the filters, an authorizer's denial as upstream's 403 text,
// impersonation headers reaching authorization and admission, and a panicking handler answering 500
// while the server keeps serving.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AuditEvent } from '../../../src/apiserver/filters/audit.js';
import type { AuthorizationAttributes, Authorizer } from '../../../src/apiserver/filters/authorization.js';
import type { AdmissionAttributes } from '../../../src/apiserver/admission/interfaces.js';
import type { UserInfo } from '../../../src/apiserver/filters/user.js';
import { call, configMap, rawUpgrade, startServer } from './fixture.js';

test('requests pass authentication, audit, impersonation, authorization, then admission and the handler', async () => {
  const calls: string[] = [];
  const s = await startServer({
    authenticator: {
      authenticate: async (req) => {
        calls.push(`authenticate ${req.method}`);
        return { name: 'alice', uid: 'u1', groups: ['system:authenticated'], extra: {} };
      },
    },
    audit: { processEvent: (ev) => calls.push(`audit ${ev.stage} ${ev.user.name}${ev.impersonatedUser ? ' as ' + ev.impersonatedUser.name : ''}`) },
    authorizer: {
      authorize: async (a) => {
        calls.push(`authorize ${a.user.name} ${a.verb} ${a.resource} ${a.namespace} ${a.name}`);
        return { decision: 'Allow' };
      },
    },
    admissionPlugins: [
      {
        name: 'Recorder',
        handles: () => true,
        admit: async (a) => void calls.push(`admit ${a.operation} ${a.userInfo.name}`),
        validate: async (a) => void calls.push(`validate ${a.operation} ${a.userInfo.name}`),
      },
    ],
  });
  try {
    const r = await call(s.base, 'POST', '/api/v1/namespaces/default/configmaps', configMap('c1'), { 'Impersonate-User': 'bob' });
    assert.equal(r.status, 201);
    // the ResponseComplete event follows the response
    for (let i = 0; i < 50 && !calls.some((c) => c.startsWith('audit ResponseComplete')); i++) await new Promise((res) => setTimeout(res, 10));
    assert.deepEqual(calls, [
      'authenticate POST',
      'audit RequestReceived alice',
      'authorize alice impersonate users  bob',
      'authorize bob create configmaps default ',
      'admit CREATE bob',
      'validate CREATE bob',
      'audit ResponseComplete alice as bob',
    ]);
  } finally {
    await s.close();
  }
});

test('no user from the authenticator is 401 Unauthorized and reaches nothing further', async () => {
  let authorized = false;
  const s = await startServer({
    authenticator: { authenticate: async () => undefined },
    authorizer: { authorize: async () => ((authorized = true), { decision: 'Allow' }) },
  });
  try {
    const r = await call(s.base, 'GET', '/api/v1/namespaces/default/pods');
    assert.equal(r.status, 401);
    assert.equal(r.body.kind, 'Status');
    assert.equal(r.body.reason, 'Unauthorized');
    assert.equal(r.body.message, 'Unauthorized');
    assert.equal(authorized, false);
  } finally {
    await s.close();
  }
});

test("a denying authorizer answers upstream's 403 Forbidden Status and changes nothing", async () => {
  const deny: Authorizer = {
    authorize: async (a) =>
      a.verb === 'get' && a.resource === 'configmaps'
        ? { decision: 'Allow' }
        : { decision: a.resource === 'secrets' ? 'Deny' : 'NoOpinion', reason: a.resource === 'secrets' ? 'no secrets for you' : undefined },
  };
  const s = await startServer({ authorizer: deny });
  try {
    let r = await call(s.base, 'GET', '/api/v1/namespaces/default/pods/foo');
    assert.equal(r.status, 403);
    assert.equal(r.body.kind, 'Status');
    assert.equal(r.body.status, 'Failure');
    assert.equal(r.body.reason, 'Forbidden');
    assert.equal(r.body.code, 403);
    assert.equal(r.body.message, 'pods "foo" is forbidden: User "system:admin" cannot get resource "pods" in API group "" in the namespace "default"');
    assert.deepEqual(r.body.details, { name: 'foo', kind: 'pods' });

    r = await call(s.base, 'GET', '/api/v1/namespaces/default/pods');
    assert.equal(r.body.message, 'pods is forbidden: User "system:admin" cannot list resource "pods" in API group "" in the namespace "default"');
    r = await call(s.base, 'GET', '/api/v1/nodes/n1');
    assert.equal(r.body.message, 'nodes "n1" is forbidden: User "system:admin" cannot get resource "nodes" in API group "" at the cluster scope');
    r = await call(s.base, 'GET', '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/n1');
    assert.equal(
      r.body.message,
      'leases.coordination.k8s.io "n1" is forbidden: User "system:admin" cannot get resource "leases" in API group "coordination.k8s.io" in the namespace "kube-node-lease"',
    );
    r = await call(s.base, 'POST', '/api/v1/namespaces/default/pods/foo/binding', { target: { name: 'n1' } });
    assert.equal(
      r.body.message,
      'pods "foo" is forbidden: User "system:admin" cannot create resource "pods/binding" in API group "" in the namespace "default"',
    );
    r = await call(s.base, 'GET', '/healthz');
    assert.equal(r.status, 403);
    assert.equal(r.body.message, 'forbidden: User "system:admin" cannot get path "/healthz"');
    r = await call(s.base, 'GET', '/api/v1/namespaces/default/secrets/s1');
    assert.equal(
      r.body.message,
      'secrets "s1" is forbidden: User "system:admin" cannot get resource "secrets" in API group "" in the namespace "default": no secrets for you',
    );

    // a denied write writes nothing
    r = await call(s.base, 'POST', '/api/v1/namespaces/default/configmaps', configMap('denied'));
    assert.equal(r.status, 403);
    assert.equal((await call(s.base, 'GET', '/api/v1/namespaces/default/configmaps/denied')).status, 404);

    // an upgrade is authorized too: the 403 is written on the socket
    const raw = await rawUpgrade(s.port, '/api/v1/namespaces/default/pods/foo/exec?command=ls&stdout=true');
    assert.match(raw, /^HTTP\/1\.1 403 /);
    assert.match(
      raw,
      /pods \\"foo\\" is forbidden: User \\"system:admin\\" cannot create resource \\"pods\/exec\\" in API group \\"\\" in the namespace \\"default\\"/,
    );
  } finally {
    await s.close();
  }
});

test('impersonation headers make the request act as the impersonated user, each one authorized first', async () => {
  const seen: AuthorizationAttributes[] = [];
  const admitted: UserInfo[] = [];
  const audits: AuditEvent[] = [];
  const s = await startServer({
    authorizer: { authorize: async (a) => (seen.push(a), { decision: 'Allow' }) },
    audit: { processEvent: (ev) => void audits.push(ev) },
    admissionPlugins: [{ name: 'Who', handles: () => true, admit: async (a: AdmissionAttributes) => void admitted.push(a.userInfo) }],
  });
  try {
    // two Impersonate-Group lines, as kubectl --as-group sends them
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(`${s.base}/api/v1/namespaces/default/configmaps`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'Impersonate-User': 'jane',
          'Impersonate-Group': ['devs', 'ops'],
          'Impersonate-Extra-Scopes': 'view',
          'Impersonate-Uid': '1234',
        },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end(JSON.stringify(configMap('as-jane')));
    });
    assert.equal(status, 201);
    const checks = seen
      .filter((a) => a.verb === 'impersonate')
      .map((a) => `${a.user.name} ${a.apiGroup}/${a.resource}${a.subresource ? '/' + a.subresource : ''} ${a.name}`);
    assert.deepEqual(checks, [
      'system:admin /users jane',
      'system:admin /groups devs',
      'system:admin /groups ops',
      'system:admin authentication.k8s.io/userextras/scopes view',
      'system:admin authentication.k8s.io/uids 1234',
    ]);
    const jane = { name: 'jane', uid: '1234', groups: ['devs', 'ops', 'system:authenticated'], extra: { scopes: ['view'] } };
    const main = seen.filter((a) => a.verb === 'create');
    assert.equal(main.length, 1);
    assert.deepEqual(main[0].user, jane);
    assert.deepEqual(admitted[0], jane);
    assert.equal(audits[0].user.name, 'system:admin');

    // a service account: its fixed groups, authorized on serviceaccounts in its namespace
    seen.length = 0;
    const r = await call(s.base, 'GET', '/api/v1/namespaces/default/configmaps/as-jane', undefined, {
      'Impersonate-User': 'system:serviceaccount:kube-system:builder',
    });
    assert.equal(r.status, 200);
    assert.deepEqual(
      seen.map((a) => [a.verb, a.resource, a.namespace, a.name, a.user.name]),
      [
        ['impersonate', 'serviceaccounts', 'kube-system', 'builder', 'system:admin'],
        ['get', 'configmaps', 'default', 'as-jane', 'system:serviceaccount:kube-system:builder'],
      ],
    );
    assert.deepEqual(seen[1].user.groups, ['system:serviceaccounts', 'system:serviceaccounts:kube-system', 'system:authenticated']);

    // groups without a user are refused
    const g = await call(s.base, 'GET', '/api/v1/namespaces/default/configmaps', undefined, { 'Impersonate-Group': 'devs' });
    assert.equal(g.status, 500);
    assert.match(String(g.body.message), /without impersonating a user/);
  } finally {
    await s.close();
  }
});

test('a refused impersonation is 403 naming the identity', async () => {
  let reached = false;
  const s = await startServer({
    authorizer: { authorize: async (a) => (a.verb === 'impersonate' ? { decision: 'NoOpinion' } : ((reached = true), { decision: 'Allow' })) },
  });
  try {
    const r = await call(s.base, 'GET', '/api/v1/namespaces/default/pods', undefined, { 'Impersonate-User': 'jane' });
    assert.equal(r.status, 403);
    assert.equal(r.body.message, 'users "jane" is forbidden: User "system:admin" cannot impersonate resource "users" in API group "" at the cluster scope');
    assert.equal(reached, false);
  } finally {
    await s.close();
  }
});

test('a panicking handler answers a 500 Status and the server keeps serving', async () => {
  const audits: string[] = [];
  const s = await startServer({
    audit: { processEvent: (ev) => void audits.push(`${ev.stage} ${ev.responseStatus?.code ?? ''}`.trim()) },
    admissionPlugins: [
      {
        name: 'Broken',
        handles: (op) => op === 'CREATE' || op === 'CONNECT',
        admit: async (a) => {
          if (a.object?.metadata.name === 'boom' || a.operation === 'CONNECT') throw new TypeError("Cannot read properties of undefined (reading 'x')");
        },
      },
    ],
  });
  try {
    for (let i = 0; i < 2; i++) {
      const r = await call(s.base, 'POST', '/api/v1/namespaces/default/configmaps', configMap('boom'));
      assert.equal(r.status, 500);
      assert.equal(r.body.kind, 'Status');
      assert.equal(r.body.reason, 'InternalError');
      assert.match(String(r.body.message), /Cannot read properties of undefined/);
    }
    assert.ok(audits.includes('Panic 500'), audits.join(','));
    // nothing was written, and everything else still works
    assert.equal((await call(s.base, 'GET', '/api/v1/namespaces/default/configmaps/boom')).status, 404);
    assert.equal((await call(s.base, 'POST', '/api/v1/namespaces/default/configmaps', configMap('fine'))).status, 201);
    assert.equal((await fetch(`${s.base}/healthz`)).status, 200);
    // a panic on the upgrade path answers 500 on the socket
    const raw = await rawUpgrade(s.port, '/api/v1/namespaces/default/pods/p/exec?command=ls');
    assert.match(raw, /^HTTP\/1\.1 500 /);
    assert.equal((await fetch(`${s.base}/healthz`)).status, 200);
  } finally {
    await s.close();
  }
});

test('a panicking filter (the authenticator) answers 500 too', async () => {
  let n = 0;
  const s = await startServer({
    authenticator: {
      authenticate: async () => {
        if (n++ === 0) throw new Error('token cache exploded');
        return { name: 'ok', uid: '', groups: [], extra: {} };
      },
    },
  });
  try {
    const r = await call(s.base, 'GET', '/api/v1/namespaces');
    assert.equal(r.status, 500);
    assert.equal(r.body.message, 'Internal error occurred: token cache exploded');
    assert.equal((await call(s.base, 'GET', '/api/v1/namespaces')).status, 200);
  } finally {
    await s.close();
  }
});
