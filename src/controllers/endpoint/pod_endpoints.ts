// What a Service's endpoints are, shared by the Endpoints and EndpointSlice controllers: which pods back it
// (selector, an IP, not finished), whether each is ready / serving / terminating, and each Service port's
// target on each pod (named targetPorts resolved per pod, as upstream's podutil.FindPort).
import type { Pod } from '../../api/core/v1/types.js';
import type { Service, ServicePort } from '../../api/core/v1/service_types.js';
import type { Lister } from '../../client/listers.js';
import type { EventHandlers } from '../../client/shared_informer.js';

export interface ResolvedPort {
  name: string;
  port: number;
  protocol: 'TCP' | 'UDP' | 'SCTP';
  appProtocol?: string;
}

export interface PodEndpoint {
  pod: Pod;
  ip: string;
  /** Ready for traffic: serving and not terminating (or the Service publishes not-ready addresses). */
  ready: boolean;
  serving: boolean;
  terminating: boolean;
  /** The pod's hostname in the Service's DNS (hostname set and subdomain = the Service's name). */
  hostname?: string;
  ports: ResolvedPort[];
}

/** The Services whose endpoints the controllers compute: ones with a selector, other than ExternalName. */
export function managedService(svc: Service): boolean {
  return !!svc.spec?.selector && Object.keys(svc.spec.selector).length > 0 && svc.spec.type !== 'ExternalName';
}

export function selectorMatches(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  if (!selector || Object.keys(selector).length === 0) return false;
  const l = labels ?? {};
  return Object.entries(selector).every(([k, v]) => l[k] === v);
}

function podReady(pod: Pod): boolean {
  return (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

/** The container port a Service port reaches on `pod`, or undefined when the pod has no such named port. */
export function findPort(pod: Pod, sp: ServicePort): number | undefined {
  const target = sp.targetPort ?? sp.port;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  for (const c of pod.spec?.containers ?? []) {
    for (const cp of c.ports ?? []) if (cp.name === target && (cp.protocol ?? 'TCP') === (sp.protocol ?? 'TCP')) return cp.containerPort;
  }
  return undefined;
}

export function podEndpoints(svc: Service, pods: Pod[]): PodEndpoint[] {
  const out: PodEndpoint[] = [];
  const publishNotReady = svc.spec?.publishNotReadyAddresses === true;
  for (const pod of pods) {
    const ip = pod.status?.podIP;
    if (!ip || !pod.spec?.nodeName) continue;
    const phase = pod.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') continue;
    const terminating = !!pod.metadata.deletionTimestamp;
    const serving = podReady(pod);
    const ports: ResolvedPort[] = [];
    for (const sp of svc.spec?.ports ?? []) {
      const port = findPort(pod, sp);
      if (port === undefined) continue;
      ports.push({ name: sp.name ?? '', port, protocol: sp.protocol ?? 'TCP', ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}) });
    }
    const hostname = pod.spec.hostname && pod.spec.subdomain === svc.metadata.name ? pod.spec.hostname : undefined;
    out.push({ pod, ip, ready: publishNotReady || (serving && !terminating), serving: publishNotReady || serving, terminating, hostname, ports });
  }
  // stable output: the same pods give the same objects (no write when nothing changed)
  return out.sort((a, b) => (a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : 0));
}

/** A key for a port list, to group endpoints that serve the same ports. */
export function portsKey(ports: ResolvedPort[]): string {
  return JSON.stringify([...ports].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.port - b.port)));
}

/** Pod event handlers that queue every Service of the pod's namespace selecting it, before or after the change. */
export function servicesOfPodHandlers(services: Lister<Service>, enqueue: (svc: Service) => void): EventHandlers<Pod> {
  const onPod = (p: Pod) => {
    for (const s of services.namespace(p.metadata.namespace!).list()) if (selectorMatches(s.spec?.selector, p.metadata.labels)) enqueue(s);
  };
  return {
    onAdd: onPod,
    onUpdate: (old, p) => {
      onPod(old);
      onPod(p);
    },
    onDelete: onPod,
  };
}
