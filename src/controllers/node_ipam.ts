// The node IPAM controller (upstream's range allocator): gives each Node without spec.podCIDR the next
// free subnet of the cluster CIDR (IPv4), written as spec.podCIDR + spec.podCIDRs through a PATCH.
import type { Node } from '../api/core/v1/types.js';
import { Controller } from '../client/controller.js';
import type { SharedInformerFactory } from '../client/informer_factory.js';
import type { Lister } from '../client/listers.js';
import type { KubeClient } from '../client/rest.js';
import { coreV1, type ResourceClient } from '../client/typed.js';
import { ItemExponentialFailureRateLimiter } from '../client/workqueue.js';
import { errMessage, type Logger } from '../log/logger.js';

export interface NodeIpamOptions {
  /** e.g. 10.244.0.0/16 */
  clusterCIDR: string;
  /** Prefix length of each node's subnet, e.g. 24. A cluster CIDR this small or smaller is one subnet. */
  nodeMaskSize: number;
  /** Called when a node cannot get a CIDR (none left) or a patch fails (besides the error log line). */
  onError?: (node: string, err: unknown) => void;
  /** Default: the controller-manager logger with controller=nodeipam. */
  log?: Logger;
}

interface IPv4Net {
  base: number; // network address as an unsigned 32-bit number
  prefix: number;
}

export function parseIPv4CIDR(cidr: string): IPv4Net | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr.trim());
  if (!m) return undefined;
  const o = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (o.some((x) => x > 255) || prefix > 32) return undefined;
  const ip = ((o[0] << 24) | (o[1] << 16) | (o[2] << 8) | o[3]) >>> 0;
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return { base: (ip & mask) >>> 0, prefix };
}

export function formatIPv4CIDR(n: IPv4Net): string {
  const b = n.base;
  return `${b >>> 24}.${(b >>> 16) & 255}.${(b >>> 8) & 255}.${b & 255}/${n.prefix}`;
}

/** Splits a cluster CIDR into node subnets: the i-th subnet, and how many there are. */
export class CIDRSet {
  readonly cluster: IPv4Net;
  readonly subnetPrefix: number;
  readonly size: number;

  constructor(clusterCIDR: string, nodeMaskSize: number) {
    const c = parseIPv4CIDR(clusterCIDR);
    if (!c) throw new Error(`invalid IPv4 cluster CIDR ${JSON.stringify(clusterCIDR)}`);
    if (!Number.isInteger(nodeMaskSize) || nodeMaskSize < 1 || nodeMaskSize > 32) throw new Error(`invalid node mask size ${nodeMaskSize}`);
    this.cluster = c;
    this.subnetPrefix = Math.max(c.prefix, nodeMaskSize);
    this.size = 2 ** (this.subnetPrefix - c.prefix);
  }

  subnet(i: number): string {
    return formatIPv4CIDR({ base: (this.cluster.base + i * 2 ** (32 - this.subnetPrefix)) >>> 0, prefix: this.subnetPrefix });
  }

  /** Index of a CIDR that is exactly one of our subnets; undefined otherwise. */
  indexOf(cidr: string): number | undefined {
    const n = parseIPv4CIDR(cidr);
    if (!n || n.prefix !== this.subnetPrefix) return undefined;
    const off = n.base - this.cluster.base;
    if (off < 0) return undefined;
    const i = off / 2 ** (32 - this.subnetPrefix);
    return Number.isInteger(i) && i < this.size ? i : undefined;
  }

  /** First index not in `used`, or undefined when all are taken. */
  firstFree(used: Set<number>): number | undefined {
    for (let i = 0; i < this.size; i++) if (!used.has(i)) return i;
    return undefined;
  }
}

export class NodeIpamController extends Controller {
  private readonly nodes: Lister<Node>;
  private readonly nodeClient: ResourceClient<Node>;
  private cidrs: CIDRSet;
  /** Assigned by us but not yet seen back through the informer. */
  private pending = new Map<string, number>();

  constructor(
    client: KubeClient,
    private readonly opts: NodeIpamOptions = { clusterCIDR: '10.244.0.0/16', nodeMaskSize: 24 },
    shared: { factory?: SharedInformerFactory } = {},
  ) {
    super({ name: 'nodeipam', client, factory: shared.factory, log: opts.log, rateLimiter: new ItemExponentialFailureRateLimiter(200, 30_000) });
    this.cidrs = new CIDRSet(opts.clusterCIDR, opts.nodeMaskSize);
    this.nodeClient = coreV1(client).nodes();
    const informer = this.factory.nodes();
    this.nodes = informer.lister;
    const enqueue = (n: Node) => {
      if (!n.spec?.podCIDR) this.enqueue(n);
      else this.pending.delete(n.metadata.name!);
    };
    // Allocation starts once the cache has synced (every existing node's CIDR is known): the base's start().
    this.watch(informer, {
      onAdd: enqueue,
      onUpdate: (_o, n) => enqueue(n),
      onDelete: (n) => this.pending.delete(n.metadata.name!),
    });
  }

  private used(): Set<number> {
    const used = new Set<number>(this.pending.values());
    for (const n of this.nodes.list()) {
      for (const c of [n.spec?.podCIDR, ...(n.spec?.podCIDRs ?? [])]) {
        const i = c ? this.cidrs.indexOf(c) : undefined;
        if (i !== undefined) used.add(i);
      }
    }
    return used;
  }

  protected async reconcile(name: string): Promise<{ requeueAfterMs: number } | void> {
    const node = this.nodes.get(name);
    if (!node || node.spec?.podCIDR || node.metadata.deletionTimestamp) return;
    if (this.pending.has(name)) return;
    const i = this.cidrs.firstFree(this.used());
    if (i === undefined) {
      const err = new Error(`failed to allocate cidr from cluster cidr ${this.opts.clusterCIDR}: no CIDRs left`);
      this.log.error({ node: name, err: err.message }, 'Failed to allocate node PodCIDR');
      this.opts.onError?.(name, err);
      return { requeueAfterMs: 30_000 };
    }
    const cidr = this.cidrs.subnet(i);
    this.pending.set(name, i);
    try {
      await this.nodeClient.patch(name, { metadata: { uid: node.metadata.uid }, spec: { podCIDR: cidr, podCIDRs: [cidr] } }, 'strategic');
    } catch (e) {
      this.pending.delete(name);
      if ((e as { code?: number }).code === 404) return;
      this.log.error({ node: name, podCIDR: cidr, err: errMessage(e) }, 'Failed to update node PodCIDR');
      this.opts.onError?.(name, e);
      throw e;
    }
    this.log.info({ node: name, podCIDRs: [cidr], action: 'assignPodCIDR' }, 'Set node PodCIDR');
  }
}
