// Cross-process lock on a file (O_EXCL create, holder pid inside, stale holders broken) so the server and the
// CLI can both update the image index without losing writes. Critical sections must be short and synchronous.
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';

const sleeper = new Int32Array(new SharedArrayBuffer(4));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Runs fn while holding `lockPath`; waits up to timeoutMs for another holder to finish. */
export function withFileLock<T>(lockPath: string, fn: () => T, timeoutMs = 30_000): T {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let fd: number;
    try {
      fd = openSync(lockPath, 'wx', 0o600);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      let holder = NaN;
      try {
        holder = Number.parseInt(readFileSync(lockPath, 'utf8'), 10);
      } catch {
        /* released meanwhile */
      }
      if (Number.isFinite(holder) && holder !== process.pid && !alive(holder)) {
        try {
          unlinkSync(lockPath);
        } catch {
          /* someone else broke it */
        }
        continue;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for lock ${lockPath} (held by pid ${holder})`);
      Atomics.wait(sleeper, 0, 0, 10);
      continue;
    }
    try {
      writeSync(fd, String(process.pid));
    } finally {
      closeSync(fd);
    }
    try {
      return fn();
    } finally {
      try {
        unlinkSync(lockPath);
      } catch {
        /* already gone */
      }
    }
  }
}
