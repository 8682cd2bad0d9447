// Answers one question from the cluster records as the DNS specification for Kubernetes (kubernetes/dns
// docs/specification.md) and CoreDNS's kubernetes plugin do: Service A/SRV/PTR records, headless Services'
// endpoint records, pod A records (`pods insecure`), ExternalName as CNAME, the zone's SOA and NS; NXDOMAIN for a
// name that does not exist, NODATA (NOERROR, no answer, SOA in authority) for one that has no record of the type.
// Names outside the cluster domain (and reverse names of IPs the cluster does not own) are for the forwarder.
import type { Answer, RecordType, SrvAnswer } from 'dns-packet';
import type { ClusterRecords, EndpointRecord, PortRecord, ServiceRecord } from './records.js';

export interface ZoneConfig {
  /** The cluster domain, lower-case, no trailing dot: cluster.local */
  domain: string;
  /** The kube-dns Service IP (the A record of the zone's name server ns.dns.<domain>). */
  dnsIP?: string;
  /** TTL of every record (CoreDNS's default: 5 s). */
  ttl: number;
  /** SOA serial (CoreDNS: a timestamp). */
  serial: number;
}

export type Rcode = 'NOERROR' | 'NXDOMAIN' | 'SERVFAIL' | 'REFUSED' | 'NOTIMP' | 'FORMERR';

export interface Resolution {
  rcode: Rcode;
  answers: Answer[];
  authorities: Answer[];
  additionals: Answer[];
  /** An answer ending in a CNAME to a name outside the zone: the server resolves that name and appends it. */
  chase?: string;
}

/** Not ours: forward to the upstream resolvers. */
export const FORWARD = 'forward' as const;

/** Query types the kubernetes plugin builds answers for (others on existing names are NODATA). */
const ADDRESS_TYPES = new Set<string>(['A', 'AAAA', 'ANY']);

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const isIPv4 = (ip: string) => IPV4.test(ip);

export class Resolver {
  constructor(
    private readonly records: ClusterRecords,
    readonly zone: ZoneConfig,
  ) {}

  private soa(zoneName = this.zone.domain): Answer {
    const d = this.zone.domain;
    return {
      type: 'SOA',
      name: zoneName,
      ttl: this.zone.ttl,
      data: { mname: `ns.dns.${d}`, rname: `hostmaster.${d}`, serial: this.zone.serial, refresh: 7200, retry: 1800, expire: 86400, minimum: this.zone.ttl },
    };
  }

  private nxdomain(zoneName?: string): Resolution {
    return { rcode: 'NXDOMAIN', answers: [], authorities: [this.soa(zoneName)], additionals: [] };
  }

  private nodata(zoneName?: string): Resolution {
    return { rcode: 'NOERROR', answers: [], authorities: [this.soa(zoneName)], additionals: [] };
  }

  private ok(answers: Answer[], additionals: Answer[] = []): Resolution {
    return answers.length ? { rcode: 'NOERROR', answers, authorities: [], additionals } : this.nodata();
  }

  private a(name: string, ip: string): Answer {
    return { type: isIPv4(ip) ? 'A' : 'AAAA', name, ttl: this.zone.ttl, data: ip };
  }

  /** Address records of `ips` for `name` matching qtype A/AAAA (ANY: both). */
  private addresses(qtype: string, name: string, ips: string[]): Answer[] {
    const out: Answer[] = [];
    for (const ip of ips) {
      const rec = this.a(name, ip);
      if (qtype === 'ANY' || rec.type === qtype) out.push(rec);
    }
    return out;
  }

  resolve(qname: string, qtype: RecordType | string): Resolution | typeof FORWARD {
    const name = qname.replace(/\.$/, '');
    const lname = name.toLowerCase();
    const d = this.zone.domain;
    if (lname === d || lname.endsWith(`.${d}`)) {
      const rel = lname === d ? [] : lname.slice(0, -d.length - 1).split('.');
      return this.inZone(name, rel.reverse(), qtype);
    }
    if (lname.endsWith('.in-addr.arpa')) return this.reverse(name, lname, qtype);
    return FORWARD;
  }

  /** `labels`: the name's labels below the zone, right to left (svc, <ns>, <svc>, ...). */
  private inZone(name: string, labels: string[], qtype: string): Resolution {
    const d = this.zone.domain;
    if (labels.length === 0) {
      if (qtype === 'SOA') return this.ok([this.soa(name)]);
      if (qtype === 'NS') {
        const ns: Answer = { type: 'NS', name, ttl: this.zone.ttl, data: `ns.dns.${d}` };
        return this.ok([ns], this.zone.dnsIP ? [this.a(`ns.dns.${d}`, this.zone.dnsIP)] : []);
      }
      return this.nodata();
    }
    const [top, ns, svcName, ...rest] = labels;
    if (top === 'dns') {
      if (labels.length === 1) return this.nodata();
      if (labels.length === 2 && ns === 'ns' && this.zone.dnsIP)
        return ADDRESS_TYPES.has(qtype) ? this.ok(this.addresses(qtype, name, [this.zone.dnsIP])) : this.nodata();
      return this.nxdomain();
    }
    if (top === 'pod') return this.podName(name, labels.slice(1), qtype);
    if (top !== 'svc') return this.nxdomain();
    if (ns === undefined) return this.nodata();
    if (svcName === undefined) return this.records.hasNamespace(ns) ? this.nodata() : this.nxdomain();
    const svc = this.records.service(ns, svcName);
    if (!svc) return this.nxdomain();
    if (rest.length === 0) return this.serviceName(name, svc, qtype);
    if (svc.kind === 'ExternalName') return this.nxdomain();
    // below the Service: _<proto>[._<port>] (SRV) or an endpoint's label
    const [second, third, ...deeper] = rest;
    if (second!.startsWith('_')) {
      const proto = second!.slice(1);
      const ports = svc.ports.filter((p) => p.name && p.protocol === proto);
      if (!ports.length) return this.nxdomain();
      if (third === undefined) return this.nodata(); // an empty non-terminal
      if (!third.startsWith('_') || deeper.length) return this.nxdomain();
      const port = ports.filter((p) => p.name === third.slice(1));
      if (!port.length) return this.nxdomain();
      return qtype === 'SRV' || qtype === 'ANY' ? this.srv(name, svc, port) : this.nodata();
    }
    if (third !== undefined) return this.nxdomain();
    const eps = this.records.endpoints(svc).filter((e) => e.label === second);
    if (!eps.length) return this.nxdomain();
    return this.ok(
      this.addresses(
        qtype,
        name,
        eps.map((e) => e.ip),
      ),
    );
  }

  private fqdn(svc: ServiceRecord): string {
    return `${svc.name}.${svc.namespace}.svc.${this.zone.domain}`;
  }

  private serviceName(name: string, svc: ServiceRecord, qtype: string): Resolution {
    if (svc.kind === 'ExternalName') {
      if (!svc.externalName) return this.nodata();
      const cname: Answer = { type: 'CNAME', name, ttl: this.zone.ttl, data: svc.externalName };
      if (qtype === 'CNAME') return this.ok([cname]);
      const target = svc.externalName.toLowerCase();
      const d = this.zone.domain;
      if (target === d || target.endsWith(`.${d}`)) {
        // a target inside the zone: answer it here (one level, so a CNAME loop cannot recur)
        const inner = this.inZone(
          svc.externalName,
          target === d
            ? []
            : target
                .slice(0, -d.length - 1)
                .split('.')
                .reverse(),
          qtype,
        );
        const chained = inner.answers.filter((a) => a.type !== 'CNAME');
        return { rcode: 'NOERROR', answers: [cname, ...chained], authorities: chained.length ? [] : inner.authorities, additionals: [] };
      }
      return { rcode: 'NOERROR', answers: [cname], authorities: [], additionals: [], chase: svc.externalName };
    }
    if (svc.kind === 'ClusterIP') {
      if (ADDRESS_TYPES.has(qtype)) return this.ok(this.addresses(qtype, name, svc.clusterIPs));
      if (qtype === 'SRV') return this.srv(name, svc, svc.ports);
      return this.nodata();
    }
    const eps = this.records.endpoints(svc);
    // a headless Service without published endpoints has no records at all (CoreDNS: NXDOMAIN)
    if (!eps.length) return this.nxdomain();
    if (ADDRESS_TYPES.has(qtype))
      return this.ok(
        this.addresses(
          qtype,
          name,
          eps.map((e) => e.ip),
        ),
      );
    if (qtype === 'SRV') return this.srv(name, svc, svc.ports);
    return this.nodata();
  }

  /** SRV records of `ports` (ClusterIP: the Service's name; headless: one per endpoint), targets' addresses additional. */
  private srv(name: string, svc: ServiceRecord, ports: PortRecord[]): Resolution {
    const answers: SrvAnswer[] = [];
    const additionals: Answer[] = [];
    if (svc.kind === 'ClusterIP') {
      const target = this.fqdn(svc);
      for (const p of ports) answers.push({ type: 'SRV', name, ttl: this.zone.ttl, data: { priority: 0, weight: 100, port: p.port, target } });
      if (answers.length) for (const ip of svc.clusterIPs) additionals.push(this.a(target, ip));
      return this.ok(answers, additionals);
    }
    const eps: { ep: EndpointRecord; port: PortRecord }[] = [];
    for (const ep of this.records.endpoints(svc)) {
      for (const p of ports) {
        // the slice's port of that name and protocol carries the endpoint's (target) port number
        const ep_port = ep.ports.find((x) => x.name === p.name && x.protocol === p.protocol);
        if (ep_port) eps.push({ ep, port: ep_port });
      }
    }
    const weight = eps.length ? Math.max(1, Math.floor(100 / eps.length)) : 100;
    const withAddress = new Set<string>();
    for (const { ep, port } of eps) {
      const target = `${ep.label}.${this.fqdn(svc)}`;
      answers.push({ type: 'SRV', name, ttl: this.zone.ttl, data: { priority: 0, weight, port: port.port, target } });
      if (!withAddress.has(`${target} ${ep.ip}`)) {
        withAddress.add(`${target} ${ep.ip}`);
        additionals.push(this.a(target, ep.ip));
      }
    }
    return this.ok(answers, additionals);
  }

  /** <a-b-c-d>.<ns>.pod.<domain> (`labels`: right to left below `pod`). */
  private podName(name: string, labels: string[], qtype: string): Resolution {
    if (labels.length === 0) return this.nodata();
    const [ns, ipLabel, ...deeper] = labels;
    if (ipLabel === undefined) return this.records.hasNamespace(ns!) ? this.nodata() : this.nxdomain();
    if (deeper.length) return this.nxdomain();
    const ip = ipLabel.replace(/-/g, '.');
    if (!isIPv4(ip)) return this.nxdomain();
    return ADDRESS_TYPES.has(qtype) ? this.ok(this.addresses(qtype, name, [ip])) : this.nodata();
  }

  /** d.c.b.a.in-addr.arpa: the Service, endpoint or pod owning the IP, else not ours. */
  private reverse(name: string, lname: string, qtype: string): Resolution | typeof FORWARD {
    const parts = lname.slice(0, -'.in-addr.arpa'.length).split('.');
    if (parts.length !== 4) return FORWARD;
    const ip = parts.reverse().join('.');
    if (!isIPv4(ip)) return FORWARD;
    let target: string | undefined;
    const svc = this.records.serviceForIP(ip);
    if (svc) target = this.fqdn(svc);
    else {
      const ep = this.records.endpointForIP(ip);
      if (ep) target = `${ep.endpoint.label}.${this.fqdn(ep.service)}`;
      else {
        const pod = this.records.podForIP(ip);
        if (pod) target = `${ip.replace(/\./g, '-')}.${pod.namespace}.pod.${this.zone.domain}`;
      }
    }
    if (!target) return FORWARD;
    if (qtype !== 'PTR' && qtype !== 'ANY') return this.nodata('in-addr.arpa');
    return this.ok([{ type: 'PTR', name, ttl: this.zone.ttl, data: target }]);
  }
}
