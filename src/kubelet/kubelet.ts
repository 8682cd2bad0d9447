// The node agent (upstream Kubelet): registers the Node, watches the pods bound to it, and drives each one
// to its desired state through pod workers (PLEG wake-ups, periodic resync), the runtime manager and the
// status manager; also serves container logs through the KubeletServer and garbage-collects orphans.
// The pod workers own each pod's lifecycle and call this file's three syncs: syncPod (run it),
// syncTerminatingPod (stop it within the grace period) and syncTerminatedPod (release volumes and the
// sandbox, then let the status manager delete the object). The runtime is reached only through the CRI
// interfaces (runtime/cri.ts), so a fake runtime can drive all of this in unit tests.
// Probes: a ProberManager feeds started/ready into the generated status and liveness/startup kills into
// computePodActions; result changes wake the pod's worker.
// Sync cost is O(the pod's own containers): the runtime view comes from the PLEG's relist cache (or a read of
// just that pod), volumes are re-projected only when their inputs changed, and each pod resyncs on its own
// jittered period instead of every pod at once.
//
// Log resolver for the KubeletServer / API proxy: `kubelet.resolveContainerLog(namespace, pod, container,
// previous)` → `{ logPath, running }` (the CRI-format log file of the container's current — or, with
// previous, last terminated — instance), undefined for unknown pods, ContainerLogError(400) while waiting.
import os from 'node:os';
import path from 'node:path';
import { mkdirSync } from 'node:fs';
import type { Pod, PodStatus, ResourceList, Secret } from '../api/core/v1/types.js';
import type { Service } from '../api/core/v1/service_types.js';
import { quantityToBytes } from '../api/quantity.js';
import type { KubeObject } from '../api/types.js';
import { SharedInformerFactory } from '../client/informer_factory.js';
import type { KubeClient } from '../client/rest.js';
import { Resources } from '../client/typed.js';
import type { HandlerRegistration, SharedIndexInformer } from '../client/shared_informer.js';
import { EventRecorder } from '../client/events.js';
import { RuncRuntimeService, readNodeUsage, type ImageService, type RuntimeService } from '../runtime/index.js';
import { ImageStore } from '../runtime/images/index.js';
import { containerFieldPath, type Recorder } from './events.js';
import { dockerConfigsFromSecrets, ImageManager } from './images/image_manager.js';
import { Backoff, defaultRestartBackoff, type BackoffOptions } from './kuberuntime/backoff.js';
import { hasPodActions, KubeRuntimeManager, type VolumeManagerLike } from './kuberuntime/runtime_manager.js';
import { RuntimePodCache } from './kuberuntime/pod_cache.js';
import { containerHistory, emptyPodStatus, type RuntimePodStatus } from './kuberuntime/pod_status.js';
import { hostAddresses, hostCapacity, runcVersion, systemInfo } from './nodestatus/host.js';
import { NodeLeaseController } from './nodestatus/lease.js';
import { NodeStatusReporter } from './nodestatus/registration.js';
import type { NodeFacts } from './nodestatus/node_status.js';
import { InformerObjectSource, referencedObjects } from './object_source.js';
import { podServiceEnv } from './service_env.js';
import { GenericPLEG } from './pleg.js';
import { PodWorkers, type SyncPodOutcome, type SyncTerminatedOutcome, type UpdateType } from './pod_workers.js';
import { ContainerLogError, KubeletServer, type NodeServingTLS } from './server/index.js';
import type { NodeAuthorizer, NodeTokenAuthenticator } from './server/auth.js';
import { StatsProvider } from './stats/provider.js';
import { EvictionManager } from './eviction/eviction_manager.js';
import { DEFAULT_EVICTION_HARD, parseThresholds, thresholdValue, type Threshold } from './eviction/thresholds.js';
import { installStreamingHandlers, RuntimeStreamingBackend } from './server/streaming/index.js';
import { ProberManager } from './prober/prober_manager.js';
import { initialResult } from './prober/worker.js';
import { generateAPIPodStatus, type WaitingReason } from './status/generate.js';
import { StatusManager } from './status/status_manager.js';
import { VolumeManager } from './volumes/manager.js';
import { ContainerConfigError } from './volumes/types.js';
import { VolumeRefreshPolicy } from './volumes/refresh.js';
import { syncLogFields } from './sync_log.js';
import { errMessage, logger, objRef, type Logger } from '../log/logger.js';
import { DNSConfigurer } from './network/dns.js';

export interface KubeletOptions {
  client: KubeClient;
  /** Default: the host name (lower-cased). */
  nodeName?: string;
  dataDir: string;
  /** Linux bridge for pod networking (≤ 15 chars). */
  bridgeName: string;
  /** Cluster pod range: pod traffic leaving it is masqueraded (the node's podCIDR comes from the nodeipam controller). */
  clusterCIDR?: string;
  /** Use this pod range instead of waiting for spec.podCIDR (standalone nodes, like upstream --pod-cidr). */
  podCIDR?: string;
  /** Port of the kubelet's HTTP endpoint; 0 = any free port. */
  kubeletPort: number;
  kubeletAddress?: string;
  /** The endpoint's serving certificate and client CA (HTTPS, every request authorized); without: plain HTTP (tests). */
  serverTLS?: NodeServingTLS;
  /** Decides requests to the endpoint (default: the API server's kubelet client identity and cluster admins). */
  serverAuthorizer?: NodeAuthorizer;
  /** Bearer tokens on the endpoint (upstream --authentication-token-webhook); without: client certificates only. */
  serverTokenAuthenticator?: NodeTokenAuthenticator;
  backoff?: Partial<BackoffOptions>;
  /** Periodic resync of each pod (deadlines, drift), jittered per pod over [1, 1.5] × this. Default 10 s. */
  syncFrequencyMs?: number;
  /** Safety-net re-projection of configMap/secret/downwardAPI/projected volumes (changes apply at once). Default 60 s. */
  volumeRefreshMs?: number;
  plegPeriodMs?: number;
  nodeStatusUpdateMs?: number;
  leaseRenewMs?: number;
  cgroupParent?: string;
  /** --cluster-dns: the cluster DNS servers ClusterFirst pods use (empty: those pods get the host's resolv.conf). */
  clusterDNS?: string[];
  /** --cluster-domain (default cluster.local). */
  clusterDomain?: string;
  /** --resolv-conf: the host resolver config for dnsPolicy Default and the host search path (default /etc/resolv.conf). */
  resolvConf?: string;
  /** Reported as nodeInfo.kubeletVersion; default: the API server's gitVersion. */
  kubeletVersion?: string;
  recorder?: Recorder;
  /** Default: the kubelet component logger; every line also carries node. */
  log?: Logger;
  /** The container runtime's logger (default: the runtime component logger). */
  runtimeLog?: Logger;
  /** Receives the timer lateness (ms) of every periodic probe tick (bench, metrics). */
  observeProbeLateness?: (lateMs: number, kind: 'liveness' | 'readiness' | 'startup') => void;
  /** The CRI runtime to use (tests: test/helpers/fake_runtime.ts); default runc + conmon + CNI on the node's podCIDR. */
  runtime?: RuntimeService;
  /** The CRI image service; default the image store in dataDir. */
  imageService?: ImageService;
  /** The volume manager; default src/kubelet/volumes over <dataDir>/pods. */
  volumeManager?: VolumeManagerLike;
  /** Period (ms) of the resource-stats sampler (CPU rates need a previous reading); 0 = off. Default 10 s. */
  statsSamplePeriodMs?: number;
  /** Clock (epoch ms) of the restart back-off; default Date.now. */
  clock?: () => number;
  /** --eviction-hard: "memory.available<100Mi,nodefs.available<10%,..." (default upstream's). */
  evictionHard?: string;
  /** The eviction manager's monitoring interval (default 10 s). */
  evictionMonitoringMs?: number;
}

interface LogTarget {
  logPath: string;
  running: boolean;
}

const isTerminalPhase = (p?: string) => p === 'Succeeded' || p === 'Failed';
/** Upstream wait.Jitter: d plus up to factor × d. */
const jitter = (d: number, factor: number) => d + Math.random() * factor * d;
const resyncJitterFactor = 0.5;
const nowRFC3339 = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

export class Kubelet {
  readonly nodeName: string;
  readonly dataDir: string;
  private readonly log: Logger;
  private readonly client: KubeClient;
  private recorder!: Recorder;
  private eventRecorder?: EventRecorder;
  private informers!: SharedInformerFactory;
  private podInformer!: SharedIndexInformer<Pod>;
  /** Every Service (their variables go into containers' environments, as upstream's service lister). */
  private serviceInformer!: SharedIndexInformer<Service>;
  private podSource!: HandlerRegistration;
  private objects!: InformerObjectSource;
  /** The pods the API has bound to this node (the newest copy of each). */
  private pods = new Map<string, Pod>();
  private reasons = new Map<string, Map<string, WaitingReason>>();
  private workers: PodWorkers;
  private pleg?: GenericPLEG;
  private status!: StatusManager;
  private probes?: ProberManager;
  private nodeReporter!: NodeStatusReporter;
  private lease?: NodeLeaseController;
  private runtime?: RuntimeService;
  private manager?: KubeRuntimeManager;
  private volumes?: VolumeManagerLike;
  private volumeRefresh: VolumeRefreshPolicy;
  private podCache = new RuntimePodCache();
  private store: ImageService;
  private backoff: Backoff;
  private imageBackoff: Backoff;
  private server?: KubeletServer;
  private resyncTimer?: NodeJS.Timeout;
  private stats?: StatsProvider;
  private eviction?: EvictionManager;
  /** Pods the eviction manager chose, with their message: the next sync fails them (reason Evicted). */
  private evicted = new Map<string, string>();
  private stopped = false;
  private networkReady = false;
  private networkWaiters: (() => void)[] = [];
  private facts!: NodeFacts;
  private kubeVersion?: string;
  port = 0;

  constructor(readonly opts: KubeletOptions) {
    this.client = opts.client;
    this.nodeName = (opts.nodeName || os.hostname()).toLowerCase();
    this.dataDir = path.resolve(opts.dataDir);
    mkdirSync(this.dataDir, { recursive: true });
    this.log = (opts.log ?? logger('kubelet')).child({ node: this.nodeName });
    this.store = opts.imageService ?? new ImageStore(this.dataDir);
    const bo = { ...defaultRestartBackoff, ...(opts.backoff ?? {}) };
    this.backoff = new Backoff(bo, opts.clock);
    this.imageBackoff = new Backoff(bo, opts.clock);
    this.volumeRefresh = new VolumeRefreshPolicy(opts.volumeRefreshMs ?? 60_000);
    this.workers = new PodWorkers({
      syncPod: (pod) => this.syncAndResync(pod),
      syncTerminatingPod: (pod, grace, signal, removed) => this.syncTerminatingPod(pod, grace, signal, removed),
      syncTerminatedPod: (pod, _signal, removed) => this.syncTerminatedPod(pod, removed),
    });
    this.workers.onError = (uid, err) => this.log.error({ pod: this.podRef(uid), podUID: uid, err: errMessage(err) }, 'Error syncing pod, skipping');
  }

  // ---- lifecycle ------------------------------------------------------------------------------------------

  async start(): Promise<void> {
    const version =
      this.opts.kubeletVersion ??
      (await this.client
        .get<{ gitVersion?: string }>('/version')
        .then((v) => v.gitVersion ?? 'v0.0.0')
        .catch(() => 'v0.0.0'));
    if (this.opts.recorder) this.recorder = this.opts.recorder;
    else {
      this.eventRecorder = new EventRecorder(this.client, { component: 'kubelet', host: this.nodeName }, (e) =>
        this.log.warn({ err: errMessage(e) }, 'Writing event failed'),
      );
      const er = this.eventRecorder;
      this.recorder = { event: (obj, type, reason, message) => er.event(withKind(obj), type, reason, message) };
    }
    this.kubeVersion = version;
    this.probes = new ProberManager({
      exec: (id, cmd, t) => (this.runtime ? this.runtime.execSync(id, cmd, t) : Promise.reject(new Error('container runtime not ready'))),
      recorder: this.recorder,
      kubeVersion: version,
      observeLateness: this.opts.observeProbeLateness,
    });
    this.probes.onResult((u) => {
      // A new container instance starts from the default result: nothing to act on yet.
      if (u.previous === undefined && u.result === initialResult(u.kind)) return;
      // results are published only when they change: this is a transition, not a tick
      this.log.info(
        { pod: this.podRef(u.podUID), container: u.containerName, probe: u.kind, result: u.result, previous: u.previous ?? null },
        'Probe result changed',
      );
      if (this.pods.has(u.podUID)) this.workers.sync(u.podUID);
    });
    await this.startServer();
    const rtVersion = await runcVersion();
    const thresholds = parseThresholds(this.opts.evictionHard ?? DEFAULT_EVICTION_HARD);
    const capacity = hostCapacity(this.dataDir);
    this.eviction = new EvictionManager({
      thresholds,
      dataDir: this.dataDir,
      activePods: () =>
        [...this.pods.values()].filter((p) => !p.metadata.deletionTimestamp && !isTerminalPhase(p.status?.phase) && !this.evicted.has(p.metadata.uid!)),
      podMemory: async () => {
        const sum = await this.stats?.summary();
        return new Map((sum?.pods ?? []).map((p) => [p.podRef.uid, p.memory?.workingSetBytes ?? 0]));
      },
      evict: (pod, message) => this.evictPod(pod, message),
      intervalMs: this.opts.evictionMonitoringMs,
    });
    const eviction = this.eviction;
    // status.images as upstream's setter: largest first, at most 50, digests then tags
    const imageList = () =>
      [...this.store.listImages()]
        .sort((a, b) => b.size - a.size)
        .slice(0, 50)
        .map((i) => ({ names: [...i.repoDigests, ...i.refs], sizeBytes: i.size }));
    this.facts = {
      nodeName: this.nodeName,
      capacity,
      allocatable: allocatableFrom(capacity, thresholds),
      addresses: hostAddresses(this.nodeName, this.opts.kubeletAddress),
      nodeInfo: systemInfo(version, rtVersion),
      kubeletPort: this.port,
      get pressure() {
        return eviction.pressure();
      },
      get images() {
        return imageList();
      },
    };
    this.status = new StatusManager(this.client, { cachedPod: (uid) => this.pods.get(uid) ?? this.workers.pod(uid), log: this.log });
    this.status.start();
    this.nodeReporter = new NodeStatusReporter(this.client, () => this.facts, this.opts.nodeStatusUpdateMs ?? 10_000, this.log);
    await this.nodeReporter.register();
    this.nodeReporter.start();
    this.lease = new NodeLeaseController(
      this.client,
      this.nodeName,
      () => this.nodeReporter.current?.metadata.uid,
      this.opts.leaseRenewMs ?? 10_000,
      40,
      this.log,
    );
    this.lease.start();
    this.eviction.start();

    // Secrets/ConfigMaps: one watch per object the node's pods reference (registered in onPod).
    this.objects = new InformerObjectSource(this.client, (kind, ns, name) => this.onObjectChanged(kind, ns, name));
    this.objects.start();
    this.informers = new SharedInformerFactory(this.client);
    this.podInformer = this.informers.pods({ fieldSelector: `spec.nodeName=${this.nodeName}` });
    this.podSource = this.podInformer.addEventHandler({
      onAdd: (p) => this.onPod(p, 'create'),
      onUpdate: (_o, p) => this.onPod(p, 'update'),
      onDelete: (p) => {
        const uid = p.metadata.uid!;
        this.pods.delete(uid);
        this.objects.unregisterPod(uid);
        this.probes?.removePod(uid);
        // The API removes a bound pod before the kubelet is done only on a grace-0 (forced) delete: no grace is left.
        this.workers.updatePod({ updateType: 'kill', pod: p, removed: true, killPodOptions: { gracePeriodSecondsOverride: 0 } });
      },
    });
    this.serviceInformer = this.informers.informerFor<Service>(Resources.services);
    this.informers.start();
    void this.startRuntime();
  }

  /** Waits for the node's podCIDR, then brings up the runtime, volumes, PLEG and the pod workers. */
  private async startRuntime(): Promise<void> {
    let cidr: string | undefined = this.opts.podCIDR;
    while (!this.stopped && !cidr) cidr = await this.nodeReporter.waitForPodCIDR(5_000);
    if (this.stopped || !cidr) return;
    this.log.info({ podCIDR: cidr }, 'Node podCIDR known, starting the container runtime');
    this.runtime =
      this.opts.runtime ??
      new RuncRuntimeService({
        dataDir: this.dataDir,
        bridgeName: this.opts.bridgeName,
        podSubnet: cidr,
        clusterCIDR: this.opts.clusterCIDR,
        cgroupParent: this.opts.cgroupParent,
        log: this.opts.runtimeLog,
      });
    try {
      await this.runtime.verify?.();
    } catch (e) {
      this.log.error({ err: errMessage(e) }, 'Container runtime binaries missing');
    }
    if (this.opts.volumeManager) this.volumes = this.opts.volumeManager;
    else {
      const podsDir = path.join(this.dataDir, 'pods');
      mkdirSync(podsDir, { recursive: true });
      this.volumes = new VolumeManager(podsDir, this.objects, this.nodeName);
    }
    const images = new ImageManager(this.store, this.recorder, this.imageBackoff, undefined, this.log);
    this.manager = new KubeRuntimeManager({
      runtime: this.runtime,
      store: this.store,
      images,
      recorder: this.recorder,
      backoff: this.backoff,
      volumes: this.volumes,
      source: this.objects,
      nodeName: this.nodeName,
      hostIPs: () => this.hostIPs(),
      nodeAllocatable: () => this.facts.capacity,
      pullSecrets: (pod) => this.pullSecrets(pod),
      log: this.log,
      kubeVersion: this.kubeVersion,
      cache: this.podCache,
      serviceEnv: (pod) => this.serviceEnv(pod),
      dns: new DNSConfigurer({
        clusterDNS: this.opts.clusterDNS ?? [],
        clusterDomain: this.opts.clusterDomain ?? 'cluster.local',
        resolvConf: this.opts.resolvConf ?? '/etc/resolv.conf',
      }),
    });
    this.pleg = new GenericPLEG(
      this.podCache.wrap(this.runtime),
      (ev) => {
        if (ev.type === 'ContainerDied') this.logContainerExit(ev.uid, ev.data);
        if (this.workers.state(ev.uid)) this.workers.sync(ev.uid);
        else if (!this.pods.has(ev.uid) && ev.type !== 'ContainerRemoved') this.killRuntimePod(this.podCache.peek(ev.uid) ?? emptyPodStatus(ev.uid, '', ''));
      },
      this.opts.plegPeriodMs ?? 1000,
    );
    await this.podSource.waitForSync();
    // containers need the Services' variables; a Service list that keeps failing only holds back container starts
    await Promise.race([this.serviceInformer.waitForSync(), new Promise((r) => setTimeout(r, 10_000).unref())]);
    // Recovery: pods the runtime still runs but the API no longer has are garbage.
    try {
      const all = await this.manager.getAllPods();
      for (const [uid, rp] of all) if (!this.pods.has(uid)) this.killRuntimePod(rp);
    } catch (e) {
      this.log.error({ err: errMessage(e) }, 'Initial runtime relist failed');
    }
    this.pleg.start();
    this.networkReady = true;
    this.networkWaiters.splice(0).forEach((r) => r());
    for (const uid of this.pods.keys()) this.workers.sync(uid);
    // Each pod's periodic resync is scheduled by its own sync (syncAndResync); this only ages out backoffs.
    const gc = () => {
      if (this.stopped) return;
      this.backoff.gc();
      this.resyncTimer = setTimeout(gc, this.opts.syncFrequencyMs ?? 10_000);
    };
    this.resyncTimer = setTimeout(gc, this.opts.syncFrequencyMs ?? 10_000);
  }

  private async startServer(): Promise<void> {
    try {
      const srv = new KubeletServer((ns, pod, c, prev) => this.resolveContainerLog(ns, pod, c, prev), {
        tls: this.opts.serverTLS,
        nodeName: this.nodeName,
        authorizer: this.opts.serverAuthorizer,
        tokenAuthenticator: this.opts.serverTokenAuthenticator,
      });
      // exec / attach / port-forward (issue 5): the streaming handlers resolve pods through these.
      installStreamingHandlers(
        srv,
        new RuntimeStreamingBackend({
          // exec/attach/port-forward stream through runc itself (upstream: the runtime's streaming server)
          runtime: () => (this.runtime instanceof RuncRuntimeService ? this.runtime : undefined),
          findPod: (ns, name) => [...this.pods.values()].find((p) => p.metadata.namespace === ns && p.metadata.name === name),
          podStatus: (p) => this.manager!.readPodStatus({ uid: p.metadata.uid!, name: p.metadata.name!, namespace: p.metadata.namespace ?? 'default' }),
        }),
      );
      this.stats = new StatsProvider({
        nodeName: this.nodeName,
        runtime: () => this.runtime,
        nodeUsage: () => readNodeUsage(),
        samplePeriodMs: this.opts.statsSamplePeriodMs,
      });
      srv.setStatsSource(this.stats);
      this.stats.start();
      this.port = await srv.listen(this.opts.kubeletAddress ?? '127.0.0.1', this.opts.kubeletPort);
      this.server = srv;
    } catch (e) {
      this.log.error({ err: errMessage(e) }, 'Kubelet server not started');
    }
  }

  /** Swap the endpoint's serving certificate (rotation) without a restart. */
  setServingCertificate(pair: { cert: string; key: string }): void {
    if (this.opts.serverTLS) this.opts.serverTLS = { ...this.opts.serverTLS, ...pair };
    this.server?.setServingCertificate(pair);
  }

  /** Stops the agent's loops. Containers keep running (a restarted agent adopts them). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.resyncTimer) clearTimeout(this.resyncTimer);
    this.stats?.stop();
    this.eviction?.stop();
    this.pleg?.stop();
    void this.informers?.shutdown();
    this.objects?.stop();
    this.lease?.stop();
    this.nodeReporter?.stop();
    this.workers.stop();
    this.probes?.stop();
    await Promise.race([this.workers.waitIdle(), new Promise((r) => setTimeout(r, 5_000))]);
    await this.status?.stop();
    await this.eventRecorder?.flush().catch(() => {});
    await this.server?.close().catch(() => {});
  }

  // ---- watch handlers -------------------------------------------------------------------------------------

  private onPod(p: Pod, updateType: UpdateType): void {
    const uid = p.metadata.uid!;
    this.pods.set(uid, p);
    this.objects.registerPod(p);
    this.probes?.addPod(p);
    this.workers.updatePod({ updateType, pod: p });
  }

  /** A pod only the runtime knows (upstream runningPod): kill it at once and remove what it left. */
  private killRuntimePod(rp: RuntimePodStatus): void {
    const pod: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { uid: rp.uid, name: rp.name, namespace: rp.namespace }, spec: { containers: [] } };
    this.workers.updatePod({ updateType: 'kill', pod, removed: true, killPodOptions: { gracePeriodSecondsOverride: 0 } });
  }

  private onObjectChanged(kind: 'ConfigMap' | 'Secret', ns: string, name: string): void {
    for (const [uid, p] of this.pods) {
      if (p.metadata.namespace !== ns) continue;
      const refs = referencedObjects(p);
      if ((kind === 'ConfigMap' ? refs.configMaps : refs.secrets).has(name)) {
        this.volumeRefresh.invalidate(uid);
        this.workers.sync(uid);
      }
    }
  }

  // ---- helpers --------------------------------------------------------------------------------------------

  /** The pod's Service variables; none can be made before the Services were listed once (upstream's error). */
  private serviceEnv(pod: Pod): Record<string, string> {
    if (!this.serviceInformer.hasSynced()) throw new ContainerConfigError('services have not yet been read at least once, cannot construct envvars');
    return podServiceEnv(this.serviceInformer.list(), pod.metadata.namespace ?? 'default', pod.spec?.enableServiceLinks);
  }

  /** "ns/name" of a pod known by UID (the API's, or the last one seen before it went), else the UID. */
  private podRef(uid: string): string {
    const p = this.pods.get(uid) ?? this.workers.pod(uid);
    return p ? objRef(p.metadata) : uid;
  }

  /** PLEG saw a container exit: one line with its exit code and reason, from the relist it was seen in. */
  private logContainerExit(uid: string, containerId: string): void {
    const pod = this.pleg?.podStatuses().get(uid);
    const c = pod?.containers.find((x) => x.id === containerId);
    if (!c) return;
    this.log.info(
      {
        pod: pod!.namespace ? `${pod!.namespace}/${pod!.name}` : this.podRef(uid),
        container: c.name,
        containerId,
        exitCode: c.exitCode,
        reason: c.reason,
        finishedAt: c.finishedAt,
      },
      'Container exited',
    );
  }

  /** The eviction manager's choice: record it, tell the pod, and let its worker fail and stop it. */
  private evictPod(pod: Pod, message: string): void {
    const uid = pod.metadata.uid!;
    this.log.info({ pod: objRef(pod.metadata), message }, 'Evicting pod');
    this.evicted.set(uid, message);
    this.recorder.event(pod, 'Warning', 'Evicted', message);
    this.workers.sync(uid);
  }

  private hostIPs(): string[] {
    const ip = this.facts?.addresses.find((a) => a.type === 'InternalIP')?.address;
    return ip ? [ip] : [];
  }

  private async pullSecrets(pod: Pod): Promise<import('../runtime/images/index.js').DockerConfigJSON[]> {
    const secrets: Secret[] = [];
    for (const ref of pod.spec?.imagePullSecrets ?? []) {
      if (!ref.name) continue;
      const s = await this.objects.getSecret(pod.metadata.namespace ?? 'default', ref.name).catch(() => undefined);
      if (s) secrets.push(s);
    }
    return dockerConfigsFromSecrets(secrets);
  }

  private podReasons(uid: string): Map<string, WaitingReason> {
    let m = this.reasons.get(uid);
    if (!m) this.reasons.set(uid, (m = new Map()));
    return m;
  }

  private writeStatus(pod: Pod, runtime: RuntimePodStatus, terminal: boolean, override?: Partial<PodStatus>): PodStatus {
    const uid = pod.metadata.uid!;
    const st = generateAPIPodStatus({
      pod,
      runtime,
      oldStatus: this.status.getPodStatus(uid) ?? pod.status,
      reasons: this.reasons.get(uid),
      podIsTerminal: terminal,
      hostIPs: this.hostIPs(),
      now: nowRFC3339(),
      // started/ready from the probes (only ever lowered), before ContainersReady/Ready are computed
      updateContainerStatuses: (s) => this.probes?.updatePodStatus(uid, override?.phase ? { ...s, phase: override.phase } : s),
    });
    if (override) Object.assign(st, override);
    this.status.setPodStatus(pod, st);
    return st;
  }

  private waitForNetwork(): Promise<void> {
    if (this.networkReady) return Promise.resolve();
    return new Promise((r) => this.networkWaiters.push(r));
  }

  // ---- the pod sync loop ----------------------------------------------------------------------------------

  /** The runtime manager once the node has its podCIDR (undefined when the agent stops first). */
  private async runtimeReady(): Promise<KubeRuntimeManager | undefined> {
    if (!this.manager) await this.waitForNetwork();
    return this.stopped ? undefined : this.manager;
  }

  /** One sync, then the pod's next periodic resync at a jittered interval (upstream workerResyncIntervalJitterFactor). */
  private async syncAndResync(pod: Pod): Promise<SyncPodOutcome | void> {
    const out = await this.syncPod(pod);
    if (out?.terminal || this.stopped || !this.pods.has(pod.metadata.uid!)) return out;
    const resync = jitter(this.opts.syncFrequencyMs ?? 10_000, resyncJitterFactor);
    return { ...(out ?? {}), requeueAfterMs: Math.min(out?.requeueAfterMs ?? Infinity, resync) };
  }

  /** Upstream SyncPod: drive a pod that should run toward its spec; `terminal` once it reached Succeeded/Failed. */
  private async syncPod(pod: Pod): Promise<SyncPodOutcome | void> {
    const manager = await this.runtimeReady();
    if (!manager) return;
    const uid = pod.metadata.uid!;
    const meta = { uid, name: pod.metadata.name!, namespace: pod.metadata.namespace ?? 'default' };
    const runtime = await manager.getPodStatus(meta);

    if (isTerminalPhase(pod.status?.phase) || isTerminalPhase(this.status.getPodStatus(uid)?.phase)) return { terminal: true };

    // node-pressure eviction: the pod fails, and its termination stops it (upstream evictPod)
    const evictedMessage = this.evicted.get(uid);
    if (evictedMessage !== undefined) {
      this.writeStatus(pod, runtime, false, { phase: 'Failed', reason: 'Evicted', message: evictedMessage });
      return { terminal: true };
    }

    // activeDeadlineSeconds: the pod fails, and its termination stops it.
    const startTime = this.status.getPodStatus(uid)?.startTime ?? pod.status?.startTime;
    const deadline = pod.spec?.activeDeadlineSeconds;
    if (deadline !== undefined && startTime) {
      const left = Date.parse(startTime) + deadline * 1000 - Date.now();
      if (left <= 0) {
        this.recorder.event(pod, 'Normal', 'DeadlineExceeded', 'Pod was active on the node longer than the specified deadline');
        this.log.info(
          { pod: objRef(pod.metadata), action: 'KillPod', reason: 'DeadlineExceeded' },
          'Pod was active on the node longer than the specified deadline',
        );
        this.writeStatus(pod, runtime, false, {
          phase: 'Failed',
          reason: 'DeadlineExceeded',
          message: 'Pod was active on the node longer than the specified deadline',
        });
        return { terminal: true };
      }
    }

    // Volumes: set up until that succeeded once, then re-projected only when their inputs changed.
    if (this.volumes) {
      try {
        if (this.volumeRefresh.needsSetUp(pod)) {
          await this.volumes.setUp(pod, { podIP: runtime.ips[0], hostIP: this.hostIPs()[0] });
          this.volumeRefresh.setUpDone(pod);
        } else if (this.volumes.refresh && this.volumeRefresh.needsRefresh(pod)) {
          await this.volumes.refresh(pod);
          this.volumeRefresh.refreshed(pod);
        }
      } catch (e) {
        this.recorder.event(pod, 'Warning', 'FailedMount', (e as Error).message);
        this.writeStatus(pod, runtime, false);
        return { requeueAfterMs: 2000 };
      }
    }

    const probes = this.probes;
    const syncStart = Date.now();
    const actions = manager.computeActions(pod, runtime, {
      probeKill: probes ? (c, id) => probes.probeKill(pod, c, id) : undefined,
    });
    // Upstream reports the status before acting: a long start (image pull, postStart hook) shows the
    // containers as ContainerCreating (or their last state), not a Pending pod without container statuses.
    if (hasPodActions(actions)) this.writeStatus(pod, runtime, false);
    const res = await manager.syncPod(pod, runtime, actions, pod.spec?.terminationGracePeriodSeconds ?? 30);
    // Periodic resyncs that change nothing are the steady state: debug only (and no fields built otherwise).
    if (hasPodActions(actions))
      this.log.info(
        { pod: objRef(pod.metadata), ...syncLogFields(actions, res.started, res.reasons, runtime.sandboxes.length > 0), durationMs: Date.now() - syncStart },
        'Pod synced',
      );
    else if (this.log.isLevelEnabled('debug')) this.log.debug({ pod: objRef(pod.metadata), action: 'None', durationMs: Date.now() - syncStart }, 'Pod synced');
    const reasons = this.podReasons(uid);
    for (const name of res.started) reasons.delete(name);
    for (const [name, r] of res.reasons) reasons.set(name, r);
    // Nothing was done: the view the decisions were made on is current.
    const after = hasPodActions(actions) ? await manager.getPodStatus(meta) : runtime;
    const st = this.writeStatus(pod, after, false);
    if (isTerminalPhase(st.phase)) return { terminal: true };
    let requeue = res.requeueAfterMs;
    if (res.started.length && actions.initContainersToStart.length) requeue = Math.min(requeue ?? 200, 200);
    if (deadline !== undefined && startTime) requeue = Math.min(requeue ?? Infinity, Math.max(0, Date.parse(startTime) + deadline * 1000 - Date.now()) + 10);
    return requeue !== undefined && Number.isFinite(requeue) ? { requeueAfterMs: requeue } : undefined;
  }

  /**
   * Upstream SyncTerminatingPod: report the pod not ready, stop its containers within the grace period
   * (preStop, stop signal, SIGKILL; `signal` aborted = a shorter grace period took over) and its sandbox,
   * then write the terminal status. Throws while anything still runs, so the worker retries.
   */
  private async syncTerminatingPod(pod: Pod, gracePeriodSec: number, signal: AbortSignal, removed: boolean): Promise<void> {
    const manager = await this.runtimeReady();
    if (!manager) return;
    const uid = pod.metadata.uid!;
    const meta = { uid, name: pod.metadata.name ?? '', namespace: pod.metadata.namespace ?? '' };
    const inAPI = !removed && this.pods.has(uid);
    const started = Date.now();
    const runtime = await manager.getPodStatus(meta);
    const hadRuntime = runtime.sandboxes.some((s) => s.ready) || runtime.containers.some((c) => c.state === 'running' || c.state === 'created');
    // Report the pod not ready before the containers are stopped (preStop hooks may take the grace period).
    if (inAPI) this.writeStatus(pod, runtime, false);
    await manager.killPod(pod, runtime, gracePeriodSec, signal);
    if (signal.aborted) {
      this.log.info({ pod: this.podRef(uid), gracePeriod: gracePeriodSec }, 'Pod termination cut short by a shorter grace period');
      return;
    }
    const stopped = await manager.getPodStatus(meta);
    const live = stopped.containers.filter((c) => c.state === 'running' || c.state === 'created').map((c) => c.name);
    if (live.length || stopped.sandboxes.some((s) => s.ready)) throw new Error(`pod still running after kill (containers: [${live.join(' ')}])`);
    this.probes?.removePod(uid);
    if (inAPI) this.writeStatus(pod, stopped, true);
    if (hadRuntime)
      this.log.info({ pod: this.podRef(uid), action: 'TerminatePod', gracePeriod: gracePeriodSec, durationMs: Date.now() - started }, 'Pod terminated');
  }

  /**
   * Upstream SyncTerminatedPod: tear the volumes down, and for a deleted pod remove its containers and
   * sandbox; only then does the status manager delete the pod object. Any failure throws (the worker
   * retries) and the object stays. A finished pod that is not deleted keeps its containers (logs).
   */
  private async syncTerminatedPod(pod: Pod, removed: boolean): Promise<SyncTerminatedOutcome | void> {
    const manager = await this.runtimeReady();
    if (!manager) return;
    const uid = pod.metadata.uid!;
    const meta = { uid, name: pod.metadata.name ?? '', namespace: pod.metadata.namespace ?? '' };
    const apiPod = removed ? undefined : this.pods.get(uid);
    await this.volumes?.tearDown(uid);
    this.volumeRefresh.forget(uid);
    if (apiPod && !apiPod.metadata.deletionTimestamp) return;
    const before = await manager.getPodStatus(meta);
    await manager.removePod(before);
    const left = await manager.readPodStatus(meta);
    if (left.containers.length || left.sandboxes.length) {
      throw new Error(`pod resources not reclaimed yet: ${left.sandboxes.length} sandbox(es), ${left.containers.length} container(s) left`);
    }
    // The object goes once its resources are reclaimed; its removal from the API then finishes the worker.
    if (apiPod) {
      this.status.terminated(apiPod);
      return;
    }
    if (before.sandboxes.length || before.containers.length)
      this.log.info({ pod: this.podRef(uid), podUID: uid, action: 'RemovePod' }, 'Cleaned up pod no longer in the API');
    this.reasons.delete(uid);
    this.backoff.resetPrefix(`${uid}/`);
    this.status.forget(uid);
    this.probes?.removePod(uid);
    return { done: true };
  }

  // ---- logs -----------------------------------------------------------------------------------------------

  /** Where the log of a pod's container is (see the file header). */
  async resolveContainerLog(namespace: string, podName: string, container: string, previous: boolean): Promise<LogTarget | undefined> {
    const pod = [...this.pods.values()].find((p) => p.metadata.namespace === namespace && p.metadata.name === podName);
    if (!pod || !this.manager) return undefined;
    const spec = pod.spec ?? { containers: [] };
    const all = [...(spec.initContainers ?? []), ...spec.containers, ...((spec.ephemeralContainers ?? []) as { name: string }[])];
    const name = container || (spec.containers.length === 1 ? spec.containers[0]!.name : '');
    if (!all.some((c) => c.name === name)) {
      throw new ContainerLogError(
        400,
        name
          ? `container ${name} is not valid for pod ${podName}`
          : `a container name must be specified for pod ${podName}, choose one of: [${spec.containers.map((c) => c.name).join(' ')}]`,
      );
    }
    const rt = await this.manager.readPodStatus({ uid: pod.metadata.uid!, name: podName, namespace });
    const history = containerHistory(rt, name);
    const target = previous ? history[1] : history[0];
    if (!target) {
      if (previous) throw new ContainerLogError(400, `previous terminated container "${name}" in pod "${podName}" not found`);
      const reason = this.reasons.get(pod.metadata.uid!)?.get(name)?.reason ?? ((spec.initContainers ?? []).length ? 'PodInitializing' : 'ContainerCreating');
      throw new ContainerLogError(400, `container "${name}" in pod "${podName}" is waiting to start: ${reason}`);
    }
    return { logPath: target.logPath, running: target.state === 'running' };
  }

  /** Test/diagnostic hook: the runtime's view of every pod. */
  async runtimePods(): Promise<Map<string, RuntimePodStatus>> {
    return this.manager ? this.manager.getAllPods() : new Map();
  }
}

function withKind(obj: KubeObject): KubeObject {
  if (obj.kind) return obj;
  return { ...obj, apiVersion: 'v1', kind: 'Pod' };
}

export { emptyPodStatus, containerFieldPath };

/** Allocatable as upstream computes it here: capacity less the hard eviction thresholds of memory and nodefs. */
function allocatableFrom(capacity: ResourceList, thresholds: Threshold[]): ResourceList {
  const out: ResourceList = { ...capacity };
  const less = (name: string, signal: Threshold['signal']) => {
    const t = thresholds.find((x) => x.signal === signal);
    const cap = capacity[name];
    if (!t || cap === undefined) return;
    const bytes = quantityToBytes(cap);
    const left = Math.max(0, bytes - thresholdValue(t, bytes));
    out[name] = `${Math.floor(left / 1024)}Ki`;
  };
  less('memory', 'memory.available');
  less('ephemeral-storage', 'nodefs.available');
  return out;
}
