// Simulated nodes against a real in-process API server with the real scheduler: sim-* nodes registered Ready
// with zones, capacity and the k8ts.io/simulated label, leases renewed, pods spread over the zones by the
// scheduler go Running/Ready with fake IPs, and deleted pods disappear at once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createApiServer, bootstrapSystemNamespaces } from '../../src/apiserver/assemble.js';
import type { ApiServer } from '../../src/apiserver/server.js';
import { openStorage } from '../../src/storage/index.js';
import { KubeClient } from '../../src/client/rest.js';
import { Scheduler } from '../../src/scheduler/scheduler.js';
import { SimulatedNodes } from '../../src/sim/simulated_nodes.js';
import type { Node, Pod } from '../../src/api/core/v1/types.js';

let api: ApiServer;
let client: KubeClient;
let scheduler: Scheduler;
let sim: SimulatedNodes;

async function waitFor<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

before(async () => {
  api = createApiServer(openStorage('memory'));
  await bootstrapSystemNamespaces(api);
  const addr = await api.listen('127.0.0.1', 0);
  client = new KubeClient({ server: `http://127.0.0.1:${addr.port}`, userAgent: 'k8ts-sim-test' });
  sim = new SimulatedNodes(client, { nodes: 6, zones: 3, podsPerNode: 4, heartbeatMs: 300 });
  await sim.start();
  scheduler = new Scheduler(client, { initialBackoffMs: 100, maxBackoffMs: 500 });
  scheduler.start();
  await scheduler.waitForSync();
});

after(async () => {
  await scheduler?.stop();
  await sim?.stop({ deleteNodes: true });
  client?.close();
  await api?.close();
});

test('simulated nodes are registered Ready, labelled and heartbeating', async () => {
  const nodes = await client.list<Node>('/api/v1/nodes?labelSelector=k8ts.io%2Fsimulated%3Dtrue');
  assert.equal(nodes.items.length, 6);
  const n0 = nodes.items.find((n) => n.metadata.name === 'sim-00000')!;
  assert.equal(n0.metadata.labels!['topology.kubernetes.io/zone'], 'zone-0');
  assert.equal(n0.status?.allocatable?.pods, '4');
  assert.equal(n0.status?.conditions?.find((c) => c.type === 'Ready')?.status, 'True');
  const first = await client.get<{ spec: { renewTime: string } }>('/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/sim-00000');
  await waitFor('a renewed lease', async () => {
    const l = await client.get<{ spec: { renewTime: string } }>('/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/sim-00000');
    return l.spec.renewTime !== first.spec.renewTime;
  });
});

test('pods spread over the zones run with fake IPs; deleted pods go at once', async () => {
  for (let i = 0; i < 6; i++) {
    await client.create('/api/v1/namespaces/default/pods', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `w${i}`, labels: { app: 'w' } },
      spec: {
        containers: [{ name: 'c', image: 'busybox' }],
        topologySpreadConstraints: [
          { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'w' } } },
        ],
      },
    });
  }
  const pods = await waitFor('6 running pods', async () => {
    const l = await client.list<Pod>('/api/v1/namespaces/default/pods?labelSelector=app%3Dw');
    return l.items.every((p) => p.status?.phase === 'Running') && l.items.length === 6 ? l.items : undefined;
  });
  const zones = new Map<string, number>();
  for (const p of pods) {
    assert.match(p.status!.podIP!, /^100\.\d+\.\d+\.\d+$/);
    assert.equal(p.status!.conditions!.find((c) => c.type === 'Ready')?.status, 'True');
    const z = `zone-${Number(p.spec!.nodeName!.slice(4)) % 3}`;
    zones.set(z, (zones.get(z) ?? 0) + 1);
  }
  assert.deepEqual([...zones.values()], [2, 2, 2], 'two per zone under maxSkew 1');
  await client.delete('/api/v1/namespaces/default/pods/w0');
  await waitFor('w0 gone', async () => {
    const l = await client.list<Pod>('/api/v1/namespaces/default/pods?labelSelector=app%3Dw');
    return l.items.length === 5;
  });
});
