// Hard eviction thresholds (upstream pkg/kubelet/eviction/helpers.go ParseThresholdConfig): the
// --eviction-hard list "memory.available<100Mi,nodefs.available<10%,...", the signals observed on this node
// (memory.available, nodefs.available, nodefs.inodesFree, imagefs.available, pid.available), which thresholds
// are met, and the node conditions they set (MemoryPressure, DiskPressure, PIDPressure).
import { readFileSync, statfsSync } from 'node:fs';
import os from 'node:os';
import { quantityToBytes } from '../../api/quantity.js';

export type Signal = 'memory.available' | 'nodefs.available' | 'nodefs.inodesFree' | 'imagefs.available' | 'imagefs.inodesFree' | 'pid.available';
const SIGNALS: Signal[] = ['memory.available', 'nodefs.available', 'nodefs.inodesFree', 'imagefs.available', 'imagefs.inodesFree', 'pid.available'];

export interface Threshold {
  signal: Signal;
  /** An absolute quantity ("100Mi", "1000") or a percentage of the capacity. */
  quantity?: number;
  percentage?: number;
  /** As written, for the eviction message. */
  text: string;
}

/** Upstream's Linux default --eviction-hard. */
export const DEFAULT_EVICTION_HARD = 'memory.available<100Mi,nodefs.available<10%,nodefs.inodesFree<5%,imagefs.available<15%';

export function parseThresholds(spec: string): Threshold[] {
  const out: Threshold[] = [];
  for (const part of spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const m = /^([a-zA-Z.]+)<(.+)$/.exec(part);
    if (!m) throw new Error(`invalid eviction threshold ${JSON.stringify(part)}: want signal<quantity`);
    const signal = m[1] as Signal;
    if (!SIGNALS.includes(signal)) throw new Error(`unsupported eviction signal ${signal}`);
    const v = m[2]!;
    if (v.endsWith('%')) {
      const pct = Number(v.slice(0, -1));
      if (!Number.isFinite(pct) || pct < 0 || pct > 100) throw new Error(`invalid percentage for ${signal}: ${v}`);
      out.push({ signal, percentage: pct / 100, text: v });
    } else {
      const q = signal.endsWith('inodesFree') || signal === 'pid.available' ? Number(v) : quantityToBytes(v);
      if (!Number.isFinite(q) || q < 0) throw new Error(`invalid quantity for ${signal}: ${v}`);
      out.push({ signal, quantity: q, text: v });
    }
  }
  return out;
}

export interface Observation {
  available: number;
  capacity: number;
}

export type Observations = Partial<Record<Signal, Observation>>;

function memAvailable(): Observation {
  const info = (() => {
    try {
      return readFileSync('/proc/meminfo', 'utf8');
    } catch {
      return '';
    }
  })();
  const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+) kB$`, 'm').exec(info)?.[1] ?? NaN) * 1024;
  const capacity = Number.isFinite(kb('MemTotal')) ? kb('MemTotal') : os.totalmem();
  const available = Number.isFinite(kb('MemAvailable')) ? kb('MemAvailable') : os.freemem();
  return { available, capacity };
}

/** What the thresholds compare against, read from the host (memory from /proc/meminfo, disks by statfs of the data dir). */
export function observe(dataDir: string): Observations {
  const o: Observations = { 'memory.available': memAvailable() };
  try {
    const st = statfsSync(dataDir);
    const fs = { available: Number(st.bavail) * Number(st.bsize), capacity: Number(st.blocks) * Number(st.bsize) };
    const inodes = { available: Number(st.ffree), capacity: Number(st.files) };
    // the image store lives in the data dir too: imagefs is nodefs here
    o['nodefs.available'] = fs;
    o['imagefs.available'] = fs;
    if (inodes.capacity > 0) {
      o['nodefs.inodesFree'] = inodes;
      o['imagefs.inodesFree'] = inodes;
    }
  } catch {
    /* unknown */
  }
  try {
    // pid.available: pid_max less the tasks that exist ("running/total" in /proc/loadavg)
    const max = Number(readFileSync('/proc/sys/kernel/pid_max', 'utf8').trim());
    const total = Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[3]?.split('/')[1]);
    if (Number.isFinite(max) && Number.isFinite(total)) o['pid.available'] = { available: max - total, capacity: max };
  } catch {
    /* unknown */
  }
  return o;
}

/** The threshold's value in the signal's unit against its capacity. */
export function thresholdValue(t: Threshold, capacity: number): number {
  return t.quantity !== undefined ? t.quantity : Math.round((t.percentage ?? 0) * capacity);
}

export function thresholdsMet(thresholds: Threshold[], obs: Observations): Threshold[] {
  return thresholds.filter((t) => {
    const o = obs[t.signal];
    return o !== undefined && o.available < thresholdValue(t, o.capacity);
  });
}

export type PressureCondition = 'MemoryPressure' | 'DiskPressure' | 'PIDPressure';

/** The node condition a signal's threshold sets (upstream signalToNodeCondition). */
export function conditionOf(signal: Signal): PressureCondition {
  if (signal === 'memory.available') return 'MemoryPressure';
  if (signal === 'pid.available') return 'PIDPressure';
  return 'DiskPressure';
}

/** The resource a signal is about, as the eviction message names it (upstream signalToResource). */
export function resourceOf(signal: Signal): string {
  if (signal === 'memory.available') return 'memory';
  if (signal === 'pid.available') return 'pids';
  if (signal.endsWith('inodesFree')) return 'inodes';
  return 'ephemeral-storage';
}
