// Helpers for node-agent tests: a TestCluster with the agent on, pod YAML apply, waiting on pod status
// through the API, and exec into a pod's container through the RuntimeService of the cluster's data dir.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { RuncRuntimeService } from '../../../src/runtime/index.js';
import { TestCluster, waitFor, type StartOptions } from '../../helpers/cluster.js';

export { hostCanRunPods } from '../../helpers/cluster.js';

export async function startAgentCluster(
  extraArgs: string[] = [],
  store: 'memory' | 'sqlite' = 'memory',
  opts: Partial<StartOptions> = {},
): Promise<TestCluster> {
  const c = new TestCluster({
    ...opts,
    agent: true,
    store,
    extraArgs: ['--restart-backoff-initial', '1', '--restart-backoff-max', '4', '--sync-frequency', '2', ...extraArgs],
  });
  await c.start();
  // wait until the node is registered and Ready
  await waitFor(
    async () => {
      const r = await c.api('GET', '/api/v1/nodes');
      return r.body?.items?.some((n: any) => n.status?.conditions?.some((x: any) => x.type === 'Ready' && x.status === 'True'));
    },
    20_000,
    100,
  );
  return c;
}

/**
 * Registers the suite's hooks: start an agent cluster before the tests (handed to `set`), and afterwards delete
 * its pods, stop it and assert that nothing was left on the host.
 */
export function useAgentCluster(
  set: (c: TestCluster) => void,
  extraArgs: string[] = [],
  store: 'memory' | 'sqlite' = 'memory',
  opts: Partial<StartOptions> = {},
): void {
  let cluster: TestCluster | undefined;
  before(async () => {
    cluster = await startAgentCluster(extraArgs, store, opts);
    set(cluster);
  });
  after(async () => {
    if (!cluster) return;
    const leftovers = await cluster.cleanupAgent();
    await cluster.cleanup();
    assert.deepEqual(leftovers, [], 'host resources left behind');
  });
}

export async function getPod(c: TestCluster, name: string, ns = 'default'): Promise<any> {
  const r = await c.api('GET', `/api/v1/namespaces/${ns}/pods/${name}`);
  return r.status === 200 ? r.body : undefined;
}

export async function waitPod(c: TestCluster, name: string, pred: (p: any) => boolean, timeoutMs = 30_000, ns = 'default'): Promise<any> {
  let last: any;
  try {
    return await waitFor(
      async () => {
        last = await getPod(c, name, ns);
        return last && pred(last) ? last : undefined;
      },
      timeoutMs,
      100,
    );
  } catch (e) {
    throw new Error(
      `pod ${ns}/${name} did not reach the expected state: ${JSON.stringify(last?.status ?? last, null, 1)}\n--- server log tail:\n${c.logs.slice(-3000)}`,
    );
  }
}

export const isRunningReady = (p: any) => p.status?.phase === 'Running' && p.status?.conditions?.some((x: any) => x.type === 'Ready' && x.status === 'True');

export function containerStatus(p: any, name: string): any {
  return [...(p.status?.containerStatuses ?? []), ...(p.status?.initContainerStatuses ?? [])].find((s: any) => s.name === name);
}

export function runtimeFor(c: TestCluster): RuncRuntimeService {
  return new RuncRuntimeService({ dataDir: c.dataDir, bridgeName: c.bridgeName, podSubnet: c.clusterCIDR, cgroupParent: c.cgroupParent });
}

/** Run a command in a pod's running container (via the runtime, not the API). */
export async function execIn(c: TestCluster, pod: any, container: string, cmd: string[]): Promise<{ stdout: string; stderr: string; exitCode: number }> {
  const cs = containerStatus(pod, container);
  const id = String(cs?.containerID ?? '').replace(/^k8ts:\/\//, '');
  if (!id) throw new Error(`no container ${container} in ${JSON.stringify(pod.status)}`);
  return runtimeFor(c).execSync(id, cmd, 10);
}

export async function apply(c: TestCluster, yaml: string): Promise<void> {
  await c.k(['apply', '-f', '-'], { input: yaml });
}

export async function events(c: TestCluster, pod: string, ns = 'default'): Promise<any[]> {
  const r = await c.api('GET', `/api/v1/namespaces/${ns}/events`);
  return (r.body?.items ?? []).filter((e: any) => e.involvedObject?.name === pod);
}
