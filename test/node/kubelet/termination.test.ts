// Node agent, real containers: a shorter grace period replaces a running termination. A pod whose container
// ignores SIGTERM is deleted with its 30 s grace period, then force-deleted (grace 0): the kubelet cancels
// the running stop, SIGKILLs at once and removes the sandbox, far sooner than the 30 s would allow.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { TestCluster } from '../../helpers/cluster.js';
import { waitFor } from '../../helpers/cluster.js';
import { LabelPodUID } from '../../../src/kubelet/kuberuntime/labels.js';
import { apply, getPod, hostCanRunPods, isRunningReady, runtimeFor, useAgentCluster, waitPod } from './helpers.js';

const skip = hostCanRunPods() ? false : 'needs root, runc, conmon, catatonit, CNI plugins and busybox-static';

/** What the node's runtime still has of the pod (read from its records, as a restarted agent would). */
async function runtimeLeft(c: TestCluster, uid: string): Promise<{ sandboxes: number; running: number; containers: number }> {
  const rt = runtimeFor(c);
  const sandboxes = await rt.listPodSandboxes({ podUid: uid });
  const containers = (await rt.listContainers()).filter((x) => x.labels?.[LabelPodUID] === uid);
  return { sandboxes: sandboxes.length, running: containers.filter((x) => x.state === 'CONTAINER_RUNNING').length, containers: containers.length };
}

describe('kubelet: termination', { skip, concurrency: 1 }, () => {
  let c: TestCluster;
  useAgentCluster((x) => (c = x));

  it('a forced delete during a 30 s stop kills the container and removes the sandbox at once', async () => {
    await apply(
      c,
      `apiVersion: v1
kind: Pod
metadata: {name: stubborn}
spec:
  terminationGracePeriodSeconds: 30
  containers:
  - name: main
    image: busybox:1.35
    command: ["sh", "-c", "trap '' TERM; sleep 3600"]
`,
    );
    const p = await waitPod(c, 'stubborn', isRunningReady, 20_000);
    const uid: string = p.metadata.uid;
    await c.k(['delete', 'pod', 'stubborn', '--wait=false']);
    await new Promise((r) => setTimeout(r, 1000));
    const during = await getPod(c, 'stubborn');
    assert.ok(during?.metadata?.deletionTimestamp, 'the graceful delete is waiting on the container');
    assert.equal((await runtimeLeft(c, uid)).running, 1, 'SIGTERM was ignored: the container still runs');

    await c.k(['delete', 'pod', 'stubborn', '--grace-period=0', '--force']);
    // generous bound, far below the 29 s left of the first grace period
    await waitFor(
      async () => {
        const left = await runtimeLeft(c, uid);
        return left.sandboxes === 0 && left.containers === 0;
      },
      10_000,
      100,
    ).catch(async () => {
      throw new Error(`pod still in the runtime: ${JSON.stringify(await runtimeLeft(c, uid))}\n--- server log tail:\n${c.logs.slice(-3000)}`);
    });
    assert.equal(await getPod(c, 'stubborn'), undefined);
  });
});
