// Thin client for the runc CLI (state, start, kill, delete, exec) under our own --root state directory.
import { spawn, type ChildProcess } from 'node:child_process';
import { runCommand, mustRun } from './command.js';

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

  /**
   * Start `runc exec` with the given process.json; stdio is piped so callers can attach streams.
   * The exec'd process's host PID is written to pidFile.
   */
  execProcess(id: string, processJsonPath: string, pidFile: string): ChildProcess {
    return spawn(this.path, this.args(['exec', '--process', processJsonPath, '--pid-file', pidFile, id]), {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
  }
}
