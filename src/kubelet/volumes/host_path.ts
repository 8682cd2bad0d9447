// hostPath volumes: the upstream type checks (Directory, FileOrCreate, Socket, ...) with their error wording.
import fs from 'node:fs/promises';
import type { HostPathVolumeSource } from '../../api/core/v1/types.js';

async function statOrUndefined(p: string): Promise<import('node:fs').Stats | undefined> {
  try {
    return await fs.stat(p);
  } catch {
    return undefined;
  }
}

function goError(op: string, p: string, e: unknown): Error {
  const code = (e as NodeJS.ErrnoException).code;
  const text: Record<string, string> = {
    ENOENT: 'no such file or directory',
    ENOTDIR: 'not a directory',
    EACCES: 'permission denied',
    EEXIST: 'file exists',
    EROFS: 'read-only file system',
  };
  return new Error(`${op} ${p}: ${(code && text[code]) || (e as Error).message}`);
}

/** Checks (and for the *OrCreate types creates) a hostPath; throws with upstream's messages. */
export async function checkHostPathType(src: HostPathVolumeSource): Promise<void> {
  const p = src.path;
  const type = src.type ?? '';
  const st = await statOrUndefined(p);
  if (type === 'DirectoryOrCreate' && !st) {
    try {
      await fs.mkdir(p, { recursive: true, mode: 0o755 });
    } catch (e) {
      throw goError('mkdir', p, e);
    }
    return;
  }
  if (type === 'FileOrCreate' && !st) {
    try {
      const fh = await fs.open(p, 'a', 0o644);
      await fh.close();
    } catch (e) {
      throw goError('open', p, e);
    }
    return;
  }
  switch (type) {
    case '':
      return;
    case 'DirectoryOrCreate':
    case 'Directory':
      if (!st?.isDirectory()) throw new Error(`hostPath type check failed: ${p} is not a directory`);
      return;
    case 'FileOrCreate':
    case 'File':
      if (!st?.isFile()) throw new Error(`hostPath type check failed: ${p} is not a file`);
      return;
    case 'Socket':
      if (!st?.isSocket()) throw new Error(`hostPath type check failed: ${p} is not a socket file`);
      return;
    case 'CharDevice':
      if (!st?.isCharacterDevice()) throw new Error(`hostPath type check failed: ${p} is not a character device`);
      return;
    case 'BlockDevice':
      if (!st?.isBlockDevice()) throw new Error(`hostPath type check failed: ${p} is not a block device`);
      return;
    default:
      throw new Error(`${type as string} is an invalid volume type`);
  }
}
