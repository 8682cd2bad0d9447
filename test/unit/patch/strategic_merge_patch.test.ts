import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyStrategicMergePatch } from '../../../src/apiserver/patch/strategic_merge_patch.js';
import { StatusError } from '../../../src/api/errors.js';
import { pod, podMeta } from './pod_schema.js';

type Obj = Record<string, any>;
const smp = (doc: unknown, patch: unknown): Obj => applyStrategicMergePatch(doc, patch, podMeta) as Obj;

const base = pod([
  {
    name: 'web',
    image: 'nginx:1',
    env: [
      { name: 'A', value: '1' },
      { name: 'B', value: '2' },
    ],
    ports: [{ containerPort: 80 }],
  },
  { name: 'side', image: 'busybox', args: ['sleep', '1'] },
]);

test('adding a container keeps the others (merge by name)', () => {
  const out = smp(base, { spec: { containers: [{ name: 'new', image: 'alpine' }] } });
  assert.deepEqual(
    out.spec.containers.map((c: Obj) => c.name),
    ['web', 'side', 'new'],
  );
  assert.equal(out.spec.containers[0].image, 'nginx:1');
  assert.equal((base.spec as Obj).containers.length, 2, 'input untouched');
});

test('changing one field of one container merges into it', () => {
  const out = smp(base, { spec: { containers: [{ name: 'web', image: 'nginx:2' }] } });
  assert.equal(out.spec.containers[0].image, 'nginx:2');
  assert.equal(out.spec.containers[0].env.length, 2);
  assert.deepEqual(out.spec.containers[1], (base.spec as Obj).containers[1]);
});

test('changing one env var by name keeps the rest', () => {
  const out = smp(base, {
    spec: {
      containers: [
        {
          name: 'web',
          env: [
            { name: 'B', value: 'two' },
            { name: 'C', value: '3' },
          ],
        },
      ],
    },
  });
  assert.deepEqual(out.spec.containers[0].env, [
    { name: 'A', value: '1' },
    { name: 'B', value: 'two' },
    { name: 'C', value: '3' },
  ]);
});

test('$patch: delete removes a container by merge key', () => {
  const out = smp(base, { spec: { containers: [{ name: 'side', $patch: 'delete' }] } });
  assert.deepEqual(
    out.spec.containers.map((c: Obj) => c.name),
    ['web'],
  );
});

test('$patch: replace on a list element replaces the whole list', () => {
  const out = smp(base, { spec: { containers: [{ name: 'only', image: 'x' }, { $patch: 'replace' }] } });
  assert.deepEqual(out.spec.containers, [{ name: 'only', image: 'x' }]);
});

test('$patch: replace on a map replaces the map; $patch: delete empties it', () => {
  const out = smp(base, { metadata: { labels: { $patch: 'replace', fresh: 'yes' } } });
  assert.deepEqual(out.metadata.labels, { fresh: 'yes' });
  const del = smp(base, { metadata: { labels: { $patch: 'delete' } } });
  assert.deepEqual(del.metadata.labels, {});
});

test('null deletes a label; new labels are added', () => {
  const out = smp(base, { metadata: { labels: { app: null, tier: 'fe' } } });
  assert.deepEqual(out.metadata.labels, { tier: 'fe' });
});

test('lists without a patch strategy are replaced (args)', () => {
  const out = smp(base, { spec: { containers: [{ name: 'side', args: ['sleep', '99'] }] } });
  assert.deepEqual(out.spec.containers[1].args, ['sleep', '99']);
});

test('primitive merge lists are unioned; $deleteFromPrimitiveList removes values', () => {
  const withFin = smp(base, { metadata: { finalizers: ['a', 'b'] } });
  const out = smp(withFin, { metadata: { finalizers: ['b', 'c'] } });
  assert.deepEqual(out.metadata.finalizers, ['a', 'b', 'c']);
  const del = smp(out, { metadata: { '$deleteFromPrimitiveList/finalizers': ['a', 'c'] } });
  assert.deepEqual(del.metadata.finalizers, ['b']);
});

test('$setElementOrder orders merged elements', () => {
  const out = smp(base, {
    spec: {
      '$setElementOrder/containers': [{ name: 'new' }, { name: 'side' }, { name: 'web' }],
      containers: [{ name: 'new', image: 'alpine' }],
    },
  });
  assert.deepEqual(
    out.spec.containers.map((c: Obj) => c.name),
    ['new', 'side', 'web'],
  );
  assert.equal(out.spec.containers[2].image, 'nginx:1');
});

test('$setElementOrder keeps server-only elements in their relative place', () => {
  const three = pod([{ name: 'a' }, { name: 'b' }, { name: 'c' }]);
  const out = smp(three, { spec: { '$setElementOrder/containers': [{ name: 'c' }, { name: 'a' }] } });
  assert.deepEqual(
    out.spec.containers.map((c: Obj) => c.name),
    ['b', 'c', 'a'],
  );
});

test('$retainKeys drops keys not listed (volume source switch)', () => {
  const withVol = pod([{ name: 'web' }], {});
  (withVol.spec as Obj).volumes = [{ name: 'data', emptyDir: {} }];
  const out = smp(withVol, { spec: { volumes: [{ name: 'data', hostPath: { path: '/tmp' }, $retainKeys: ['name', 'hostPath'] }] } });
  assert.deepEqual(out.spec.volumes, [{ name: 'data', hostPath: { path: '/tmp' } }]);
});

test('ports merge on containerPort', () => {
  const out = smp(base, { spec: { containers: [{ name: 'web', ports: [{ containerPort: 443 }, { containerPort: 80, name: 'http' }] }] } });
  assert.deepEqual(out.spec.containers[0].ports, [{ containerPort: 80, name: 'http' }, { containerPort: 443 }]);
});

test('an element without its merge key is 400', () => {
  assert.throws(
    () => smp(base, { spec: { containers: [{ image: 'x' }] } }),
    (e: unknown) => e instanceof StatusError && e.code === 400 && /does not contain declared merge key: name/.test(e.message),
  );
});

test('directives never leak into the result for new fields', () => {
  const noContainers = pod([]);
  delete (noContainers.spec as Obj).containers;
  const out = smp(noContainers, {
    spec: {
      containers: [
        { name: 'a', image: 'x' },
        { name: 'gone', $patch: 'delete' },
      ],
      '$setElementOrder/containers': [{ name: 'a' }],
    },
  });
  assert.deepEqual(out.spec.containers, [{ name: 'a', image: 'x' }]);
  assert.equal(JSON.stringify(out).includes('$'), false);
});

test('without patch metadata (unknown kind) lists are replaced like JSON merge patch', () => {
  const out = applyStrategicMergePatch(base, { spec: { containers: [{ name: 'web', image: 'x' }] }, metadata: { labels: { app: null } } }) as Obj;
  assert.deepEqual(out.spec.containers, [{ name: 'web', image: 'x' }]);
  assert.deepEqual(out.metadata.labels, {});
});

test('an atomic-map field is still merged by SMP (only SSA treats map-type atomic specially)', () => {
  const d = pod([{ name: 'web' }]);
  (d.spec as Obj).nodeSelector = { a: '1' };
  const out = smp(d, { spec: { nodeSelector: { b: '2' } } });
  assert.deepEqual(out.spec.nodeSelector, { a: '1', b: '2' });
});
