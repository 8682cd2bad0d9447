// Pod sandboxes: RunPodSandbox (netns + CNI ADD + pod files + the catatonit infra process, see infra.ts),
// StopPodSandbox, RemovePodSandbox, and the JSON records under <dataDir>/sandboxes/<id>/.
import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { CNINetwork } from './cni.js';
import { containerCgroupPath, podCgroupPath, removeCgroup, removePodCgroupIfUnused } from './cgroups.js';
import { infraAlive, startInfra, stopInfra } from './infra.js';
import { createNetns, deleteNetns, netnsNameFor, netnsPath } from './netns.js';
import { sandboxHostname, writePodFiles } from './pod_files.js';
import { RuntimeLayout } from './layout.js';
import { RecordStore } from './record_store.js';
import { RuntimeNotFoundError, type PodSandboxConfig, type PodSandboxRecord } from './types.js';

export interface SandboxManagerOptions {
  layout: RuntimeLayout;
  catatonitPath: string;
  cni: CNINetwork;
  cgroupParent: string;
}

export class SandboxManager {
  private readonly layout: RuntimeLayout;
  private readonly records: RecordStore<PodSandboxRecord>;

  constructor(private readonly o: SandboxManagerOptions) {
    this.layout = o.layout;
    this.records = new RecordStore<PodSandboxRecord>(this.layout.sandboxesDir, 'sandbox.json');
  }

  async save(rec: PodSandboxRecord): Promise<void> {
    await this.records.save(rec);
  }

  /** The sandbox's record (shared, from memory: treat as read-only). */
  async get(id: string): Promise<PodSandboxRecord> {
    const rec = await this.records.get(id);
    if (!rec) throw new RuntimeNotFoundError('sandbox', id);
    return rec;
  }

  async list(): Promise<PodSandboxRecord[]> {
    return this.records.list();
  }

  async runPodSandbox(config: PodSandboxConfig): Promise<PodSandboxRecord> {
    const id = randomBytes(32).toString('hex');
    const dir = this.layout.sandboxDir(id);
    const hostNetwork = !!config.hostNetwork;
    const hostname = sandboxHostname(config);
    const podCg = podCgroupPath(this.o.cgroupParent, config.metadata.uid);
    const rec: PodSandboxRecord = {
      id,
      config,
      createdAt: new Date().toISOString(),
      state: 'SANDBOX_NOTREADY',
      netnsPath: '',
      netnsName: '',
      ip: '',
      filesDir: path.join(this.layout.sandboxRunDir(id), 'files'),
      infraPid: 0,
      cgroupParent: podCg,
      sharedPid: !!config.shareProcessNamespace && !config.hostPID,
      subnetMasquerade: true,
    };
    const runDir = this.layout.sandboxRunDir(id);
    await mkdir(dir, { recursive: true });
    await mkdir(runDir, { recursive: true });
    if (!hostNetwork) {
      // recorded before it exists, so a crash right after creating it leaves nothing unaccounted for
      rec.netnsName = netnsNameFor(id);
      rec.netnsPath = netnsPath(rec.netnsName);
    }
    await this.save(rec);
    try {
      if (!hostNetwork) await createNetns(rec.netnsName);
      // The infra process only needs the netns to exist: start it while CNI configures the network.
      const network = hostNetwork
        ? Promise.resolve()
        : this.o.cni
            .add({
              containerId: id,
              netnsPath: rec.netnsPath,
              podName: config.metadata.name,
              podNamespace: config.metadata.namespace,
              podUid: config.metadata.uid,
              portMappings: config.portMappings,
            })
            .then(({ ip }) => {
              rec.ip = ip;
            });
      const infra = startInfra({
        catatonitPath: this.o.catatonitPath,
        netnsPath: rec.netnsPath,
        hostIPC: !!config.hostIPC,
        sharedPid: rec.sharedPid,
        cgroupPath: containerCgroupPath(podCg, id),
        logPath: path.join(runDir, 'infra.log'),
      }).then((p) => {
        rec.infraPid = p.pid;
        rec.infraStartTime = p.startTime;
      });
      const [net, inf] = await Promise.allSettled([network, infra]);
      if (net.status === 'rejected') throw net.reason;
      if (inf.status === 'rejected') throw inf.reason;
      await writePodFiles({
        dir: rec.filesDir,
        hostname,
        podIP: rec.ip,
        hostNetwork,
        hostAliases: config.hostAliases,
        dns: config.dns,
      });
      rec.state = 'SANDBOX_READY';
      await this.save(rec);
      return rec;
    } catch (e) {
      await this.teardown(rec).catch(() => {});
      await this.records.remove(id, () => this.removeDirs(id)).catch(() => {});
      await this.releaseMasquerade();
      await removePodCgroupIfUnused(podCg);
      throw e;
    }
  }

  /**
   * Whether the sandbox's infra process still runs; a sandbox whose infra died is marked not ready (the
   * kubelet then makes the pod a new one) and false is returned. Containers must not be created otherwise:
   * they join the namespaces through /proc/<infra pid>/ns/*.
   */
  async checkInfra(rec: PodSandboxRecord): Promise<boolean> {
    if (rec.state !== 'SANDBOX_READY') return false;
    if (rec.infraStartTime && (await infraAlive({ pid: rec.infraPid, startTime: rec.infraStartTime }))) return true;
    rec.state = 'SANDBOX_NOTREADY';
    await this.save(rec);
    return false;
  }

  /** Stop the infra process and release networking. Idempotent. */
  async stopPodSandbox(id: string): Promise<void> {
    const rec = await this.get(id);
    if (rec.stopped) return;
    await this.teardown(rec);
    rec.state = 'SANDBOX_NOTREADY';
    rec.stopped = true;
    await this.save(rec);
  }

  private async teardown(rec: PodSandboxRecord): Promise<void> {
    const errors: Error[] = [];
    if (rec.infraStartTime) await stopInfra({ pid: rec.infraPid, startTime: rec.infraStartTime }).catch((e: Error) => errors.push(e));
    await removeCgroup(containerCgroupPath(rec.cgroupParent, rec.id));
    if (rec.netnsPath) {
      // CNI DEL must run while the netns still exists, or the bridge plugin cannot find the IPs to unmasquerade.
      await this.o.cni
        .del({
          containerId: rec.id,
          netnsPath: rec.netnsPath,
          podName: rec.config.metadata.name,
          podNamespace: rec.config.metadata.namespace,
          podUid: rec.config.metadata.uid,
          portMappings: rec.config.portMappings,
          legacyIPMasq: !rec.subnetMasquerade,
        })
        .catch((e: Error) => errors.push(e));
    }
    if (rec.netnsName) await deleteNetns(rec.netnsName).catch((e: Error) => errors.push(e));
    if (errors.length) throw errors[0];
  }

  /** Remove everything of the sandbox (stopping it first if needed). Missing sandbox is not an error. */
  async removePodSandbox(id: string): Promise<void> {
    let rec: PodSandboxRecord;
    try {
      rec = await this.get(id);
    } catch {
      return;
    }
    if (!rec.stopped) await this.teardown(rec);
    await this.records.remove(id, () => this.removeDirs(id));
    if (!rec.config.hostNetwork) await this.releaseMasquerade();
    await removePodCgroupIfUnused(rec.cgroupParent);
  }

  private async removeDirs(id: string): Promise<void> {
    await rm(this.layout.sandboxDir(id), { recursive: true, force: true });
    await rm(this.layout.sandboxRunDir(id), { recursive: true, force: true });
  }

  /** Drop the pod subnet's masquerade rule once no sandbox on the pod network is left. */
  private async releaseMasquerade(): Promise<void> {
    await this.o.cni.masquerade.releaseIf(async () => !(await this.list()).some((r) => !r.config.hostNetwork)).catch(() => {});
  }
}
