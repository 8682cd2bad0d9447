// Host mount table access for volumes: reading /proc/self/mountinfo, mounting k8ts tmpfs volumes and
// unmounting everything under a pod's directory.
import fs from 'node:fs/promises';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Source name of every tmpfs k8ts mounts, so they are recognisable in /proc/mounts. */
export const tmpfsSource = 'k8ts-tmpfs';

function unescapeMountField(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
}

export interface MountEntry {
  mountPoint: string;
  fsType: string;
  source: string;
  options: string;
}

/** Current mounts of this process' mount namespace. */
export async function readMounts(): Promise<MountEntry[]> {
  const text = await fs.readFile('/proc/self/mountinfo', 'utf8');
  const out: MountEntry[] = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    const [left, right] = line.split(' - ');
    const f = left!.split(' ');
    const r = (right ?? '').split(' ');
    out.push({ mountPoint: unescapeMountField(f[4] ?? ''), fsType: r[0] ?? '', source: unescapeMountField(r[1] ?? ''), options: f[5] ?? '' });
  }
  return out;
}

export async function isMountPoint(dir: string): Promise<boolean> {
  const real = await fs.realpath(dir);
  return (await readMounts()).some((m) => m.mountPoint === real);
}

/** Mount points at or below root (resolved), deepest first. */
export async function mountsUnder(root: string): Promise<string[]> {
  const real = await fs.realpath(root);
  const pts = (await readMounts()).map((m) => m.mountPoint).filter((p) => p === real || p.startsWith(real + '/'));
  return [...new Set(pts)].sort((a, b) => b.length - a.length);
}

/** Mounts a tmpfs (source `k8ts-tmpfs`) on dir, limited to sizeBytes when given. */
export async function mountTmpfs(dir: string, sizeBytes?: bigint): Promise<void> {
  const args = ['-t', 'tmpfs'];
  if (sizeBytes !== undefined && sizeBytes > 0n) args.push('-o', `size=${sizeBytes}`);
  args.push(tmpfsSource, dir);
  try {
    await run('mount', args);
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`mount of tmpfs on ${dir} failed: ${(err.stderr || err.message).trim()}`);
  }
}

/** Unmounts dir; falls back to a lazy unmount when it is busy. */
export async function unmount(dir: string): Promise<void> {
  try {
    await run('umount', [dir]);
  } catch {
    try {
      await run('umount', ['-l', dir]);
    } catch (e) {
      const err = e as { stderr?: string; message: string };
      throw new Error(`unmount of ${dir} failed: ${(err.stderr || err.message).trim()}`);
    }
  }
}
