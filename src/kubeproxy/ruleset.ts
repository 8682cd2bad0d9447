// The desired nftables ruleset, as upstream kube-proxy's nftables mode lays it out (pkg/proxy/nftables): fixed
// base chains and verdict maps (service-ips, service-nodeports, no-endpoint-services, no-endpoint-nodeports),
// and per Service port a service chain (masquerade off-cluster sources, `numgen random` over the endpoints) and
// an external chain for NodePorts and external IPs. Without session affinity the pick DNATs at once through an
// anonymous `numgen` map (endpoint address . port), and hairpin traffic (a pod sent to itself) is found in
// postrouting by the `hairpin-endpoints` set of endpoint pairs; with ClientIP affinity, as upstream, one endpoint
// chain per endpoint (hairpin masquerade, affinity update, DNAT) and one dynamic affinity set per endpoint.
// Deviation: upstream keeps an endpoint chain for every endpoint; nft(8) loads every chain of the family before
// each transaction, so 10 chains fewer per Service is what keeps a partial sync at a few ms. Pure: no I/O.
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
  /** Endpoint IPs DNATed straight from a service or external chain (their hairpin pairs, counted by the proxier). */
  hairpin: Set<string>;
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
  /** set name → declaration (inside the braces) */
  sets: Map<string, string>;
}

export const MASQUERADE_MARK = '0x4000';
export const SERVICE_IPS = 'service-ips';
export const SERVICE_NODEPORTS = 'service-nodeports';
export const NO_ENDPOINT_SERVICES = 'no-endpoint-services';
export const NO_ENDPOINT_NODEPORTS = 'no-endpoint-nodeports';
export const MAPS = [SERVICE_IPS, SERVICE_NODEPORTS, NO_ENDPOINT_SERVICES, NO_ENDPOINT_NODEPORTS] as const;
/** `<ip> . <ip>` of every endpoint DNATed without a chain of its own: a packet from it to itself is a hairpin. */
export const HAIRPIN_SET = 'hairpin-endpoints';
const MARK_FOR_MASQUERADE = 'mark-for-masquerade';
const REJECT_CHAIN = 'reject-chain';
const LOOPBACK = '127.0.0.0/8';

export const emptyFragment = (): Fragment => ({ chains: new Map(), sets: new Map(), elements: new Map(), hairpin: new Set() });

/** The hairpin set's element for an endpoint IP. */
export const hairpinElement = (ip: string) => `${ip} . ${ip}`;

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
      {
        name: 'nat-postrouting',
        hook: 'type nat hook postrouting priority 100 ; policy accept ;',
        // only traffic a Service DNATed: a host's own 127.0.0.1 → 127.0.0.1 connection to a loopback endpoint
        // (the single-node API server) is no hairpin and must keep its source address
        rules: [`ct status dnat ip saddr . ip daddr @${HAIRPIN_SET} jump ${MARK_FOR_MASQUERADE}`, 'jump masquerading'],
      },
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
    sets: new Map([[HAIRPIN_SET, 'type ipv4_addr . ipv4_addr ;']]),
  };
}

function addElement(f: Fragment, map: string, key: string, verdict: string): void {
  let m = f.elements.get(map);
  if (!m) f.elements.set(map, (m = new Map()));
  m.set(key, verdict);
}

/**
 * An even random pick over `eps`. With affinity: the endpoints' chains (a client seen within the timeout goes back
 * to its endpoint first); without: DNAT right here, the endpoints' hairpin pairs noted in the fragment.
 */
function dispatch(f: Fragment, key: string, eps: ProxyEndpoint[], sp: ServicePortInfo): string[] {
  const affinity = sp.affinitySeconds;
  if (affinity !== undefined) {
    for (const e of eps) addEndpointChain(f, key, e, sp);
    const rules = eps.map((e) => `ip saddr @${affinitySetName(key, e, affinity)} goto ${endpointChainName(key, e)}`);
    rules.push(`numgen random mod ${eps.length} vmap { ${eps.map((e, i) => `${i} : goto ${endpointChainName(key, e)}`).join(' , ')} }`);
    return rules;
  }
  for (const e of eps) f.hairpin.add(e.ip);
  if (eps.length === 1) return [`meta l4proto ${sp.protocol} dnat to ${eps[0]!.ip}:${eps[0]!.port}`];
  return [`meta l4proto ${sp.protocol} dnat to numgen random mod ${eps.length} map { ${eps.map((e, i) => `${i} : ${e.ip} . ${e.port}`).join(' , ')} }`];
}

/** Rules of one Service port, added to `f`. */
export function renderServicePort(f: Fragment, sp: ServicePortInfo, cfg: RulesetConfig): void {
  const key = servicePortKey(sp);
  const c = categorize(sp, cfg.nodeName);
  const proto = sp.protocol;
  const refused = c.any ? 'drop' : `goto ${REJECT_CHAIN}`;

  const hasExternal = sp.nodePort !== undefined || sp.externalIPs.length > 0;

  const svcChain = serviceChainName(key);
  const clusterIPKey = `${sp.clusterIP} . ${proto} . ${sp.port}`;
  if (c.internal.length > 0) {
    const rules = cfg.clusterCIDR ? [`ip daddr ${sp.clusterIP} ${proto} dport ${sp.port} ip saddr != ${cfg.clusterCIDR} jump ${MARK_FOR_MASQUERADE}`] : [];
    f.chains.set(svcChain, [...rules, ...dispatch(f, key, c.internal, sp)]);
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
    rules = [`jump ${MARK_FOR_MASQUERADE}`, ...dispatch(f, key, c.external, sp)];
  } else {
    // externalTrafficPolicy Local: the source is kept, so only this node's endpoints; traffic from the node itself
    // or from pods is not "external" and may use every endpoint (upstream short-circuits it the same way)
    let everywhere = svcChain;
    if (sp.internalLocal || c.internal.length === 0) {
      everywhere = clusterChainName(key);
      f.chains.set(everywhere, dispatch(f, key, c.cluster, sp));
    }
    rules = [`fib saddr type local jump ${MARK_FOR_MASQUERADE}`, `fib saddr type local goto ${everywhere}`];
    if (cfg.clusterCIDR) rules.push(`ip saddr ${cfg.clusterCIDR} goto ${everywhere}`);
    rules.push(...(c.external.length > 0 ? dispatch(f, key, c.external, sp) : ['drop']));
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
