// subPath / subPathExpr of a volume mount: expansion, the upstream path checks (no absolute paths, no
// `..`), creation of a missing sub directory with the volume's mode, and refusal of symlink escapes.
import fs from 'node:fs';
import path from 'node:path';
import type { VolumeMount } from '../../api/core/v1/types.js';
import { expand } from '../expansion.js';
import { ContainerConfigError } from './types.js';

/** subPathExpr expanded against the container env; unset or empty variables are an error (upstream). */
export function expandSubPathExpr(mount: VolumeMount, env: Record<string, string>): string {
  const missing = new Set<string>();
  const out = expand(mount.subPathExpr ?? '', (k) => {
    const v = Object.prototype.hasOwnProperty.call(env, k) ? env[k] : undefined;
    if (v === undefined || v === '') missing.add(k);
    return v ?? '';
  });
  if (missing.size) throw new ContainerConfigError(`missing value for ${[...missing].sort().join(', ')}`);
  return out;
}

function within(base: string, p: string): boolean {
  return p === base || p.startsWith(base.endsWith('/') ? base : base + '/');
}

/**
 * Host path of subPath inside volumePath, created as a directory when missing. Returns the resolved
 * path; throws ContainerConfigError for absolute paths, `..` elements and escapes through symlinks.
 */
export function resolveSubPath(volumePath: string, subPath: string): string {
  if (path.isAbsolute(subPath)) throw new ContainerConfigError(`error SubPath \`${subPath}\` must not be an absolute path`);
  if (subPath.split('/').includes('..')) throw new ContainerConfigError(`unable to provision SubPath \`${subPath}\`: must not contain '..'`);
  let base: string;
  let perm: number;
  try {
    base = fs.realpathSync(volumePath);
    perm = fs.statSync(base).mode & 0o7777;
  } catch (e) {
    throw new ContainerConfigError(`unable to provision SubPath \`${subPath}\`: ${(e as Error).message}`);
  }
  let cur = base;
  for (const part of subPath.split('/')) {
    if (part === '' || part === '.') continue;
    const next = path.join(cur, part);
    let st: fs.Stats | undefined;
    try {
      st = fs.lstatSync(next);
    } catch {
      st = undefined;
    }
    if (!st) {
      try {
        fs.mkdirSync(next, { mode: perm });
        fs.chmodSync(next, perm);
      } catch {
        throw new ContainerConfigError(`failed to create subPath directory "${subPath}"`);
      }
      cur = next;
      continue;
    }
    let real: string;
    try {
      real = fs.realpathSync(next);
    } catch {
      throw new ContainerConfigError(`subPath "${subPath}" of volume path "${volumePath}" is a dangling symlink`);
    }
    if (!within(base, real)) throw new ContainerConfigError(`subPath "${subPath}" resolves outside of volume path "${volumePath}"`);
    cur = real;
  }
  return cur;
}
