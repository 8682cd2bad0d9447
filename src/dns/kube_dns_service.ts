// The kube-dns Service in kube-system (kubeadm's CoreDNS addon: labels k8s-app=kube-dns and
// kubernetes.io/name=CoreDNS, ClusterIP the 10th address of the Service range, ports dns 53/UDP and dns-tcp
// 53/TCP) and its Endpoints and EndpointSlice naming where this DNS server listens. Its one writer: a
// controller that puts back what was changed or deleted. The Service has no selector (the server is no pod),
// so the endpoint controllers leave its endpoints to us.
import type { Endpoints, Service } from '../api/core/v1/service_types.js';
import type { EndpointSlice } from '../api/discovery/v1/types.js';
import { LABEL_MANAGED_BY, LABEL_SERVICE_NAME } from '../api/discovery/v1/types.js';
import type { KubeObject } from '../api/types.js';
import { Controller } from '../client/controller.js';
import type { SharedInformerFactory } from '../client/informer_factory.js';
import type { KubeClient } from '../client/rest.js';
import { ResourceClient, Resources } from '../client/typed.js';
import type { Logger } from '../log/logger.js';

export const KUBE_DNS_NAMESPACE = 'kube-system';
export const KUBE_DNS_NAME = 'kube-dns';
export const KUBE_DNS_LABELS = { 'k8s-app': 'kube-dns', 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'CoreDNS' };
export const KUBE_DNS_MANAGER = 'dns.k8ts.io';
const KEY = `${KUBE_DNS_NAMESPACE}/${KUBE_DNS_NAME}`;

export interface KubeDNSServiceOptions {
  client: KubeClient;
  factory?: SharedInformerFactory;
  /** The Service's ClusterIP (10.96.0.10 for the default range). */
  clusterIP: string;
  log?: Logger;
}

const servicePorts = (targetPort: number) => [
  { name: 'dns', port: 53, protocol: 'UDP' as const, targetPort },
  { name: 'dns-tcp', port: 53, protocol: 'TCP' as const, targetPort },
];
const endpointPorts = (port: number) => [
  { name: 'dns', port, protocol: 'UDP' as const },
  { name: 'dns-tcp', port, protocol: 'TCP' as const },
];

const is404 = (e: unknown) => (e as { status?: { code?: number } })?.status?.code === 404 || (e as { code?: number })?.code === 404;
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export class KubeDNSService extends Controller {
  private endpoint?: { ip: string; port: number };
  private readonly services: ResourceClient<Service>;
  private readonly endpointsClient: ResourceClient<Endpoints>;
  private readonly slices: ResourceClient<EndpointSlice>;

  constructor(private readonly o: KubeDNSServiceOptions) {
    super({ name: 'kube-dns-service', client: o.client, factory: o.factory, log: o.log });
    this.services = new ResourceClient<Service>(o.client, Resources.services, KUBE_DNS_NAMESPACE);
    this.endpointsClient = new ResourceClient<Endpoints>(o.client, Resources.endpoints, KUBE_DNS_NAMESPACE);
    this.slices = new ResourceClient<EndpointSlice>(o.client, Resources.endpointSlices, KUBE_DNS_NAMESPACE);
    const byName = { namespace: KUBE_DNS_NAMESPACE, fieldSelector: `metadata.name=${KUBE_DNS_NAME}` };
    const handlers = { onAdd: () => this.queue.add(KEY), onUpdate: () => this.queue.add(KEY), onDelete: () => this.queue.add(KEY) };
    this.watch(this.factory.informerFor<Service>(Resources.services, byName), handlers);
    this.watch(this.factory.informerFor<Endpoints>(Resources.endpoints, byName), handlers);
    this.watch(
      this.factory.informerFor<EndpointSlice>(Resources.endpointSlices, {
        namespace: KUBE_DNS_NAMESPACE,
        labelSelector: `${LABEL_SERVICE_NAME}=${KUBE_DNS_NAME}`,
      }),
      handlers,
    );
  }

  /** Where the DNS server is reached (the Service's targetPort and its endpoint). */
  setEndpoint(ip: string, port: number): void {
    this.endpoint = { ip, port };
    this.queue.add(KEY);
  }

  override start(): void {
    super.start();
    this.queue.add(KEY);
  }

  private async current<T extends KubeObject>(c: ResourceClient<T>): Promise<T | undefined> {
    try {
      return await c.get(KUBE_DNS_NAME);
    } catch (e) {
      if (is404(e)) return undefined;
      throw e;
    }
  }

  protected async reconcile(): Promise<void> {
    const ep = this.endpoint;
    await this.reconcileService(ep?.port ?? 53);
    if (!ep) return;
    await this.reconcileEndpoints(ep);
    await this.reconcileSlice(ep);
  }

  private async reconcileService(targetPort: number): Promise<void> {
    const cur = await this.current(this.services);
    const ports = servicePorts(targetPort);
    if (!cur) {
      await this.services.create({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: KUBE_DNS_NAME, namespace: KUBE_DNS_NAMESPACE, labels: { ...KUBE_DNS_LABELS } },
        spec: { type: 'ClusterIP', clusterIP: this.o.clusterIP, clusterIPs: [this.o.clusterIP], ports, sessionAffinity: 'None' },
      });
      this.log.info({ clusterIP: this.o.clusterIP, targetPort }, 'Created the kube-dns Service');
      return;
    }
    if (cur.spec?.clusterIP !== this.o.clusterIP) {
      // the ClusterIP is immutable: a Service made elsewhere keeps its own (pods' --cluster-dns names ours)
      this.log.warn({ clusterIP: cur.spec?.clusterIP, want: this.o.clusterIP }, 'The kube-dns Service has another ClusterIP; leaving it');
    }
    const havePorts = (cur.spec?.ports ?? []).map((p) => ({ name: p.name, port: p.port, protocol: p.protocol, targetPort: p.targetPort }));
    const labelsOk = Object.entries(KUBE_DNS_LABELS).every(([k, v]) => cur.metadata.labels?.[k] === v);
    if (same(havePorts, ports) && labelsOk && !cur.spec?.selector) return;
    const next: Service = {
      ...cur,
      metadata: { ...cur.metadata, labels: { ...cur.metadata.labels, ...KUBE_DNS_LABELS } },
      spec: { ...cur.spec, selector: undefined, ports },
    };
    await this.services.update(next);
  }

  private async reconcileEndpoints(ep: { ip: string; port: number }): Promise<void> {
    const subsets = [{ addresses: [{ ip: ep.ip }], ports: endpointPorts(ep.port) }];
    const labels = { ...KUBE_DNS_LABELS, 'endpointslice.kubernetes.io/skip-mirror': 'true' };
    const cur = await this.current(this.endpointsClient);
    if (!cur) {
      await this.endpointsClient.create({
        apiVersion: 'v1',
        kind: 'Endpoints',
        metadata: { name: KUBE_DNS_NAME, namespace: KUBE_DNS_NAMESPACE, labels },
        subsets,
      });
      return;
    }
    if (same(cur.subsets, subsets)) return;
    await this.endpointsClient.update({ ...cur, metadata: { ...cur.metadata, labels: { ...cur.metadata.labels, ...labels } }, subsets });
  }

  private async reconcileSlice(ep: { ip: string; port: number }): Promise<void> {
    const endpoints = [{ addresses: [ep.ip], conditions: { ready: true, serving: true, terminating: false } }];
    const ports = endpointPorts(ep.port);
    const labels = { ...KUBE_DNS_LABELS, [LABEL_SERVICE_NAME]: KUBE_DNS_NAME, [LABEL_MANAGED_BY]: KUBE_DNS_MANAGER };
    const cur = await this.current(this.slices);
    if (!cur) {
      await this.slices.create({
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: { name: KUBE_DNS_NAME, namespace: KUBE_DNS_NAMESPACE, labels },
        addressType: 'IPv4',
        endpoints,
        ports,
      });
      this.log.info({ ip: ep.ip, port: ep.port }, 'Published the kube-dns endpoint');
      return;
    }
    const labelsOk = Object.entries(labels).every(([k, v]) => cur.metadata.labels?.[k] === v);
    if (labelsOk && same([cur.endpoints, cur.ports], [endpoints, ports])) return;
    await this.slices.update({ ...cur, metadata: { ...cur.metadata, labels: { ...cur.metadata.labels, ...labels } }, addressType: 'IPv4', endpoints, ports });
    this.log.info({ ip: ep.ip, port: ep.port }, 'Published the kube-dns endpoint');
  }
}
