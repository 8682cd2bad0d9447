// Admission runs on create, update (PUT, PATCH, subresources), delete, deletecollection and connect
// (plain and upgrade requests), mutating plugins before validating ones; a rejection changes nothing.
// NamespaceLifecycle is one of the plugins.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AdmissionAttributes, AdmissionPlugin } from '../../../src/apiserver/admission/interfaces.js';
import { StatusError, makeStatus } from '../../../src/api/errors.js';
import { call, configMap, pod, rawUpgrade, startServer } from './fixture.js';

interface Seen {
  phase: 'admit' | 'validate';
  op: string;
  kind: string;
  sub: string;
  ns: string;
  name: string;
  obj?: string;
  old?: string;
}

function recorder(into: Seen[]): AdmissionPlugin {
  const rec = (phase: Seen['phase']) => async (a: AdmissionAttributes) => {
    into.push({
      phase,
      op: a.operation,
      kind: a.kind.kind,
      sub: a.subresource,
      ns: a.namespace,
      name: a.name,
      obj: a.object ? String((a.object.data as Record<string, string> | undefined)?.a ?? a.object.kind ?? '') : undefined,
      old: a.oldObject ? String((a.oldObject.data as Record<string, string> | undefined)?.a ?? a.oldObject.kind ?? '') : undefined,
    });
  };
  return { name: 'Recorder', handles: () => true, admit: rec('admit'), validate: rec('validate') };
}

const deny = (message: string) => new StatusError(makeStatus(403, 'Forbidden', message));

test('admission sees create, update, patch, delete and deletecollection with the new and old objects', async () => {
  const seen: Seen[] = [];
  const s = await startServer({ admissionPlugins: [recorder(seen)] });
  const cms = '/api/v1/namespaces/default/configmaps';
  try {
    assert.equal((await call(s.base, 'POST', cms, configMap('c1', { a: '1' }))).status, 201);
    assert.equal((await call(s.base, 'PUT', `${cms}/c1`, configMap('c1', { a: '2' }))).status, 200);
    const p = await fetch(`${s.base}${cms}/c1`, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/merge-patch+json' },
      body: JSON.stringify({ data: { a: '3' } }),
    });
    assert.equal(p.status, 200);
    assert.equal((await call(s.base, 'DELETE', `${cms}/c1`)).status, 200);
    assert.equal((await call(s.base, 'POST', cms, configMap('c2', { a: '4' }))).status, 201);
    assert.equal((await call(s.base, 'DELETE', cms)).status, 200);
    const row = (x: Seen) => `${x.phase} ${x.op} ${x.name} obj=${x.obj ?? '-'} old=${x.old ?? '-'}`;
    assert.deepEqual(seen.map(row), [
      'admit CREATE c1 obj=1 old=-',
      'validate CREATE c1 obj=1 old=-',
      'admit UPDATE c1 obj=2 old=1',
      'validate UPDATE c1 obj=2 old=1',
      'admit UPDATE c1 obj=3 old=2',
      'validate UPDATE c1 obj=3 old=2',
      'admit DELETE c1 obj=- old=3',
      'validate DELETE c1 obj=- old=3',
      'admit CREATE c2 obj=4 old=-',
      'validate CREATE c2 obj=4 old=-',
      'admit DELETE c2 obj=- old=4',
      'validate DELETE c2 obj=- old=4',
    ]);
    assert.ok(seen.every((x) => x.ns === 'default' && x.kind === 'ConfigMap' && x.sub === ''));
  } finally {
    await s.close();
  }
});

test('a mutating plugin changes what is stored; a validating rejection on update or delete changes nothing', async () => {
  const s = await startServer({
    admissionPlugins: [
      {
        name: 'Labeller',
        handles: (op) => op === 'UPDATE',
        admit: async (a) => {
          a.object!.metadata.labels = { ...(a.object!.metadata.labels ?? {}), admitted: 'yes' };
        },
      },
      {
        name: 'Guard',
        handles: (op) => op === 'UPDATE' || op === 'DELETE',
        validate: async (a) => {
          if (a.oldObject?.metadata.annotations?.locked === 'true') throw deny(`${a.name} is locked`);
        },
      },
    ],
  });
  const cm = '/api/v1/namespaces/default/configmaps/c1';
  try {
    await call(s.base, 'POST', '/api/v1/namespaces/default/configmaps', configMap('c1', { a: '1' }));
    const u = await call(s.base, 'PUT', cm, { ...configMap('c1', { a: '2' }), metadata: { name: 'c1', annotations: { locked: 'true' } } });
    assert.equal(u.status, 200);
    assert.deepEqual((u.body.metadata as { labels?: unknown }).labels, { admitted: 'yes' });
    const before = await call(s.base, 'GET', cm);
    const denied = await call(s.base, 'PUT', cm, configMap('c1', { a: '3' }));
    assert.equal(denied.status, 403);
    assert.equal(denied.body.message, 'c1 is locked');
    const del = await call(s.base, 'DELETE', cm);
    assert.equal(del.status, 403);
    assert.deepEqual(await call(s.base, 'GET', cm), before);
  } finally {
    await s.close();
  }
});

test('admission sees subresource writes: pods/status as UPDATE, pods/binding as CREATE of a Binding', async () => {
  const seen: Seen[] = [];
  const s = await startServer({ admissionPlugins: [recorder(seen)] });
  const p = '/api/v1/namespaces/default/pods/p1';
  try {
    assert.equal((await call(s.base, 'POST', '/api/v1/namespaces/default/pods', pod('p1'))).status, 201);
    seen.length = 0;
    const b = await call(s.base, 'POST', `${p}/binding`, { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'p1' }, target: { kind: 'Node', name: 'n1' } });
    assert.equal(b.status, 201);
    const st = await fetch(`${s.base}${p}/status`, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/merge-patch+json' },
      body: JSON.stringify({ status: { message: 'hi' } }),
    });
    assert.equal(st.status, 200);
    assert.deepEqual(
      seen.map((x) => `${x.phase} ${x.op} ${x.kind} ${x.sub} ${x.name} ${x.obj}`),
      [
        'admit CREATE Binding binding p1 Binding',
        'validate CREATE Binding binding p1 Binding',
        'admit UPDATE Pod status p1 Pod',
        'validate UPDATE Pod status p1 Pod',
      ],
    );
    const got = await call(s.base, 'GET', p);
    assert.equal((got.body.spec as { nodeName?: string }).nodeName, 'n1');
  } finally {
    await s.close();
  }
});

test('admission runs on connect: exec, attach and portforward, plain and upgrade requests', async () => {
  const seen: AdmissionAttributes[] = [];
  const s = await startServer({
    admissionPlugins: [
      {
        name: 'NoExec',
        handles: (op) => op === 'CONNECT',
        admit: async (a) => void seen.push(a),
        validate: async (a) => {
          throw deny(`no ${a.subresource} into ${a.name}`);
        },
      },
    ],
  });
  const p = '/api/v1/namespaces/default/pods/p1';
  try {
    const r = await call(s.base, 'POST', `${p}/exec?command=ls&command=-l&stdout=true&container=main`);
    assert.equal(r.status, 403);
    assert.equal(r.body.message, 'no exec into p1');
    assert.equal(seen[0].operation, 'CONNECT');
    assert.equal(seen[0].subresource, 'exec');
    assert.equal(seen[0].namespace, 'default');
    assert.deepEqual(seen[0].kind, { group: '', version: 'v1', kind: 'PodExecOptions' });
    assert.deepEqual(
      { ...seen[0].object, metadata: undefined },
      { kind: 'PodExecOptions', apiVersion: 'v1', metadata: undefined, command: ['ls', '-l'], stdout: true, container: 'main' },
    );

    const raw = await rawUpgrade(s.port, `${p}/attach?stdin=true&container=main`);
    assert.match(raw, /^HTTP\/1\.1 403 /);
    assert.match(raw, /no attach into p1/);
    assert.equal(seen[1].kind.kind, 'PodAttachOptions');
    assert.equal(seen[1].operation, 'CONNECT');

    const pf = await rawUpgrade(s.port, `${p}/portforward?ports=8080`, 'GET');
    assert.match(pf, /no portforward into p1/);
    assert.deepEqual(seen[2].object?.ports, ['8080']);

    // reads and logs are not admitted
    await call(s.base, 'GET', `${p}/log`);
    await call(s.base, 'GET', p);
    assert.equal(seen.length, 3);
  } finally {
    await s.close();
  }
});

test('NamespaceLifecycle is a plugin: immortal namespaces stay, terminating ones take no new content', async () => {
  const s = await startServer();
  try {
    const d = await call(s.base, 'DELETE', '/api/v1/namespaces/kube-system');
    assert.equal(d.status, 403);
    assert.equal(d.body.message, 'namespaces "kube-system" is forbidden: this namespace may not be deleted');

    const missing = await call(s.base, 'POST', '/api/v1/namespaces/nowhere/configmaps', configMap('c'));
    assert.equal(missing.status, 404);
    assert.equal(missing.body.message, 'namespaces "nowhere" not found');

    assert.equal((await call(s.base, 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'going' } })).status, 201);
    assert.equal((await call(s.base, 'POST', '/api/v1/namespaces/going/configmaps', configMap('keep'))).status, 201);
    assert.equal((await call(s.base, 'DELETE', '/api/v1/namespaces/going')).status, 202);
    const c = await call(s.base, 'POST', '/api/v1/namespaces/going/configmaps', configMap('late'));
    assert.equal(c.status, 403);
    assert.equal(c.body.message, 'configmaps "late" is forbidden: unable to create new content in namespace going because it is being terminated');
    assert.deepEqual((c.body.details as { causes?: unknown }).causes, [
      { reason: 'NamespaceTerminating', message: 'namespace going is being terminated', field: 'metadata.namespace' },
    ]);
    // updates and deletes of existing content go on
    assert.equal((await call(s.base, 'PUT', '/api/v1/namespaces/going/configmaps/keep', configMap('keep', { a: '2' }))).status, 200);
    assert.equal((await call(s.base, 'DELETE', '/api/v1/namespaces/going/configmaps/keep')).status, 200);
  } finally {
    await s.close();
  }
});
