// Running a benchmark's load generator from a pod: the pod's network namespace, found in the node agent's sandbox
// records, and a Node script run in it (`ip netns exec`; busybox has no load generators), its last stdout line JSON.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const DIST_BENCH = resolve(dirname(fileURLToPath(import.meta.url)));

/** The network namespace of a pod's ready sandbox, from the agent's records in its data dir. */
export function podNetns(dataDir: string, pod: string): string {
  const dir = join(dataDir, 'sandboxes');
  for (const id of readdirSync(dir)) {
    try {
      const rec = JSON.parse(readFileSync(join(dir, id, 'sandbox.json'), 'utf8'));
      if (rec.config?.metadata?.name === pod && rec.state === 'SANDBOX_READY' && rec.netnsName) return rec.netnsName;
    } catch {
      /* a sandbox being written */
    }
  }
  throw new Error(`no ready sandbox for pod ${pod}`);
}

/** dist/bench/<script> in `netns` with `spec` as its argument; its JSON result. */
export function runInNetns<T>(netns: string, script: string, spec: unknown): Promise<T> {
  return new Promise((resolveP, reject) => {
    const p = spawn('ip', ['netns', 'exec', netns, process.execPath, join(DIST_BENCH, script), JSON.stringify(spec)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('error', reject);
    p.on('close', (code) => {
      if (code !== 0) reject(new Error(`${script} exited ${code}: ${err}`));
      else resolveP(JSON.parse(out.trim().split('\n').pop()!) as T);
    });
  });
}
