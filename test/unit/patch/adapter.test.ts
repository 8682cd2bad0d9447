import { test } from 'node:test';
import assert from 'node:assert/strict';
import { patchers, patchMetaFor, recordUpdateFor } from '../../../src/apiserver/patch/adapter.js';
import { patchObject, patchTypeFor } from '../../../src/apiserver/patch/index.js';
import { StatusError } from '../../../src/api/errors.js';
import type { KubeObject } from '../../../src/api/types.js';

type Obj = Record<string, any>;
const def = { schemaName: 'io.k8s.api.core.v1.Pod' };
const live: KubeObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'default', labels: { app: 'web' } },
  spec: {
    containers: [
      { name: 'a', image: 'x', env: [{ name: 'E', value: '1' }] },
      { name: 'b', image: 'y' },
    ],
  },
};

test('the real Pod schema gives containers/env merge keys', () => {
  const m = patchMetaFor(def)!;
  const c = m.child('spec')!.child('containers')!;
  assert.equal(c.mergeKey, 'name');
  assert.equal(c.items()!.child('env')!.mergeKey, 'name');
});

test('patchers.strategic merges containers by name with the real schema', () => {
  const out = patchers.strategic(def, live, { spec: { containers: [{ name: 'b', image: 'z' }] } }) as Obj;
  assert.deepEqual(
    out.spec.containers.map((c: Obj) => `${c.name}=${c.image}`),
    ['a=x', 'b=z'],
  );
});

test('patchers.apply creates from an empty object and tracks keyed containers', () => {
  const empty: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' } };
  const out = patchers.apply(
    def,
    empty,
    { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'a', image: 'x' }] } },
    { manager: 'kubectl' },
  ) as Obj;
  assert.equal(out.metadata.managedFields.length, 1);
  assert.ok('k:{"name":"a"}' in out.metadata.managedFields[0].fieldsV1['f:spec']['f:containers']);
});

test('recordUpdateFor tracks env items by name', () => {
  const next = structuredClone(live) as Obj;
  next.spec.containers[0].env[0].value = '2';
  recordUpdateFor(def, next as unknown as KubeObject, live, 'kubectl-edit', 'v1');
  assert.deepEqual(next.metadata.managedFields[0].fieldsV1, {
    'f:spec': { 'f:containers': { 'k:{"name":"a"}': { 'f:env': { 'k:{"name":"E"}': { 'f:value': {} } } } } },
  });
});

test('patchObject dispatches by content type', () => {
  assert.equal(patchTypeFor('application/merge-patch+json; charset=utf-8'), 'merge');
  const meta = patchMetaFor(def);
  const smp = patchObject(live, '{"metadata":{"labels":{"app":null}}}', 'application/strategic-merge-patch+json', { meta });
  assert.equal(smp.changed, true);
  assert.deepEqual(smp.object.metadata.labels, {});
  const same = patchObject(live, '[{"op":"test","path":"/metadata/name","value":"p"}]', 'application/json-patch+json');
  assert.equal(same.changed, false);
  assert.throws(
    () => patchObject(live, '{}', 'text/plain'),
    (e: unknown) => e instanceof StatusError && e.code === 415,
  );
  assert.throws(
    () => patchObject(live, '{}', 'application/merge-patch+json', { force: true }),
    (e: unknown) => e instanceof StatusError && e.code === 400,
  );
});
