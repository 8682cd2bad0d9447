// Schemas of autoscaling/v2 and autoscaling/v1 HorizontalPodAutoscaler and their lists (autoscaling/v1 Scale
// is in core_v1_workload.ts).
import type { Definitions } from './types.js';
import { str, int32, ref, obj, arr, time, quantity, kindSchema, listSchema, META } from './build.js';

const V2 = 'io.k8s.api.autoscaling.v2.';
const V1 = 'io.k8s.api.autoscaling.v1.';

const crossRef = (description: string) =>
  obj(
    description,
    {
      apiVersion: str('API version of the referent.'),
      kind: str('Kind of the referent, e.g. Deployment.'),
      name: str('Name of the referent.'),
    },
    ['kind', 'name'],
  );

export const autoscalingDefinitions: Definitions = {
  [V2 + 'CrossVersionObjectReference']: crossRef('Enough information to identify the referred resource.'),
  [V2 + 'MetricTarget']: obj(
    'The target value, average value, or average utilization of a metric.',
    {
      averageUtilization: int32(
        "Target value of the average of the resource metric across all pods, as a percentage of the pods' requests (Resource metrics only).",
      ),
      averageValue: quantity('Target value of the average of the metric across all pods.'),
      type: str('Whether the metric type is Utilization, Value, or AverageValue.'),
      value: quantity('Target value of the metric.'),
    },
    ['type'],
  ),
  [V2 + 'MetricValueStatus']: obj('The current value of a metric.', {
    averageUtilization: int32('Current value of the average of the resource metric across all pods, as a percentage of requests.'),
    averageValue: quantity('Current value of the average of the metric across all pods.'),
    value: quantity('Current value of the metric.'),
  }),
  [V2 + 'MetricIdentifier']: obj(
    'Defines the name and optionally selector for a metric.',
    { name: str('Name of the given metric.'), selector: ref(META + 'LabelSelector', "Selector for the metric's labels.") },
    ['name'],
  ),
  [V2 + 'ResourceMetricSource']: obj(
    'A resource metric (cpu, memory) known to Kubernetes, averaged across the pods of the scale target.',
    { name: str('Name of the resource in question.'), target: ref(V2 + 'MetricTarget', 'Target value for the given metric.') },
    ['name', 'target'],
  ),
  [V2 + 'ContainerResourceMetricSource']: obj(
    'A resource metric of one container in each pod of the scale target.',
    {
      container: str('Name of the container in the pods of the scaling target.'),
      name: str('Name of the resource in question.'),
      target: ref(V2 + 'MetricTarget', 'Target value for the given metric.'),
    },
    ['name', 'target', 'container'],
  ),
  [V2 + 'PodsMetricSource']: obj(
    'A metric describing each pod in the current scale target, averaged.',
    { metric: ref(V2 + 'MetricIdentifier', 'The target metric.'), target: ref(V2 + 'MetricTarget', 'Target value for the given metric.') },
    ['metric', 'target'],
  ),
  [V2 + 'ObjectMetricSource']: obj(
    'A metric describing a single Kubernetes object.',
    {
      describedObject: ref(V2 + 'CrossVersionObjectReference', 'The object the metric describes.'),
      metric: ref(V2 + 'MetricIdentifier', 'The target metric.'),
      target: ref(V2 + 'MetricTarget', 'Target value for the given metric.'),
    },
    ['describedObject', 'target', 'metric'],
  ),
  [V2 + 'ExternalMetricSource']: obj(
    'A global metric not associated with any Kubernetes object.',
    { metric: ref(V2 + 'MetricIdentifier', 'The target metric.'), target: ref(V2 + 'MetricTarget', 'Target value for the given metric.') },
    ['metric', 'target'],
  ),
  [V2 + 'MetricSpec']: obj(
    'Specification for how to scale based on a single metric (only one source should be set, matching type).',
    {
      containerResource: ref(V2 + 'ContainerResourceMetricSource', 'A resource metric of a single container in each pod.'),
      external: ref(V2 + 'ExternalMetricSource', 'A global metric not associated with any Kubernetes object.'),
      object: ref(V2 + 'ObjectMetricSource', 'A metric describing a single Kubernetes object.'),
      pods: ref(V2 + 'PodsMetricSource', 'A metric describing each pod in the current scale target.'),
      resource: ref(V2 + 'ResourceMetricSource', 'A resource metric known to Kubernetes, as specified in requests and limits.'),
      type: str('The type of metric source: ContainerResource, External, Object, Pods or Resource.'),
    },
    ['type'],
  ),
  [V2 + 'MetricStatus']: obj(
    'The last read state of a single metric.',
    {
      containerResource: obj('Current value of a container resource metric.', {
        container: str('Name of the container.'),
        current: ref(V2 + 'MetricValueStatus', 'Current value of the metric.'),
        name: str('Name of the resource.'),
      }),
      external: obj('Current value of an external metric.', {
        current: ref(V2 + 'MetricValueStatus', 'Current value.'),
        metric: ref(V2 + 'MetricIdentifier', 'The metric.'),
      }),
      object: obj('Current value of an object metric.', {
        current: ref(V2 + 'MetricValueStatus', 'Current value.'),
        describedObject: ref(V2 + 'CrossVersionObjectReference', 'The object.'),
        metric: ref(V2 + 'MetricIdentifier', 'The metric.'),
      }),
      pods: obj('Current value of a pods metric.', {
        current: ref(V2 + 'MetricValueStatus', 'Current value.'),
        metric: ref(V2 + 'MetricIdentifier', 'The metric.'),
      }),
      resource: obj('Current value of a resource metric.', { current: ref(V2 + 'MetricValueStatus', 'Current value.'), name: str('Name of the resource.') }),
      type: str('The type of metric source.'),
    },
    ['type'],
  ),
  [V2 + 'HPAScalingPolicy']: obj(
    'A single policy which must hold true for a specified past interval.',
    {
      periodSeconds: int32('The window of time for which the policy should hold true (0 < periodSeconds <= 1800).'),
      type: str('Used to specify the scaling policy: Pods or Percent.'),
      value: int32('The amount of change which is permitted by the policy; must be greater than zero.'),
    },
    ['type', 'value', 'periodSeconds'],
  ),
  [V2 + 'HPAScalingRules']: obj('Configures the scaling behavior for one direction.', {
    policies: arr(ref(V2 + 'HPAScalingPolicy'), 'Policies that may be used during scaling; at least one.', { listType: 'atomic' }),
    selectPolicy: str('Which policy should be used: Max (default), Min or Disabled.'),
    stabilizationWindowSeconds: int32('Past recommendations considered while scaling (0 to 3600 seconds).'),
    tolerance: quantity('Tolerance on the ratio between the current and desired metric value under which no update is made.'),
  }),
  [V2 + 'HorizontalPodAutoscalerBehavior']: obj('Scaling behavior of the target in both Up and Down directions.', {
    scaleDown: ref(V2 + 'HPAScalingRules', 'Scaling policy for scaling Down (default: 300 s stabilization, 100% per 15 s).'),
    scaleUp: ref(V2 + 'HPAScalingRules', 'Scaling policy for scaling Up (default: no stabilization, max of 4 pods or 100% per 15 s).'),
  }),
  [V2 + 'HorizontalPodAutoscalerSpec']: obj(
    'The desired functionality of the HorizontalPodAutoscaler.',
    {
      behavior: ref(V2 + 'HorizontalPodAutoscalerBehavior', 'Scaling behavior of the target in both Up and Down directions.'),
      maxReplicas: int32('The upper limit for the number of replicas to which the autoscaler can scale up.'),
      metrics: arr(ref(V2 + 'MetricSpec'), 'The specifications for which to use to calculate the desired replica count.', { listType: 'atomic' }),
      minReplicas: int32('The lower limit for the number of replicas to which the autoscaler can scale down (default 1).'),
      scaleTargetRef: ref(V2 + 'CrossVersionObjectReference', 'The target resource to scale.'),
    },
    ['scaleTargetRef', 'maxReplicas'],
  ),
  [V2 + 'HorizontalPodAutoscalerCondition']: obj(
    'The state of a HorizontalPodAutoscaler at a certain point.',
    {
      lastTransitionTime: time('The last time the condition transitioned from one status to another.'),
      message: str('A human-readable explanation containing details about the transition.'),
      reason: str("The reason for the condition's last transition."),
      status: str('Status of the condition (True, False, Unknown).'),
      type: str('Type describes the current condition.'),
    },
    ['type', 'status'],
  ),
  [V2 + 'HorizontalPodAutoscalerStatus']: obj(
    'The current status of a horizontal pod autoscaler.',
    {
      conditions: arr(ref(V2 + 'HorizontalPodAutoscalerCondition'), 'Conditions needed for this autoscaler to scale its target.', {
        listType: 'map',
        mapKeys: ['type'],
        mergeKey: 'type',
        strategy: 'merge',
      }),
      currentMetrics: arr(ref(V2 + 'MetricStatus'), 'The last read state of the metrics used by this autoscaler.', { listType: 'atomic' }),
      currentReplicas: int32('Current number of replicas of pods managed by this autoscaler, as last seen by the autoscaler.'),
      desiredReplicas: int32('Desired number of replicas of pods managed by this autoscaler, as last calculated by the autoscaler.'),
      lastScaleTime: time('The last time the HorizontalPodAutoscaler scaled the number of pods.'),
      observedGeneration: { type: 'integer', format: 'int64', description: 'The most recent generation observed by this autoscaler.' },
    },
    ['desiredReplicas'],
  ),
  [V2 + 'HorizontalPodAutoscaler']: kindSchema(
    'autoscaling',
    'v2',
    'HorizontalPodAutoscaler',
    'Automatically manages the replica count of any resource implementing the scale subresource based on the metrics specified.',
    {
      spec: ref(V2 + 'HorizontalPodAutoscalerSpec', 'Behaviour of the autoscaler.'),
      status: ref(V2 + 'HorizontalPodAutoscalerStatus', 'Current information about the autoscaler.'),
    },
  ),
  [V2 + 'HorizontalPodAutoscalerList']: listSchema(
    'autoscaling',
    'v2',
    'HorizontalPodAutoscalerList',
    V2 + 'HorizontalPodAutoscaler',
    'horizontal pod autoscalers',
  ),

  [V1 + 'CrossVersionObjectReference']: crossRef('Enough information to identify the referred resource.'),
  [V1 + 'HorizontalPodAutoscalerSpec']: obj(
    'Specification of a horizontal pod autoscaler.',
    {
      maxReplicas: int32('Upper limit for the number of pods that can be set by the autoscaler.'),
      minReplicas: int32('Lower limit for the number of pods that can be set by the autoscaler (default 1).'),
      scaleTargetRef: ref(V1 + 'CrossVersionObjectReference', 'Reference to scaled resource.'),
      targetCPUUtilizationPercentage: int32('Target average CPU utilization (percentage of requested CPU) over all the pods; default 80%.'),
    },
    ['scaleTargetRef', 'maxReplicas'],
  ),
  [V1 + 'HorizontalPodAutoscalerStatus']: obj(
    'Current status of a horizontal pod autoscaler.',
    {
      currentCPUUtilizationPercentage: int32('Current average CPU utilization over all pods, as a percentage of requested CPU.'),
      currentReplicas: int32('Current number of replicas of pods managed by this autoscaler.'),
      desiredReplicas: int32('Desired number of replicas of pods managed by this autoscaler.'),
      lastScaleTime: time('Last time the HorizontalPodAutoscaler scaled the number of pods.'),
      observedGeneration: { type: 'integer', format: 'int64', description: 'Most recent generation observed by this autoscaler.' },
    },
    ['currentReplicas', 'desiredReplicas'],
  ),
  [V1 + 'HorizontalPodAutoscaler']: kindSchema('autoscaling', 'v1', 'HorizontalPodAutoscaler', 'Configuration of a horizontal pod autoscaler.', {
    spec: ref(V1 + 'HorizontalPodAutoscalerSpec', 'Behaviour of the autoscaler.'),
    status: ref(V1 + 'HorizontalPodAutoscalerStatus', 'Current information about the autoscaler.'),
  }),
  [V1 + 'HorizontalPodAutoscalerList']: listSchema(
    'autoscaling',
    'v1',
    'HorizontalPodAutoscalerList',
    V1 + 'HorizontalPodAutoscaler',
    'horizontal pod autoscalers',
  ),
};
