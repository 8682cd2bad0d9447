// The pod's infra ("pause") process: `catatonit -P`, joined to the pod's network namespace, holding the
// pod's IPC and UTS namespaces (and, for shareProcessNamespace, being PID 1 of the shared PID namespace)
// that every container of the pod joins. It is started without an OCI runtime — util-linux nsenter joins
// the netns, unshare makes the other namespaces and switches to an unprivileged uid/gid (no groups, no
// capabilities) — so a pod costs one `runc create` (its container's), not two. It runs in its own session in the sandbox's leaf cgroup and outlives the
// agent. Identity is its PID plus its start time, so a recycled PID is never mistaken for it.
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { joinCgroup } from './cgroups.js';
import { procStat } from './proc.js';
import { startDetached } from './command.js';

export interface InfraOptions {
  catatonitPath: string;
  /** Network namespace file to join; '' = host network (then the host's UTS namespace too). */
  netnsPath: string;
  hostIPC: boolean;
  /** Create a PID namespace with catatonit as its PID 1 (shareProcessNamespace without hostPID). */
  sharedPid: boolean;
  /** Leaf cgroup for the process, e.g. /k8ts/pod<uid>/<sandbox id>. */
  cgroupPath: string;
  /** catatonit's stdout/stderr. */
  logPath: string;
}

export interface InfraProcess {
  pid: number;
  /** Field 22 of /proc/<pid>/stat (clock ticks after boot): tells this process from a later one with its PID. */
  startTime: string;
}

/** uid/gid of the infra process (the conventional "nobody"-like id of Kubernetes' pause image). */
export const INFRA_UID = 65535;

const NSENTER = '/usr/bin/nsenter';
const UNSHARE = '/usr/bin/unshare';
/** util-linux tools the launch needs (checked at agent start). */
export const INFRA_TOOLS = [NSENTER, UNSHARE];

/** The command line: [nsenter --net=…] unshare [--ipc] [--uts] [--pid --fork] --setgid … --setuid … catatonit -P. */
export function infraCommand(o: Pick<InfraOptions, 'catatonitPath' | 'netnsPath' | 'hostIPC' | 'sharedPid'>): { file: string; args: string[] } {
  const unshare = [UNSHARE];
  if (!o.hostIPC) unshare.push('--ipc');
  if (o.netnsPath) unshare.push('--uts');
  if (o.sharedPid) unshare.push('--pid', '--fork');
  // --setgid also drops supplementary groups; leaving uid 0 clears every capability
  unshare.push(`--setgid=${INFRA_UID}`, `--setuid=${INFRA_UID}`);
  const argv = [...(o.netnsPath ? [NSENTER, `--net=${o.netnsPath}`, '--'] : []), ...unshare, '--', o.catatonitPath, '-P'];
  return { file: argv[0]!, args: argv.slice(1) };
}

function firstChild(pid: number): number {
  let text = '';
  try {
    text = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8');
  } catch {
    /* gone */
  }
  return Number(text.trim().split(/\s+/)[0]) || 0;
}

/**
 * Wait until `pid` (or, behind `unshare --fork`, its child) has exec'd catatonit — only then are its
 * namespaces the pod's and safe for containers to join.
 */
async function awaitCatatonit(launcherPid: number, forks: boolean, timeoutMs: number): Promise<InfraProcess> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 1; ; delay = Math.min(delay * 2, 20)) {
    const pid = forks ? firstChild(launcherPid) : launcherPid;
    const st = pid ? procStat(pid) : undefined;
    if (st?.comm === 'catatonit' && st.state !== 'Z') return { pid, startTime: st.startTime };
    const launcher = procStat(launcherPid);
    if (!launcher || launcher.state === 'Z') throw new Error('infra process exited before it started catatonit');
    if (Date.now() > deadline) throw new Error(`infra process did not start catatonit within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, delay));
  }
}

/** Start the infra process; resolves once catatonit runs in the pod's namespaces and cgroup. */
export async function startInfra(o: InfraOptions, timeoutMs = 10_000): Promise<InfraProcess> {
  const { file, args } = infraCommand(o);
  const launcher = await startDetached(file, args, o.logPath);
  let infra: InfraProcess;
  try {
    infra = await awaitCatatonit(launcher, o.sharedPid, timeoutMs);
  } catch (e) {
    killQuietly(launcher);
    const log = (await readFile(o.logPath, 'utf8').catch(() => '')).trim();
    throw new Error(`${(e as Error).message}${log ? `: ${log.slice(-300)}` : ''}`);
  }
  const failed = await joinCgroup(infra.pid, o.cgroupPath);
  if (failed.length) {
    await stopInfra(infra);
    throw new Error(`cannot move the infra process into cgroup ${o.cgroupPath} (${failed.join(', ')})`);
  }
  return infra;
}

/** Whether the infra process is still the one that was started (alive, same start time). */
export async function infraAlive(p: InfraProcess): Promise<boolean> {
  const st = procStat(p.pid);
  return !!st && st.startTime === p.startTime && st.state !== 'Z';
}

/** SIGKILL the infra process (if it is still ours) and wait until it is gone. Idempotent. */
export async function stopInfra(p: InfraProcess, timeoutMs = 10_000): Promise<void> {
  if (!(await infraAlive(p))) return;
  killQuietly(p.pid);
  const deadline = Date.now() + timeoutMs;
  while (await infraAlive(p)) {
    if (Date.now() > deadline) throw new Error(`infra process ${p.pid} still running ${timeoutMs} ms after SIGKILL`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    /* already gone */
  }
}
