// Tests for the /openapi/v2 and /openapi/v3 documents: index, per-group-version documents, the Pod
// schema with its GVK, the fieldValidation parameter kubectl looks for, and ref consistency.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OpenAPIDocuments, buildOpenAPIV2, buildOpenAPIV3, resourcesForOpenAPI } from '../../../src/apiserver/openapi.js';

const resources = resourcesForOpenAPI();
type J = Record<string, any>;

function refsIn(v: unknown, out: Set<string> = new Set()): Set<string> {
  if (Array.isArray(v)) v.forEach((x) => refsIn(x, out));
  else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      if (k === '$ref' && typeof x === 'string') out.add(x);
      else refsIn(x, out);
    }
  }
  return out;
}

test('v3 index lists api/v1 and the coordination group with hashed URLs', () => {
  const set = buildOpenAPIV3(resources);
  const index = set.index.body as J;
  const v1 = index.paths['api/v1'];
  assert.ok(v1);
  assert.equal(v1.serverRelativeURL, `/openapi/v3/api/v1?hash=${set.documents.get('api/v1')!.hash}`);
  assert.match(index.paths['apis/coordination.k8s.io/v1'].serverRelativeURL, /^\/openapi\/v3\/apis\/coordination\.k8s\.io\/v1\?hash=[0-9A-F]{128}$/);
  assert.ok(index.paths['api']);
  assert.ok(index.paths['apis']);
});

test('v3 discovery roots tag their GET with core, apis and the short group name', () => {
  const set = buildOpenAPIV3(resources);
  const tags = (key: string, path: string) => (set.documents.get(key)!.body as J).paths[path].get.tags;
  assert.deepEqual(tags('api', '/api/'), ['core']);
  assert.deepEqual(tags('apis', '/apis/'), ['apis']);
  assert.deepEqual(tags('apis/coordination.k8s.io', '/apis/coordination.k8s.io/'), ['coordination']);
});

test('v3 api/v1 has the Pod schema with its GVK and all refs resolve inside the document', () => {
  const doc = new OpenAPIDocuments(resources).v3('api/v1')!.body as J;
  assert.equal(doc.openapi, '3.0.0');
  const schemas = doc.components.schemas;
  const podSchema = schemas['io.k8s.api.core.v1.Pod'];
  assert.deepEqual(podSchema['x-kubernetes-group-version-kind'], [{ group: '', version: 'v1', kind: 'Pod' }]);
  // description survives on ref'd fields via allOf
  assert.deepEqual(podSchema.properties.spec.allOf, [{ $ref: '#/components/schemas/io.k8s.api.core.v1.PodSpec' }]);
  assert.ok(podSchema.properties.spec.description.length > 0);
  const containers = schemas['io.k8s.api.core.v1.PodSpec'].properties.containers;
  assert.equal(containers['x-kubernetes-patch-merge-key'], 'name');
  assert.equal(containers['x-kubernetes-patch-strategy'], 'merge');
  for (const ref of refsIn(doc)) {
    assert.match(ref, /^#\/components\/schemas\//);
    assert.ok(schemas[ref.slice('#/components/schemas/'.length)], `dangling ${ref}`);
  }
  assert.equal(schemas['io.k8s.api.coordination.v1.Lease'], undefined, 'other groups stay in their own document');
});

test('POST/PUT/PATCH on pods carry fieldValidation, dryRun, fieldManager and pretty', () => {
  const doc = new OpenAPIDocuments(resources).v3('api/v1')!.body as J;
  const coll = doc.paths['/api/v1/namespaces/{namespace}/pods'];
  const item = doc.paths['/api/v1/namespaces/{namespace}/pods/{name}'];
  assert.ok(coll && item);
  const names = (op: J, path: J) => [...(op.parameters ?? []), ...(path.parameters ?? [])].map((p: J) => p.name);
  for (const [op, path] of [
    [coll.post, coll],
    [item.put, item],
    [item.patch, item],
  ] as [J, J][]) {
    const ps = names(op, path);
    for (const n of ['fieldValidation', 'dryRun', 'fieldManager', 'pretty']) assert.ok(ps.includes(n), `${op.operationId} lacks ${n}`);
    // kubectl's verifier reads operation-level parameters only
    assert.ok(op.parameters.some((p: J) => p.name === 'fieldValidation' && p.in === 'query'));
    assert.deepEqual(op['x-kubernetes-group-version-kind'], { group: '', version: 'v1', kind: 'Pod' });
  }
  assert.equal(coll.post.operationId, 'createCoreV1NamespacedPod');
  assert.equal(item.patch['x-kubernetes-action'], 'patch');
  assert.ok(item.patch.requestBody.content['application/strategic-merge-patch+json']);
  // Every PATCH whose GVK is Pod must have fieldValidation (kubectl stops at the first one it sees).
  for (const pathItem of Object.values(doc.paths) as J[]) {
    const op = pathItem.patch;
    if (op && op['x-kubernetes-group-version-kind']?.kind === 'Pod')
      assert.ok(
        op.parameters.some((p: J) => p.name === 'fieldValidation'),
        op.operationId,
      );
  }
  // explain looks for a GET/POST/... with the GVK on the list path
  assert.deepEqual(coll.get['x-kubernetes-group-version-kind'], { group: '', version: 'v1', kind: 'Pod' });
  assert.ok(doc.paths['/api/v1/namespaces/{namespace}/pods/{name}/status'].patch);
  assert.ok(doc.paths['/api/v1/namespaces/{namespace}/pods/{name}/log'].get);
  assert.ok(doc.paths['/api/v1/nodes/{name}'].get, 'cluster-scoped paths');
});

test('v2 has definitions with #/definitions refs and paths', () => {
  const v2 = buildOpenAPIV2(resources) as J;
  assert.equal(v2.swagger, '2.0');
  assert.ok(v2.definitions['io.k8s.api.core.v1.Pod']);
  assert.deepEqual(v2.definitions['io.k8s.api.core.v1.Pod']['x-kubernetes-group-version-kind'], [{ group: '', version: 'v1', kind: 'Pod' }]);
  assert.equal(v2.definitions['io.k8s.api.core.v1.Pod'].properties.spec.$ref, '#/definitions/io.k8s.api.core.v1.PodSpec');
  for (const ref of refsIn(v2)) {
    assert.match(ref, /^#\/definitions\//);
    assert.ok(v2.definitions[ref.slice('#/definitions/'.length)], `dangling ${ref}`);
  }
  const post = v2.paths['/api/v1/namespaces/{namespace}/pods'].post;
  assert.ok(post.parameters.some((p: J) => p.name === 'fieldValidation'));
  assert.deepEqual(post.parameters.find((p: J) => p.in === 'body').schema, { $ref: '#/definitions/io.k8s.api.core.v1.Pod' });
  assert.ok(v2.paths['/apis/coordination.k8s.io/v1/namespaces/{namespace}/leases/{name}'].patch);
});

test('documents are cached and hashes are stable', () => {
  const d = new OpenAPIDocuments(resources);
  assert.equal(d.v2(), d.v2());
  assert.equal(d.v3('api/v1'), d.v3('/api/v1/'));
  assert.equal(d.v3('apis/nope/v1'), undefined);
  const again = new OpenAPIDocuments(resources);
  assert.equal(d.v3Index().etag, again.v3Index().etag);
  assert.equal(d.v2().etag, `"${d.v2().hash}"`);
  assert.equal(JSON.parse(d.v3Index().json).paths['api/v1'].serverRelativeURL.split('hash=')[1], d.v3('api/v1')!.hash);
});

test('IntOrString and Quantity are published as upstream: v3 a oneOf with no type, v2 a string', () => {
  const IOS = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';
  const Q = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
  const core = (buildOpenAPIV3(resources).documents.get('api/v1')!.body as J).components.schemas;
  assert.deepEqual(
    { ...core[IOS], description: undefined },
    { description: undefined, format: 'int-or-string', oneOf: [{ type: 'integer' }, { type: 'string' }] },
  );
  assert.deepEqual({ ...core[Q], description: undefined }, { description: undefined, oneOf: [{ type: 'string' }, { type: 'number' }] });
  assert.ok(core[IOS].description);
  // the field keeps its own description beside the ref (allOf), so kubectl explain resolves it to the ref's name
  const port = core['io.k8s.api.core.v1.HTTPGetAction'].properties.port;
  assert.deepEqual(port.allOf, [{ $ref: `#/components/schemas/${IOS}` }]);
  assert.equal(port.type, undefined);
  const v2 = (buildOpenAPIV2(resources) as J).definitions;
  assert.deepEqual({ ...v2[IOS], description: undefined }, { description: undefined, type: 'string', format: 'int-or-string' });
  assert.deepEqual({ ...v2[Q], description: undefined }, { description: undefined, type: 'string' });
});
