// Unit tests of what keeps a pod sync O(its own containers): the relist cache's freshness rule, the runtime
// manager reading one pod (never walking every container), the volume refresh policy and the status
// manager writing from its cached copy under a resourceVersion precondition (re-reading on conflict).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod, PodStatus } from '../../../src/api/core/v1/types.js';
import { StatusError, conflict } from '../../../src/api/errors.js';
import type { KubeClient } from '../../../src/client/rest.js';
import type { ContainerStatus, PodSandboxStatus } from '../../../src/runtime/types.js';
import { RuntimePodCache } from '../../../src/kubelet/kuberuntime/pod_cache.js';
import { KubeRuntimeManager, type RuntimeManagerDeps } from '../../../src/kubelet/kuberuntime/runtime_manager.js';
import { LabelPodUID } from '../../../src/kubelet/kuberuntime/labels.js';
import { VolumeRefreshPolicy } from '../../../src/kubelet/volumes/refresh.js';
import { StatusManager } from '../../../src/kubelet/status/status_manager.js';

function sandbox(id: string, uid: string): PodSandboxStatus {
  return {
    id,
    metadata: { name: `p-${uid}`, namespace: 'default', uid, attempt: 0 },
    state: 'SANDBOX_READY',
    createdAt: '2024-01-01T00:00:00Z',
    ip: '10.244.0.9',
    netnsPath: '',
    hostNetwork: false,
  };
}
function container(id: string, sandboxId: string, uid: string, state: ContainerStatus['state'] = 'CONTAINER_RUNNING'): ContainerStatus {
  return {
    id,
    sandboxId,
    name: 'c',
    attempt: 0,
    image: 'busybox',
    state,
    createdAt: '2024-01-01T00:00:01Z',
    logPath: '/x',
    labels: { [LabelPodUID]: uid, 'io.kubernetes.container.name': 'c' },
  };
}

/** A fake runtime with N pods of one container each, counting what the kubelet asks of it. */
function fakeRuntime(n: number) {
  const sandboxes = Array.from({ length: n }, (_, i) => sandbox(`sb${i}`, `u${i}`));
  const containers = sandboxes.map((s, i) => container(`c${i}`, s.id, `u${i}`));
  const calls = { sandboxLists: 0, unfilteredContainerLists: 0, containerListsBySandbox: 0 };
  const rt = {
    sandboxes,
    containers,
    calls,
    async listPodSandboxes(f: { podUid?: string } = {}) {
      calls.sandboxLists++;
      return sandboxes.filter((s) => !f.podUid || s.metadata.uid === f.podUid);
    },
    async listContainers(f: { sandboxId?: string } = {}) {
      if (f.sandboxId) calls.containerListsBySandbox++;
      else calls.unfilteredContainerLists++;
      return containers.filter((c) => !f.sandboxId || c.sandboxId === f.sandboxId);
    },
  };
  return rt;
}

/** One relist the way the PLEG does it. */
const relist = (src: { listPodSandboxes(): Promise<unknown>; listContainers(): Promise<unknown> }) =>
  Promise.all([src.listPodSandboxes(), src.listContainers()]);

describe('RuntimePodCache', () => {
  it('serves nothing before the first relist, then every pod', async () => {
    const rt = fakeRuntime(3);
    const cache = new RuntimePodCache();
    assert.equal(cache.isFresh('u1'), false);
    await relist(cache.wrap(rt));
    assert.equal(cache.isFresh('u1'), true);
    assert.equal(cache.peek('u1')?.containers[0]?.id, 'c1');
    assert.equal(cache.peek('u1')?.ips[0], '10.244.0.9');
    assert.equal(cache.isFresh('never-seen'), true, 'a pod the relist did not see has nothing in the runtime');
    assert.equal(cache.peek('never-seen'), undefined);
  });

  it('a change makes the pod stale until a relist that began after it', async () => {
    const rt = fakeRuntime(2);
    const cache = new RuntimePodCache();
    const lister = cache.wrap(rt);
    await relist(lister);
    // a relist is in flight (its reads began) when the kubelet changes u0: it must not count as fresh
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow = cache.wrap({
      listPodSandboxes: async () => (await gate, rt.listPodSandboxes()),
      listContainers: async () => (await gate, rt.listContainers()),
    });
    const inFlight = relist(slow);
    cache.markChanged('u0');
    assert.equal(cache.isFresh('u0'), false);
    assert.equal(cache.isFresh('u1'), true, 'other pods are unaffected');
    release();
    await inFlight;
    assert.equal(cache.isFresh('u0'), false, 'that relist began before the change');
    await relist(lister);
    assert.equal(cache.isFresh('u0'), true);
  });

  it('keeps the previous view when a relist fails', async () => {
    const rt = fakeRuntime(1);
    const cache = new RuntimePodCache();
    await relist(cache.wrap(rt));
    cache.markChanged('u0');
    const broken = cache.wrap({ listPodSandboxes: () => rt.listPodSandboxes(), listContainers: () => Promise.reject(new Error('boom')) });
    await assert.rejects(relist(broken));
    assert.equal(cache.isFresh('u0'), false);
    assert.equal(cache.peek('u0')?.containers.length, 1);
  });
});

describe('KubeRuntimeManager.getPodStatus', () => {
  const manager = (rt: ReturnType<typeof fakeRuntime>, cache?: RuntimePodCache) =>
    new KubeRuntimeManager({ runtime: rt, cache, recorder: { event() {} } } as unknown as RuntimeManagerDeps);
  const meta = (i: number) => ({ uid: `u${i}`, name: `p-u${i}`, namespace: 'default' });

  it("reads only the pod's own sandboxes' containers, never the whole node", async () => {
    const rt = fakeRuntime(50);
    const st = await manager(rt).getPodStatus(meta(7));
    assert.deepEqual(
      st.containers.map((c) => c.id),
      ['c7'],
    );
    assert.deepEqual(
      st.sandboxes.map((s) => s.id),
      ['sb7'],
    );
    assert.equal(rt.calls.unfilteredContainerLists, 0);
    assert.equal(rt.calls.containerListsBySandbox, 1);
  });

  it('serves a fresh pod from the relist cache without asking the runtime', async () => {
    const rt = fakeRuntime(50);
    const cache = new RuntimePodCache();
    await relist(cache.wrap(rt));
    const before = { ...rt.calls };
    const m = manager(rt, cache);
    for (let i = 0; i < 50; i++) assert.equal((await m.getPodStatus(meta(i))).containers[0]?.id, `c${i}`);
    assert.deepEqual(rt.calls, before);
    // after a change by the kubelet the pod is read again — and sees the change
    rt.containers[3]!.state = 'CONTAINER_EXITED';
    cache.markChanged('u3');
    assert.equal((await m.getPodStatus(meta(3))).containers[0]?.state, 'exited');
    assert.equal(rt.calls.containerListsBySandbox, before.containerListsBySandbox + 1);
    assert.equal(rt.calls.unfilteredContainerLists, before.unfilteredContainerLists);
  });

  it('finds containers whose sandbox record is gone through the last relist', async () => {
    const rt = fakeRuntime(2);
    const cache = new RuntimePodCache();
    await relist(cache.wrap(rt));
    rt.sandboxes.splice(0, 1); // sb0 removed, c0 left behind
    cache.markChanged('u0');
    const st = await manager(rt, cache).getPodStatus(meta(0));
    assert.deepEqual(
      st.containers.map((c) => c.id),
      ['c0'],
    );
    assert.equal(st.sandboxes.length, 0);
  });

  it('does nothing (and marks nothing) for a sync without actions', async () => {
    const rt = fakeRuntime(1);
    const cache = new RuntimePodCache();
    await relist(cache.wrap(rt));
    const pod: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p-u0', namespace: 'default', uid: 'u0' },
      spec: { containers: [{ name: 'c', image: 'busybox' }] },
    };
    const res = await manager(rt, cache).syncPod(
      pod,
      cache.peek('u0')!,
      { killPod: false, createSandbox: false, sandboxId: 'sb0', attempt: 0, initContainersToStart: [], containersToStart: [], containersToKill: [] },
      30,
    );
    assert.deepEqual(res.started, []);
    assert.equal(cache.isFresh('u0'), true);
  });
});

describe('VolumeRefreshPolicy', () => {
  const withVolumes = (labels: Record<string, string> = {}): Pod => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'default', uid: 'u1', labels },
    spec: {
      containers: [{ name: 'c', image: 'busybox' }],
      volumes: [
        { name: 'cfg', configMap: { name: 'cm' } },
        { name: 'info', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] } },
      ],
    },
  });

  it('sets up until it succeeded, then refreshes only on a change or after the period', () => {
    let now = 1_000_000;
    const v = new VolumeRefreshPolicy(60_000, () => now);
    const pod = withVolumes({ a: '1' });
    assert.equal(v.needsSetUp(pod), true);
    assert.equal(v.needsRefresh(pod), false, 'nothing to refresh before setUp');
    v.setUpDone(pod);
    assert.equal(v.needsSetUp(pod), false);
    now += 10_000;
    assert.equal(v.needsRefresh(pod), false, 'a periodic resync re-reads nothing');
    v.invalidate('u1');
    assert.equal(v.needsRefresh(pod), true, 'a referenced configMap changed');
    v.refreshed(pod);
    assert.equal(v.needsRefresh(pod), false);
    assert.equal(v.needsRefresh(withVolumes({ a: '2' })), true, 'labels feed the downward API volume');
    now += 60_000;
    assert.equal(v.needsRefresh(pod), true, 'safety-net period');
    v.forget('u1');
    assert.equal(v.needsSetUp(pod), true);
  });

  it('never refreshes pods without projected content', () => {
    const v = new VolumeRefreshPolicy(0);
    const pod: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', uid: 'u2' },
      spec: { containers: [{ name: 'c' }], volumes: [{ name: 'd', emptyDir: {} }] },
    };
    v.setUpDone(pod);
    v.invalidate('u2');
    assert.equal(v.needsRefresh(pod), false);
  });
});

describe('StatusManager writes', () => {
  type Cond = NonNullable<PodStatus['conditions']>[number];
  const cond = (type: string, status: Cond['status'] = 'True'): Cond => ({ type, status, lastProbeTime: null, lastTransitionTime: '2024-01-01T00:00:00Z' });

  /** An API of one pod with resourceVersion semantics for merge patches of status. */
  function fakeAPI(initial: Pod) {
    let stored: Pod = structuredClone(initial);
    const log: string[] = [];
    const client = {
      async get<T>(_p: string): Promise<T> {
        log.push('GET');
        return structuredClone(stored) as T;
      },
      async patch<T>(_p: string, body: { metadata?: { resourceVersion?: string }; status: Record<string, unknown> }): Promise<T> {
        log.push(`PATCH rv=${body.metadata?.resourceVersion ?? '-'}`);
        if (body.metadata?.resourceVersion && body.metadata.resourceVersion !== stored.metadata.resourceVersion) {
          throw conflict({ group: '', resource: 'pods' }, stored.metadata.name!, 'the object has been modified');
        }
        const status: Record<string, unknown> = { ...(stored.status ?? {}) };
        for (const [k, v] of Object.entries(body.status))
          if (v === null) delete status[k];
          else status[k] = v;
        stored = {
          ...stored,
          metadata: { ...stored.metadata, resourceVersion: String(Number(stored.metadata.resourceVersion) + 1) },
          status: status as PodStatus,
        };
        return structuredClone(stored) as T;
      },
      async request() {
        throw new StatusError({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 404, reason: 'NotFound', message: 'no' } as never);
      },
    };
    return {
      client: client as unknown as KubeClient,
      log,
      stored: () => stored,
      /** Someone else writes a condition (bumps the resourceVersion). */
      foreignWrite(c: Cond) {
        stored = {
          ...stored,
          metadata: { ...stored.metadata, resourceVersion: String(Number(stored.metadata.resourceVersion) + 1) },
          status: { ...stored.status, conditions: [...(stored.status?.conditions ?? []), c] },
        };
      },
    };
  }

  const basePod = (): Pod => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'default', uid: 'u1', resourceVersion: '10' },
    spec: { containers: [{ name: 'c' }] },
    status: { phase: 'Pending', conditions: [cond('PodScheduled'), cond('example.com/gate', 'False')] },
  });
  const mine = (phase: string, ready: Cond['status']): PodStatus => ({
    phase: phase as PodStatus['phase'],
    conditions: [cond('Ready', ready), cond('PodScheduled'), cond('example.com/gate', 'False')],
  });

  /** Counts the manager's successful writes; wait(n) resolves once n happened. */
  function countWrites(sm: StatusManager) {
    let n = 0;
    sm.onWrite = () => void n++;
    return async (want: number): Promise<void> => {
      const deadline = Date.now() + 5000;
      while (n < want) {
        if (Date.now() > deadline) throw new Error(`only ${n} of ${want} status writes happened`);
        await new Promise((r) => setTimeout(r, 5));
      }
    };
  }

  it('writes from the cached pod under its resourceVersion, with no read', async () => {
    const api = fakeAPI(basePod());
    const cached = api.stored();
    const sm = new StatusManager(api.client, { cachedPod: () => cached });
    const written = countWrites(sm);
    sm.start();
    try {
      sm.setPodStatus(cached, mine('Pending', 'False'));
      await written(1);
      assert.deepEqual(api.log, ['PATCH rv=10']);
      // the watch has not delivered our write yet (cache still at rv 10): our last answer (rv 11) is used
      sm.setPodStatus(cached, mine('Running', 'True'));
      await written(2);
      assert.deepEqual(api.log, ['PATCH rv=10', 'PATCH rv=11']);
      assert.equal(sm.reads, 0);
      assert.equal(api.stored().status?.phase, 'Running');
      // an unchanged status is not written at all (key order and undefined members aside)
      sm.setPodStatus(cached, mine('Running', 'True'));
      const reordered = mine('Running', 'True');
      sm.setPodStatus(cached, { conditions: reordered.conditions, message: undefined, phase: reordered.phase });
      await new Promise((r) => setTimeout(r, 30));
      assert.equal(api.log.length, 2);
      // a field that went away is written as null
      sm.setPodStatus(cached, { conditions: reordered.conditions });
      await written(3);
      assert.equal(api.stored().status?.phase, undefined);
    } finally {
      await sm.stop();
    }
  });

  it("re-reads and merges others' conditions when someone wrote in between (409)", async () => {
    const api = fakeAPI(basePod());
    const cached = api.stored();
    const sm = new StatusManager(api.client, { cachedPod: () => cached });
    const written = countWrites(sm);
    sm.start();
    try {
      api.foreignWrite(cond('DisruptionTarget'));
      sm.setPodStatus(cached, {
        phase: 'Pending',
        conditions: [cond('Ready', 'False'), cond('PodScheduled'), cond('example.com/gate', 'False'), cond('DisruptionTarget', 'False')],
      });
      await written(1);
      assert.deepEqual(api.log, ['PATCH rv=10', 'GET', 'PATCH rv=11']);
      assert.equal(sm.reads, 1);
      const conds = api.stored().status?.conditions ?? [];
      // the foreign condition is kept as the API had it, not as our stale copy had it
      assert.equal(conds.find((c) => c.type === 'DisruptionTarget')?.status, 'True');
      assert.equal(conds.find((c) => c.type === 'Ready')?.status, 'False');
    } finally {
      await sm.stop();
    }
  });
});
