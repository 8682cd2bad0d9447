// An in-memory CRI RuntimeService and ImageService (src/runtime/cri.ts) for the kubelet's orchestration
// tests: sandboxes and containers with states and exit codes, a clock the test moves, a log of every call,
// and injected failures. Containers "run" until the test exits them; no root, no processes.
import type { ContainerFilter, ImageService, PodSandboxFilter, RuntimeService } from '../../src/runtime/cri.js';
import type { ImageConfig, ImageRecord, ImageSummary, PullOptions, RemoveResult } from '../../src/runtime/images/index.js';
import { normalizeImageReference } from '../../src/runtime/images/index.js';
import type {
  ContainerConfig,
  ContainerState,
  ContainerStatus,
  ExecResult,
  PodSandboxConfig,
  PodSandboxStatus,
  SandboxState,
} from '../../src/runtime/types.js';
import { RuntimeNotFoundError } from '../../src/runtime/types.js';

/** A clock (epoch ms) that moves only when told; waiters on it wake when it passes their time. */
export class FakeClock {
  private waiters: { at: number; wake: () => void }[] = [];
  constructor(public ms = Date.parse('2025-01-01T00:00:00Z')) {}
  now = (): number => this.ms;
  iso(): string {
    return new Date(this.ms).toISOString();
  }
  advance(ms: number): void {
    this.ms += ms;
    const due = this.waiters.filter((w) => w.at <= this.ms);
    this.waiters = this.waiters.filter((w) => w.at > this.ms);
    for (const w of due) w.wake();
  }
  /** Resolves true once the clock reached `at`, false when `cancel` fires first. */
  sleepUntil(at: number, cancel?: AbortSignal): Promise<boolean> {
    if (this.ms >= at) return Promise.resolve(true);
    if (cancel?.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const w = { at, wake: () => resolve(true) };
      this.waiters.push(w);
      cancel?.addEventListener(
        'abort',
        () => {
          this.waiters = this.waiters.filter((x) => x !== w);
          resolve(false);
        },
        { once: true },
      );
    });
  }
}

export interface FakeCall {
  op: string;
  id?: string;
  /** Container name (or the pod name for sandbox calls). */
  name?: string;
  at: number;
  timeoutSec?: number;
  cmd?: string[];
}

interface FakeSandbox {
  id: string;
  config: PodSandboxConfig;
  state: SandboxState;
  createdAt: string;
  ip: string;
}

interface FakeContainer {
  id: string;
  sandboxId: string;
  config: ContainerConfig;
  state: ContainerState;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  exitCode?: number;
  reason?: string;
}

type Op = 'runPodSandbox' | 'stopPodSandbox' | 'removePodSandbox' | 'createContainer' | 'startContainer' | 'stopContainer' | 'removeContainer';

export class FakeRuntime implements RuntimeService {
  readonly calls: FakeCall[] = [];
  readonly sandboxes = new Map<string, FakeSandbox>();
  readonly containers = new Map<string, FakeContainer>();
  /** Container names whose process ignores SIGTERM: a stop waits its timeout out (on the clock) or its cancel. */
  readonly ignoreTerm = new Set<string>();
  /** Answers of execSync by container name (default exit 0). */
  execResult: (name: string, cmd: string[]) => ExecResult = () => ({ stdout: '', stderr: '', exitCode: 0, timedOut: false });
  private failures = new Map<Op, number>();
  private seq = 0;
  private exitListeners = new Set<(id: string) => void>();

  constructor(readonly clock = new FakeClock()) {}

  /** The next `times` calls of `op` throw (Infinity: until clearFailures). */
  fail(op: Op, times = 1): void {
    this.failures.set(op, (this.failures.get(op) ?? 0) + times);
  }

  clearFailures(): void {
    this.failures.clear();
  }

  private record(op: Op | 'execSync', c: Omit<FakeCall, 'op' | 'at'> = {}): void {
    this.calls.push({ op, at: this.clock.now(), ...c });
    const left = this.failures.get(op as Op) ?? 0;
    if (left > 0) {
      this.failures.set(op as Op, left - 1);
      throw new Error(`fake runtime: injected ${op} failure`);
    }
  }

  private notify(id: string): void {
    for (const cb of this.exitListeners) cb(id);
  }

  private sandbox(id: string): FakeSandbox {
    const sb = this.sandboxes.get(id);
    if (!sb) throw new RuntimeNotFoundError('sandbox', id);
    return sb;
  }

  private container(id: string): FakeContainer {
    const c = this.containers.get(id);
    if (!c) throw new RuntimeNotFoundError('container', id);
    return c;
  }

  private finish(c: FakeContainer, exitCode: number, reason: string): void {
    if (c.state === 'CONTAINER_EXITED') return;
    c.state = 'CONTAINER_EXITED';
    c.exitCode = exitCode;
    c.reason = reason;
    c.finishedAt = this.clock.iso();
    this.notify(c.id);
  }

  // ---- RuntimeService ---------------------------------------------------------------------------------------

  async runPodSandbox(config: PodSandboxConfig): Promise<string> {
    this.record('runPodSandbox', { name: config.metadata.name });
    const id = `sb${++this.seq}`;
    this.sandboxes.set(id, { id, config, state: 'SANDBOX_READY', createdAt: this.clock.iso(), ip: `10.244.250.${this.seq % 250}` });
    return id;
  }

  async stopPodSandbox(id: string): Promise<void> {
    const sb = this.sandbox(id);
    this.record('stopPodSandbox', { id, name: sb.config.metadata.name });
    for (const c of this.containers.values()) if (c.sandboxId === id) this.finish(c, 137, 'Error');
    sb.state = 'SANDBOX_NOTREADY';
    this.notify(id);
  }

  async removePodSandbox(id: string): Promise<void> {
    const sb = this.sandboxes.get(id);
    if (!sb) return;
    this.record('removePodSandbox', { id, name: sb.config.metadata.name });
    for (const c of [...this.containers.values()]) if (c.sandboxId === id) this.containers.delete(c.id);
    this.sandboxes.delete(id);
  }

  async podSandboxStatus(id: string): Promise<PodSandboxStatus> {
    return this.sandboxStatus(this.sandbox(id));
  }

  private sandboxStatus(sb: FakeSandbox): PodSandboxStatus {
    return {
      id: sb.id,
      metadata: sb.config.metadata,
      state: sb.state,
      createdAt: sb.createdAt,
      ip: sb.ip,
      netnsPath: '',
      hostNetwork: !!sb.config.hostNetwork,
      labels: sb.config.labels,
      annotations: sb.config.annotations,
    };
  }

  async listPodSandboxes(filter: PodSandboxFilter = {}): Promise<PodSandboxStatus[]> {
    return [...this.sandboxes.values()]
      .filter((s) => (!filter.state || s.state === filter.state) && (!filter.podUid || s.config.metadata.uid === filter.podUid))
      .map((s) => this.sandboxStatus(s));
  }

  async createContainer(sandboxId: string, config: ContainerConfig): Promise<string> {
    const sb = this.sandbox(sandboxId);
    this.record('createContainer', { name: config.metadata.name });
    if (sb.state !== 'SANDBOX_READY') throw new Error(`pod sandbox ${sandboxId} is not ready`);
    const id = `c${++this.seq}`;
    this.containers.set(id, { id, sandboxId, config, state: 'CONTAINER_CREATED', createdAt: this.clock.iso() });
    return id;
  }

  async startContainer(id: string): Promise<void> {
    const c = this.container(id);
    this.record('startContainer', { id, name: c.config.metadata.name });
    c.state = 'CONTAINER_RUNNING';
    c.startedAt = this.clock.iso();
  }

  async stopContainer(id: string, timeoutSec: number, _stopSignal?: string, cancel?: AbortSignal): Promise<void> {
    const c = this.container(id);
    this.record('stopContainer', { id, name: c.config.metadata.name, timeoutSec });
    if (c.state === 'CONTAINER_EXITED') return;
    if (c.state === 'CONTAINER_CREATED' || timeoutSec <= 0 || cancel?.aborted) return this.finish(c, 137, 'Error');
    if (!this.ignoreTerm.has(c.config.metadata.name)) return this.finish(c, 143, 'Error');
    await this.clock.sleepUntil(this.clock.now() + timeoutSec * 1000, cancel);
    this.finish(c, 137, 'Error');
  }

  async removeContainer(id: string): Promise<void> {
    const c = this.containers.get(id);
    if (!c) return;
    this.record('removeContainer', { id, name: c.config.metadata.name });
    this.containers.delete(id);
  }

  async listContainers(filter: ContainerFilter = {}): Promise<ContainerStatus[]> {
    return [...this.containers.values()]
      .filter((c) => (!filter.sandboxId || c.sandboxId === filter.sandboxId) && (!filter.state || c.state === filter.state))
      .map((c) => this.status(c));
  }

  async containerStatus(id: string): Promise<ContainerStatus> {
    return this.status(this.container(id));
  }

  private status(c: FakeContainer): ContainerStatus {
    const s: ContainerStatus = {
      id: c.id,
      sandboxId: c.sandboxId,
      name: c.config.metadata.name,
      attempt: c.config.metadata.attempt ?? 0,
      image: c.config.image,
      state: c.state,
      createdAt: c.createdAt,
      logPath: `/nonexistent/fake-logs/${c.id}.log`,
      labels: c.config.labels,
      annotations: c.config.annotations,
    };
    if (c.startedAt) s.startedAt = c.startedAt;
    if (c.finishedAt) s.finishedAt = c.finishedAt;
    if (c.exitCode !== undefined) s.exitCode = c.exitCode;
    if (c.reason) s.reason = c.reason;
    return s;
  }

  async execSync(id: string, cmd: string[]): Promise<ExecResult> {
    const c = this.container(id);
    this.record('execSync', { id, name: c.config.metadata.name, cmd });
    return this.execResult(c.config.metadata.name, cmd);
  }

  onContainerExit(cb: (id: string) => void): () => void {
    this.exitListeners.add(cb);
    return () => this.exitListeners.delete(cb);
  }

  // ---- what the test does to the "processes" ------------------------------------------------------------------

  /** The newest container of that name. */
  newest(name: string): FakeContainer | undefined {
    return [...this.containers.values()]
      .filter((c) => c.config.metadata.name === name)
      .sort((a, b) => (b.config.metadata.attempt ?? 0) - (a.config.metadata.attempt ?? 0) || Number(b.id.slice(1)) - Number(a.id.slice(1)))[0];
  }

  /** The newest running container of that name exits with `code` now (by the clock). */
  exit(name: string, code: number): void {
    const c = this.newest(name);
    if (!c || c.state !== 'CONTAINER_RUNNING') throw new Error(`fake runtime: no running container ${name}`);
    this.finish(c, code, code === 0 ? 'Completed' : 'Error');
  }

  /** Calls of one operation (optionally for one container name), in order. */
  callsOf(op: string, name?: string): FakeCall[] {
    return this.calls.filter((c) => c.op === op && (name === undefined || c.name === name));
  }
}

/** Every image is "pulled" at once; nothing is on disk (no layers, an empty config). */
export class FakeImageService implements ImageService {
  readonly images = new Map<string, ImageRecord>();
  readonly pulls: string[] = [];

  private make(ref: string): ImageRecord {
    const id = `sha256:${Buffer.from(ref).toString('hex').padEnd(64, '0').slice(0, 64)}`;
    return {
      id,
      digest: id,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      configDigest: id,
      layers: [],
      refs: [ref],
      repoDigests: [],
      size: 1,
      addedAt: new Date(0).toISOString(),
    };
  }

  imageStatus(ref: string): ImageRecord | undefined {
    return this.images.get(normalizeImageReference(ref));
  }

  async pullImage(ref: string, _opts?: PullOptions): Promise<ImageRecord> {
    const norm = normalizeImageReference(ref);
    this.pulls.push(norm);
    let img = this.images.get(norm);
    if (!img) this.images.set(norm, (img = this.make(norm)));
    return img;
  }

  listImages(): ImageSummary[] {
    return [...this.images.values()].map(({ refs, repoDigests, id, digest, size }) => ({ refs, repoDigests, id, digest, size }));
  }

  removeImage(ref: string): RemoveResult {
    const norm = normalizeImageReference(ref);
    const had = this.images.delete(norm);
    return { untagged: had ? [norm] : [], deleted: [] };
  }

  layersFor(): string[] {
    return [];
  }

  config(): ImageConfig {
    return {};
  }
}
