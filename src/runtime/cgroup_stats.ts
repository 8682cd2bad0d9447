// Resource usage read from cgroupfs (cAdvisor's role for CRI stats): cumulative CPU time and memory usage /
// working set of a cgroup, on v1 hierarchies (cpuacct + memory controllers) or the v2 unified tree, and the
// machine's totals from the root cgroup or /proc. Parsers are pure; readers return undefined when absent.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { CGROUP_ROOT } from './cgroups.js';

/** One reading of a cgroup (CRI ContainerStats' cpu + memory parts). */
export interface CgroupUsage {
  /** Epoch ms of the reading. */
  timestamp: number;
  /** Cumulative CPU time of every task in the cgroup, in nanoseconds. */
  cpuUsageCoreNanoSeconds?: number;
  /** memory.usage_in_bytes (v1) / memory.current (v2). */
  memoryUsageBytes?: number;
  /** usage − inactive_file (cAdvisor's working set: what the kernel cannot reclaim easily). */
  memoryWorkingSetBytes?: number;
  memoryRssBytes?: number;
  pageFaults?: number;
  majorPageFaults?: number;
}

/** "key value" lines (memory.stat, cpu.stat) into a map of numbers. */
export function parseFlatKeyed(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const [k, v] = line.trim().split(/\s+/);
    if (k && v !== undefined && /^\d+$/.test(v)) out.set(k, Number(v));
  }
  return out;
}

/** cAdvisor: working set = usage − inactive file pages, never below 0. */
export function workingSet(usage: number, inactiveFile: number | undefined): number {
  return Math.max(0, usage - (inactiveFile ?? 0));
}

/** Memory numbers from a v1 memory cgroup (usage_in_bytes + memory.stat; hierarchical total_* keys preferred). */
export function memoryFromV1(
  usageText: string,
  statText: string,
): Pick<CgroupUsage, 'memoryUsageBytes' | 'memoryWorkingSetBytes' | 'memoryRssBytes' | 'pageFaults' | 'majorPageFaults'> {
  const usage = Number(usageText.trim());
  const st = parseFlatKeyed(statText);
  const pick = (k: string) => st.get(`total_${k}`) ?? st.get(k);
  return {
    memoryUsageBytes: usage,
    memoryWorkingSetBytes: workingSet(usage, pick('inactive_file')),
    memoryRssBytes: pick('rss'),
    pageFaults: pick('pgfault'),
    majorPageFaults: pick('pgmajfault'),
  };
}

/** Memory numbers from a v2 cgroup (memory.current + memory.stat). */
export function memoryFromV2(
  currentText: string,
  statText: string,
): Pick<CgroupUsage, 'memoryUsageBytes' | 'memoryWorkingSetBytes' | 'memoryRssBytes' | 'pageFaults' | 'majorPageFaults'> {
  const usage = Number(currentText.trim());
  const st = parseFlatKeyed(statText);
  return {
    memoryUsageBytes: usage,
    memoryWorkingSetBytes: workingSet(usage, st.get('inactive_file')),
    memoryRssBytes: st.get('anon'),
    pageFaults: st.get('pgfault'),
    majorPageFaults: st.get('pgmajfault'),
  };
}

/** v2 cpu.stat's usage_usec in nanoseconds. */
export function cpuFromV2(cpuStatText: string): number | undefined {
  const us = parseFlatKeyed(cpuStatText).get('usage_usec');
  return us === undefined ? undefined : us * 1000;
}

/** The aggregate "cpu" line of /proc/stat as busy nanoseconds (all but idle and iowait), USER_HZ = 100. */
export function cpuFromProcStat(text: string, userHz = 100): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith('cpu '));
  if (!line) return undefined;
  const f = line.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal (guest is already in user)
  const busy = (f[0] ?? 0) + (f[1] ?? 0) + (f[2] ?? 0) + (f[5] ?? 0) + (f[6] ?? 0) + (f[7] ?? 0);
  return (busy * 1e9) / userHz;
}

/** /proc/meminfo in bytes (values are kB). */
export function parseMeminfo(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^(\S+):\s+(\d+)(?:\s+kB)?/.exec(line);
    if (m) out.set(m[1], Number(m[2]) * (line.includes('kB') ? 1024 : 1));
  }
  return out;
}

const read = (f: string) => readFile(f, 'utf8').catch(() => undefined);

/** The usage of cgroup `cgroupPath` (relative to the hierarchy roots, e.g. /k8ts/pod<uid>/<id>); undefined when absent. */
export async function readCgroupUsage(cgroupPath: string, root = CGROUP_ROOT): Promise<CgroupUsage | undefined> {
  const rel = cgroupPath.replace(/^\//, '');
  const timestamp = Date.now();
  // v1 hierarchies (also on hybrid hosts, where the controllers live there)
  const [acct, memUsage, memStat] = await Promise.all([
    read(path.join(root, 'cpuacct', rel, 'cpuacct.usage')),
    read(path.join(root, 'memory', rel, 'memory.usage_in_bytes')),
    read(path.join(root, 'memory', rel, 'memory.stat')),
  ]);
  if (acct !== undefined || memUsage !== undefined) {
    const u: CgroupUsage = { timestamp };
    if (acct !== undefined && /^\d+/.test(acct.trim())) u.cpuUsageCoreNanoSeconds = Number(acct.trim());
    if (memUsage !== undefined && memStat !== undefined) Object.assign(u, memoryFromV1(memUsage, memStat));
    return u;
  }
  // v2: the unified tree at the root, or under "unified" on a hybrid host
  for (const base of [root, path.join(root, 'unified')]) {
    const [cpuStat, cur, stat] = await Promise.all([
      read(path.join(base, rel, 'cpu.stat')),
      read(path.join(base, rel, 'memory.current')),
      read(path.join(base, rel, 'memory.stat')),
    ]);
    if (cpuStat === undefined && cur === undefined) continue;
    const u: CgroupUsage = { timestamp };
    if (cpuStat !== undefined) u.cpuUsageCoreNanoSeconds = cpuFromV2(cpuStat);
    if (cur !== undefined && stat !== undefined) Object.assign(u, memoryFromV2(cur, stat));
    return u;
  }
  return undefined;
}

/** The machine's usage: the root cgroup where it has the numbers, else /proc/stat and /proc/meminfo. */
export async function readNodeUsage(root = CGROUP_ROOT, proc = '/proc'): Promise<CgroupUsage & { memoryAvailableBytes?: number }> {
  const timestamp = Date.now();
  const [acct, memUsage, memStat, procStat, meminfo] = await Promise.all([
    read(path.join(root, 'cpuacct', 'cpuacct.usage')),
    read(path.join(root, 'memory', 'memory.usage_in_bytes')),
    read(path.join(root, 'memory', 'memory.stat')),
    read(path.join(proc, 'stat')),
    read(path.join(proc, 'meminfo')),
  ]);
  const u: CgroupUsage & { memoryAvailableBytes?: number } = { timestamp };
  u.cpuUsageCoreNanoSeconds = acct !== undefined && /^\d+/.test(acct.trim()) ? Number(acct.trim()) : procStat ? cpuFromProcStat(procStat) : undefined;
  const mi = meminfo ? parseMeminfo(meminfo) : new Map<string, number>();
  if (memUsage !== undefined && memStat !== undefined) Object.assign(u, memoryFromV1(memUsage, memStat));
  else if (mi.has('MemTotal')) {
    // no v1 root memory cgroup: what is in use and not easily reclaimable
    const total = mi.get('MemTotal')!;
    const usage = total - (mi.get('MemFree') ?? 0);
    u.memoryUsageBytes = usage;
    u.memoryWorkingSetBytes = workingSet(usage, mi.get('Inactive(file)'));
  }
  if (mi.has('MemAvailable')) u.memoryAvailableBytes = mi.get('MemAvailable');
  return u;
}
