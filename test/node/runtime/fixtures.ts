// Test fixtures for runtime tests: a busybox rootfs, unique host resource names, and host-state probes
// (netns, links, iptables, mounts, cgroups) used to prove clean teardown.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { reservePodSubnet } from '../../helpers/subnet.js';
import path from 'node:path';

export function hostHasRuntime(): boolean {
  return (
    process.getuid?.() === 0 && ['/usr/sbin/runc', '/usr/bin/conmon', '/usr/bin/catatonit', '/bin/busybox', '/usr/lib/cni/bridge'].every((p) => existsSync(p))
  );
}

export function uniqueNames(): { bridge: string; subnet: string; prefix: string; cgroupParent: string; release: () => void } {
  const r = randomBytes(4).toString('hex'); // 8 chars -> 'k8ts-t' + 8 = 14 ≤ 15
  const { subnet, release } = reservePodSubnet();
  return { bridge: `k8ts-t${r}`, subnet, prefix: r, cgroupParent: `/k8ts-t${r}`, release };
}

/** A rootfs with a static busybox and its applets, /etc/passwd, and a web root for httpd. */
export function makeBusyboxRootfs(dir: string): string {
  const bin = path.join(dir, 'bin');
  mkdirSync(bin, { recursive: true });
  copyFileSync('/bin/busybox', path.join(bin, 'busybox'));
  chmodSync(path.join(bin, 'busybox'), 0o755);
  const applets = execFileSync('/bin/busybox', ['--list'], { encoding: 'utf8' }).split('\n').filter(Boolean);
  for (const a of applets) if (a !== 'busybox') symlinkSync('busybox', path.join(bin, a));
  for (const d of ['etc', 'tmp', 'www', 'proc', 'sys', 'dev', 'root']) mkdirSync(path.join(dir, d), { recursive: true });
  chmodSync(path.join(dir, 'tmp'), 0o1777);
  writeFileSync(path.join(dir, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n');
  writeFileSync(path.join(dir, 'etc/group'), 'root:x:0:\nnogroup:x:65534:\n');
  writeFileSync(path.join(dir, 'www/index.html'), 'hello-k8ts\n');
  return dir;
}

export function sh(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch {
    return '';
  }
}

export function netnsList(): string[] {
  return sh('ip', ['netns', 'list'])
    .split('\n')
    .map((l) => l.split(' ')[0]!)
    .filter(Boolean);
}

export function linkExists(name: string): boolean {
  return sh('ip', ['link', 'show', name]).includes(name);
}

export function bridgePorts(bridge: string): string[] {
  return sh('ip', ['-o', 'link', 'show', 'master', bridge]).split('\n').filter(Boolean);
}

export function natRules(): string {
  return sh('iptables', ['-t', 'nat', '-S']);
}

export function mountsUnder(dir: string): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[4] ?? '')
    .filter((m) => m.startsWith(dir));
}

export function cgroupDirs(parent: string): string[] {
  const out: string[] = [];
  for (const h of readdirSync('/sys/fs/cgroup')) {
    const p = path.join('/sys/fs/cgroup', h, parent);
    if (existsSync(p)) out.push(p);
  }
  return out;
}

export function processAlive(pid: number): boolean {
  if (!pid) return false;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // a zombie waiting for the (slow) init to reap it is dead for our purposes
    return !/^\d+ \(.*\) Z /.test(stat);
  } catch {
    return false;
  }
}
