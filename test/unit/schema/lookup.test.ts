// Tests for the schema registry: every $ref resolves, kinds are found by GVK, and patch metadata matches upstream.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { definitions, danglingRefs, resolve, schemaForKind, lookupField, lookupPatchMeta } from '../../../src/api/schema/index.js';

const pod = schemaForKind('', 'v1', 'Pod')!;

test('all $refs resolve and expected definitions exist', () => {
  assert.deepEqual(danglingRefs(), []);
  for (const name of [
    'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
    'io.k8s.apimachinery.pkg.apis.meta.v1.Status',
    'io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions',
    'io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta',
    'io.k8s.apimachinery.pkg.apis.meta.v1.WatchEvent',
    'io.k8s.apimachinery.pkg.apis.meta.v1.APIResourceList',
    'io.k8s.apimachinery.pkg.api.resource.Quantity',
    'io.k8s.apimachinery.pkg.util.intstr.IntOrString',
    'io.k8s.api.core.v1.Pod',
    'io.k8s.api.core.v1.PodList',
    'io.k8s.api.core.v1.PodSpec',
    'io.k8s.api.core.v1.Container',
    'io.k8s.api.core.v1.Namespace',
    'io.k8s.api.core.v1.ConfigMap',
    'io.k8s.api.core.v1.Secret',
    'io.k8s.api.core.v1.Event',
    'io.k8s.api.core.v1.ServiceAccount',
    'io.k8s.api.core.v1.Node',
    'io.k8s.api.coordination.v1.Lease',
  ]) {
    assert.ok(definitions[name], name);
  }
  assert.deepEqual(definitions['io.k8s.apimachinery.pkg.apis.meta.v1.Time'].format, 'date-time');
});

test('schemaForKind finds kinds by group/version/kind', () => {
  assert.equal(schemaForKind('', 'v1', 'Pod'), definitions['io.k8s.api.core.v1.Pod']);
  assert.equal(schemaForKind('coordination.k8s.io', 'v1', 'Lease'), definitions['io.k8s.api.coordination.v1.Lease']);
  assert.equal(schemaForKind('', 'v1', 'NoSuchKind'), undefined);
  assert.deepEqual(pod['x-kubernetes-group-version-kind'], [{ group: '', version: 'v1', kind: 'Pod' }]);
});

test('resolve follows $ref', () => {
  assert.equal(resolve(pod.properties!.spec), definitions['io.k8s.api.core.v1.PodSpec']);
  assert.equal(resolve({ $ref: '#/definitions/io.k8s.api.core.v1.Container' }), definitions['io.k8s.api.core.v1.Container']);
  assert.equal(resolve(undefined), undefined);
});

test('merge keys and strategies match upstream', () => {
  const spec = resolve(pod.properties!.spec);
  const containers = lookupField(spec, 'containers');
  assert.equal(containers.patchMergeKey, 'name');
  assert.deepEqual(containers.patchStrategies, ['merge']);
  assert.equal(containers.listType, 'map');
  assert.equal(containers.itemSchema, definitions['io.k8s.api.core.v1.Container']);

  assert.equal(lookupPatchMeta(pod, ['spec', 'initContainers']).patchMergeKey, 'name');
  assert.equal(lookupPatchMeta(pod, ['spec', 'ephemeralContainers']).patchMergeKey, 'name');
  const ports = lookupPatchMeta(pod, ['spec', 'containers', 'ports']);
  assert.equal(ports.patchMergeKey, 'containerPort');
  assert.deepEqual(ports.listMapKeys, ['containerPort', 'protocol']);
  const volumes = lookupPatchMeta(pod, ['spec', 'volumes']);
  assert.equal(volumes.patchMergeKey, 'name');
  assert.deepEqual(volumes.patchStrategies, ['merge', 'retainKeys']);
  assert.equal(lookupPatchMeta(pod, ['spec', 'containers', 'env']).patchMergeKey, 'name');
  assert.equal(lookupPatchMeta(pod, ['spec', 'containers', 'volumeMounts']).patchMergeKey, 'mountPath');
  assert.equal(lookupPatchMeta(pod, ['spec', 'imagePullSecrets']).patchMergeKey, 'name');
  assert.equal(lookupPatchMeta(pod, ['spec', 'hostAliases']).patchMergeKey, 'ip');
  assert.equal(lookupPatchMeta(pod, ['status', 'conditions']).patchMergeKey, 'type');
  assert.equal(lookupPatchMeta(pod, ['status', 'podIPs']).patchMergeKey, 'ip');
  assert.equal(lookupPatchMeta(pod, ['metadata', 'ownerReferences']).patchMergeKey, 'uid');
  assert.deepEqual(lookupPatchMeta(pod, ['metadata', 'finalizers']).patchStrategies, ['merge']);

  const tolerations = lookupPatchMeta(pod, ['spec', 'tolerations']);
  assert.equal(tolerations.patchMergeKey, undefined);
  assert.deepEqual(tolerations.patchStrategies, []);
  assert.equal(tolerations.listType, 'atomic');
  assert.equal(lookupPatchMeta(pod, ['spec', 'containers', 'command']).listType, 'atomic');
  assert.equal(lookupPatchMeta(pod, ['spec', 'nodeSelector']).mapType, 'atomic');
});

test('map values and unknown fields', () => {
  const label = lookupPatchMeta(pod, ['metadata', 'labels', 'app']);
  assert.equal(label.schema?.type, 'string');
  const limit = lookupPatchMeta(pod, ['spec', 'containers', 'resources', 'limits', 'cpu']);
  assert.equal(limit.schema, definitions['io.k8s.apimachinery.pkg.api.resource.Quantity']);
  const nope = lookupPatchMeta(pod, ['spec', 'nope', 'deeper']);
  assert.equal(nope.schema, undefined);
  assert.deepEqual(nope.patchStrategies, []);
});
