// Runtime-facing shapes (CRI vocabulary): sandbox/container configs the kubelet passes in, and the
// status/metadata records the runtime persists and reports back.

import type { ImageConfig } from './images/oci.js';

/** Image config as the image store hands it over (the runtime part of the OCI image config). */
export type { ImageConfig };

export interface PortMapping {
  hostPort: number;
  containerPort: number;
  protocol?: 'TCP' | 'UDP' | 'SCTP';
  hostIP?: string;
}

export interface HostAlias {
  ip: string;
  hostnames: string[];
}

export interface DNSConfig {
  servers?: string[];
  searches?: string[];
  options?: string[];
}

export interface PodSandboxMetadata {
  name: string;
  namespace: string;
  uid: string;
  attempt?: number;
}

export interface PodSandboxConfig {
  metadata: PodSandboxMetadata;
  hostname?: string;
  hostNetwork?: boolean;
  hostIPC?: boolean;
  hostPID?: boolean;
  shareProcessNamespace?: boolean;
  portMappings?: PortMapping[];
  hostAliases?: HostAlias[];
  dns?: DNSConfig;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export type SandboxState = 'SANDBOX_READY' | 'SANDBOX_NOTREADY';

/** Persisted record for a pod sandbox (<dataDir>/sandboxes/<id>/sandbox.json). */
export interface PodSandboxRecord {
  id: string;
  config: PodSandboxConfig;
  createdAt: string;
  state: SandboxState;
  /** Path of the network namespace file ('' for hostNetwork). */
  netnsPath: string;
  netnsName: string;
  ip: string;
  /** Directory holding hosts, hostname, resolv.conf for the pod. */
  filesDir: string;
  /** PID of the infra process (catatonit), whose namespaces the containers join. */
  infraPid: number;
  /** Set once StopPodSandbox released everything (infra, network, netns): removal need not do it again. */
  stopped?: boolean;
  /** Start time of the infra process (/proc/<pid>/stat field 22), telling it from a later process with the same PID. */
  infraStartTime?: string;
  cgroupParent: string;
  /** Whether the infra process is PID 1 of a new PID namespace that containers join. */
  sharedPid: boolean;
  /**
   * Set when the pod's SNAT is the subnet-wide rule (PodMasquerade); absent on sandboxes made by older
   * agents, whose CNI DEL must also remove the bridge plugin's per-pod masquerade chain.
   */
  subnetMasquerade?: boolean;
}

export interface Mount {
  containerPath: string;
  hostPath: string;
  readonly?: boolean;
  /** 'private' (default), 'rslave' (HostToContainer) or 'rshared' (Bidirectional). */
  propagation?: 'private' | 'rslave' | 'rshared';
}

export interface Capabilities {
  add?: string[];
  drop?: string[];
}

export interface SecurityContext {
  privileged?: boolean;
  runAsUser?: number;
  runAsGroup?: number;
  supplementalGroups?: number[];
  readOnlyRootFilesystem?: boolean;
  allowPrivilegeEscalation?: boolean;
  capabilities?: Capabilities;
}

export interface LinuxResources {
  /** Bytes; 0/undefined = unlimited. */
  memoryLimitBytes?: number;
  cpuShares?: number;
  cpuQuota?: number;
  cpuPeriod?: number;
  pidsLimit?: number;
}

export interface ContainerMetadata {
  name: string;
  attempt?: number;
}

export interface ContainerConfig {
  metadata: ContainerMetadata;
  image: string;
  /** Overlay lower layers, top-most first (as overlayfs lowerdir lists them). */
  lowerDirs: string[];
  imageConfig?: ImageConfig;
  command?: string[];
  args?: string[];
  workingDir?: string;
  env?: { name: string; value: string }[];
  mounts?: Mount[];
  tty?: boolean;
  stdin?: boolean;
  stdinOnce?: boolean;
  securityContext?: SecurityContext;
  resources?: LinuxResources;
  /** CRI log file; default <dataDir>/logs/<ns>_<pod>_<uid>/<name>/<attempt>.log. */
  logPath?: string;
  /** Host file to bind at the container's termination message path (created by the runtime when omitted). */
  terminationMessagePath?: string;
  /** Where the container writes its termination message (the pod spec's terminationMessagePath); default /dev/termination-log. */
  terminationMessageContainerPath?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  /** CRI's NamespaceMode TARGET: join the PID namespace of this running container of the same sandbox. */
  pidNamespaceTargetId?: string;
}

export type ContainerState = 'CONTAINER_CREATED' | 'CONTAINER_RUNNING' | 'CONTAINER_EXITED' | 'CONTAINER_UNKNOWN';

/**
 * The one container shape the runtime and the kubelet share (CRI ContainerStatus' core): identity, image,
 * times and exit. The persisted record, the CRI status and the kubelet's view (kuberuntime/pod_status.ts)
 * extend it rather than copy it.
 */
export interface ContainerInfo {
  id: string;
  sandboxId: string;
  name: string;
  image: string;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  exitCode?: number;
  reason?: string;
  message?: string;
  /** CRI log file of this instance. */
  logPath: string;
}

/** Persisted record for a container (<dataDir>/containers/<id>/container.json). */
export interface ContainerRecord extends ContainerInfo {
  podUid: string;
  podName: string;
  podNamespace: string;
  attempt: number;
  pid?: number;
  /**
   * Why the OCI runtime could not create the container's process (runc create failed under conmon): the
   * container exists but StartContainer fails with this (StartError, exit code 128), as with containerd.
   */
  startError?: string;
  bundleDir: string;
  rootfsDir: string;
  /** Host file bound at the container's termination message path (absent on records of older agents). */
  terminationLogPath?: string;
  cgroupsPath: string;
  stopSignal: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** CRI ContainerStatus: the record's public part plus the state read from the runtime. */
export interface ContainerStatus extends ContainerInfo {
  attempt: number;
  state: ContainerState;
  pid?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface PodSandboxStatus {
  id: string;
  metadata: PodSandboxMetadata;
  state: SandboxState;
  createdAt: string;
  ip: string;
  netnsPath: string;
  hostNetwork: boolean;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface ExecResult {
  stdout: string;
  stderr: string;
  exitCode: number;
  timedOut: boolean;
}

export class RuntimeNotFoundError extends Error {
  constructor(kind: 'sandbox' | 'container', id: string) {
    super(`${kind} ${JSON.stringify(id)} not found`);
    this.name = 'RuntimeNotFoundError';
  }
}
