// Defaulting of autoscaling/v2 HorizontalPodAutoscalers (upstream SetDefaults_HorizontalPodAutoscaler and
// GenerateHPAScaleUpRules / GenerateHPAScaleDownRules): minReplicas 1, CPU 80% when no metric is named,
// and every unset behavior field filled once a behavior is given.
import { DEFAULT_CPU_UTILIZATION, type HorizontalPodAutoscaler, type HPAScalingRules } from './types.js';

export function defaultScaleUpRules(r: HPAScalingRules = {}): HPAScalingRules {
  return {
    ...r,
    stabilizationWindowSeconds: r.stabilizationWindowSeconds ?? 0,
    selectPolicy: r.selectPolicy ?? 'Max',
    policies: r.policies ?? [
      { type: 'Pods', value: 4, periodSeconds: 15 },
      { type: 'Percent', value: 100, periodSeconds: 15 },
    ],
  };
}

export function defaultScaleDownRules(r: HPAScalingRules = {}): HPAScalingRules {
  return {
    ...r,
    stabilizationWindowSeconds: r.stabilizationWindowSeconds ?? 300,
    selectPolicy: r.selectPolicy ?? 'Max',
    policies: r.policies ?? [{ type: 'Percent', value: 100, periodSeconds: 15 }],
  };
}

export function setDefaultsHorizontalPodAutoscaler(hpa: HorizontalPodAutoscaler): void {
  const spec = (hpa.spec ??= { scaleTargetRef: { kind: '', name: '' }, maxReplicas: 0 });
  spec.minReplicas ??= 1;
  if (!spec.metrics?.length) {
    spec.metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: DEFAULT_CPU_UTILIZATION } } }];
  }
  if (spec.behavior) {
    spec.behavior.scaleUp = defaultScaleUpRules(spec.behavior.scaleUp);
    spec.behavior.scaleDown = defaultScaleDownRules(spec.behavior.scaleDown);
  }
}
