import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverSideApply } from '../../../src/apiserver/patch/apply.js';
import { recordUpdate } from '../../../src/apiserver/patch/managed_fields.js';
import { StatusError } from '../../../src/api/errors.js';
import type { KubeObject } from '../../../src/api/types.js';
import { podMeta } from './pod_schema.js';

type Obj = Record<string, any>;
const now = new Date('2024-05-01T10:00:00.123Z');
const later = new Date('2024-05-01T11:00:00Z');

const yamlV1 = `
apiVersion: v1
kind: Pod
metadata:
  name: p
  labels:
    app: web
    tier: fe
spec:
  containers:
  - name: web
    image: nginx:1
    ports:
    - containerPort: 80
      protocol: TCP
`;

function apply(live: unknown, body: unknown, manager = 'kubectl', extra: Obj = {}): KubeObject {
  return serverSideApply(live as KubeObject | undefined, body, { fieldManager: manager, meta: podMeta, now, ...extra }).object;
}

function statusOf(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof StatusError, `expected StatusError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected an error');
}

test('create through apply: object built from the config, ownership in FieldsV1', () => {
  const obj = apply(undefined, yamlV1) as Obj;
  assert.equal(obj.kind, 'Pod');
  assert.deepEqual(obj.metadata.labels, { app: 'web', tier: 'fe' });
  assert.equal(obj.spec.containers[0].image, 'nginx:1');
  assert.deepEqual(obj.metadata.managedFields, [
    {
      manager: 'kubectl',
      operation: 'Apply',
      apiVersion: 'v1',
      time: '2024-05-01T10:00:00Z',
      fieldsType: 'FieldsV1',
      fieldsV1: {
        'f:metadata': { 'f:labels': { 'f:app': {}, 'f:tier': {} } },
        'f:spec': {
          'f:containers': {
            'k:{"name":"web"}': {
              '.': {},
              'f:image': {},
              'f:name': {},
              'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {}, 'f:protocol': {} } },
            },
          },
        },
      },
    },
  ]);
});

test('re-applying the same configuration is a no-op (nothing changes, not even the time)', () => {
  const first = apply(undefined, yamlV1);
  const res = serverSideApply(first, yamlV1, { fieldManager: 'kubectl', meta: podMeta, now: later });
  assert.equal(res.changed, false);
  assert.deepEqual(res.object, first);
});

test('a field dropped from the configuration is removed on re-apply', () => {
  const first = apply(undefined, yamlV1);
  const second = apply(first, yamlV1.replace('    tier: fe\n', '')) as Obj;
  assert.deepEqual(second.metadata.labels, { app: 'web' });
  assert.deepEqual(second.metadata.managedFields[0].fieldsV1['f:metadata'], { 'f:labels': { 'f:app': {} } });
});

test('a container dropped from the configuration is removed; kept containers merge', () => {
  const two = yamlV1 + '  - name: side\n    image: busybox\n';
  const first = apply(undefined, two) as Obj;
  assert.equal(first.spec.containers.length, 2);
  const second = apply(first, yamlV1) as Obj;
  assert.deepEqual(
    second.spec.containers.map((c: Obj) => c.name),
    ['web'],
  );
});

test('fields set by the server (not owned) survive a re-apply', () => {
  const first = apply(undefined, yamlV1) as Obj;
  first.spec.containers[0].imagePullPolicy = 'IfNotPresent'; // defaulted by the API server, owned by nobody
  first.spec.restartPolicy = 'Always';
  const second = apply(first, yamlV1.replace('nginx:1', 'nginx:2')) as Obj;
  assert.equal(second.spec.containers[0].image, 'nginx:2');
  assert.equal(second.spec.containers[0].imagePullPolicy, 'IfNotPresent');
  assert.equal(second.spec.restartPolicy, 'Always');
});

test('conflict with an Update manager is 409 with the upstream message; force moves ownership', () => {
  const created = apply(undefined, yamlV1);
  // kubectl set image (client-side) changes the image: operation Update by another manager
  const edited = structuredClone(created) as Obj;
  edited.spec.containers[0].image = 'nginx:edited';
  recordUpdate(edited as KubeObject, created, 'kubectl-client-side-apply', 'v1', undefined, { meta: podMeta, now });
  const mf = edited.metadata.managedFields as Obj[];
  assert.equal(mf.length, 2);
  assert.equal('f:image' in mf[0].fieldsV1['f:spec']['f:containers']['k:{"name":"web"}'], false, 'applier lost the image');

  const e = statusOf(() => apply(edited as unknown as KubeObject, yamlV1.replace('nginx:1', 'nginx:3')));
  assert.equal(e.code, 409);
  assert.equal(e.reason, 'Conflict');
  assert.equal(e.status.message, 'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using v1: .spec.containers[name="web"].image');
  assert.deepEqual(e.status.details?.causes, [
    { reason: 'FieldManagerConflict', message: 'conflict with "kubectl-client-side-apply" using v1', field: '.spec.containers[name="web"].image' },
  ]);

  const forced = apply(edited as unknown as KubeObject, yamlV1.replace('nginx:1', 'nginx:3'), 'kubectl', { force: true }) as Obj;
  assert.equal(forced.spec.containers[0].image, 'nginx:3');
  const entries = forced.metadata.managedFields as Obj[];
  const applier = entries.find((x) => x.manager === 'kubectl');
  assert.ok('f:image' in applier!.fieldsV1['f:spec']['f:containers']['k:{"name":"web"}']);
  // the Update manager owned only the image: its entry disappears
  assert.equal(
    entries.find((x) => x.manager === 'kubectl-client-side-apply'),
    undefined,
  );
});

test('applying the value another manager already set is not a conflict (shared ownership)', () => {
  const created = apply(undefined, yamlV1);
  const shared = apply(created, yamlV1, 'other-applier') as Obj;
  assert.equal(shared.metadata.managedFields.length, 2);
  // first applier stops applying the labels: they stay, since other-applier still owns them
  const dropped = apply(shared as KubeObject, yamlV1.replace('  labels:\n    app: web\n    tier: fe\n', '')) as Obj;
  assert.deepEqual(dropped.metadata.labels, { app: 'web', tier: 'fe' });
});

test('two appliers on disjoint fields: no conflict, both keep their fields', () => {
  const created = apply(undefined, yamlV1);
  const second = apply(created, 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    team: blue\n', 'team-tool') as Obj;
  assert.deepEqual(second.metadata.annotations, { team: 'blue' });
  assert.equal(second.spec.containers[0].image, 'nginx:1');
  const managers = (second.metadata.managedFields as Obj[]).map((m) => m.manager).sort();
  assert.deepEqual(managers, ['kubectl', 'team-tool']);
  // team-tool changing its own annotation does not touch kubectl's fields
  const third = apply(second as KubeObject, 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    team: red\n', 'team-tool') as Obj;
  assert.deepEqual(third.metadata.annotations, { team: 'red' });
  assert.deepEqual(third.metadata.labels, { app: 'web', tier: 'fe' });
});

test('conflicts between two appliers name the Apply manager without "using"', () => {
  const created = apply(undefined, yamlV1);
  const e = statusOf(() => apply(created, yamlV1.replace('app: web', 'app: api'), 'other'));
  assert.equal(e.status.message, 'Apply failed with 1 conflict: conflict with "kubectl": .metadata.labels.app');
});

test('several conflicts are listed per manager', () => {
  const created = apply(undefined, yamlV1);
  const e = statusOf(() => apply(created, yamlV1.replace('app: web', 'app: api').replace('nginx:1', 'nginx:9'), 'other'));
  assert.equal(e.code, 409);
  assert.match(e.status.message ?? '', /^Apply failed with 2 conflicts: conflicts with "kubectl":\n- /);
  assert.match(e.status.message ?? '', /- \.metadata\.labels\.app/);
  assert.match(e.status.message ?? '', /- \.spec\.containers\[name="web"\]\.image/);
  assert.equal(e.status.details?.causes?.length, 2);
});

test('fieldManager is required (422 like upstream); a body without kind is 400', () => {
  const e = statusOf(() => serverSideApply(undefined, yamlV1, {}));
  assert.equal(e.code, 422);
  assert.equal(e.status.message, 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch');
  assert.equal(statusOf(() => apply(undefined, 'apiVersion: v1\nmetadata: {}\n')).code, 400);
  assert.equal(statusOf(() => apply(undefined, 'a: [unclosed')).code, 400);
  assert.equal(statusOf(() => apply(undefined, yamlV1.replace('  name: p\n', '  name: p\n  managedFields: [{manager: x}]\n'))).code, 400);
});

test('objects without managedFields: existing fields belong to "before-first-apply"', () => {
  const live: KubeObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', labels: { app: 'old' } },
    spec: { containers: [{ name: 'web', image: 'nginx:1' }] },
  };
  const e = statusOf(() => apply(live, yamlV1));
  assert.equal(e.status.message, 'Apply failed with 1 conflict: conflict with "before-first-apply" using v1: .metadata.labels.app');
  const ok = apply(live, yamlV1.replace('app: web', 'app: old')) as Obj;
  assert.deepEqual(ok.metadata.labels, { app: 'old', tier: 'fe' });
});

test('sets union and atomic lists replace; JSON bodies are accepted too', () => {
  const created = apply(undefined, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', finalizers: ['a'] },
    spec: { containers: [{ name: 'web', args: ['x', 'y'] }] },
  });
  const other = structuredClone(created) as Obj;
  other.metadata.finalizers.push('b');
  recordUpdate(other as KubeObject, created, 'controller', 'v1', undefined, { meta: podMeta, now });
  const again = apply(
    other as KubeObject,
    JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', finalizers: ['c'] }, spec: { containers: [{ name: 'web', args: ['z'] }] } }),
  ) as Obj;
  // "a" was only ours and is no longer applied: removed; "b" belongs to the controller; "c" is new
  assert.deepEqual(again.metadata.finalizers, ['b', 'c']);
  assert.deepEqual(again.spec.containers[0].args, ['z']);
});

test('the live object is never mutated', () => {
  const created = apply(undefined, yamlV1);
  const snapshot = structuredClone(created);
  apply(created, yamlV1.replace('nginx:1', 'nginx:2').replace('    tier: fe\n', ''));
  assert.deepEqual(created, snapshot);
});

test('a key field left to its default (port protocol) still identifies the item after defaulting', () => {
  const cfg = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: web\n    image: nginx\n    ports:\n    - containerPort: 80\n';
  const created = apply(undefined, cfg) as Obj;
  const mf = created.metadata.managedFields[0].fieldsV1['f:spec']['f:containers']['k:{"name":"web"}']['f:ports'];
  assert.deepEqual(Object.keys(mf), ['k:{"containerPort":80,"protocol":"TCP"}']);
  created.spec.containers[0].ports[0].protocol = 'TCP'; // what the API server's defaulting does
  const res = serverSideApply(created as KubeObject, cfg, { fieldManager: 'kubectl', meta: podMeta, now: later });
  assert.deepEqual((res.object as Obj).spec.containers[0].ports, [{ containerPort: 80, protocol: 'TCP' }]);
  assert.equal(res.changed, false);
  // dropping the port removes the defaulted item too
  const gone = apply(res.object, cfg.replace('    ports:\n    - containerPort: 80\n', '')) as Obj;
  assert.equal(gone.spec.containers[0].ports, undefined);
});
