// A node for orchestration tests: an in-process API server (memory storage) and the real Kubelet over the
// in-memory FakeRuntime / FakeImageService (test/helpers/fake_runtime.ts) and a fake volume manager. No
// root, no processes; the restart back-off runs on the fake clock.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createApiServer, bootstrapSystemNamespaces } from '../../../src/apiserver/assemble.js';
import type { ApiServer } from '../../../src/apiserver/server.js';
import { isStatusError } from '../../../src/api/errors.js';
import type { Pod } from '../../../src/api/core/v1/types.js';
import { KubeClient } from '../../../src/client/rest.js';
import { openStorage } from '../../../src/storage/index.js';
import { Kubelet } from '../../../src/kubelet/kubelet.js';
import type { VolumeManagerLike } from '../../../src/kubelet/kuberuntime/runtime_manager.js';
import { FakeClock, FakeImageService, FakeRuntime } from '../../helpers/fake_runtime.js';
import { pino } from 'pino';

/** The kubelet's log lines are not what these tests look at. */
const quiet = pino({ level: 'silent' });

export const NODE = 'fake-node';

export interface RecordedEvent {
  object: string;
  type: string;
  reason: string;
  message: string;
  fieldPath?: string;
}

/** A volume manager that does nothing but count, and fails tearDown as often as told. */
export class FakeVolumes implements VolumeManagerLike {
  tearDowns: { uid: string; ok: boolean }[] = [];
  failTearDowns = 0;
  async setUp(): Promise<void> {}
  mountsFor(): [] {
    return [];
  }
  async tearDown(uid: string): Promise<void> {
    if (this.failTearDowns > 0) {
      this.failTearDowns--;
      this.tearDowns.push({ uid, ok: false });
      throw new Error('fake volumes: unmount failed: device or resource busy');
    }
    this.tearDowns.push({ uid, ok: true });
  }
}

export interface FakeNode {
  api: ApiServer;
  client: KubeClient;
  kubelet: Kubelet;
  rt: FakeRuntime;
  clock: FakeClock;
  images: FakeImageService;
  volumes: FakeVolumes;
  events: RecordedEvent[];
  createPod(pod: Pod): Promise<Pod>;
  /** The pod, or undefined once the API no longer has it. */
  getPod(name: string): Promise<Pod | undefined>;
  deletePod(name: string, gracePeriodSeconds?: number): Promise<void>;
  stop(): Promise<void>;
}

/** `prepare` runs on the runtime before the kubelet starts (what an earlier agent left behind). */
export async function startFakeNode(prepare?: (rt: FakeRuntime) => Promise<void>): Promise<FakeNode> {
  const api = createApiServer(openStorage('memory'));
  await bootstrapSystemNamespaces(api);
  const addr = await api.listen('127.0.0.1', 0);
  const client = new KubeClient({ server: `http://127.0.0.1:${addr.port}`, userAgent: 'k8ts-kubelet' });
  const dataDir = mkdtempSync(path.join(tmpdir(), 'k8ts-fakenode-'));
  const clock = new FakeClock(Date.now());
  const rt = new FakeRuntime(clock);
  const images = new FakeImageService();
  const volumes = new FakeVolumes();
  await prepare?.(rt);
  const events: RecordedEvent[] = [];
  const kubelet = new Kubelet({
    client,
    nodeName: NODE,
    dataDir,
    bridgeName: 'k8ts-unused',
    podCIDR: '10.244.250.0/24',
    kubeletPort: 0,
    syncFrequencyMs: 30,
    plegPeriodMs: 20,
    nodeStatusUpdateMs: 60_000,
    leaseRenewMs: 60_000,
    kubeletVersion: 'v1.33.0',
    runtime: rt,
    imageService: images,
    volumeManager: volumes,
    clock: clock.now,
    recorder: { event: (obj, type, reason, message, fieldPath) => events.push({ object: obj.metadata?.name ?? '', type, reason, message, fieldPath }) },
    log: quiet,
    runtimeLog: quiet,
  });
  await kubelet.start();
  const podPath = (name: string) => `/api/v1/namespaces/default/pods/${name}`;
  return {
    api,
    client,
    kubelet,
    rt,
    clock,
    images,
    volumes,
    events,
    createPod: (pod) =>
      client.create<Pod>('/api/v1/namespaces/default/pods', { apiVersion: 'v1', kind: 'Pod', ...pod, spec: { nodeName: NODE, ...pod.spec! } }),
    getPod: async (name) => {
      try {
        return await client.get<Pod>(podPath(name));
      } catch (e) {
        if (isStatusError(e) && e.status.code === 404) return undefined;
        throw e;
      }
    },
    deletePod: async (name, gracePeriodSeconds) => {
      await client.request('DELETE', podPath(name), {
        kind: 'DeleteOptions',
        apiVersion: 'v1',
        ...(gracePeriodSeconds !== undefined ? { gracePeriodSeconds } : {}),
      });
    },
    stop: async () => {
      await kubelet.stop();
      client.close();
      await api.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Polls until truthy (a generous bound: these tests are about order, not speed). */
export { until as waitFor } from '../client/api_fixture.js';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
