// Simulated nodes for scale work (KWOK-style, `k8ts sim`): Node objects named sim-<i> labelled
// k8ts.io/simulated=true with hostname and zone labels, capacity and a Ready condition, a Lease in
// kube-node-lease renewed every heartbeat interval, and for each pod bound to one of them a status write
// (Running, Ready, a fake IP) after a settable delay; a pod being deleted is removed at once. Nothing runs:
// never use these nodes where a real node agent is under test.
import type { Node, Pod } from '../api/core/v1/types.js';
import { isStatusError } from '../api/errors.js';
import { SharedInformerFactory } from '../client/informer_factory.js';
import type { KubeClient } from '../client/rest.js';
import type { HandlerRegistration } from '../client/shared_informer.js';
import { coreV1 } from '../client/typed.js';
import type { Logger } from '../log/logger.js';

export const SIMULATED_LABEL = 'k8ts.io/simulated';
export const SIM_NODE_PREFIX = 'sim-';

export interface SimOptions {
  nodes: number;
  /** Node `pods` capacity (default 110). */
  podsPerNode?: number;
  /** Zones the nodes are spread over (topology.kubernetes.io/zone = zone-<i % zones>; default 3). */
  zones?: number;
  cpu?: string;
  memory?: string;
  /** Lease renewal interval (default 10 s, the kubelet's). */
  heartbeatMs?: number;
  /** Delay between a pod's binding and its Running status (default 0). */
  podStartDelayMs?: number;
  /**
   * Write pods' Running/Ready status (default true). false: bound pods stay as the scheduler left them
   * (scheduler_perf's fake nodes run nothing); pods being deleted are still removed at once.
   */
  runPods?: boolean;
  /** Concurrent API writes (default 32). */
  concurrency?: number;
  /** First node index (several sims side by side). */
  offset?: number;
  logger?: Logger;
  factory?: SharedInformerFactory;
}

function micro(d = new Date()): string {
  return d.toISOString().replace('Z', '000Z');
}

function secs(d = new Date()): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function simNodeName(i: number): string {
  return `${SIM_NODE_PREFIX}${String(i).padStart(5, '0')}`;
}

/** A small limiter: at most `n` writes in flight. */
class Limiter {
  private active = 0;
  private waiting: (() => void)[] = [];
  constructor(private readonly n: number) {}
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.n) await new Promise<void>((r) => this.waiting.push(r));
    this.active++;
    try {
      return await fn();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

export class SimulatedNodes {
  private readonly names = new Map<string, number>();
  private readonly factory: SharedInformerFactory;
  private readonly ownsFactory: boolean;
  private readonly limiter: Limiter;
  /** Lease renewals have their own writes in flight: heartbeats never queue behind a backlog of pod status writes. */
  private readonly leaseLimiter: Limiter;
  private renewing = false;
  private registration?: HandlerRegistration;
  private heartbeat?: NodeJS.Timeout;
  private readonly handled = new Set<string>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private podSeq = new Map<string, number>();
  private stopped = false;

  constructor(
    private readonly client: KubeClient,
    private readonly opts: SimOptions,
  ) {
    this.factory = opts.factory ?? new SharedInformerFactory(client);
    this.ownsFactory = !opts.factory;
    this.limiter = new Limiter(opts.concurrency ?? 32);
    this.leaseLimiter = new Limiter(opts.concurrency ?? 32);
    const off = opts.offset ?? 0;
    for (let i = 0; i < opts.nodes; i++) this.names.set(simNodeName(off + i), off + i);
  }

  nodeNames(): string[] {
    return [...this.names.keys()];
  }

  private nodeObject(name: string, i: number): Node {
    const zones = this.opts.zones ?? 3;
    const capacity = {
      cpu: this.opts.cpu ?? '32',
      memory: this.opts.memory ?? '256Gi',
      pods: String(this.opts.podsPerNode ?? 110),
      'ephemeral-storage': '1Ti',
    };
    return {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name,
        labels: {
          'kubernetes.io/hostname': name,
          'kubernetes.io/os': 'linux',
          'kubernetes.io/arch': 'amd64',
          'topology.kubernetes.io/zone': `zone-${i % zones}`,
          [SIMULATED_LABEL]: 'true',
        },
        annotations: { 'node.alpha.kubernetes.io/ttl': '0' },
      },
      spec: {},
      status: {
        capacity,
        allocatable: capacity,
        conditions: [
          {
            type: 'Ready',
            status: 'True',
            reason: 'KubeletReady',
            message: 'simulated node is posting ready status',
            lastHeartbeatTime: secs(),
            lastTransitionTime: secs(),
          },
        ],
        addresses: [
          { type: 'InternalIP', address: `100.127.${(i >> 8) & 255}.${i & 255}` },
          { type: 'Hostname', address: name },
        ],
        nodeInfo: { kubeletVersion: 'v1.33.0-k8ts-sim', operatingSystem: 'linux', architecture: 'amd64' },
      } as unknown as Node['status'],
    };
  }

  private async ignoreExists(p: Promise<unknown>): Promise<void> {
    try {
      await p;
    } catch (e) {
      if (!(isStatusError(e) && e.status.code === 409)) throw e;
    }
  }

  /** Registers the nodes and their leases, then keeps heartbeating and running their pods. */
  async start(): Promise<void> {
    const core = coreV1(this.client);
    await Promise.all(
      [...this.names].map(([name, i]) =>
        this.limiter.run(async () => {
          const node = this.nodeObject(name, i);
          await this.ignoreExists(core.nodes().create(node));
          await core.nodes().patchStatus(name, { status: node.status }, 'merge');
          await this.ignoreExists(core.leases('kube-node-lease').create(this.lease(name)));
        }),
      ),
    );
    const pods = this.factory.pods();
    this.registration = pods.addEventHandler({ onAdd: (p) => this.onPod(p), onUpdate: (_o, p) => this.onPod(p) });
    pods.start();
    const every = this.opts.heartbeatMs ?? 10_000;
    this.heartbeat = setInterval(() => void this.renewLeases(), every);
    this.heartbeat.unref?.();
    this.opts.logger?.info({ nodes: this.names.size }, 'Simulated nodes registered');
  }

  private lease(name: string) {
    return {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name, namespace: 'kube-node-lease' },
      spec: { holderIdentity: name, leaseDurationSeconds: 40, renewTime: micro() },
    };
  }

  private async renewLeases(): Promise<void> {
    // a round slower than the interval is not stacked on by the next one (the backlog would only grow)
    if (this.renewing) return;
    this.renewing = true;
    const leases = coreV1(this.client).leases('kube-node-lease');
    try {
      await Promise.all(
        [...this.names.keys()].map((name) =>
          this.leaseLimiter.run(async () => {
            if (this.stopped) return;
            try {
              await leases.patch(name, { spec: { renewTime: micro() } }, 'merge');
            } catch (e) {
              this.opts.logger?.warn({ node: name, err: String(e) }, 'renewing simulated lease failed');
            }
          }),
        ),
      );
    } finally {
      this.renewing = false;
    }
  }

  private onPod(pod: Pod): void {
    const node = pod.spec?.nodeName;
    if (!node || !this.names.has(node) || this.stopped) return;
    const key = `${pod.metadata.namespace}/${pod.metadata.name}`;
    const pods = coreV1(this.client).pods(pod.metadata.namespace);
    if (pod.metadata.deletionTimestamp) {
      // no containers to stop: the simulated kubelet removes the pod at once
      void this.limiter.run(() => pods.delete(pod.metadata.name!, { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata.uid } }).catch(() => undefined));
      this.handled.delete(key);
      return;
    }
    if (this.opts.runPods === false || pod.status?.phase === 'Running' || this.handled.has(key)) return;
    this.handled.add(key);
    const run = () => void this.limiter.run(() => this.markRunning(pod, node).catch(() => this.handled.delete(key)));
    const delay = this.opts.podStartDelayMs ?? 0;
    if (delay <= 0) run();
    else {
      const t = setTimeout(() => {
        this.timers.delete(t);
        run();
      }, delay);
      this.timers.add(t);
    }
  }

  private async markRunning(pod: Pod, node: string): Promise<void> {
    const i = this.names.get(node)!;
    const seq = (this.podSeq.get(node) ?? 0) + 1;
    this.podSeq.set(node, seq);
    const ip = `100.${64 + ((i >> 8) & 63)}.${i & 255}.${(seq % 254) + 1}`;
    const now = secs();
    const cond = (type: string) => ({ type, status: 'True', lastProbeTime: null, lastTransitionTime: now });
    const status = {
      phase: 'Running',
      hostIP: `100.127.${(i >> 8) & 255}.${i & 255}`,
      podIP: ip,
      podIPs: [{ ip }],
      startTime: now,
      conditions: ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady'].map(cond),
      containerStatuses: (pod.spec?.containers ?? []).map((c) => ({
        name: c.name,
        image: c.image,
        imageID: `sim://${c.image}`,
        containerID: `sim://${pod.metadata.uid}-${c.name}`,
        ready: true,
        started: true,
        restartCount: 0,
        state: { running: { startedAt: now } },
      })),
    };
    await coreV1(this.client).pods(pod.metadata.namespace).patchStatus(pod.metadata.name!, { status }, 'strategic');
  }

  /** Stops heartbeats and pod handling; `deleteNodes` also removes the nodes and their leases. */
  async stop(o: { deleteNodes?: boolean } = {}): Promise<void> {
    this.stopped = true;
    if (this.heartbeat) clearInterval(this.heartbeat);
    for (const t of this.timers) clearTimeout(t);
    this.registration?.remove();
    if (this.ownsFactory) await this.factory.shutdown();
    if (!o.deleteNodes) return;
    const core = coreV1(this.client);
    await Promise.all(
      [...this.names.keys()].map((name) =>
        this.limiter.run(async () => {
          await core
            .nodes()
            .delete(name)
            .catch(() => undefined);
          await core
            .leases('kube-node-lease')
            .delete(name)
            .catch(() => undefined);
        }),
      ),
    );
  }
}
