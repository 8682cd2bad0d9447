// The pod network across nodes, host-gw style (flannel's host-gw backend): for every other Node, a route to its
// spec.podCIDR via its InternalIP, kept as nodes come, change and go. Informer → work queue → reconcile(node);
// this machine's routing table is the state, and only the routes carrying HOST_GW_PROTO are ever touched.
import type { Node } from '../api/core/v1/types.js';
import { Controller } from '../client/controller.js';
import type { Lister } from '../client/listers.js';
import type { KubeClient } from '../client/rest.js';
import type { SharedInformerFactory } from '../client/informer_factory.js';
import { logger, type Logger } from '../log/logger.js';
import { cidrContains, ineligible, IPRouteTable, isOurs, ourRoute, type RouteSnapshot, type RouteTable } from './route_table.js';

export interface HostGatewayOptions {
  client: KubeClient;
  /** This machine's node (no route to its own podCIDR); undefined on a control-plane-only machine. */
  nodeName?: string;
  /** The cluster's pod range: routes of ours inside it that no node wants are removed (after a restart too). */
  clusterCIDR?: string;
  factory?: SharedInformerFactory;
  table?: RouteTable;
  /** How often every node is checked again (a route removed behind our back comes back). Default 30 s. */
  resyncMs?: number;
  log?: Logger;
}

/** The route a node asks for: its podCIDR via its InternalIP. */
export function nodeRoute(node: Node): { dst: string; gateway: string } | undefined {
  const dst = node.spec?.podCIDR ?? node.spec?.podCIDRs?.[0];
  const gateway = node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
  return dst && gateway ? { dst, gateway } : undefined;
}

const SWEEP_KEY = '\u0000sweep';
/** A snapshot serves all reconciles of a burst (a relist of many nodes reads the table once). */
const SNAPSHOT_TTL_MS = 1000;

export class HostGatewayController extends Controller {
  private readonly nodes: Lister<Node>;
  private readonly table: RouteTable;
  /** node name → the route we programmed for it */
  private readonly programmed = new Map<string, { dst: string; gateway: string }>();
  /** node name → why it gets no route (logged once per reason) */
  private readonly skipped = new Map<string, string>();
  private snap?: { at: number; value: Promise<RouteSnapshot> };
  private resync?: NodeJS.Timeout;

  constructor(private readonly o: HostGatewayOptions) {
    super({ name: 'host-gw', client: o.client, factory: o.factory, log: o.log ?? logger('podnetwork', { backend: 'host-gw' }) });
    this.table = o.table ?? new IPRouteTable();
    const informer = this.factory.nodes();
    this.nodes = informer.lister;
    this.watch(informer, this.enqueueAll<Node>());
  }

  override start(): void {
    super.start();
    void this.waitForCacheSync().then(() => this.queue.add(SWEEP_KEY));
    this.resync = setInterval(() => {
      for (const n of this.nodes.list()) this.enqueue(n);
      this.queue.add(SWEEP_KEY);
    }, this.o.resyncMs ?? 30_000);
    this.resync.unref();
  }

  override async stop(): Promise<void> {
    if (this.resync) clearInterval(this.resync);
    await super.stop();
  }

  /** Routes this controller programmed, by node (for logs and tests). */
  routes(): Map<string, { dst: string; gateway: string }> {
    return new Map(this.programmed);
  }

  private snapshot(fresh = false): Promise<RouteSnapshot> {
    const now = Date.now();
    if (fresh || !this.snap || now - this.snap.at > SNAPSHOT_TTL_MS) this.snap = { at: now, value: this.table.snapshot() };
    const value = this.snap.value;
    value.catch(() => (this.snap = undefined));
    return value;
  }

  protected async reconcile(key: string): Promise<void> {
    if (key === SWEEP_KEY) return this.sweep();
    const node = this.nodes.get(key);
    const want = node && key !== this.o.nodeName ? nodeRoute(node) : undefined;
    const have = this.programmed.get(key);
    const s = await this.snapshot();
    if (have && (!want || want.dst !== have.dst || want.gateway !== have.gateway)) {
      if (ourRoute(s, have.dst)) await this.table.remove(have.dst, have.gateway).catch(() => {});
      this.programmed.delete(key);
      this.snap = undefined;
      this.log.info({ node: key, podCIDR: have.dst, via: have.gateway }, 'Removed the route to a node podCIDR');
    }
    if (!want) return;
    const current = ourRoute(s, want.dst);
    if (current?.gateway === want.gateway) {
      this.programmed.set(key, want);
      return;
    }
    const why = ineligible(s, want.dst, want.gateway);
    if (why) {
      if (this.skipped.get(key) !== why) this.log.info({ node: key, podCIDR: want.dst, reason: why }, 'No route to this node podCIDR');
      this.skipped.set(key, why);
      return;
    }
    this.skipped.delete(key);
    await this.table.replace(want.dst, want.gateway);
    this.snap = undefined;
    this.programmed.set(key, want);
    this.log.info({ node: key, podCIDR: want.dst, via: want.gateway }, 'Programmed the route to a node podCIDR');
  }

  /** Our routes inside the cluster CIDR that no node wants (left by a previous run, or a node gone while down). */
  private async sweep(): Promise<void> {
    if (!this.o.clusterCIDR) return;
    const wanted = new Set([...this.programmed.values()].map((r) => `${r.dst} ${r.gateway}`));
    const s = await this.snapshot(true);
    for (const r of s.routes) {
      if (!isOurs(r) || !r.gateway || !cidrContains(this.o.clusterCIDR, r.dst)) continue;
      const dst = r.dst.includes('/') ? r.dst : `${r.dst}/32`;
      if (wanted.has(`${dst} ${r.gateway}`) || wanted.has(`${r.dst} ${r.gateway}`)) continue;
      // a node whose reconcile has not run yet keeps its route: only routes no current node asks for go
      if (this.nodes.list().some((n) => n.metadata.name !== this.o.nodeName && nodeRoute(n)?.gateway === r.gateway && nodeRoute(n)?.dst === dst)) continue;
      await this.table.remove(r.dst, r.gateway).catch(() => {});
      this.snap = undefined;
      this.log.info({ podCIDR: r.dst, via: r.gateway }, 'Removed a stale route to a pod range');
    }
  }
}
