// Keeps the DNS server's ClusterRecords in step with the cluster: informers on Services, EndpointSlices,
// Namespaces and Pods (what upstream's system:coredns ClusterRole lets CoreDNS list and watch).
import type { Service } from '../api/core/v1/service_types.js';
import type { Namespace, Pod } from '../api/core/v1/types.js';
import type { EndpointSlice } from '../api/discovery/v1/types.js';
import type { SharedInformerFactory } from '../client/informer_factory.js';
import { Resources } from '../client/typed.js';
import type { HandlerRegistration } from '../client/shared_informer.js';
import type { ClusterRecords } from './records.js';

export class ClusterWatch {
  private registrations: HandlerRegistration[] = [];

  constructor(
    private readonly factory: SharedInformerFactory,
    private readonly records: ClusterRecords,
  ) {}

  /** Registers the handlers and starts the informers; resolves once the first lists are in the records. */
  async start(): Promise<void> {
    const r = this.records;
    const services = this.factory.informerFor<Service>(Resources.services);
    const slices = this.factory.informerFor<EndpointSlice>(Resources.endpointSlices);
    const namespaces = this.factory.namespaces();
    const pods = this.factory.pods();
    this.registrations.push(
      services.addEventHandler({ onAdd: (s) => r.upsertService(s), onUpdate: (_o, s) => r.upsertService(s), onDelete: (s) => r.deleteService(s) }),
      slices.addEventHandler({ onAdd: (s) => r.upsertSlice(s), onUpdate: (_o, s) => r.upsertSlice(s), onDelete: (s) => r.deleteSlice(s) }),
      namespaces.addEventHandler({
        onAdd: (n: Namespace) => r.upsertNamespace(n.metadata.name!),
        onUpdate: (_o, n) => r.upsertNamespace(n.metadata.name!),
        onDelete: (n) => r.deleteNamespace(n.metadata.name!),
      }),
      pods.addEventHandler({
        onAdd: (p: Pod) => r.upsertPod(p),
        onUpdate: (o, p) => {
          if (o.status?.podIP !== p.status?.podIP) r.upsertPod(p);
        },
        onDelete: (p) => r.deletePod(p),
      }),
    );
    this.factory.start();
    await Promise.all(this.registrations.map((x) => x.waitForSync()));
  }

  stop(): void {
    for (const x of this.registrations) x.remove();
    this.registrations = [];
  }
}
