// Facts about the host the Node object reports: CPU/memory/disk capacity, addresses (and the one a joined node
// reaches its control plane from), and system info (kernel, OS image, machine/boot IDs, architecture, runc
// version, the deprecated kube-proxy version).
import { execFile } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { readFileSync, statfsSync } from 'node:fs';
import os from 'node:os';
import type { NodeAddress, NodeSystemInfo, ResourceList } from '../../api/core/v1/types.js';

const readTrim = (p: string): string => {
  try {
    return readFileSync(p, 'utf8').trim();
  } catch {
    return '';
  }
};

export function hostArch(): string {
  return ({ x64: 'amd64', arm64: 'arm64', arm: 'arm', ppc64: 'ppc64le', s390x: 's390x', ia32: '386' } as Record<string, string>)[process.arch] ?? process.arch;
}

export function osImage(): string {
  const m = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(readTrim('/etc/os-release'));
  return m?.[1] ?? 'Linux';
}

/** Capacity as upstream reports it: cpu cores, memory and ephemeral-storage in Ki, pods=maxPods. */
export function hostCapacity(dataDir: string, maxPods = 110): ResourceList {
  let storage = 0;
  try {
    const st = statfsSync(dataDir);
    storage = Number(st.blocks) * Number(st.bsize);
  } catch {
    /* unknown */
  }
  return {
    cpu: String(os.cpus().length || 1),
    'ephemeral-storage': `${Math.floor(storage / 1024)}Ki`,
    memory: `${Math.floor(os.totalmem() / 1024)}Ki`,
    pods: String(maxPods),
  };
}

/** InternalIP = the given node IP, else the first non-loopback IPv4 (or 127.0.0.1); plus the Hostname address. */
export function hostAddresses(hostname: string, nodeIP?: string): NodeAddress[] {
  let ip = nodeIP && nodeIP !== '0.0.0.0' ? nodeIP : '';
  for (const addrs of Object.values(os.networkInterfaces())) {
    for (const a of addrs ?? []) {
      if (a.family === 'IPv4' && !a.internal && !ip) ip = a.address;
    }
  }
  return [
    { type: 'InternalIP', address: ip || '127.0.0.1' },
    { type: 'Hostname', address: hostname },
  ];
}

/**
 * The local address this machine reaches `host` from: the source address the kernel's routing picks (a connected
 * UDP socket; no packet is sent). A joined node's InternalIP when none is given — the kubelet defaults to its
 * default-route address; this is the one the control plane can reach back.
 */
export async function routeSourceAddress(host: string): Promise<string> {
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  const ip = isIP(bare) ? bare : (await lookup(bare)).address;
  const sock = createSocket(isIP(ip) === 6 ? 'udp6' : 'udp4');
  try {
    await new Promise<void>((resolve, reject) => {
      sock.once('error', reject);
      sock.connect(9, ip, () => resolve());
    });
    return sock.address().address;
  } finally {
    sock.close();
  }
}

export function runcVersion(runcPath = '/usr/sbin/runc'): Promise<string> {
  return new Promise((resolve) => {
    execFile(runcPath, ['--version'], (err, stdout) => {
      const m = /runc version (\S+)/.exec(String(stdout));
      resolve(err || !m ? 'unknown' : m[1]!);
    });
  });
}

export function systemInfo(kubeletVersion: string, runtimeVersion: string): NodeSystemInfo {
  return {
    machineID: readTrim('/etc/machine-id'),
    systemUUID: readTrim('/sys/class/dmi/id/product_uuid'),
    bootID: readTrim('/proc/sys/kernel/random/boot_id'),
    kernelVersion: os.release(),
    osImage: osImage(),
    containerRuntimeVersion: `runc://${runtimeVersion}`,
    kubeletVersion,
    // Deprecated, and left empty by 1.33 kubelets (DisableNodeKubeProxyVersion on by default); the field is
    // still always serialised, and required in the schema: typed clients refuse a nodeInfo without it.
    kubeProxyVersion: '',
    operatingSystem: 'linux',
    architecture: hostArch(),
  };
}
