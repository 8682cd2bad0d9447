// Launches conmon (the per-container monitor) so a container outlives this agent: conmon runs
// `runc create`, reports the container PID over a sync pipe, writes CRI-format logs and the exit file.
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { processRunning } from './proc.js';
import { spawner } from './spawner.js';

export interface ConmonOptions {
  conmonPath: string;
  runtimePath: string;
  runtimeRoot: string;
  id: string;
  name: string;
  bundleDir: string;
  /** Where runc writes the container's init PID. */
  containerPidFile: string;
  conmonPidFile: string;
  /** CRI (k8s-file) log path. */
  logPath: string;
  /** conmon writes `<exitDir>/<id>` holding the exit code when the container exits. */
  exitDir: string;
  persistDir: string;
  socketDir: string;
  /** Where conmon's own stdout/stderr go. */
  conmonLogPath: string;
  stdin?: boolean;
  leaveStdinOpen?: boolean;
  terminal?: boolean;
  logSizeMax?: number;
  timeoutMs?: number;
}

export function conmonArgs(o: ConmonOptions): string[] {
  const a = [
    '--api-version',
    '1',
    '-c',
    o.id,
    '-u',
    o.id,
    '-n',
    o.name,
    '-r',
    o.runtimePath,
    '--runtime-arg',
    `--root=${o.runtimeRoot}`,
    '-b',
    o.bundleDir,
    '-p',
    o.containerPidFile,
    '-P',
    o.conmonPidFile,
    '-l',
    `k8s-file:${o.logPath}`,
    '--exit-dir',
    o.exitDir,
    '-0',
    o.persistDir,
    '--socket-dir-path',
    o.socketDir,
    '--log-level',
    'error',
  ];
  if (o.stdin) a.push('-i');
  if (o.stdin && o.leaveStdinOpen) a.push('--leave-stdin-open');
  if (o.terminal) a.push('-t');
  if (o.logSizeMax && o.logSizeMax > 0) a.push('--log-size-max', String(o.logSizeMax));
  return a;
}

function readSyncMessage(stream: Readable, timeoutMs: number): Promise<{ data: number; message?: string }> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => finish(new Error(`timed out after ${timeoutMs}ms waiting for conmon`)), timeoutMs);
    const finish = (err: Error | null, v?: { data: number; message?: string }) => {
      clearTimeout(timer);
      stream.removeAllListeners('data');
      stream.removeAllListeners('end');
      stream.on('error', () => {});
      stream.destroy();
      if (err) reject(err);
      else resolve(v!);
    };
    stream.on('data', (d: Buffer) => {
      buf += d.toString('utf8');
      const nl = buf.indexOf('\n');
      const candidate = nl >= 0 ? buf.slice(0, nl) : buf;
      try {
        const msg = JSON.parse(candidate) as { data: number; message?: string };
        finish(null, msg);
      } catch {
        /* wait for more */
      }
    });
    stream.on('end', () => finish(new Error(`conmon closed the sync pipe without a result${buf ? `: ${buf}` : ''}`)));
    stream.on('error', (e) => finish(e));
  });
}

/**
 * Run conmon (which double-forks and detaches) and wait until `runc create` finished.
 * Resolves with the container init PID; the container is in the `created` state afterwards.
 */
export function startConmon(o: ConmonOptions): Promise<{ pid: number; conmonPid: number }> {
  return spawner()?.call<{ pid: number; conmonPid: number }>({ op: 'conmon', options: o }) ?? startConmonLocal(o);
}

/** startConmon in this process. */
export async function startConmonLocal(o: ConmonOptions): Promise<{ pid: number; conmonPid: number }> {
  // conmon fails (and writes no exit file) when these are missing.
  await mkdir(o.persistDir, { recursive: true });
  await mkdir(o.exitDir, { recursive: true });
  await mkdir(o.socketDir, { recursive: true });
  const logFd = openSync(o.conmonLogPath, 'a');
  let child;
  try {
    child = spawn(o.conmonPath, conmonArgs(o), {
      stdio: ['ignore', logFd, logFd, 'pipe'],
      // conmon drops its `oom` marker in its working directory: the bundle, where the runtime looks for it
      cwd: o.bundleDir,
      env: { ...process.env, _OCI_SYNCPIPE: '3' },
      detached: true,
    });
  } finally {
    closeSync(logFd);
  }
  child.on('error', () => {});
  const exited = new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? -1)));
  child.unref();
  const sync = child.stdio[3] as Readable;
  let msg: { data: number; message?: string };
  try {
    msg = await readSyncMessage(sync, o.timeoutMs ?? 30_000);
  } catch (e) {
    await monitorGone(exited, o.conmonPidFile, 5_000);
    const log = await readFile(o.conmonLogPath, 'utf8').catch(() => '');
    throw new Error(`container monitor failed: ${(e as Error).message}${log ? `; conmon log: ${log.trim().slice(-500)}` : ''}`);
  }
  if (msg.data < 0) {
    // conmon exits after reporting the failure: wait, so that the caller's cleanup comes after its last write
    await monitorGone(exited, o.conmonPidFile, 5_000);
    throw new Error(`OCI runtime create failed: ${runcErrorText(msg.message ?? '') || 'unknown error'}`);
  }
  await exited; // the first conmon process exits right after forking the monitor
  const conmonPid = Number((await readFile(o.conmonPidFile, 'utf8').catch(() => '0')).trim()) || 0;
  return { pid: msg.data, conmonPid };
}

/** Waits (at most ms) until the launcher and the monitor it forked (pid in conmonPidFile) have exited. */
async function monitorGone(exited: Promise<number>, conmonPidFile: string, ms: number): Promise<void> {
  const end = Date.now() + ms;
  let t: NodeJS.Timeout | undefined;
  await Promise.race([exited, new Promise<void>((r) => (t = setTimeout(r, ms)))]).finally(() => clearTimeout(t));
  const pid = Number((await readFile(conmonPidFile, 'utf8').catch(() => '')).trim());
  while (pid > 0 && processRunning(pid) && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
}

/**
 * runc's own error out of what conmon relays: runc logs `time="…" level=error msg="…"` (logrus, the message
 * Go-quoted); the last error's msg, unquoted, is the text users know (`exec: "/x": stat /x: no such file…`).
 */
export function runcErrorText(raw: string): string {
  let last: string | undefined;
  for (const m of raw.matchAll(/level=(?:error|fatal) msg="((?:[^"\\]|\\.)*)"/g)) last = m[1];
  if (last === undefined) return raw.trim();
  try {
    return JSON.parse(`"${last}"`) as string;
  } catch {
    return last.replace(/\\(["\\])/g, '$1');
  }
}

export function exitFilePath(exitDir: string, id: string): string {
  return path.join(exitDir, id);
}

/** Exit code from conmon's exit file, or undefined while the container still runs. */
export async function readExitFile(exitDir: string, id: string): Promise<{ code: number; time: Date } | undefined> {
  const p = exitFilePath(exitDir, id);
  try {
    const text = (await readFile(p, 'utf8')).trim();
    if (text === '') return undefined;
    const { mtime } = await stat(p);
    return { code: Number(text), time: mtime };
  } catch {
    return undefined;
  }
}
