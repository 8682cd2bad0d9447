// Containers of a pod sandbox: CreateContainer (overlay rootfs + OCI bundle + conmon/runc create; a process
// runc cannot make becomes a start failure), StartContainer, StopContainer (signal, grace, SIGKILL),
// RemoveContainer, status/list from records persisted under <dataDir>/containers/<id>/, and exec via `runc exec`.
import type { ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { access, mkdir, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { containerCgroupPath, memswAvailable, oomKillCount } from './cgroups.js';
import { runCommand } from './command.js';
import { startConmon } from './conmon.js';
import { ExitWatcher } from './exit_watcher.js';
import { RuntimeLayout } from './layout.js';
import { buildContainerSpec, resolveUser, type OCISpec } from './oci_spec.js';
import { mountOverlay, unmountOverlay } from './overlay.js';
import { podFilePaths, sandboxHostname } from './pod_files.js';
import { procStat } from './proc.js';
import { RecordStore } from './record_store.js';
import type { Runc } from './runc.js';
import {
  RuntimeNotFoundError,
  type ContainerConfig,
  type ContainerRecord,
  type ContainerState,
  type ContainerStatus,
  type ExecResult,
  type PodSandboxRecord,
} from './types.js';

export interface ContainerManagerOptions {
  layout: RuntimeLayout;
  runc: Runc;
  conmonPath: string;
  /** Shared watcher of conmon's exit dir (one per RuntimeService). */
  exits?: ExitWatcher;
}

/** A running `runc exec`: attach to process.stdin/stdout/stderr; `wait()` resolves with the exit code. */
export interface ExecSession {
  process: ChildProcess;
  wait(): Promise<number>;
  /** SIGKILL the exec'd process inside the container (and the runc exec client). */
  kill(): Promise<void>;
}

export interface ExecOptions {
  tty?: boolean;
}

async function exists(p: string): Promise<boolean> {
  try {
    await access(p);
    return true;
  } catch {
    return false;
  }
}

export class ContainerManager {
  private readonly layout: RuntimeLayout;
  private memsw: boolean | undefined;
  private readonly records: RecordStore<ContainerRecord>;
  /** Cached exec process.json files per container id, by command (see execProcessFile). */
  private readonly execFiles = new Map<string, Map<string, string>>();
  readonly exits: ExitWatcher;

  constructor(private readonly o: ContainerManagerOptions) {
    this.layout = o.layout;
    this.records = new RecordStore<ContainerRecord>(this.layout.containersDir, 'container.json');
    this.exits = o.exits ?? new ExitWatcher(this.layout.exitDir);
  }

  private async save(rec: ContainerRecord): Promise<void> {
    await this.records.save(rec);
  }

  /** The container's record (shared, from memory: treat as read-only). */
  async getRecord(id: string): Promise<ContainerRecord> {
    await this.exits.start();
    const rec = await this.records.get(id);
    if (!rec) throw new RuntimeNotFoundError('container', id);
    return rec;
  }

  async listRecords(): Promise<ContainerRecord[]> {
    await this.exits.start();
    return this.records.list();
  }

  async createContainer(sandbox: PodSandboxRecord, config: ContainerConfig): Promise<ContainerRecord> {
    if (sandbox.state !== 'SANDBOX_READY') throw new Error(`sandbox ${sandbox.id} is not ready`);
    const id = randomBytes(32).toString('hex');
    const dir = this.layout.containerDir(id);
    const runDir = this.layout.containerRunDir(id);
    const meta = sandbox.config.metadata;
    const attempt = config.metadata.attempt ?? 0;
    const logPath = config.logPath ?? path.join(this.layout.logsDir, `${meta.namespace}_${meta.name}_${meta.uid}`, config.metadata.name, `${attempt}.log`);
    const rootfs = path.join(runDir, 'rootfs');
    const bundle = path.join(runDir, 'bundle');
    const rec: ContainerRecord = {
      id,
      sandboxId: sandbox.id,
      podUid: meta.uid,
      podName: meta.name,
      podNamespace: meta.namespace,
      name: config.metadata.name,
      attempt,
      image: config.image,
      createdAt: new Date().toISOString(),
      bundleDir: bundle,
      rootfsDir: rootfs,
      terminationLogPath: config.terminationMessagePath ?? path.join(runDir, 'termination-log'),
      logPath,
      cgroupsPath: containerCgroupPath(sandbox.cgroupParent, id),
      stopSignal: config.imageConfig?.StopSignal || 'SIGTERM',
      labels: config.labels,
      annotations: config.annotations,
    };
    await mkdir(bundle, { recursive: true });
    await mkdir(dir, { recursive: true });
    await mkdir(path.dirname(logPath), { recursive: true });
    try {
      // the record first: an agent killed right after the mount must still know whose mount it is (its removal unmounts it)
      await this.save(rec);
      await mountOverlay(id, config.lowerDirs, { upper: path.join(dir, 'upper'), work: path.join(dir, 'work'), merged: rootfs });
      const termLog = rec.terminationLogPath!;
      if (!(await exists(termLog))) await writeFile(termLog, '');
      const etcPasswd = await readFile(path.join(rootfs, 'etc/passwd'), 'utf8').catch(() => '');
      const etcGroup = await readFile(path.join(rootfs, 'etc/group'), 'utf8').catch(() => '');
      const user = resolveUser(config.securityContext, config.imageConfig?.User, etcPasswd, etcGroup);
      this.memsw ??= await memswAvailable();
      const targetPidNamespace = config.pidNamespaceTargetId ? await this.pidNamespaceOf(sandbox, config.pidNamespaceTargetId) : undefined;
      const spec = buildContainerSpec({
        config,
        rootfs,
        user,
        podHostname: sandboxHostname(sandbox.config),
        podFiles: podFilePaths(sandbox.filesDir),
        terminationLogPath: termLog,
        netnsPath: sandbox.netnsPath,
        infraPid: sandbox.infraPid,
        hostIPC: !!sandbox.config.hostIPC,
        hostPID: !!sandbox.config.hostPID,
        sharePid: sandbox.sharedPid,
        targetPidNamespace,
        cgroupsPath: rec.cgroupsPath,
        memswAvailable: this.memsw,
      });
      await writeFile(path.join(bundle, 'config.json'), JSON.stringify(spec, null, 2));
    } catch (e) {
      await this.removeCreated(rec);
      throw e;
    }
    try {
      const { pid } = await startConmon({
        conmonPath: this.o.conmonPath,
        runtimePath: this.o.runc.path,
        runtimeRoot: this.o.runc.root,
        id,
        name: `k8ts_${config.metadata.name}_${meta.name}_${meta.namespace}_${attempt}`,
        bundleDir: bundle,
        containerPidFile: path.join(runDir, 'container.pid'),
        conmonPidFile: path.join(runDir, 'conmon.pid'),
        logPath,
        exitDir: this.layout.exitDir,
        persistDir: path.join(runDir, 'persist'),
        socketDir: this.layout.socketDir,
        conmonLogPath: path.join(runDir, 'conmon.log'),
        stdin: !!config.stdin,
        leaveStdinOpen: !!config.stdin && !config.stdinOnce,
        terminal: !!config.tty,
      });
      // kept in memory only: startContainer persists it along with startedAt (one disk write fewer per container)
      rec.pid = pid;
      return rec;
    } catch (e) {
      // The OCI runtime could not make the process (a missing binary, a bad mount...): like containerd, the
      // container exists and its start fails. Nothing of the attempt stays but the record.
      await this.releaseRuntimeState(rec);
      await unmountOverlay(rootfs).catch(() => {});
      await rm(runDir, { recursive: true, force: true }).catch(() => {});
      await rm(path.join(dir, 'upper'), { recursive: true, force: true }).catch(() => {});
      await rm(path.join(dir, 'work'), { recursive: true, force: true }).catch(() => {});
      rec.startError = (e as Error).message.split(id).join(config.metadata.name);
      await this.save(rec);
      return rec;
    }
  }

  /** Undo a create that failed before the OCI runtime ran: the record, layers, per-boot dir. */
  private async removeCreated(rec: ContainerRecord): Promise<void> {
    await this.records
      .remove(rec.id, async () => {
        await unmountOverlay(rec.rootfsDir).catch(() => {});
        await rm(this.layout.containerDir(rec.id), { recursive: true, force: true }).catch(() => {});
        await rm(this.layout.containerRunDir(rec.id), { recursive: true, force: true }).catch(() => {});
      })
      .catch(() => {});
    await this.releaseRuntimeState(rec);
  }

  /** What runc and conmon made for a container: runc's state, the exit file, the attach socket link. */
  private async releaseRuntimeState(rec: ContainerRecord): Promise<void> {
    await this.o.runc.delete(rec.id, true).catch(() => {});
    await rm(path.join(this.layout.exitDir, rec.id), { force: true }).catch(() => {});
    await rm(path.join(this.layout.socketDir, rec.id), { recursive: true, force: true }).catch(() => {});
    this.exits.forget(rec.id);
  }

  /** The PID namespace file of a running container of the same sandbox (an ephemeral container's target). */
  private async pidNamespaceOf(sandbox: PodSandboxRecord, targetId: string): Promise<string> {
    const t = await this.records.get(targetId);
    const ns = t?.pid ? `/proc/${t.pid}/ns/pid` : '';
    if (!t || t.sandboxId !== sandbox.id || !t.startedAt || t.finishedAt || !ns || !(await exists(ns)))
      throw new Error(`target container ${targetId} is not running`);
    return ns;
  }

  async startContainer(id: string): Promise<void> {
    const rec = await this.getRecord(id);
    if (rec.startedAt) throw new Error(`container ${id} already started`);
    if (rec.startError !== undefined) {
      const msg = rec.startError;
      await this.markStartFailed(rec);
      throw new Error(msg);
    }
    await this.o.runc.startFast(id, rec.pid ?? 0);
    rec.startedAt = new Date().toISOString();
    await this.save(rec);
  }

  /**
   * A container whose process could not be made is exited for good: containerd's StartError, exit code 128,
   * the runtime's message; it never started (startedAt is the zero time, shown as 1970-01-01T00:00:00Z).
   */
  private async markStartFailed(rec: ContainerRecord): Promise<void> {
    if (rec.finishedAt) return;
    rec.startedAt = new Date(0).toISOString();
    rec.finishedAt = new Date().toISOString();
    rec.exitCode = 128;
    rec.reason = 'StartError';
    rec.message = rec.startError;
    await this.save(rec);
  }

  /** Refresh exit information from conmon's exit file (and OOM evidence); persists it once found. */
  private async refresh(rec: ContainerRecord, probeRunc: boolean): Promise<ContainerState> {
    if (rec.finishedAt) return 'CONTAINER_EXITED';
    const exit = await this.exits.read(rec.id);
    if (exit) {
      const oom =
        (await oomKillCount(rec.cgroupsPath)) > 0 ||
        (await exists(path.join(this.layout.containerRunDir(rec.id), 'persist', 'oom'))) ||
        (await exists(path.join(rec.bundleDir, 'oom')));
      const termLog = rec.terminationLogPath ?? path.join(this.layout.containerRunDir(rec.id), 'termination-log');
      const msg = await readFile(termLog, 'utf8').catch(() => '');
      // Set together, after the reads: a concurrent list sees finishedAt only with the reason and message.
      if (!rec.finishedAt) {
        rec.exitCode = exit.code;
        rec.finishedAt = exit.time.toISOString();
        rec.reason = oom ? 'OOMKilled' : exit.code === 0 ? 'Completed' : 'Error';
        if (!rec.startedAt) rec.startedAt = rec.finishedAt;
        if (msg) rec.message = msg.slice(0, 4096);
      }
      await this.save(rec);
      return 'CONTAINER_EXITED';
    }
    if (!rec.startedAt) return 'CONTAINER_CREATED';
    if (probeRunc) {
      const st = await this.o.runc.state(rec.id).catch(() => null);
      if (!st || st.status === 'stopped') {
        // conmon is gone without writing an exit file: report it exited with an unknown code.
        // runc reports `stopped` a moment before conmon writes the exit file: give a live conmon time.
        const conmonAlive = await this.conmonAlive(rec.id);
        if (await this.exits.waitFor(rec.id, conmonAlive ? 5_000 : 200)) return this.refresh(rec, false);
        if (!rec.finishedAt) {
          rec.finishedAt = new Date().toISOString();
          rec.exitCode = 255;
          rec.reason = 'Unknown';
          rec.message = 'container monitor exited without recording an exit code';
        }
        await this.save(rec);
        return 'CONTAINER_EXITED';
      }
    }
    return 'CONTAINER_RUNNING';
  }

  private async conmonAlive(id: string): Promise<boolean> {
    const pid = Number((await readFile(path.join(this.layout.containerRunDir(id), 'conmon.pid'), 'utf8').catch(() => '')).trim());
    const st = pid > 0 ? procStat(pid) : undefined;
    return !!st && st.state !== 'Z' && st.comm === 'conmon';
  }

  private toStatus(rec: ContainerRecord, state: ContainerState): ContainerStatus {
    const s: ContainerStatus = {
      id: rec.id,
      sandboxId: rec.sandboxId,
      name: rec.name,
      attempt: rec.attempt,
      image: rec.image,
      state,
      createdAt: rec.createdAt,
      logPath: rec.logPath,
    };
    if (rec.startedAt) s.startedAt = rec.startedAt;
    if (rec.finishedAt) s.finishedAt = rec.finishedAt;
    if (rec.exitCode !== undefined) s.exitCode = rec.exitCode;
    if (rec.reason) s.reason = rec.reason;
    if (rec.message) s.message = rec.message;
    if (rec.pid && state === 'CONTAINER_RUNNING') s.pid = rec.pid;
    if (rec.labels) s.labels = rec.labels;
    if (rec.annotations) s.annotations = rec.annotations;
    return s;
  }

  async containerStatus(id: string): Promise<ContainerStatus> {
    const rec = await this.getRecord(id);
    return this.toStatus(rec, await this.refresh(rec, true));
  }

  /** All containers (cheap: exit files only, no runc calls). */
  async listContainers(filter: { sandboxId?: string; state?: ContainerState } = {}): Promise<ContainerStatus[]> {
    const out: ContainerStatus[] = [];
    for (const rec of await this.listRecords()) {
      if (filter.sandboxId && rec.sandboxId !== filter.sandboxId) continue;
      const st = this.toStatus(rec, await this.refresh(rec, false));
      if (filter.state && st.state !== filter.state) continue;
      out.push(st);
    }
    return out;
  }

  /**
   * Send `signal` (default: the image's StopSignal or SIGTERM), wait up to timeoutSec, then SIGKILL.
   * Aborting `cancel` ends the wait at once (a shorter grace period took over): SIGKILL now.
   */
  async stopContainer(id: string, timeoutSec: number, signal?: string, cancel?: AbortSignal): Promise<void> {
    const rec = await this.getRecord(id);
    const state = await this.refresh(rec, false);
    if (state === 'CONTAINER_EXITED') return;
    if (rec.startError !== undefined) return this.markStartFailed(rec); // no process to stop
    if (state === 'CONTAINER_CREATED') {
      // Never started: just kill the created init (it holds the runc exec fifo).
      await this.o.runc.kill(id, 'KILL');
    } else {
      if (timeoutSec > 0 && !cancel?.aborted) {
        await this.o.runc.kill(id, signal || rec.stopSignal || 'SIGTERM');
        if (await waitUnlessAborted(this.exits.waitFor(id, timeoutSec * 1000), cancel)) {
          await this.refresh(rec, false);
          return;
        }
      }
      await this.o.runc.kill(id, 'KILL', true).catch(() => this.o.runc.kill(id, 'KILL'));
    }
    if (!(await this.exits.waitFor(id, 10_000))) throw new Error(`container ${id} did not exit after SIGKILL`);
    await this.refresh(rec, false);
  }

  /** Remove the container: kill if still running, runc delete, unmount rootfs, delete its directory. */
  async removeContainer(id: string): Promise<void> {
    let rec: ContainerRecord;
    try {
      rec = await this.getRecord(id);
    } catch {
      return;
    }
    const state = await this.refresh(rec, false);
    if (state !== 'CONTAINER_EXITED') await this.stopContainer(id, 0).catch(() => {});
    await this.records.remove(id, async () => {
      await this.o.runc.delete(id).catch(() => this.o.runc.delete(id, true));
      await unmountOverlay(rec.rootfsDir);
      await rm(this.layout.containerDir(id), { recursive: true, force: true });
      await rm(this.layout.containerRunDir(id), { recursive: true, force: true });
    });
    await rm(path.join(this.layout.exitDir, id), { force: true });
    this.exits.forget(id);
    this.execFiles.delete(id);
    await rm(path.join(this.layout.socketDir, id), { recursive: true, force: true });
    // its log goes with it (upstream's kubelet removes a removed container's log file too)
    await rm(rec.logPath, { force: true });
  }

  /** Start `cmd` inside the running container with the container's user, env, cwd and capabilities. */
  async exec(id: string, cmd: string[], opts: ExecOptions = {}): Promise<ExecSession> {
    const rec = await this.getRecord(id);
    if ((await this.refresh(rec, false)) !== 'CONTAINER_RUNNING') throw new Error(`container ${id} is not running`);
    if (opts.tty) throw new Error('exec with a TTY is not supported yet');
    if (!cmd.length) throw new Error('exec needs a command');
    const spec = JSON.parse(await readFile(path.join(rec.bundleDir, 'config.json'), 'utf8')) as OCISpec;
    const proc = { ...spec.process, args: cmd, terminal: false };
    const tag = randomBytes(6).toString('hex');
    const dir = this.layout.containerRunDir(id);
    const procPath = path.join(dir, `exec-${tag}.json`);
    const pidFile = path.join(dir, `exec-${tag}.pid`);
    await writeFile(procPath, JSON.stringify(proc));
    const child = this.o.runc.execProcess(id, procPath, pidFile);
    const done = new Promise<number>((resolve) => {
      child.on('error', () => resolve(-1));
      child.on('close', (code, sig) => resolve(code ?? (sig ? 128 + 9 : -1)));
    }).finally(async () => {
      await rm(procPath, { force: true });
      await rm(pidFile, { force: true });
    });
    return {
      process: child,
      wait: () => done,
      kill: async () => {
        const pid = Number((await readFile(pidFile, 'utf8').catch(() => '')).trim());
        if (pid > 0) {
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            /* gone */
          }
        }
        child.kill('SIGKILL');
      },
    };
  }

  /**
   * The process.json for running `cmd` in the container (its spec's process with args replaced), written
   * once per container and command and reused: probes run the same command every period.
   */
  private async execProcessFile(rec: ContainerRecord, cmd: string[]): Promise<string> {
    let files = this.execFiles.get(rec.id);
    if (!files) this.execFiles.set(rec.id, (files = new Map()));
    const key = JSON.stringify(cmd);
    const cached = files.get(key);
    if (cached) return cached;
    const spec = JSON.parse(await readFile(path.join(rec.bundleDir, 'config.json'), 'utf8')) as OCISpec;
    const proc = { ...spec.process, args: cmd, terminal: false };
    const digest = createHash('sha256').update(key).digest('hex').slice(0, 16);
    const file = path.join(this.layout.containerRunDir(rec.id), `exec-cmd-${digest}.json`);
    await writeFile(file, JSON.stringify(proc));
    if (files.size < 64) files.set(key, file);
    return file;
  }

  /**
   * Run `cmd` to completion (or timeout, then SIGKILL of the process in the container) and collect its
   * output. `runc exec` is started by the spawner helper (see spawner.ts), so the agent never forks.
   * timeoutSec 0 = no timeout.
   */
  async execSync(id: string, cmd: string[], timeoutSec = 0): Promise<ExecResult> {
    const rec = await this.getRecord(id);
    if ((await this.refresh(rec, false)) !== 'CONTAINER_RUNNING') throw new Error(`container ${id} is not running`);
    if (!cmd.length) throw new Error('exec needs a command');
    const procPath = await this.execProcessFile(rec, cmd);
    const pidFile = path.join(this.layout.containerRunDir(id), `exec-${randomBytes(6).toString('hex')}.pid`);
    try {
      const r = await runCommand(this.o.runc.path, this.o.runc.execArgs(id, procPath, pidFile), {
        timeoutMs: timeoutSec > 0 ? timeoutSec * 1000 : undefined,
        killPidFileOnTimeout: pidFile,
      });
      const code = r.code === -1 && r.signal ? 128 + 9 : r.code;
      return { stdout: r.stdout, stderr: r.stderr, exitCode: r.timedOut ? -1 : code, timedOut: r.timedOut };
    } finally {
      // A plain unlink: rm() walks the path first (lstat, rimraf) and this runs for every exec probe.
      await unlink(pidFile).catch(() => {});
    }
  }
}

/** The wait's answer, or false as soon as `cancel` is aborted (the wait itself runs out on its own). */
function waitUnlessAborted(wait: Promise<boolean>, cancel?: AbortSignal): Promise<boolean> {
  if (!cancel) return wait;
  if (cancel.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = () => resolve(false);
    cancel.addEventListener('abort', onAbort, { once: true });
    void wait.then((v) => {
      cancel.removeEventListener('abort', onAbort);
      resolve(v);
    });
  });
}
