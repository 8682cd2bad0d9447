import { test } from 'node:test';
import assert from 'node:assert/strict';
import { recordUpdate, decodeManagedFields, encodeManagedFields } from '../../../src/apiserver/patch/managed_fields.js';
import { fieldsV1ToSet, setToFieldsV1, pathString } from '../../../src/apiserver/patch/field_path.js';
import { diffFields, fieldSetOf } from '../../../src/apiserver/patch/field_set.js';
import type { KubeObject } from '../../../src/api/types.js';
import { podMeta } from './pod_schema.js';

type Obj = Record<string, any>;
const now = new Date('2024-05-01T10:00:00Z');

function typicalPod(): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'web-1',
      namespace: 'default',
      uid: 'u',
      resourceVersion: '5',
      creationTimestamp: '2024-05-01T00:00:00Z',
      labels: { app: 'web', tier: 'fe' },
      annotations: { note: 'x' },
    },
    spec: {
      containers: [
        {
          name: 'web',
          image: 'nginx:1.25',
          args: ['--port', '8080'],
          env: [
            { name: 'A', value: '1' },
            { name: 'B', value: '2' },
            { name: 'C', value: '3' },
          ],
          ports: [{ containerPort: 8080, protocol: 'TCP', name: 'http' }],
        },
        { name: 'side', image: 'busybox', args: ['sleep', 'infinity'] },
      ],
      volumes: [{ name: 'data', emptyDir: {} }],
      restartPolicy: 'Always',
      nodeSelector: { disk: 'ssd' },
    },
  };
}

test('FieldsV1 round trip keeps "." markers and leaves', () => {
  const tree = {
    'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
    'f:spec': { 'f:containers': { 'k:{"name":"web"}': { '.': {}, 'f:image': {}, 'f:name': {} } } },
  };
  const set = fieldsV1ToSet(tree);
  assert.equal(set.size, 5);
  assert.deepEqual(setToFieldsV1(set), tree);
  assert.ok([...set].map(pathString).includes('.spec.containers[name="web"].image'));
});

test('field sets skip identity/server metadata, treat empty maps and atomic maps as leaves', () => {
  const set = [...fieldSetOf(typicalPod(), podMeta)].map(pathString).sort();
  assert.ok(!set.some((p) => p.startsWith('.metadata.name') || p.startsWith('.metadata.uid') || p === '.apiVersion'));
  assert.ok(set.includes('.spec.volumes[name="data"].emptyDir'));
  assert.ok(set.includes('.spec.nodeSelector'));
  assert.ok(set.includes('.spec.containers[name="web"].args'));
  assert.ok(set.includes('.spec.containers[name="web"].ports[containerPort=8080,protocol="TCP"].name'));
  assert.ok(set.includes('.spec.containers[name="web"].env[name="B"].value'));
});

test('recordUpdate on create gives the manager everything', () => {
  const p = recordUpdate(typicalPod(), undefined, 'kubectl-create', 'v1', undefined, { meta: podMeta, now });
  const mf = p.metadata.managedFields!;
  assert.equal(mf.length, 1);
  assert.deepEqual(
    { ...mf[0], fieldsV1: undefined },
    { manager: 'kubectl-create', operation: 'Update', apiVersion: 'v1', time: '2024-05-01T10:00:00Z', fieldsType: 'FieldsV1', fieldsV1: undefined },
  );
  assert.deepEqual(fieldsV1ToSet(mf[0].fieldsV1), fieldSetOf(typicalPod(), podMeta));
});

test('recordUpdate moves changed fields to the writer and drops removed fields from everyone', () => {
  const created = recordUpdate(typicalPod(), undefined, 'kubectl-create', 'v1', undefined, { meta: podMeta, now });
  const next = structuredClone(created) as Obj;
  next.metadata.labels.tier = 'be';
  delete next.metadata.annotations;
  next.spec.containers[0].env[1].value = 'two';
  recordUpdate(next as unknown as KubeObject, created, 'kubectl-edit', 'v1', undefined, { meta: podMeta, now });
  const entries = decodeManagedFields(next.metadata.managedFields);
  const create = entries.find((e) => e.manager === 'kubectl-create')!;
  const edit = entries.find((e) => e.manager === 'kubectl-edit')!;
  assert.deepEqual([...edit.set].map(pathString).sort(), ['.metadata.labels.tier', '.spec.containers[name="web"].env[name="B"].value']);
  const createPaths = [...create.set].map(pathString);
  assert.ok(!createPaths.includes('.metadata.labels.tier'));
  assert.ok(!createPaths.some((p) => p.startsWith('.metadata.annotations')));
  assert.ok(createPaths.includes('.metadata.labels.app'));
});

test('recordUpdate: unchanged writes keep managedFields as they were; [] resets them', () => {
  const created = recordUpdate(typicalPod(), undefined, 'kubectl-create', 'v1', undefined, { meta: podMeta, now });
  const same = structuredClone(created);
  delete same.metadata.managedFields; // clients often omit it
  recordUpdate(same, created, 'other', 'v1', undefined, { meta: podMeta, now: new Date() });
  assert.deepEqual(same.metadata.managedFields, created.metadata.managedFields);
  const reset = structuredClone(created);
  reset.metadata.managedFields = [];
  recordUpdate(reset, created, 'other', 'v1');
  assert.equal(reset.metadata.managedFields, undefined);
});

test('status subresource writers get their own entry', () => {
  const created = recordUpdate(typicalPod(), undefined, 'kubectl-create', 'v1', undefined, { meta: podMeta, now });
  const next = structuredClone(created) as Obj;
  next.status = { phase: 'Running' };
  recordUpdate(next as unknown as KubeObject, created, 'kubelet', 'v1', 'status', { meta: podMeta, now });
  const kubelet = (next.metadata.managedFields as Obj[]).find((e) => e.manager === 'kubelet')!;
  assert.equal(kubelet.subresource, 'status');
  assert.deepEqual(kubelet.fieldsV1, { 'f:status': { 'f:phase': {} } });
});

test('encodeManagedFields drops empty entries and sorts Apply before Update', () => {
  const out = encodeManagedFields([
    { manager: 'z', operation: 'Update', apiVersion: 'v1', time: 't1', set: fieldsV1ToSet({ 'f:a': {} }) },
    { manager: 'empty', operation: 'Update', set: new Set() },
    { manager: 'y', operation: 'Apply', apiVersion: 'v1', time: 't2', set: fieldsV1ToSet({ 'f:b': {} }) },
  ]);
  assert.deepEqual(
    out.map((e) => e.manager),
    ['y', 'z'],
  );
});

test('cost of recordUpdate on a typical pod (reported, loosely bounded)', () => {
  const created = recordUpdate(typicalPod(), undefined, 'kubectl-create', 'v1', undefined, { meta: podMeta, now });
  const next = structuredClone(created) as Obj;
  next.metadata.labels.tier = 'be';
  const n = 2000;
  let t = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    const copy = { ...next, metadata: { ...next.metadata } } as unknown as KubeObject;
    recordUpdate(copy, created, 'kubectl-edit', 'v1', undefined, { meta: podMeta, now });
  }
  const perChange = Number(process.hrtime.bigint() - t) / n / 1000;
  t = process.hrtime.bigint();
  for (let i = 0; i < n; i++) diffFields(created, next, podMeta);
  const perDiff = Number(process.hrtime.bigint() - t) / n / 1000;
  console.log(`recordUpdate (one label changed): ${perChange.toFixed(1)}µs/op; diff only: ${perDiff.toFixed(1)}µs/op`);
  assert.ok(perChange < 2000, `recordUpdate took ${perChange}µs`);
});
