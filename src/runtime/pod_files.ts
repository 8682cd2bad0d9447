// Per-pod /etc/hosts, /etc/hostname and /etc/resolv.conf files that every container of the pod bind-mounts.
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { DNSConfig, HostAlias, PodSandboxConfig } from './types.js';

export interface PodFiles {
  hosts: string;
  hostname: string;
  resolvConf: string;
}

export function podFilePaths(dir: string): PodFiles {
  return {
    hosts: path.join(dir, 'hosts'),
    hostname: path.join(dir, 'hostname'),
    resolvConf: path.join(dir, 'resolv.conf'),
  };
}

/**
 * The pod's host name (/etc/hostname, $HOSTNAME, the UTS namespace's name): the one the kubelet asked for;
 * a hostNetwork pod, which shares the host's UTS namespace, gets none and has the node's (as containerd does).
 */
export function sandboxHostname(config: Pick<PodSandboxConfig, 'hostname' | 'hostNetwork' | 'metadata'>): string {
  return config.hostname || (config.hostNetwork ? os.hostname() : config.metadata.name);
}

function aliasLines(aliases: HostAlias[] | undefined): string {
  if (!aliases?.length) return '';
  let s = '\n# Entries added by HostAliases.\n';
  for (const a of aliases) s += `${a.ip}\t${a.hostnames.join('\t')}\n`;
  return s;
}

/** The kubelet-managed hosts file for a pod on the pod network. */
export function renderHostsFile(podIP: string, hostname: string, aliases?: HostAlias[]): string {
  let s = '# Kubernetes-managed hosts file.\n';
  s += '127.0.0.1\tlocalhost\n';
  s += '::1\tlocalhost ip6-localhost ip6-loopback\n';
  s += 'fe00::0\tip6-localnet\n';
  s += 'fe00::0\tip6-mcastprefix\n';
  s += 'fe00::1\tip6-allnodes\n';
  s += 'fe00::2\tip6-allrouters\n';
  if (podIP) s += `${podIP}\t${hostname}\n`;
  return s + aliasLines(aliases);
}

export function renderResolvConf(dns: DNSConfig): string {
  let s = '';
  if (dns.searches?.length) s += `search ${dns.searches.join(' ')}\n`;
  for (const ns of dns.servers ?? []) s += `nameserver ${ns}\n`;
  if (dns.options?.length) s += `options ${dns.options.join(' ')}\n`;
  return s;
}

export interface WritePodFilesOptions {
  dir: string;
  hostname: string;
  podIP: string;
  hostNetwork: boolean;
  hostAliases?: HostAlias[];
  dns?: DNSConfig;
}

/** Write the three files; hostNetwork pods get the host's hosts file (plus aliases). No DNS config = host resolv.conf. */
export async function writePodFiles(o: WritePodFilesOptions): Promise<PodFiles> {
  await mkdir(o.dir, { recursive: true });
  const p = podFilePaths(o.dir);
  if (o.hostNetwork) {
    let hostHosts = '';
    try {
      hostHosts = await readFile('/etc/hosts', 'utf8');
    } catch {
      hostHosts = renderHostsFile('', o.hostname);
    }
    if (hostHosts && !hostHosts.endsWith('\n')) hostHosts += '\n';
    await writeFile(p.hosts, hostHosts + aliasLines(o.hostAliases));
  } else {
    await writeFile(p.hosts, renderHostsFile(o.podIP, o.hostname, o.hostAliases));
  }
  await writeFile(p.hostname, `${o.hostname}\n`);
  if (o.dns && (o.dns.servers?.length || o.dns.searches?.length || o.dns.options?.length)) {
    await writeFile(p.resolvConf, renderResolvConf(o.dns));
  } else {
    try {
      await copyFile('/etc/resolv.conf', p.resolvConf);
    } catch {
      await writeFile(p.resolvConf, '');
    }
  }
  return p;
}
