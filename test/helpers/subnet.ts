// Pod subnets for tests that run in parallel: each reserves its own 10.244.N.0/24 through an exclusive lock
// file (and skips /24s that a route on this host already uses), so two clusters never share a subnet.
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { join } from 'node:path';

const LOCK_DIR = '/tmp/k8ts-subnet-locks';
const STALE_MS = 3 * 60 * 60 * 1000;

function routedThirdOctets(): Set<number> {
  const used = new Set<number>();
  try {
    const out = execFileSync('ip', ['-4', 'route', 'show'], { encoding: 'utf8' });
    for (const m of out.matchAll(/10\.244\.(\d+)\.\d+/g)) used.add(Number(m[1]));
  } catch {
    // no iproute2: rely on the locks alone
  }
  return used;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Reserve a /24 with third octet in [lo, hi); release() frees it. */
export function reservePodSubnet(lo = 10, hi = 251): { subnet: string; octet: number; release: () => void } {
  mkdirSync(LOCK_DIR, { recursive: true });
  const routed = routedThirdOctets();
  const start = randomInt(lo, hi);
  for (let k = 0; k < hi - lo; k++) {
    const n = lo + ((start - lo + k) % (hi - lo));
    if (routed.has(n)) continue;
    const file = join(LOCK_DIR, String(n));
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
    } catch {
      // held: take it over only if its owner is gone or it is very old
      try {
        const owner = Number(readFileSync(file, 'utf8'));
        if ((owner && alive(owner)) || Date.now() - statSync(file).mtimeMs < STALE_MS) continue;
        rmSync(file, { force: true });
      } catch {
        continue;
      }
      k--; // retry the same octet once the stale lock is gone
      continue;
    }
    return { subnet: `10.244.${n}.0/24`, octet: n, release: () => rmSync(file, { force: true }) };
  }
  throw new Error('no free 10.244.N.0/24 test subnet');
}
