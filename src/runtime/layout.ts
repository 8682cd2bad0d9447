// Where the runtime keeps things. Under the data dir (disk, survives a reboot): sandbox and container
// records, containers' writable layers (overlay upper/work) and container logs. Under the run dir (tmpfs
// /run, per boot, like /run/containerd or /run/crio): runc's state, conmon's exit files and attach sockets,
// OCI bundles, rootfs mount points, pid and exec process files, termination-message files, pod files
// (hosts, hostname, resolv.conf), CNI state (IP reservations) and the infra process's log — the files made
// and removed for every pod and container, kept off the disk; none of them means anything after a reboot.
import { createHash } from 'node:crypto';
import path from 'node:path';

export const RUN_ROOT = '/run/k8ts';

/** The run dir of a data dir: /run/k8ts/<12 hex digits of sha256(absolute data dir)>. */
export function runDirFor(dataDir: string): string {
  return path.join(RUN_ROOT, createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 12));
}

export class RuntimeLayout {
  readonly runDir: string;
  constructor(
    readonly dataDir: string,
    runDir?: string,
  ) {
    this.runDir = runDir ?? runDirFor(dataDir);
  }
  get runcRoot(): string {
    return path.join(this.runDir, 'runc');
  }
  get exitDir(): string {
    return path.join(this.runDir, 'exits');
  }
  get socketDir(): string {
    return path.join(this.runDir, 'attach');
  }
  get sandboxesDir(): string {
    return path.join(this.dataDir, 'sandboxes');
  }
  get containersDir(): string {
    return path.join(this.dataDir, 'containers');
  }
  get logsDir(): string {
    return path.join(this.dataDir, 'logs');
  }
  sandboxDir(id: string): string {
    return path.join(this.sandboxesDir, id);
  }
  /** Per-boot files of a sandbox: files/ (hosts, hostname, resolv.conf), the infra process's log. */
  sandboxRunDir(id: string): string {
    return path.join(this.runDir, 'sandboxes', id);
  }
  containerDir(id: string): string {
    return path.join(this.containersDir, id);
  }
  /** Per-boot files of a container: bundle/ (config.json, conmon's ctl fifo), rootfs/, pid, exec and termination-log files. */
  containerRunDir(id: string): string {
    return path.join(this.runDir, 'containers', id);
  }
}
