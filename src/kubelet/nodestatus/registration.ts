// Registers this host's Node with the API server and keeps its status fresh (upstream
// kubelet_node_status.go): create-or-adopt, periodic status with heartbeats, and waiting for spec.podCIDR.
import { isStatusError } from '../../api/errors.js';
import type { Node } from '../../api/core/v1/types.js';
import type { KubeClient } from '../../client/rest.js';
import { errMessage, type Logger } from '../../log/logger.js';
import { buildNodeStatus, initialNode, type NodeFacts } from './node_status.js';

export class NodeStatusReporter {
  private node?: Node;
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    private readonly client: KubeClient,
    private readonly facts: () => NodeFacts,
    private readonly updateIntervalMs = 10_000,
    private readonly log?: Logger,
  ) {}

  get current(): Node | undefined {
    return this.node;
  }

  private get name(): string {
    return this.facts().nodeName;
  }

  /** Create the Node (or adopt an existing one of the same name) and post a first status. */
  async register(): Promise<Node> {
    const name = this.name;
    try {
      this.node = await this.client.create<Node>('/api/v1/nodes', initialNode(name));
    } catch (e) {
      if (!isStatusError(e) || e.status.code !== 409) throw e;
      this.node = await this.client.get<Node>(`/api/v1/nodes/${name}`);
    }
    await this.update();
    return this.node!;
  }

  /** Post the current status (heartbeat). */
  async update(): Promise<void> {
    const name = this.name;
    for (let i = 0; i < 3; i++) {
      const cur = await this.client.get<Node>(`/api/v1/nodes/${name}`);
      cur.status = buildNodeStatus(this.facts(), cur.status, new Date().toISOString().replace(/\.\d+Z$/, 'Z'));
      try {
        this.node = await this.client.update<Node>(`/api/v1/nodes/${name}/status`, cur);
        return;
      } catch (e) {
        if (!isStatusError(e) || e.status.code !== 409) throw e;
      }
    }
  }

  /** Latest copy of the Node from the API (spec.podCIDR etc.). */
  async refresh(): Promise<Node> {
    this.node = await this.client.get<Node>(`/api/v1/nodes/${this.name}`);
    return this.node;
  }

  /** Poll until the node has a podCIDR (assigned by the nodeipam controller). */
  async waitForPodCIDR(timeoutMs: number, intervalMs = 200): Promise<string | undefined> {
    const end = Date.now() + timeoutMs;
    while (!this.stopped && Date.now() < end) {
      const n = await this.refresh().catch(() => undefined);
      const cidr = n?.spec?.podCIDR ?? n?.spec?.podCIDRs?.[0];
      if (cidr) return cidr;
      await new Promise((r) => setTimeout(r, intervalMs));
    }
    return undefined;
  }

  start(): void {
    const tick = async () => {
      if (this.stopped) return;
      await this.update().catch(async (e) => {
        this.log?.warn({ err: errMessage(e) }, 'Error updating node status, will retry');
        // The Node was deleted from under us: register again.
        await this.register().catch((e2) => this.log?.error({ err: errMessage(e2) }, 'Unable to register node with API server'));
      });
      if (!this.stopped) this.timer = setTimeout(() => void tick(), this.updateIntervalMs);
    };
    this.timer = setTimeout(() => void tick(), this.updateIntervalMs);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }
}
