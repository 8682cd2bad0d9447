// /proc/<pid>/stat for the runtime's liveness checks (container init, conmon, the infra process): command
// name, state and start time. procfs is in-memory, so it is read synchronously.
import { readFileSync } from 'node:fs';

export interface ProcStat {
  comm: string;
  /** R, S, D, Z (zombie: exited, not yet reaped), ... */
  state: string;
  /** Field 22: clock ticks after boot; tells a process from a later one with the same PID. */
  startTime: string;
}

/** The process's stat line, parsed; undefined when there is no such process. */
export function procStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  const close = text.lastIndexOf(')');
  const fields = text.slice(close + 2).split(' ');
  return { comm: text.slice(text.indexOf('(') + 1, close), state: fields[0]!, startTime: fields[19]! };
}

/** Whether the process exists and has not exited (a zombie counts as exited). */
export function processRunning(pid: number): boolean {
  const st = procStat(pid);
  return !!st && st.state !== 'Z';
}
