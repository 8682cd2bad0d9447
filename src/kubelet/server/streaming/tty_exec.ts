// exec with a TTY: `runc exec` runs on a pseudo-terminal from node-pty (prebuilt @lydell/node-pty), so
// runc (foreground mode) gives the container process a terminal of its own, puts our terminal in raw
// mode and copies between them; ^C reaches the container's line discipline as a byte (SIGINT to its
// foreground group) and a resize of our pty reaches runc as SIGWINCH, which resizes the container's.
import { randomBytes } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import type { RuncRuntimeService } from '../../../runtime/index.js';
import type { TerminalSize } from './protocols.js';
import type { ProcessSession } from './session.js';

interface Pty {
  pid: number;
  onData(cb: (d: Buffer | string) => void): void;
  onExit(cb: (e: { exitCode: number; signal?: number }) => void): void;
  resize(cols: number, rows: number): void;
  write(d: string | Buffer): void;
  kill(sig?: string): void;
}
type PtyModule = { spawn(file: string, args: string[], o: Record<string, unknown>): Pty };

let ptyModule: PtyModule | undefined;
function loadPty(): PtyModule {
  if (!ptyModule) ptyModule = createRequire(import.meta.url)('@lydell/node-pty') as PtyModule;
  return ptyModule;
}

const clamp = (n: number) => Math.max(1, Math.min(n || 1, 65535));

/** Start `cmd` in container `id` on a new terminal of `size` (default 80x24). */
export async function execWithTerminal(rt: RuncRuntimeService, id: string, cmd: string[], size?: TerminalSize): Promise<ProcessSession> {
  if (!cmd.length) throw new Error('exec needs a command');
  const rec = await rt.containers.getRecord(id);
  const spec = JSON.parse(await readFile(path.join(rec.bundleDir, 'config.json'), 'utf8')) as { process: Record<string, unknown> };
  const cols = clamp(size?.width ?? 80);
  const rows = clamp(size?.height ?? 24);
  const env = ((spec.process.env as string[] | undefined) ?? []).filter((e) => !e.startsWith('TERM='));
  env.push('TERM=xterm');
  const proc = { ...spec.process, args: cmd, terminal: true, env, consoleSize: { height: rows, width: cols } };
  const tag = randomBytes(6).toString('hex');
  const dir = rt.layout.containerRunDir(id);
  const procPath = path.join(dir, `exec-${tag}.json`);
  const pidFile = path.join(dir, `exec-${tag}.pid`);
  await writeFile(procPath, JSON.stringify(proc));
  const pty = loadPty().spawn(rt.runc.path, ['--root', rt.runc.root, 'exec', '--tty', '--process', procPath, '--pid-file', pidFile, id], {
    name: 'xterm',
    cols,
    rows,
    cwd: '/',
    env: { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin' },
    encoding: null,
  });
  const stdout = new PassThrough();
  pty.onData((d) => stdout.write(typeof d === 'string' ? Buffer.from(d) : d));
  const exited = new Promise<number>((resolve) => {
    pty.onExit(({ exitCode, signal }) => {
      // Data events may still be queued behind the exit event.
      setTimeout(() => stdout.end(), 50);
      resolve(signal ? 128 + signal : exitCode);
    });
  }).finally(async () => {
    await rm(procPath, { force: true });
    await rm(pidFile, { force: true });
  });
  let done = false;
  void exited.then(() => (done = true));
  const stdin = new Writable({
    write(chunk: Buffer, _enc, cb) {
      if (!done) pty.write(chunk);
      cb();
    },
  });
  return {
    stdin,
    stdout,
    resize: (s) => {
      if (!done && s.width > 0 && s.height > 0) pty.resize(clamp(s.width), clamp(s.height));
    },
    wait: () => exited,
    close: () => {
      if (done) return;
      void readFile(pidFile, 'utf8')
        .then((t) => {
          const pid = Number(t.trim());
          if (pid > 0) process.kill(pid, 'SIGKILL');
        })
        .catch(() => {})
        .finally(() => {
          try {
            pty.kill('SIGKILL');
          } catch {
            /* gone */
          }
        });
    },
  };
}
