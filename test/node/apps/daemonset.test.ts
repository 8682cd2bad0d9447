// A DaemonSet on the real node agent with real containers, through kubectl 1.33 and 1.27: its pod is placed by
// the scheduler through the node-name affinity and runs; a template change rolls it (rollout status waits for
// it), rollout restart makes a new pod, rollout history lists the revisions and undo goes back.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { TestCluster } from '../../helpers/cluster.js';
import { waitFor } from '../../helpers/cluster.js';
import { apply, hostCanRunPods, isRunningReady, useAgentCluster } from '../kubelet/helpers.js';

const skip = hostCanRunPods() ? false : 'needs root, runc, conmon, catatonit, CNI plugins and busybox-static';
const DS = '/apis/apps/v1/namespaces/default/daemonsets';

const manifest = `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: logger}
spec:
  selector: {matchLabels: {app: logger}}
  template:
    metadata: {labels: {app: logger}}
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: main
        image: busybox:1.35
        command: [sh, -c, 'echo started; sleep 3600']
        readinessProbe: {exec: {command: ['true']}, periodSeconds: 1}
`;

async function podsOf(c: TestCluster): Promise<any[]> {
  return ((await c.api('GET', '/api/v1/namespaces/default/pods?labelSelector=app%3Dlogger')).body.items as any[]).filter((p) => !p.metadata.deletionTimestamp);
}

/** The one live pod once it runs, is ready and differs from `not` (a pod name). */
async function runningPod(c: TestCluster, not?: string): Promise<any> {
  return waitFor(
    async () => {
      const pods = await podsOf(c);
      return pods.length === 1 && pods[0].metadata.name !== not && isRunningReady(pods[0]) ? pods[0] : false;
    },
    90_000,
    200,
  );
}

describe('a DaemonSet on a real node', { skip, concurrency: 1 }, () => {
  let c: TestCluster;
  // the DaemonSet goes first, or its controller would replace the pods the agent cleanup deletes
  after(async () => {
    if (c) await c.kubectl(['delete', 'ds', '--all', '--wait=true', '--timeout=60s']);
  });
  useAgentCluster((x) => (c = x), [], 'sqlite');

  it('runs one pod on the node, bound by the scheduler through the node-name affinity', async () => {
    await apply(c, manifest);
    const st = await c.kubectl(['rollout', 'status', 'ds/logger', '--timeout=90s']);
    assert.equal(st.code, 0, st.stderr);
    assert.match(st.stdout, /daemon set "logger" successfully rolled out/);
    const pod = await runningPod(c);
    const node = (await c.api('GET', '/api/v1/nodes')).body.items[0].metadata.name;
    assert.equal(pod.spec.nodeName, node);
    assert.deepEqual(pod.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms, [
      { matchFields: [{ key: 'metadata.name', operator: 'In', values: [node] }] },
    ]);
    const logs = await c.kubectl(['logs', 'ds/logger']);
    assert.equal(logs.code, 0, logs.stderr);
    assert.match(logs.stdout, /started/);
    const table = await c.k(['get', 'ds', 'logger']);
    assert.match(table, /logger\s+1\s+1\s+1\s+1\s+1\s+<none>/);
  });

  for (const minor of [33, 27]) {
    it(`kubectl 1.${minor}: set image rolls the pod; rollout restart, history and undo`, async () => {
      const before = await runningPod(c);
      const image = before.spec.containers[0].image === 'busybox:1.35' ? 'busybox:latest' : 'busybox:1.35';
      const set = await c.kubectl(['set', 'image', 'ds/logger', `main=${image}`], { minor });
      assert.equal(set.code, 0, set.stderr);
      const st = await c.kubectl(['rollout', 'status', 'ds/logger', '--timeout=90s'], { minor });
      assert.equal(st.code, 0, st.stderr);
      const rolled = await runningPod(c, before.metadata.name);
      assert.equal(rolled.spec.containers[0].image, image);
      assert.notEqual(rolled.metadata.labels['controller-revision-hash'], before.metadata.labels['controller-revision-hash']);

      const restart = await c.kubectl(['rollout', 'restart', 'ds/logger'], { minor });
      assert.equal(restart.code, 0, restart.stderr);
      assert.match(restart.stdout, /daemonset.apps\/logger restarted/);
      assert.equal((await c.kubectl(['rollout', 'status', 'ds/logger', '--timeout=90s'], { minor })).code, 0);
      const restarted = await runningPod(c, rolled.metadata.name);
      assert.ok(restarted.metadata.annotations?.['kubectl.kubernetes.io/restartedAt'], 'the restart annotation is on the new pod');

      const hist = await c.kubectl(['rollout', 'history', 'ds/logger'], { minor });
      assert.equal(hist.code, 0, hist.stderr);
      const revisions = [...hist.stdout.matchAll(/^(\d+)\s+<none>$/gm)].map((m) => Number(m[1]));
      assert.ok(revisions.length >= 3, hist.stdout);

      const undo = await c.kubectl(['rollout', 'undo', 'ds/logger'], { minor });
      assert.equal(undo.code, 0, undo.stderr);
      assert.equal((await c.kubectl(['rollout', 'status', 'ds/logger', '--timeout=90s'], { minor })).code, 0);
      const undone = await runningPod(c, restarted.metadata.name);
      // back at the revision before the restart: same image, no restart annotation
      assert.equal(undone.spec.containers[0].image, image);
      assert.equal(undone.metadata.labels['controller-revision-hash'], rolled.metadata.labels['controller-revision-hash']);
      const ds = (await c.api('GET', `${DS}/logger`)).body;
      assert.equal(ds.status.numberAvailable, 1);
      assert.equal(ds.status.updatedNumberScheduled, 1);
      assert.equal(ds.status.observedGeneration, ds.metadata.generation);
    });
  }
});
