// The node agent (upstream Kubelet): registers the Node, watches the pods bound to it, and drives each one
// to its desired state through pod workers (PLEG wake-ups, periodic resync), the runtime manager and the
// status manager; also serves container logs through the KubeletServer and garbage-collects orphans.
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
import type { Pod, PodStatus, Secret } from '../api/core/v1/types.js';
import type { KubeObject } from '../api/types.js';
import { Informer } from '../client/informer.js';
import type { KubeClient } from '../client/rest.js';
import { EventRecorder } from '../client/events.js';
import { RuntimeService } from '../runtime/index.js';
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
import { GenericPLEG } from './pleg.js';
import { PodWorkers, type SyncOutcome } from './pod_workers.js';
import { ContainerLogError, KubeletServer } from './server/index.js';
import { installStreamingHandlers, RuntimeStreamingBackend } from './server/streaming/index.js';
import { ProberManager } from './prober/prober_manager.js';
import { initialResult } from './prober/worker.js';
import { generateAPIPodStatus, type WaitingReason } from './status/generate.js';
import { StatusManager } from './status/status_manager.js';
import { VolumeManager } from './volumes/manager.js';
import { VolumeRefreshPolicy } from './volumes/refresh.js';
import { syncLogFields } from './sync_log.js';
import { errMessage, logger, objRef, type Logger } from '../log/logger.js';

export interface KubeletOptions {
  client: KubeClient;
  /** Default: the host name (lower-cased). */
  nodeName?: string;
  dataDir: string;
  /** Linux bridge for pod networking (≤ 15 chars). */
  bridgeName: string;
  /** Cluster pod range (informational; the node's podCIDR comes from the nodeipam controller). */
  clusterCIDR?: string;
  /** Use this pod range instead of waiting for spec.podCIDR (standalone nodes, like upstream --pod-cidr). */
  podCIDR?: string;
  /** Port of the kubelet's HTTP endpoint; 0 = any free port. */
  kubeletPort: number;
  kubeletAddress?: string;
  backoff?: Partial<BackoffOptions>;
  /** Periodic resync of each pod (deadlines, drift), jittered per pod over [1, 1.5] × this. Default 10 s. */
  syncFrequencyMs?: number;
  /** Safety-net re-projection of configMap/secret/downwardAPI/projected volumes (changes apply at once). Default 60 s. */
  volumeRefreshMs?: number;
  plegPeriodMs?: number;
  nodeStatusUpdateMs?: number;
  leaseRenewMs?: number;
  cgroupParent?: string;
  /** Reported as nodeInfo.kubeletVersion; default: the API server's gitVersion. */
  kubeletVersion?: string;
  recorder?: Recorder;
  /** Default: the kubelet component logger; every line also carries node. */
  log?: Logger;
  /** The container runtime's logger (default: the runtime component logger). */
  runtimeLog?: Logger;
  /** Receives the timer lateness (ms) of every periodic probe tick (bench, metrics). */
  observeProbeLateness?: (lateMs: number, kind: 'liveness' | 'readiness' | 'startup') => void;
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
  private podInformer!: Informer<Pod>;
  private objects!: InformerObjectSource;
  private pods = new Map<string, Pod>();
  /** Last known object of pods that disappeared from the API (for their final kill). */
  private gonePods = new Map<string, Pod>();
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
  private store: ImageStore;
  private backoff: Backoff;
  private imageBackoff: Backoff;
  private server?: { listen(host: string, port: number): Promise<number>; close(): Promise<void> };
  private resyncTimer?: NodeJS.Timeout;
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
    this.store = new ImageStore(this.dataDir);
    const bo = { ...defaultRestartBackoff, ...(opts.backoff ?? {}) };
    this.backoff = new Backoff(bo);
    this.imageBackoff = new Backoff(bo);
    this.volumeRefresh = new VolumeRefreshPolicy(opts.volumeRefreshMs ?? 60_000);
    this.workers = new PodWorkers((uid) => this.syncAndResync(uid));
    this.workers.onError = (uid, err) => this.log.error({ pod: this.podRef(uid), podUID: uid, err: errMessage(err) }, 'Error syncing pod, skipping');
  }

  // ---- lifecycle ------------------------------------------------------------------------------------------

  async start(): Promise<void> {
    const version = this.opts.kubeletVersion ?? (await this.client.get<{ gitVersion?: string }>('/version').then((v) => v.gitVersion ?? 'v0.0.0').catch(() => 'v0.0.0'));
    if (this.opts.recorder) this.recorder = this.opts.recorder;
    else {
      this.eventRecorder = new EventRecorder(this.client, { component: 'kubelet', host: this.nodeName }, (e) => this.log.warn({ err: errMessage(e) }, 'Writing event failed'));
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
      this.log.info({ pod: this.podRef(u.podUID), container: u.containerName, probe: u.kind, result: u.result, previous: u.previous ?? null }, 'Probe result changed');
      if (this.pods.has(u.podUID)) this.workers.update(u.podUID);
    });
    await this.startServer();
    const rtVersion = await runcVersion();
    this.facts = {
      nodeName: this.nodeName,
      capacity: hostCapacity(this.dataDir),
      addresses: hostAddresses(this.nodeName, this.opts.kubeletAddress),
      nodeInfo: systemInfo(version, rtVersion),
      kubeletPort: this.port,
    };
    this.status = new StatusManager(this.client, { cachedPod: (uid) => this.pods.get(uid) ?? this.gonePods.get(uid), log: this.log });
    this.status.start();
    this.nodeReporter = new NodeStatusReporter(this.client, () => this.facts, this.opts.nodeStatusUpdateMs ?? 10_000, this.log);
    await this.nodeReporter.register();
    this.nodeReporter.start();
    this.lease = new NodeLeaseController(this.client, this.nodeName, () => this.nodeReporter.current?.metadata.uid, this.opts.leaseRenewMs ?? 10_000, 40, this.log);
    this.lease.start();

    this.objects = new InformerObjectSource(this.client, (kind, ns, name) => this.onObjectChanged(kind, ns, name));
    this.objects.start();
    this.podInformer = new Informer<Pod>(this.client, '/api/v1/pods', { fieldSelector: `spec.nodeName=${this.nodeName}` });
    this.podInformer.addHandlers({
      onAdd: (p) => this.onPod(p),
      onUpdate: (_o, p) => this.onPod(p),
      onDelete: (p) => {
        const uid = p.metadata.uid!;
        this.pods.delete(uid);
        this.probes?.removePod(uid);
        this.gonePods.set(uid, p);
        this.workers.update(uid);
      },
    });
    this.podInformer.start();
    void this.startRuntime();
  }

  /** Waits for the node's podCIDR, then brings up the runtime, volumes, PLEG and the pod workers. */
  private async startRuntime(): Promise<void> {
    let cidr: string | undefined = this.opts.podCIDR;
    while (!this.stopped && !cidr) cidr = await this.nodeReporter.waitForPodCIDR(5_000);
    if (this.stopped || !cidr) return;
    this.log.info({ podCIDR: cidr }, 'Node podCIDR known, starting the container runtime');
    this.runtime = new RuntimeService({ dataDir: this.dataDir, bridgeName: this.opts.bridgeName, podSubnet: cidr, cgroupParent: this.opts.cgroupParent, log: this.opts.runtimeLog });
    try {
      await this.runtime.verify();
    } catch (e) {
      this.log.error({ err: errMessage(e) }, 'Container runtime binaries missing');
    }
    const podsDir = path.join(this.dataDir, 'pods');
    mkdirSync(podsDir, { recursive: true });
    this.volumes = new VolumeManager(podsDir, this.objects, this.nodeName);
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
    });
    this.pleg = new GenericPLEG(this.podCache.wrap(this.runtime), (ev) => {
      if (ev.type === 'ContainerDied') this.logContainerExit(ev.uid, ev.data);
      if (this.pods.has(ev.uid) || this.gonePods.has(ev.uid) || !this.workers.isRunning(ev.uid)) this.workers.update(ev.uid);
    }, this.opts.plegPeriodMs ?? 1000);
    await this.podInformer.waitForSync();
    // Recovery: pods the runtime still runs but the API no longer has are garbage.
    try {
      const all = await this.manager.getAllPods();
      for (const uid of all.keys()) if (!this.pods.has(uid)) this.workers.update(uid);
    } catch (e) {
      this.log.error({ err: errMessage(e) }, 'Initial runtime relist failed');
    }
    this.pleg.start();
    this.networkReady = true;
    this.networkWaiters.splice(0).forEach((r) => r());
    for (const uid of this.pods.keys()) this.workers.update(uid);
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
      const srv = new KubeletServer((ns, pod, c, prev) => this.resolveContainerLog(ns, pod, c, prev));
      // exec / attach / port-forward (issue 5): the streaming handlers resolve pods through these.
      installStreamingHandlers(srv, new RuntimeStreamingBackend({
        runtime: () => this.runtime,
        findPod: (ns, name) => [...this.pods.values()].find((p) => p.metadata.namespace === ns && p.metadata.name === name),
        podStatus: (p) => this.manager!.readPodStatus({ uid: p.metadata.uid!, name: p.metadata.name!, namespace: p.metadata.namespace ?? 'default' }),
      }));
      this.port = await srv.listen(this.opts.kubeletAddress ?? '127.0.0.1', this.opts.kubeletPort);
      this.server = srv;
    } catch (e) {
      this.log.error({ err: errMessage(e) }, 'Kubelet server not started');
    }
  }

  /** Stops the agent's loops. Containers keep running (a restarted agent adopts them). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.resyncTimer) clearTimeout(this.resyncTimer);
    this.pleg?.stop();
    this.podInformer?.stop();
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

  private onPod(p: Pod): void {
    const uid = p.metadata.uid!;
    this.pods.set(uid, p);
    this.probes?.addPod(p);
    this.workers.update(uid);
  }

  private onObjectChanged(kind: 'ConfigMap' | 'Secret', ns: string, name: string): void {
    for (const [uid, p] of this.pods) {
      if (p.metadata.namespace !== ns) continue;
      const refs = referencedObjects(p);
      if ((kind === 'ConfigMap' ? refs.configMaps : refs.secrets).has(name)) {
        this.volumeRefresh.invalidate(uid);
        this.workers.update(uid);
      }
    }
  }

  // ---- helpers --------------------------------------------------------------------------------------------

  /** "ns/name" of a pod known by UID (the API's, or the last one seen before it went), else the UID. */
  private podRef(uid: string): string {
    const p = this.pods.get(uid) ?? this.gonePods.get(uid);
    return p ? objRef(p.metadata) : uid;
  }

  /** PLEG saw a container exit: one line with its exit code and reason, from the relist it was seen in. */
  private logContainerExit(uid: string, containerId: string): void {
    const pod = this.pleg?.podStatuses().get(uid);
    const c = pod?.containers.find((x) => x.id === containerId);
    if (!c) return;
    this.log.info(
      { pod: pod!.namespace ? `${pod!.namespace}/${pod!.name}` : this.podRef(uid), container: c.name, containerId, exitCode: c.exitCode, reason: c.reason, finishedAt: c.finishedAt },
      'Container exited',
    );
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

  /** Upstream: the pod's deletionGracePeriodSeconds once deleted, else spec.terminationGracePeriodSeconds (30). */
  private gracePeriod(pod: Pod): number {
    if (pod.metadata.deletionTimestamp) return Math.max(0, pod.metadata.deletionGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30);
    return pod.spec?.terminationGracePeriodSeconds ?? 30;
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

  /** One sync, then the pod's next periodic resync at a jittered interval (upstream workerResyncIntervalJitterFactor). */
  private async syncAndResync(uid: string): Promise<SyncOutcome | void> {
    const out = await this.syncPod(uid);
    if (out?.done || this.stopped || !this.pods.has(uid)) return out;
    const resync = jitter(this.opts.syncFrequencyMs ?? 10_000, resyncJitterFactor);
    return { ...(out ?? {}), requeueAfterMs: Math.min(out?.requeueAfterMs ?? Infinity, resync) };
  }

  private async syncPod(uid: string): Promise<SyncOutcome | void> {
    if (this.stopped) return { done: true };
    if (!this.manager) {
      await this.waitForNetwork();
      if (this.stopped) return { done: true };
    }
    const manager = this.manager!;
    const pod = this.pods.get(uid);
    if (!pod) return this.syncOrphan(uid);
    const meta = { uid, name: pod.metadata.name!, namespace: pod.metadata.namespace ?? 'default' };
    const runtime = await manager.getPodStatus(meta);

    // Deleted in the API: stop everything within the grace period, clean up, let the status manager delete it.
    if (pod.metadata.deletionTimestamp) return this.syncTerminating(pod, runtime);

    const apiPhase = pod.status?.phase;
    if (isTerminalPhase(apiPhase) || isTerminalPhase(this.status.getPodStatus(uid)?.phase)) {
      await this.ensureStopped(pod, runtime);
      return;
    }

    // activeDeadlineSeconds
    const startTime = this.status.getPodStatus(uid)?.startTime ?? pod.status?.startTime;
    const deadline = pod.spec?.activeDeadlineSeconds;
    if (deadline !== undefined && startTime) {
      const left = Date.parse(startTime) + deadline * 1000 - Date.now();
      if (left <= 0) {
        this.recorder.event(pod, 'Normal', 'DeadlineExceeded', 'Pod was active on the node longer than the specified deadline');
        this.log.info({ pod: objRef(pod.metadata), action: 'KillPod', reason: 'DeadlineExceeded' }, 'Pod was active on the node longer than the specified deadline');
        await manager.killPod(pod, runtime, this.gracePeriod(pod));
        const after = await manager.getPodStatus(meta);
        this.writeStatus(pod, after, true, { phase: 'Failed', reason: 'DeadlineExceeded', message: 'Pod was active on the node longer than the specified deadline' });
        return;
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
    const res = await manager.syncPod(pod, runtime, actions, this.gracePeriod(pod));
    // Periodic resyncs that change nothing are the steady state: debug only (and no fields built otherwise).
    if (hasPodActions(actions)) this.log.info({ pod: objRef(pod.metadata), ...syncLogFields(actions, res.started, res.reasons, runtime.sandboxes.length > 0), durationMs: Date.now() - syncStart }, 'Pod synced');
    else if (this.log.isLevelEnabled('debug')) this.log.debug({ pod: objRef(pod.metadata), action: 'None', durationMs: Date.now() - syncStart }, 'Pod synced');
    const reasons = this.podReasons(uid);
    for (const name of res.started) reasons.delete(name);
    for (const [name, r] of res.reasons) reasons.set(name, r);
    if (actions.createSandbox || actions.killPod) {
      // a fresh sandbox clears stale reasons of containers that will be retried
    }
    // Nothing was done: the view the decisions were made on is current.
    const after = hasPodActions(actions) ? await manager.getPodStatus(meta) : runtime;
    const st = this.writeStatus(pod, after, false);
    let requeue = res.requeueAfterMs;
    if (res.started.length && actions.initContainersToStart.length) requeue = Math.min(requeue ?? 200, 200);
    if (deadline !== undefined && startTime) requeue = Math.min(requeue ?? Infinity, Math.max(0, Date.parse(startTime) + deadline * 1000 - Date.now()) + 10);
    if (isTerminalPhase(st.phase)) {
      await this.ensureStopped(pod, after);
      const final = await manager.getPodStatus(meta);
      this.writeStatus(pod, final, true);
    }
    return requeue !== undefined && Number.isFinite(requeue) ? { requeueAfterMs: requeue } : undefined;
  }

  /** A finished pod: nothing may run any more (containers kept for logs until the pod is deleted). */
  private async ensureStopped(pod: Pod, runtime: RuntimePodStatus): Promise<void> {
    const live = runtime.containers.some((c) => c.state === 'running' || c.state === 'created') || runtime.sandboxes.some((s) => s.ready);
    if (live) await this.manager!.killPod(pod, runtime, this.gracePeriod(pod));
  }

  private async syncTerminating(pod: Pod, runtime: RuntimePodStatus): Promise<SyncOutcome | void> {
    const manager = this.manager!;
    const uid = pod.metadata.uid!;
    const started = Date.now();
    // Later syncs of a pod being deleted (until the API removes it) find nothing left to stop: debug only.
    const hadRuntime = runtime.sandboxes.length > 0 || runtime.containers.some((c) => c.state === 'running' || c.state === 'created');
    // Report the pod not ready before the containers are stopped (preStop hooks may take the grace period).
    this.writeStatus(pod, runtime, false);
    await manager.killPod(pod, runtime, this.gracePeriod(pod));
    const stopped = await manager.getPodStatus({ uid, name: pod.metadata.name!, namespace: pod.metadata.namespace ?? 'default' });
    const final = generateAPIPodStatus({
      pod,
      runtime: stopped,
      oldStatus: this.status.getPodStatus(uid) ?? pod.status,
      reasons: new Map(),
      podIsTerminal: true,
      hostIPs: this.hostIPs(),
      now: nowRFC3339(),
    });
    await manager.removePod(stopped);
    this.probes?.removePod(uid);
    await this.volumes?.tearDown(uid).catch((e) => this.log.error({ pod: objRef(pod.metadata), err: errMessage(e) }, 'Volume teardown failed'));
    this.volumeRefresh.forget(uid);
    this.status.terminated(pod, final);
    if (hadRuntime || this.log.isLevelEnabled('debug')) {
      this.log[hadRuntime ? 'info' : 'debug']({ pod: objRef(pod.metadata), action: 'TerminatePod', gracePeriod: this.gracePeriod(pod), durationMs: Date.now() - started }, 'Pod terminated');
    }
    return;
  }

  /** A pod the API no longer has: kill and remove whatever the runtime still runs for it. */
  private async syncOrphan(uid: string): Promise<SyncOutcome> {
    const manager = this.manager!;
    const last = this.gonePods.get(uid);
    const runtime = await manager.getPodStatus({ uid, name: last?.metadata.name ?? '', namespace: last?.metadata.namespace ?? '' });
    if (runtime.containers.length || runtime.sandboxes.length) {
      const pod: Pod = last ?? { apiVersion: 'v1', kind: 'Pod', metadata: { uid, name: runtime.name, namespace: runtime.namespace }, spec: { containers: [] } };
      const grace = last?.metadata.deletionTimestamp ? this.gracePeriod(last) : 0;
      await manager.killPod(pod, runtime, grace);
      await manager.removePod(await manager.getPodStatus({ uid, name: runtime.name, namespace: runtime.namespace }));
      this.log.info({ pod: runtime.namespace ? `${runtime.namespace}/${runtime.name}` : uid, podUID: uid, action: 'KillPod' }, 'Cleaned up orphaned pod');
    }
    await this.volumes?.tearDown(uid).catch(() => {});
    this.volumeRefresh.forget(uid);
    this.gonePods.delete(uid);
    this.probes?.removePod(uid);
    this.reasons.delete(uid);
    this.backoff.resetPrefix(`${uid}/`);
    this.status.forget(uid);
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
      throw new ContainerLogError(400, name ? `container ${name} is not valid for pod ${podName}` : `a container name must be specified for pod ${podName}, choose one of: [${spec.containers.map((c) => c.name).join(' ')}]`);
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
