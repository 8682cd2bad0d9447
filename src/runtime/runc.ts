// Thin client for the runc CLI (state, start, kill, delete, exec) under our own --root state directory,
// plus `start` without a runc process (reading the container's exec fifo, which is all `runc start` does).
import { spawn, type ChildProcess } from 'node:child_process';
import { constants, openSync, closeSync } from 'node:fs';
import { unlink } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { runCommand, mustRun } from './command.js';
import { processRunning } from './proc.js';

export type RuncStatus = 'creating' | 'created' | 'running' | 'paused' | 'stopped';

export interface RuncState {
  id: string;
  pid: number;
  status: RuncStatus;
  bundle: string;
  created: string;
}

export class Runc {
  constructor(
    readonly path: string,
    readonly root: string,
  ) {}

  private args(rest: string[]): string[] {
    return ['--root', this.root, ...rest];
  }

  /** `runc state`; null when runc does not know the container. */
  async state(id: string): Promise<RuncState | null> {
    const r = await runCommand(this.path, this.args(['state', id]), { timeoutMs: 10_000 });
    if (r.code !== 0) {
      if (/does not exist|not exist|no such file/i.test(r.stderr)) return null;
      throw new Error(`runc state ${id}: ${r.stderr.trim()}`);
    }
    return JSON.parse(r.stdout) as RuncState;
  }

  async list(): Promise<RuncState[]> {
    const r = await runCommand(this.path, this.args(['list', '--format', 'json']), { timeoutMs: 10_000 });
    if (r.code !== 0) return [];
    const parsed = JSON.parse(r.stdout || 'null') as RuncState[] | null;
    return parsed ?? [];
  }

  async start(id: string): Promise<void> {
    await mustRun(this.path, this.args(['start', id]), { timeoutMs: 30_000 });
  }

  /**
   * Start a created container the way `runc start` does, without spawning runc: runc init blocks writing
   * one byte into <root>/<id>/exec.fifo; reading it lets init exec the process, and removing the fifo
   * marks the container running. `initPid` (from conmon) lets us fail fast if init died. Falls back to
   * `runc start` when the fifo cannot be opened (runc then reports the proper error).
   */
  async startFast(id: string, initPid: number, timeoutMs = 30_000): Promise<void> {
    const fifo = path.join(this.root, id, 'exec.fifo');
    let fd: number;
    try {
      fd = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    } catch {
      return this.start(id);
    }
    const data = await new Promise<number>((resolve, reject) => {
      let got = 0;
      let sock: net.Socket;
      try {
        sock = new net.Socket({ fd, readable: true, writable: false });
      } catch (e) {
        closeSync(fd);
        reject(e as Error);
        return;
      }
      const deadline = Date.now() + timeoutMs;
      const timer = setInterval(() => {
        // init gone before writing (or never writes): give up like runc does
        if (Date.now() > deadline || !alive(initPid)) finish(new Error(Date.now() > deadline ? 'timed out' : 'container process is already dead'));
      }, 100);
      const finish = (err?: Error) => {
        clearInterval(timer);
        sock.removeAllListeners();
        sock.on('error', () => {});
        sock.destroy();
        if (err) reject(new Error(`start ${id}: ${err.message}`));
        else resolve(got);
      };
      sock.on('data', (d: Buffer) => (got += d.length));
      sock.on('end', () => finish());
      sock.on('error', (e) => finish(e));
    });
    if (data <= 0) throw new Error(`start ${id}: cannot start an already running container`);
    await unlink(fifo).catch(() => {});
  }

  /** Send a signal to the init process (or all processes with all=true). Missing/stopped container is not an error. */
  async kill(id: string, signal: string, all = false): Promise<void> {
    const r = await runCommand(this.path, this.args(['kill', ...(all ? ['--all'] : []), id, signal]), { timeoutMs: 10_000 });
    if (r.code !== 0 && !/not running|does not exist|process already finished|container not running/i.test(r.stderr)) {
      throw new Error(`runc kill ${id} ${signal}: ${r.stderr.trim()}`);
    }
  }

  /** `runc delete` (force kills a running container; slow, avoid on hot paths). Missing container is not an error. */
  async delete(id: string, force = false): Promise<void> {
    const r = await runCommand(this.path, this.args(['delete', ...(force ? ['--force'] : []), id]), { timeoutMs: 30_000 });
    if (r.code !== 0 && !/does not exist|not exist/i.test(r.stderr)) {
      throw new Error(`runc delete ${id}: ${r.stderr.trim()}`);
    }
  }

  /** Arguments of `runc exec` for the given process.json, writing the exec'd process's host PID to pidFile. */
  execArgs(id: string, processJsonPath: string, pidFile: string): string[] {
    return this.args(['exec', '--process', processJsonPath, '--pid-file', pidFile, id]);
  }

  /**
   * Start `runc exec` with the given process.json; stdio is piped so callers can attach streams.
   * The exec'd process's host PID is written to pidFile.
   */
  execProcess(id: string, processJsonPath: string, pidFile: string): ChildProcess {
    return spawn(this.path, this.execArgs(id, processJsonPath, pidFile), {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
  }
}

/** Unknown PID (0): true, rely on the timeout. */
function alive(pid: number): boolean {
  return !(pid > 0) || processRunning(pid);
}
