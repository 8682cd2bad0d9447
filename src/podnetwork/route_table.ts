// The machine's IPv4 main routing table as the host-gw backend sees it: a snapshot (`ip -j route`, `ip -j addr`),
// whether a node's route may be programmed (gateway directly reachable, destination not held by another route),
// and replacing/deleting the routes it owns, which carry their own protocol number (so a restart finds them).
import { execFile } from 'node:child_process';

/** rtnetlink protocol of the routes k8ts' host-gw programs (`ip route show proto 107`). */
export const HOST_GW_PROTO = 107;

export interface Route {
  dst: string;
  gateway?: string;
  dev?: string;
  protocol?: string;
  scope?: string;
}

export interface RouteSnapshot {
  routes: Route[];
  /** This machine's own IPv4 addresses. */
  localAddresses: Set<string>;
}

/** What the controller needs of a routing table (tests give it an in-memory one). */
export interface RouteTable {
  snapshot(): Promise<RouteSnapshot>;
  replace(dst: string, gateway: string): Promise<void>;
  remove(dst: string, gateway: string): Promise<void>;
}

export function ipv4ToInt(ip: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0;
}

export function parseCIDR(cidr: string): { base: number; prefix: number } | undefined {
  const [ip, len] = cidr.split('/');
  const base = ipv4ToInt(ip ?? '');
  const prefix = len === undefined ? 32 : Number(len);
  if (base === undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > 32) return undefined;
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return { base: (base & mask) >>> 0, prefix };
}

/** Whether `inner` (an address or CIDR) lies inside `outer`. */
export function cidrContains(outer: string, inner: string): boolean {
  const o = parseCIDR(outer);
  const i = parseCIDR(inner);
  if (!o || !i || i.prefix < o.prefix) return false;
  const mask = o.prefix === 0 ? 0 : (0xffffffff << (32 - o.prefix)) >>> 0;
  return (i.base & mask) >>> 0 === o.base;
}

/** The canonical form `ip` prints (a /32 is printed bare). */
function sameDst(a: string, b: string): boolean {
  const x = parseCIDR(a);
  const y = parseCIDR(b);
  return !!x && !!y && x.base === y.base && x.prefix === y.prefix;
}

export function isOurs(r: Route): boolean {
  return r.protocol === String(HOST_GW_PROTO);
}

/**
 * Why a route to `dst` via `gateway` cannot be programmed here, or undefined when it can: host-gw needs the
 * gateway on a directly connected network (flannel's host-gw: nodes share an L2 segment), not one of our own
 * addresses, and `dst` not taken by a route someone else made (a local pod bridge, another cluster's route).
 */
export function ineligible(s: RouteSnapshot, dst: string, gateway: string): string | undefined {
  if (ipv4ToInt(gateway) === undefined) return `InternalIP ${gateway} is not IPv4`;
  if (gateway.startsWith('127.') || s.localAddresses.has(gateway)) return `InternalIP ${gateway} is this machine`;
  const connected = s.routes.some((r) => r.dst !== 'default' && !r.gateway && r.scope === 'link' && cidrContains(r.dst, gateway));
  if (!connected) return `InternalIP ${gateway} is not on a directly connected network`;
  const taken = s.routes.find((r) => r.dst !== 'default' && sameDst(r.dst, dst) && !isOurs(r));
  if (taken) return `${dst} is already routed${taken.dev ? ` on ${taken.dev}` : ''}${taken.gateway ? ` via ${taken.gateway}` : ''}`;
  return undefined;
}

/** Our route for `dst` in the snapshot, if any. */
export function ourRoute(s: RouteSnapshot, dst: string): Route | undefined {
  return s.routes.find((r) => isOurs(r) && sameDst(r.dst, dst));
}

function ip(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('ip', args, { timeout: 30_000, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`ip ${args.join(' ')}: ${String(stderr).trim() || err.message}`));
      else resolve(String(stdout));
    });
  });
}

/** The main table of this process's network namespace, through iproute2. */
export class IPRouteTable implements RouteTable {
  async snapshot(): Promise<RouteSnapshot> {
    const [routes, addrs] = await Promise.all([ip(['-j', '-4', 'route', 'show', 'table', 'main']), ip(['-j', '-4', 'addr', 'show'])]);
    const localAddresses = new Set<string>();
    for (const link of JSON.parse(addrs || '[]') as { addr_info?: { local?: string }[] }[]) {
      for (const a of link.addr_info ?? []) if (a.local) localAddresses.add(a.local);
    }
    return { routes: JSON.parse(routes || '[]') as Route[], localAddresses };
  }

  async replace(dst: string, gateway: string): Promise<void> {
    await ip(['route', 'replace', dst, 'via', gateway, 'proto', String(HOST_GW_PROTO)]);
  }

  async remove(dst: string, gateway: string): Promise<void> {
    await ip(['route', 'del', dst, 'via', gateway, 'proto', String(HOST_GW_PROTO)]);
  }
}
