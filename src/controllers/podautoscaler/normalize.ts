// From a metric's proposal to the replica count the HPA sets (upstream horizontal.go normalizeDesiredReplicas
// and normalizeDesiredReplicasWithBehaviors): stabilization over recent recommendations, then the scale rate
// limits (the default 2x-or-4 rule without behavior; the behavior's policies and selectPolicy with one) and
// min/max clamping, with the AbleToScale / ScalingLimited reasons upstream gives. The per-HPA history
// (recommendations, scale events) is kept in memory, as upstream's controller keeps it.
import type { HorizontalPodAutoscalerBehavior, HPAScalingRules } from '../../api/autoscaling/types.js';
import { defaultScaleDownRules, defaultScaleUpRules } from '../../api/autoscaling/defaults.js';

interface Recommendation {
  replicas: number;
  at: number;
}
interface ScaleEvent {
  change: number;
  at: number;
  outdated: boolean;
}

export interface Verdict {
  replicas: number;
  /** AbleToScale=True reason and message: ReadyForNewScale, ScaleUpStabilized, ScaleDownStabilized. */
  ableReason: string;
  ableMessage: string;
  /** ScalingLimited: status True when the limit changed the stabilized recommendation. */
  limited: boolean;
  limitReason: string;
  limitMessage: string;
}

export interface NormalizeArgs {
  key: string;
  currentReplicas: number;
  desiredReplicas: number;
  minReplicas: number;
  maxReplicas: number;
  behavior?: HorizontalPodAutoscalerBehavior;
}

const READY = ['ReadyForNewScale', 'recommended size matches current size'] as const;
const WITHIN = ['DesiredWithinRange', 'the desired count is within the acceptable range'] as const;

export class ScalingHistory {
  private recommendations = new Map<string, Recommendation[]>();
  private scaleUpEvents = new Map<string, ScaleEvent[]>();
  private scaleDownEvents = new Map<string, ScaleEvent[]>();

  constructor(
    /** --horizontal-pod-autoscaler-downscale-stabilization (default 5 min), for HPAs without behavior. */
    private readonly downscaleStabilizationMs = 5 * 60_000,
    private readonly clock: () => number = Date.now,
  ) {}

  forget(key: string): void {
    this.recommendations.delete(key);
    this.scaleUpEvents.delete(key);
    this.scaleDownEvents.delete(key);
  }

  normalize(a: NormalizeArgs): Verdict {
    return a.behavior ? this.withBehavior(a, a.behavior) : this.withoutBehavior(a);
  }

  private withoutBehavior(a: NormalizeArgs): Verdict {
    const now = this.clock();
    // the highest recommendation of the downscale stabilization window
    let stabilized = a.desiredReplicas;
    const recs = this.recommendations.get(a.key) ?? [];
    let oldIdx = -1;
    const cutoff = now - this.downscaleStabilizationMs;
    recs.forEach((r, i) => {
      if (r.at < cutoff) oldIdx = i;
      else if (r.replicas > stabilized) stabilized = r.replicas;
    });
    if (oldIdx >= 0) recs[oldIdx] = { replicas: a.desiredReplicas, at: now };
    else recs.push({ replicas: a.desiredReplicas, at: now });
    this.recommendations.set(a.key, recs);
    const [ableReason, ableMessage] =
      stabilized !== a.desiredReplicas
        ? ['ScaleDownStabilized', 'recent recommendations were higher than current one, applying the highest recent recommendation']
        : READY;
    // upstream's rule without behavior: at most double (or 4) per scale-up
    const scaleUpLimit = Math.max(2 * a.currentReplicas, 4);
    let replicas = stabilized;
    let limit: readonly [string, string] = WITHIN;
    if (stabilized < a.minReplicas) {
      replicas = a.minReplicas;
      limit = ['TooFewReplicas', 'the desired replica count is less than the minimum replica count'];
    } else {
      const maxAllowed = Math.min(scaleUpLimit, a.maxReplicas);
      if (stabilized > maxAllowed) {
        replicas = maxAllowed;
        limit =
          scaleUpLimit < a.maxReplicas
            ? ['ScaleUpLimit', 'the desired replica count is increasing faster than the maximum scale rate']
            : ['TooManyReplicas', 'the desired replica count is more than the maximum replica count'];
      }
    }
    return { replicas, ableReason, ableMessage, limited: replicas !== stabilized, limitReason: limit[0], limitMessage: limit[1] };
  }

  private withBehavior(a: NormalizeArgs, b: HorizontalPodAutoscalerBehavior): Verdict {
    const up = defaultScaleUpRules(b.scaleUp);
    const down = defaultScaleDownRules(b.scaleDown);
    const now = this.clock();
    // stabilization: the lowest recent recommendation going up, the highest going down
    const goingUp = a.desiredReplicas >= a.currentReplicas;
    const delayMs = (goingUp ? up.stabilizationWindowSeconds! : down.stabilizationWindowSeconds!) * 1000;
    const better = goingUp ? Math.min : Math.max;
    const obsoleteCutoff = now - Math.max(up.stabilizationWindowSeconds!, down.stabilizationWindowSeconds!) * 1000;
    const cutoff = now - delayMs;
    let stabilized = a.desiredReplicas;
    const recs = this.recommendations.get(a.key) ?? [];
    let oldIdx = -1;
    recs.forEach((r, i) => {
      if (r.at > cutoff) stabilized = better(r.replicas, stabilized);
      if (r.at < obsoleteCutoff) oldIdx = i;
    });
    if (oldIdx >= 0) recs[oldIdx] = { replicas: a.desiredReplicas, at: now };
    else recs.push({ replicas: a.desiredReplicas, at: now });
    this.recommendations.set(a.key, recs);
    let able: readonly [string, string] = READY;
    if (stabilized !== a.desiredReplicas) {
      able = goingUp
        ? ['ScaleUpStabilized', 'recent recommendations were lower than current one, applying the lowest recent recommendation']
        : ['ScaleDownStabilized', 'recent recommendations were higher than current one, applying the highest recent recommendation'];
    }
    // rate limits from the policies over the scale events of their periods
    let replicas = stabilized;
    let limit: readonly [string, string] = WITHIN;
    const ups = this.scaleUpEvents.get(a.key) ?? [];
    const downs = this.scaleDownEvents.get(a.key) ?? [];
    if (stabilized > a.currentReplicas) {
      let scaleUpLimit = scaleUpLimitOf(a.currentReplicas, ups, downs, up, now);
      if (scaleUpLimit < a.currentReplicas) scaleUpLimit = a.currentReplicas;
      let maxAllowed = a.maxReplicas;
      let reason: readonly [string, string] = ['TooManyReplicas', 'the desired replica count is more than the maximum replica count'];
      if (maxAllowed > scaleUpLimit) {
        maxAllowed = scaleUpLimit;
        reason = ['ScaleUpLimit', 'the desired replica count is increasing faster than the maximum scale rate'];
      }
      if (stabilized > maxAllowed) {
        replicas = maxAllowed;
        limit = reason;
      }
    } else if (stabilized < a.currentReplicas) {
      let scaleDownLimit = scaleDownLimitOf(a.currentReplicas, ups, downs, down, now);
      if (scaleDownLimit > a.currentReplicas) scaleDownLimit = a.currentReplicas;
      let minAllowed = a.minReplicas;
      let reason: readonly [string, string] = ['TooFewReplicas', 'the desired replica count is less than the minimum replica count'];
      if (minAllowed < scaleDownLimit) {
        minAllowed = scaleDownLimit;
        reason = ['ScaleDownLimit', 'the desired replica count is decreasing faster than the maximum scale rate'];
      }
      if (stabilized < minAllowed) {
        replicas = minAllowed;
        limit = reason;
      }
    }
    return { replicas, ableReason: able[0], ableMessage: able[1], limited: replicas !== stabilized, limitReason: limit[0], limitMessage: limit[1] };
  }

  /** Records a rescale for the behavior's rate limits (upstream storeScaleEvent). */
  recordScale(key: string, behavior: HorizontalPodAutoscalerBehavior | undefined, prev: number, next: number): void {
    if (!behavior) return;
    const now = this.clock();
    const upward = next > prev;
    const rules = upward ? defaultScaleUpRules(behavior.scaleUp) : defaultScaleDownRules(behavior.scaleDown);
    const longest = Math.max(0, ...(rules.policies ?? []).map((p) => p.periodSeconds)) * 1000;
    const map = upward ? this.scaleUpEvents : this.scaleDownEvents;
    const events = map.get(key) ?? [];
    for (const e of events) if (e.at <= now - longest) e.outdated = true;
    const ev = { change: Math.abs(next - prev), at: now, outdated: false };
    const i = events.findIndex((e) => e.outdated);
    if (i >= 0) events[i] = ev;
    else events.push(ev);
    map.set(key, events);
  }
}

function changeInPeriod(periodSeconds: number, events: ScaleEvent[], now: number): number {
  const cutoff = now - periodSeconds * 1000;
  return events.reduce((sum, e) => (e.at > cutoff ? sum + e.change : sum), 0);
}

/** Upstream calculateScaleUpLimitWithScalingRules. */
export function scaleUpLimitOf(current: number, ups: ScaleEvent[], downs: ScaleEvent[], rules: HPAScalingRules, now: number): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const pick = rules.selectPolicy === 'Min' ? Math.min : Math.max;
  let result = rules.selectPolicy === 'Min' ? Number.MAX_SAFE_INTEGER : Number.MIN_SAFE_INTEGER;
  for (const p of rules.policies ?? []) {
    const start = current - changeInPeriod(p.periodSeconds, ups, now) + changeInPeriod(p.periodSeconds, downs, now);
    const proposed = p.type === 'Pods' ? start + p.value : Math.ceil(start * (1 + p.value / 100));
    result = pick(result, proposed);
  }
  return result;
}

/** Upstream calculateScaleDownLimitWithBehaviors ("Min" is the smallest change: the most replicas). */
export function scaleDownLimitOf(current: number, ups: ScaleEvent[], downs: ScaleEvent[], rules: HPAScalingRules, now: number): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const pick = rules.selectPolicy === 'Min' ? Math.max : Math.min;
  let result = rules.selectPolicy === 'Min' ? Number.MIN_SAFE_INTEGER : Number.MAX_SAFE_INTEGER;
  for (const p of rules.policies ?? []) {
    const start = current - changeInPeriod(p.periodSeconds, ups, now) + changeInPeriod(p.periodSeconds, downs, now);
    const proposed = p.type === 'Pods' ? start - p.value : Math.trunc(start * (1 - p.value / 100));
    result = pick(result, proposed);
  }
  return result;
}
