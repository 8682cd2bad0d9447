// Resource metrics end to end on a real node agent: a busy busybox pod's cgroup usage reaches
// /stats/summary, metrics.k8s.io and `kubectl top pods/nodes` (1.33 and 1.27) with non-zero numbers.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { TestCluster } from '../../helpers/cluster.js';
import { waitFor } from '../../helpers/cluster.js';
import { hostCanRunPods, useAgentCluster, waitPod } from '../kubelet/helpers.js';

const BUSY_POD = `apiVersion: v1
kind: Pod
metadata:
  name: busy
  labels: {app: busy}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: spin
    image: busybox:1.35
    command: ["sh", "-c", "while true; do :; done"]
    resources:
      requests: {cpu: 100m, memory: 16Mi}
      limits: {cpu: 200m, memory: 32Mi}
`;

/** "123m" → 123, "1" → 1000 (kubectl top's CPU column). */
const milli = (s: string) => (s.endsWith('m') ? Number(s.slice(0, -1)) : Number(s) * 1000);
/** "5Mi" → 5 (kubectl top's MEMORY column). */
const mebi = (s: string) => Number(s.replace(/Mi$/, ''));

describe('kubectl top', { skip: !hostCanRunPods() && 'needs root and the container runtime' }, () => {
  let c!: TestCluster;
  useAgentCluster((x) => (c = x));

  it('serves metrics.k8s.io in discovery', async () => {
    const out = await c.k(['api-resources', '--api-group=metrics.k8s.io', '--no-headers']);
    assert.match(out, /^nodes\s+metrics\.k8s\.io\/v1beta1\s+false\s+NodeMetrics$/m);
    assert.match(out, /^pods\s+metrics\.k8s\.io\/v1beta1\s+true\s+PodMetrics$/m);
  });

  it('shows a busy pod with CPU near its limit and memory in use', async () => {
    await c.k(['apply', '-f', '-'], { input: BUSY_POD });
    await waitPod(c, 'busy', (p) => p.status?.phase === 'Running');
    // the pod's CPU is capped at 200m; once the loop runs, top shows most of it
    const row = await waitFor(
      async () => {
        const r = await c.kubectl(['top', 'pod', 'busy', '--no-headers']);
        const f = r.stdout.trim().split(/\s+/);
        return r.code === 0 && f[0] === 'busy' && milli(f[1]) >= 50 ? f : undefined;
      },
      40_000,
      1000,
    );
    assert.ok(milli(row[1]) <= 260, `cpu ${row[1]} within the 200m limit (plus measuring noise)`);
    assert.ok(mebi(row[2]) >= 0, `memory ${row[2]}`);

    const containers = await c.k(['top', 'pod', 'busy', '--containers', '--no-headers']);
    assert.match(containers, /^busy\s+spin\s+\d+m\s+\d+Mi\s*$/m);

    const all = await c.k(['top', 'pods', '-A', '-l', 'app=busy']);
    assert.match(all, /^NAMESPACE\s+NAME\s+CPU\(cores\)\s+MEMORY\(bytes\)/);
    assert.match(all, /^default\s+busy\s+\d+m\s+\d+Mi/m);

    const old = await c.kubectl(['top', 'pod', 'busy'], { minor: 27 });
    assert.equal(old.code, 0, old.stderr);
    assert.match(old.stdout, /^busy\s+\d+m\s+\d+Mi/m);

    const raw = await c.api('GET', '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/busy');
    assert.equal(raw.status, 200);
    assert.equal(raw.body.kind, 'PodMetrics');
    assert.match(raw.body.window, /^\d+(\.\d+)?s$/);
    assert.match(raw.body.containers[0].usage.cpu, /^\d+n$/);
  });

  it('shows the node with CPU and memory use and percentages', async () => {
    const out = await c.k(['top', 'nodes']);
    const lines = out.trim().split('\n');
    assert.match(lines[0], /^NAME\s+CPU\(cores\)\s+CPU(\(%\)|%)\s+MEMORY\(bytes\)\s+MEMORY(\(%\)|%)/);
    const f = lines[1].split(/\s+/);
    assert.ok(milli(f[1]) > 0, `node cpu ${f[1]}`);
    assert.match(f[2], /^\d+%$/);
    assert.ok(mebi(f[3]) > 0, `node memory ${f[3]}`);
    assert.match(f[4], /^\d+%$/);
  });

  it('answers 404 for a pod without metrics', async () => {
    const r = await c.kubectl(['top', 'pod', 'nope']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /not found/);
  });
});
