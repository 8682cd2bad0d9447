// Runs host binaries (runc, ip, CNI plugins, mount) as child processes and collects their output — through
// the spawner helper process when available (see spawner.ts), else directly.
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { spawner } from './spawner.js';

export interface CommandResult {
  stdout: string;
  stderr: string;
  code: number;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
}

export interface CommandOptions {
  env?: NodeJS.ProcessEnv;
  input?: string | Buffer;
  timeoutMs?: number;
  cwd?: string;
  /**
   * On timeout, SIGKILL the PID written in this file before the command itself (`runc exec --pid-file`:
   * the process inside the container, which killing the runc client alone would leave running).
   */
  killPidFileOnTimeout?: string;
}

/** Run a command to completion; never throws for a non-zero exit (check `code`). */
export function runCommand(file: string, args: string[], opts: CommandOptions = {}): Promise<CommandResult> {
  const input = opts.input;
  const remote = spawner()?.call<CommandResult>({
    op: 'run',
    file,
    args,
    env: opts.env,
    cwd: opts.cwd,
    timeoutMs: opts.timeoutMs,
    killPidFileOnTimeout: opts.killPidFileOnTimeout,
    ...(Buffer.isBuffer(input) ? { inputBase64: input.toString('base64') } : { input }),
  });
  return remote ?? runCommandLocal(file, args, opts);
}

/** runCommand in this process. */
export function runCommandLocal(file: string, args: string[], opts: CommandOptions = {}): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env: opts.env ?? process.env, cwd: opts.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    let timer: NodeJS.Timeout | undefined;
    if (opts.timeoutMs && opts.timeoutMs > 0) {
      timer = setTimeout(() => {
        timedOut = true;
        if (opts.killPidFileOnTimeout) killPidFile(opts.killPidFileOnTimeout);
        child.kill('SIGKILL');
      }, opts.timeoutMs);
    }
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', (e) => {
      if (timer) clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        code: code ?? -1,
        signal,
        timedOut,
      });
    });
    child.stdin.on('error', () => {});
    child.stdin.end(opts.input ?? '');
  });
}

function killPidFile(file: string): void {
  let pid = 0;
  try {
    pid = Number(readFileSync(file, 'utf8').trim());
  } catch {
    return; // not written yet (or already gone): nothing started in the container
  }
  if (!(pid > 0)) return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    /* already gone */
  }
}

/**
 * Start a long-running process in its own session (stdin /dev/null, stdout+stderr appended to logPath,
 * cwd /) and resolve with its PID once it is running; it is not waited for and outlives the agent.
 */
export function startDetached(file: string, args: string[], logPath: string): Promise<number> {
  return spawner()?.call<number>({ op: 'detach', file, args, logPath }) ?? startDetachedLocal(file, args, logPath);
}

/** startDetached in this process. */
export function startDetachedLocal(file: string, args: string[], logPath: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const fd = openSync(logPath, 'a');
    try {
      const child = spawn(file, args, { stdio: ['ignore', fd, fd], cwd: '/', detached: true });
      child.once('error', reject);
      child.once('spawn', () => {
        child.unref();
        resolve(child.pid!);
      });
    } finally {
      closeSync(fd);
    }
  });
}

/** Run a command and throw with its stderr when it exits non-zero. */
export async function mustRun(file: string, args: string[], opts: CommandOptions = {}): Promise<string> {
  const r = await runCommand(file, args, opts);
  if (r.code !== 0) {
    const msg = (r.stderr || r.stdout).trim();
    throw new Error(`${file} ${args.join(' ')}: exit ${r.code}${r.timedOut ? ' (timed out)' : ''}: ${msg}`);
  }
  return r.stdout;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
