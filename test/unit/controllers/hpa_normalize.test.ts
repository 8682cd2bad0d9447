// HPA normalization: stabilization windows (highest recent recommendation on the way down, lowest on the way
// up), the default 2x-or-4 scale-up rule, behavior policies with Max/Min/Disabled, min/max clamping and the
// upstream condition reasons.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ScalingHistory } from '../../../src/controllers/podautoscaler/normalize.js';

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}
const base = { key: 'default/web', minReplicas: 1, maxReplicas: 10 };

describe('without behavior', () => {
  it('scale-down is stabilized to the highest recommendation of the window', () => {
    const c = clock();
    const h = new ScalingHistory(60_000, c.now);
    assert.equal(h.normalize({ ...base, currentReplicas: 5, desiredReplicas: 5 }).replicas, 5);
    c.advance(15_000);
    const v = h.normalize({ ...base, currentReplicas: 5, desiredReplicas: 2 });
    assert.deepEqual([v.replicas, v.ableReason], [5, 'ScaleDownStabilized']);
    c.advance(61_000);
    const later = h.normalize({ ...base, currentReplicas: 5, desiredReplicas: 2 });
    assert.deepEqual([later.replicas, later.ableReason, later.limitReason], [2, 'ReadyForNewScale', 'DesiredWithinRange']);
  });

  it('scale-up at most doubles (or reaches 4), then max replicas', () => {
    const h = new ScalingHistory(0, clock().now);
    const v = h.normalize({ ...base, currentReplicas: 3, desiredReplicas: 9 });
    assert.deepEqual([v.replicas, v.limited, v.limitReason], [6, true, 'ScaleUpLimit']);
    const m = new ScalingHistory(0, clock().now).normalize({ ...base, maxReplicas: 5, currentReplicas: 3, desiredReplicas: 9 });
    assert.deepEqual([m.replicas, m.limited, m.limitReason], [5, true, 'TooManyReplicas']);
    const low = new ScalingHistory(0, clock().now).normalize({ ...base, minReplicas: 2, currentReplicas: 3, desiredReplicas: 1 });
    assert.deepEqual([low.replicas, low.limitReason], [2, 'TooFewReplicas']);
  });
});

describe('with behavior', () => {
  it('the default scale-up policies allow max(4 pods, 100%) per 15 s', () => {
    const c = clock();
    const h = new ScalingHistory(0, c.now);
    const behavior = {};
    const v = h.normalize({ ...base, maxReplicas: 100, currentReplicas: 10, desiredReplicas: 50, behavior });
    assert.deepEqual([v.replicas, v.limitReason], [20, 'ScaleUpLimit']);
    h.recordScale(base.key, behavior, 10, 20);
    c.advance(5_000);
    // within the period the change already made counts: start at 10 -> max(14, 20) = 20
    assert.equal(h.normalize({ ...base, maxReplicas: 100, currentReplicas: 20, desiredReplicas: 50, behavior }).replicas, 20);
    c.advance(15_000);
    assert.equal(h.normalize({ ...base, maxReplicas: 100, currentReplicas: 20, desiredReplicas: 50, behavior }).replicas, 40);
  });

  it('selectPolicy Min picks the smaller change; Disabled stops scaling in that direction', () => {
    const h = new ScalingHistory(0, clock().now);
    const policies = [
      { type: 'Pods' as const, value: 4, periodSeconds: 15 },
      { type: 'Percent' as const, value: 100, periodSeconds: 15 },
    ];
    const min = h.normalize({ ...base, maxReplicas: 100, currentReplicas: 10, desiredReplicas: 50, behavior: { scaleUp: { selectPolicy: 'Min', policies } } });
    assert.equal(min.replicas, 14);
    const off = h.normalize({
      ...base,
      currentReplicas: 6,
      desiredReplicas: 2,
      behavior: { scaleDown: { selectPolicy: 'Disabled', stabilizationWindowSeconds: 0 } },
    });
    assert.deepEqual([off.replicas, off.limitReason], [6, 'ScaleDownLimit']);
  });

  it('scale-down stabilization window from the behavior, then the 100%/15 s policy', () => {
    const c = clock();
    const h = new ScalingHistory(300_000, c.now);
    const behavior = { scaleDown: { stabilizationWindowSeconds: 10 } };
    h.normalize({ ...base, currentReplicas: 4, desiredReplicas: 4, behavior });
    c.advance(5_000);
    const v = h.normalize({ ...base, currentReplicas: 4, desiredReplicas: 1, behavior });
    assert.deepEqual([v.replicas, v.ableReason], [4, 'ScaleDownStabilized']);
    c.advance(11_000);
    const w = h.normalize({ ...base, currentReplicas: 4, desiredReplicas: 1, behavior });
    assert.deepEqual([w.replicas, w.ableReason], [1, 'ReadyForNewScale']);
  });

  it('scale-up stabilization takes the lowest recent recommendation', () => {
    const c = clock();
    const h = new ScalingHistory(0, c.now);
    const behavior = { scaleUp: { stabilizationWindowSeconds: 30 } };
    h.normalize({ ...base, currentReplicas: 2, desiredReplicas: 2, behavior });
    c.advance(5_000);
    const v = h.normalize({ ...base, currentReplicas: 2, desiredReplicas: 6, behavior });
    assert.deepEqual([v.replicas, v.ableReason], [2, 'ScaleUpStabilized']);
  });

  it('a Pods scale-down policy removes at most that many per period', () => {
    const h = new ScalingHistory(0, clock().now);
    const v = h.normalize({
      ...base,
      currentReplicas: 8,
      desiredReplicas: 1,
      behavior: { scaleDown: { stabilizationWindowSeconds: 0, policies: [{ type: 'Pods', value: 2, periodSeconds: 60 }] } },
    });
    assert.deepEqual([v.replicas, v.limited, v.limitReason], [6, true, 'ScaleDownLimit']);
  });
});
