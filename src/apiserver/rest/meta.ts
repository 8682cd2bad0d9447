// Small helpers for object metadata the generic store fills in: timestamps, uids, names from generateName.
import { randomUUID, randomInt } from 'node:crypto';
import type { KubeObject } from '../../api/types.js';

/** RFC 3339 with second precision, as metav1.Time serialises. */
export function nowRFC3339(d: Date = new Date()): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function newUID(): string {
  return randomUUID();
}

const GEN_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** generateName + 5 random characters, upstream's SimpleNameGenerator (base trimmed to fit 63 chars). */
export function generateName(base: string): string {
  const trimmed = base.length > 58 ? base.slice(0, 58) : base;
  let s = '';
  for (let i = 0; i < 5; i++) s += GEN_ALPHABET[randomInt(GEN_ALPHABET.length)];
  return trimmed + s;
}

export function rvOf(obj: KubeObject | undefined): number {
  const rv = obj?.metadata?.resourceVersion;
  return rv ? Number(rv) : 0;
}
