// Atomic projection of files into a volume dir (upstream AtomicWriter): data lives in a timestamped dir
// `..2026_11_23_01_02_03.123456789`, `..data` points at it and is swapped by renaming a temp symlink, and
// user-visible entries are symlinks `key -> ..data/key`, so readers see the old or the new set, never a mix.
import fs from 'node:fs/promises';
import path from 'node:path';
import { randomInt } from 'node:crypto';

export interface FileProjection {
  data: Buffer;
  /** Permission bits, e.g. 0o644. */
  mode: number;
}
export type Payload = Map<string, FileProjection>;

export const dataDirName = '..data';
export const newDataDirName = '..data_tmp';
const maxFileNameLength = 255;
const maxPathLength = 4096;
const tsDirRe = /^\.\.\d{4}_\d{2}_\d{2}_\d{2}_\d{2}_\d{2}\.\d+$/;

/** Upstream validatePath wording. */
export function validatePayloadPath(p: string): void {
  if (p === '') throw new Error(`invalid path: must not be empty: "${p}"`);
  if (path.posix.isAbsolute(p)) throw new Error(`invalid path: must be relative path: ${p}`);
  if (p.length > maxPathLength) throw new Error(`invalid path: must be less than or equal to ${maxPathLength} characters`);
  const items = p.split('/');
  for (const item of items) {
    if (item === '..') throw new Error(`invalid path: must not contain '..': ${p}`);
    if (item.length > maxFileNameLength) throw new Error(`invalid path: filenames must be less than or equal to ${maxFileNameLength} characters`);
  }
  if (items[0]!.startsWith('..') && items[0]!.length > 2) throw new Error(`invalid path: must not start with '..': ${p}`);
}

function cleanPayload(payload: Payload): Payload {
  const out: Payload = new Map();
  for (const [p, f] of payload) {
    validatePayloadPath(p);
    let clean = path.posix.normalize(p);
    if (clean.endsWith('/')) clean = clean.slice(0, -1);
    if (clean === '.' || clean === '') throw new Error(`invalid path: must not be empty: "${p}"`);
    out.set(clean, f);
  }
  return out;
}

function topComponent(p: string): string {
  const i = p.indexOf('/');
  return i < 0 ? p : p.slice(0, i);
}

async function readLinkOrEmpty(p: string): Promise<string> {
  try {
    return await fs.readlink(p);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EINVAL') return '';
    throw e;
  }
}

/** Relative paths of the regular files under dir. */
async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const ent of await fs.readdir(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${ent.name}` : ent.name;
    if (ent.isDirectory()) out.push(...(await listFiles(path.join(dir, ent.name), rel)));
    else out.push(rel);
  }
  return out;
}

/** True when the old timestamped dir does not hold exactly this payload (content and mode). */
async function payloadDiffers(payload: Payload, oldTsPath: string): Promise<boolean> {
  let oldFiles: string[];
  try {
    oldFiles = await listFiles(oldTsPath);
  } catch {
    return true;
  }
  if (oldFiles.length !== payload.size) return true;
  for (const [p, f] of payload) {
    const full = path.join(oldTsPath, p);
    try {
      const st = await fs.lstat(full);
      if (!st.isFile() || (st.mode & 0o7777) !== (f.mode & 0o7777)) return true;
      const cur = await fs.readFile(full);
      if (!cur.equals(f.data)) return true;
    } catch {
      return true;
    }
  }
  return false;
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

async function newTimestampDir(targetDir: string): Promise<string> {
  for (;;) {
    const d = new Date();
    const name =
      `..${d.getUTCFullYear()}_${pad(d.getUTCMonth() + 1)}_${pad(d.getUTCDate())}_` +
      `${pad(d.getUTCHours())}_${pad(d.getUTCMinutes())}_${pad(d.getUTCSeconds())}.${randomInt(1_000_000_000)}`;
    try {
      await fs.mkdir(path.join(targetDir, name), { mode: 0o755 });
      await fs.chmod(path.join(targetDir, name), 0o755);
      return name;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}

export interface AtomicWriteOptions {
  /** Called after the new data is written and before `..data` is switched (fsGroup ownership etc.). */
  setPerms?: (tsDirName: string) => Promise<void>;
}

/**
 * Projects payload into targetDir (which must exist). Returns false when the current data already
 * matches (nothing written), true when a new version was published.
 */
export function writeAtomic(targetDir: string, payload: Payload, opts: AtomicWriteOptions = {}): Promise<boolean> {
  // Writers of one directory take turns: each removes the others' timestamped dirs.
  const key = path.resolve(targetDir);
  const prev = inFlight.get(key) ?? Promise.resolve();
  const run = prev.then(
    () => writeAtomicNow(targetDir, payload, opts),
    () => writeAtomicNow(targetDir, payload, opts),
  );
  const tail = run.then(
    () => undefined,
    () => undefined,
  );
  inFlight.set(key, tail);
  void tail.then(() => {
    if (inFlight.get(key) === tail) inFlight.delete(key);
  });
  return run;
}

const inFlight = new Map<string, Promise<void>>();

async function writeAtomicNow(targetDir: string, payload: Payload, opts: AtomicWriteOptions): Promise<boolean> {
  const clean = cleanPayload(payload);
  const dataDirPath = path.join(targetDir, dataDirName);
  const oldTsDir = await readLinkOrEmpty(dataDirPath);
  const oldTsPath = oldTsDir ? path.join(targetDir, oldTsDir) : '';
  const newTop = new Set([...clean.keys()].map(topComponent));

  let oldTop = new Set<string>();
  if (oldTsDir) {
    try {
      oldTop = new Set((await fs.readdir(oldTsPath)).filter((n) => !n.startsWith('..')));
    } catch {
      oldTop = new Set();
    }
    if (!(await payloadDiffers(clean, oldTsPath))) {
      await createUserVisible(targetDir, newTop);
      return false;
    }
  }

  const tsDir = await newTimestampDir(targetDir);
  const tsPath = path.join(targetDir, tsDir);
  try {
    for (const [p, f] of clean) {
      const full = path.join(tsPath, p);
      await fs.mkdir(path.dirname(full), { recursive: true, mode: 0o755 });
      await fs.writeFile(full, f.data, { mode: f.mode & 0o7777 });
      await fs.chmod(full, f.mode & 0o7777);
    }
    await createUserVisible(targetDir, newTop);
    if (opts.setPerms) await opts.setPerms(tsDir);
    const tmpLink = path.join(targetDir, newDataDirName);
    await fs.rm(tmpLink, { force: true });
    await fs.symlink(tsDir, tmpLink);
    await fs.rename(tmpLink, dataDirPath);
  } catch (e) {
    await fs.rm(tsPath, { recursive: true, force: true });
    throw e;
  }

  for (const name of oldTop) {
    if (newTop.has(name)) continue;
    const p = path.join(targetDir, name);
    if ((await readLinkOrEmpty(p)) === path.posix.join(dataDirName, name)) await fs.rm(p, { force: true });
  }
  for (const name of await fs.readdir(targetDir)) {
    if (name !== tsDir && tsDirRe.test(name)) await fs.rm(path.join(targetDir, name), { recursive: true, force: true });
  }
  return true;
}

async function createUserVisible(targetDir: string, tops: Set<string>): Promise<void> {
  for (const name of tops) {
    const p = path.join(targetDir, name);
    try {
      await fs.lstat(p);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      await fs.symlink(path.posix.join(dataDirName, name), p);
    }
  }
}
