// IntOrString values that are an absolute number or a percentage ("25%") of a total, scaled as upstream's
// intstr.GetScaledValueFromIntOrPercent (rolling-update maxSurge / maxUnavailable and the like).
import type { IntOrString } from './core/v1/types.js';

const PERCENT = /^[0-9]+%$/;

export function isPercent(v: IntOrString | undefined | null): v is string {
  return typeof v === 'string' && PERCENT.test(v);
}

/**
 * The value of `v` against `total`: an integer as is; "N%" as N% of total, rounded up or down. Throws on
 * a string that is not a percentage (validation rejects those before a controller sees them).
 */
export function scaledValueFromIntOrPercent(v: IntOrString | undefined | null, total: number, roundUp: boolean): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === 'number') return v;
  if (!PERCENT.test(v)) throw new Error(`invalid value for IntOrString: invalid value ${JSON.stringify(v)}`);
  const pct = Number(v.slice(0, -1));
  const exact = (pct * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}
