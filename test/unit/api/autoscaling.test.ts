// autoscaling HorizontalPodAutoscaler: defaults, validation messages, v1 <-> v2 conversion, and the printer's
// TARGETS column.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setDefaultsHorizontalPodAutoscaler } from '../../../src/api/autoscaling/defaults.js';
import { validateHorizontalPodAutoscaler } from '../../../src/api/autoscaling/validation.js';
import { hpaV1ToV2, hpaV2ToV1, METRIC_SPECS_ANNOTATION } from '../../../src/api/autoscaling/conversion.js';
import type { HorizontalPodAutoscaler } from '../../../src/api/autoscaling/types.js';
import { formatHPAMetrics, horizontalPodAutoscalerPrinter } from '../../../src/apiserver/printers/autoscaling.js';

const hpa = (spec: Partial<HorizontalPodAutoscaler['spec']> = {}): HorizontalPodAutoscaler => ({
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name: 'web', namespace: 'default' },
  spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, maxReplicas: 4, ...spec },
});

describe('HPA defaults', () => {
  it('minReplicas 1 and CPU 80% when no metric is named; behavior untouched when absent', () => {
    const h = hpa();
    setDefaultsHorizontalPodAutoscaler(h);
    assert.equal(h.spec.minReplicas, 1);
    assert.deepEqual(h.spec.metrics, [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }]);
    assert.equal(h.spec.behavior, undefined);
  });

  it('fills a given behavior as upstream: scale up 0 s / max(4 pods, 100%) per 15 s, scale down 300 s / 100% per 15 s', () => {
    const h = hpa({ behavior: { scaleDown: { stabilizationWindowSeconds: 5 } } });
    setDefaultsHorizontalPodAutoscaler(h);
    assert.deepEqual(h.spec.behavior, {
      scaleUp: {
        stabilizationWindowSeconds: 0,
        selectPolicy: 'Max',
        policies: [
          { type: 'Pods', value: 4, periodSeconds: 15 },
          { type: 'Percent', value: 100, periodSeconds: 15 },
        ],
      },
      scaleDown: { stabilizationWindowSeconds: 5, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] },
    });
  });
});

describe('HPA validation', () => {
  const msgs = (h: HorizontalPodAutoscaler) => validateHorizontalPodAutoscaler(h).map((c) => `${c.field}: ${c.message}`);
  it('replica bounds', () => {
    assert.deepEqual(msgs(hpa({ minReplicas: 0 })), ['spec.minReplicas: Invalid value: 0: must be greater than or equal to 1']);
    assert.deepEqual(msgs(hpa({ maxReplicas: 0 })), ['spec.maxReplicas: Invalid value: 0: must be greater than 0']);
    assert.deepEqual(msgs(hpa({ minReplicas: 5 })), ['spec.maxReplicas: Invalid value: 4: must be greater than or equal to `minReplicas`']);
  });
  it('scale target and metrics', () => {
    assert.deepEqual(msgs(hpa({ scaleTargetRef: { kind: '', name: 'x' } })), ['spec.scaleTargetRef.kind: Required value']);
    assert.deepEqual(msgs(hpa({ metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 0 } } }] })), [
      'spec.metrics[0].resource.target.averageUtilization: Invalid value: 0: must be greater than 0',
    ]);
    assert.deepEqual(msgs(hpa({ metrics: [{ type: 'Resource' }] })), [
      'spec.metrics[0].resource: Required value: must populate information for the given metric source',
    ]);
    assert.match(msgs(hpa({ metrics: [{ type: 'Bogus' as never }] }))[0], /spec\.metrics\[0\]\.type: Unsupported value: "Bogus"/);
  });
  it('behavior rules', () => {
    const m = msgs(
      hpa({ behavior: { scaleUp: { stabilizationWindowSeconds: 4000, selectPolicy: 'Min', policies: [{ type: 'Pods', value: 0, periodSeconds: 2000 }] } } }),
    );
    assert.deepEqual(m, [
      'spec.behavior.scaleUp.stabilizationWindowSeconds: Invalid value: 4000: must be less than or equal to 3600',
      'spec.behavior.scaleUp.policies[0].periodSeconds: Invalid value: 2000: must be less than or equal to 1800',
      'spec.behavior.scaleUp.policies[0].value: Invalid value: 0: must be greater than zero',
    ]);
  });
});

describe('HPA v1 <-> v2 conversion', () => {
  it('the CPU target is v1 targetCPUUtilizationPercentage; other metrics, behavior and conditions ride in annotations', () => {
    const h = hpa({
      minReplicas: 1,
      metrics: [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } },
        { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '100Mi' } } },
      ],
      behavior: { scaleDown: { stabilizationWindowSeconds: 5 } },
    });
    h.status = {
      currentReplicas: 2,
      desiredReplicas: 3,
      currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 70 } } }],
      conditions: [{ type: 'AbleToScale', status: 'True', reason: 'SucceededRescale' }],
    };
    const v1 = hpaV2ToV1(h);
    assert.equal(v1.apiVersion, 'autoscaling/v1');
    assert.equal(v1.spec.targetCPUUtilizationPercentage, 50);
    assert.equal(v1.status?.currentCPUUtilizationPercentage, 70);
    assert.deepEqual(JSON.parse(v1.metadata.annotations![METRIC_SPECS_ANNOTATION]), [
      { type: 'Resource', resource: { name: 'memory', targetAverageValue: '100Mi' } },
    ]);
    const back = hpaV1ToV2(v1);
    assert.deepEqual(back.spec, h.spec);
    assert.deepEqual(back.status?.conditions, h.status.conditions);
    assert.equal(back.metadata.annotations, undefined);
  });
});

describe('HPA printer', () => {
  it('TARGETS as 1.33 prints it', () => {
    const specs = [
      { type: 'Resource' as const, resource: { name: 'cpu', target: { type: 'Utilization' as const, averageUtilization: 50 } } },
      { type: 'Resource' as const, resource: { name: 'memory', target: { type: 'AverageValue' as const, averageValue: '100Mi' } } },
      { type: 'Pods' as const, pods: { metric: { name: 'qps' }, target: { type: 'AverageValue' as const, averageValue: '10' } } },
    ];
    assert.equal(formatHPAMetrics(specs.slice(0, 1), undefined), 'cpu: <unknown>/50%');
    assert.equal(formatHPAMetrics(specs.slice(0, 1), [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 12 } } }]), 'cpu: 12%/50%');
    assert.equal(formatHPAMetrics(specs.slice(0, 2), undefined), 'cpu: <unknown>/50%, memory: <unknown>/100Mi');
    assert.equal(formatHPAMetrics(specs, undefined), 'cpu: <unknown>/50%, memory: <unknown>/100Mi + 1 more...');
    assert.equal(formatHPAMetrics([], undefined), '<none>');
  });
  it('cells of a v1 object are those of its v2 form', () => {
    const now = new Date('2026-01-01T00:10:00Z');
    const v1 = hpaV2ToV1({
      ...hpa({ minReplicas: 2, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }] }),
      status: { currentReplicas: 3, desiredReplicas: 3 },
    });
    v1.metadata.creationTimestamp = '2026-01-01T00:00:00Z';
    assert.deepEqual(horizontalPodAutoscalerPrinter.cells(v1, now), ['web', 'Deployment/web', 'cpu: <unknown>/50%', '2', 4, 3, '10m']);
  });
});
