// On-disk layout of the runtime's data dir: where sandboxes, containers, runc state, exit files and
// attach sockets live.
import path from 'node:path';

export class RuntimeLayout {
  constructor(readonly dataDir: string) {}
  get runcRoot(): string {
    return path.join(this.dataDir, 'runc');
  }
  get exitDir(): string {
    return path.join(this.dataDir, 'exits');
  }
  get socketDir(): string {
    return path.join(this.dataDir, 'attach');
  }
  get sandboxesDir(): string {
    return path.join(this.dataDir, 'sandboxes');
  }
  get containersDir(): string {
    return path.join(this.dataDir, 'containers');
  }
  get logsDir(): string {
    return path.join(this.dataDir, 'logs');
  }
  sandboxDir(id: string): string {
    return path.join(this.sandboxesDir, id);
  }
  containerDir(id: string): string {
    return path.join(this.containersDir, id);
  }
}

/** Poll for conmon's exit file; resolves true once it exists, false on timeout. */
export async function waitForFile(check: () => Promise<boolean>, timeoutMs: number, intervalMs = 20): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
