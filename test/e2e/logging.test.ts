// The server's structured log as an operator reads it: a real `k8ts server` runs pods at --v=4 and its JSON
// lines carry the scheduling decisions, filter verdicts, sandbox and container starts and exits, probe
// transitions, pod syncs, controller actions and (at debug only) the HTTP requests; at the default level the
// HTTP lines are absent and controller actions still logged.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TestCluster, waitFor } from '../helpers/cluster.js';
import { apply, hostCanRunPods, isRunningReady, useAgentCluster, waitPod } from '../node/kubelet/helpers.js';

type Line = Record<string, any>;

/** The JSON log lines of the server's output (its two plain stdout lines are skipped). */
function logLines(c: TestCluster): Line[] {
  const out: Line[] = [];
  for (const l of c.logs.split('\n')) {
    if (!l.startsWith('{')) continue;
    try {
      out.push(JSON.parse(l));
    } catch {
      /* a line still being written */
    }
  }
  return out;
}

function find(c: TestCluster, pred: (l: Line) => boolean): Line | undefined {
  return logLines(c).find(pred);
}

async function waitLine(c: TestCluster, what: string, pred: (l: Line) => boolean, timeoutMs = 20_000): Promise<Line> {
  try {
    return await waitFor(async () => find(c, pred), timeoutMs, 100);
  } catch {
    throw new Error(`no log line: ${what}\n--- server log tail:\n${c.logs.slice(-4000)}`);
  }
}

const skip = hostCanRunPods() ? false : 'needs root, runc, conmon, catatonit, CNI plugins and busybox-static';

describe('server log at --v=4 while pods run', { skip, concurrency: 1 }, () => {
  let c: TestCluster;
  useAgentCluster((x) => (c = x), ['--v=4']);

  it('has one JSON line per meaningful event with component, pod, node, container, action, durationMs', async () => {
    const nodes = await c.api('GET', '/api/v1/nodes');
    const node: string = nodes.body.items[0].metadata.name;
    await apply(
      c,
      `apiVersion: v1
kind: Pod
metadata: {name: logs-web}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: web
    image: busybox:1.35
    command: [sleep, "3600"]
    readinessProbe:
      exec: {command: ["true"]}
      periodSeconds: 1
---
apiVersion: v1
kind: Pod
metadata: {name: logs-exit}
spec:
  restartPolicy: Never
  containers:
  - name: fail
    image: busybox:1.35
    command: [sh, -c, "exit 3"]
---
apiVersion: v1
kind: Pod
metadata: {name: logs-pending}
spec:
  nodeSelector: {k8ts-logging-test: nowhere}
  containers:
  - name: c
    image: busybox:1.35
`,
    );
    await waitPod(c, 'logs-web', isRunningReady);
    await waitPod(c, 'logs-exit', (p) => p.status?.phase === 'Failed');

    // every line is structured: level as a word, a component
    const all = logLines(c);
    assert.ok(all.length > 0);
    for (const l of all) {
      assert.equal(typeof l.component, 'string', JSON.stringify(l));
      assert.ok(['trace', 'debug', 'info', 'warn', 'error', 'fatal'].includes(l.level), JSON.stringify(l));
    }

    // scheduling decision (info) and each node's filter verdict (debug)
    const bound = await waitLine(
      c,
      'scheduler bound logs-web',
      (l) => l.component === 'scheduler' && l.msg === 'Successfully bound pod to node' && l.pod === 'default/logs-web',
    );
    assert.equal(bound.level, 'info');
    assert.equal(bound.node, node);
    assert.equal(bound.evaluatedNodes, 1);
    assert.equal(bound.feasibleNodes, 1);
    assert.equal(typeof bound.durationMs, 'number');
    const passed = find(c, (l) => l.component === 'scheduler' && l.msg === 'Node passed all filter plugins' && l.pod === 'default/logs-web');
    assert.equal(passed?.level, 'debug');
    const rejected = await waitLine(
      c,
      'filter verdict for logs-pending',
      (l) => l.msg === 'Node rejected by filter plugin' && l.pod === 'default/logs-pending',
    );
    assert.equal(rejected.level, 'debug');
    assert.equal(rejected.node, node);
    assert.equal(rejected.plugin, 'NodeAffinity');
    assert.deepEqual(rejected.reasons, ["node(s) didn't match Pod's node affinity/selector"]);
    const unschedulable = await waitLine(
      c,
      'logs-pending unschedulable',
      (l) => l.msg === 'Unable to schedule pod; no fit; waiting' && l.pod === 'default/logs-pending',
    );
    assert.equal(unschedulable.level, 'info');
    assert.match(unschedulable.err, /^0\/1 nodes are available/);

    // the controller-manager gave the node its podCIDR
    const cidr = find(c, (l) => l.component === 'controller-manager' && l.controller === 'nodeipam' && l.msg === 'Set node PodCIDR');
    assert.equal(cidr?.node, node);
    assert.equal(cidr?.level, 'info');

    // the kubelet: sandbox, container start, the sync's result, the readiness transition
    const kubelet = (msg: string, pod: string) => find(c, (l) => l.component === 'kubelet' && l.msg === msg && l.pod === pod);
    const sandbox = kubelet('Created pod sandbox', 'default/logs-web');
    assert.equal(sandbox?.node, node);
    assert.match(String(sandbox?.podIP), /^10\.244\./);
    assert.equal(typeof sandbox?.durationMs, 'number');
    const started = kubelet('Started container', 'default/logs-web');
    assert.equal(started?.container, 'web');
    assert.equal(started?.level, 'info');
    const synced = kubelet('Pod synced', 'default/logs-web');
    assert.match(String(synced?.action), /CreatePodSandbox/);
    assert.deepEqual(synced?.started, ['web']);
    assert.equal(typeof synced?.durationMs, 'number');
    const probe = kubelet('Probe result changed', 'default/logs-web');
    assert.equal(probe?.probe, 'readiness');
    assert.equal(probe?.result, 'Success');
    assert.equal(probe?.container, 'web');

    // a container's exit with its code
    const exited = await waitLine(c, 'logs-exit exited', (l) => l.msg === 'Container exited' && l.pod === 'default/logs-exit');
    assert.equal(exited.container, 'fail');
    assert.equal(exited.exitCode, 3);
    assert.equal(exited.reason, 'Error');

    // HTTP requests at debug with status and latency (kubectl's among them)
    const http = find(c, (l) => l.component === 'apiserver' && l.msg === 'HTTP' && String(l.userAgent).startsWith('kubectl'));
    assert.ok(http, 'an HTTP line for a kubectl request');
    assert.equal(http.level, 'debug');
    assert.match(http.verb, /^[A-Z]+$/);
    assert.match(http.URI, /^\//);
    assert.equal(typeof http.status, 'number');
    assert.equal(typeof http.durationMs, 'number');

    // deletion: the pod's termination and its sandbox's removal
    await c.k(['delete', 'pod', 'logs-web', '--wait=true', '--timeout=60s']);
    const terminated = await waitLine(c, 'logs-web terminated', (l) => l.msg === 'Pod terminated' && l.pod === 'default/logs-web');
    assert.equal(terminated.action, 'TerminatePod');
    assert.equal(typeof terminated.durationMs, 'number');
    await waitLine(c, 'logs-web sandbox removed', (l) => l.msg === 'Removed pod sandbox' && l.pod === 'default/logs-web' && l.sandboxId === sandbox?.sandboxId);
  });
});

describe('server log at the default level', { concurrency: 1 }, () => {
  it('has controller actions at info and no HTTP request lines', async () => {
    // K8TS_LOG_LEVEL empty: the built-in default (info), whatever the test runner's environment says
    const c = new TestCluster({ env: { K8TS_LOG_LEVEL: '' } });
    try {
      await c.start();
      await c.k(['create', 'namespace', 'logs-ns']);
      await c.k(['get', 'pods', '-A']);
      await c.k(['delete', 'namespace', 'logs-ns', '--wait=true', '--timeout=60s']);
      const fin = await waitLine(
        c,
        'namespace finalized',
        (l) => l.component === 'controller-manager' && l.controller === 'namespace' && l.namespace === 'logs-ns',
      );
      assert.equal(fin.level, 'info');
      assert.equal(fin.action, 'finalize');
      assert.ok(find(c, (l) => l.msg === 'Serving the API' && l.level === 'info'));
      assert.deepEqual(
        logLines(c).filter((l) => l.msg === 'HTTP'),
        [],
      );
      assert.deepEqual(
        logLines(c).filter((l) => l.level === 'debug' || l.level === 'trace'),
        [],
      );
    } finally {
      await c.cleanup();
    }
  });
});
