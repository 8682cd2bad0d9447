// The scheduler against a real in-process API server (memory storage): binding by selector and resources,
// the Unschedulable condition and FailedScheduling event with upstream wording, and a pending pod that
// gets bound once a fitting node is added.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createApiServer, bootstrapSystemNamespaces } from '../../src/apiserver/assemble.js';
import type { ApiServer } from '../../src/apiserver/server.js';
import { openStorage, type Storage } from '../../src/storage/index.js';
import { KubeClient } from '../../src/client/rest.js';
import { Scheduler } from '../../src/scheduler/scheduler.js';
import type { Event, Node, Pod } from '../../src/api/core/v1/types.js';

let storage: Storage;
let api: ApiServer;
let client: KubeClient;
let scheduler: Scheduler;
const NS = 'default';

function node(name: string, labels: Record<string, string>, cpu: string, memory: string): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...labels } },
    status: {
      capacity: { cpu, memory, pods: '110' },
      allocatable: { cpu, memory, pods: '110' },
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' }],
    },
  };
}

function pod(name: string, o: { requests?: Record<string, string>; nodeSelector?: Record<string, string>; schedulerName?: string } = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: NS },
    spec: {
      containers: [{ name: 'c', image: 'busybox', ...(o.requests ? { resources: { requests: o.requests } } : {}) }],
      ...(o.nodeSelector ? { nodeSelector: o.nodeSelector } : {}),
      ...(o.schedulerName ? { schedulerName: o.schedulerName } : {}),
    },
  };
}

async function getPod(name: string): Promise<Pod> {
  return client.get<Pod>(`/api/v1/namespaces/${NS}/pods/${name}`);
}

async function eventsFor(name: string): Promise<Event[]> {
  const list = await client.list<Event>(`/api/v1/namespaces/${NS}/events`);
  return list.items.filter((e) => e.involvedObject?.name === name && e.involvedObject?.kind === 'Pod');
}

async function waitFor<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

before(async () => {
  storage = openStorage('memory');
  api = createApiServer(storage);
  await bootstrapSystemNamespaces(api);
  const addr = await api.listen('127.0.0.1', 0);
  client = new KubeClient({ server: `http://127.0.0.1:${addr.port}`, userAgent: 'k8ts-scheduler-test' });
  await client.create('/api/v1/nodes', node('small', { disk: 'hdd' }, '1', '1Gi'));
  await client.create('/api/v1/nodes', node('big', { disk: 'hdd' }, '4', '8Gi'));
  await client.create('/api/v1/nodes', node('ssd-1', { disk: 'ssd' }, '2', '2Gi'));
  // its log goes to stderr at K8TS_LOG_LEVEL (default info; debug shows each node's filter verdict)
  scheduler = new Scheduler(client, { initialBackoffMs: 100, maxBackoffMs: 500, retryIntervalMs: 1000 });
  scheduler.start();
  await scheduler.waitForSync();
});

after(async () => {
  await scheduler?.stop();
  client?.close();
  await api?.close();
  await storage?.close();
});

test('binds by nodeSelector and sets PodScheduled=True, with a Scheduled event', async () => {
  await client.create(`/api/v1/namespaces/${NS}/pods`, pod('wants-ssd', { nodeSelector: { disk: 'ssd' } }));
  const bound = await waitFor('wants-ssd bound', async () => {
    const p = await getPod('wants-ssd');
    return p.spec?.nodeName ? p : undefined;
  });
  assert.equal(bound.spec?.nodeName, 'ssd-1');
  const cond = await waitFor('PodScheduled=True', async () =>
    (await getPod('wants-ssd')).status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'True'),
  );
  assert.equal(cond.reason, undefined);
  const ev = await waitFor('Scheduled event', async () => (await eventsFor('wants-ssd')).find((e) => e.reason === 'Scheduled'));
  assert.equal(ev.type, 'Normal');
  assert.equal(ev.message, `Successfully assigned ${NS}/wants-ssd to ssd-1`);
  assert.equal(ev.source?.component, 'default-scheduler');
  assert.equal(ev.involvedObject.uid, bound.metadata.uid);
  assert.equal(ev.count, 1);
  assert.match(ev.metadata.name!, /^wants-ssd\.[0-9a-f]+$/);
});

test('binds by resources: only the big node fits', async () => {
  await client.create(`/api/v1/namespaces/${NS}/pods`, pod('needs-3cpu', { requests: { cpu: '3', memory: '1Gi' } }));
  const bound = await waitFor('needs-3cpu bound', async () => {
    const p = await getPod('needs-3cpu');
    return p.spec?.nodeName ? p : undefined;
  });
  assert.equal(bound.spec?.nodeName, 'big');
  // "big" now has 1 cpu left: a second 3-cpu pod (no selector) fits nowhere on cpu
});

test('unfitting pod gets PodScheduled=False/Unschedulable and FailedScheduling, then binds when a node appears', async () => {
  await client.create(`/api/v1/namespaces/${NS}/pods`, pod('huge', { requests: { cpu: '6' }, nodeSelector: { disk: 'hdd' } }));
  const expected =
    "0/3 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 2 Insufficient cpu. " +
    'preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.';
  const cond = await waitFor('PodScheduled=False', async () =>
    (await getPod('huge')).status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False'),
  );
  assert.equal(cond.reason, 'Unschedulable');
  assert.equal(cond.message, expected);
  assert.ok(cond.lastTransitionTime);
  const ev = await waitFor('FailedScheduling event', async () => (await eventsFor('huge')).find((e) => e.reason === 'FailedScheduling'));
  assert.equal(ev.type, 'Warning');
  assert.equal(ev.message, expected);
  assert.equal(ev.source?.component, 'default-scheduler');
  assert.equal((await getPod('huge')).spec?.nodeName, undefined);

  await client.create('/api/v1/nodes', node('huge-node', { disk: 'hdd' }, '8', '16Gi'));
  const bound = await waitFor('huge bound', async () => {
    const p = await getPod('huge');
    return p.spec?.nodeName ? p : undefined;
  });
  assert.equal(bound.spec?.nodeName, 'huge-node');
  const conds = await waitFor('PodScheduled flipped to True', async () => {
    const cs = (await getPod('huge')).status?.conditions ?? [];
    return cs.find((c) => c.type === 'PodScheduled')?.status === 'True' ? cs : undefined;
  });
  const ps = conds.filter((c) => c.type === 'PodScheduled');
  assert.equal(ps.length, 1, 'one PodScheduled condition, merged by type');
  assert.equal(ps[0]!.reason, undefined, 'Unschedulable reason cleared');
  assert.equal(ps[0]!.message, undefined);
  const scheduled = await waitFor('Scheduled event', async () => (await eventsFor('huge')).find((e) => e.reason === 'Scheduled'));
  assert.equal(scheduled.message, `Successfully assigned ${NS}/huge to huge-node`);
});

test('repeated failures aggregate into one event with a growing count', async () => {
  await client.create(`/api/v1/namespaces/${NS}/pods`, pod('nowhere', { nodeSelector: { disk: 'tape' } }));
  const ev = await waitFor(
    'FailedScheduling count >= 2',
    async () => {
      const evs = (await eventsFor('nowhere')).filter((e) => e.reason === 'FailedScheduling');
      return evs.length === 1 && (evs[0]!.count ?? 0) >= 2 ? evs[0] : undefined;
    },
    15_000,
  );
  assert.equal(
    ev.message,
    "0/4 nodes are available: 4 node(s) didn't match Pod's node affinity/selector. preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling.",
  );
  assert.notEqual(ev.firstTimestamp, undefined);
});

test('pods for another scheduler are left alone; existing pods count against nodes', async () => {
  await client.create(`/api/v1/namespaces/${NS}/pods`, pod('other', { schedulerName: 'my-scheduler' }));
  // fill ssd-1 (2 cpu): one pod of 1500m fits, a second one must not
  await client.create(`/api/v1/namespaces/${NS}/pods`, pod('ssd-a', { requests: { cpu: '1500m' }, nodeSelector: { disk: 'ssd' } }));
  await waitFor('ssd-a bound', async () => (await getPod('ssd-a')).spec?.nodeName === 'ssd-1');
  await client.create(`/api/v1/namespaces/${NS}/pods`, pod('ssd-b', { requests: { cpu: '1500m' }, nodeSelector: { disk: 'ssd' } }));
  const cond = await waitFor('ssd-b unschedulable', async () =>
    (await getPod('ssd-b')).status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False'),
  );
  assert.equal(
    cond.message,
    "0/4 nodes are available: 1 Insufficient cpu, 3 node(s) didn't match Pod's node affinity/selector. preemption: 0/4 nodes are available: 1 No preemption victims found for incoming pod, 3 Preemption is not helpful for scheduling.",
  );
  // deleting ssd-a frees the node; ssd-b follows
  await client.delete(`/api/v1/namespaces/${NS}/pods/ssd-a`, { gracePeriodSeconds: 0 });
  await waitFor('ssd-b bound after delete', async () => (await getPod('ssd-b')).spec?.nodeName === 'ssd-1');
  const other = await getPod('other');
  assert.equal(other.spec?.nodeName, undefined);
  assert.equal(
    other.status?.conditions?.find((c) => c.type === 'PodScheduled'),
    undefined,
  );
  const list = await client.list<Event>(`/api/v1/namespaces/${NS}/events`);
  assert.equal(list.items.filter((e) => e.involvedObject?.name === 'other').length, 0);
});
