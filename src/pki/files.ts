// Reading and writing PEM files of DATA/pki: keys 0600, certificates 0644, each written whole (temp file + rename)
// so a crash never leaves half a key.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CertKeyPair } from './certs.js';

export function writeFileAtomic(path: string, data: string, mode: number): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, data, { mode });
  renameSync(tmp, path);
}

/** `<dir>/<base>.crt` and `<dir>/<base>.key`, or undefined when either is missing. */
export function readPair(dir: string, base: string): CertKeyPair | undefined {
  const crt = join(dir, `${base}.crt`);
  const key = join(dir, `${base}.key`);
  if (!existsSync(crt) || !existsSync(key)) return undefined;
  return { cert: readFileSync(crt, 'utf8'), key: readFileSync(key, 'utf8') };
}

export function writePair(dir: string, base: string, pair: CertKeyPair): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // the key first: a certificate is never on disk without its key
  writeFileAtomic(join(dir, `${base}.key`), pair.key, 0o600);
  writeFileAtomic(join(dir, `${base}.crt`), pair.cert, 0o644);
}
