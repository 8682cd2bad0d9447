// One table per kind: column headers (names/priorities as upstream) and row cells.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../src/api/types.js';
import { printerFor } from '../../../src/apiserver/printers/index.js';

const now = new Date('2024-05-01T12:00:00Z');
const created = '2024-04-29T07:00:00Z'; // 2d5h before `now`

function obj(apiVersion: string, kind: string, name: string, rest: Record<string, unknown> = {}, meta: Record<string, unknown> = {}): KubeObject {
  return { apiVersion, kind, metadata: { name, creationTimestamp: created, ...meta }, ...rest };
}

function headers(group: string, resource: string): string[] {
  return printerFor(group, resource).columns.map((c) => (c.priority > 0 ? `${c.name}*` : c.name));
}

function row(group: string, resource: string, o: KubeObject): unknown[] {
  const cells = printerFor(group, resource).cells(o, now);
  assert.equal(cells.length, printerFor(group, resource).columns.length, 'one cell per column');
  return cells;
}

test('nodes', () => {
  assert.deepEqual(headers('', 'nodes'), [
    'Name',
    'Status',
    'Roles',
    'Age',
    'Version',
    'Internal-IP*',
    'External-IP*',
    'OS-Image*',
    'Kernel-Version*',
    'Container-Runtime*',
  ]);
  const ready = obj(
    'v1',
    'Node',
    'n1',
    {
      spec: {},
      status: {
        conditions: [
          { type: 'MemoryPressure', status: 'False' },
          { type: 'Ready', status: 'True' },
        ],
        addresses: [
          { type: 'Hostname', address: 'n1' },
          { type: 'InternalIP', address: '10.0.0.4' },
        ],
        nodeInfo: { kubeletVersion: 'v1.31.0-k8ts', osImage: 'Debian GNU/Linux 12', kernelVersion: '6.1.0', containerRuntimeVersion: 'runc://1.1.12' },
      },
    },
    { labels: { 'node-role.kubernetes.io/control-plane': '', 'node-role.kubernetes.io/worker': '', 'kubernetes.io/role': 'edge' } },
  );
  assert.deepEqual(row('', 'nodes', ready), [
    'n1',
    'Ready',
    'control-plane,edge,worker',
    '2d5h',
    'v1.31.0-k8ts',
    '10.0.0.4',
    '<none>',
    'Debian GNU/Linux 12',
    '6.1.0',
    'runc://1.1.12',
  ]);
  const cordoned = obj('v1', 'Node', 'n2', { spec: { unschedulable: true }, status: { conditions: [{ type: 'Ready', status: 'Unknown' }] } });
  const c2 = row('', 'nodes', cordoned);
  assert.deepEqual(c2.slice(0, 3), ['n2', 'NotReady,SchedulingDisabled', '<none>']);
  assert.deepEqual(c2.slice(7), ['<unknown>', '<unknown>', '<unknown>']);
  const fresh = obj('v1', 'Node', 'n3', { spec: {}, status: {} });
  assert.equal(row('', 'nodes', fresh)[1], 'Unknown');
  const freshCordoned = obj('v1', 'Node', 'n4', { spec: { unschedulable: true }, status: {} });
  assert.equal(row('', 'nodes', freshCordoned)[1], 'Unknown,SchedulingDisabled');
});

test('namespaces, configmaps, secrets, serviceaccounts', () => {
  assert.deepEqual(headers('', 'namespaces'), ['Name', 'Status', 'Age']);
  assert.deepEqual(row('', 'namespaces', obj('v1', 'Namespace', 'kube-system', { status: { phase: 'Active' } })), ['kube-system', 'Active', '2d5h']);

  assert.deepEqual(headers('', 'configmaps'), ['Name', 'Data', 'Age']);
  assert.deepEqual(row('', 'configmaps', obj('v1', 'ConfigMap', 'cm', { data: { a: '1', b: '2' }, binaryData: { c: 'AA==' } })), ['cm', 3, '2d5h']);
  assert.deepEqual(row('', 'configmaps', obj('v1', 'ConfigMap', 'empty')), ['empty', 0, '2d5h']);

  assert.deepEqual(headers('', 'secrets'), ['Name', 'Type', 'Data', 'Age']);
  assert.deepEqual(row('', 'secrets', obj('v1', 'Secret', 's', { type: 'Opaque', data: { user: 'YQ==', pass: 'Yg==' } })), ['s', 'Opaque', 2, '2d5h']);

  assert.deepEqual(headers('', 'serviceaccounts'), ['Name', 'Secrets', 'Age']);
  assert.deepEqual(row('', 'serviceaccounts', obj('v1', 'ServiceAccount', 'default')), ['default', 0, '2d5h']);
  assert.deepEqual(row('', 'serviceaccounts', obj('v1', 'ServiceAccount', 'sa', { secrets: [{ name: 'tok' }] })), ['sa', 1, '2d5h']);
});

test('events (core/v1 and events.k8s.io/v1)', () => {
  assert.deepEqual(headers('', 'events'), ['Last Seen', 'Type', 'Reason', 'Object', 'Subobject*', 'Source*', 'Message', 'First Seen*', 'Count*', 'Name*']);
  assert.equal(printerFor('', 'events').columns.find((c) => c.name === 'Name')!.format, 'name');
  const ev = obj('v1', 'Event', 'p.17a', {
    involvedObject: { kind: 'Pod', name: 'p', namespace: 'default', fieldPath: 'spec.containers{app}' },
    reason: 'Pulled',
    message: '  Container image "busybox" already present on machine\n',
    type: 'Normal',
    source: { component: 'kubelet', host: 'n1' },
    firstTimestamp: '2024-05-01T11:50:00Z',
    lastTimestamp: '2024-05-01T11:58:00Z',
    count: 4,
  });
  assert.deepEqual(row('', 'events', ev), [
    '2m',
    'Normal',
    'Pulled',
    'pod/p',
    'spec.containers{app}',
    'kubelet, n1',
    'Container image "busybox" already present on machine',
    '10m',
    4,
    'p.17a',
  ]);
  // New-style event: eventTime only, reporting controller, no count -> 1; no involved name -> kind only.
  const single = obj('v1', 'Event', 'e2', {
    involvedObject: { kind: 'Node' },
    reason: 'Starting',
    message: 'hi',
    type: 'Normal',
    eventTime: '2024-05-01T11:59:30.123456Z',
    reportingComponent: 'k8ts-scheduler',
    reportingInstance: '',
  });
  // 29.88s truncates to 29s, as Go's int(d.Seconds()) does
  assert.deepEqual(row('', 'events', single), ['29s', 'Normal', 'Starting', 'node', '', 'k8ts-scheduler', 'hi', '29s', 1, 'e2']);
  // Series: last seen and count come from the series.
  const series = obj('v1', 'Event', 'e3', {
    involvedObject: { kind: 'Pod', name: 'q' },
    type: 'Warning',
    reason: 'BackOff',
    message: 'Back-off restarting failed container',
    eventTime: '2024-05-01T11:00:00.000000Z',
    series: { count: 12, lastObservedTime: '2024-05-01T11:59:55.000000Z' },
  });
  const c3 = row('', 'events', series);
  assert.deepEqual([c3[0], c3[7], c3[8]], ['5s', '60m', 12]);
  // events.k8s.io/v1 shape maps onto the same columns.
  const ev2 = obj('events.k8s.io/v1', 'Event', 'e4', {
    regarding: { kind: 'Pod', name: 'r' },
    note: 'scheduled',
    reason: 'Scheduled',
    type: 'Normal',
    eventTime: '2024-05-01T11:59:00.000000Z',
    reportingController: 'default-scheduler',
    reportingInstance: 'default-scheduler-host',
  });
  assert.deepEqual(row('events.k8s.io', 'events', ev2), [
    '60s',
    'Normal',
    'Scheduled',
    'pod/r',
    '',
    'default-scheduler, default-scheduler-host',
    'scheduled',
    '60s',
    1,
    'e4',
  ]);
});

test('leases', () => {
  assert.deepEqual(headers('coordination.k8s.io', 'leases'), ['Name', 'Holder', 'Age']);
  assert.deepEqual(row('coordination.k8s.io', 'leases', obj('coordination.k8s.io/v1', 'Lease', 'n1', { spec: { holderIdentity: 'n1' } })), [
    'n1',
    'n1',
    '2d5h',
  ]);
  assert.deepEqual(row('coordination.k8s.io', 'leases', obj('coordination.k8s.io/v1', 'Lease', 'free', { spec: {} })), ['free', '', '2d5h']);
});

test('services', () => {
  assert.deepEqual(headers('', 'services'), ['Name', 'Type', 'Cluster-IP', 'External-IP', 'Port(s)', 'Age', 'Selector*']);
  const svc = obj('v1', 'Service', 'web', {
    spec: {
      type: 'NodePort',
      clusterIP: '10.96.0.10',
      clusterIPs: ['10.96.0.10'],
      ports: [
        { port: 80, nodePort: 30080, protocol: 'TCP' },
        { port: 53, protocol: 'UDP' },
      ],
      selector: { app: 'web', tier: 'fe' },
    },
  });
  assert.deepEqual(row('', 'services', svc), ['web', 'NodePort', '10.96.0.10', '<none>', '80:30080/TCP,53/UDP', '2d5h', 'app=web,tier=fe']);
  const lb = obj('v1', 'Service', 'lb', { spec: { type: 'LoadBalancer', clusterIPs: ['10.96.0.11'], ports: [] } });
  assert.deepEqual(row('', 'services', lb).slice(3, 5), ['<pending>', '<none>']);
});

test('unknown kinds get the default Name / Created At table', () => {
  const p = printerFor('example.com', 'widgets');
  assert.deepEqual(
    p.columns.map((c) => [c.name, c.type, c.format, c.priority]),
    [
      ['Name', 'string', 'name', 0],
      ['Created At', 'date', '', 0],
    ],
  );
  assert.deepEqual(p.cells(obj('example.com/v1', 'Widget', 'w', {}, { creationTimestamp: '2024-04-29T07:00:00.250Z' }), now), ['w', '2024-04-29T07:00:00Z']);
  assert.deepEqual(printerFor('', 'limitranges').columns.length, 2);
});
