// Unit tests for Pod validation in src/api/core/v1/validation.ts: create, update and status update rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setDefaultsPod } from '../../../src/api/core/v1/defaults.js';
import * as v from '../../../src/api/core/v1/validation.js';
import type { Pod } from '../../../src/api/core/v1/types.js';
import type { StatusCause } from '../../../src/api/types.js';

function mkPod(spec: Record<string, unknown> = {}, meta: Record<string, unknown> = {}): Pod {
  const p = {
    metadata: { name: 'web', namespace: 'default', ...meta },
    spec: { containers: [{ name: 'c', image: 'nginx:1.25' }], ...spec },
  } as unknown as Pod;
  return setDefaultsPod(p);
}

function find(causes: StatusCause[], field: string): StatusCause[] {
  return causes.filter((c) => c.field === field);
}

function one(causes: StatusCause[], field: string): StatusCause {
  const m = find(causes, field);
  assert.equal(m.length, 1, `expected exactly one error at ${field}, got: ${JSON.stringify(causes, null, 1)}`);
  return m[0]!;
}

test('a defaulted minimal pod is valid', () => {
  assert.deepEqual(v.validatePod(mkPod()), []);
});

test('a rich, valid pod passes', () => {
  const p = mkPod({
    volumes: [
      { name: 'data', emptyDir: {} },
      { name: 'cfg', configMap: { name: 'cfg', items: [{ key: 'a', path: 'a.txt' }] } },
      { name: 'info', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: "metadata.labels['app']" } }] } },
      { name: 'tok', projected: { sources: [{ serviceAccountToken: { path: 'token', expirationSeconds: 3600 } }, { configMap: { name: 'x' } }] } },
    ],
    initContainers: [
      { name: 'init', image: 'busybox', command: ['true'] },
      { name: 'sidecar', image: 'busybox', restartPolicy: 'Always', readinessProbe: { exec: { command: ['true'] } } },
    ],
    containers: [
      {
        name: 'app',
        image: 'nginx:1.25',
        ports: [
          { name: 'http', containerPort: 80 },
          { containerPort: 53, protocol: 'UDP' },
        ],
        env: [
          { name: 'A', value: '1' },
          { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
          { name: 'MEM', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } },
          { name: 'S', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } },
        ],
        envFrom: [{ configMapRef: { name: 'cfg' }, prefix: 'CFG_' }],
        volumeMounts: [
          { name: 'data', mountPath: '/data' },
          { name: 'cfg', mountPath: '/etc/cfg', readOnly: true, subPath: 'sub' },
        ],
        resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '1', memory: '128Mi' } },
        livenessProbe: { tcpSocket: { port: 'http' } },
        readinessProbe: { httpGet: { port: 80, path: '/healthz' }, successThreshold: 2 },
        startupProbe: { exec: { command: ['true'] }, failureThreshold: 30 },
        lifecycle: { preStop: { sleep: { seconds: 5 } }, postStart: { exec: { command: ['true'] } } },
      },
    ],
    tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }, { operator: 'Exists' }],
    nodeSelector: { 'kubernetes.io/os': 'linux' },
    hostAliases: [{ ip: '127.0.0.1', hostnames: ['foo.local'] }],
    readinessGates: [{ conditionType: 'example.com/ready' }],
    activeDeadlineSeconds: 60,
    topologySpreadConstraints: [
      { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } } },
    ],
    affinity: {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }] },
      },
    },
    shareProcessNamespace: true,
  });
  assert.deepEqual(v.validatePod(p), []);
});

test('metadata errors', () => {
  const errs = v.validatePod(mkPod({}, { name: 'Web_1', namespace: '', labels: { 'bad key': 'v' } }));
  assert.match(one(errs, 'metadata.name').message!, /^Invalid value: "Web_1": a lowercase RFC 1123 subdomain must consist of/);
  assert.equal(one(errs, 'metadata.namespace').message, 'Required value');
  assert.match(one(errs, 'metadata.labels').message!, /^Invalid value: "bad key": name part must consist of/);
  const noName = v.validatePod(mkPod({}, { name: undefined }));
  assert.equal(one(noName, 'metadata.name').message, 'Required value: name or generateName is required');
  assert.deepEqual(v.validatePod(mkPod({}, { name: undefined, generateName: 'web-' })), []);
});

test('containers required, names unique across init + app, image required', () => {
  assert.equal(one(v.validatePod(mkPod({ containers: [] })), 'spec.containers').reason, 'FieldValueRequired');
  const errs = v.validatePod(
    mkPod({
      initContainers: [{ name: 'dup', image: 'x' }],
      containers: [
        { name: 'dup', image: 'x' },
        { name: 'Bad.Name', image: '' },
        { name: '', image: 'y' },
      ],
    }),
  );
  assert.equal(one(errs, 'spec.containers[0].name').message, 'Duplicate value: "dup"');
  assert.match(one(errs, 'spec.containers[1].name').message!, /a lowercase RFC 1123 label must consist of/);
  assert.equal(one(errs, 'spec.containers[1].image').message, 'Required value');
  assert.equal(one(errs, 'spec.containers[2].name').message, 'Required value');
});

test('ports: range, names, duplicates, protocol, hostNetwork', () => {
  const errs = v.validatePod(
    mkPod({
      containers: [
        {
          name: 'c',
          image: 'x',
          ports: [
            { name: 'http', containerPort: 70000 },
            { name: 'http', containerPort: 81 },
            { name: 'Bad_Name', containerPort: 82 },
            { containerPort: 83, protocol: 'ICMP' },
            { containerPort: 84, hostPort: 99999 },
          ],
        },
      ],
    }),
  );
  assert.equal(one(errs, 'spec.containers[0].ports[0].containerPort').message, 'Invalid value: 70000: must be between 1 and 65535, inclusive');
  assert.equal(one(errs, 'spec.containers[0].ports[1].name').message, 'Duplicate value: "http"');
  assert.ok(find(errs, 'spec.containers[0].ports[2].name').length >= 1);
  assert.equal(one(errs, 'spec.containers[0].ports[3].protocol').message, 'Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"');
  assert.equal(one(errs, 'spec.containers[0].ports[4].hostPort').message, 'Invalid value: 99999: must be between 1 and 65535, inclusive');
  const hn = v.validatePod(mkPod({ hostNetwork: true, containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 80, hostPort: 8080 }] }] }));
  assert.equal(one(hn, 'spec.containers[0].ports[0].hostPort').message, 'Invalid value: 8080: must match `containerPort` when `hostNetwork` is true');
});

test('volumes: unique names, one source, mounts must refer to volumes', () => {
  const errs = v.validatePod(
    mkPod({
      volumes: [
        { name: 'a', emptyDir: {} },
        { name: 'a', emptyDir: {} },
        { name: 'two', emptyDir: {}, hostPath: { path: '/x' } },
        { name: 'hp', hostPath: { path: '' } },
        { name: 'sec', secret: {} },
      ],
      containers: [
        {
          name: 'c',
          image: 'x',
          volumeMounts: [
            { name: 'nope', mountPath: '/n' },
            { name: 'a', mountPath: '' },
            { name: 'a', mountPath: '/m', subPath: '../x' },
            { name: 'a', mountPath: '/m' },
          ],
        },
      ],
    }),
  );
  assert.equal(one(errs, 'spec.volumes[1].name').message, 'Duplicate value: "a"');
  assert.equal(one(errs, 'spec.volumes[2].emptyDir').message, 'Forbidden: may not specify more than 1 volume type');
  assert.equal(one(errs, 'spec.volumes[3].hostPath.path').reason, 'FieldValueRequired');
  assert.equal(one(errs, 'spec.volumes[4].secret.secretName').reason, 'FieldValueRequired');
  const nf = one(errs, 'spec.containers[0].volumeMounts[0].name');
  assert.equal(nf.reason, 'FieldValueNotFound');
  assert.equal(nf.message, 'Not found: "nope"');
  assert.equal(one(errs, 'spec.containers[0].volumeMounts[1].mountPath').message, 'Required value');
  assert.equal(one(errs, 'spec.containers[0].volumeMounts[2].subPath').message, `Invalid value: "../x": must not contain '..'`);
  assert.equal(one(errs, 'spec.containers[0].volumeMounts[3].mountPath').message, 'Invalid value: "/m": must be unique');
  // A volume with no source at all (not defaulted) is rejected.
  const raw = mkPod();
  raw.spec!.volumes = [{ name: 'empty' }];
  assert.equal(one(v.validatePod(raw), 'spec.volumes[0]').message, 'Required value: must specify a volume type');
});

test('resources: quantities parse and requests <= limits', () => {
  const errs = v.validatePod(
    mkPod({
      containers: [
        { name: 'c', image: 'x', resources: { limits: { cpu: '1', memory: 'lots' }, requests: { cpu: '2', bogus: '1', 'example.com/gpu': '0.5' } } },
      ],
    }),
  );
  assert.equal(one(errs, 'spec.containers[0].resources.requests').message, 'Invalid value: "2": must be less than or equal to cpu limit of 1');
  assert.equal(
    one(errs, 'spec.containers[0].resources.limits[memory]').message,
    `Invalid value: "lots": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`,
  );
  assert.equal(one(errs, 'spec.containers[0].resources.requests[bogus]').message, 'Invalid value: "bogus": must be a standard resource for containers');
  assert.ok(find(errs, 'spec.containers[0].resources.requests[example.com/gpu]').some((c) => c.message!.endsWith('must be an integer')));
  const neg = v.validatePod(mkPod({ containers: [{ name: 'c', image: 'x', resources: { requests: { cpu: '-1' } } }] }));
  assert.equal(one(neg, 'spec.containers[0].resources.requests[cpu]').message, 'Invalid value: "-1": must be greater than or equal to 0');
});

test('restartPolicy, dnsPolicy, deadlines and grace periods', () => {
  const errs = v.validatePod(mkPod({ restartPolicy: 'Sometimes', dnsPolicy: 'Magic', activeDeadlineSeconds: 0, terminationGracePeriodSeconds: -5 }));
  assert.equal(one(errs, 'spec.restartPolicy').message, 'Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"');
  assert.equal(one(errs, 'spec.dnsPolicy').reason, 'FieldValueNotSupported');
  assert.equal(one(errs, 'spec.activeDeadlineSeconds').message, 'Invalid value: 0: must be between 1 and 2147483647, inclusive');
  assert.equal(one(errs, 'spec.terminationGracePeriodSeconds').message, 'Invalid value: -5: must be greater than or equal to 0');
  const none = v.validatePod(mkPod({ dnsPolicy: 'None' }));
  assert.equal(one(none, 'spec.dnsConfig').message, 'Required value: must provide `dnsConfig` when `dnsPolicy` is None');
});

test('init containers: restartPolicy only Always, no probes/lifecycle unless sidecar', () => {
  const errs = v.validatePod(
    mkPod({
      initContainers: [
        { name: 'i1', image: 'x', restartPolicy: 'OnFailure' },
        { name: 'i2', image: 'x', livenessProbe: { exec: { command: ['true'] } }, lifecycle: { postStart: { exec: { command: ['x'] } } } },
      ],
      containers: [{ name: 'c', image: 'x', restartPolicy: 'Always' }],
    }),
  );
  assert.equal(one(errs, 'spec.initContainers[0].restartPolicy').message, 'Unsupported value: "OnFailure": supported values: "Always"');
  assert.equal(one(errs, 'spec.initContainers[1].livenessProbe').message, 'Forbidden: may not be set for init containers without restartPolicy=Always');
  assert.equal(one(errs, 'spec.initContainers[1].lifecycle').reason, 'FieldValueForbidden');
  assert.equal(one(errs, 'spec.containers[0].restartPolicy').message, 'Forbidden: may not be set for non-init containers');
});

test('probes: handler, thresholds, periods', () => {
  const errs = v.validatePod(
    mkPod({
      containers: [
        {
          name: 'c',
          image: 'x',
          livenessProbe: { exec: { command: ['true'] }, successThreshold: 2 },
          startupProbe: { exec: { command: ['true'] }, successThreshold: 3 },
          readinessProbe: { exec: { command: ['true'] }, httpGet: { port: 80 }, periodSeconds: -1 },
        },
        { name: 'd', image: 'x', livenessProbe: { initialDelaySeconds: 1 }, readinessProbe: { httpGet: { port: 0 } } },
      ],
    }),
  );
  assert.equal(one(errs, 'spec.containers[0].livenessProbe.successThreshold').message, 'Invalid value: 2: must be 1');
  assert.equal(one(errs, 'spec.containers[0].startupProbe.successThreshold').message, 'Invalid value: 3: must be 1');
  assert.equal(one(errs, 'spec.containers[0].readinessProbe.httpGet').message, 'Forbidden: may not specify more than 1 handler type');
  assert.equal(one(errs, 'spec.containers[0].readinessProbe.periodSeconds').message, 'Invalid value: -1: must be greater than or equal to 0');
  assert.equal(one(errs, 'spec.containers[1].livenessProbe').message, 'Required value: must specify a handler type');
  assert.equal(one(errs, 'spec.containers[1].readinessProbe.httpGet.port').message, 'Invalid value: 0: must be between 1 and 65535, inclusive');
});

test('env: names, valueFrom rules, downward API paths', () => {
  const errs = v.validatePod(
    mkPod({
      containers: [
        {
          name: 'c',
          image: 'x',
          env: [
            { name: '1BAD', value: 'x' },
            { name: 'A', value: 'x', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
            { name: 'B', valueFrom: { fieldRef: { fieldPath: 'spec.bogus' } } },
            { name: 'C', valueFrom: {} },
            { name: 'D', valueFrom: { configMapKeyRef: { name: 'c', key: 'k' }, secretKeyRef: { name: 's', key: 'k' } } },
            { name: '' },
          ],
        },
      ],
    }),
  );
  assert.match(one(errs, 'spec.containers[0].env[0].name').message!, /a valid environment variable name must consist of/);
  assert.equal(one(errs, 'spec.containers[0].env[1].valueFrom').message, 'Invalid value: "": may not be specified when `value` is not empty');
  assert.match(
    one(errs, 'spec.containers[0].env[2].valueFrom.fieldRef.fieldPath').message!,
    /^Unsupported value: "spec.bogus": supported values: "metadata.name", "metadata.namespace"/,
  );
  assert.match(
    one(errs, 'spec.containers[0].env[3].valueFrom').message!,
    /must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`/,
  );
  assert.equal(one(errs, 'spec.containers[0].env[4].valueFrom').message, 'Invalid value: "": may not have more than one field specified at a time');
  assert.equal(one(errs, 'spec.containers[0].env[5].name').message, 'Required value');
});

test('tolerations and scheduling fields', () => {
  const errs = v.validatePod(
    mkPod({
      tolerations: [
        { key: 'k', operator: 'Exists', value: 'v' },
        { operator: 'Equal', value: 'v' },
        { key: 'k', effect: 'NoSchedule', tolerationSeconds: 5 },
        { key: 'k', operator: 'Like' },
        { key: 'k', effect: 'Sometimes' },
      ],
      nodeSelector: { ok: 'bad value!' },
      topologySpreadConstraints: [{ maxSkew: 0, topologyKey: '', whenUnsatisfiable: 'Maybe' }],
    }),
  );
  assert.match(one(errs, 'spec.tolerations[0].operator').message!, /value must be empty when `operator` is 'Exists'/);
  assert.match(one(errs, 'spec.tolerations[1].operator').message!, /operator must be Exists when `key` is empty/);
  assert.equal(one(errs, 'spec.tolerations[2].effect').message, `Invalid value: "NoSchedule": effect must be 'NoExecute' when \`tolerationSeconds\` is set`);
  assert.equal(one(errs, 'spec.tolerations[3].operator').message, 'Unsupported value: "Like": supported values: "Equal", "Exists"');
  assert.equal(
    one(errs, 'spec.tolerations[4].effect').message,
    'Unsupported value: "Sometimes": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
  );
  assert.equal(one(errs, 'spec.nodeSelector').reason, 'FieldValueInvalid');
  assert.equal(one(errs, 'spec.topologySpreadConstraints[0].maxSkew').message, 'Invalid value: 0: must be greater than zero');
  assert.equal(one(errs, 'spec.topologySpreadConstraints[0].topologyKey').reason, 'FieldValueRequired');
  assert.equal(one(errs, 'spec.topologySpreadConstraints[0].whenUnsatisfiable').reason, 'FieldValueNotSupported');
});

test('misc pod spec fields', () => {
  const errs = v.validatePod(
    mkPod({
      hostPID: true,
      shareProcessNamespace: true,
      hostAliases: [{ ip: 'not-an-ip' }],
      hostname: 'Bad_Host',
      serviceAccountName: 'Bad SA',
      nodeName: 'node_1',
    }),
  );
  assert.equal(one(errs, 'spec.shareProcessNamespace').message, 'Invalid value: true: ShareProcessNamespace and HostPID cannot both be enabled');
  assert.equal(one(errs, 'spec.hostAliases[0].ip').message, 'Invalid value: "not-an-ip": must be valid IP address');
  assert.equal(one(errs, 'spec.hostname').reason, 'FieldValueInvalid');
  assert.equal(one(errs, 'spec.serviceAccountName').reason, 'FieldValueInvalid');
  assert.equal(one(errs, 'spec.nodeName').reason, 'FieldValueInvalid');
});

function updated(old: Pod, mutate: (p: Pod) => void): Pod {
  const p = structuredClone(old);
  mutate(p);
  return p;
}

test('pod update: images, activeDeadlineSeconds and added tolerations may change', () => {
  const old = mkPod(
    {
      initContainers: [{ name: 'i', image: 'busybox:1' }],
      activeDeadlineSeconds: 100,
      tolerations: [{ key: 'a', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 10 }],
    },
    { resourceVersion: '5', uid: 'u1' },
  );
  const ok = updated(old, (p) => {
    p.spec!.containers[0]!.image = 'nginx:1.26';
    p.spec!.initContainers![0]!.image = 'busybox:2';
    p.spec!.activeDeadlineSeconds = 50;
    p.spec!.tolerations!.push({ key: 'b', operator: 'Exists' });
    p.spec!.tolerations![0]!.tolerationSeconds = 20;
    p.metadata.labels = { new: 'label' };
  });
  assert.deepEqual(v.validatePodUpdate(ok, old), []);
});

test('pod update: other spec changes are forbidden with the upstream message', () => {
  const old = mkPod({}, { resourceVersion: '5' });
  const errs = v.validatePodUpdate(
    updated(old, (p) => (p.spec!.restartPolicy = 'Never')),
    old,
  );
  const e = one(errs, 'spec');
  assert.equal(e.reason, 'FieldValueForbidden');
  assert.ok(
    e.message!.startsWith(
      'Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
    ),
  );
  assert.match(e.message!, /spec\.restartPolicy/);
  const added = v.validatePodUpdate(
    updated(old, (p) => p.spec!.containers.push({ name: 'd', image: 'x', imagePullPolicy: 'Always', terminationMessagePolicy: 'File' })),
    old,
  );
  assert.equal(one(added, 'spec').reason, 'FieldValueForbidden');
});

test('pod update: activeDeadlineSeconds rules', () => {
  const old = mkPod({ activeDeadlineSeconds: 100 }, { resourceVersion: '1' });
  assert.equal(
    one(
      v.validatePodUpdate(
        updated(old, (p) => (p.spec!.activeDeadlineSeconds = 200)),
        old,
      ),
      'spec.activeDeadlineSeconds',
    ).message,
    'Invalid value: 200: must be less than or equal to previous value',
  );
  assert.equal(
    one(
      v.validatePodUpdate(
        updated(old, (p) => delete p.spec!.activeDeadlineSeconds),
        old,
      ),
      'spec.activeDeadlineSeconds',
    ).message,
    'Invalid value: null: must not update from a positive integer to nil value',
  );
  const unset = mkPod({}, { resourceVersion: '1' });
  assert.deepEqual(
    v.validatePodUpdate(
      updated(unset, (p) => (p.spec!.activeDeadlineSeconds = 30)),
      unset,
    ),
    [],
  );
});

test('pod update: tolerations may only be added', () => {
  const old = mkPod({ tolerations: [{ key: 'a', operator: 'Equal', value: 'x', effect: 'NoSchedule' }] }, { resourceVersion: '1' });
  const changed = updated(old, (p) => (p.spec!.tolerations![0]!.value = 'y'));
  assert.equal(
    one(v.validatePodUpdate(changed, old), 'spec.tolerations').message,
    'Forbidden: existing toleration can not be modified except its tolerationSeconds',
  );
  const removed = updated(old, (p) => (p.spec!.tolerations = []));
  assert.equal(one(v.validatePodUpdate(removed, old), 'spec.tolerations').reason, 'FieldValueForbidden');
});

test('pod update: metadata immutability and finalizers while deleting', () => {
  const old = mkPod(
    {},
    { resourceVersion: '1', uid: 'u1', creationTimestamp: '2024-01-01T00:00:00Z', deletionTimestamp: '2024-01-02T00:00:00Z', finalizers: ['example.com/a'] },
  );
  const errs = v.validatePodUpdate(
    updated(old, (p) => {
      p.metadata.name = 'other';
      p.metadata.uid = 'u2';
      p.metadata.finalizers = ['example.com/a', 'example.com/b'];
    }),
    old,
  );
  assert.equal(one(errs, 'metadata.name').message, 'Invalid value: "other": field is immutable');
  assert.equal(one(errs, 'metadata.uid').message, 'Invalid value: "u2": field is immutable');
  assert.equal(
    one(errs, 'metadata.finalizers').message,
    'Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"example.com/b"}',
  );
  const removing = updated(old, (p) => (p.metadata.finalizers = []));
  assert.deepEqual(v.validatePodUpdate(removing, old), []);
});

test('pod status update', () => {
  const old = mkPod({ restartPolicy: 'Never' }, { resourceVersion: '1' });
  old.status = {
    phase: 'Running',
    containerStatuses: [{ name: 'c', ready: false, restartCount: 0, image: 'x', imageID: '', state: { terminated: { exitCode: 1 } } }],
  };
  const good = updated(old, (p) => {
    p.status = {
      phase: 'Failed',
      podIP: '10.244.0.7',
      podIPs: [{ ip: '10.244.0.7' }],
      conditions: [{ type: 'Ready', status: 'False' }],
      containerStatuses: old.status!.containerStatuses,
    };
  });
  assert.deepEqual(v.validatePodStatusUpdate(good, old), []);
  const bad = updated(old, (p) => {
    p.status = {
      phase: 'Dancing' as 'Running',
      podIP: '10.244.0.9',
      podIPs: [{ ip: 'nope' }],
      nominatedNodeName: 'Bad_Node',
      conditions: [{ type: 'bad type!', status: 'Maybe' as 'True' }],
      containerStatuses: [{ name: 'c', ready: true, restartCount: 1, image: 'x', imageID: '', state: { running: {} } }],
    };
  });
  const errs = v.validatePodStatusUpdate(bad, old);
  assert.equal(one(errs, 'status.phase').reason, 'FieldValueNotSupported');
  assert.equal(one(errs, 'status.podIPs[0]').message, 'Invalid value: "nope": must be a valid IP address');
  assert.equal(one(errs, 'status.nominatedNodeName').reason, 'FieldValueInvalid');
  assert.equal(one(errs, 'status.conditions[0].type').reason, 'FieldValueInvalid');
  assert.equal(one(errs, 'status.conditions[0].status').reason, 'FieldValueNotSupported');
  assert.equal(one(errs, 'status.containerStatuses[0].state').message, 'Forbidden: may not be transitioned to non-terminated state');
});
