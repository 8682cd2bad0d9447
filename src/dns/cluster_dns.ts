// The cluster DNS component (k8ts's CoreDNS with its kubernetes and forward plugins): the records the
// informers keep, the server on its address, the forwarder to the host's resolvers and the kube-dns Service
// publisher, started and stopped together. `k8ts server` runs one in-process; `k8ts dns` runs it alone.
import { KubeClient } from '../client/rest.js';
import { SharedInformerFactory } from '../client/informer_factory.js';
import { logger, type Logger } from '../log/logger.js';
import { ClusterRecords } from './records.js';
import { ClusterWatch } from './cluster_watch.js';
import { DNSServer } from './server.js';
import { Forwarder, upstreamsFromResolvConf } from './forwarder.js';
import { KubeDNSService } from './kube_dns_service.js';

export interface ClusterDNSOptions {
  client: KubeClient;
  /** cluster.local */
  clusterDomain: string;
  /** The kube-dns Service's ClusterIP. */
  clusterIP: string;
  listenHost: string;
  /** 0: any free port. */
  listenPort: number;
  /** The host's resolvers for names outside the cluster ('' = none: such queries are REFUSED). */
  resolvConf: string;
  /** Publish the kube-dns Service and its endpoints (off: someone else does). Default on. */
  publishService?: boolean;
  log?: Logger;
}

export class ClusterDNS {
  readonly records = new ClusterRecords();
  readonly server: DNSServer;
  private readonly factory: SharedInformerFactory;
  private readonly watch: ClusterWatch;
  private readonly forwarder: Forwarder;
  private readonly publisher?: KubeDNSService;
  private readonly log: Logger;
  port = 0;

  constructor(private readonly o: ClusterDNSOptions) {
    this.log = o.log ?? logger('dns');
    this.factory = new SharedInformerFactory(o.client);
    this.watch = new ClusterWatch(this.factory, this.records);
    // never forward to ourselves (a host whose resolv.conf names the cluster DNS)
    this.forwarder = new Forwarder({ upstreams: o.resolvConf ? upstreamsFromResolvConf(o.resolvConf, [o.clusterIP]) : [] });
    const domain = o.clusterDomain.toLowerCase().replace(/\.$/, '');
    this.server = new DNSServer({
      records: this.records,
      zone: { domain, dnsIP: o.clusterIP, ttl: 5, serial: Math.floor(Date.now() / 1000) },
      forwarder: this.forwarder,
      log: this.log,
    });
    if (o.publishService !== false) this.publisher = new KubeDNSService({ client: o.client, clusterIP: o.clusterIP, log: this.log });
  }

  /** Listens (answers come from the records as the informers fill them), starts watching and publishing. */
  async start(): Promise<number> {
    this.port = await this.server.listen(this.o.listenHost, this.o.listenPort);
    this.publisher?.start();
    const synced = this.watch.start();
    this.log.info(
      { address: this.o.listenHost, port: this.port, domain: this.o.clusterDomain, clusterIP: this.o.clusterIP, upstreams: this.forwarder.upstreams.length },
      'Cluster DNS serving',
    );
    await synced;
    return this.port;
  }

  /** Where pods reach this server (the kube-dns endpoint); the port is the one it listens on. */
  publishEndpoint(ip: string): void {
    this.publisher?.setEndpoint(ip, this.port);
  }

  async stop(): Promise<void> {
    this.watch.stop();
    await this.publisher?.stop();
    await this.factory.shutdown();
    await this.server.close();
    this.forwarder.close();
  }
}
