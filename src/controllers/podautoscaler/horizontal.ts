// The horizontal pod autoscaler controller (upstream pkg/controller/podautoscaler/horizontal.go): every sync
// period each HPA reads its target's scale, computes a proposal per resource metric from metrics.k8s.io
// and the target's pods, takes the highest, stabilizes and rate-limits it, writes the target's scale, and
// reports conditions (AbleToScale, ScalingActive, ScalingLimited), current metrics and replicas in status.
import type { Pod } from '../../api/core/v1/types.js';
import type { HorizontalPodAutoscaler, HorizontalPodAutoscalerCondition, HPAConditionType, MetricSpec, MetricStatus } from '../../api/autoscaling/types.js';
import type { Scale } from '../../api/autoscaling/v1/types.js';
import { parseLabelSelector } from '../../api/labels.js';
import { parseQuantity } from '../../api/quantity.js';
import { Controller } from '../../client/controller.js';
import { EventRecorder } from '../../client/events.js';
import type { SharedInformerFactory } from '../../client/informer_factory.js';
import type { Lister } from '../../client/listers.js';
import type { KubeClient } from '../../client/rest.js';
import { ResourceClient, type ResourceRef } from '../../client/typed.js';
import type { Logger } from '../../log/logger.js';
import { ResourceMetricsClient } from './metrics_client.js';
import { ScalingHistory } from './normalize.js';
import {
  DEFAULT_CALCULATOR_OPTIONS,
  DEFAULT_TOLERANCE,
  rawResourceReplicas,
  resourceReplicas,
  type CalculatorOptions,
  type ReplicaResult,
  type Tolerances,
} from './replica_calculator.js';
import { ScaleClient } from './scale_client.js';

export const HPA_RESOURCE: ResourceRef = { group: 'autoscaling', version: 'v2', resource: 'horizontalpodautoscalers', namespaced: true };

export interface HorizontalControllerOptions {
  /** --horizontal-pod-autoscaler-sync-period (default 15 s). */
  syncPeriodMs?: number;
  /** --horizontal-pod-autoscaler-downscale-stabilization (default 5 min), for HPAs without behavior. */
  downscaleStabilizationMs?: number;
  /** --horizontal-pod-autoscaler-tolerance (default 0.1). */
  tolerance?: number;
  /** --horizontal-pod-autoscaler-cpu-initialization-period (default 5 min). */
  cpuInitializationPeriodMs?: number;
  /** --horizontal-pod-autoscaler-initial-readiness-delay (default 30 s). */
  initialReadinessDelayMs?: number;
  factory?: SharedInformerFactory;
  log?: Logger;
  workers?: number;
  clock?: () => number;
}

type Status = 'True' | 'False';

/** A metric's proposal, or why there is none (an invalid metric, as upstream counts them). */
interface MetricProposal {
  replicas?: number;
  name: string;
  status?: MetricStatus;
  timestamp?: number;
  error?: { reason: string; message: string };
}

const rfc3339 = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
const milliQuantity = (m: number) => parseQuantity(`${m}m`).toString();

export class HorizontalController extends Controller {
  private readonly hpas: Lister<HorizontalPodAutoscaler>;
  private readonly pods: Lister<Pod>;
  private readonly scales: ScaleClient;
  private readonly metrics: ResourceMetricsClient;
  private readonly history: ScalingHistory;
  private readonly recorder: EventRecorder;
  private readonly syncPeriodMs: number;
  private readonly tolerances: Tolerances;
  private readonly clock: () => number;

  constructor(
    private readonly client: KubeClient,
    private readonly o: HorizontalControllerOptions = {},
  ) {
    super({ name: 'horizontal-pod-autoscaler', client, factory: o.factory, log: o.log, workers: o.workers ?? 2 });
    this.syncPeriodMs = o.syncPeriodMs ?? 15_000;
    this.clock = o.clock ?? Date.now;
    const t = o.tolerance ?? DEFAULT_TOLERANCE;
    this.tolerances = { scaleDown: t, scaleUp: t };
    this.scales = new ScaleClient(client);
    this.metrics = new ResourceMetricsClient(client);
    this.history = new ScalingHistory(o.downscaleStabilizationMs ?? 5 * 60_000, this.clock);
    this.recorder = new EventRecorder(client, { component: 'horizontal-pod-autoscaler' }, (e) =>
      this.log.warn({ err: String((e as Error)?.message ?? e) }, 'event not recorded'),
    );
    const informer = this.factory.informerFor<HorizontalPodAutoscaler>(HPA_RESOURCE);
    this.hpas = informer.lister;
    const podInformer = this.factory.pods();
    this.pods = podInformer.lister;
    this.watch(podInformer, {});
    // our own status writes come back as updates: only a changed spec is synced at once, the rest every period
    this.watch(informer, {
      onAdd: (h) => this.enqueue(h),
      onUpdate: (old, h) => {
        if (old.metadata.generation !== h.metadata.generation) this.enqueue(h);
      },
      onDelete: (h) => this.history.forget(`${h.metadata.namespace}/${h.metadata.name}`),
    });
  }

  private hpaClient(ns: string): ResourceClient<HorizontalPodAutoscaler> {
    return new ResourceClient<HorizontalPodAutoscaler>(this.client, HPA_RESOURCE, ns);
  }

  protected async reconcile(key: string): Promise<{ requeueAfterMs: number } | void> {
    const [ns, name] = key.split('/');
    const cached = this.hpas.namespace(ns).get(name);
    if (!cached) {
      this.history.forget(key);
      return;
    }
    const hpa = structuredClone(cached);
    try {
      await this.reconcileAutoscaler(hpa, key);
    } catch (e) {
      this.log.warn({ hpa: key, err: String((e as Error)?.message ?? e) }, 'autoscaler sync failed');
    }
    return { requeueAfterMs: this.syncPeriodMs };
  }

  private setCondition(hpa: HorizontalPodAutoscaler, type: HPAConditionType, status: Status, reason: string, message: string): void {
    const st = (hpa.status ??= { desiredReplicas: 0 });
    const conds = (st.conditions ??= []);
    const existing = conds.find((c) => c.type === type);
    const now = rfc3339(this.clock());
    if (existing) {
      if (existing.status !== status) existing.lastTransitionTime = now;
      existing.status = status;
      existing.reason = reason;
      existing.message = message;
    } else {
      const c: HorizontalPodAutoscalerCondition = { type, status, lastTransitionTime: now, reason, message };
      conds.push(c);
    }
  }

  private async writeStatus(hpa: HorizontalPodAutoscaler, old: HorizontalPodAutoscaler): Promise<void> {
    if (JSON.stringify(hpa.status) === JSON.stringify(old.status)) return;
    try {
      await this.hpaClient(hpa.metadata.namespace!).updateStatus(hpa);
    } catch (e) {
      this.recorder.event(hpa, 'Warning', 'FailedUpdateStatus', String((e as Error)?.message ?? e));
      throw e;
    }
  }

  private async reconcileAutoscaler(hpa: HorizontalPodAutoscaler, key: string): Promise<void> {
    const old = structuredClone(hpa);
    const ns = hpa.metadata.namespace!;
    const ref = hpa.spec.scaleTargetRef;
    const reference = `${ref.kind}/${ref.name}`;
    let scale: Scale;
    try {
      scale = await this.scales.get(ref, ns);
    } catch (e) {
      const msg = String((e as Error)?.message ?? e);
      this.setCondition(hpa, 'AbleToScale', 'False', 'FailedGetScale', `the HPA controller was unable to get the target's current scale: ${msg}`);
      this.recorder.event(hpa, 'Warning', 'FailedGetScale', msg);
      await this.writeStatus(hpa, old);
      return;
    }
    this.setCondition(hpa, 'AbleToScale', 'True', 'SucceededGetScale', "the HPA controller was able to get the target's current scale");
    const currentReplicas = scale.spec?.replicas ?? 0;
    const minReplicas = hpa.spec.minReplicas ?? 1;
    let desiredReplicas = 0;
    let rescaleReason = '';
    let rescale = true;
    let metricStatuses: MetricStatus[] = hpa.status?.currentMetrics ?? [];

    if (currentReplicas === 0 && minReplicas !== 0) {
      rescale = false;
      this.setCondition(hpa, 'ScalingActive', 'False', 'ScalingDisabled', 'scaling is disabled since the replica count of the target is zero');
    } else if (currentReplicas > hpa.spec.maxReplicas) {
      rescaleReason = 'Current number of replicas above Spec.MaxReplicas';
      desiredReplicas = hpa.spec.maxReplicas;
    } else if (currentReplicas < minReplicas) {
      rescaleReason = 'Current number of replicas below Spec.MinReplicas';
      desiredReplicas = minReplicas;
    } else {
      const c = await this.computeReplicasForMetrics(hpa, scale, currentReplicas);
      metricStatuses = c.statuses;
      if (c.replicas === -1) {
        hpa.status = { ...(hpa.status ?? { desiredReplicas: 0 }), currentReplicas, currentMetrics: metricStatuses.length ? metricStatuses : undefined };
        await this.writeStatus(hpa, old);
        this.log.info({ hpa: key, err: c.error }, `failed to compute desired number of replicas based on listed metrics for ${reference}`);
        return;
      }
      desiredReplicas = c.replicas;
      if (desiredReplicas > currentReplicas) rescaleReason = `${c.metricName} above target`;
      if (desiredReplicas < currentReplicas) rescaleReason = 'All metrics below target';
      const v = this.history.normalize({ key, currentReplicas, desiredReplicas, minReplicas, maxReplicas: hpa.spec.maxReplicas, behavior: hpa.spec.behavior });
      this.setCondition(hpa, 'AbleToScale', 'True', v.ableReason, v.ableMessage);
      this.setCondition(hpa, 'ScalingLimited', v.limited ? 'True' : 'False', v.limitReason, v.limitMessage);
      desiredReplicas = v.replicas;
      rescale = desiredReplicas !== currentReplicas;
    }

    if (rescale) {
      try {
        await this.scales.update(ref, ns, { ...scale, spec: { ...(scale.spec ?? {}), replicas: desiredReplicas } });
      } catch (e) {
        const msg = String((e as Error)?.message ?? e);
        this.recorder.event(hpa, 'Warning', 'FailedRescale', `New size: ${desiredReplicas}; reason: ${rescaleReason}; error: ${msg}`);
        this.setCondition(hpa, 'AbleToScale', 'False', 'FailedUpdateScale', `the HPA controller was unable to update the target scale: ${msg}`);
        hpa.status = { ...(hpa.status ?? { desiredReplicas: 0 }), currentReplicas, currentMetrics: metricStatuses.length ? metricStatuses : undefined };
        await this.writeStatus(hpa, old);
        return;
      }
      this.setCondition(hpa, 'AbleToScale', 'True', 'SucceededRescale', `the HPA controller was able to update the target scale to ${desiredReplicas}`);
      this.recorder.event(hpa, 'Normal', 'SuccessfulRescale', `New size: ${desiredReplicas}; reason: ${rescaleReason}`);
      this.history.recordScale(key, hpa.spec.behavior, currentReplicas, desiredReplicas);
      this.log.info({ hpa: key, currentReplicas, desiredReplicas, reason: rescaleReason }, 'Successful rescale');
    } else {
      desiredReplicas = currentReplicas;
    }
    const st = hpa.status ?? { desiredReplicas: 0 };
    hpa.status = {
      ...st,
      observedGeneration: hpa.metadata.generation,
      currentReplicas,
      desiredReplicas,
      currentMetrics: metricStatuses.length ? metricStatuses : undefined,
      lastScaleTime: rescale ? rfc3339(this.clock()) : st.lastScaleTime,
    };
    if (!hpa.status.currentMetrics) delete hpa.status.currentMetrics;
    if (!hpa.status.lastScaleTime) delete hpa.status.lastScaleTime;
    await this.writeStatus(hpa, old);
  }

  /** Upstream computeReplicasForMetrics: the highest valid proposal; -1 when the invalid metrics decide. */
  private async computeReplicasForMetrics(
    hpa: HorizontalPodAutoscaler,
    scale: Scale,
    currentReplicas: number,
  ): Promise<{ replicas: number; metricName: string; statuses: MetricStatus[]; error?: string }> {
    const selectorText = scale.status?.selector ?? '';
    if (!selectorText) {
      this.recorder.event(hpa, 'Warning', 'SelectorRequired', 'selector is required');
      this.setCondition(hpa, 'ScalingActive', 'False', 'InvalidSelector', "the HPA target's scale is missing a selector");
      return { replicas: -1, metricName: '', statuses: [], error: 'selector is required' };
    }
    let matcher: (labels: Record<string, string>) => boolean;
    try {
      const sel = parseLabelSelector(selectorText);
      matcher = (l) => sel.matches(l);
    } catch (e) {
      const msg = `couldn't convert selector into a corresponding internal selector object: ${String((e as Error)?.message ?? e)}`;
      this.recorder.event(hpa, 'Warning', 'InvalidSelector', msg);
      this.setCondition(hpa, 'ScalingActive', 'False', 'InvalidSelector', msg);
      return { replicas: -1, metricName: '', statuses: [], error: msg };
    }
    const specs = hpa.spec.metrics ?? [];
    const statuses: MetricStatus[] = [];
    let replicas = 0;
    let metricName = '';
    let invalid = 0;
    let firstError: { reason: string; message: string } | undefined;
    for (const spec of specs) {
      const p = await this.computeStatusForMetric(hpa, spec, currentReplicas, selectorText, matcher);
      if (p.error || p.replicas === undefined) {
        invalid++;
        firstError ??= p.error;
        statuses.push(p.status ?? ({ type: spec.type } as MetricStatus));
        continue;
      }
      statuses.push(p.status!);
      if (p.replicas > replicas) {
        replicas = p.replicas;
        metricName = p.name;
      }
    }
    if (invalid >= specs.length || (invalid > 0 && replicas < currentReplicas)) {
      const e = firstError ?? { reason: 'FailedGetResourceMetric', message: 'no metrics' };
      this.setCondition(hpa, 'ScalingActive', 'False', e.reason, `the HPA was unable to compute the replica count: ${e.message}`);
      const msg = `invalid metrics (${invalid} invalid out of ${specs.length}), first error is: ${e.message}`;
      this.recorder.event(hpa, 'Warning', 'FailedComputeMetricsReplicas', msg);
      return { replicas: -1, metricName, statuses, error: msg };
    }
    this.setCondition(hpa, 'ScalingActive', 'True', 'ValidMetricFound', `the HPA was able to successfully calculate a replica count from ${metricName}`);
    return { replicas, metricName, statuses };
  }

  private calculatorOptions(): CalculatorOptions {
    return {
      cpuInitializationPeriodMs: this.o.cpuInitializationPeriodMs ?? DEFAULT_CALCULATOR_OPTIONS.cpuInitializationPeriodMs,
      delayOfInitialReadinessStatusMs: this.o.initialReadinessDelayMs ?? DEFAULT_CALCULATOR_OPTIONS.delayOfInitialReadinessStatusMs,
      now: this.clock(),
    };
  }

  private async computeStatusForMetric(
    hpa: HorizontalPodAutoscaler,
    spec: MetricSpec,
    currentReplicas: number,
    selector: string,
    matcher: (labels: Record<string, string>) => boolean,
  ): Promise<MetricProposal> {
    const fail = (reason: string, message: string): MetricProposal => {
      this.recorder.event(hpa, 'Warning', reason, message);
      return { name: '', error: { reason, message } };
    };
    if (spec.type !== 'Resource' && spec.type !== 'ContainerResource') {
      // no custom or external metrics API is served
      const reason =
        { Pods: 'FailedGetPodsMetric', Object: 'FailedGetObjectMetric', External: 'FailedGetExternalMetric' }[spec.type] ?? 'InvalidMetricSourceType';
      return fail(
        reason,
        `unable to get metric ${spec.pods?.metric.name ?? spec.object?.metric.name ?? spec.external?.metric.name ?? ''}: no custom or external metrics API is served`,
      );
    }
    const container = spec.type === 'ContainerResource' ? spec.containerResource?.container : undefined;
    const src = spec.type === 'Resource' ? spec.resource : spec.containerResource;
    const failReason = spec.type === 'Resource' ? 'FailedGetResourceMetric' : 'FailedGetContainerResourceMetric';
    if (!src) return fail(failReason, 'missing metric source');
    const resource = src.name;
    const ns = hpa.metadata.namespace!;
    const pods = this.pods.namespace(ns).list(matcher);
    // upstream wraps the calculator's error (the metrics fetch included) by target kind
    const failed = src.target.averageValue !== undefined ? `failed to get ${resource} usage` : `failed to get ${resource} utilization`;
    let metrics;
    try {
      metrics = await this.metrics.podMetrics(ns, selector, resource, container);
    } catch (e) {
      return fail(failReason, `${failed}: unable to get metrics for resource ${resource}: ${String((e as Error)?.message ?? e)}`);
    }
    const o = this.calculatorOptions();
    let r: ReplicaResult;
    const statusOf = (current: MetricStatus['resource'] extends infer T ? T : never): MetricStatus =>
      spec.type === 'Resource'
        ? { type: 'Resource', resource: current as NonNullable<MetricStatus['resource']> }
        : { type: 'ContainerResource', containerResource: { ...(current as NonNullable<MetricStatus['resource']>), container: container! } };
    try {
      if (src.target.averageValue !== undefined) {
        const target = parseQuantity(src.target.averageValue);
        const targetValue = resource === 'cpu' ? target.milliValue() : target.value();
        r = rawResourceReplicas(currentReplicas, targetValue, resource, this.tolerances, pods, metrics, o);
        const avg = resource === 'cpu' ? milliQuantity(r.rawUtilization) : String(r.rawUtilization);
        return {
          replicas: r.replicas,
          name: `${resource} resource`,
          timestamp: r.timestamp,
          status: statusOf({ name: resource, current: { averageValue: avg } }),
        };
      }
      const target = src.target.averageUtilization;
      if (target === undefined)
        return fail(failReason, 'invalid resource metric source: neither an average utilization target nor an average value (usage) target was set');
      r = resourceReplicas(currentReplicas, target, resource, this.tolerances, pods, metrics, o, container);
    } catch (e) {
      return fail(failReason, `${failed}: ${String((e as Error)?.message ?? e)}`);
    }
    const avg = resource === 'cpu' ? milliQuantity(r.rawUtilization) : String(r.rawUtilization);
    return {
      replicas: r.replicas,
      name: `${resource} resource utilization (percentage of request)`,
      timestamp: r.timestamp,
      status: statusOf({ name: resource, current: { averageUtilization: r.utilization, averageValue: avg } }),
    };
  }
}
