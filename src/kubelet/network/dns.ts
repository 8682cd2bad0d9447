// A pod's DNS settings (upstream pkg/kubelet/network/dns): the resolv.conf its containers get, from its
// dnsPolicy (ClusterFirst → the cluster DNS and the cluster search path; Default → the host's resolv.conf;
// None → only spec.dnsConfig; ClusterFirstWithHostNet; a hostNetwork pod with ClusterFirst falls back to
// Default), with spec.dnsConfig merged in and the result trimmed to the resolver's limits.
import { readFileSync } from 'node:fs';
import type { Pod } from '../../api/core/v1/types.js';
import type { DNSConfig } from '../../runtime/types.js';

/** Upstream's limits: glibc reads 3 nameservers; 32 search domains of at most 2048 characters in all. */
export const MAX_DNS_NAMESERVERS = 3;
export const MAX_DNS_SEARCH_PATHS = 32;
export const MAX_DNS_SEARCH_LIST_CHARS = 2048;
const DEFAULT_DNS_OPTIONS = ['ndots:5'];

export interface DNSConfigurerOptions {
  /** The kubelet's --cluster-dns (empty: no cluster DNS, ClusterFirst falls back to Default as upstream). */
  clusterDNS: string[];
  /** --cluster-domain (default cluster.local). */
  clusterDomain: string;
  /** --resolv-conf: the host resolver config pods with dnsPolicy Default start from ('' = none). */
  resolvConf: string;
}

/** nameserver/search/domain/options lines of a resolv.conf (the last search or domain line wins, as the resolver reads it). */
export function parseResolvConf(text: string): Required<DNSConfig> {
  const out: Required<DNSConfig> = { servers: [], searches: [], options: [] };
  for (const raw of text.split('\n')) {
    const line = raw.replace(/[#;].*$/, '').trim();
    if (!line) continue;
    const [key, ...fields] = line.split(/\s+/);
    if (key === 'nameserver' && fields[0]) out.servers.push(fields[0]);
    else if (key === 'search') out.searches = fields.filter((f) => f !== '.');
    else if (key === 'domain' && fields[0]) out.searches = [fields[0]];
    else if (key === 'options') out.options.push(...fields);
  }
  return out;
}

const unique = (xs: string[]) => [...new Set(xs)];

/** Options by name, later ones replacing earlier ones of the same name (upstream mergeDNSOptions). */
function mergeOptions(base: string[], extra: string[]): string[] {
  const byName = new Map<string, string>();
  for (const o of [...base, ...extra]) byName.set(o.split(':')[0]!, o);
  return [...byName.values()];
}

/** Keep what the resolver reads: 3 nameservers, 32 search domains within 2048 characters. */
function fitLimits(c: Required<DNSConfig>): Required<DNSConfig> {
  const servers = c.servers.slice(0, MAX_DNS_NAMESERVERS);
  const searches: string[] = [];
  let chars = 0;
  for (const s of c.searches) {
    if (searches.length === MAX_DNS_SEARCH_PATHS || chars + s.length + (searches.length ? 1 : 0) > MAX_DNS_SEARCH_LIST_CHARS) break;
    chars += s.length + (searches.length ? 1 : 0);
    searches.push(s);
  }
  return { servers, searches, options: c.options };
}

type PodDNSType = 'cluster' | 'host' | 'none';

function podDNSType(pod: Pod): PodDNSType {
  switch (pod.spec?.dnsPolicy) {
    case 'None':
      return 'none';
    case 'ClusterFirstWithHostNet':
      return 'cluster';
    case 'Default':
      return 'host';
    default:
      // ClusterFirst (the API default); a hostNetwork pod with it uses the node's resolver
      return pod.spec?.hostNetwork ? 'host' : 'cluster';
  }
}

export class DNSConfigurer {
  constructor(private readonly o: DNSConfigurerOptions) {}

  private hostConfig(): Required<DNSConfig> {
    if (!this.o.resolvConf) return { servers: [], searches: [], options: [] };
    try {
      return parseResolvConf(readFileSync(this.o.resolvConf, 'utf8'));
    } catch {
      return { servers: [], searches: [], options: [] };
    }
  }

  /** The resolv.conf content for a pod's sandbox. */
  podDNS(pod: Pod): DNSConfig {
    const ns = pod.metadata.namespace ?? 'default';
    let type = podDNSType(pod);
    if (type === 'cluster' && !this.o.clusterDNS.length) type = 'host';
    let cfg: Required<DNSConfig>;
    if (type === 'none') cfg = { servers: [], searches: [], options: [] };
    else if (type === 'host') cfg = this.hostConfig();
    else {
      const host = this.hostConfig();
      const d = this.o.clusterDomain;
      const clusterSearch = d ? [`${ns}.svc.${d}`, `svc.${d}`, d] : [];
      cfg = { servers: [...this.o.clusterDNS], searches: unique([...clusterSearch, ...host.searches]), options: [...DEFAULT_DNS_OPTIONS] };
    }
    const extra = pod.spec?.dnsConfig;
    if (extra) {
      cfg = {
        servers: unique([...cfg.servers, ...(extra.nameservers ?? [])]),
        searches: unique([...cfg.searches, ...(extra.searches ?? [])]),
        options: mergeOptions(
          cfg.options,
          (extra.options ?? []).map((o) => (o.value !== undefined && o.value !== null ? `${o.name}:${o.value}` : `${o.name}`)),
        ),
      };
    }
    return fitLimits(cfg);
  }
}
