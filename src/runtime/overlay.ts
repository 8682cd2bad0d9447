// Container root filesystems: an overlay mount of the image's lower layers plus a per-container
// upper/work dir, mounted with source name `k8ts-<id>` so `mount | grep k8ts` finds it.
import { mkdir, readFile } from 'node:fs/promises';
import { mustRun, runCommand } from './command.js';

export interface OverlayDirs {
  upper: string;
  work: string;
  merged: string;
}

export async function mountOverlay(id: string, lowerDirs: string[], d: OverlayDirs): Promise<void> {
  if (!lowerDirs.length) throw new Error('overlay needs at least one lower dir');
  for (const l of lowerDirs) if (/[,:]/.test(l)) throw new Error(`lower dir ${l} contains ',' or ':'`);
  await mkdir(d.upper, { recursive: true });
  await mkdir(d.work, { recursive: true });
  await mkdir(d.merged, { recursive: true });
  const opts = `lowerdir=${lowerDirs.join(':')},upperdir=${d.upper},workdir=${d.work}`;
  await mustRun('mount', ['-t', 'overlay', '-o', opts, `k8ts-${id.slice(0, 12)}`, d.merged]);
}

export async function isMounted(target: string): Promise<boolean> {
  const text = await readFile('/proc/self/mountinfo', 'utf8');
  return text.split('\n').some((l) => l.split(' ')[4] === target);
}

/** Unmount (lazily if busy); a non-mounted target is not an error. */
export async function unmountOverlay(target: string): Promise<void> {
  if (!(await isMounted(target))) return;
  const r = await runCommand('umount', [target]);
  if (r.code !== 0 && (await isMounted(target))) await mustRun('umount', ['-l', target]);
}
