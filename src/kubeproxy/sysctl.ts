// Kernel settings the proxy relies on: br_netfilter's bridge-nf-call-iptables (a reply bridged between two pods
// of one node must pass netfilter for conntrack to undo the DNAT), IP forwarding, and route_localnet when
// NodePorts answer on 127.0.0.1 (as upstream's iptables mode sets it).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import type { Logger } from '../log/logger.js';

const BRIDGE_NF = '/proc/sys/net/bridge/bridge-nf-call-iptables';
const IP_FORWARD = '/proc/sys/net/ipv4/ip_forward';
const ROUTE_LOCALNET = '/proc/sys/net/ipv4/conf/all/route_localnet';

function ensureOne(path: string, log: Logger): boolean {
  try {
    if (readFileSync(path, 'utf8').trim() === '1') return true;
    writeFileSync(path, '1');
    log.info({ sysctl: path.slice('/proc/sys/'.length).replaceAll('/', '.') }, 'Set sysctl to 1');
    return true;
  } catch (e) {
    log.warn({ sysctl: path, err: (e as Error).message }, 'Could not set sysctl');
    return false;
  }
}

export function ensureProxySysctls(o: { localhostNodePorts: boolean; log: Logger }): void {
  if (!existsSync(BRIDGE_NF)) spawnSync('modprobe', ['br_netfilter'], { stdio: 'ignore' });
  if (existsSync(BRIDGE_NF)) ensureOne(BRIDGE_NF, o.log);
  else o.log.warn({}, 'br_netfilter is not available: Service traffic between pods on one bridge will not be un-NATed');
  ensureOne(IP_FORWARD, o.log);
  if (o.localhostNodePorts) ensureOne(ROUTE_LOCALNET, o.log);
}
