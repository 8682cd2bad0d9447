// The controllers the controller manager knows (kube-controller-manager's NewControllerDescriptors), and
// --controllers parsing: "*" is every controller on by default, "name" turns one on, "-name" turns one off.
import type { ControllerDescriptor } from './context.js';
import { NamespaceController } from './namespace.js';
import { NodeIpamController } from './node_ipam.js';
import { GarbageCollector } from './garbagecollector/garbage_collector.js';
import { ReplicaSetController } from './replicaset/replica_set_controller.js';
import { replicaSetAdapter, replicationControllerAdapter } from './replicaset/adapter.js';
import { EndpointsController } from './endpoint/endpoints_controller.js';
import { EndpointSliceController } from './endpoint/endpointslice_controller.js';
import { EndpointSliceMirroringController } from './endpoint/endpointslice_mirroring_controller.js';
import { ClusterRoleAggregationController } from './clusterrole_aggregation.js';
import { JobController } from './job/job_controller.js';
import { CronJobController } from './cronjob/cronjob_controller.js';
import { TTLAfterFinishedController } from './ttlafterfinished/ttl_after_finished_controller.js';
import { DeploymentController } from './deployment/deployment_controller.js';
import { StatefulSetController } from './statefulset/stateful_set_controller.js';
import { DaemonSetController } from './daemonset/daemon_set_controller.js';
import { ServiceAccountsController } from './serviceaccounts.js';
import { TokensController } from './serviceaccount_tokens.js';
import { BootstrapTokenCleaner } from './bootstrap_token_cleaner.js';
import { RootCAPublisher } from './root_ca_publisher.js';
import { HorizontalController } from './podautoscaler/horizontal.js';
import { DisruptionController } from './disruption/disruption_controller.js';
import { NodeLifecycleController } from './nodelifecycle/node_lifecycle_controller.js';
import { TaintEvictionController } from './tainteviction/taint_eviction_controller.js';
import { PodGCController } from './podgc/gc_controller.js';
import { CSRApprovingController } from './certificates/approver.js';
import { CSRSigningController } from './certificates/signer.js';
import { CSRCleanerController } from './certificates/cleaner.js';
import { BootstrapSigner } from './certificates/bootstrap_signer.js';
import { loadCA } from '../pki/certs.js';

export const controllerDescriptors: ControllerDescriptor[] = [
  {
    name: 'endpoints-controller',
    aliases: ['endpoint'],
    start: (ctx) => {
      const c = new EndpointsController(ctx.client, {
        log: ctx.log,
        factory: ctx.informers,
        updatesBatchPeriodMs: ctx.options.endpointUpdatesBatchPeriodMs,
      });
      c.start();
      return c;
    },
  },
  {
    name: 'endpointslice-controller',
    aliases: ['endpointslice'],
    start: (ctx) => {
      const c = new EndpointSliceController(ctx.client, {
        log: ctx.log,
        factory: ctx.informers,
        updatesBatchPeriodMs: ctx.options.endpointSliceUpdatesBatchPeriodMs,
        maxEndpointsPerSlice: ctx.options.maxEndpointsPerSlice,
      });
      c.start();
      return c;
    },
  },
  {
    name: 'endpointslice-mirroring-controller',
    aliases: ['endpointslicemirroring'],
    start: (ctx) => {
      const c = new EndpointSliceMirroringController(ctx.client, { log: ctx.log, factory: ctx.informers });
      c.start();
      return c;
    },
  },
  {
    name: 'namespace-controller',
    aliases: ['namespace'],
    start: (ctx) => {
      const c = new NamespaceController(ctx.client, { log: ctx.log, factory: ctx.informers, workers: ctx.options.concurrentNamespaceSyncs });
      c.start();
      return c;
    },
  },
  {
    name: 'node-ipam-controller',
    aliases: ['nodeipam'],
    start: (ctx) => {
      if (!ctx.options.allocateNodeCIDRs) return undefined;
      const c = new NodeIpamController(
        ctx.client,
        { clusterCIDR: ctx.options.clusterCIDR, nodeMaskSize: ctx.options.nodeCIDRMaskSize, log: ctx.log },
        { factory: ctx.informers },
      );
      c.start();
      return c;
    },
  },
  {
    name: 'garbage-collector-controller',
    aliases: ['garbagecollector'],
    start: (ctx) => {
      const c = new GarbageCollector(ctx.client, { log: ctx.log, factory: ctx.informers, workers: ctx.options.concurrentGCSyncs });
      c.start();
      return c;
    },
  },
  {
    name: 'replicaset-controller',
    aliases: ['replicaset'],
    start: (ctx) => {
      const c = new ReplicaSetController(ctx.client, replicaSetAdapter, { log: ctx.log, factory: ctx.informers });
      c.start();
      return c;
    },
  },
  {
    name: 'replicationcontroller-controller',
    aliases: ['replicationcontroller'],
    start: (ctx) => {
      const c = new ReplicaSetController(ctx.client, replicationControllerAdapter, { log: ctx.log, factory: ctx.informers });
      c.start();
      return c;
    },
  },
  {
    name: 'clusterrole-aggregation-controller',
    aliases: ['clusterrole-aggregation'],
    start: (ctx) => {
      const c = new ClusterRoleAggregationController(ctx.client, { log: ctx.log, factory: ctx.informers });
      c.start();
      return c;
    },
  },
  {
    name: 'job-controller',
    aliases: ['job'],
    start: (ctx) => {
      const c = new JobController(ctx.client, {
        log: ctx.log,
        factory: ctx.informers,
        workers: ctx.options.concurrentJobSyncs,
        backoffBaseMs: ctx.options.jobPodFailureBackoffMs,
      });
      c.start();
      return c;
    },
  },
  {
    name: 'horizontal-pod-autoscaler-controller',
    aliases: ['horizontalpodautoscaling'],
    start: (ctx) => {
      const o = ctx.options;
      const c = new HorizontalController(ctx.client, {
        factory: ctx.informers,
        log: ctx.log,
        syncPeriodMs: o.horizontalPodAutoscalerSyncPeriodMs,
        downscaleStabilizationMs: o.horizontalPodAutoscalerDownscaleStabilizationMs,
        tolerance: o.horizontalPodAutoscalerTolerance,
        cpuInitializationPeriodMs: o.horizontalPodAutoscalerCPUInitializationPeriodMs,
        initialReadinessDelayMs: o.horizontalPodAutoscalerInitialReadinessDelayMs,
      });
      c.start();
      return c;
    },
  },
  {
    name: 'node-lifecycle-controller',
    aliases: ['nodelifecycle'],
    start: (ctx) => {
      const o = ctx.options;
      const c = new NodeLifecycleController(
        ctx.client,
        { monitorPeriodMs: o.nodeMonitorPeriodMs, gracePeriodMs: o.nodeMonitorGracePeriodMs, startupGracePeriodMs: o.nodeStartupGracePeriodMs },
        { log: ctx.log, factory: ctx.informers },
      );
      c.start();
      return c;
    },
  },
  {
    name: 'taint-eviction-controller',
    start: (ctx) => {
      const c = new TaintEvictionController(ctx.client, { log: ctx.log, factory: ctx.informers });
      c.start();
      return c;
    },
  },
  {
    name: 'pod-garbage-collector-controller',
    aliases: ['podgc'],
    start: (ctx) => {
      const c = new PodGCController(ctx.client, { terminatedPodThreshold: ctx.options.terminatedPodGCThreshold }, { log: ctx.log, factory: ctx.informers });
      c.start();
      return c;
    },
  },
  {
    name: 'disruption-controller',
    aliases: ['disruption'],
    start: (ctx) => {
      const c = new DisruptionController(ctx.client, { log: ctx.log, factory: ctx.informers });
      c.start();
      return c;
    },
  },
  {
    name: 'cronjob-controller',
    aliases: ['cronjob'],
    start: (ctx) => {
      const c = new CronJobController(ctx.client, { log: ctx.log, factory: ctx.informers, workers: ctx.options.concurrentCronJobSyncs });
      c.start();
      return c;
    },
  },
  {
    name: 'ttl-after-finished-controller',
    aliases: ['ttl-after-finished'],
    start: (ctx) => {
      const c = new TTLAfterFinishedController(ctx.client, { log: ctx.log, factory: ctx.informers, workers: ctx.options.concurrentTTLSyncs });
      c.start();
      return c;
    },
  },
  {
    name: 'deployment-controller',
    aliases: ['deployment'],
    start: (ctx) => {
      const c = new DeploymentController(ctx.client, { log: ctx.log, factory: ctx.informers });
      c.start();
      return c;
    },
  },
  {
    name: 'statefulset-controller',
    aliases: ['statefulset'],
    start: (ctx) => {
      const c = new StatefulSetController(ctx.client, { log: ctx.log, factory: ctx.informers });
      c.start();
      return c;
    },
  },
  {
    name: 'daemonset-controller',
    aliases: ['daemonset'],
    start: (ctx) => {
      const c = new DaemonSetController(ctx.client, { log: ctx.log, factory: ctx.informers });
      c.start();
      return c;
    },
  },
  {
    name: 'serviceaccount-controller',
    aliases: ['serviceaccount'],
    start: (ctx) => {
      const c = new ServiceAccountsController(ctx.client, { log: ctx.log, factory: ctx.informers });
      c.start();
      return c;
    },
  },
  {
    name: 'serviceaccount-token-controller',
    aliases: ['serviceaccount-token'],
    start: (ctx) => {
      // as upstream: without --service-account-private-key-file there are no legacy tokens to sign
      if (!ctx.options.serviceAccountPrivateKey) return undefined;
      const c = new TokensController(ctx.client, {
        privateKey: ctx.options.serviceAccountPrivateKey,
        rootCA: ctx.options.rootCA,
        log: ctx.log,
        factory: ctx.informers,
      });
      c.start();
      return c;
    },
  },
  {
    // off by default in kube-controller-manager; on here as kubeadm turns it on (--controllers=*,tokencleaner)
    name: 'token-cleaner-controller',
    aliases: ['tokencleaner'],
    start: (ctx) => {
      const c = new BootstrapTokenCleaner(ctx.client, { log: ctx.log, factory: ctx.informers });
      c.start();
      return c;
    },
  },
  {
    name: 'certificatesigningrequest-approving-controller',
    aliases: ['csrapproving'],
    start: (ctx) => {
      const c = new CSRApprovingController(ctx.client, { log: ctx.log, factory: ctx.informers });
      c.start();
      return c;
    },
  },
  {
    name: 'certificatesigningrequest-signing-controller',
    aliases: ['csrsigning'],
    start: async (ctx) => {
      const s = ctx.options.clusterSigning;
      if (!s?.client && !s?.serving) return undefined;
      const cas = { client: s.client && (await loadCA(s.client)), serving: s.serving && (await loadCA(s.serving)) };
      const c = new CSRSigningController(ctx.client, cas, { log: ctx.log, factory: ctx.informers, durationMs: ctx.options.clusterSigningDurationMs });
      c.start();
      return c;
    },
  },
  {
    name: 'certificatesigningrequest-cleaner-controller',
    aliases: ['csrcleaner'],
    start: (ctx) => {
      const c = new CSRCleanerController(ctx.client, { log: ctx.log, factory: ctx.informers });
      c.start();
      return c;
    },
  },
  {
    // off by default in kube-controller-manager; on here as kubeadm turns it on (--controllers=*,bootstrapsigner)
    name: 'bootstrap-signer-controller',
    aliases: ['bootstrapsigner'],
    start: (ctx) => {
      const c = new BootstrapSigner(ctx.client, { log: ctx.log, factory: ctx.informers });
      c.start();
      return c;
    },
  },
  {
    name: 'root-ca-certificate-publisher-controller',
    aliases: ['root-ca-cert-publisher'],
    start: (ctx) => {
      if (!ctx.options.rootCA) return undefined;
      const c = new RootCAPublisher(ctx.client, ctx.options.rootCA, { log: ctx.log, factory: ctx.informers });
      c.start();
      return c;
    },
  },
];

function lookup(name: string, all: ControllerDescriptor[]): ControllerDescriptor | undefined {
  return all.find((d) => d.name === name || d.aliases?.includes(name));
}

/** The descriptors that a --controllers value enables, in registry order; throws on an unknown name. */
export function enabledControllers(spec: string[] = ['*'], all: ControllerDescriptor[] = controllerDescriptors): ControllerDescriptor[] {
  const on = new Set<string>();
  const off = new Set<string>();
  let star = false;
  for (const raw of spec.flatMap((s) => s.split(',')).map((s) => s.trim())) {
    if (!raw) continue;
    if (raw === '*') {
      star = true;
      continue;
    }
    const neg = raw.startsWith('-');
    const d = lookup(neg ? raw.slice(1) : raw, all);
    if (!d) throw new Error(`"${neg ? raw.slice(1) : raw}" is not in the list of known controllers`);
    (neg ? off : on).add(d.name);
  }
  return all.filter((d) => !off.has(d.name) && (on.has(d.name) || (star && !d.disabledByDefault)));
}
