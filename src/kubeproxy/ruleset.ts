// The desired nftables ruleset, as upstream kube-proxy's nftables mode lays it out (pkg/proxy/nftables): fixed
// base chains and verdict maps (service-ips, service-nodeports, no-endpoint-services, no-endpoint-nodeports),
// and per Service port a service chain (masquerade off-cluster sources, ClientIP affinity, `numgen random`
// over the endpoints), an external chain for NodePorts and external IPs, one endpoint chain per endpoint
// (hairpin masquerade, affinity update, DNAT) and one dynamic affinity set per endpoint. Pure: no I/O.
import { createHash } from 'node:crypto';
import { categorize, servicePortKey, type ProxyEndpoint, type ServicePortInfo } from './service_ports.js';

export interface RulesetConfig {
  /** This node's name (internal/externalTrafficPolicy Local keep its endpoints). */
  nodeName: string;
  /** Pod traffic comes from here; anything else reaching a ClusterIP is masqueraded (upstream's LocalDetector). */
  clusterCIDR?: string;
  /** NodePorts on 127.0.0.1 too (host-local traffic only; needs route_localnet, as upstream's iptables mode). */
  localhostNodePorts: boolean;
}

/** What one Service contributes: regular chains, affinity sets, and map elements. */
export interface Fragment {
  /** chain name → its rules, in order */
  chains: Map<string, string[]>;
  /** dynamic set name → its declaration (inside the braces) */
  sets: Map<string, string>;
  /** map name → element key → verdict */
  elements: Map<string, Map<string, string>>;
}

export interface BaseChain {
  name: string;
  /** `type … hook … priority …` for base chains, undefined for regular ones */
  hook?: string;
  rules: string[];
}

export interface BaseRuleset {
  chains: BaseChain[];
  /** map name → declaration (inside the braces) */
  maps: Map<string, string>;
}

export const MASQUERADE_MARK = '0x4000';
export const SERVICE_IPS = 'service-ips';
export const SERVICE_NODEPORTS = 'service-nodeports';
export const NO_ENDPOINT_SERVICES = 'no-endpoint-services';
export const NO_ENDPOINT_NODEPORTS = 'no-endpoint-nodeports';
export const MAPS = [SERVICE_IPS, SERVICE_NODEPORTS, NO_ENDPOINT_SERVICES, NO_ENDPOINT_NODEPORTS] as const;
const MARK_FOR_MASQUERADE = 'mark-for-masquerade';
const REJECT_CHAIN = 'reject-chain';
const LOOPBACK = '127.0.0.0/8';

export const emptyFragment = (): Fragment => ({ chains: new Map(), sets: new Map(), elements: new Map() });

/** A short stable hash of a name (upstream uses base32 of sha256; the readable name follows it). */
function hashOf(s: string): string {
  return createHash('sha256').update(s).digest('hex').slice(0, 8).toUpperCase();
}

export const serviceChainName = (key: string) => `service-${hashOf(key)}-${key}`;
export const clusterChainName = (key: string) => `cluster-${hashOf(key)}-${key}`;
export const externalChainName = (key: string) => `external-${hashOf(key)}-${key}`;
const endpointId = (key: string, e: ProxyEndpoint) => `${key}__${e.ip}/${e.port}`;
export const endpointChainName = (key: string, e: ProxyEndpoint) => `endpoint-${hashOf(endpointId(key, e))}-${endpointId(key, e)}`;
/** The timeout is part of the hash: a new timeout is a new set (a set's timeout cannot change in place). */
export const affinitySetName = (key: string, e: ProxyEndpoint, timeoutSeconds: number) =>
  `affinity-${hashOf(`${endpointId(key, e)}/${timeoutSeconds}`)}-${endpointId(key, e)}`;

/** The fixed part: base chains hooked into netfilter, the dispatch chains and the verdict maps. */
export function baseRuleset(cfg: RulesetConfig): BaseRuleset {
  const nodePortDaddr = cfg.localhostNodePorts ? 'fib daddr type local' : `fib daddr type local ip daddr != ${LOOPBACK}`;
  const input = ['ct state new jump nodeport-endpoints-check', 'ct state new jump service-endpoints-check'];
  const natOutput = ['jump services'];
  if (cfg.localhostNodePorts) {
    // route_localnet lets 127.0.0.1 be routed; what arrives for it from outside is still a martian
    input.unshift(`iifname != "lo" ip daddr ${LOOPBACK} ip saddr != ${LOOPBACK} ct state new drop`);
    natOutput.unshift(`ip daddr ${LOOPBACK} meta l4proto . th dport vmap @${SERVICE_NODEPORTS}`);
  }
  return {
    chains: [
      { name: 'nat-prerouting', hook: 'type nat hook prerouting priority -100 ; policy accept ;', rules: ['jump services'] },
      { name: 'nat-output', hook: 'type nat hook output priority -100 ; policy accept ;', rules: natOutput },
      { name: 'nat-postrouting', hook: 'type nat hook postrouting priority 100 ; policy accept ;', rules: ['jump masquerading'] },
      // before DNAT (priority -110): what has no endpoint is refused while its daddr is still the Service's
      { name: 'filter-input', hook: 'type filter hook input priority -110 ; policy accept ;', rules: input },
      { name: 'filter-forward', hook: 'type filter hook forward priority -110 ; policy accept ;', rules: ['ct state new jump service-endpoints-check'] },
      { name: 'filter-output', hook: 'type filter hook output priority -110 ; policy accept ;', rules: ['ct state new jump service-endpoints-check'] },
      {
        name: 'services',
        rules: [`ip daddr . meta l4proto . th dport vmap @${SERVICE_IPS}`, `${nodePortDaddr} meta l4proto . th dport vmap @${SERVICE_NODEPORTS}`],
      },
      { name: 'service-endpoints-check', rules: [`ip daddr . meta l4proto . th dport vmap @${NO_ENDPOINT_SERVICES}`] },
      { name: 'nodeport-endpoints-check', rules: [`${nodePortDaddr} meta l4proto . th dport vmap @${NO_ENDPOINT_NODEPORTS}`] },
      { name: MARK_FOR_MASQUERADE, rules: [`meta mark set meta mark or ${MASQUERADE_MARK}`] },
      {
        name: 'masquerading',
        rules: [`meta mark & ${MASQUERADE_MARK} == 0 return`, `meta mark set meta mark xor ${MASQUERADE_MARK}`, 'masquerade fully-random'],
      },
      { name: REJECT_CHAIN, rules: ['reject'] },
    ],
    maps: new Map([
      [SERVICE_IPS, 'type ipv4_addr . inet_proto . inet_service : verdict ;'],
      [SERVICE_NODEPORTS, 'type inet_proto . inet_service : verdict ;'],
      [NO_ENDPOINT_SERVICES, 'type ipv4_addr . inet_proto . inet_service : verdict ;'],
      [NO_ENDPOINT_NODEPORTS, 'type inet_proto . inet_service : verdict ;'],
    ]),
  };
}

function addElement(f: Fragment, map: string, key: string, verdict: string): void {
  let m = f.elements.get(map);
  if (!m) f.elements.set(map, (m = new Map()));
  m.set(key, verdict);
}

/** Affinity first (a client seen within the timeout goes back to its endpoint), then an even random pick. */
function dispatch(key: string, eps: ProxyEndpoint[], affinity: number | undefined): string[] {
  const rules = affinity !== undefined ? eps.map((e) => `ip saddr @${affinitySetName(key, e, affinity)} goto ${endpointChainName(key, e)}`) : [];
  rules.push(`numgen random mod ${eps.length} vmap { ${eps.map((e, i) => `${i} : goto ${endpointChainName(key, e)}`).join(' , ')} }`);
  return rules;
}

/** Rules of one Service port, added to `f`. */
export function renderServicePort(f: Fragment, sp: ServicePortInfo, cfg: RulesetConfig): void {
  const key = servicePortKey(sp);
  const c = categorize(sp, cfg.nodeName);
  const affinity = sp.affinitySeconds;
  const proto = sp.protocol;
  const refused = c.any ? 'drop' : `goto ${REJECT_CHAIN}`;

  const hasExternal = sp.nodePort !== undefined || sp.externalIPs.length > 0;
  const endpoints = new Map<string, ProxyEndpoint>();
  for (const e of [...c.internal, ...(hasExternal ? c.external : [])]) endpoints.set(e.ip, e);
  for (const e of endpoints.values()) addEndpointChain(f, key, e, sp);

  const svcChain = serviceChainName(key);
  const clusterIPKey = `${sp.clusterIP} . ${proto} . ${sp.port}`;
  if (c.internal.length > 0) {
    const rules = cfg.clusterCIDR ? [`ip daddr ${sp.clusterIP} ${proto} dport ${sp.port} ip saddr != ${cfg.clusterCIDR} jump ${MARK_FOR_MASQUERADE}`] : [];
    f.chains.set(svcChain, [...rules, ...dispatch(key, c.internal, affinity)]);
    addElement(f, SERVICE_IPS, clusterIPKey, `goto ${svcChain}`);
  } else {
    addElement(f, NO_ENDPOINT_SERVICES, clusterIPKey, refused);
  }

  if (!hasExternal) return;
  const extKeys = sp.externalIPs.map((ip) => [SERVICE_IPS, NO_ENDPOINT_SERVICES, `${ip} . ${proto} . ${sp.port}`] as const);
  const nodePortKeys = sp.nodePort !== undefined ? [[SERVICE_NODEPORTS, NO_ENDPOINT_NODEPORTS, `${proto} . ${sp.nodePort}`] as const] : [];
  if (!c.any) {
    for (const [, none, k] of [...extKeys, ...nodePortKeys]) addElement(f, none, k, `goto ${REJECT_CHAIN}`);
    return;
  }
  const ext = externalChainName(key);
  let rules: string[];
  if (!sp.externalLocal) {
    rules = [`jump ${MARK_FOR_MASQUERADE}`, ...dispatch(key, c.external, affinity)];
  } else {
    // externalTrafficPolicy Local: the source is kept, so only this node's endpoints; traffic from the node itself
    // or from pods is not "external" and may use every endpoint (upstream short-circuits it the same way)
    let everywhere = svcChain;
    if (sp.internalLocal || c.internal.length === 0) {
      everywhere = clusterChainName(key);
      for (const e of c.cluster) if (!endpoints.has(e.ip)) addEndpointChain(f, key, e, sp);
      f.chains.set(everywhere, dispatch(key, c.cluster, affinity));
    }
    rules = [`fib saddr type local jump ${MARK_FOR_MASQUERADE}`, `fib saddr type local goto ${everywhere}`];
    if (cfg.clusterCIDR) rules.push(`ip saddr ${cfg.clusterCIDR} goto ${everywhere}`);
    rules.push(...(c.external.length > 0 ? dispatch(key, c.external, affinity) : ['drop']));
  }
  f.chains.set(ext, rules);
  for (const [map, , k] of [...extKeys, ...nodePortKeys]) addElement(f, map, k, `goto ${ext}`);
}

function addEndpointChain(f: Fragment, key: string, e: ProxyEndpoint, sp: ServicePortInfo): void {
  const rules = [`ip saddr ${e.ip} jump ${MARK_FOR_MASQUERADE}`];
  if (sp.affinitySeconds !== undefined) {
    const set = affinitySetName(key, e, sp.affinitySeconds);
    f.sets.set(set, `type ipv4_addr ; flags dynamic,timeout ; timeout ${sp.affinitySeconds}s ;`);
    rules.push(`update @${set} { ip saddr }`);
  }
  rules.push(`meta l4proto ${sp.protocol} dnat to ${e.ip}:${e.port}`);
  f.chains.set(endpointChainName(key, e), rules);
}

/** Every port of one Service. */
export function renderService(ports: ServicePortInfo[], cfg: RulesetConfig): Fragment {
  const f = emptyFragment();
  for (const sp of ports) renderServicePort(f, sp, cfg);
  return f;
}
