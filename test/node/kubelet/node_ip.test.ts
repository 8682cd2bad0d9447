// A `k8ts server` that runs its own node and is advertised to other machines (--listen 0.0.0.0
// --advertise-address IP, as for joining agents): its node's InternalIP is the advertised address, not loopback,
// so other nodes can route its pods; its endpoint listens there and the API server reaches it (kubectl logs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import os from 'node:os';
import type { TestCluster } from '../../helpers/cluster.js';
import { waitFor } from '../../helpers/cluster.js';
import { hostCanRunPods, useAgentCluster } from './helpers.js';

// one of this machine's own addresses, not on a bridge some test cluster or lab made
const own = Object.entries(os.networkInterfaces())
  .filter(([name]) => !name.startsWith('k8ts'))
  .flatMap(([, addrs]) => addrs ?? [])
  .find((a) => a.family === 'IPv4' && !a.internal)?.address;
const skip = (!hostCanRunPods() && 'needs root, runc, conmon, catatonit and the CNI plugins') || (!own && 'no non-loopback IPv4 address');
let c: TestCluster;
if (!skip) useAgentCluster((x) => (c = x), ['--listen', '0.0.0.0:0', '--advertise-address', own!]);

test("the server's own node takes the advertised address as InternalIP; logs come through it", { skip }, async () => {
  const node = (await c.api('GET', '/api/v1/nodes')).body.items[0];
  assert.equal(node.status.addresses.find((a: any) => a.type === 'InternalIP').address, own);
  await c.k(['apply', '-f', '-'], {
    input: `apiVersion: v1
kind: Pod
metadata: {name: hello}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - {name: c, image: busybox:1.35, imagePullPolicy: Never, command: ["sh", "-c", "echo hello from the node; sleep 3600"]}
`,
  });
  const logs = await waitFor(
    async () => {
      const r = await c.kubectl(['logs', 'hello']);
      return r.code === 0 && r.stdout.includes('hello from the node') ? r.stdout : undefined;
    },
    60_000,
    250,
  );
  assert.equal(logs, 'hello from the node\n');
});
