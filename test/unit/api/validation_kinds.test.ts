// Unit tests for ObjectMeta validation and the Namespace, ConfigMap, Secret, Node, ServiceAccount, Event
// and Lease validators in src/api/core/v1/validation.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as v from '../../../src/api/core/v1/validation.js';
import { nameIsDNSSubdomain, nameIsDNSLabel } from '../../../src/api/names.js';
import type { StatusCause } from '../../../src/api/types.js';

function one(causes: StatusCause[], field: string): StatusCause {
  const m = causes.filter((c) => c.field === field);
  assert.equal(m.length, 1, `expected exactly one error at ${field}, got: ${JSON.stringify(causes, null, 1)}`);
  return m[0]!;
}

const b64 = (s: string) => Buffer.from(s).toString('base64');

test('validateObjectMeta: namespaced vs cluster-scoped, generateName, annotations, ownerReferences, finalizers', () => {
  assert.deepEqual(v.validateObjectMeta({ name: 'a', namespace: 'ns' }, true, nameIsDNSSubdomain), []);
  assert.equal(
    one(v.validateObjectMeta({ name: 'a', namespace: 'ns' }, false, nameIsDNSSubdomain), 'metadata.namespace').message,
    'Forbidden: not allowed on this type',
  );
  assert.match(one(v.validateObjectMeta({ name: 'a', namespace: 'Bad_NS' }, true, nameIsDNSSubdomain), 'metadata.namespace').message!, /RFC 1123 label/);
  assert.match(
    one(v.validateObjectMeta({ generateName: 'Bad_', namespace: 'n' }, true, nameIsDNSSubdomain), 'metadata.generateName').message!,
    /^Invalid value: "Bad_"/,
  );
  assert.equal(
    one(v.validateObjectMeta({ name: 'a', namespace: 'n', generation: -1 }, true, nameIsDNSSubdomain), 'metadata.generation').message,
    'Invalid value: -1: must be greater than or equal to 0',
  );
  const big = v.validateObjectMeta({ name: 'a', namespace: 'n', annotations: { a: 'x'.repeat(256 * 1024) } }, true, nameIsDNSSubdomain);
  assert.equal(one(big, 'metadata.annotations').message, 'Too long: must have at most 262144 bytes');
  assert.match(
    one(v.validateObjectMeta({ name: 'a', namespace: 'n', annotations: { 'a b': 'x' } }, true, nameIsDNSSubdomain), 'metadata.annotations').message!,
    /^Invalid value: "a b"/,
  );
  const owners = v.validateObjectMeta(
    {
      name: 'a',
      namespace: 'n',
      ownerReferences: [
        { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'r1', uid: 'u1', controller: true },
        { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'r2', uid: 'u2', controller: true },
        { apiVersion: '', kind: '', name: '', uid: '' },
      ],
    },
    true,
    nameIsDNSSubdomain,
  );
  assert.match(
    one(owners, 'metadata.ownerReferences').message!,
    /Only one reference can have Controller set to true\. Found "true" in references for ReplicaSet\/r1 and ReplicaSet\/r2/,
  );
  assert.equal(one(owners, 'metadata.ownerReferences[2].uid').message, 'Invalid value: "": uid must not be empty');
  const fin = v.validateObjectMeta({ name: 'a', namespace: 'n', finalizers: ['kubernetes', 'example.com/x', 'custom'] }, true, nameIsDNSSubdomain);
  assert.equal(one(fin, 'metadata.finalizers').message, 'Invalid value: "custom": name is neither a standard finalizer name nor is it fully qualified');
});

test('validateObjectMetaUpdate', () => {
  const old = { name: 'a', namespace: 'n', uid: 'u', creationTimestamp: 't', generation: 3, resourceVersion: '1' };
  assert.deepEqual(v.validateObjectMetaUpdate({ ...old, labels: { x: 'y' } }, old), []);
  const errs = v.validateObjectMetaUpdate({ ...old, namespace: 'm', creationTimestamp: 't2', generation: 2 }, old);
  assert.equal(one(errs, 'metadata.namespace').message, 'Invalid value: "m": field is immutable');
  assert.equal(one(errs, 'metadata.creationTimestamp').message, 'Invalid value: "t2": field is immutable');
  assert.equal(one(errs, 'metadata.generation').message, 'Invalid value: 2: must not be decremented');
  const noRV = v.validateObjectMetaUpdate({ ...old, resourceVersion: undefined }, old, 'metadata', { requireResourceVersion: true });
  assert.equal(one(noRV, 'metadata.resourceVersion').message, 'Invalid value: "": must be specified for an update');
  assert.deepEqual(v.validateObjectMetaUpdate({ ...old, resourceVersion: undefined }, old), [], 'resourceVersion not required by default');
});

test('namespace', () => {
  assert.deepEqual(v.validateNamespace({ metadata: { name: 'team-a' }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } }), []);
  assert.match(one(v.validateNamespace({ metadata: { name: 'team.a' } }), 'metadata.name').message!, /must not contain dots/);
  assert.equal(one(v.validateNamespace({ metadata: { name: 'a', namespace: 'x' } }), 'metadata.namespace').reason, 'FieldValueForbidden');
  assert.equal(one(v.validateNamespace({ metadata: { name: 'a' }, spec: { finalizers: ['nope'] } }), 'spec.finalizers').reason, 'FieldValueInvalid');
  const old = { metadata: { name: 'a', uid: 'u', resourceVersion: '1' } };
  assert.equal(
    one(v.validateNamespaceUpdate({ metadata: { name: 'b', uid: 'u', resourceVersion: '1' } }, old), 'metadata.name').message,
    'Invalid value: "b": field is immutable',
  );
});

test('configmap: keys, data/binaryData overlap, 1 MiB', () => {
  const meta = { name: 'cfg', namespace: 'n' };
  assert.deepEqual(v.validateConfigMap({ metadata: meta, data: { 'a.conf': 'x', KEY_2: 'y' }, binaryData: { bin: b64('\u0001') } }), []);
  const errs = v.validateConfigMap({ metadata: meta, data: { 'bad/key': 'x', dup: 'y' }, binaryData: { dup: b64('z') } });
  assert.match(one(errs, 'data[bad/key]').message!, /^Invalid value: "bad\/key": a valid config key must consist of alphanumeric characters/);
  assert.equal(one(errs, 'data[dup]').message, 'Invalid value: "dup": duplicate of key present in binaryData');
  assert.equal(one(errs, 'binaryData[dup]').message, 'Invalid value: "dup": duplicate of key present in data');
  const big = v.validateConfigMap({ metadata: meta, data: { a: 'x'.repeat(1024 * 1024), b: 'y' } });
  assert.equal(one(big, '').message, 'Too long: must have at most 1048576 bytes');
  assert.deepEqual(v.validateConfigMap({ metadata: meta, data: { a: 'x'.repeat(1024 * 1024) } }), []);
});

test('configmap/secret immutability on update', () => {
  const old = { metadata: { name: 'c', namespace: 'n', resourceVersion: '1' }, immutable: true, data: { a: 'x' } };
  const errs = v.validateConfigMapUpdate({ ...old, data: { a: 'y' } }, old);
  assert.equal(one(errs, 'data').message, 'Forbidden: field is immutable when `immutable` is set');
  assert.equal(one(v.validateConfigMapUpdate({ ...old, immutable: false }, old), 'immutable').reason, 'FieldValueForbidden');
  assert.deepEqual(v.validateConfigMapUpdate({ ...old, metadata: { ...old.metadata, labels: { a: 'b' } } }, old), []);
  const sOld = { metadata: { name: 's', namespace: 'n', resourceVersion: '1' }, type: 'Opaque', data: { a: b64('x') } };
  assert.equal(
    one(v.validateSecretUpdate({ ...sOld, type: 'kubernetes.io/tls' }, sOld), 'type').message,
    'Invalid value: "kubernetes.io/tls": field is immutable',
  );
  assert.deepEqual(v.validateSecretUpdate({ ...sOld, data: { a: b64('y') } }, sOld), []);
});

test('secret: keys, base64, size and type rules', () => {
  const meta = { name: 's', namespace: 'n' };
  assert.deepEqual(v.validateSecret({ metadata: meta, type: 'Opaque', data: { 'tls.crt': b64('x') } }), []);
  assert.match(one(v.validateSecret({ metadata: meta, data: { 'a b': b64('x') } }), 'data[a b]').message!, /a valid config key/);
  assert.equal(
    one(v.validateSecret({ metadata: meta, data: { a: 'not base64!' } }), 'data[a]').message,
    'Invalid value: "<secret contents redacted>": illegal base64 data',
  );
  assert.equal(
    one(v.validateSecret({ metadata: meta, data: { a: b64('x'.repeat(1024 * 1024 + 1)) } }), 'data').message,
    'Too long: must have at most 1048576 bytes',
  );
  const tls = v.validateSecret({ metadata: meta, type: 'kubernetes.io/tls', data: {} });
  assert.equal(one(tls, 'data[tls.crt]').message, 'Required value');
  assert.equal(one(tls, 'data[tls.key]').message, 'Required value');
  assert.deepEqual(v.validateSecret({ metadata: meta, type: 'kubernetes.io/tls', data: { 'tls.crt': b64('c'), 'tls.key': b64('k') } }), []);
  const basic = v.validateSecret({ metadata: meta, type: 'kubernetes.io/basic-auth', data: {} });
  assert.equal(basic.length, 2);
  assert.deepEqual(v.validateSecret({ metadata: meta, type: 'kubernetes.io/basic-auth', data: { username: b64('u') } }), []);
  assert.equal(one(v.validateSecret({ metadata: meta, type: 'kubernetes.io/ssh-auth', data: {} }), 'data[ssh-privatekey]').reason, 'FieldValueRequired');
  assert.equal(
    one(v.validateSecret({ metadata: meta, type: 'kubernetes.io/dockerconfigjson', data: {} }), 'data[.dockerconfigjson]').reason,
    'FieldValueRequired',
  );
  assert.equal(
    one(v.validateSecret({ metadata: meta, type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': b64('{bad') } }), 'data[.dockerconfigjson]')
      .reason,
    'FieldValueInvalid',
  );
  assert.deepEqual(v.validateSecret({ metadata: meta, type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': b64('{"auths":{}}') } }), []);
  assert.equal(
    one(v.validateSecret({ metadata: meta, type: 'kubernetes.io/service-account-token', data: {} }), 'metadata.annotations[kubernetes.io/service-account.name]')
      .reason,
    'FieldValueRequired',
  );
});

test('node', () => {
  const node = {
    metadata: { name: 'node-1' },
    spec: { podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24'], taints: [{ key: 'k', value: 'v', effect: 'NoSchedule' as const }] },
    status: { capacity: { cpu: '2', memory: '4Gi', pods: '110' } },
  };
  assert.deepEqual(v.validateNode(node), []);
  const bad = v.validateNode({
    metadata: { name: 'Node_1', namespace: 'x' },
    spec: {
      podCIDRs: ['10.244.1.0/33'],
      taints: [
        { key: 'k', effect: 'Never' as 'NoSchedule' },
        { key: '', effect: 'NoSchedule' },
      ],
    },
    status: { capacity: { cpu: 'lots' } },
  });
  assert.equal(one(bad, 'metadata.name').reason, 'FieldValueInvalid');
  assert.equal(one(bad, 'metadata.namespace').reason, 'FieldValueForbidden');
  assert.match(one(bad, 'spec.podCIDRs[0]').message!, /must be a valid CIDR value/);
  assert.equal(one(bad, 'spec.taints[0].effect').reason, 'FieldValueNotSupported');
  assert.ok(bad.some((c) => c.field === 'spec.taints[1].key' && c.message === 'Invalid value: "": name part must be non-empty'));
  assert.match(one(bad, 'status.capacity[cpu]').message!, /quantities must match the regular expression/);
  const dup = v.validateNode({
    metadata: { name: 'n' },
    spec: {
      taints: [
        { key: 'k', effect: 'NoSchedule' },
        { key: 'k', value: 'other', effect: 'NoSchedule' },
      ],
    },
  });
  assert.equal(one(dup, 'spec.taints[1]').reason, 'FieldValueDuplicate');
  const old = { metadata: { name: 'n', resourceVersion: '1' }, spec: { podCIDRs: ['10.244.1.0/24'], providerID: 'p1' } };
  const upd = v.validateNodeUpdate({ metadata: { name: 'n', resourceVersion: '1' }, spec: { podCIDRs: ['10.244.2.0/24'], providerID: 'p2' } }, old);
  assert.equal(one(upd, 'spec.podCIDRs').message, 'Forbidden: node updates may not change podCIDR except from "" to valid');
  assert.equal(one(upd, 'spec.providerID').message, 'Forbidden: node updates may not change providerID except from "" to valid');
  const fromEmpty = { metadata: { name: 'n', resourceVersion: '1' }, spec: {} };
  assert.deepEqual(v.validateNodeUpdate({ metadata: { name: 'n', resourceVersion: '1' }, spec: { podCIDRs: ['10.244.3.0/24'] } }, fromEmpty), []);
});

test('service account', () => {
  assert.deepEqual(v.validateServiceAccount({ metadata: { name: 'default', namespace: 'n' } }), []);
  assert.equal(one(v.validateServiceAccount({ metadata: { name: 'sa' } }), 'metadata.namespace').message, 'Required value');
  const old = { metadata: { name: 'sa', namespace: 'n', resourceVersion: '1', uid: 'a' } };
  assert.equal(one(v.validateServiceAccountUpdate({ metadata: { ...old.metadata, uid: 'b' } }, old), 'metadata.uid').reason, 'FieldValueInvalid');
});

test('event (core/v1 legacy rules)', () => {
  const ev = { metadata: { name: 'p.1', namespace: 'ns' }, involvedObject: { kind: 'Pod', namespace: 'ns', name: 'p' }, reason: 'Started', type: 'Normal' };
  assert.deepEqual(v.validateEvent(ev), []);
  assert.equal(
    one(v.validateEvent({ ...ev, involvedObject: { kind: 'Pod', namespace: 'other', name: 'p' } }), 'involvedObject.namespace').message,
    'Invalid value: "other": does not match event.namespace',
  );
  assert.deepEqual(v.validateEvent({ ...ev, metadata: { name: 'n.1', namespace: 'default' }, involvedObject: { kind: 'Node', name: 'n' } }), []);
  const newStyle = v.validateEvent({ ...ev, eventTime: '2024-01-01T00:00:00.000000Z' });
  assert.ok(newStyle.some((c) => c.field === 'reportingComponent' && c.message === 'Required value'));
  assert.equal(one(newStyle, 'reportingInstance').message, 'Required value');
  assert.equal(one(newStyle, 'action').message, 'Required value');
  const okNew = { ...ev, eventTime: '2024-01-01T00:00:00.000000Z', reportingComponent: 'kubelet', reportingInstance: 'node-1', action: 'Start' };
  assert.deepEqual(v.validateEvent(okNew), []);
  assert.equal(one(v.validateEvent({ ...okNew, reason: 'x'.repeat(129) }), 'reason').message, 'Invalid value: "": can have at most 128 characters');
});

test('lease', () => {
  assert.deepEqual(
    v.validateLease({ metadata: { name: 'node-1', namespace: 'kube-node-lease' }, spec: { holderIdentity: 'node-1', leaseDurationSeconds: 40 } }),
    [],
  );
  assert.equal(
    one(v.validateLease({ metadata: { name: 'l', namespace: 'n' }, spec: { leaseDurationSeconds: 0 } }), 'spec.leaseDurationSeconds').message,
    'Invalid value: 0: must be greater than 0',
  );
  assert.equal(nameIsDNSLabel('a', false).length, 0);
});
