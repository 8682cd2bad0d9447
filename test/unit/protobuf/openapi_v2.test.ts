// The gnostic OpenAPI v2 protobuf encoding: definitions (type, properties, items, $ref, description,
// required, additionalProperties, x-kubernetes-* extensions as YAML) and paths with parameters.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse as parseYAML } from 'yaml';
import { encodeOpenAPIV2, decodeOpenAPIV2 } from '../../../src/apiserver/protobuf/index.js';

type Named = { name: string; value: Record<string, any> };
const byName = (list: Named[] | undefined, name: string) => list?.find((n) => n.name === name)?.value;

const doc = {
  swagger: '2.0',
  info: { title: 'Kubernetes', version: 'v1.32.0' },
  paths: {
    '/api/v1/namespaces/{namespace}/pods/{name}': {
      parameters: [{ name: 'name', in: 'path', required: true, type: 'string', uniqueItems: true }],
      patch: {
        operationId: 'patchCoreV1NamespacedPod',
        consumes: ['application/strategic-merge-patch+json'],
        parameters: [
          { name: 'body', in: 'body', required: true, schema: { $ref: '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.Patch' } },
          { name: 'fieldValidation', in: 'query', type: 'string', uniqueItems: true },
        ],
        responses: { '200': { description: 'OK', schema: { $ref: '#/definitions/io.k8s.api.core.v1.Pod' } }, '401': { description: 'Unauthorized' } },
        'x-kubernetes-action': 'patch',
        'x-kubernetes-group-version-kind': { group: '', version: 'v1', kind: 'Pod' },
      },
    },
  },
  definitions: {
    'io.k8s.api.core.v1.Pod': {
      type: 'object',
      description: 'A pod.',
      required: ['spec'],
      properties: {
        spec: { $ref: '#/definitions/io.k8s.api.core.v1.PodSpec', description: 'The spec.' },
        labels: { type: 'object', additionalProperties: { type: 'string', default: '' } },
        anything: { type: 'object', additionalProperties: true },
        containers: {
          type: 'array',
          items: { $ref: '#/definitions/io.k8s.api.core.v1.Container', default: {} },
          'x-kubernetes-patch-merge-key': 'name',
          'x-kubernetes-patch-strategy': 'merge',
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['name'],
        },
        phase: { type: 'string', enum: ['Pending', 'Running'] },
      },
      'x-kubernetes-group-version-kind': [{ group: '', kind: 'Pod', version: 'v1' }],
    },
  },
};

test('definitions keep type, $ref, properties, items, required, additionalProperties and extensions', () => {
  const back = decodeOpenAPIV2(encodeOpenAPIV2(doc));
  assert.equal(back.swagger, '2.0');
  assert.deepEqual(back.info, { title: 'Kubernetes', version: 'v1.32.0' });
  const pod = byName((back.definitions as { additional_properties: Named[] }).additional_properties, 'io.k8s.api.core.v1.Pod')!;
  assert.deepEqual(pod.type, { value: ['object'] });
  assert.equal(pod.description, 'A pod.');
  assert.deepEqual(pod.required, ['spec']);
  const props = pod.properties.additional_properties as Named[];
  assert.deepEqual(
    props.map((p) => p.name),
    ['spec', 'labels', 'anything', 'containers', 'phase'],
  );
  assert.equal(byName(props, 'spec')!._ref, '#/definitions/io.k8s.api.core.v1.PodSpec');
  assert.deepEqual(byName(props, 'labels')!.additional_properties.schema.type, { value: ['string'] });
  assert.equal(byName(props, 'anything')!.additional_properties.boolean, true);
  const containers = byName(props, 'containers')!;
  assert.equal(containers.items.schema[0]._ref, '#/definitions/io.k8s.api.core.v1.Container');
  const ext = Object.fromEntries((containers.vendor_extension as Named[]).map((e) => [e.name, parseYAML(e.value.yaml)]));
  assert.deepEqual(ext, {
    'x-kubernetes-patch-merge-key': 'name',
    'x-kubernetes-patch-strategy': 'merge',
    'x-kubernetes-list-type': 'map',
    'x-kubernetes-list-map-keys': ['name'],
  });
  assert.deepEqual(
    byName(props, 'phase')!.enum.map((a: { yaml: string }) => parseYAML(a.yaml)),
    ['Pending', 'Running'],
  );
  const gvk = (pod.vendor_extension as Named[]).find((e) => e.name === 'x-kubernetes-group-version-kind')!;
  assert.deepEqual(parseYAML(gvk.value.yaml), [{ group: '', kind: 'Pod', version: 'v1' }]);
});

test('paths keep operations, body/query/path parameters, responses and extensions', () => {
  const back = decodeOpenAPIV2(encodeOpenAPIV2(doc));
  const item = byName((back.paths as { path: Named[] }).path, '/api/v1/namespaces/{namespace}/pods/{name}')!;
  assert.equal(item.parameters[0].parameter.non_body_parameter.path_parameter_sub_schema.name, 'name');
  const op = item.patch;
  assert.equal(op.operation_id, 'patchCoreV1NamespacedPod');
  assert.equal(op.parameters[0].parameter.body_parameter.schema._ref, '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.Patch');
  assert.deepEqual(op.parameters[1].parameter.non_body_parameter.query_parameter_sub_schema, {
    in: 'query',
    name: 'fieldValidation',
    type: 'string',
    unique_items: true,
  });
  const ok = byName(op.responses.response_code, '200')!;
  assert.equal(ok.response.schema.schema._ref, '#/definitions/io.k8s.api.core.v1.Pod');
  const ext = Object.fromEntries((op.vendor_extension as Named[]).map((e) => [e.name, parseYAML(e.value.yaml)]));
  assert.deepEqual(ext, { 'x-kubernetes-action': 'patch', 'x-kubernetes-group-version-kind': { group: '', version: 'v1', kind: 'Pod' } });
});

test('garbage documents encode without throwing', () => {
  for (const d of [null, 42, 'x', [], { definitions: 'no', paths: [1] }, { definitions: { a: null, b: { properties: { c: 7 } } } }]) {
    assert.ok(encodeOpenAPIV2(d) instanceof Uint8Array);
  }
});
