// Extracts one image layer (tar, gzip'd or not) into a directory for use as an overlayfs lower dir: verifies the
// uncompressed digest (DiffID) and converts OCI whiteouts (.wh.X → char device 0/0, .wh..wh..opq → opaque xattr).
import { spawn, spawnSync } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { open, readdir, rm, unlink, lstat } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { DigestingStream } from './digest.js';
import { ImageError } from './errors.js';

const WHITEOUT_PREFIX = '.wh.';
const OPAQUE_MARKER = '.wh..wh..opq';

async function compressionOf(file: string): Promise<'gzip' | 'zstd' | 'none'> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(4);
    const { bytesRead } = await fh.read(buf, 0, 4, 0);
    if (bytesRead >= 2 && buf[0] === 0x1f && buf[1] === 0x8b) return 'gzip';
    if (bytesRead >= 4 && buf.readUInt32LE(0) === 0xfd2fb528) return 'zstd';
    return 'none';
  } finally {
    await fh.close();
  }
}

/** Untars `blobPath` into the existing empty dir `dest`; returns the DiffID (sha256 of the uncompressed tar). */
async function untar(blobPath: string, dest: string): Promise<string> {
  const compression = await compressionOf(blobPath);
  if (compression === 'zstd') throw new ImageError('Unsupported', `layer ${path.basename(blobPath)} is zstd-compressed, which is not supported`);
  const args = ['-x', '-f', '-', '-C', dest, '--numeric-owner', '-p', '--xattrs', '--xattrs-include=*'];
  if (process.getuid?.() === 0) args.push('--same-owner');
  else args.push('--no-same-owner');
  const child = spawn('tar', args, { stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? -1));
  });
  const digester = new DigestingStream();
  // tar may exit as soon as it reads the end-of-archive blocks, before the padding after them; keep reading the
  // stream to the end anyway (the DiffID covers every byte) and judge the extraction by tar's exit code.
  let stdinOpen = true;
  child.stdin.on('error', () => (stdinOpen = false));
  child.stdin.on('close', () => (stdinOpen = false));
  const toTar = new Writable({
    write(chunk: Buffer, _enc, done) {
      if (!stdinOpen) return done();
      if (child.stdin.write(chunk)) return done();
      const go = () => {
        child.stdin.off('drain', go);
        child.stdin.off('close', go);
        done();
      };
      child.stdin.on('drain', go);
      child.stdin.on('close', go);
    },
    final(done) {
      if (stdinOpen) child.stdin.end();
      done();
    },
  });
  try {
    if (compression === 'gzip') await pipeline(createReadStream(blobPath), createGunzip(), digester, toTar);
    else await pipeline(createReadStream(blobPath), digester, toTar);
  } catch (e) {
    child.kill();
    await exited.catch(() => undefined);
    throw new ImageError('Invalid', `extracting layer ${path.basename(blobPath)}: ${(e as Error).message}${stderr ? ': ' + stderr.trim() : ''}`, { cause: e });
  }
  const code = await exited;
  if (code !== 0) throw new ImageError('Invalid', `extracting layer ${path.basename(blobPath)}: tar exited ${code}: ${stderr.trim()}`);
  return digester.digest();
}

/** Finds whiteout files below root; removes them and returns what they stood for. */
async function collectWhiteouts(root: string): Promise<{ whiteouts: string[]; opaques: string[] }> {
  const whiteouts: string[] = [];
  const opaques: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const ent of await readdir(dir, { withFileTypes: true })) {
      const full = path.join(dir, ent.name);
      if (ent.name === OPAQUE_MARKER) {
        opaques.push(dir);
        await unlink(full);
      } else if (ent.name.startsWith(WHITEOUT_PREFIX + WHITEOUT_PREFIX)) {
        await rm(full, { recursive: true, force: true }); // aufs metadata (.wh..wh.plnk etc.)
      } else if (ent.name.startsWith(WHITEOUT_PREFIX)) {
        whiteouts.push(path.join(dir, ent.name.slice(WHITEOUT_PREFIX.length)));
        await unlink(full);
      } else if (ent.isDirectory()) {
        await walk(full);
      }
    }
  };
  await walk(root);
  return { whiteouts, opaques };
}

function run(cmd: string, args: string[], input?: Buffer): void {
  const r = spawnSync(cmd, args, { input, stdio: [input ? 'pipe' : 'ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: exit ${r.status}: ${r.stderr.toString().trim()}`);
}

/** Rewrites whiteouts in overlayfs form: char device 0/0 per deleted path, trusted.overlay.opaque=y per opaque dir. */
async function convertWhiteouts(root: string): Promise<void> {
  const { whiteouts, opaques } = await collectWhiteouts(root);
  for (const target of whiteouts) {
    await rm(target, { recursive: true, force: true });
    run('mknod', ['-m', '0', target, 'c', '0', '0']);
  }
  if (opaques.length === 0) return;
  // Node has no setxattr(2): let GNU tar set it, by re-extracting each dir entry with a per-file pax xattr record.
  const rels = opaques.map((d) => path.relative(root, d) || '.');
  const r = spawnSync('tar', ['--format=pax', '--pax-option=SCHILY.xattr.trusted.overlay.opaque:=y', '--no-recursion', '-C', root, '-cf', '-', '--', ...rels], {
    maxBuffer: 64 << 20,
  });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`tar (opaque dirs): ${r.stderr.toString().trim()}`);
  run('tar', ['-x', '-f', '-', '-C', root, '--xattrs', '--xattrs-include=trusted.overlay.opaque', '--numeric-owner', '-p'], r.stdout);
}

/**
 * Extracts the layer blob into `dest` (an existing empty directory), checks its DiffID against `expectedDiffID`
 * and converts whiteouts for overlayfs. Throws ImageError('DigestMismatch') when the content does not match.
 */
export async function unpackLayer(blobPath: string, dest: string, expectedDiffID: string): Promise<void> {
  const diffID = await untar(blobPath, dest);
  if (diffID !== expectedDiffID) {
    throw new ImageError('DigestMismatch', `layer ${path.basename(blobPath)}: uncompressed digest ${diffID} does not match diff_id ${expectedDiffID}`);
  }
  await convertWhiteouts(dest);
}

/** True for an overlayfs whiteout (character device 0/0). */
export async function isOverlayWhiteout(p: string): Promise<boolean> {
  const st = await lstat(p);
  return st.isCharacterDevice() && st.rdev === 0;
}
