// Builds the OCI runtime-spec config.json of each container (process, mounts, namespaces joined from the
// pod's infra process, resources, security defaults like containerd/CRI-O).
import type { ContainerConfig, ImageConfig, LinuxResources, Mount } from './types.js';

export interface OCIMount {
  destination: string;
  type?: string;
  source?: string;
  options?: string[];
}

export interface OCINamespace {
  type: 'pid' | 'network' | 'ipc' | 'uts' | 'mount' | 'user' | 'cgroup';
  path?: string;
}

export interface OCISpec {
  ociVersion: string;
  process: {
    terminal: boolean;
    user: { uid: number; gid: number; additionalGids?: number[] };
    args: string[];
    env: string[];
    cwd: string;
    capabilities: { bounding: string[]; effective: string[]; permitted: string[]; inheritable: string[]; ambient?: string[] };
    rlimits: { type: string; hard: number; soft: number }[];
    noNewPrivileges: boolean;
    oomScoreAdj?: number;
  };
  root: { path: string; readonly: boolean };
  hostname?: string;
  mounts: OCIMount[];
  annotations?: Record<string, string>;
  linux: {
    namespaces: OCINamespace[];
    cgroupsPath: string;
    resources: Record<string, unknown>;
    maskedPaths?: string[];
    readonlyPaths?: string[];
    rootfsPropagation?: string;
  };
}

export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
/** RLIMIT_NOFILE for containers (the host allows at most 20000). */
export const DEFAULT_NOFILE = 16384;

/** containerd's default capability set for unprivileged containers. */
export const DEFAULT_CAPABILITIES = [
  'CAP_CHOWN',
  'CAP_DAC_OVERRIDE',
  'CAP_FSETID',
  'CAP_FOWNER',
  'CAP_MKNOD',
  'CAP_NET_RAW',
  'CAP_SETGID',
  'CAP_SETUID',
  'CAP_SETFCAP',
  'CAP_SETPCAP',
  'CAP_NET_BIND_SERVICE',
  'CAP_SYS_CHROOT',
  'CAP_KILL',
  'CAP_AUDIT_WRITE',
];

/** Every capability runc 1.1 knows (privileged containers). */
export const ALL_CAPABILITIES = [
  'CAP_CHOWN',
  'CAP_DAC_OVERRIDE',
  'CAP_DAC_READ_SEARCH',
  'CAP_FOWNER',
  'CAP_FSETID',
  'CAP_KILL',
  'CAP_SETGID',
  'CAP_SETUID',
  'CAP_SETPCAP',
  'CAP_LINUX_IMMUTABLE',
  'CAP_NET_BIND_SERVICE',
  'CAP_NET_BROADCAST',
  'CAP_NET_ADMIN',
  'CAP_NET_RAW',
  'CAP_IPC_LOCK',
  'CAP_IPC_OWNER',
  'CAP_SYS_MODULE',
  'CAP_SYS_RAWIO',
  'CAP_SYS_CHROOT',
  'CAP_SYS_PTRACE',
  'CAP_SYS_PACCT',
  'CAP_SYS_ADMIN',
  'CAP_SYS_BOOT',
  'CAP_SYS_NICE',
  'CAP_SYS_RESOURCE',
  'CAP_SYS_TIME',
  'CAP_SYS_TTY_CONFIG',
  'CAP_MKNOD',
  'CAP_LEASE',
  'CAP_AUDIT_WRITE',
  'CAP_AUDIT_CONTROL',
  'CAP_SETFCAP',
  'CAP_MAC_OVERRIDE',
  'CAP_MAC_ADMIN',
  'CAP_SYSLOG',
  'CAP_WAKE_ALARM',
  'CAP_BLOCK_SUSPEND',
  'CAP_AUDIT_READ',
  'CAP_PERFMON',
  'CAP_BPF',
  'CAP_CHECKPOINT_RESTORE',
];

export const DEFAULT_MASKED_PATHS = [
  '/proc/acpi',
  '/proc/asound',
  '/proc/kcore',
  '/proc/keys',
  '/proc/latency_stats',
  '/proc/timer_list',
  '/proc/timer_stats',
  '/proc/sched_debug',
  '/proc/scsi',
  '/sys/firmware',
];

export const DEFAULT_READONLY_PATHS = ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'];

function capName(c: string): string {
  const u = c.toUpperCase();
  return u.startsWith('CAP_') ? u : `CAP_${u}`;
}

/** Apply Kubernetes capabilities add/drop (names with or without CAP_, 'ALL' allowed) to the default set. */
export function effectiveCapabilities(privileged: boolean, add: string[] = [], drop: string[] = []): string[] {
  if (privileged) return [...ALL_CAPABILITIES];
  const addN = add.map(capName);
  const dropN = drop.map(capName);
  let caps = dropN.includes('CAP_ALL') ? [] : DEFAULT_CAPABILITIES.filter((c) => !dropN.includes(c));
  if (addN.includes('CAP_ALL')) caps = [...ALL_CAPABILITIES];
  for (const c of addN) if (c !== 'CAP_ALL' && !caps.includes(c) && !(dropN.includes(c) && !addN.includes(c))) caps.push(c);
  return caps;
}

/**
 * Process args per Kubernetes rules: command replaces the image Entrypoint (and drops its Cmd);
 * args replaces the image Cmd.
 */
export function processArgs(c: Pick<ContainerConfig, 'command' | 'args'>, img: ImageConfig = {}): string[] {
  const entry = c.command?.length ? c.command : (img.Entrypoint ?? []);
  const cmd = c.args?.length ? c.args : c.command?.length ? [] : (img.Cmd ?? []);
  const argv = [...entry, ...cmd];
  if (!argv.length) throw new Error('no command specified');
  return argv;
}

/** Image env, then container env (later names override), PATH defaulted, plus HOSTNAME. */
export function processEnv(c: Pick<ContainerConfig, 'env'>, img: ImageConfig = {}, hostname?: string): string[] {
  const order: string[] = [];
  const vals = new Map<string, string>();
  const set = (k: string, v: string) => {
    if (!vals.has(k)) order.push(k);
    vals.set(k, v);
  };
  for (const kv of img.Env ?? []) {
    const i = kv.indexOf('=');
    if (i > 0) set(kv.slice(0, i), kv.slice(i + 1));
  }
  if (!vals.has('PATH')) set('PATH', DEFAULT_PATH);
  if (hostname) set('HOSTNAME', hostname);
  for (const e of c.env ?? []) set(e.name, e.value);
  return order.map((k) => `${k}=${vals.get(k)}`);
}

function baseMounts(privileged: boolean, readOnlySys = !privileged): OCIMount[] {
  return [
    { destination: '/proc', type: 'proc', source: 'proc', options: ['nosuid', 'noexec', 'nodev'] },
    { destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'] },
    { destination: '/dev/pts', type: 'devpts', source: 'devpts', options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5'] },
    { destination: '/dev/mqueue', type: 'mqueue', source: 'mqueue', options: ['nosuid', 'noexec', 'nodev'] },
    { destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['nosuid', 'noexec', 'nodev', readOnlySys ? 'ro' : 'rw'] },
    { destination: '/sys/fs/cgroup', type: 'cgroup', source: 'cgroup', options: ['nosuid', 'noexec', 'nodev', 'relatime', readOnlySys ? 'ro' : 'rw'] },
  ];
}

function bindMount(dest: string, src: string, readonly: boolean, propagation: Mount['propagation'] = 'private'): OCIMount {
  const prop = propagation === 'rshared' ? 'rshared' : propagation === 'rslave' ? 'rslave' : 'rprivate';
  return { destination: dest, type: 'bind', source: src, options: ['rbind', prop, readonly ? 'ro' : 'rw'] };
}

export function resourcesSpec(r: LinuxResources | undefined, privileged: boolean, memswAvailable: boolean): Record<string, unknown> {
  const res: Record<string, unknown> = {
    devices: privileged ? [{ allow: true, access: 'rwm' }] : [{ allow: false, access: 'rwm' }],
  };
  if (r?.memoryLimitBytes && r.memoryLimitBytes > 0) {
    res.memory = memswAvailable ? { limit: r.memoryLimitBytes, swap: r.memoryLimitBytes } : { limit: r.memoryLimitBytes };
  }
  const cpu: Record<string, number> = {};
  if (r?.cpuShares) cpu.shares = r.cpuShares;
  if (r?.cpuQuota && r.cpuQuota > 0) {
    cpu.quota = r.cpuQuota;
    cpu.period = r.cpuPeriod ?? 100_000;
  } else if (r?.cpuPeriod) cpu.period = r.cpuPeriod;
  if (Object.keys(cpu).length) res.cpu = cpu;
  if (r?.pidsLimit && r.pidsLimit > 0) res.pids = { limit: r.pidsLimit };
  return res;
}

export interface ContainerSpecInput {
  config: ContainerConfig;
  rootfs: string;
  /** uid/gid resolved from securityContext / image User (see resolveUser). */
  user: { uid: number; gid: number; additionalGids?: number[] };
  podHostname: string;
  podFiles: { hosts: string; hostname: string; resolvConf: string };
  terminationLogPath: string;
  /** Namespace files to join; '' / undefined = host namespace. */
  netnsPath: string;
  infraPid: number;
  hostIPC: boolean;
  /** Join the infra's PID namespace (shareProcessNamespace). */
  sharePid: boolean;
  /** Join this PID namespace instead (an ephemeral container's target: /proc/<pid>/ns/pid). */
  targetPidNamespace?: string;
  hostPID: boolean;
  cgroupsPath: string;
  memswAvailable: boolean;
  nofile?: number;
}

export function buildContainerSpec(i: ContainerSpecInput): OCISpec {
  const c = i.config;
  const sc = c.securityContext ?? {};
  const privileged = !!sc.privileged;
  const img = c.imageConfig ?? {};
  const caps = effectiveCapabilities(privileged, sc.capabilities?.add, sc.capabilities?.drop);
  const ns: OCINamespace[] = [{ type: 'mount' }];
  if (i.netnsPath) {
    ns.push({ type: 'network', path: i.netnsPath });
    ns.push({ type: 'uts', path: `/proc/${i.infraPid}/ns/uts` });
  }
  if (!i.hostIPC) ns.push({ type: 'ipc', path: `/proc/${i.infraPid}/ns/ipc` });
  if (!i.hostPID)
    ns.push(
      i.targetPidNamespace ? { type: 'pid', path: i.targetPidNamespace } : i.sharePid ? { type: 'pid', path: `/proc/${i.infraPid}/ns/pid` } : { type: 'pid' },
    );
  const mounts = baseMounts(privileged);
  mounts.push({ destination: '/dev/shm', type: 'tmpfs', source: 'shm', options: ['nosuid', 'noexec', 'nodev', 'mode=1777', 'size=65536k'] });
  mounts.push(bindMount('/etc/hosts', i.podFiles.hosts, false));
  mounts.push(bindMount('/etc/hostname', i.podFiles.hostname, false));
  mounts.push(bindMount('/etc/resolv.conf', i.podFiles.resolvConf, false));
  mounts.push(bindMount(c.terminationMessageContainerPath || '/dev/termination-log', i.terminationLogPath, false));
  for (const m of c.mounts ?? []) mounts.push(bindMount(m.containerPath, m.hostPath, !!m.readonly, m.propagation));
  const nofile = Math.min(i.nofile ?? DEFAULT_NOFILE, 20000);
  const spec: OCISpec = {
    ociVersion: '1.0.2',
    process: {
      terminal: !!c.tty,
      user: i.user,
      args: processArgs(c, img),
      env: processEnv(c, img, i.podHostname),
      cwd: c.workingDir || img.WorkingDir || '/',
      capabilities: { bounding: caps, effective: caps, permitted: caps, inheritable: [] },
      rlimits: [{ type: 'RLIMIT_NOFILE', hard: nofile, soft: nofile }],
      noNewPrivileges: !privileged && sc.allowPrivilegeEscalation === false,
    },
    root: { path: i.rootfs, readonly: !!sc.readOnlyRootFilesystem },
    // the pod's UTS namespace is the infra process's: each container (re)sets the pod hostname in it
    ...(i.netnsPath ? { hostname: i.podHostname } : {}),
    mounts,
    annotations: { ...(c.annotations ?? {}) },
    linux: {
      namespaces: ns,
      cgroupsPath: i.cgroupsPath,
      resources: resourcesSpec(c.resources, privileged, i.memswAvailable),
      rootfsPropagation: (c.mounts ?? []).some((m) => m.propagation === 'rshared')
        ? 'rshared'
        : (c.mounts ?? []).some((m) => m.propagation === 'rslave')
          ? 'rslave'
          : undefined,
    },
  };
  if (!spec.linux.rootfsPropagation) delete spec.linux.rootfsPropagation;
  if (!privileged) {
    spec.linux.maskedPaths = [...DEFAULT_MASKED_PATHS];
    spec.linux.readonlyPaths = [...DEFAULT_READONLY_PATHS];
  }
  return spec;
}

function lookupId(db: string, name: string): number | undefined {
  for (const line of db.split('\n')) {
    const f = line.split(':');
    if (f[0] === name && f[2] !== undefined && /^\d+$/.test(f[2])) return Number(f[2]);
  }
  return undefined;
}

function primaryGid(passwd: string, uid: number): number | undefined {
  for (const line of passwd.split('\n')) {
    const f = line.split(':');
    if (f[2] === String(uid) && f[3] !== undefined && /^\d+$/.test(f[3])) return Number(f[3]);
  }
  return undefined;
}

/**
 * Resolve the process user: securityContext runAsUser/runAsGroup win over the image's User
 * ("uid", "uid:gid", "name", "name:group"; names looked up in the rootfs' /etc/passwd and /etc/group text).
 */
export function resolveUser(
  sc: ContainerConfig['securityContext'],
  imageUser: string | undefined,
  etcPasswd: string,
  etcGroup: string,
): { uid: number; gid: number; additionalGids?: number[] } {
  let uid = 0;
  let gid: number | undefined;
  if (imageUser) {
    const [u, g] = imageUser.split(':') as [string, string | undefined];
    if (/^\d+$/.test(u)) uid = Number(u);
    else {
      const id = lookupId(etcPasswd, u);
      if (id === undefined) throw new Error(`unable to find user ${u}: no matching entries in passwd file`);
      uid = id;
    }
    if (g) {
      if (/^\d+$/.test(g)) gid = Number(g);
      else {
        const id = lookupId(etcGroup, g);
        if (id === undefined) throw new Error(`unable to find group ${g}: no matching entries in group file`);
        gid = id;
      }
    }
  }
  if (sc?.runAsUser !== undefined) {
    uid = sc.runAsUser;
    gid = undefined;
  }
  if (sc?.runAsGroup !== undefined) gid = sc.runAsGroup;
  if (gid === undefined) gid = primaryGid(etcPasswd, uid) ?? 0;
  const out: { uid: number; gid: number; additionalGids?: number[] } = { uid, gid };
  if (sc?.supplementalGroups?.length) out.additionalGids = [...sc.supplementalGroups];
  return out;
}
