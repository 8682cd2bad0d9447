// Node status tells the truth, on a real node agent: capacity from the machine (cpu, memory, pods,
// ephemeral-storage), allocatable less the hard eviction thresholds, the images list, and — with
// --eviction-hard set above what the machine has, to force memory pressure — MemoryPressure True, the
// memory-pressure NoSchedule taint, and node-pressure eviction of the BestEffort pod before the Burstable one
// (phase Failed, reason Evicted, upstream's message, a Warning Evicted event).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TestCluster } from '../../helpers/cluster.js';
import { waitFor } from '../../helpers/cluster.js';
import { quantityToBytes } from '../../../src/api/quantity.js';
import { hostCanRunPods, useAgentCluster } from './helpers.js';

const skip = !hostCanRunPods() && 'needs root, runc, conmon, catatonit and the CNI plugins';
let c: TestCluster;
if (!skip) useAgentCluster((x) => (c = x), ['--eviction-hard', 'memory.available<1000Ti,nodefs.available<1%']);

const pod = (name: string, resources: string) => `apiVersion: v1
kind: Pod
metadata: {name: ${name}}
spec:
  nodeName: NODE
  terminationGracePeriodSeconds: 1
  containers:
  - name: c
    image: busybox:1.35
    imagePullPolicy: Never
    command: ["sleep", "3600"]
${resources}`;

test('capacity, allocatable, images, MemoryPressure and node-pressure eviction (BestEffort first)', { skip }, async () => {
  const node = (await c.api('GET', '/api/v1/nodes')).body.items[0];
  const name = node.metadata.name;
  for (const k of ['cpu', 'memory', 'pods', 'ephemeral-storage']) assert.ok(node.status.capacity[k], k);
  // the 1000Ti threshold leaves nothing allocatable; nodefs.available<1% takes 1% off ephemeral-storage
  assert.equal(quantityToBytes(node.status.allocatable.memory), 0);
  assert.ok(quantityToBytes(node.status.allocatable['ephemeral-storage']) < quantityToBytes(node.status.capacity['ephemeral-storage']));

  const both = [pod('besteffort', ''), pod('burstable', '    resources: {requests: {memory: 64Mi}}\n')].join('---\n').replaceAll('NODE', name);
  await c.k(['apply', '-f', '-'], { input: both });

  const pressured = await waitFor(async () => {
    const n = (await c.api('GET', `/api/v1/nodes/${name}`)).body;
    const mp = n.status.conditions.find((x: any) => x.type === 'MemoryPressure');
    return mp?.status === 'True' && n.spec.taints?.some((t: any) => t.key === 'node.kubernetes.io/memory-pressure') ? n : undefined;
  }, 40_000);
  const mp = pressured.status.conditions.find((x: any) => x.type === 'MemoryPressure');
  assert.deepEqual([mp.reason, mp.message], ['KubeletHasInsufficientMemory', 'kubelet has insufficient memory available']);
  assert.equal(pressured.status.conditions.find((x: any) => x.type === 'DiskPressure').status, 'False');
  assert.ok(
    pressured.status.images.some((i: any) => i.names.some((n: string) => n.includes('busybox'))),
    'the images list has busybox',
  );

  const get = async (n: string) => (await c.api('GET', `/api/v1/namespaces/default/pods/${n}`)).body;
  const first = await waitFor(async () => {
    const [be, bu] = [await get('besteffort'), await get('burstable')];
    if (be.status.phase === 'Failed' || bu.status.phase === 'Failed') return { be, bu };
    return undefined;
  }, 40_000);
  assert.equal(first.be.status.phase, 'Failed', 'the BestEffort pod goes first');
  assert.notEqual(first.bu.status.phase, 'Failed');
  assert.equal(first.be.status.reason, 'Evicted');
  assert.match(first.be.status.message, /^The node was low on resource: memory\. Threshold quantity: 1000Ti, available: \S+\. $/);
  const table = await c.k(['get', 'pod', 'besteffort']);
  assert.match(table, /^besteffort\s+[01]\/1\s+Evicted\s/m);
  const events = await c.k(['get', 'events', '--field-selector', 'involvedObject.name=besteffort,reason=Evicted']);
  assert.match(events, /The node was low on resource: memory/);
  // the Burstable pod is next while the pressure lasts
  await waitFor(async () => (await get('burstable')).status.phase === 'Failed', 40_000);
});
