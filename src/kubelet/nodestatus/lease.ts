// Node heartbeat through a coordination.k8s.io/v1 Lease in kube-node-lease (upstream nodelease controller):
// created on start, renewed every renewIntervalMs, owned by the Node.
import { isStatusError } from '../../api/errors.js';
import type { Lease } from '../../api/core/v1/types.js';
import type { KubeClient } from '../../client/rest.js';
import { errMessage, type Logger } from '../../log/logger.js';

export const leaseNamespace = 'kube-node-lease';

export function microTime(d = new Date()): string {
  return d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

export class NodeLeaseController {
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    private readonly client: KubeClient,
    private readonly nodeName: string,
    private readonly nodeUID: () => string | undefined,
    private readonly renewIntervalMs = 10_000,
    private readonly leaseDurationSeconds = 40,
    private readonly log?: Logger,
  ) {}

  private path(name = ''): string {
    return `/apis/coordination.k8s.io/v1/namespaces/${leaseNamespace}/leases${name ? `/${name}` : ''}`;
  }

  async renew(): Promise<void> {
    const now = microTime();
    let lease: Lease | undefined;
    try {
      lease = await this.client.get<Lease>(this.path(this.nodeName));
    } catch (e) {
      if (!isStatusError(e) || e.status.code !== 404) throw e;
    }
    if (!lease) {
      const uid = this.nodeUID();
      const obj: Lease = {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: {
          name: this.nodeName,
          namespace: leaseNamespace,
          ...(uid ? { ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: this.nodeName, uid }] } : {}),
        },
        spec: { holderIdentity: this.nodeName, leaseDurationSeconds: this.leaseDurationSeconds, renewTime: now },
      };
      await this.client.create(this.path(), obj);
      return;
    }
    lease.spec = { ...(lease.spec ?? {}), holderIdentity: this.nodeName, leaseDurationSeconds: this.leaseDurationSeconds, renewTime: now };
    await this.client.update(this.path(this.nodeName), lease);
  }

  start(): void {
    const tick = async () => {
      if (this.stopped) return;
      await this.renew().catch((e) => this.log?.warn({ err: errMessage(e) }, 'Failed to update lease, will retry'));
      if (!this.stopped) this.timer = setTimeout(() => void tick(), this.renewIntervalMs);
    };
    void tick();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }
}
