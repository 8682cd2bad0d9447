// Unit tests for src/api/fields.ts: field selector parsing/matching/escaping and per-kind field sets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as f from '../../../src/api/fields.js';

const pod = {
  metadata: { name: 'web-1', namespace: 'default' },
  spec: { nodeName: 'node-a', restartPolicy: 'Always', schedulerName: 'default-scheduler', serviceAccountName: 'default', containers: [] },
  status: { phase: 'Running', podIP: '10.244.0.5', nominatedNodeName: '' },
};

test('parse and match =, ==, != with AND', () => {
  const fields = f.podFields(pod);
  assert.equal(f.matchesFieldSelectorString('spec.nodeName=node-a', fields), true);
  assert.equal(f.matchesFieldSelectorString('spec.nodeName==node-a', fields), true);
  assert.equal(f.matchesFieldSelectorString('spec.nodeName!=node-a', fields), false);
  assert.equal(f.matchesFieldSelectorString('status.phase!=Succeeded,status.phase!=Failed', fields), true);
  assert.equal(f.matchesFieldSelectorString('metadata.name=web-1,metadata.namespace=kube-system', fields), false);
  assert.equal(f.matchesFieldSelectorString('spec.nodeName=', { 'spec.nodeName': '' }), true);
  assert.equal(f.matchesFieldSelectorString('', fields), true);
  assert.ok(f.parseFieldSelector('').empty());
  assert.equal(f.matchesFieldSelectorString('unknown=', fields), true, 'missing fields read as empty');
});

test('requirements, exact-match lookup and string form', () => {
  const s = f.parseFieldSelector('status.phase!=Failed, spec.nodeName=n1');
  assert.deepEqual(s.requirements, [
    { field: 'spec.nodeName', operator: '=', value: 'n1' },
    { field: 'status.phase', operator: '!=', value: 'Failed' },
  ]);
  assert.equal(s.requiresExactMatch('spec.nodeName'), 'n1');
  assert.equal(s.requiresExactMatch('status.phase'), undefined);
  assert.deepEqual(s.fieldNames(), ['spec.nodeName', 'status.phase']);
  assert.equal(s.toString(), 'spec.nodeName=n1,status.phase!=Failed');
});

test('escaped values', () => {
  const s = f.parseFieldSelector('metadata.name=a\\,b\\=c');
  assert.equal(s.requirements[0]!.value, 'a,b=c');
  assert.equal(s.toString(), 'metadata.name=a\\,b\\=c');
  assert.equal(f.escapeFieldValue('x=y'), 'x\\=y');
});

test('malformed selectors', () => {
  assert.throws(() => f.parseFieldSelector('metadata.name'), { message: "invalid selector: 'metadata.name'; can't understand 'metadata.name'" });
  assert.throws(() => f.parseFieldSelector('a=b,c'), { message: "invalid selector: 'a=b,c'; can't understand 'c'" });
  assert.throws(() => f.parseFieldSelector('=x'), /can't understand '=x'/);
  assert.throws(() => f.parseFieldSelector('a=b=c'), { message: 'invalid field selector: unescaped character in value: =' });
  assert.throws(() => f.parseFieldSelector('a=b\\x'), /invalid field selector: invalid escape sequence/);
});

test('unsupported field labels are reported', () => {
  const sel = f.parseFieldSelector('spec.nodeName=a,spec.bogus=b');
  assert.throws(() => f.checkFieldSelectorSupported(sel, f.podFields(pod)), { message: 'field label not supported: spec.bogus' });
  assert.doesNotThrow(() => f.checkFieldSelectorSupported(f.parseFieldSelector('spec.nodeName=a'), f.podFields({ metadata: {} })));
  assert.doesNotThrow(() => f.checkFieldSelectorSupported(f.parseFieldSelector('metadata.name=a'), ['metadata.name']));
});

test('pod fields', () => {
  assert.deepEqual(f.podFields(pod), {
    'metadata.name': 'web-1',
    'metadata.namespace': 'default',
    'spec.nodeName': 'node-a',
    'spec.restartPolicy': 'Always',
    'spec.schedulerName': 'default-scheduler',
    'spec.serviceAccountName': 'default',
    'spec.hostNetwork': 'false',
    'status.phase': 'Running',
    'status.podIP': '10.244.0.5',
    'status.nominatedNodeName': '',
  });
  assert.equal(f.podFields({ metadata: {}, status: { podIPs: [{ ip: '10.244.1.1' }] } })['status.podIP'], '10.244.1.1');
  assert.equal(f.podFields({ metadata: {} })['spec.nodeName'], '');
});

test('event, secret, node, namespace and default fields', () => {
  const ev = {
    metadata: { name: 'e1', namespace: 'ns' },
    involvedObject: { kind: 'Pod', namespace: 'ns', name: 'p', uid: 'u1', apiVersion: 'v1', resourceVersion: '7', fieldPath: 'spec.containers{c}' },
    reason: 'Started',
    reportingComponent: 'kubelet',
    source: { component: 'kubelet', host: 'n1' },
    type: 'Normal',
  };
  assert.deepEqual(f.eventFields(ev), {
    'metadata.name': 'e1',
    'metadata.namespace': 'ns',
    'involvedObject.kind': 'Pod',
    'involvedObject.namespace': 'ns',
    'involvedObject.name': 'p',
    'involvedObject.uid': 'u1',
    'involvedObject.apiVersion': 'v1',
    'involvedObject.resourceVersion': '7',
    'involvedObject.fieldPath': 'spec.containers{c}',
    reason: 'Started',
    reportingComponent: 'kubelet',
    source: 'kubelet',
    type: 'Normal',
  });
  assert.deepEqual(f.secretFields({ metadata: { name: 's', namespace: 'n' }, type: 'Opaque' }), {
    'metadata.name': 's',
    'metadata.namespace': 'n',
    type: 'Opaque',
  });
  assert.deepEqual(f.nodeFields({ metadata: { name: 'n1' }, spec: { unschedulable: true } }), { 'metadata.name': 'n1', 'spec.unschedulable': 'true' });
  assert.deepEqual(f.namespaceFields({ metadata: { name: 'x' }, status: { phase: 'Active' } }), { 'metadata.name': 'x', 'status.phase': 'Active' });
  assert.deepEqual(f.defaultFields({ metadata: { name: 'c', namespace: 'n' } }), { 'metadata.name': 'c', 'metadata.namespace': 'n' });
  assert.deepEqual(f.fieldsForKind('ConfigMap', { metadata: { name: 'c' } }, true), { 'metadata.name': 'c', 'metadata.namespace': '' });
  assert.deepEqual(f.fieldsForKind('Node', { metadata: { name: 'n' } }, false), { 'metadata.name': 'n', 'spec.unschedulable': 'false' });
  assert.equal(f.fieldsForKind('Pod', pod)['spec.nodeName'], 'node-a');
});
