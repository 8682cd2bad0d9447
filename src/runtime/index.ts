// RuncRuntimeService: the CRI RuntimeService (cri.ts) the kubelet uses — pod sandboxes, containers, exec —
// over runc, conmon, catatonit and CNI, with all state under one data dir.
import { access } from 'node:fs/promises';
import path from 'node:path';
import { CNINetwork } from './cni.js';
import { readCgroupUsage, type CgroupUsage } from './cgroup_stats.js';
import { ExitWatcher } from './exit_watcher.js';
import { INFRA_TOOLS } from './infra.js';
import { ContainerManager, type ExecOptions, type ExecSession } from './container.js';
import { RuntimeLayout } from './layout.js';
import { Runc } from './runc.js';
import { SandboxManager } from './sandbox.js';
import { spawner } from './spawner.js';
import { errMessage, logger, type Logger } from '../log/logger.js';
import type { ContainerFilter, PodSandboxFilter, RuntimeService } from './cri.js';
import type { ContainerConfig, ContainerStatus, ExecResult, PodSandboxConfig, PodSandboxStatus, PodSandboxRecord } from './types.js';

export * from './types.js';
export type { CgroupUsage } from './cgroup_stats.js';
export { readNodeUsage } from './cgroup_stats.js';
export type * from './cri.js';
export type { ExecSession, ExecOptions } from './container.js';

export interface RuntimeServiceOptions {
  dataDir: string;
  runcPath?: string;
  conmonPath?: string;
  catatonitPath?: string;
  cniBinDir?: string;
  /** Linux bridge for pods (≤ 15 chars), e.g. k8ts0. */
  bridgeName: string;
  /** Pod CIDR for this node, inside 10.244.0.0/16. */
  podSubnet: string;
  /** The cluster's pod range: pod traffic leaving it is masqueraded (default: podSubnet alone). */
  clusterCIDR?: string;
  /** host-local IPAM + cached CNI results; default <runDir>/cni (per boot: no stale IP reservations after a reboot). */
  cniStateDir?: string;
  cniNetworkName?: string;
  /** Per-boot state (tmpfs); default /run/k8ts/<hash of dataDir>, see layout.ts. */
  runDir?: string;
  /** cgroupfs parent for pod cgroups (default /k8ts): pods live at <parent>/pod<uid>/<container id>. */
  cgroupParent?: string;
  /** Default: the runtime component logger. */
  log?: Logger;
}

function sandboxStatus(r: PodSandboxRecord): PodSandboxStatus {
  const s: PodSandboxStatus = {
    id: r.id,
    metadata: r.config.metadata,
    state: r.state,
    createdAt: r.createdAt,
    ip: r.ip,
    netnsPath: r.netnsPath,
    hostNetwork: !!r.config.hostNetwork,
  };
  if (r.config.labels) s.labels = r.config.labels;
  if (r.config.annotations) s.annotations = r.config.annotations;
  return s;
}

export class RuncRuntimeService implements RuntimeService {
  readonly layout: RuntimeLayout;
  readonly runc: Runc;
  readonly cni: CNINetwork;
  readonly sandboxes: SandboxManager;
  readonly containers: ContainerManager;
  /** conmon's exit dir, watched: container/sandbox exits without polling. */
  readonly exits: ExitWatcher;
  private readonly binaries: string[];
  readonly log: Logger;

  constructor(readonly opts: RuntimeServiceOptions) {
    this.log = opts.log ?? logger('runtime');
    this.layout = new RuntimeLayout(path.resolve(opts.dataDir), opts.runDir);
    this.runc = new Runc(opts.runcPath ?? '/usr/sbin/runc', this.layout.runcRoot);
    this.cni = new CNINetwork({
      binDir: opts.cniBinDir ?? '/usr/lib/cni',
      bridgeName: opts.bridgeName,
      podSubnet: opts.podSubnet,
      clusterCIDR: opts.clusterCIDR,
      stateDir: opts.cniStateDir ?? path.join(this.layout.runDir, 'cni'),
      networkName: opts.cniNetworkName,
    });
    const conmonPath = opts.conmonPath ?? '/usr/bin/conmon';
    this.exits = new ExitWatcher(this.layout.exitDir);
    this.binaries = [this.runc.path, conmonPath, opts.catatonitPath ?? '/usr/bin/catatonit', ...INFRA_TOOLS];
    this.sandboxes = new SandboxManager({
      layout: this.layout,
      catatonitPath: opts.catatonitPath ?? '/usr/bin/catatonit',
      cni: this.cni,
      cgroupParent: opts.cgroupParent ?? '/k8ts',
    });
    this.containers = new ContainerManager({ layout: this.layout, runc: this.runc, conmonPath, exits: this.exits });
  }

  /** Check the binaries exist (call once at agent start). */
  async verify(): Promise<void> {
    spawner()?.warm();
    for (const p of this.binaries) await access(p);
  }

  /**
   * Called (possibly spuriously, id '' = anything) when a container or sandbox may have exited: lets the
   * PLEG relist at once instead of at its next period. Returns an unsubscribe function.
   */
  onContainerExit(cb: (id: string) => void): () => void {
    void this.exits.start().catch((e) => this.log.error({ err: errMessage(e) }, 'Watching container exits failed; exits are seen at the next relist only'));
    return this.exits.onChange(cb);
  }

  async runPodSandbox(config: PodSandboxConfig): Promise<string> {
    return (await this.sandboxes.runPodSandbox(config)).id;
  }

  /** Kill every container of the sandbox, then stop the infra process and release the network. */
  async stopPodSandbox(id: string): Promise<void> {
    await this.sandboxes.get(id);
    for (const c of await this.containers.listContainers({ sandboxId: id })) {
      if (c.state !== 'CONTAINER_EXITED') await this.containers.stopContainer(c.id, 0);
    }
    await this.sandboxes.stopPodSandbox(id);
  }

  /** Remove every container of the sandbox and the sandbox itself. Missing sandbox is not an error. */
  async removePodSandbox(id: string): Promise<void> {
    for (const c of await this.containers.listContainers({ sandboxId: id })) await this.containers.removeContainer(c.id);
    await this.sandboxes.removePodSandbox(id);
  }

  /** Ready unless the sandbox was stopped or its infra process is gone (then it is marked not ready for good). */
  async podSandboxStatus(id: string): Promise<PodSandboxStatus> {
    const rec = await this.sandboxes.get(id);
    if (rec.state === 'SANDBOX_READY') await this.sandboxes.checkInfra(rec);
    return sandboxStatus(rec);
  }

  /** As podSandboxStatus for each sandbox: the PLEG's relist notices a dead infra process this way. */
  async listPodSandboxes(filter: PodSandboxFilter = {}): Promise<PodSandboxStatus[]> {
    const recs = await this.sandboxes.list();
    for (const r of recs) if (r.state === 'SANDBOX_READY') await this.sandboxes.checkInfra(r);
    return recs.filter((r) => (!filter.state || r.state === filter.state) && (!filter.podUid || r.config.metadata.uid === filter.podUid)).map(sandboxStatus);
  }

  async createContainer(sandboxId: string, config: ContainerConfig): Promise<string> {
    const sb = await this.sandboxes.get(sandboxId);
    if (!(await this.sandboxes.checkInfra(sb))) throw new Error(`pod sandbox ${sandboxId} is not ready: its infra process is gone`);
    return (await this.containers.createContainer(sb, config)).id;
  }

  startContainer(id: string): Promise<void> {
    return this.containers.startContainer(id);
  }

  stopContainer(id: string, timeoutSec: number, stopSignal?: string, cancel?: AbortSignal): Promise<void> {
    return this.containers.stopContainer(id, timeoutSec, stopSignal, cancel);
  }

  removeContainer(id: string): Promise<void> {
    return this.containers.removeContainer(id);
  }

  listContainers(filter: ContainerFilter = {}): Promise<ContainerStatus[]> {
    return this.containers.listContainers(filter);
  }

  containerStatus(id: string): Promise<ContainerStatus> {
    return this.containers.containerStatus(id);
  }

  execSync(id: string, cmd: string[], timeoutSec = 0): Promise<ExecResult> {
    return this.containers.execSync(id, cmd, timeoutSec);
  }

  exec(id: string, cmd: string[], opts: ExecOptions = {}): Promise<ExecSession> {
    return this.containers.exec(id, cmd, opts);
  }

  async containerStats(id: string): Promise<CgroupUsage | undefined> {
    const rec = await this.containers.getRecord(id);
    return readCgroupUsage(rec.cgroupsPath);
  }

  async podSandboxStats(id: string): Promise<CgroupUsage | undefined> {
    const rec = await this.sandboxes.get(id);
    return readCgroupUsage(rec.cgroupParent);
  }
}
