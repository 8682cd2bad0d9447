// Pod sandboxes: RunPodSandbox (netns + CNI ADD + pod files + catatonit infra container under conmon/runc),
// StopPodSandbox, RemovePodSandbox, and the JSON records under <dataDir>/sandboxes/<id>/.
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rm, rmdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { CNINetwork } from './cni.js';
import { CGROUP_ROOT, containerCgroupPath, podCgroupPath } from './cgroups.js';
import { startConmon } from './conmon.js';
import { ExitWatcher } from './exit_watcher.js';
import { createNetns, deleteNetns, netnsNameFor } from './netns.js';
import { buildInfraSpec } from './oci_spec.js';
import { writePodFiles } from './pod_files.js';
import type { Runc } from './runc.js';
import { RuntimeLayout } from './layout.js';
import { RecordStore } from './record_store.js';
import { RuntimeNotFoundError, type PodSandboxConfig, type PodSandboxRecord } from './types.js';

export interface SandboxManagerOptions {
  layout: RuntimeLayout;
  runc: Runc;
  conmonPath: string;
  catatonitPath: string;
  cni: CNINetwork;
  cgroupParent: string;
  /** Shared watcher of conmon's exit dir (one per RuntimeService). */
  exits?: ExitWatcher;
}

export class SandboxManager {
  private readonly layout: RuntimeLayout;
  private readonly records: RecordStore<PodSandboxRecord>;
  private readonly exits: ExitWatcher;

  constructor(private readonly o: SandboxManagerOptions) {
    this.layout = o.layout;
    this.records = new RecordStore<PodSandboxRecord>(this.layout.sandboxesDir, 'sandbox.json');
    this.exits = o.exits ?? new ExitWatcher(this.layout.exitDir);
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
    const hostname = config.hostname || config.metadata.name;
    const podCg = podCgroupPath(this.o.cgroupParent, config.metadata.uid);
    const rec: PodSandboxRecord = {
      id,
      config,
      createdAt: new Date().toISOString(),
      state: 'SANDBOX_NOTREADY',
      netnsPath: '',
      netnsName: '',
      ip: '',
      filesDir: path.join(dir, 'files'),
      infraPid: 0,
      cgroupParent: podCg,
      sharedPid: !!config.shareProcessNamespace && !config.hostPID,
      subnetMasquerade: true,
    };
    await mkdir(dir, { recursive: true });
    await mkdir(this.layout.exitDir, { recursive: true });
    await mkdir(this.layout.socketDir, { recursive: true });
    await this.save(rec);
    try {
      if (!hostNetwork) {
        rec.netnsName = netnsNameFor(id);
        rec.netnsPath = await createNetns(rec.netnsName);
        await this.save(rec);
      }
      // The infra container only needs the netns to exist: start it while CNI configures the network.
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
      const infra = this.startInfra(rec, hostname).then((pid) => {
        rec.infraPid = pid;
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
      await this.records.remove(id, () => rm(dir, { recursive: true, force: true })).catch(() => {});
      await this.releaseMasquerade();
      await removePodCgroupIfUnused(podCg);
      throw e;
    }
  }

  private async startInfra(rec: PodSandboxRecord, hostname: string): Promise<number> {
    const dir = this.layout.sandboxDir(rec.id);
    const bundle = path.join(dir, 'bundle');
    const rootfs = path.join(bundle, 'rootfs');
    for (const d of ['proc', 'dev']) await mkdir(path.join(rootfs, d), { recursive: true });
    await writeFile(path.join(rootfs, 'catatonit'), '');
    const cfg = rec.config;
    const spec = buildInfraSpec({
      rootfs,
      catatonitPath: this.o.catatonitPath,
      hostname,
      netnsPath: rec.netnsPath,
      hostIPC: !!cfg.hostIPC,
      hostPID: !!cfg.hostPID,
      cgroupsPath: containerCgroupPath(rec.cgroupParent, rec.id),
    });
    await writeFile(path.join(bundle, 'config.json'), JSON.stringify(spec, null, 2));
    const { pid } = await startConmon({
      conmonPath: this.o.conmonPath,
      runtimePath: this.o.runc.path,
      runtimeRoot: this.o.runc.root,
      id: rec.id,
      name: `k8ts_POD_${cfg.metadata.name}_${cfg.metadata.namespace}`,
      bundleDir: bundle,
      containerPidFile: path.join(dir, 'infra.pid'),
      conmonPidFile: path.join(dir, 'conmon.pid'),
      logPath: path.join(dir, 'infra.log'),
      exitDir: this.layout.exitDir,
      persistDir: path.join(dir, 'persist'),
      socketDir: this.layout.socketDir,
      conmonLogPath: path.join(dir, 'conmon.log'),
    });
    await this.o.runc.startFast(rec.id, pid);
    return pid;
  }

  /** Stop the infra container and release networking. Idempotent. */
  async stopPodSandbox(id: string): Promise<void> {
    const rec = await this.get(id);
    await this.teardown(rec);
    rec.state = 'SANDBOX_NOTREADY';
    await this.save(rec);
  }

  private async teardown(rec: PodSandboxRecord): Promise<void> {
    const errors: Error[] = [];
    const st = await this.o.runc.state(rec.id).catch(() => null);
    if (st) {
      if (st.status === 'running' || st.status === 'created' || st.status === 'paused') {
        await this.o.runc.kill(rec.id, 'KILL').catch((e: Error) => errors.push(e));
        if (st.status !== 'created') {
          await this.exits.waitFor(rec.id, 10_000);
        }
      }
      await this.o.runc.delete(rec.id, st.status === 'created').catch(async () => {
        await this.o.runc.delete(rec.id, true).catch((e: Error) => errors.push(e));
      });
    }
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
    await rm(path.join(this.layout.exitDir, rec.id), { force: true });
    this.exits.forget(rec.id);
    await rm(path.join(this.layout.socketDir, rec.id), { recursive: true, force: true });
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
    await this.teardown(rec);
    await this.records.remove(id, () => rm(this.layout.sandboxDir(id), { recursive: true, force: true }));
    if (!rec.config.hostNetwork) await this.releaseMasquerade();
    await removePodCgroupIfUnused(rec.cgroupParent);
  }

  /** Drop the pod subnet's masquerade rule once no sandbox on the pod network is left. */
  private async releaseMasquerade(): Promise<void> {
    await this.o.cni.masquerade
      .releaseIf(async () => !(await this.list()).some((r) => !r.config.hostNetwork))
      .catch(() => {});
  }
}

/** rmdir the pod-level cgroup in every hierarchy (fails silently while other containers of the pod use it). */
export async function removePodCgroupIfUnused(podCgroup: string): Promise<void> {
  const rel = podCgroup.replace(/^\//, '');
  if (!rel) return;
  let hs: string[] = [];
  try {
    hs = await readdir(CGROUP_ROOT);
  } catch {
    return;
  }
  for (const h of hs) await rmdir(path.join(CGROUP_ROOT, h, rel)).catch(() => {});
}
