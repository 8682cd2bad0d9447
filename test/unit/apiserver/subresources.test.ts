// Subresources are declared on the ResourceDef: one entry gives discovery, routing, verbs (405 for
// others) and, for store-written ones, the update strategy. The generic handlers know no subresource.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultRegistry } from '../../../src/apiserver/assemble.js';
import type { ResourceDef } from '../../../src/apiserver/registry.js';
import { objectSubresource } from '../../../src/apiserver/subresources/status.js';
import { defineSubresource } from '../../../src/apiserver/subresources/define.js';
import { writeJSON } from '../../../src/apiserver/respond.js';
import type { KubeObject } from '../../../src/api/types.js';
import { call, rawUpgrade, startServer } from './fixture.js';

interface Widget extends KubeObject {
  spec?: { size?: number; color?: string };
}

const widgets: ResourceDef<Widget> = {
  group: 'example.k8ts.io',
  version: 'v1',
  kind: 'Widget',
  listKind: 'WidgetList',
  resource: 'widgets',
  singular: 'widget',
  namespaced: true,
  schemaName: 'io.k8ts.example.v1.Widget',
  strategy: { allowUnconditionalUpdate: true },
  subresources: {
    // only spec.color may change through widgets/<name>/color
    color: objectSubresource<Widget>({
      prepareForUpdate(obj, old) {
        const color = obj.spec?.color;
        const rv = obj.metadata.resourceVersion;
        for (const k of Object.keys(obj)) delete obj[k];
        Object.assign(obj, structuredClone(old));
        obj.spec = { ...(obj.spec ?? {}), color };
        obj.metadata.resourceVersion = rv;
      },
      validateUpdate: (obj) =>
        obj.spec?.color === 'plaid' ? [{ reason: 'FieldValueNotSupported', field: 'spec.color', message: 'Unsupported value: "plaid"' }] : [],
    }),
    echo: defineSubresource({
      kind: { group: '', kind: 'Status' },
      verbs: ['create'],
      async serve(ctx) {
        writeJSON(ctx.res, 200, { echoed: ctx.info.name, by: ctx.user.name });
      },
    }),
    crash: defineSubresource({
      verbs: ['get'],
      async serve() {
        throw new RangeError('widget crashed');
      },
    }),
  },
};

test('a subresource declared on the ResourceDef is routed, discovered and written through its strategy', async () => {
  const s = await startServer({}, defaultRegistry().add(widgets));
  const w = '/apis/example.k8ts.io/v1/namespaces/default/widgets';
  try {
    const c = await call(s.base, 'POST', w, { apiVersion: 'example.k8ts.io/v1', kind: 'Widget', metadata: { name: 'w1' }, spec: { size: 1, color: 'red' } });
    assert.equal(c.status, 201);
    const u = await call(s.base, 'PUT', `${w}/w1/color`, {
      apiVersion: 'example.k8ts.io/v1',
      kind: 'Widget',
      metadata: { name: 'w1' },
      spec: { size: 99, color: 'blue' },
    });
    assert.equal(u.status, 200);
    assert.deepEqual(u.body.spec, { size: 1, color: 'blue' });
    const bad = await call(s.base, 'PUT', `${w}/w1/color`, {
      apiVersion: 'example.k8ts.io/v1',
      kind: 'Widget',
      metadata: { name: 'w1' },
      spec: { color: 'plaid' },
    });
    assert.equal(bad.status, 422);
    assert.deepEqual((await call(s.base, 'GET', `${w}/w1`)).body.spec, { size: 1, color: 'blue' });

    const e = await call(s.base, 'POST', `${w}/w1/echo`, {});
    assert.deepEqual(e.body, { echoed: 'w1', by: 'system:admin' });
    assert.equal((await call(s.base, 'GET', `${w}/w1/echo`)).status, 405);
    assert.equal((await call(s.base, 'DELETE', `${w}/w1/color`)).status, 405);
    const nf = await call(s.base, 'GET', `${w}/w1/nope`);
    assert.equal(nf.status, 404);
    assert.equal(nf.body.reason, 'NotFound');
    assert.equal(nf.body.message, 'the server could not find the requested resource');

    const crash = await call(s.base, 'GET', `${w}/w1/crash`);
    assert.equal(crash.status, 500);
    assert.equal(crash.body.message, 'Internal error occurred: widget crashed');
    assert.equal((await call(s.base, 'GET', `${w}/w1`)).status, 200);

    const list = await call(s.base, 'GET', '/apis/example.k8ts.io/v1');
    const subs = (list.body.resources as { name: string; kind: string; verbs: string[] }[]).filter((r) => r.name.startsWith('widgets/'));
    assert.deepEqual(
      subs.map((r) => [r.name, r.kind, r.verbs]),
      [
        ['widgets/color', 'Widget', ['get', 'patch', 'update']],
        ['widgets/echo', 'Status', ['create']],
        ['widgets/crash', 'Widget', ['get']],
      ],
    );
  } finally {
    await s.close();
  }
});

test('the pod and namespace subresources keep their discovery and refuse verbs they do not serve', async () => {
  const s = await startServer();
  try {
    const v1 = await call(s.base, 'GET', '/api/v1');
    const byName = new Map((v1.body.resources as { name: string; kind: string; verbs: string[] }[]).map((r) => [r.name, r]));
    assert.deepEqual(
      [
        'pods/status',
        'pods/binding',
        'pods/log',
        'pods/exec',
        'pods/attach',
        'pods/portforward',
        'namespaces/status',
        'namespaces/finalize',
        'nodes/status',
      ].map((n) => [n, byName.get(n)?.kind, byName.get(n)?.verbs]),
      [
        ['pods/status', 'Pod', ['get', 'patch', 'update']],
        ['pods/binding', 'Binding', ['create']],
        ['pods/log', 'Pod', ['get']],
        ['pods/exec', 'PodExecOptions', ['create', 'get']],
        ['pods/attach', 'PodAttachOptions', ['create', 'get']],
        ['pods/portforward', 'PodPortForwardOptions', ['create', 'get']],
        ['namespaces/status', 'Namespace', ['get', 'patch', 'update']],
        ['namespaces/finalize', 'Namespace', ['update']],
        ['nodes/status', 'Node', ['get', 'patch', 'update']],
      ],
    );
    await call(s.base, 'POST', '/api/v1/namespaces/default/pods', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: { containers: [{ name: 'c', image: 'busybox' }] },
    });
    assert.equal((await call(s.base, 'GET', '/api/v1/namespaces/default/pods/p/binding')).status, 405);
    assert.equal((await call(s.base, 'GET', '/api/v1/namespaces/default/pods/p/status')).status, 200);
    assert.equal((await call(s.base, 'GET', '/api/v1/namespaces/default/pods/p/status?watch=true')).status, 405);
    assert.equal((await call(s.base, 'GET', '/api/v1/namespaces/default/finalize')).status, 405);
    // names of Object.prototype's members are not subresources
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      assert.equal((await call(s.base, 'GET', `/api/v1/namespaces/default/pods/p/${name}`)).status, 404, name);
      assert.equal((await call(s.base, 'PUT', `/api/v1/namespaces/default/pods/p/${name}`, {})).status, 404, name);
    }
    assert.match(await rawUpgrade(s.port, '/api/v1/namespaces/default/pods/p/constructor'), /^HTTP\/1\.1 404 /);
  } finally {
    await s.close();
  }
});
