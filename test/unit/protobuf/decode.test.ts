// Decoding Kubernetes protobuf request bodies: round-trips through our descriptors, real kubectl 1.33
// bodies, and hostile input (always a 400 StatusError, never a crash).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isStatusError } from '../../../src/api/errors.js';
import { decodeKubernetesProtobuf, writeEnvelope, messageTypeFor, goDuration, ENVELOPE_MAGIC } from '../../../src/apiserver/protobuf/index.js';
import { kubectl133 } from './fixtures.js';

function encode(apiVersion: string, kind: string, obj: Record<string, unknown>): Buffer {
  const type = messageTypeFor(apiVersion, kind);
  assert.ok(type, `no message type for ${apiVersion} ${kind}`);
  const err = type.verify(obj);
  assert.equal(err, null);
  return writeEnvelope(apiVersion, kind, type.encode(type.fromObject(obj)).finish());
}

function assertBadRequest(buf: Uint8Array, re?: RegExp): void {
  assert.throws(
    () => decodeKubernetesProtobuf(buf),
    (e: unknown) => {
      assert.ok(isStatusError(e), `not a StatusError: ${String(e)}`);
      assert.equal(e.code, 400);
      assert.equal(e.reason, 'BadRequest');
      if (re) assert.match(e.message, re);
      return true;
    },
  );
}

test('ConfigMap with data and binaryData round-trips (bytes become base64)', () => {
  const buf = encode('v1', 'ConfigMap', {
    metadata: { name: 'cm', namespace: 'ns1', labels: { app: 'x' } },
    data: { a: 'b', empty: '' },
    binaryData: { bin: Buffer.from([0, 1, 255]) },
    immutable: false,
  });
  assert.deepEqual(decodeKubernetesProtobuf(buf), {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'cm', namespace: 'ns1', labels: { app: 'x' } },
    data: { a: 'b', empty: '' },
    binaryData: { bin: 'AAH/' },
    immutable: false, // a Go pointer field: an explicit false is kept
  });
});

test('Secret data bytes, type and stringData', () => {
  const buf = encode('v1', 'Secret', {
    metadata: { name: 's' },
    data: { user: Buffer.from('admin'), raw: Buffer.from([0xde, 0xad]) },
    stringData: { plain: 'text' },
    type: 'Opaque',
  });
  assert.deepEqual(decodeKubernetesProtobuf(buf), {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 's' },
    data: { user: 'YWRtaW4=', raw: '3q0=' },
    stringData: { plain: 'text' },
    type: 'Opaque',
  });
});

test('Namespace: meta/v1 Time becomes RFC 3339, zero Time and zero-valued scalars are omitted', () => {
  const buf = encode('v1', 'Namespace', {
    metadata: {
      name: 'ns1',
      generateName: '',
      generation: 0,
      creationTimestamp: { seconds: 1700000000, nanos: 5 },
      deletionTimestamp: { seconds: -62135596800, nanos: 0 },
      managedFields: [{ manager: 'm', operation: 'Update', time: { seconds: 0 }, fieldsType: 'FieldsV1', fieldsV1: { Raw: Buffer.from('{"f:metadata":{}}') } }],
    },
    spec: { finalizers: ['kubernetes'] },
  });
  assert.deepEqual(decodeKubernetesProtobuf(buf), {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: 'ns1',
      creationTimestamp: '2023-11-14T22:13:20Z',
      managedFields: [{ manager: 'm', operation: 'Update', time: '1970-01-01T00:00:00Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:metadata': {} } }],
    },
    spec: { finalizers: ['kubernetes'] },
  });
});

test('Deployment with a PodTemplate: Quantity, IntOrString, pointer zeros, probes and volumes', () => {
  const buf = encode('apps/v1', 'Deployment', {
    metadata: { name: 'web', labels: { app: 'web' } },
    spec: {
      replicas: 0,
      selector: { matchLabels: { app: 'web' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: { type: 1, strVal: '25%' }, maxUnavailable: { type: 0, intVal: 1 } } },
      minReadySeconds: 0,
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          terminationGracePeriodSeconds: 0,
          hostNetwork: false,
          containers: [
            {
              name: 'nginx',
              image: 'nginx:1.27',
              ports: [{ containerPort: 80, protocol: 'TCP' }],
              resources: { limits: { cpu: { string: '500m' }, memory: { string: '128Mi' } }, requests: { cpu: { string: '0.1' } } },
              readinessProbe: { handler: { httpGet: { path: '/', port: { type: 1, strVal: 'http' } } }, initialDelaySeconds: 0, periodSeconds: 5 },
              securityContext: { runAsUser: 0, privileged: false },
              env: [
                { name: 'A', value: '' },
                { name: 'B', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
                { name: 'C', valueFrom: { configMapKeyRef: { localObjectReference: { name: 'cm' }, key: 'k' } } },
              ],
            },
          ],
          volumes: [
            { name: 'scratch', volumeSource: { emptyDir: {} } },
            { name: 'cfg', volumeSource: { configMap: { localObjectReference: { name: 'cm' }, defaultMode: 0, optional: false } } },
          ],
        },
      },
    },
  });
  const out = decodeKubernetesProtobuf(buf);
  assert.deepEqual(out, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels: { app: 'web' } },
    spec: {
      replicas: 0,
      selector: { matchLabels: { app: 'web' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          terminationGracePeriodSeconds: 0,
          containers: [
            {
              name: 'nginx',
              image: 'nginx:1.27',
              ports: [{ containerPort: 80, protocol: 'TCP' }],
              resources: { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '0.1' } },
              readinessProbe: { httpGet: { path: '/', port: 'http' }, periodSeconds: 5 },
              securityContext: { runAsUser: 0, privileged: false },
              env: [
                { name: 'A' },
                { name: 'B', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
                { name: 'C', valueFrom: { configMapKeyRef: { name: 'cm', key: 'k' } } },
              ],
            },
          ],
          // embedded Go structs (Volume.VolumeSource, Probe.ProbeHandler, LocalObjectReference) are inlined
          volumes: [
            { name: 'scratch', emptyDir: {} },
            { name: 'cfg', configMap: { name: 'cm', defaultMode: 0, optional: false } },
          ],
        },
      },
    },
  });
});

test('real kubectl 1.33 create bodies decode to what kubectl would have sent as JSON', () => {
  const d = (b64: string) => decodeKubernetesProtobuf(Buffer.from(b64, 'base64'));
  assert.deepEqual(d(kubectl133.configMap), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm3' }, data: { k: 'v' } });
  assert.deepEqual(d(kubectl133.secret), { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's2' }, data: { bin: 'AAH/' } });
  assert.deepEqual(d(kubectl133.deployment), {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'd1', labels: { app: 'd1' } },
    spec: {
      replicas: 0,
      selector: { matchLabels: { app: 'd1' } },
      template: {
        metadata: { labels: { app: 'd1' } },
        spec: { containers: [{ name: 'nginx', image: 'nginx', ports: [{ containerPort: 80 }], resources: {} }] },
      },
      strategy: {},
    },
    status: {},
  });
  assert.deepEqual(d(kubectl133.job), {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'j1' },
    spec: {
      template: { metadata: {}, spec: { containers: [{ name: 'j1', image: 'busybox', command: ['echo', 'hi'], resources: {} }], restartPolicy: 'Never' } },
    },
    status: {},
  });
  const cj = d(kubectl133.cronJob) as { spec: { schedule: string; jobTemplate: { spec: { template: { spec: { restartPolicy: string } } } } } };
  assert.equal(cj.spec.schedule, '*/5 * * * *');
  assert.equal(cj.spec.jobTemplate.spec.template.spec.restartPolicy, 'OnFailure');
  const svc = d(kubectl133.service) as { spec: { ports: unknown[]; type: string } };
  assert.deepEqual(svc.spec.ports, [{ name: '80-8080', protocol: 'TCP', port: 80, targetPort: 8080 }]);
  assert.equal(svc.spec.type, 'ClusterIP');
});

test('Event with MicroTime and Node with capacity quantities', () => {
  const ev = decodeKubernetesProtobuf(
    encode('v1', 'Event', {
      metadata: { name: 'e1', namespace: 'default' },
      involvedObject: { kind: 'Pod', name: 'p' },
      reason: 'Started',
      count: 2,
      eventTime: { seconds: 1700000000, nanos: 123456789 },
    }),
  ) as Record<string, unknown>;
  assert.equal(ev.eventTime, '2023-11-14T22:13:20.123456Z');
  assert.equal(ev.count, 2);
  assert.deepEqual(ev.involvedObject, { kind: 'Pod', name: 'p' });
  const node = decodeKubernetesProtobuf(
    encode('v1', 'Node', {
      metadata: { name: 'n1' },
      spec: { podCIDR: '10.244.1.0/24', unschedulable: true },
      status: { capacity: { cpu: { string: '2' }, pods: { string: '110' } } },
    }),
  ) as Record<string, unknown>;
  assert.deepEqual(node.spec, { podCIDR: '10.244.1.0/24', unschedulable: true });
  assert.deepEqual((node.status as Record<string, unknown>).capacity, { cpu: '2', pods: '110' });
});

test('goDuration renders like Go time.Duration.String()', () => {
  assert.equal(goDuration(0), '0s');
  assert.equal(goDuration(1.5e9), '1.5s');
  assert.equal(goDuration(3.6e12 + 2 * 6e10 + 3e9), '1h2m3s');
  assert.equal(goDuration(150e6), '150ms');
  assert.equal(goDuration(-2e9), '-2s');
});

test('envelope errors: no magic, empty, unknown kind, content encoding', () => {
  assertBadRequest(Buffer.alloc(0), /empty/);
  assertBadRequest(Buffer.from('{"kind":"ConfigMap"}'), /does not appear to be a protobuf message/);
  assertBadRequest(Buffer.from('k8s'), /does not appear/);
  assertBadRequest(writeEnvelope('v1', 'NoSuchKind', new Uint8Array(0)), /no kind "NoSuchKind" is registered for version "v1"/);
  assertBadRequest(writeEnvelope('example.com/v1', 'Widget', new Uint8Array(0)), /no kind "Widget"/);
  assertBadRequest(writeEnvelope('v1', '', new Uint8Array(0)), /apiVersion\/kind/);
  // contentEncoding (field 3) = "gzip"
  const gz = Buffer.concat([writeEnvelope('v1', 'ConfigMap', new Uint8Array(0)), Buffer.from([0x1a, 4]), Buffer.from('gzip')]);
  assertBadRequest(gz, /content encoding "gzip"/);
});

test('hostile input: truncated varints, huge lengths, deep nesting, bad wire types -> 400', () => {
  const m = ENVELOPE_MAGIC;
  assertBadRequest(Buffer.concat([m, Buffer.from([0x0a, 0xff, 0xff, 0xff])])); // truncated length varint
  assertBadRequest(Buffer.concat([m, Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x00])])); // 4 GiB length
  assertBadRequest(Buffer.concat([m, Buffer.from([0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff])])); // overlong varint
  assertBadRequest(Buffer.concat([m, Buffer.from([0x0f])])); // wire type 7
  assertBadRequest(Buffer.concat([m, Buffer.from([0x00, 0x00])])); // field number 0
  // 200k nested start-group tags of an unknown field
  assertBadRequest(Buffer.concat([m, Buffer.alloc(200_000, 0x7b)]));
  // a valid envelope whose inner message is garbage / truncated
  assertBadRequest(writeEnvelope('v1', 'ConfigMap', Buffer.from([0x12, 0x05, 0x0a, 0x01])));
  assertBadRequest(writeEnvelope('v1', 'ConfigMap', Buffer.from([0x0a, 0x80, 0x80, 0x80, 0x80, 0x08])));
  // FieldsV1 raw that is not JSON
  const bad = encode('v1', 'ConfigMap', { metadata: { name: 'x', managedFields: [{ fieldsV1: { Raw: Buffer.from('not json') } }] } });
  assertBadRequest(bad);
  // a Time far outside the representable range
  assertBadRequest(encode('v1', 'ConfigMap', { metadata: { name: 'x', creationTimestamp: { seconds: 9e15 } } }));
});

test('random corruption of valid bodies never crashes: an object or a 400', () => {
  const seeds = Object.values(kubectl133).map((b) => Buffer.from(b, 'base64'));
  let state = 12345;
  const rand = (n: number) => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state % n;
  };
  let decoded = 0;
  let rejected = 0;
  for (let i = 0; i < 600; i++) {
    const buf = Buffer.from(seeds[i % seeds.length]);
    const flips = 1 + rand(4);
    for (let j = 0; j < flips; j++) buf[4 + rand(buf.length - 4)] = rand(256);
    const cut = rand(3) === 0 ? buf.subarray(0, 4 + rand(buf.length - 4)) : buf;
    try {
      const out = decodeKubernetesProtobuf(cut);
      assert.equal(typeof out, 'object');
      decoded++;
    } catch (e) {
      assert.ok(isStatusError(e), `not a StatusError: ${String(e)}`);
      assert.equal(e.code, 400);
      rejected++;
    }
  }
  assert.equal(decoded + rejected, 600);
  assert.ok(rejected > 0);
});
