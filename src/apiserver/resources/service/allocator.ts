// Service ClusterIP and NodePort allocation (upstream's ipallocator/portallocator). The truth is the stored
// Services: the allocator keeps an index of what they hold, fed by the store's watch, plus short-lived
// reservations for creates in flight, so two concurrent creates never get one IP and a failed create leaks
// nothing (its reservation lapses). Rebuilt from the store on every start. ClusterIPs as KEP-3070: the lower
// band of the range (min(max(16, size/16), 256) addresses) is for Services asking for a clusterIP, so dynamic
// allocation takes the upper band first and the lower only once the upper is full (kube-dns's 10th address
// stays free for it however many Services came first).
import { StatusError, fieldErr, invalid } from '../../../api/errors.js';
import type { StatusCause } from '../../../api/types.js';
import type { Storage, StoreWatcher } from '../../../storage/interface.js';
import type { Service } from '../../../api/core/v1/service_types.js';

export const DEFAULT_SERVICE_CIDR = '10.96.0.0/12';
export const DEFAULT_NODE_PORT_RANGE = { base: 30000, size: 2768 };
/** How long an allocation made for a create waits for the created object before it lapses. */
const RESERVATION_MS = 30_000;

function ipToInt(ip: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return ((parts[0] << 24) | (parts[1] << 16) | (parts[2] << 8) | parts[3]) >>> 0;
}

function intToIP(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export function parseCIDR(cidr: string): { base: number; size: number } {
  const [ip, bits] = cidr.split('/');
  const base = ipToInt(ip ?? '');
  const prefix = Number(bits);
  if (base === undefined || !Number.isInteger(prefix) || prefix < 8 || prefix > 30)
    throw new Error(`invalid IPv4 service CIDR ${JSON.stringify(cidr)} (want a.b.c.d/8..30)`);
  const size = 2 ** (32 - prefix);
  return { base: base - (base % size), size };
}

/** The n-th address of a service CIDR (1: the `kubernetes` Service's, 10: kube-dns's, as kubeadm picks them). */
export function serviceIPAt(cidr: string, n: number): string {
  const { base, size } = parseCIDR(cidr);
  if (n <= 0 || n >= size - 1) throw new Error(`service CIDR ${cidr} has no address number ${n}`);
  return intToIP(base + n);
}

/** "30000-32767" (upstream --service-node-port-range) → { base, size }. */
export function parsePortRange(range: string): { base: number; size: number } {
  const m = /^(\d{1,5})-(\d{1,5})$/.exec(range.trim());
  const lo = Number(m?.[1]);
  const hi = Number(m?.[2]);
  if (!m || lo < 1 || hi > 65535 || hi < lo) throw new Error(`invalid port range ${JSON.stringify(range)} (want lo-hi within 1-65535)`);
  return { base: lo, size: hi - lo + 1 };
}

/** One numbered range (IPs as integers, or ports) with an owner per taken value. */
class RangeIndex {
  private taken = new Map<number, string>();
  private reserved = new Map<number, number>();
  /** Per band (its first offset): where the next scan starts. */
  private next = new Map<number, number>();

  constructor(
    readonly first: number,
    readonly count: number,
  ) {}

  contains(v: number): boolean {
    return v >= this.first && v < this.first + this.count;
  }

  set(v: number, owner: string): void {
    this.taken.set(v, owner);
    this.reserved.delete(v);
  }

  release(v: number, owner: string): void {
    if (this.taken.get(v) === owner) this.taken.delete(v);
  }

  clear(): void {
    this.taken.clear();
  }

  isFree(v: number, now: number): boolean {
    if (this.taken.has(v)) return false;
    const until = this.reserved.get(v);
    return until === undefined || until < now;
  }

  reserve(v: number, now: number): void {
    this.reserved.set(v, now + RESERVATION_MS);
  }

  /**
   * A free value among offsets [from, to) of the range, scanning on from the last one handed out there (spreads
   * reuse, as upstream's random start).
   */
  pick(now: number, skip: (v: number) => boolean = () => false, from = 0, to = this.count): number | undefined {
    const n = to - from;
    const start = this.next.get(from) ?? 0;
    for (let i = 0; i < n; i++) {
      const v = this.first + from + ((start + i) % n);
      if (!skip(v) && this.isFree(v, now)) {
        this.next.set(from, (v - this.first - from + 1) % n);
        return v;
      }
    }
    return undefined;
  }
}

/**
 * KEP-3070's static band: the first min(max(16, size/16), 256) addresses of a range of `size` (network and
 * broadcast counted), none for ranges of 16 or fewer.
 */
export function staticBandSize(size: number): number {
  if (size <= 16) return 0;
  return Math.min(Math.max(16, Math.floor(size / 16)), 256);
}

const ownerOf = (svc: Service) => `${svc.metadata.namespace}/${svc.metadata.name}`;
const needsNodePorts = (svc: Service) =>
  svc.spec?.type === 'NodePort' || (svc.spec?.type === 'LoadBalancer' && svc.spec.allocateLoadBalancerNodePorts !== false);
const servicesPrefix = '/registry/services/';

export class ServiceAllocators {
  readonly cidr: string;
  private ips: RangeIndex;
  /** Addresses at the start of the range that dynamic allocation leaves for explicit clusterIPs while it can. */
  private readonly staticBand: number;
  private ports: RangeIndex;
  private watcher?: StoreWatcher;

  constructor(
    opts: { serviceCIDR?: string; nodePortRange?: { base: number; size: number } } = {},
    private readonly clock: () => number = Date.now,
  ) {
    this.cidr = opts.serviceCIDR ?? DEFAULT_SERVICE_CIDR;
    const { base, size } = parseCIDR(this.cidr);
    // network and broadcast addresses are never handed out
    this.ips = new RangeIndex(base + 1, size - 2);
    this.staticBand = Math.min(staticBandSize(size), size - 2);
    const pr = opts.nodePortRange ?? DEFAULT_NODE_PORT_RANGE;
    this.ports = new RangeIndex(pr.base, pr.size);
  }

  /** The first address of the range: the `kubernetes` Service's. */
  get firstIP(): string {
    return intToIP(this.ips.first);
  }

  get portRange(): string {
    return `${this.ports.first}-${this.ports.first + this.ports.count - 1}`;
  }

  /** Index what the stored Services hold, then follow the store. */
  async start(storage: Storage): Promise<void> {
    const list = await storage.list(servicesPrefix);
    this.ips.clear();
    this.ports.clear();
    for (const s of list.items) this.hold(s as Service);
    this.watcher = storage.watch(servicesPrefix, {
      fromRV: list.resourceVersion,
      onEvent: (ev) => {
        if (ev.prevObject) this.drop(ev.prevObject as Service);
        if (ev.type !== 'DELETED') this.hold(ev.object as Service);
      },
      onClose: () => {
        // the store dropped us (closing, or far behind): re-list so the index stays the truth
        this.watcher = undefined;
        void this.start(storage).catch(() => undefined);
      },
    });
  }

  stop(): void {
    this.watcher?.stop();
    this.watcher = undefined;
  }

  private hold(svc: Service): void {
    const owner = ownerOf(svc);
    for (const ip of svc.spec?.clusterIPs ?? []) {
      const n = ipToInt(ip);
      if (n !== undefined && this.ips.contains(n)) this.ips.set(n, owner);
    }
    for (const p of svc.spec?.ports ?? []) if (p?.nodePort && this.ports.contains(p.nodePort)) this.ports.set(p.nodePort, owner);
    if (svc.spec?.healthCheckNodePort && this.ports.contains(svc.spec.healthCheckNodePort)) this.ports.set(svc.spec.healthCheckNodePort, owner);
  }

  private drop(svc: Service): void {
    const owner = ownerOf(svc);
    for (const ip of svc.spec?.clusterIPs ?? []) {
      const n = ipToInt(ip);
      if (n !== undefined) this.ips.release(n, owner);
    }
    for (const p of svc.spec?.ports ?? []) if (p?.nodePort) this.ports.release(p.nodePort, owner);
    if (svc.spec?.healthCheckNodePort) this.ports.release(svc.spec.healthCheckNodePort, owner);
  }

  /**
   * Fill in (or check) the ClusterIP and node ports of a Service being created or updated (`old`: its stored
   * state, whose values it may keep). Throws 422 Invalid with upstream's messages when a value is taken or out
   * of range. Values are reserved until the write shows up in the store.
   */
  allocate(svc: Service, old?: Service): void {
    const spec = svc.spec!;
    const now = this.clock();
    const name = svc.metadata.name ?? '';
    const oldIPs = new Set(old?.spec?.clusterIPs ?? []);
    if (spec.type !== 'ExternalName' && spec.clusterIP !== 'None') {
      if (!spec.clusterIP) {
        const n = this.ips.pick(now, undefined, this.staticBand) ?? this.ips.pick(now, undefined, 0, this.staticBand);
        if (n === undefined) throw this.fail(name, [fieldErr.invalid('spec.clusterIPs', [], `failed to allocate a serviceIP: range is full`)]);
        this.ips.reserve(n, now);
        spec.clusterIP = intToIP(n);
      } else if (!oldIPs.has(spec.clusterIP)) {
        const n = ipToInt(spec.clusterIP);
        const ip = spec.clusterIP;
        const at = goList([ip]);
        if (n === undefined || !this.ips.contains(n)) {
          throw this.fail(name, [
            invalidRaw(
              'spec.clusterIPs',
              at,
              `failed to allocate IP ${ip}: the provided IP (${ip}) is not in the valid range. The range of valid IPs is ${this.cidr}`,
            ),
          ]);
        }
        if (!this.ips.isFree(n, now))
          throw this.fail(name, [invalidRaw('spec.clusterIPs', at, `failed to allocate IP ${ip}: provided IP is already allocated`)]);
        this.ips.reserve(n, now);
      }
      spec.clusterIPs = [spec.clusterIP];
      spec.ipFamilies ??= ['IPv4'];
      spec.ipFamilyPolicy ??= 'SingleStack';
    } else if (spec.clusterIP === 'None') {
      spec.clusterIPs = ['None'];
      if (spec.selector && Object.keys(spec.selector).length) {
        spec.ipFamilies ??= ['IPv4'];
        spec.ipFamilyPolicy ??= 'SingleStack';
      }
    }
    const oldPorts = new Set((old?.spec?.ports ?? []).map((p) => p?.nodePort).filter((p): p is number => !!p));
    if (needsNodePorts(svc)) {
      const inThis = new Set<number>();
      (spec.ports ?? []).forEach((p, i) => {
        const at = `spec.ports[${i}].nodePort`;
        if (p.nodePort) {
          if (oldPorts.has(p.nodePort) || inThis.has(p.nodePort)) {
            inThis.add(p.nodePort);
            return;
          }
          if (!this.ports.contains(p.nodePort)) {
            throw this.fail(name, [fieldErr.invalid(at, p.nodePort, `provided port is not in the valid range. The range of valid ports is ${this.portRange}`)]);
          }
          if (!this.ports.isFree(p.nodePort, now)) throw this.fail(name, [fieldErr.invalid(at, p.nodePort, 'provided port is already allocated')]);
        } else {
          const n = this.ports.pick(now, (v) => inThis.has(v));
          if (n === undefined) throw this.fail(name, [fieldErr.invalid(at, 0, 'failed to allocate a nodePort: range is full')]);
          p.nodePort = n;
        }
        this.ports.reserve(p.nodePort, now);
        inThis.add(p.nodePort);
      });
    } else {
      for (const p of spec.ports ?? []) delete p.nodePort;
    }
  }

  private fail(name: string, causes: StatusCause[]): StatusError {
    return invalid('', 'Service', name, causes);
  }
}

/** An Invalid cause whose value is already formatted. */
function invalidRaw(field: string, shown: string, detail: string): StatusCause {
  return { reason: 'FieldValueInvalid', field, message: `Invalid value: ${shown}: ${detail}` };
}

/** A string list the way upstream's messages print it (Go's %#v of []string). */
function goList(xs: string[]): string {
  return `[]string{${xs.map((x) => JSON.stringify(x)).join(', ')}}`;
}
