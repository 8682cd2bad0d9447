// CNI client: builds the pod network conflist (bridge + host-local IPAM, portmap) and runs the
// plugin binaries per the CNI spec (env + config on stdin, result JSON on stdout) for ADD/DEL/CHECK.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { runCommand } from './command.js';
import { PodMasquerade } from './masquerade.js';
import type { PortMapping } from './types.js';

export const CNI_VERSION = '1.0.0';

export interface CNINetworkOptions {
  /** Directory holding the plugin binaries (CNI_PATH). */
  binDir: string;
  /** Linux bridge to attach pods to (≤ 15 chars). */
  bridgeName: string;
  /** Pod subnet, e.g. 10.244.1.0/24 (inside 10.244.0.0/16). */
  podSubnet: string;
  /** The cluster's pod range (all nodes' subnets): traffic to it is not masqueraded. Default: podSubnet. */
  clusterCIDR?: string;
  /** State dir: host-local IPAM allocations and cached ADD results live under it. */
  stateDir: string;
  /** CNI network name (also scopes host-local state). */
  networkName?: string;
  mtu?: number;
}

export interface CNIAttachment {
  containerId: string;
  netnsPath: string;
  ifName?: string;
  podName?: string;
  podNamespace?: string;
  podUid?: string;
  portMappings?: PortMapping[];
  /** DEL only: the pod was attached with the bridge plugin's per-pod ipMasq (sandboxes of older agents). */
  legacyIPMasq?: boolean;
}

export interface CNIIPConfig {
  address: string;
  gateway?: string;
  interface?: number;
}

export interface CNIResult {
  cniVersion: string;
  interfaces?: { name: string; mac?: string; sandbox?: string }[];
  ips?: CNIIPConfig[];
  routes?: { dst: string; gw?: string }[];
  dns?: Record<string, unknown>;
}

export class CNIError extends Error {
  constructor(
    public readonly plugin: string,
    public readonly command: string,
    message: string,
    public readonly cniCode?: number,
  ) {
    super(`CNI ${command} ${plugin}: ${message}`);
    this.name = 'CNIError';
  }
}

type PluginConf = Record<string, unknown> & { type: string; capabilities?: Record<string, boolean> };

export interface CNIConfList {
  cniVersion: string;
  name: string;
  plugins: PluginConf[];
}

/** Validate that a CIDR lies inside 10.244.0.0/16. */
export function assertPodSubnet(subnet: string): void {
  const m = /^10\.244\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(subnet);
  if (!m || Number(m[1]) > 255 || Number(m[2]) > 255 || Number(m[3]) < 16 || Number(m[3]) > 30) {
    throw new Error(`pod subnet ${subnet} must be a CIDR inside 10.244.0.0/16`);
  }
}

/** The conflist for the pod network. */
export function buildConfList(o: CNINetworkOptions): CNIConfList {
  const name = o.networkName ?? 'k8ts';
  const bridge: PluginConf = {
    type: 'bridge',
    bridge: o.bridgeName,
    isGateway: true,
    // SNAT for the whole subnet is one nftables rule (PodMasquerade) that spares pod-to-pod traffic across nodes,
    // not a chain per pod (~5 iptables runs per ADD/DEL) masquerading everything that leaves the subnet
    ipMasq: false,
    hairpinMode: true,
    ipam: {
      type: 'host-local',
      ranges: [[{ subnet: o.podSubnet }]],
      routes: [{ dst: '0.0.0.0/0' }],
      dataDir: path.join(o.stateDir, 'ipam'),
    },
  };
  if (o.mtu) bridge.mtu = o.mtu;
  return {
    cniVersion: CNI_VERSION,
    name,
    plugins: [bridge, { type: 'portmap', capabilities: { portMappings: true }, snat: true }],
  };
}

/** Runs one network (conflist) for pod sandboxes. */
export class CNINetwork {
  readonly confList: CNIConfList;
  /** The subnet's masquerade rule: ensured by add(); the sandbox manager releases it with the last pod. */
  readonly masquerade: PodMasquerade;

  constructor(private readonly opts: CNINetworkOptions) {
    assertPodSubnet(opts.podSubnet);
    if (opts.bridgeName.length > 15) throw new Error(`bridge name ${opts.bridgeName} longer than 15 characters`);
    this.confList = buildConfList(opts);
    this.masquerade = new PodMasquerade(opts.podSubnet, opts.bridgeName, opts.clusterCIDR);
  }

  /**
   * Attach the pod: the conflist in order. Returns the pod IPv4 address (no prefix). The pod's loopback is
   * brought up by createNetns (netns.ts), not by the CNI loopback plugin (one process less per pod).
   */
  async add(a: CNIAttachment): Promise<{ ip: string; result: CNIResult }> {
    const masq = this.masquerade.ensure();
    let prev: CNIResult | undefined;
    try {
      for (const p of this.pluginsFor(a)) {
        const conf = this.pluginConf(p, a, prev);
        const out = await this.invoke('ADD', conf, a);
        prev = out as unknown as CNIResult;
      }
      await masq;
    } catch (e) {
      await masq.catch(() => {});
      // Roll back what succeeded so a failed ADD leaks no IPs or iptables rules.
      await this.del(a).catch(() => {});
      throw e;
    }
    const result = prev!;
    const ip4 = (result.ips ?? []).find((x) => x.address.includes('.'));
    if (!ip4) throw new CNIError('bridge', 'ADD', 'result carries no IPv4 address');
    await mkdir(this.resultsDir(), { recursive: true });
    await writeFile(this.resultPath(a), JSON.stringify(result));
    return { ip: ip4.address.split('/')[0]!, result };
  }

  /** Detach the pod: conflist in reverse with the cached result as prevResult. Idempotent. */
  async del(a: CNIAttachment): Promise<void> {
    let prev: CNIResult | undefined;
    try {
      prev = JSON.parse(await readFile(this.resultPath(a), 'utf8')) as CNIResult;
    } catch {
      prev = undefined;
    }
    const errors: Error[] = [];
    for (const p of [...this.pluginsFor(a)].reverse()) {
      try {
        const conf = this.pluginConf(p, a, prev);
        if (a.legacyIPMasq && p.type === 'bridge') conf.ipMasq = true;
        await this.invoke('DEL', conf, a);
      } catch (e) {
        errors.push(e as Error);
      }
    }
    await rm(this.resultPath(a), { force: true });
    if (errors.length) throw errors[0];
  }

  /**
   * The conflist's plugins for this attachment. portmap is left out when the pod maps no host ports: its
   * ADD would return prevResult unchanged and its DEL has nothing to remove, but each costs a process.
   */
  private pluginsFor(a: CNIAttachment): PluginConf[] {
    const hostPorts = (a.portMappings ?? []).some((m) => m.hostPort > 0);
    return hostPorts ? this.confList.plugins : this.confList.plugins.filter((p) => !p.capabilities?.portMappings);
  }

  private pluginConf(p: PluginConf, a: CNIAttachment, prev: CNIResult | undefined): Record<string, unknown> {
    const { capabilities, ...rest } = p;
    const conf: Record<string, unknown> = { cniVersion: this.confList.cniVersion, name: this.confList.name, ...rest };
    if (capabilities?.portMappings) {
      const pm = (a.portMappings ?? [])
        .filter((m) => m.hostPort > 0)
        .map((m) => ({
          hostPort: m.hostPort,
          containerPort: m.containerPort,
          protocol: (m.protocol ?? 'TCP').toLowerCase(),
          ...(m.hostIP ? { hostIP: m.hostIP } : {}),
        }));
      conf.runtimeConfig = { portMappings: pm };
    }
    if (prev) conf.prevResult = prev;
    return conf;
  }

  private resultsDir(): string {
    return path.join(this.opts.stateDir, 'results');
  }

  private resultPath(a: CNIAttachment): string {
    return path.join(this.resultsDir(), `${this.confList.name}-${a.containerId}-${a.ifName ?? 'eth0'}.json`);
  }

  private async invoke(command: 'ADD' | 'DEL' | 'CHECK', conf: Record<string, unknown>, a: CNIAttachment): Promise<Record<string, unknown>> {
    const type = String(conf.type);
    const cniArgs = ['IgnoreUnknown=1'];
    if (a.podNamespace) cniArgs.push(`K8S_POD_NAMESPACE=${a.podNamespace}`);
    if (a.podName) cniArgs.push(`K8S_POD_NAME=${a.podName}`);
    cniArgs.push(`K8S_POD_INFRA_CONTAINER_ID=${a.containerId}`);
    if (a.podUid) cniArgs.push(`K8S_POD_UID=${a.podUid}`);
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin',
      CNI_COMMAND: command,
      CNI_CONTAINERID: a.containerId,
      CNI_NETNS: a.netnsPath,
      CNI_IFNAME: a.ifName ?? 'eth0',
      CNI_PATH: this.opts.binDir,
      CNI_ARGS: cniArgs.join(';'),
    };
    const r = await runCommand(path.join(this.opts.binDir, type), [], { env, input: JSON.stringify(conf), timeoutMs: 30_000 });
    const text = r.stdout.trim();
    if (r.code !== 0) {
      let msg = (r.stderr || text).trim();
      let code: number | undefined;
      try {
        const err = JSON.parse(text) as { code?: number; msg?: string; details?: string };
        code = err.code;
        msg = [err.msg, err.details].filter(Boolean).join(': ') || msg;
      } catch {
        /* not JSON */
      }
      throw new CNIError(type, command, msg || `exit ${r.code}`, code);
    }
    if (command !== 'ADD' || !text) return {};
    try {
      return JSON.parse(text) as Record<string, unknown>;
    } catch {
      throw new CNIError(type, command, `unparseable result: ${text.slice(0, 200)}`);
    }
  }
}
