// The cluster state the DNS server answers from (CoreDNS kubernetes plugin's cache): Services, the endpoints
// of their EndpointSlices, namespaces and pod IPs, indexed by name and by IP. Fed by informer events; every
// change bumps `version`, which is how answer caches know to drop what they hold; an update that changes nothing
// DNS answers from (a Service's status, a slice's unrelated fields) leaves it, so the caches stay warm.
import type { Service } from '../api/core/v1/service_types.js';
import type { Pod } from '../api/core/v1/types.js';
import type { EndpointSlice } from '../api/discovery/v1/types.js';
import { LABEL_SERVICE_NAME } from '../api/discovery/v1/types.js';

export interface PortRecord {
  /** Lower-cased port name ('' = unnamed: no SRV name of its own). */
  name: string;
  /** Lower-cased: tcp, udp, sctp. */
  protocol: string;
  port: number;
}

export interface ServiceRecord {
  name: string;
  namespace: string;
  kind: 'ClusterIP' | 'Headless' | 'ExternalName';
  clusterIPs: string[];
  externalName?: string;
  ports: PortRecord[];
  publishNotReadyAddresses: boolean;
}

export interface EndpointRecord {
  ip: string;
  /** The endpoint's DNS label: its hostname, else its IP with dashes (as CoreDNS). Lower-cased. */
  label: string;
  ready: boolean;
  ports: PortRecord[];
}

interface SliceRecord {
  service: string;
  endpoints: EndpointRecord[];
}

const key = (ns: string, name: string) => `${ns}/${name}`;
const dashed = (ip: string) => ip.replace(/[.:]/g, '-');

function portRecords(ports: { name?: string; protocol?: string; port?: number }[] | undefined): PortRecord[] {
  const out: PortRecord[] = [];
  for (const p of ports ?? []) if (p.port) out.push({ name: (p.name ?? '').toLowerCase(), protocol: (p.protocol ?? 'TCP').toLowerCase(), port: p.port });
  return out;
}

export function serviceRecord(svc: Service): ServiceRecord | undefined {
  const spec = svc.spec;
  if (!spec || !svc.metadata.name || !svc.metadata.namespace) return undefined;
  const kind = spec.type === 'ExternalName' ? 'ExternalName' : spec.clusterIP === 'None' ? 'Headless' : 'ClusterIP';
  const clusterIPs = kind === 'ClusterIP' ? (spec.clusterIPs?.length ? spec.clusterIPs : spec.clusterIP ? [spec.clusterIP] : []) : [];
  return {
    name: svc.metadata.name.toLowerCase(),
    namespace: svc.metadata.namespace.toLowerCase(),
    kind,
    clusterIPs,
    externalName: kind === 'ExternalName' ? spec.externalName?.replace(/\.$/, '') : undefined,
    ports: portRecords(spec.ports),
    publishNotReadyAddresses: !!spec.publishNotReadyAddresses,
  };
}

function sliceRecord(slice: EndpointSlice): SliceRecord | undefined {
  const svcName = slice.metadata.labels?.[LABEL_SERVICE_NAME];
  if (!svcName || !slice.metadata.namespace || slice.addressType === 'FQDN') return undefined;
  const ports = portRecords(slice.ports);
  const endpoints: EndpointRecord[] = [];
  for (const ep of slice.endpoints ?? []) {
    // a nil ready condition means ready (EndpointSlice API); terminating endpoints are not ready
    const ready = ep.conditions?.ready !== false;
    for (const ip of ep.addresses ?? []) endpoints.push({ ip, label: (ep.hostname || dashed(ip)).toLowerCase(), ready, ports });
  }
  return { service: key(slice.metadata.namespace.toLowerCase(), svcName.toLowerCase()), endpoints };
}

/** Records are plain data built in a fixed key order: equal JSON is equal content. */
const sameRecord = (a: ServiceRecord | SliceRecord, b: ServiceRecord | SliceRecord) => JSON.stringify(a) === JSON.stringify(b);

export class ClusterRecords {
  /** Bumped on every change (answer caches compare it). */
  version = 0;
  private services = new Map<string, ServiceRecord>();
  private serviceByIP = new Map<string, string>();
  private slices = new Map<string, SliceRecord>();
  private slicesByService = new Map<string, Set<string>>();
  private endpointsCache = new Map<string, EndpointRecord[]>();
  private namespaces = new Set<string>();
  private podIPs = new Map<string, { namespace: string; pod: string }>();
  private podIPsByPod = new Map<string, string>();
  /** Endpoint IP → the slices listing it (PTR). */
  private slicesByIP = new Map<string, Set<string>>();

  private changed(): void {
    this.version++;
  }

  // --- writers (informer events) ---

  upsertService(svc: Service): void {
    const rec = serviceRecord(svc);
    if (!rec) return;
    const k = key(rec.namespace, rec.name);
    const old = this.services.get(k);
    if (old && sameRecord(old, rec)) return;
    this.deleteServiceKey(k);
    this.services.set(k, rec);
    for (const ip of rec.clusterIPs) this.serviceByIP.set(ip, k);
    this.changed();
  }

  deleteService(svc: Service): void {
    if (!svc.metadata.name || !svc.metadata.namespace) return;
    this.deleteServiceKey(key(svc.metadata.namespace.toLowerCase(), svc.metadata.name.toLowerCase()));
    this.changed();
  }

  private deleteServiceKey(k: string): void {
    const old = this.services.get(k);
    if (!old) return;
    for (const ip of old.clusterIPs) if (this.serviceByIP.get(ip) === k) this.serviceByIP.delete(ip);
    this.services.delete(k);
  }

  upsertSlice(slice: EndpointSlice): void {
    const sk = key(slice.metadata.namespace ?? '', slice.metadata.name ?? '');
    const rec = sliceRecord(slice);
    const old = this.slices.get(sk);
    if (old && rec && sameRecord(old, rec)) return;
    this.deleteSliceKey(sk);
    if (rec) {
      this.slices.set(sk, rec);
      let set = this.slicesByService.get(rec.service);
      if (!set) this.slicesByService.set(rec.service, (set = new Set()));
      set.add(sk);
      for (const e of rec.endpoints) {
        let byIP = this.slicesByIP.get(e.ip);
        if (!byIP) this.slicesByIP.set(e.ip, (byIP = new Set()));
        byIP.add(sk);
      }
      this.endpointsCache.delete(rec.service);
    }
    this.changed();
  }

  deleteSlice(slice: EndpointSlice): void {
    this.deleteSliceKey(key(slice.metadata.namespace ?? '', slice.metadata.name ?? ''));
    this.changed();
  }

  private deleteSliceKey(sk: string): void {
    const old = this.slices.get(sk);
    if (!old) return;
    this.slices.delete(sk);
    const set = this.slicesByService.get(old.service);
    set?.delete(sk);
    if (set && !set.size) this.slicesByService.delete(old.service);
    for (const e of old.endpoints) {
      const byIP = this.slicesByIP.get(e.ip);
      byIP?.delete(sk);
      if (byIP && !byIP.size) this.slicesByIP.delete(e.ip);
    }
    this.endpointsCache.delete(old.service);
  }

  upsertNamespace(name: string): void {
    if (this.namespaces.has(name.toLowerCase())) return;
    this.namespaces.add(name.toLowerCase());
    this.changed();
  }

  deleteNamespace(name: string): void {
    this.namespaces.delete(name.toLowerCase());
    this.changed();
  }

  /** Pods on the pod network (a hostNetwork pod's IP is its node's). */
  upsertPod(pod: Pod): void {
    const ip = pod.status?.podIP;
    const id = key(pod.metadata.namespace ?? '', pod.metadata.name ?? '');
    this.deletePodId(id);
    if (ip && !pod.spec?.hostNetwork) {
      this.podIPs.set(ip, { namespace: (pod.metadata.namespace ?? '').toLowerCase(), pod: id });
      this.podIPsByPod.set(id, ip);
    }
    this.changed();
  }

  deletePod(pod: Pod): void {
    this.deletePodId(key(pod.metadata.namespace ?? '', pod.metadata.name ?? ''));
    this.changed();
  }

  private deletePodId(id: string): void {
    const ip = this.podIPsByPod.get(id);
    if (ip === undefined) return;
    this.podIPsByPod.delete(id);
    if (this.podIPs.get(ip)?.pod === id) this.podIPs.delete(ip);
  }

  // --- readers (the resolver) ---

  service(namespace: string, name: string): ServiceRecord | undefined {
    return this.services.get(key(namespace, name));
  }

  hasNamespace(name: string): boolean {
    return this.namespaces.has(name);
  }

  /** The Service's endpoints DNS publishes: ready ones, or all with publishNotReadyAddresses; one per IP. */
  endpoints(svc: ServiceRecord): EndpointRecord[] {
    const k = key(svc.namespace, svc.name);
    const cached = this.endpointsCache.get(k);
    if (cached) return cached.filter((e) => e.ready || svc.publishNotReadyAddresses);
    const all: EndpointRecord[] = [];
    const seen = new Set<string>();
    for (const sk of [...(this.slicesByService.get(k) ?? [])].sort()) {
      for (const e of this.slices.get(sk)!.endpoints) {
        if (seen.has(e.ip)) continue;
        seen.add(e.ip);
        all.push(e);
      }
    }
    this.endpointsCache.set(k, all);
    return all.filter((e) => e.ready || svc.publishNotReadyAddresses);
  }

  /** The Service whose ClusterIP this is. */
  serviceForIP(ip: string): ServiceRecord | undefined {
    const k = this.serviceByIP.get(ip);
    return k ? this.services.get(k) : undefined;
  }

  /** A published endpoint with this IP and its Service (first by name), for PTR. */
  endpointForIP(ip: string): { service: ServiceRecord; endpoint: EndpointRecord } | undefined {
    for (const sk of [...(this.slicesByIP.get(ip) ?? [])].sort()) {
      const rec = this.slices.get(sk)!;
      const ep = rec.endpoints.find((e) => e.ip === ip);
      if (!ep) continue;
      const svc = this.services.get(rec.service);
      if (svc && (ep.ready || svc.publishNotReadyAddresses)) return { service: svc, endpoint: ep };
    }
    return undefined;
  }

  podForIP(ip: string): { namespace: string } | undefined {
    return this.podIPs.get(ip);
  }

  serviceCount(): number {
    return this.services.size;
  }
}
