// Shared helpers for the image node tests: temp dirs, building the busybox image with the setup script, free ports.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join('/tmp', `k8ts-${prefix}-`));
}

/** Runs scripts/build-busybox-image.sh into `dir` and returns the tar path. */
export function buildBusybox(dir: string): string {
  const out = path.join(dir, 'busybox.oci.tar');
  execFileSync('bash', [path.join(repoRoot, 'scripts/build-busybox-image.sh'), out], { stdio: 'pipe' });
  return out;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}
