// The CRI seam (upstream internalapi.RuntimeService / ImageManagerService): the verbs the kubelet may use on
// a container runtime. The kubelet depends on these interfaces only; index.ts implements them over runc,
// conmon, catatonit and CNI, and test/helpers/fake_runtime.ts in memory.
import type { ImageConfig } from './images/oci.js';
import type { PullOptions } from './images/pull.js';
import type { ImageRecord, ImageSummary, RemoveResult } from './images/store_types.js';
import type { CgroupUsage } from './cgroup_stats.js';
import type { ContainerConfig, ContainerState, ContainerStatus, ExecResult, PodSandboxConfig, PodSandboxStatus, SandboxState } from './types.js';

export interface PodSandboxFilter {
  state?: SandboxState;
  podUid?: string;
}

export interface ContainerFilter {
  sandboxId?: string;
  state?: ContainerState;
}

export interface RuntimeService {
  /** CRI RunPodSandbox: network namespace, IP, infra process; returns the sandbox id. */
  runPodSandbox(config: PodSandboxConfig): Promise<string>;
  /** CRI StopPodSandbox: kills the sandbox's containers and releases its network (idempotent). */
  stopPodSandbox(id: string): Promise<void>;
  /** CRI RemovePodSandbox: removes its containers and the sandbox; a missing sandbox is not an error. */
  removePodSandbox(id: string): Promise<void>;
  podSandboxStatus(id: string): Promise<PodSandboxStatus>;
  listPodSandboxes(filter?: PodSandboxFilter): Promise<PodSandboxStatus[]>;

  createContainer(sandboxId: string, config: ContainerConfig): Promise<string>;
  startContainer(id: string): Promise<void>;
  /**
   * CRI StopContainer: the stop signal (`stopSignal`, else the image's, else SIGTERM), up to `timeoutSec`
   * for the container to exit, then SIGKILL. Aborting `cancel` cuts the wait short: SIGKILL at once (a
   * shorter grace period replaced this stop).
   */
  stopContainer(id: string, timeoutSec: number, stopSignal?: string, cancel?: AbortSignal): Promise<void>;
  removeContainer(id: string): Promise<void>;
  listContainers(filter?: ContainerFilter): Promise<ContainerStatus[]>;
  containerStatus(id: string): Promise<ContainerStatus>;
  /** CRI ExecSync: runs a command in the container and returns its output (probes, hooks). */
  execSync(id: string, cmd: string[], timeoutSec?: number): Promise<ExecResult>;

  /** Called (possibly spuriously, id '' = anything) when a container may have exited; returns an unsubscribe. */
  onContainerExit?(cb: (id: string) => void): () => void;
  /** Checks the runtime can work (binaries present); called once at agent start. */
  verify?(): Promise<void>;
  /** CRI ContainerStats: the container cgroup's cumulative CPU and memory now; undefined when it has none (exited). */
  containerStats?(id: string): Promise<CgroupUsage | undefined>;
  /** CRI PodSandboxStats: the same for the pod's cgroup (its containers and the infra process). */
  podSandboxStats?(id: string): Promise<CgroupUsage | undefined>;
}

export interface ImageService {
  /** CRI ImageStatus: the image a reference (or image ID) names on this node, if any. */
  imageStatus(ref: string): ImageRecord | undefined;
  /** CRI PullImage (credentials and an AbortSignal in `opts`). */
  pullImage(ref: string, opts?: PullOptions): Promise<ImageRecord>;
  listImages(): ImageSummary[];
  removeImage(ref: string): RemoveResult;
  /** What a container is created from: the unpacked layers (overlay lower dirs, top-most first)... */
  layersFor(image: ImageRecord): string[];
  /** ...and the image's runtime config (Entrypoint, Cmd, Env, User, StopSignal...). */
  config(image: ImageRecord): ImageConfig;
}
