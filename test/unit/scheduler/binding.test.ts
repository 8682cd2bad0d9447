// One writer per field: PodScheduled=True is written by pods/binding alone (the API server sets it with
// spec.nodeName); the scheduler sends nothing about a bound pod after the binding. And the scheduler shares
// its node informer with the node IPAM controller when given one factory: nodes are listed and watched once.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Event, Node, Pod } from '../../../src/api/core/v1/types.js';
import { SharedInformerFactory } from '../../../src/client/informer_factory.js';
import type { KubeClient } from '../../../src/client/rest.js';
import { NodeIpamController } from '../../../src/controllers/node_ipam.js';
import { Scheduler } from '../../../src/scheduler/scheduler.js';
import { startApi, until } from '../client/api_fixture.js';

const node = (name: string, cpu = '4'): Node => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name },
  status: { capacity: { cpu, memory: '8Gi', pods: '110' }, allocatable: { cpu, memory: '8Gi', pods: '110' }, conditions: [{ type: 'Ready', status: 'True' }] },
});
const pod = (name: string, cpu?: string): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default' },
  spec: { containers: [{ name: 'c', image: 'busybox', ...(cpu ? { resources: { requests: { cpu } } } : {}) }] },
});

async function scheduledEvent(admin: KubeClient, name: string): Promise<Event | undefined> {
  const evs = await admin.list<Event>('/api/v1/namespaces/default/events');
  return evs.items.find((e) => e.involvedObject?.name === name && e.reason === 'Scheduled');
}

describe("scheduler: PodScheduled is the binding's write", () => {
  it('after binding, the scheduler neither reads nor writes the pod; the condition comes from the binding', async () => {
    const api = await startApi();
    const sched = new Scheduler(api.client, { initialBackoffMs: 50, maxBackoffMs: 100, retryIntervalMs: 200 });
    try {
      await api.admin.create('/api/v1/nodes', node('n1'));
      sched.start();
      await sched.waitForSync();
      await api.admin.create('/api/v1/namespaces/default/pods', pod('p1'));
      await until('Scheduled event', () => scheduledEvent(api.admin, 'p1'));
      await new Promise((r) => setTimeout(r, 100));
      const aboutPod = api.client.log.filter((l) => l.includes('/pods/p1'));
      assert.deepEqual(aboutPod, ['POST /api/v1/namespaces/default/pods/p1/binding']);
      const p = await api.admin.get<Pod>('/api/v1/namespaces/default/pods/p1');
      assert.equal(p.spec?.nodeName, 'n1');
      const conds = (p.status?.conditions ?? []).filter((c) => c.type === 'PodScheduled');
      assert.equal(conds.length, 1);
      assert.equal(conds[0]!.status, 'True');
    } finally {
      await sched.stop();
      await api.close();
    }
  });

  it('an unschedulable pod gets False from the scheduler, then True from the binding only', async () => {
    const api = await startApi();
    const sched = new Scheduler(api.client, { initialBackoffMs: 50, maxBackoffMs: 100, retryIntervalMs: 200 });
    try {
      await api.admin.create('/api/v1/nodes', node('small', '1'));
      sched.start();
      await sched.waitForSync();
      await api.admin.create('/api/v1/namespaces/default/pods', pod('big', '2'));
      await until('Unschedulable', async () =>
        (await api.admin.get<Pod>('/api/v1/namespaces/default/pods/big')).status?.conditions?.some((c) => c.type === 'PodScheduled' && c.status === 'False'),
      );
      await api.admin.create('/api/v1/nodes', node('large', '8'));
      await until('Scheduled event', () => scheduledEvent(api.admin, 'big'));
      await new Promise((r) => setTimeout(r, 100));
      const writes = api.client.log.filter((l) => l.includes('/pods/big') && !l.startsWith('GET'));
      assert.deepEqual(writes, ['PATCH /api/v1/namespaces/default/pods/big/status', 'POST /api/v1/namespaces/default/pods/big/binding']);
      const p = await api.admin.get<Pod>('/api/v1/namespaces/default/pods/big');
      const c = p.status?.conditions?.find((x) => x.type === 'PodScheduled');
      assert.equal(c?.status, 'True');
      assert.equal(c?.reason, undefined);
    } finally {
      await sched.stop();
      await api.close();
    }
  });

  it('with one factory, the scheduler and the node IPAM controller share one list+watch of nodes', async () => {
    const api = await startApi();
    const factory = new SharedInformerFactory(api.client);
    const sched = new Scheduler(api.client, { factory });
    const ipam = new NodeIpamController(api.client, { clusterCIDR: '10.244.0.0/16', nodeMaskSize: 24 }, { factory });
    try {
      sched.start();
      ipam.start();
      await sched.waitForSync();
      await ipam.waitForCacheSync();
      await api.admin.create('/api/v1/nodes', node('n1'));
      await until('podCIDR', async () => (await api.admin.get<Node>('/api/v1/nodes/n1')).spec?.podCIDR);
      assert.equal(api.client.count('GET /api/v1/nodes?'), 1);
      assert.equal(api.client.count('WATCH /api/v1/nodes?'), 1);
    } finally {
      await sched.stop();
      await ipam.stop();
      await factory.shutdown();
      await api.close();
    }
  });
});
