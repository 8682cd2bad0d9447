// Pod printer: READY / STATUS / RESTARTS cases following upstream printPod, plus the wide columns.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../src/api/types.js';
import { buildTable, printerFor, summarizePod } from '../../../src/apiserver/printers/index.js';

const now = new Date('2024-05-01T12:00:00Z');
const ago = (ms: number) => new Date(now.getTime() - ms).toISOString();
const MIN = 60_000;

function pod(spec: Record<string, unknown>, status: Record<string, unknown>, meta: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'default', creationTimestamp: ago(10 * MIN), ...meta },
    spec: { containers: [{ name: 'app', image: 'busybox' }], ...spec },
    status,
  };
}

const running = { running: { startedAt: ago(MIN) } };
const cs = (name: string, state: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  name,
  ready: false,
  restartCount: 0,
  state,
  lastState: {},
  ...extra,
});

function cells(p: KubeObject): unknown[] {
  return printerFor('', 'pods').cells(p, now);
}

test('pod columns match upstream names, types and priorities', () => {
  const cols = printerFor('', 'pods').columns.map((c) => [c.name, c.type, c.priority, c.format]);
  assert.deepEqual(cols, [
    ['Name', 'string', 0, 'name'],
    ['Ready', 'string', 0, ''],
    ['Status', 'string', 0, ''],
    ['Restarts', 'string', 0, ''],
    ['Age', 'string', 0, ''],
    ['IP', 'string', 1, ''],
    ['Node', 'string', 1, ''],
    ['Nominated Node', 'string', 1, ''],
    ['Readiness Gates', 'string', 1, ''],
  ]);
});

test('running ready pod: full row incl. wide columns', () => {
  const p = pod(
    { nodeName: 'node-1' },
    {
      phase: 'Running',
      podIP: '10.244.0.5',
      podIPs: [{ ip: '10.244.0.5' }],
      conditions: [{ type: 'Ready', status: 'True' }],
      containerStatuses: [cs('app', running, { ready: true })],
    },
  );
  assert.deepEqual(cells(p), ['p', '1/1', 'Running', '0', '10m', '10.244.0.5', 'node-1', '<none>', '<none>']);
});

test('Pending with no statuses; wide defaults are <none>', () => {
  assert.deepEqual(cells(pod({}, { phase: 'Pending' })), ['p', '0/1', 'Pending', '0', '10m', '<none>', '<none>', '<none>', '<none>']);
});

test('SchedulingGated overrides the phase', () => {
  const p = pod({}, { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] });
  assert.equal(summarizePod(p).status, 'SchedulingGated');
});

test('status.reason wins over phase (e.g. Evicted)', () => {
  assert.equal(summarizePod(pod({}, { phase: 'Failed', reason: 'Evicted' })).status, 'Evicted');
});

test('CrashLoopBackOff with restarts and "(5m ago)"', () => {
  const p = pod(
    {},
    {
      phase: 'Running',
      containerStatuses: [
        cs(
          'app',
          { waiting: { reason: 'CrashLoopBackOff' } },
          {
            restartCount: 5,
            lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: ago(5 * MIN) } },
          },
        ),
      ],
    },
  );
  const c = cells(p);
  assert.equal(c[1], '0/1');
  assert.equal(c[2], 'CrashLoopBackOff');
  assert.equal(c[3], '5 (5m ago)');
});

test('restarts without a known last termination time print the bare count', () => {
  const p = pod({}, { phase: 'Running', containerStatuses: [cs('app', running, { ready: true, restartCount: 2 })] });
  assert.equal(cells(p)[3], '2');
});

test('waiting reasons: ContainerCreating, ErrImagePull, ImagePullBackOff', () => {
  for (const reason of ['ContainerCreating', 'ErrImagePull', 'ImagePullBackOff']) {
    const p = pod({}, { phase: 'Pending', containerStatuses: [cs('app', { waiting: { reason } })] });
    assert.equal(summarizePod(p).status, reason);
    assert.equal(summarizePod(p).ready, '0/1');
  }
});

test('terminated reasons: Completed, Error, OOMKilled; ExitCode:N and Signal:N without a reason', () => {
  const term = (t: Record<string, unknown>, phase: string) => summarizePod(pod({}, { phase, containerStatuses: [cs('app', { terminated: t })] })).status;
  assert.equal(term({ exitCode: 0, reason: 'Completed' }, 'Succeeded'), 'Completed');
  assert.equal(term({ exitCode: 1, reason: 'Error' }, 'Failed'), 'Error');
  assert.equal(term({ exitCode: 137, reason: 'OOMKilled' }, 'Running'), 'OOMKilled');
  assert.equal(term({ exitCode: 3 }, 'Failed'), 'ExitCode:3');
  assert.equal(term({ exitCode: 0, signal: 9 }, 'Failed'), 'Signal:9');
});

test('Succeeded/Failed pods carry a Completed row condition', () => {
  const done = pod({}, { phase: 'Succeeded', containerStatuses: [cs('app', { terminated: { exitCode: 0, reason: 'Completed' } })] });
  const t = buildTable(printerFor('', 'pods'), [done, pod({}, { phase: 'Running' })], { includeObject: 'None', now });
  assert.deepEqual(t.rows[0]!.conditions, [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }]);
  assert.equal(t.rows[1]!.conditions, undefined);
});

test('one container completed, another still running: Running if pod Ready, else NotReady', () => {
  const spec = { containers: [{ name: 'a' }, { name: 'b' }] };
  const statuses = [cs('a', running, { ready: true }), cs('b', { terminated: { exitCode: 0, reason: 'Completed' } })];
  const ready = pod(spec, { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: statuses });
  const notReady = pod(spec, { phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }], containerStatuses: statuses });
  assert.deepEqual([summarizePod(ready).status, summarizePod(ready).ready], ['Running', '1/2']);
  assert.deepEqual([summarizePod(notReady).status, summarizePod(notReady).ready], ['NotReady', '1/2']);
});

test('Init:0/2 and Init:1/2 while init containers run', () => {
  const spec = { initContainers: [{ name: 'i1' }, { name: 'i2' }] };
  const first = pod(spec, {
    phase: 'Pending',
    initContainerStatuses: [cs('i1', running), cs('i2', { waiting: { reason: 'PodInitializing' } })],
    containerStatuses: [cs('app', { waiting: { reason: 'PodInitializing' } })],
  });
  assert.equal(summarizePod(first).status, 'Init:0/2');
  const second = pod(spec, {
    phase: 'Pending',
    initContainerStatuses: [cs('i1', { terminated: { exitCode: 0, reason: 'Completed' } }), cs('i2', running)],
  });
  assert.equal(summarizePod(second).status, 'Init:1/2');
  // A waiting "PodInitializing" init container still counts as Init:N/M.
  const waitingInit = pod(spec, { phase: 'Pending', initContainerStatuses: [cs('i1', { waiting: { reason: 'PodInitializing' } })] });
  assert.equal(summarizePod(waitingInit).status, 'Init:0/2');
});

test('Init:CrashLoopBackOff counts init restarts; Init:Error, Init:ExitCode:N, Init:Signal:N', () => {
  const spec = { initContainers: [{ name: 'i1' }] };
  const p = pod(spec, {
    phase: 'Pending',
    initContainerStatuses: [
      cs(
        'i1',
        { waiting: { reason: 'CrashLoopBackOff' } },
        {
          restartCount: 3,
          lastState: { terminated: { exitCode: 1, finishedAt: ago(2 * MIN) } },
        },
      ),
    ],
    containerStatuses: [cs('app', { waiting: { reason: 'PodInitializing' } })],
  });
  const c = cells(p);
  assert.equal(c[2], 'Init:CrashLoopBackOff');
  assert.equal(c[3], '3 (2m ago)');
  const initTerm = (t: Record<string, unknown>) => summarizePod(pod(spec, { phase: 'Pending', initContainerStatuses: [cs('i1', { terminated: t })] })).status;
  assert.equal(initTerm({ exitCode: 1, reason: 'Error' }), 'Init:Error');
  assert.equal(initTerm({ exitCode: 2 }), 'Init:ExitCode:2');
  assert.equal(initTerm({ exitCode: 143, signal: 15 }), 'Init:Signal:15');
  // exit code 0 means the init container finished, whatever the signal field says
  assert.equal(initTerm({ exitCode: 0, signal: 15 }), 'Pending');
});

test('sidecar (restartable init) containers count toward READY and RESTARTS', () => {
  const spec = {
    initContainers: [{ name: 'sidecar', restartPolicy: 'Always' }, { name: 'setup' }],
    containers: [{ name: 'app' }],
  };
  const p = pod(spec, {
    phase: 'Running',
    conditions: [
      { type: 'Initialized', status: 'True' },
      { type: 'Ready', status: 'True' },
    ],
    initContainerStatuses: [
      cs('sidecar', running, { ready: true, started: true, restartCount: 1, lastState: { terminated: { exitCode: 1, finishedAt: ago(3 * MIN) } } }),
      cs('setup', { terminated: { exitCode: 0, reason: 'Completed' } }, { restartCount: 2 }),
    ],
    containerStatuses: [cs('app', running, { ready: true, restartCount: 4, lastState: { terminated: { exitCode: 1, finishedAt: ago(20 * 1000) } } })],
  });
  const c = cells(p);
  assert.equal(c[1], '2/2');
  assert.equal(c[2], 'Running');
  // Once initialized, regular init-container restarts (2) no longer count: 1 (sidecar) + 4 (app).
  assert.equal(c[3], '5 (20s ago)');

  // A sidecar not yet started blocks initialization like any init container.
  const starting = pod(spec, {
    phase: 'Pending',
    initContainerStatuses: [cs('sidecar', running, { started: false }), cs('setup', { waiting: { reason: 'PodInitializing' } })],
  });
  assert.deepEqual([summarizePod(starting).status, summarizePod(starting).ready], ['Init:0/2', '0/2']);
});

test('Terminating when deletionTimestamp is set; Unknown for NodeLost; terminal phases keep their status', () => {
  const deleting = { deletionTimestamp: ago(MIN) };
  const live = pod({}, { phase: 'Running', containerStatuses: [cs('app', running, { ready: true })] }, deleting);
  assert.equal(summarizePod(live).status, 'Terminating');
  const lost = pod({}, { phase: 'Running', reason: 'NodeLost' }, deleting);
  assert.equal(summarizePod(lost).status, 'Unknown');
  const done = pod({}, { phase: 'Succeeded', containerStatuses: [cs('app', { terminated: { exitCode: 0, reason: 'Completed' } })] }, deleting);
  assert.equal(summarizePod(done).status, 'Completed');
});

test('readiness gates and nominated node in wide columns', () => {
  const p = pod(
    { readinessGates: [{ conditionType: 'example.com/a' }, { conditionType: 'example.com/b' }] },
    {
      phase: 'Pending',
      nominatedNodeName: 'node-2',
      conditions: [
        { type: 'example.com/a', status: 'True' },
        { type: 'example.com/b', status: 'False' },
      ],
    },
  );
  const c = cells(p);
  assert.equal(c[7], 'node-2');
  assert.equal(c[8], '1/2');
});
