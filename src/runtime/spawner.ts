// Spawner: runs the runtime's host commands (runc, conmon, ip, mount, CNI plugins) from a small helper
// process. fork() from the agent copies its page tables and blocks its event loop for the whole fork+exec
// (≈7 ms per spawn at 250 MB RSS); the helper's RSS is a fraction of that and the agent never blocks.
// Requests and replies are JSON lines over the helper's stdin/stdout. Falls back to in-process spawns.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface SpawnerRequest {
  op: 'run' | 'conmon' | 'detach';
  [k: string]: unknown;
}

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
}

/** Set in the helper itself (and settable by users to turn the helper off). */
export const SPAWNER_ENV = 'K8TS_NO_SPAWNER';

export class Spawner {
  private child?: ChildProcess;
  private pending = new Map<number, Pending>();
  private nextId = 1;
  private buf = '';
  private broken = false;

  private ensure(): ChildProcess | undefined {
    if (this.child) return this.child;
    if (this.broken) return undefined;
    const main = fileURLToPath(new URL('./spawner_main.js', import.meta.url));
    let child: ChildProcess;
    try {
      child = spawn(process.execPath, ['--max-old-space-size=32', main], {
        stdio: ['pipe', 'pipe', 'inherit'],
        env: { ...process.env, [SPAWNER_ENV]: '1' },
      });
    } catch {
      this.broken = true;
      return undefined;
    }
    child.on('error', () => this.lost(child, new Error('spawner helper failed to start')));
    child.on('exit', (code, sig) => this.lost(child, new Error(`spawner helper exited (${code ?? sig})`)));
    child.stdin!.on('error', () => {});
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (d: string) => this.onData(d));
    this.child = child;
    this.idle();
    return child;
  }

  private lost(child: ChildProcess, err: Error): void {
    if (this.child !== child) return;
    this.child = undefined;
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }

  /** Keep the agent's event loop alive only while requests are outstanding. */
  private idle(): void {
    const c = this.child;
    if (!c) return;
    const busy = this.pending.size > 0;
    const streams = [c.stdin, c.stdout] as unknown as { ref?: () => void; unref?: () => void }[];
    if (busy) {
      c.ref();
      for (const s of streams) s.ref?.();
    } else {
      c.unref();
      for (const s of streams) s.unref?.();
    }
  }

  private onData(d: string): void {
    this.buf += d;
    let i;
    while ((i = this.buf.indexOf('\n')) >= 0) {
      const line = this.buf.slice(0, i);
      this.buf = this.buf.slice(i + 1);
      let msg: { id: number; ok?: unknown; error?: string; code?: string };
      try {
        msg = JSON.parse(line) as typeof msg;
      } catch {
        continue;
      }
      const p = this.pending.get(msg.id);
      if (!p) continue;
      this.pending.delete(msg.id);
      if (msg.error !== undefined) p.reject(Object.assign(new Error(msg.error), msg.code ? { code: msg.code } : {}));
      else p.resolve(msg.ok);
    }
    this.idle();
  }

  /** PID of the running helper (benchmarks read its CPU from /proc), if started. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Start the helper now (so the first pod does not wait for it). */
  warm(): void {
    this.ensure();
  }

  /** Send a request; undefined when no helper is available (the caller spawns in-process). */
  call<T>(req: SpawnerRequest): Promise<T> | undefined {
    const c = this.ensure();
    if (!c?.stdin?.writable) return undefined;
    const id = this.nextId++;
    const p = new Promise<T>((resolve, reject) => this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject }));
    this.idle();
    c.stdin.write(`${JSON.stringify({ id, ...req })}\n`);
    return p;
  }

  /** Stop the helper (tests); it also exits by itself when the agent goes away. */
  close(): void {
    this.child?.stdin?.end();
    this.child = undefined;
  }
}

let shared: Spawner | undefined;

/** The process-wide spawner, or undefined inside the helper / when disabled with K8TS_NO_SPAWNER=1. */
export function spawner(): Spawner | undefined {
  if (process.env[SPAWNER_ENV] === '1') return undefined;
  return (shared ??= new Spawner());
}
