// What every controller of the controller manager is started with (kube-controller-manager's ControllerContext)
// and what it hands back; the registry (registry.ts) maps controller names to their start functions.
import type { KubeClient } from '../client/rest.js';
import type { SharedInformerFactory } from '../client/informer_factory.js';
import type { Logger } from '../log/logger.js';
import type { KeyObject } from 'node:crypto';

/** Options of kube-controller-manager that controllers read (flag names in comments). */
export interface ControllerManagerOptions {
  /** --cluster-cidr: pod range that node IPAM hands out. */
  clusterCIDR: string;
  /** --allocate-node-cidrs: whether node IPAM runs. */
  allocateNodeCIDRs: boolean;
  /** --node-cidr-mask-size (IPv4, default 24). */
  nodeCIDRMaskSize: number;
  /** --concurrent-gc-syncs (default 20). */
  concurrentGCSyncs: number;
  /** --concurrent-namespace-syncs (default 10; ours 2). */
  concurrentNamespaceSyncs: number;
  /** --concurrent-job-syncs (default 5). */
  concurrentJobSyncs: number;
  /** --concurrent-cron-job-syncs (default 5). */
  concurrentCronJobSyncs: number;
  /** --concurrent-ttl-after-finished-syncs (default 5). */
  concurrentTTLSyncs: number;
  /** --job-pod-failure-backoff (k8ts only: the Job controller's backoff base, upstream's fixed 10 s; tests shorten it). */
  jobPodFailureBackoffMs: number;
  /** --service-account-private-key-file's key: the tokens controller signs legacy Secret tokens with it. */
  serviceAccountPrivateKey?: KeyObject;
  /** --root-ca-file's PEM bundle: published as kube-root-ca.crt and put in legacy token Secrets. */
  rootCA?: string;
  /** --horizontal-pod-autoscaler-sync-period (default 15 s). */
  horizontalPodAutoscalerSyncPeriodMs: number;
  /** --horizontal-pod-autoscaler-downscale-stabilization (default 5 min). */
  horizontalPodAutoscalerDownscaleStabilizationMs: number;
  /** --horizontal-pod-autoscaler-tolerance (default 0.1). */
  horizontalPodAutoscalerTolerance: number;
  /** --horizontal-pod-autoscaler-cpu-initialization-period (default 5 min). */
  horizontalPodAutoscalerCPUInitializationPeriodMs: number;
  /** --horizontal-pod-autoscaler-initial-readiness-delay (default 30 s). */
  horizontalPodAutoscalerInitialReadinessDelayMs: number;
  /** --node-monitor-period (default 5 s): how often the node lifecycle controller checks each node. */
  nodeMonitorPeriodMs: number;
  /** --node-monitor-grace-period (default 40 s): silence after which a node's conditions become Unknown. */
  nodeMonitorGracePeriodMs: number;
  /** --node-startup-grace-period (default 60 s): the same for a node that never posted status. */
  nodeStartupGracePeriodMs: number;
  /** --terminated-pod-gc-threshold (default 12500; 0 turns the terminated-pod GC off). */
  terminatedPodGCThreshold: number;
  /**
   * --cluster-signing-*-cert-file/-key-file: the CAs (PEM) the csrsigning controller signs with, per signer
   * family; without one, CSRs for those signers wait for another signer.
   */
  clusterSigning?: { client?: { cert: string; key: string }; serving?: { cert: string; key: string } };
  /** --cluster-signing-duration (default 1 year): the longest certificate the signer issues. */
  clusterSigningDurationMs: number;
  /** --endpoint-updates-batch-period (default 0): how long a pod change waits before its Services' Endpoints sync. */
  endpointUpdatesBatchPeriodMs: number;
  /** --endpointslice-updates-batch-period (default 0): the same for EndpointSlices. */
  endpointSliceUpdatesBatchPeriodMs: number;
  /** --max-endpoints-per-slice (default 100, 1–1000). */
  maxEndpointsPerSlice: number;
}

export const defaultControllerManagerOptions: ControllerManagerOptions = {
  clusterCIDR: '10.244.0.0/16',
  allocateNodeCIDRs: true,
  nodeCIDRMaskSize: 24,
  concurrentGCSyncs: 20,
  concurrentNamespaceSyncs: 2,
  concurrentJobSyncs: 5,
  concurrentCronJobSyncs: 5,
  concurrentTTLSyncs: 5,
  jobPodFailureBackoffMs: 10_000,
  horizontalPodAutoscalerSyncPeriodMs: 15_000,
  horizontalPodAutoscalerDownscaleStabilizationMs: 5 * 60_000,
  horizontalPodAutoscalerTolerance: 0.1,
  horizontalPodAutoscalerCPUInitializationPeriodMs: 5 * 60_000,
  horizontalPodAutoscalerInitialReadinessDelayMs: 30_000,
  nodeMonitorPeriodMs: 5_000,
  nodeMonitorGracePeriodMs: 40_000,
  nodeStartupGracePeriodMs: 60_000,
  terminatedPodGCThreshold: 12_500,
  clusterSigningDurationMs: 365 * 24 * 3600_000,
  endpointUpdatesBatchPeriodMs: 0,
  endpointSliceUpdatesBatchPeriodMs: 0,
  maxEndpointsPerSlice: 100,
};

export interface ControllerContext {
  /** The controller manager's client (its identity: system:kube-controller-manager). */
  client: KubeClient;
  /** One list+watch per resource, shared by every controller of this leadership term. */
  informers: SharedInformerFactory;
  options: ControllerManagerOptions;
  /** The controller-manager logger with controller=<name>. */
  log: Logger;
  /** Aborts when the controllers must stop (leadership lost, shutdown). */
  signal: AbortSignal;
}

/** A started controller. */
export interface RunningController {
  stop(): void | Promise<void>;
}

export interface ControllerDescriptor {
  /** kube-controller-manager's name, e.g. "garbage-collector-controller". */
  name: string;
  /** Older names --controllers also accepts, e.g. "garbagecollector". */
  aliases?: string[];
  /** Not started by "*" (upstream's disabled-by-default controllers). */
  disabledByDefault?: boolean;
  /** Starts the controller; undefined when its options turn it off (node IPAM without --allocate-node-cidrs). */
  start(ctx: ControllerContext): RunningController | undefined | Promise<RunningController | undefined>;
}
