// `k8ts controller-manager`: runs the controllers (kube-controller-manager) against an API server, with leader
// election on by default; also the flag parsing that `k8ts server` reuses for its in-process controller manager.
import type { Command } from 'commander';
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { KubeClient } from '../client/rest.js';
import { ControllerManager, type LeaderElectionOptions } from '../controllers/manager.js';
import type { ControllerManagerOptions } from '../controllers/context.js';
import { logger } from '../log/logger.js';
import { loadKubeconfig } from '../client/kubeconfig.js';
import { addLoggingOptions, applyLoggingFlags, type LoggingFlags } from './logflags.js';

export interface ControllerFlags {
  controllers?: string;
  leaderElect?: string | boolean;
  leaderElectLeaseDuration?: string;
  leaderElectRenewDeadline?: string;
  leaderElectRetryPeriod?: string;
  clusterCidr?: string;
  allocateNodeCidrs?: string | boolean;
  nodeCidrMaskSize?: string;
  concurrentGcSyncs?: string;
  jobPodFailureBackoff?: string;
  serviceAccountPrivateKeyFile?: string;
  rootCaFile?: string;
  horizontalPodAutoscalerSyncPeriod?: string;
  horizontalPodAutoscalerDownscaleStabilization?: string;
  horizontalPodAutoscalerTolerance?: string;
  horizontalPodAutoscalerCpuInitializationPeriod?: string;
  horizontalPodAutoscalerInitialReadinessDelay?: string;
  nodeMonitorPeriod?: string;
  nodeMonitorGracePeriod?: string;
  nodeStartupGracePeriod?: string;
  terminatedPodGcThreshold?: string;
  clusterSigningCertFile?: string;
  clusterSigningKeyFile?: string;
  clusterSigningKubeApiserverClientCertFile?: string;
  clusterSigningKubeApiserverClientKeyFile?: string;
  clusterSigningKubeletServingCertFile?: string;
  clusterSigningKubeletServingKeyFile?: string;
  clusterSigningDuration?: string;
  endpointUpdatesBatchPeriod?: string;
  endpointsliceUpdatesBatchPeriod?: string;
  maxEndpointsPerSlice?: string;
  kubeApiQps?: string;
  kubeApiBurst?: string;
}

/**
 * Defaults of --kube-api-qps / --kube-api-burst. Upstream's are 20 / 30, tuned for a shared, etcd-backed API
 * server; at 20 QPS a ReplicaSet of 5,000 takes over four minutes. Our target is ≥ 1,000 pods/s, and creating a
 * pod costs the controller manager about one request (events are aggregated, status is written per sync), the
 * garbage collector two (a live GET, then the DELETE): 5,000 / 7,500 leaves the API server (which serves
 * ~1,000-1,500 writes/s on 2 cores) as the bottleneck, never the client, and still bounds a hot loop.
 */
export const DEFAULT_KUBE_API_QPS = 5000;
export const DEFAULT_KUBE_API_BURST = 7500;

/** client-go's defaults for a QPS of 0 (rest.DefaultQPS / DefaultBurst). */
const CLIENT_GO_DEFAULT_QPS = 5;
const CLIENT_GO_DEFAULT_BURST = 10;

/** A cert/key flag pair: both or neither. */
function pemPair(cert: string | undefined, key: string | undefined, flag: string): { cert: string; key: string } | undefined {
  if (!cert && !key) return undefined;
  if (!cert || !key) throw new Error(`${flag}-cert-file and ${flag}-key-file go together`);
  return { cert: readFileSync(cert, 'utf8'), key: readFileSync(key, 'utf8') };
}

/** A Go duration as the flags take it: "15s", "1m30s", "500ms", "2h" (a bare number is seconds). */
export function parseDuration(v: string, flag: string): number {
  if (/^\d+(\.\d+)?$/.test(v)) return Number(v) * 1000;
  const unit: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let ms = 0;
  let rest = v;
  while (rest) {
    const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)/.exec(rest);
    if (!m) throw new Error(`invalid duration for ${flag}: ${JSON.stringify(v)}`);
    ms += Number(m[1]) * unit[m[2]!]!;
    rest = rest.slice(m[0].length);
  }
  return ms;
}

function bool(v: string | boolean | undefined, dflt: boolean, flag: string): boolean {
  if (v === undefined) return dflt;
  if (typeof v === 'boolean') return v;
  if (['true', '1', 't', 'T', 'TRUE', 'True'].includes(v)) return true;
  if (['false', '0', 'f', 'F', 'FALSE', 'False'].includes(v)) return false;
  throw new Error(`invalid value for ${flag}: ${JSON.stringify(v)}`);
}

function positiveInt(v: string | undefined, dflt: number, flag: string): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} wants a positive integer, got ${JSON.stringify(v)}`);
  return n;
}

function ratio(v: string | undefined, dflt: number, flag: string): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${flag} wants a non-negative number, got ${JSON.stringify(v)}`);
  return n;
}

/** --kube-api-qps / --kube-api-burst as a client's qps / burst (a negative QPS: unlimited, as client-go). */
export function clientRateLimit(flags: Pick<ControllerFlags, 'kubeApiQps' | 'kubeApiBurst'>): { qps: number; burst: number } {
  const qps = Number(flags.kubeApiQps ?? DEFAULT_KUBE_API_QPS);
  if (!Number.isFinite(qps)) throw new Error(`--kube-api-qps wants a number, got ${JSON.stringify(flags.kubeApiQps)}`);
  const burst = Number(flags.kubeApiBurst ?? (qps === 0 ? CLIENT_GO_DEFAULT_BURST : DEFAULT_KUBE_API_BURST));
  if (!Number.isInteger(burst) || burst < 0) throw new Error(`--kube-api-burst wants a non-negative integer, got ${JSON.stringify(flags.kubeApiBurst)}`);
  if (qps === 0) return { qps: CLIENT_GO_DEFAULT_QPS, burst: Math.max(1, burst) };
  return { qps, burst: Math.max(1, burst) };
}

/** Upstream's --leader-elect* flags of a control-plane component; `what` says what runs only while the Lease is held. */
export function addLeaderElectionOptions(cmd: Command, what: string, leaderElectDefault: boolean): Command {
  return cmd
    .option('--leader-elect [bool]', `${what} (default ${leaderElectDefault})`)
    .option('--leader-elect-lease-duration <duration>', 'how long non-leaders wait after the last renewal before taking over', '15s')
    .option('--leader-elect-renew-deadline <duration>', 'how long the leader retries renewing before it gives up', '10s')
    .option('--leader-elect-retry-period <duration>', 'between attempts to acquire or renew', '2s');
}

export type LeaderElectionFlags = Pick<ControllerFlags, 'leaderElect' | 'leaderElectLeaseDuration' | 'leaderElectRenewDeadline' | 'leaderElectRetryPeriod'>;

/** The --leader-elect* flags as LeaderElectionOptions. */
export function leaderElectionSettings(flags: LeaderElectionFlags, leaderElectDefault: boolean): LeaderElectionOptions {
  return {
    enabled: bool(flags.leaderElect, leaderElectDefault, '--leader-elect'),
    leaseDurationMs: parseDuration(flags.leaderElectLeaseDuration ?? '15s', '--leader-elect-lease-duration'),
    renewDeadlineMs: parseDuration(flags.leaderElectRenewDeadline ?? '10s', '--leader-elect-renew-deadline'),
    retryPeriodMs: parseDuration(flags.leaderElectRetryPeriod ?? '2s', '--leader-elect-retry-period'),
  };
}

export function addControllerOptions(cmd: Command, leaderElectDefault: boolean): Command {
  return addLeaderElectionOptions(cmd, 'run the controllers only while holding the kube-system/kube-controller-manager Lease', leaderElectDefault)
    .option('--controllers <list>', "controllers to run: '*' is all on by default, 'foo' enables foo, '-foo' disables foo", '*')
    .option('--allocate-node-cidrs [bool]', 'give nodes spec.podCIDR from --cluster-cidr (node IPAM)')
    .option('--node-cidr-mask-size <n>', 'prefix length of each node pod range', '24')
    .option('--concurrent-gc-syncs <n>', 'garbage collector workers', '20')
    .option('--job-pod-failure-backoff <duration>', "base of the Job controller's pod failure backoff (doubling per failure, at most 10m)", '10s')
    .option('--service-account-private-key-file <file>', 'PEM key the tokens controller signs legacy ServiceAccount tokens with')
    .option('--root-ca-file <file>', 'cluster CA bundle published as the kube-root-ca.crt ConfigMap and put in token Secrets')
    .option('--horizontal-pod-autoscaler-sync-period <duration>', 'how often each HorizontalPodAutoscaler is synced', '15s')
    .option('--horizontal-pod-autoscaler-downscale-stabilization <duration>', 'scale-down stabilization window of HPAs without behavior', '5m0s')
    .option('--horizontal-pod-autoscaler-tolerance <ratio>', 'usage ratio distance from 1.0 within which no rescale happens', '0.1')
    .option('--horizontal-pod-autoscaler-cpu-initialization-period <duration>', 'after a pod starts, how long its CPU samples may be skipped', '5m0s')
    .option('--horizontal-pod-autoscaler-initial-readiness-delay <duration>', 'after a pod starts, how long readiness changes count as initial', '30s')
    .option('--node-monitor-period <duration>', 'how often the node lifecycle controller checks each node', '5s')
    .option('--node-monitor-grace-period <duration>', 'how long a node may go without a heartbeat before its conditions become Unknown', '40s')
    .option('--node-startup-grace-period <duration>', 'how long a new node may take to post its first status before it counts as Unknown', '1m0s')
    .option('--terminated-pod-gc-threshold <n>', 'terminated pods kept before the pod GC deletes the oldest (0: off)', '12500')
    .option('--cluster-signing-cert-file <file>', 'CA certificate the csrsigning controller signs every built-in signer with')
    .option('--cluster-signing-key-file <file>', 'its key')
    .option('--cluster-signing-kube-apiserver-client-cert-file <file>', 'CA for kubernetes.io/kube-apiserver-client and -client-kubelet (instead of the above)')
    .option('--cluster-signing-kube-apiserver-client-key-file <file>', 'its key')
    .option('--cluster-signing-kubelet-serving-cert-file <file>', 'CA for kubernetes.io/kubelet-serving (instead of the above)')
    .option('--cluster-signing-kubelet-serving-key-file <file>', 'its key')
    .option('--cluster-signing-duration <duration>', 'the longest validity of a signed certificate', '8760h')
    .option('--endpoint-updates-batch-period <duration>', "how long a pod change waits before its Services' Endpoints are synced (batching)", '0s')
    .option('--endpointslice-updates-batch-period <duration>', 'the same for EndpointSlices', '0s')
    .option('--max-endpoints-per-slice <n>', 'the most endpoints an EndpointSlice holds (1-1000)', '100')
    .option('--kube-api-qps <qps>', 'requests per second to the API server (negative: unlimited)', String(DEFAULT_KUBE_API_QPS))
    .option('--kube-api-burst <n>', 'requests allowed above --kube-api-qps in a burst', String(DEFAULT_KUBE_API_BURST));
}

export function controllerManagerSettings(
  flags: ControllerFlags,
  leaderElectDefault: boolean,
): { controllers: string[]; options: Partial<ControllerManagerOptions>; leaderElection: LeaderElectionOptions; rateLimit: { qps: number; burst: number } } {
  const options: Partial<ControllerManagerOptions> = {
    allocateNodeCIDRs: bool(flags.allocateNodeCidrs, true, '--allocate-node-cidrs'),
    nodeCIDRMaskSize: positiveInt(flags.nodeCidrMaskSize, 24, '--node-cidr-mask-size'),
    concurrentGCSyncs: positiveInt(flags.concurrentGcSyncs, 20, '--concurrent-gc-syncs'),
    jobPodFailureBackoffMs: parseDuration(flags.jobPodFailureBackoff ?? '10s', '--job-pod-failure-backoff'),
    horizontalPodAutoscalerSyncPeriodMs: parseDuration(flags.horizontalPodAutoscalerSyncPeriod ?? '15s', '--horizontal-pod-autoscaler-sync-period'),
    horizontalPodAutoscalerDownscaleStabilizationMs: parseDuration(
      flags.horizontalPodAutoscalerDownscaleStabilization ?? '5m',
      '--horizontal-pod-autoscaler-downscale-stabilization',
    ),
    horizontalPodAutoscalerTolerance: ratio(flags.horizontalPodAutoscalerTolerance, 0.1, '--horizontal-pod-autoscaler-tolerance'),
    horizontalPodAutoscalerCPUInitializationPeriodMs: parseDuration(
      flags.horizontalPodAutoscalerCpuInitializationPeriod ?? '5m',
      '--horizontal-pod-autoscaler-cpu-initialization-period',
    ),
    horizontalPodAutoscalerInitialReadinessDelayMs: parseDuration(
      flags.horizontalPodAutoscalerInitialReadinessDelay ?? '30s',
      '--horizontal-pod-autoscaler-initial-readiness-delay',
    ),
  };
  options.nodeMonitorPeriodMs = parseDuration(flags.nodeMonitorPeriod ?? '5s', '--node-monitor-period');
  options.nodeMonitorGracePeriodMs = parseDuration(flags.nodeMonitorGracePeriod ?? '40s', '--node-monitor-grace-period');
  options.nodeStartupGracePeriodMs = parseDuration(flags.nodeStartupGracePeriod ?? '1m', '--node-startup-grace-period');
  const gcThreshold = Number(flags.terminatedPodGcThreshold ?? '12500');
  if (!Number.isInteger(gcThreshold) || gcThreshold < 0)
    throw new Error(`--terminated-pod-gc-threshold wants a non-negative integer, got ${JSON.stringify(flags.terminatedPodGcThreshold)}`);
  options.terminatedPodGCThreshold = gcThreshold;
  if (flags.clusterCidr) options.clusterCIDR = flags.clusterCidr;
  if (flags.serviceAccountPrivateKeyFile) options.serviceAccountPrivateKey = createPrivateKey(readFileSync(flags.serviceAccountPrivateKeyFile));
  if (flags.rootCaFile) options.rootCA = readFileSync(flags.rootCaFile, 'utf8');
  const all = pemPair(flags.clusterSigningCertFile, flags.clusterSigningKeyFile, '--cluster-signing');
  const client =
    pemPair(flags.clusterSigningKubeApiserverClientCertFile, flags.clusterSigningKubeApiserverClientKeyFile, '--cluster-signing-kube-apiserver-client') ?? all;
  const serving = pemPair(flags.clusterSigningKubeletServingCertFile, flags.clusterSigningKubeletServingKeyFile, '--cluster-signing-kubelet-serving') ?? all;
  if (client || serving) options.clusterSigning = { client, serving };
  options.clusterSigningDurationMs = parseDuration(flags.clusterSigningDuration ?? '8760h', '--cluster-signing-duration');
  options.endpointUpdatesBatchPeriodMs = parseDuration(flags.endpointUpdatesBatchPeriod ?? '0s', '--endpoint-updates-batch-period');
  options.endpointSliceUpdatesBatchPeriodMs = parseDuration(flags.endpointsliceUpdatesBatchPeriod ?? '0s', '--endpointslice-updates-batch-period');
  const perSlice = Number(flags.maxEndpointsPerSlice ?? '100');
  if (!Number.isInteger(perSlice) || perSlice < 1 || perSlice > 1000)
    throw new Error(`--max-endpoints-per-slice must be between 1 and 1000, was ${JSON.stringify(flags.maxEndpointsPerSlice)}`);
  options.maxEndpointsPerSlice = perSlice;
  return {
    controllers: (flags.controllers ?? '*').split(','),
    rateLimit: clientRateLimit(flags),
    options,
    leaderElection: leaderElectionSettings(flags, leaderElectDefault),
  };
}

interface CMFlags extends ControllerFlags, LoggingFlags {
  kubeconfig?: string;
  master?: string;
}

export function registerControllerManagerCommand(program: Command): void {
  const cmd = program
    .command('controller-manager')
    .description('run the controllers (kube-controller-manager) against an API server')
    .option('--kubeconfig <file>', 'kubeconfig with the server and credentials')
    .option('--master <url>', 'API server URL (overrides the kubeconfig)')
    .option('--cluster-cidr <cidr>', 'pod address range of the cluster', '10.244.0.0/16');
  addLoggingOptions(addControllerOptions(cmd, true)).action(async (flags: CMFlags) => {
    applyLoggingFlags(flags);
    const log = logger('controller-manager');
    const settings = controllerManagerSettings(flags, true);
    const kc = flags.kubeconfig ? loadKubeconfig(flags.kubeconfig) : undefined;
    const server = flags.master ?? kc?.server;
    if (!server) throw new Error('k8ts controller-manager needs --kubeconfig or --master');
    // the kubeconfig's CA and credentials (e.g. DATA/controller-manager.kubeconfig: system:kube-controller-manager)
    const { namespace: _ns, ...creds } = kc ?? { server };
    const client = new KubeClient({ ...creds, server, userAgent: 'kube-controller-manager', ...settings.rateLimit });
    // as upstream: without --root-ca-file, kube-root-ca.crt carries the CA the kubeconfig trusts
    if (!settings.options.rootCA && kc?.ca) settings.options.rootCA = kc.ca.toString('utf8');
    const { rateLimit: _rl, ...cmSettings } = settings;
    const cm = new ControllerManager({ client, ...cmSettings, log });
    cm.start();
    log.info({ server, identity: cm.identity, leaderElect: settings.leaderElection.enabled }, 'Controller manager running');
    process.stdout.write(`k8ts controller-manager ${cm.identity} running\n`);
    let stopping = false;
    const shutdown = async (sig: string) => {
      if (stopping) return;
      stopping = true;
      log.info({ signal: sig }, 'Received signal, shutting down');
      await cm.stop();
      client.close();
      process.exit(0);
    };
    process.on('SIGTERM', () => void shutdown('SIGTERM'));
    process.on('SIGINT', () => void shutdown('SIGINT'));
  });
}
