// The proxier (upstream's nftables Proxier + its change trackers + BoundedFrequencyRunner): informers on Services,
// EndpointSlices and this Node mark Services dirty; one sync at a time renders the dirty Services' fragments and
// applies only their difference to the kernel (a partial sync), while the first sync, a config change (the
// node's podCIDR), a failed transaction, a missing table and the periodic full resync rewrite the whole table.
// After each committed transaction, conntrack entries the change left stale (UDP/SCTP) are cleared.
import type { Node } from '../api/core/v1/types.js';
import type { Service } from '../api/core/v1/service_types.js';
import { LABEL_SERVICE_NAME, type EndpointSlice } from '../api/discovery/v1/types.js';
import { SharedInformerFactory } from '../client/informer_factory.js';
import { objectKey } from '../client/indexer.js';
import type { KubeClient } from '../client/rest.js';
import { Resources } from '../client/typed.js';
import type { Logger } from '../log/logger.js';
import { Conntrack, reconcileFilters, staleConntrackFilters } from './conntrack.js';
import { Nft } from './nft.js';
import { baseRuleset, emptyFragment, renderService, type Fragment, type RulesetConfig } from './ruleset.js';
import { servicePorts, type ServicePortInfo } from './service_ports.js';
import { fullTransaction, hairpinRefs, hairpinTransaction, partialTransaction } from './transaction.js';

/** Services carrying this label belong to another proxy (upstream's service.kubernetes.io/service-proxy-name). */
const SERVICE_PROXY_NAME = 'service.kubernetes.io/service-proxy-name';

export interface ProxierOptions {
  client: KubeClient;
  nodeName: string;
  table: string;
  /** Pod range; without it the node's spec.podCIDR is used (upstream's --detect-local-mode=NodeCIDR). */
  clusterCIDR?: string;
  localhostNodePorts?: boolean;
  /** Every so often the whole table is rewritten, whatever changed (default 1 h, as upstream's nftables mode). */
  fullSyncPeriodMs?: number;
  /** How often the table's presence is checked (default 30 s: upstream's --sync-period). */
  syncPeriodMs?: number;
  log: Logger;
  nft?: Nft;
  conntrack?: Conntrack;
}

export interface SyncStats {
  full: boolean;
  services: number;
  durationMs: number;
  /** Of which the `nft -f` transaction (process, parse, kernel commit). */
  nftMs: number;
  /** Stale conntrack entries cleared after the transaction. */
  conntrackDeleted: number;
}

export class Proxier {
  private readonly nft: Nft;
  private readonly factory: SharedInformerFactory;
  private readonly services = new Map<string, Service>();
  /** service key → slice key → slice */
  private readonly slices = new Map<string, Map<string, EndpointSlice>>();
  private readonly applied = new Map<string, Fragment>();
  /** service key → its ports as last committed: what conntrack cleanup compares the next sync against. */
  private readonly appliedPorts = new Map<string, ServicePortInfo[]>();
  private readonly conntrack: Conntrack;
  /** Whether a sync has committed since start: until then stale flows are found by listing the table. */
  private conntrackReconciled = false;
  /** Endpoint IP → applied fragments DNATing it without a chain (the hairpin set holds the IPs counted > 0). */
  private hairpin = new Map<string, number>();
  private readonly dirty = new Set<string>();
  private needFull = true;
  private syncing = false;
  private scheduled = false;
  private stopped = false;
  private synced = false;
  private timers: NodeJS.Timeout[] = [];
  private retryTimer?: NodeJS.Timeout;
  private failures = 0;
  private config: RulesetConfig;
  /** When the oldest change not yet in the kernel arrived (healthz), and when a sync last succeeded. */
  private pendingSince?: number;
  lastSyncAt?: number;
  /** Observers of each completed sync (benchmarks, tests). */
  onSync?: (s: SyncStats) => void;

  constructor(private readonly o: ProxierOptions) {
    this.nft = o.nft ?? new Nft();
    this.conntrack = o.conntrack ?? new Conntrack(o.log);
    this.factory = new SharedInformerFactory(o.client);
    this.config = this.configFor(undefined);
  }

  get table(): string {
    return this.o.table;
  }

  private configFor(node: Node | undefined): RulesetConfig {
    return { nodeName: this.o.nodeName, clusterCIDR: this.o.clusterCIDR ?? node?.spec?.podCIDR, localhostNodePorts: this.o.localhostNodePorts ?? false };
  }

  async start(): Promise<void> {
    const svcs = this.factory.informerFor<Service>(Resources.services);
    const slices = this.factory.informerFor<EndpointSlice>(Resources.endpointSlices);
    const nodes = this.factory.nodes({ fieldSelector: `metadata.name=${this.o.nodeName}` });
    svcs.addEventHandler({
      onAdd: (s) => this.serviceChanged(s),
      onUpdate: (_o, s) => this.serviceChanged(s),
      onDelete: (s) => this.serviceDeleted(s),
    });
    slices.addEventHandler({
      onAdd: (s) => this.sliceChanged(undefined, s),
      onUpdate: (o, s) => this.sliceChanged(o, s),
      onDelete: (s) => this.sliceDeleted(s),
    });
    nodes.addEventHandler({ onAdd: (n) => this.nodeChanged(n), onUpdate: (_o, n) => this.nodeChanged(n), onDelete: () => this.nodeChanged(undefined) });
    this.factory.start();
    await Promise.all([svcs.waitForSync(), slices.waitForSync()]);
    // handlers drain on setImmediate: let the first lists reach them before the first (full) sync
    await new Promise((r) => setImmediate(r));
    this.synced = true;
    this.pendingSince ??= Date.now();
    this.schedule();
    const full = setInterval(() => this.requestFullSync(), this.o.fullSyncPeriodMs ?? 3600_000);
    const check = setInterval(() => void this.checkTable(), this.o.syncPeriodMs ?? 30_000);
    full.unref();
    check.unref();
    this.timers.push(full, check);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    await this.factory.shutdown();
  }

  /** Rewrite the whole table on the next sync. */
  requestFullSync(): void {
    this.needFull = true;
    this.markPending();
    this.schedule();
  }

  /** Whether the kernel reflects every change seen more than `staleMs` ago (upstream's healthz rule). */
  healthy(staleMs: number, now = Date.now()): boolean {
    return this.pendingSince === undefined || now - this.pendingSince < staleMs;
  }

  private async checkTable(): Promise<void> {
    if (this.needFull || this.stopped) return;
    try {
      if (!(await this.nft.tableExists(this.o.table))) {
        this.o.log.warn({ table: this.o.table }, 'The proxy table is gone; rewriting it');
        this.requestFullSync();
      }
    } catch (e) {
      this.o.log.warn({ err: (e as Error).message }, 'Checking the proxy table failed');
    }
  }

  private markPending(): void {
    this.pendingSince ??= Date.now();
  }

  private markDirty(key: string): void {
    this.dirty.add(key);
    this.markPending();
    this.schedule();
  }

  private serviceChanged(s: Service): void {
    const key = objectKey(s);
    if (s.metadata.labels?.[SERVICE_PROXY_NAME]) this.services.delete(key);
    else this.services.set(key, s);
    this.markDirty(key);
  }

  private serviceDeleted(s: Service): void {
    const key = objectKey(s);
    this.services.delete(key);
    this.markDirty(key);
  }

  private static owner(s: EndpointSlice): string | undefined {
    const name = s.metadata.labels?.[LABEL_SERVICE_NAME];
    return name ? `${s.metadata.namespace}/${name}` : undefined;
  }

  private sliceChanged(old: EndpointSlice | undefined, s: EndpointSlice): void {
    if (old) {
      const prevOwner = Proxier.owner(old);
      if (prevOwner && prevOwner !== Proxier.owner(s)) this.sliceDeleted(old);
    }
    const owner = Proxier.owner(s);
    if (!owner) return;
    let m = this.slices.get(owner);
    if (!m) this.slices.set(owner, (m = new Map()));
    m.set(objectKey(s), s);
    this.markDirty(owner);
  }

  private sliceDeleted(s: EndpointSlice): void {
    const owner = Proxier.owner(s);
    if (!owner) return;
    const m = this.slices.get(owner);
    m?.delete(objectKey(s));
    if (m?.size === 0) this.slices.delete(owner);
    this.markDirty(owner);
  }

  private nodeChanged(n: Node | undefined): void {
    const next = this.configFor(n);
    if (next.clusterCIDR !== this.config.clusterCIDR) {
      this.config = next;
      this.requestFullSync();
    }
  }

  private ports(key: string): ServicePortInfo[] {
    const svc = this.services.get(key);
    return svc ? servicePorts(svc, [...(this.slices.get(key)?.values() ?? [])]) : [];
  }

  private async reconcileConntrack(ports: ServicePortInfo[]): Promise<string[][]> {
    if (!ports.some((p) => p.protocol === 'udp' || p.protocol === 'sctp')) return [];
    return reconcileFilters(await this.conntrack.list(), ports);
  }

  private schedule(): void {
    if (!this.synced || this.scheduled || this.stopped || this.retryTimer) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.sync();
    });
  }

  private async sync(): Promise<void> {
    if (this.syncing || this.stopped) return;
    if (!this.needFull && this.dirty.size === 0) return;
    this.syncing = true;
    const started = Date.now();
    const full = this.needFull;
    const keys = full ? [...new Set([...this.services.keys(), ...this.applied.keys()])] : [...this.dirty];
    this.needFull = false;
    this.dirty.clear();
    this.pendingSince = undefined;
    const next = new Map<string, Fragment>();
    const nextPorts = new Map<string, ServicePortInfo[]>();
    try {
      for (const k of keys) {
        const ports = this.ports(k);
        nextPorts.set(k, ports);
        next.set(k, this.services.has(k) ? renderService(ports, this.config) : emptyFragment());
      }
      let script: string;
      let refs: Map<string, number>;
      if (full) {
        const existing = await this.nft.objects(this.o.table);
        script = fullTransaction(this.o.table, baseRuleset(this.config), next.values(), existing);
        refs = hairpinRefs(next.values());
      } else {
        script = keys.map((k) => partialTransaction(this.o.table, this.applied.get(k) ?? emptyFragment(), next.get(k)!)).join('');
        refs = new Map(this.hairpin);
        const changes = keys.map((k): [Fragment, Fragment] => [this.applied.get(k) ?? emptyFragment(), next.get(k)!]);
        script += hairpinTransaction(this.o.table, refs, changes);
      }
      const nftStart = performance.now();
      await this.nft.apply(script);
      const nftMs = Math.round((performance.now() - nftStart) * 10) / 10;
      if (full) this.applied.clear();
      this.hairpin = refs;
      for (const [k, f] of next) {
        if (f.chains.size === 0 && f.elements.size === 0 && f.hairpin.size === 0) this.applied.delete(k);
        else this.applied.set(k, f);
      }
      // the kernel now sends new flows by the new rules: forget the old flows they would not take (upstream
      // CleanStaleEntries, after the rules are in); a failure here is logged, never fails the sync
      // (a restarted proxy has no previous state: it reconciles the listed flows with the endpoints instead)
      const filters = this.conntrackReconciled
        ? keys.flatMap((k) => staleConntrackFilters(this.appliedPorts.get(k) ?? [], nextPorts.get(k)!))
        : await this.reconcileConntrack([...nextPorts.values()].flat());
      this.conntrackReconciled = true;
      for (const [k, ports] of nextPorts) {
        if (ports.length === 0) this.appliedPorts.delete(k);
        else this.appliedPorts.set(k, ports);
      }
      const conntrackDeleted = filters.length > 0 ? await this.conntrack.deleteAll(filters) : 0;
      this.failures = 0;
      this.lastSyncAt = Date.now();
      const stats = { full, services: keys.length, durationMs: Date.now() - started, nftMs, conntrackDeleted };
      if (full) this.o.log.info({ table: this.o.table, ...stats }, 'Synced the proxy rules');
      else if (this.o.log.isLevelEnabled('debug')) this.o.log.debug({ table: this.o.table, ...stats }, 'Synced the proxy rules');
      this.onSync?.(stats);
    } catch (e) {
      // the kernel may hold anything now: the next attempt rewrites the whole table, after a back-off
      this.failures++;
      this.needFull = true;
      this.markPending();
      const delay = Math.min(30_000, 250 * 2 ** Math.min(this.failures - 1, 7));
      this.o.log.error({ table: this.o.table, err: (e as Error).message, retryMs: delay }, 'Syncing the proxy rules failed');
      this.retryTimer = setTimeout(() => {
        this.retryTimer = undefined;
        this.schedule();
      }, delay);
      this.retryTimer.unref();
    } finally {
      this.syncing = false;
    }
    if (this.needFull || this.dirty.size > 0) this.schedule();
  }
}
