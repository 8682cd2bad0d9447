// The pod-template-hash of a Deployment's template (upstream ComputeHash): FNV-1a (32 bit) over the
// template and the collision count, its decimal digits mapped onto the safe alphabet of rand.SafeEncodeString
// so it is a valid label value and ReplicaSet name suffix. Stable for equal templates.
import type { PodTemplateSpec } from '../../api/core/v1/types.js';

export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';

const SAFE = 'bcdfghjklmnpqrstvwxz2456789';

/** Sorted keys; null, {} and [] dropped (Go clients send `creationTimestamp: null`, `resources: {}`). */
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === 'object') {
    const out: [string, unknown][] = [];
    for (const k of Object.keys(v).sort()) {
      const c = canonical((v as Record<string, unknown>)[k]);
      if (c === undefined || c === null) continue;
      if (typeof c === 'object' && (Array.isArray(c) ? c.length === 0 : Object.keys(c).length === 0)) continue;
      out.push([k, c]);
    }
    return Object.fromEntries(out);
  }
  return v;
}

function fnv1a32(s: string): number {
  let h = 0x811c9dc5;
  for (const b of Buffer.from(s, 'utf8')) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export function computeHash(template: PodTemplateSpec | undefined, collisionCount?: number): string {
  let s = JSON.stringify(canonical(template ?? {}));
  if (collisionCount !== undefined && collisionCount !== null) s += `#${collisionCount}`;
  return [...String(fnv1a32(s))].map((c) => SAFE[c.charCodeAt(0) % SAFE.length]).join('');
}

/** The template without the pod-template-hash label, for comparing a ReplicaSet's with the Deployment's. */
export function templateWithoutHash(t: PodTemplateSpec | undefined): unknown {
  const copy = structuredClone(t ?? {});
  if (copy.metadata?.labels) {
    delete copy.metadata.labels[POD_TEMPLATE_HASH_LABEL];
    if (Object.keys(copy.metadata.labels).length === 0) delete copy.metadata.labels;
  }
  return canonical(copy);
}

export function equalIgnoreHash(a: PodTemplateSpec | undefined, b: PodTemplateSpec | undefined): boolean {
  return JSON.stringify(templateWithoutHash(a)) === JSON.stringify(templateWithoutHash(b));
}
