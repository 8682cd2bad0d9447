// Stale conntrack entries of UDP and SCTP Services (upstream's pkg/proxy/conntrack CleanStaleEntries): which
// entries a sync's changes leave pointing at a gone endpoint or at a cached "no endpoints", and their removal
// with Debian's `conntrack` (conntrack-tools), run after the nft transaction that changed the rules is committed.
import { spawn } from 'node:child_process';
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
  const seen = new Set<string>();
  return out.filter((f) => {
    const k = f.join(' ');
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
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
        this.missing = true;
        this.log.warn({ err: r.stderr }, 'conntrack not found: stale UDP/SCTP flows to gone endpoints are not cleared (install conntrack-tools)');
        return deleted;
      }
      const m = /(\d+) flow entries have been deleted/.exec(r.stderr);
      if (r.code === 0 || r.stderr.includes(NOTHING_DELETED)) deleted += m ? Number(m[1]) : 0;
      else this.log.warn({ filter: f.join(' '), err: r.stderr.trim().split('\n')[0] }, 'Clearing stale conntrack entries failed');
    }
    return deleted;
  }

  private run(args: string[]): Promise<{ code: number; stderr: string }> {
    return new Promise((resolve) => {
      const child = spawn(this.bin, args, { stdio: ['ignore', 'ignore', 'pipe'] });
      const err: Buffer[] = [];
      child.stderr.on('data', (d: Buffer) => err.push(d));
      child.on('error', (e: NodeJS.ErrnoException) => resolve({ code: e.code === 'ENOENT' ? 127 : 1, stderr: e.message }));
      child.on('close', (code) => resolve({ code: code ?? 1, stderr: Buffer.concat(err).toString() }));
    });
  }
}
