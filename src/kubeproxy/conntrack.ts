// Stale conntrack entries of UDP and SCTP Services (upstream's pkg/proxy/conntrack CleanStaleEntries): which
// entries a sync's changes leave pointing at a gone endpoint or at a cached "no endpoints", and their removal
// with Debian's `conntrack` (conntrack-tools), run after the nft transaction that changed the rules is committed.
import { runTool, type ToolResult } from './exec.js';
import type { Logger } from '../log/logger.js';
import { servicePortKey, type ServicePortInfo } from './service_ports.js';

/** conntrack's message when a delete matched nothing: exit 1, yet nothing is wrong (upstream's NoConnectionToDelete). */
const NOTHING_DELETED = '0 flow entries have been deleted';

/** Connectionless protocols keep a flow alive as long as datagrams keep coming (upstream's IsClearConntrackNeeded). */
const needsCleanup = (sp: ServicePortInfo) => sp.protocol === 'udp' || sp.protocol === 'sctp';

/** The ClusterIP and external IPs a Service port answers on. */
const serviceIPs = (sp: ServicePortInfo) => [sp.clusterIP, ...sp.externalIPs];

const servingCount = (eps: ServicePortInfo['endpoints']) => eps.filter((e) => e.ready).length;

/**
 * The `conntrack -D` filters for one Service's change from `prev` (its ports as last committed) to `next`:
 * - an endpoint that was serving and is gone (or no longer serving): flows DNATed to it through this port
 *   (ClusterIP, external IPs, NodePort);
 * - a port that went from no ready endpoint to some: flows to it cached while it rejected (or had no rules);
 * - a port that is gone (Service deleted, port removed, ClusterIP changed): flows to its address.
 * Every filter names protocol, destination port and a Service address or endpoint: nothing broader.
 */
export function staleConntrackFilters(prev: ServicePortInfo[], next: ServicePortInfo[]): string[][] {
  const out: string[][] = [];
  const nextByKey = new Map(next.map((sp) => [servicePortKey(sp), sp]));
  for (const old of prev.filter(needsCleanup)) {
    const cur = nextByKey.get(servicePortKey(old));
    const p = old.protocol;
    if (!cur || cur.clusterIP !== old.clusterIP || cur.port !== old.port) {
      for (const ip of serviceIPs(old)) out.push(['-p', p, '--orig-dst', ip, '--orig-port-dst', String(old.port)]);
      if (old.nodePort && old.nodePort !== cur?.nodePort) out.push(['-p', p, '--orig-port-dst', String(old.nodePort)]);
    }
    for (const ep of old.endpoints) {
      if (!ep.serving) continue; // nothing was sent to it, nothing to forget
      const still = cur?.endpoints.some((e) => e.ip === ep.ip && e.port === ep.port && e.serving);
      if (still) continue;
      for (const ip of serviceIPs(old)) out.push(['-p', p, '--orig-dst', ip, '--orig-port-dst', String(old.port), '--dst-nat', ep.ip]);
      if (old.nodePort) out.push(['-p', p, '--orig-port-dst', String(old.nodePort), '--dst-nat', ep.ip]);
    }
  }
  const prevByKey = new Map(prev.map((sp) => [servicePortKey(sp), sp]));
  for (const cur of next.filter(needsCleanup)) {
    const old = prevByKey.get(servicePortKey(cur));
    if (servingCount(cur.endpoints) === 0 || (old && servingCount(old.endpoints) > 0)) continue;
    for (const ip of serviceIPs(cur)) out.push(['-p', cur.protocol, '--orig-dst', ip, '--orig-port-dst', String(cur.port)]);
    if (cur.nodePort) out.push(['-p', cur.protocol, '--orig-port-dst', String(cur.nodePort)]);
  }
  return dedupe(out);
}

function dedupe(out: string[][]): string[][] {
  const seen = new Set<string>();
  return out.filter((f) => {
    const k = f.join(' ');
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export interface ConntrackEntry {
  proto: string;
  origDst: string;
  origDport: number;
  replySrc: string;
}

/** `conntrack -L` lines → their original destination and reply source (the endpoint, when DNATed). */
export function parseEntries(listing: string): ConntrackEntry[] {
  const out: ConntrackEntry[] = [];
  for (const line of listing.split('\n')) {
    const proto = /^(\w+)\s/.exec(line)?.[1];
    const dst = [...line.matchAll(/ dst=(\S+)/g)].map((m) => m[1]!);
    const src = [...line.matchAll(/ src=(\S+)/g)].map((m) => m[1]!);
    const dport = / dport=(\d+)/.exec(line)?.[1];
    if (!proto || dst.length < 2 || src.length < 2 || !dport) continue;
    out.push({ proto, origDst: dst[0]!, origDport: Number(dport), replySrc: src[1]! });
  }
  return out;
}

/**
 * The first sync of a (re)started proxy has nothing to compare with: like upstream's reconciling CleanStaleEntries,
 * every existing UDP/SCTP flow to a Service port that has serving endpoints and is DNATed elsewhere (or, for its
 * ClusterIP and external IPs, not DNATed at all) is stale; flows to serving endpoints are kept.
 */
export function reconcileFilters(entries: ConntrackEntry[], ports: ServicePortInfo[]): string[][] {
  const frontends = new Map<string, Set<string>>();
  const nodePorts = new Map<string, Set<string>>();
  for (const sp of ports.filter(needsCleanup)) {
    const serving = new Set(sp.endpoints.filter((e) => e.serving).map((e) => e.ip));
    if (serving.size === 0) continue;
    for (const ip of serviceIPs(sp)) frontends.set(`${sp.protocol} ${ip} ${sp.port}`, serving);
    if (sp.nodePort) nodePorts.set(`${sp.protocol} ${sp.nodePort}`, serving);
  }
  const out: string[][] = [];
  for (const e of entries) {
    const p = String(e.origDport);
    const fe = frontends.get(`${e.proto} ${e.origDst} ${p}`);
    if (fe && !fe.has(e.replySrc)) out.push(['-p', e.proto, '--orig-dst', e.origDst, '--orig-port-dst', p, '--reply-src', e.replySrc]);
    // a NodePort's port alone is not ours (the node may send to that port elsewhere): only flows the proxy DNATed
    const np = nodePorts.get(`${e.proto} ${p}`);
    if (np && !fe && e.replySrc !== e.origDst && !np.has(e.replySrc)) out.push(['-p', e.proto, '--orig-port-dst', p, '--reply-src', e.replySrc]);
  }
  return dedupe(out);
}

export class Conntrack {
  private missing = false;

  constructor(
    private readonly log: Logger,
    private readonly bin = 'conntrack',
  ) {}

  /** Runs each delete (a sync's batch), logging failures; never throws. Without the tool: logs once, does nothing. */
  async deleteAll(filters: string[][]): Promise<number> {
    let deleted = 0;
    for (const f of filters) {
      if (this.missing) return deleted;
      const r = await this.run(['-D', ...f]);
      if (r.code === 127) {
        this.notFound(r.stderr);
        return deleted;
      }
      const m = /(\d+) flow entries have been deleted/.exec(r.stderr);
      if (r.code === 0 || r.stderr.includes(NOTHING_DELETED)) deleted += m ? Number(m[1]) : 0;
      else this.log.warn({ filter: f.join(' '), err: r.stderr.trim().split('\n')[0] }, 'Clearing stale conntrack entries failed');
    }
    return deleted;
  }

  /** The table's entries of UDP and SCTP (empty when the tool is missing or fails: logged). */
  async list(): Promise<ConntrackEntry[]> {
    const out: ConntrackEntry[] = [];
    for (const proto of ['udp', 'sctp']) {
      if (this.missing) return out;
      const r = await this.run(['-L', '-p', proto], true);
      if (r.code === 127) {
        this.notFound(r.stderr);
        return out;
      }
      if (r.code !== 0) this.log.warn({ proto, err: r.stderr.trim().split('\n')[0] }, 'Listing conntrack entries failed');
      else out.push(...parseEntries(r.stdout));
    }
    return out;
  }

  private notFound(err: string): void {
    this.missing = true;
    this.log.warn({ err }, 'conntrack not found: stale UDP/SCTP flows to gone endpoints are not cleared (install conntrack-tools)');
  }

  private run(args: string[], stdout = false): Promise<ToolResult> {
    return runTool(this.bin, args, { stdout });
  }
}
