// kubectl logs on real containers: through the API server's pods/log proxy to the node's log endpoint —
// -c, --tail, --timestamps, --previous after a restart, -f seeing new lines, and upstream errors.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { TestCluster } from '../../helpers/cluster.js';
import { waitFor } from '../../helpers/cluster.js';
import { apply, containerStatus, hostCanRunPods, isRunningReady, useAgentCluster, waitPod } from './helpers.js';

const skip = hostCanRunPods() ? false : 'needs root, runc, conmon, catatonit, CNI plugins and busybox-static';

describe('kubelet: kubectl logs', { skip, concurrency: 1 }, () => {
  let c: TestCluster;
  useAgentCluster((x) => (c = x));

  it('prints stdout and stderr of each container, with -c, --tail and --timestamps', async () => {
    await apply(
      c,
      `apiVersion: v1
kind: Pod
metadata: {name: talk}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: a
    image: busybox:1.35
    command: ["sh", "-c", "echo one; sleep 0.2; echo two >&2; sleep 0.2; echo three; exec sleep 3600"]
  - name: b
    image: busybox:1.35
    command: ["sh", "-c", "echo from-b; exec sleep 3600"]
`,
    );
    await waitPod(c, 'talk', isRunningReady);
    await waitFor(async () => (await c.kubectl(['logs', 'talk', '-c', 'a'])).stdout.includes('three'));
    assert.equal(await c.k(['logs', 'talk', '-c', 'a']), 'one\ntwo\nthree\n');
    assert.equal(await c.k(['logs', 'talk', '-c', 'b']), 'from-b\n');
    assert.equal(await c.k(['logs', 'talk', '-c', 'a', '--tail=1']), 'three\n');
    const ts = await c.k(['logs', 'talk', '-c', 'a', '--timestamps']);
    assert.match(ts, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z one$/m);
    const bad = await c.kubectl(['logs', 'talk', '-c', 'nope']);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /container nope is not valid for pod talk/);
  });

  it('follows new lines with -f', async () => {
    await apply(
      c,
      `apiVersion: v1
kind: Pod
metadata: {name: ticker}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: t
    image: busybox:1.35
    command: ["sh", "-c", "i=0; while true; do echo tick $i; i=$((i+1)); sleep 0.2; done"]
`,
    );
    await waitPod(c, 'ticker', isRunningReady);
    const child = spawn('kubectl', ['--kubeconfig', c.kubeconfig, 'logs', '-f', 'ticker'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    try {
      await waitFor(async () => /tick 8/.test(out), 15_000);
      const lines = out.trim().split('\n');
      lines.forEach((l, i) => assert.equal(l, `tick ${i}`));
    } finally {
      child.kill();
    }
  });

  it('shows the previous container with --previous after a restart', async () => {
    await apply(
      c,
      `apiVersion: v1
kind: Pod
metadata: {name: again}
spec:
  containers:
  - name: x
    image: busybox:1.35
    command: ["sh", "-c", "echo run-$(cat /proc/sys/kernel/random/uuid); exit 1"]
`,
    );
    const p = await waitPod(c, 'again', (p) => (containerStatus(p, 'x')?.restartCount ?? 0) >= 1, 30_000);
    assert.ok(containerStatus(p, 'x').restartCount >= 1);
    const prev = await c.k(['logs', 'again', '--previous']);
    assert.match(prev, /^run-[0-9a-f-]{36}\n$/);
    const cur = await c.kubectl(['logs', 'again']);
    if (cur.code === 0) assert.notEqual(cur.stdout, prev, 'the current attempt logs its own run id');
  });
});
