// Tests for unknown-field and type checking against the Pod/ConfigMap schemas, and pruning.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { schemaForKind } from '../../../src/api/schema/index.js';
import { checkFields, pruneUnknown, strictDecodingError, unknownFieldWarnings, decodeErrorMessage } from '../../../src/api/schema/field_check.js';
import type { Schema } from '../../../src/api/schema/types.js';

const pod = schemaForKind('', 'v1', 'Pod')!;

function basePod(): Record<string, any> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'default', labels: { app: 'x' }, annotations: { 'a.b/c': 'd' } },
    spec: {
      containers: [
        {
          name: 'c',
          image: 'busybox',
          command: ['sh', '-c', 'sleep 1'],
          ports: [{ containerPort: 80, protocol: 'TCP' }],
          env: [
            { name: 'A', value: '1' },
            { name: 'B', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
          ],
          resources: { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: 0.25 } },
          livenessProbe: { httpGet: { path: '/', port: 'http' }, periodSeconds: 5 },
          readinessProbe: { tcpSocket: { port: 8080 } },
          volumeMounts: [{ name: 'data', mountPath: '/data' }],
          securityContext: { runAsUser: 1000, capabilities: { drop: ['ALL'] } },
        },
      ],
      volumes: [
        { name: 'data', emptyDir: {} },
        { name: 'cm', configMap: { name: 'cfg', items: [{ key: 'k', path: 'p' }] } },
      ],
      tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoSchedule' }],
      nodeSelector: { disk: 'ssd' },
    },
    status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'True' }], podIPs: [{ ip: '10.244.0.5' }] },
  };
}

test('a complete valid pod has no unknown fields and no type errors', () => {
  const r = checkFields(basePod(), pod);
  assert.deepEqual(r.unknown, []);
  assert.deepEqual(r.typeErrors, []);
});

test('unknown nested fields are reported with indexed paths', () => {
  const p = basePod();
  p.spec.containers[0].foo = 1;
  p.spec.containers[0].ports[0].bar = 'x';
  p.spec.volumes[1].configMap.items[0].zzz = true;
  p.spec.extra = {};
  p.topLevel = 1;
  const r = checkFields(p, pod);
  assert.deepEqual(r.unknown.sort(), [
    '.spec.containers[0].foo',
    '.spec.containers[0].ports[0].bar',
    '.spec.extra',
    '.spec.volumes[1].configMap.items[0].zzz',
    '.topLevel',
  ]);
  assert.deepEqual(r.typeErrors, []);
  assert.equal(strictDecodingError(['.spec.containers[0].foo']), 'strict decoding error: unknown field "spec.containers[0].foo"');
  assert.deepEqual(unknownFieldWarnings(['.spec.extra', '.topLevel']), ['unknown field "spec.extra"', 'unknown field "topLevel"']);
});

test('metadata is checked too', () => {
  const p = basePod();
  p.metadata.nmae = 'typo';
  p.metadata.labels = { ok: 'yes' };
  p.metadata.ownerReferences = [{ apiVersion: 'v1', kind: 'Node', name: 'n', uid: 'u', extra: 1 }];
  const r = checkFields(p, pod);
  assert.deepEqual(r.unknown.sort(), ['.metadata.nmae', '.metadata.ownerReferences[0].extra']);
});

test('wrong types produce Go-decoder-style causes', () => {
  const p = basePod();
  p.spec.containers[0].ports[0].containerPort = '80';
  p.spec.containers[0].command = 'sleep';
  p.spec.hostNetwork = 'yes';
  p.spec.terminationGracePeriodSeconds = 1.5;
  const r = checkFields(p, pod);
  const byField = Object.fromEntries(r.typeErrors.map((c) => [c.field, c.message]));
  assert.equal(
    byField['spec.containers[0].ports[0].containerPort'],
    'json: cannot unmarshal string into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32',
  );
  assert.equal(byField['spec.containers[0].command'], 'json: cannot unmarshal string into Go struct field Container.spec.containers.command of type []string');
  assert.equal(byField['spec.hostNetwork'], 'json: cannot unmarshal string into Go struct field PodSpec.spec.hostNetwork of type bool');
  assert.equal(
    byField['spec.terminationGracePeriodSeconds'],
    'json: cannot unmarshal number 1.5 into Go struct field PodSpec.spec.terminationGracePeriodSeconds of type int64',
  );
  assert.equal(r.typeErrors.length, 4);
  assert.ok(r.typeErrors.every((c) => c.reason === 'FieldValueTypeInvalid'));
  assert.equal(decodeErrorMessage('Pod', 'v1', r.typeErrors[0].message!), `Pod in version "v1" cannot be handled as a Pod: ${r.typeErrors[0].message}`);
});

test('int32 overflow and object-vs-scalar mismatches', () => {
  const p = basePod();
  p.spec.containers[0].ports[0].containerPort = 3_000_000_000;
  p.spec.securityContext = 'root';
  const r = checkFields(p, pod);
  const msgs = r.typeErrors.map((c) => c.message);
  assert.ok(msgs.includes('json: cannot unmarshal number 3000000000 into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32'));
  assert.ok(msgs.includes('json: cannot unmarshal string into Go struct field PodSpec.spec.securityContext of type v1.PodSecurityContext'));
});

test('int-or-string accepts integers and strings but not floats or objects; quantities accept numbers', () => {
  const p = basePod();
  p.spec.containers[0].livenessProbe.httpGet.port = 8080;
  p.spec.containers[0].resources.limits.cpu = 2;
  p.spec.containers[0].resources.requests.memory = 1.5e9;
  assert.deepEqual(checkFields(p, pod).typeErrors, []);
  p.spec.containers[0].livenessProbe.httpGet.port = 80.5;
  p.spec.containers[0].readinessProbe.tcpSocket.port = { a: 1 };
  p.spec.containers[0].resources.limits.memory = true;
  const r = checkFields(p, pod);
  assert.deepEqual(r.typeErrors.map((c) => c.field).sort(), [
    'spec.containers[0].livenessProbe.httpGet.port',
    'spec.containers[0].readinessProbe.tcpSocket.port',
    'spec.containers[0].resources.limits.memory',
  ]);
  const portErr = r.typeErrors.find((c) => c.field === 'spec.containers[0].readinessProbe.tcpSocket.port')!;
  assert.match(portErr.message!, /of type intstr\.IntOrString$/);
});

test('maps accept any key but check value types', () => {
  const p = basePod();
  p.metadata.labels = { 'example.com/x': 'y', anything: 'z' };
  p.spec.nodeSelector = { a: 1 };
  const r = checkFields(p, pod);
  assert.deepEqual(r.unknown, []);
  assert.equal(r.typeErrors.length, 1);
  assert.equal(r.typeErrors[0].field, 'spec.nodeSelector.a');
});

test('null values decode to zero values and are accepted', () => {
  const p = basePod();
  p.spec.nodeSelector = null;
  p.spec.containers[0].command = null;
  const r = checkFields(p, pod);
  assert.deepEqual(r, { unknown: [], typeErrors: [] });
});

test('x-kubernetes-preserve-unknown-fields stops the walk', () => {
  const s: Schema = {
    type: 'object',
    properties: {
      spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
      strict: { type: 'object', properties: { a: { type: 'string' } } },
    },
  };
  const r = checkFields({ spec: { any: { nested: [1, 'x'] } }, strict: { a: 'x', b: 1 } }, s);
  assert.deepEqual(r.unknown, ['.strict.b']);
  // managedFields[].fieldsV1 is free-form too
  const p = basePod();
  p.metadata.managedFields = [{ manager: 'kubectl', operation: 'Update', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:containers': {} } } }];
  assert.deepEqual(checkFields(p, pod).unknown, []);
});

test('secret data must be base64; configmap data must be strings', () => {
  const secret = schemaForKind('', 'v1', 'Secret')!;
  assert.deepEqual(
    checkFields({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { k: 'aGVsbG8=' }, stringData: { x: 'y' } }, secret).typeErrors,
    [],
  );
  const bad = checkFields({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { k: 'not base64!' } }, secret);
  assert.equal(bad.typeErrors.length, 1);
  assert.match(bad.typeErrors[0].message!, /^illegal base64 data at input byte \d+$/);
  const cm = schemaForKind('', 'v1', 'ConfigMap')!;
  const r = checkFields({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { n: 5 } }, cm);
  assert.equal(r.typeErrors[0].message, 'json: cannot unmarshal number into Go struct field ConfigMap.data of type string');
});

test('a path prefix is prepended to reported paths', () => {
  const spec = { $ref: 'io.k8s.api.core.v1.PodSpec' } as Schema;
  const r = checkFields({ containers: [{ name: 'c', nope: 1 }] }, spec, '.spec');
  assert.deepEqual(r.unknown, ['.spec.containers[0].nope']);
});

test('pruneUnknown drops unknown fields in place and keeps known ones', () => {
  const p = basePod();
  p.spec.containers[0].foo = 1;
  p.metadata.bogus = 'x';
  p.spec.volumes[0].emptyDir.weird = 1;
  const out = pruneUnknown(p, pod);
  assert.equal(out, p);
  assert.equal('foo' in p.spec.containers[0], false);
  assert.equal('bogus' in p.metadata, false);
  assert.deepEqual(p.spec.volumes[0].emptyDir, {});
  assert.equal(p.spec.containers[0].image, 'busybox');
  assert.deepEqual(checkFields(p, pod), { unknown: [], typeErrors: [] });
  assert.deepEqual(p, basePod(), 'only the unknown fields were removed');
});
