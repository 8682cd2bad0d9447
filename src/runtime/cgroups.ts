// cgroupfs helpers (v1 hierarchies, or the v2 unified root): pod/container cgroup paths, OOM-kill
// detection from the memory controller, moving a process into a cgroup, and removal of cgroup directories
// in every hierarchy.
import { mkdirSync, writeFileSync } from 'node:fs';
import { access, readdir, readFile, rmdir } from 'node:fs/promises';
import path from 'node:path';

export const CGROUP_ROOT = '/sys/fs/cgroup';

export function podCgroupPath(parent: string, podUid: string): string {
  return `${parent.replace(/\/$/, '')}/pod${podUid}`;
}

export function containerCgroupPath(podCgroup: string, containerId: string): string {
  return `${podCgroup}/${containerId}`;
}

export async function memswAvailable(): Promise<boolean> {
  try {
    await access(path.join(CGROUP_ROOT, 'memory', 'memory.memsw.limit_in_bytes'));
    return true;
  } catch {
    return false;
  }
}

/** Number of OOM kills recorded in the container's memory cgroup (0 when unknown/absent). */
export async function oomKillCount(cgroupsPath: string): Promise<number> {
  for (const f of [path.join(CGROUP_ROOT, 'memory', cgroupsPath, 'memory.oom_control'), path.join(CGROUP_ROOT, 'unified', cgroupsPath, 'memory.events')]) {
    try {
      const text = await readFile(f, 'utf8');
      const m = /^oom_kill (\d+)$/m.exec(text);
      if (m) return Number(m[1]);
    } catch {
      /* next */
    }
  }
  return 0;
}

let hierarchyList: Promise<string[]> | undefined;

/**
 * Mounted hierarchies (read once per process): CGROUP_ROOT itself on a v2-only host, else its v1 (and hybrid
 * 'unified') mounts.
 */
function hierarchies(): Promise<string[]> {
  return (hierarchyList ??= (async () => {
    try {
      await access(path.join(CGROUP_ROOT, 'cgroup.controllers'));
      return [CGROUP_ROOT];
    } catch {
      /* v1 or hybrid */
    }
    try {
      const ents = await readdir(CGROUP_ROOT, { withFileTypes: true });
      return ents.filter((e) => e.isDirectory()).map((e) => path.join(CGROUP_ROOT, e.name));
    } catch {
      return [];
    }
  })());
}

/**
 * Move a process into `cgroupPath` in every hierarchy, creating the directories. A v1 cpuset hierarchy is
 * left alone (a new cpuset cgroup has no CPUs to run on until configured; runc does that for containers).
 * Returns the hierarchies where it failed (the process then stays where it was there).
 */
export async function joinCgroup(pid: number, cgroupPath: string): Promise<string[]> {
  const rel = cgroupPath.replace(/^\//, '');
  const failed: string[] = [];
  if (!rel) return failed;
  for (const h of await hierarchies()) {
    if (path.basename(h) === 'cpuset') continue;
    const dir = path.join(h, rel);
    // cgroupfs is in-kernel and answers at once: synchronous calls spare ~30 thread-pool round trips per pod
    try {
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, 'cgroup.procs'), String(pid));
    } catch {
      failed.push(h);
    }
  }
  return failed;
}

/** rmdir a cgroup path (and its empty children) in every mounted hierarchy. Missing dirs are fine. */
export async function removeCgroup(cgroupPath: string): Promise<string[]> {
  const failed: string[] = [];
  const rmTree = async (dir: string): Promise<void> => {
    let ents;
    try {
      ents = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of ents) if (e.isDirectory()) await rmTree(path.join(dir, e.name));
    try {
      await rmdir(dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') failed.push(dir);
    }
  };
  const rel = cgroupPath.replace(/^\//, '');
  if (!rel) return failed;
  for (const h of await hierarchies()) {
    // name=systemd and cpu,cpuacct-style symlinks are listed too; rmTree tolerates repeats.
    await rmTree(path.join(h, rel));
  }
  return failed;
}

/** rmdir the pod-level cgroup in every hierarchy (fails silently while other containers of the pod use it). */
export async function removePodCgroupIfUnused(podCgroup: string): Promise<void> {
  const rel = podCgroup.replace(/^\//, '');
  if (!rel) return;
  for (const h of await hierarchies()) await rmdir(path.join(h, rel)).catch(() => {});
}
