// How objects become stored values: JSON text with metadata.resourceVersion stamped by the store.
// Shared by both backends so they serialize identically and hand out fresh copies.
import type { KubeObject } from '../api/types.js';

/** Serialize `obj` with metadata.resourceVersion = rv, without mutating the caller's object. */
export function encodeWithRV(obj: KubeObject, rv: number): string {
  const metadata = { ...(obj.metadata ?? {}), resourceVersion: String(rv) };
  return JSON.stringify({ ...obj, metadata });
}

/** Stands in for the revision in encodeWithTwoRVs; JSON escapes the control characters, so it is a rare sequence. */
const RV_MARK = '\u0001k8ts-rv\u0001';
const RV_MARK_JSON = JSON.stringify(RV_MARK);

/**
 * `obj` encoded as by encodeWithRV with revision `a` and with revision `b`, serialising the object once: an
 * update compares the first with the stored value and, when it differs, writes the second.
 */
export function encodeWithTwoRVs(obj: KubeObject, a: number, b: number): { prev: string; value: string } {
  const marked = JSON.stringify({ ...obj, metadata: { ...(obj.metadata ?? {}), resourceVersion: RV_MARK } });
  const i = marked.indexOf(RV_MARK_JSON);
  // the mark also inside the object's own data: serialise twice rather than guess which one is metadata's
  if (i < 0 || marked.indexOf(RV_MARK_JSON, i + 1) >= 0) return { prev: encodeWithRV(obj, a), value: encodeWithRV(obj, b) };
  const head = marked.slice(0, i);
  const tail = marked.slice(i + RV_MARK_JSON.length);
  return { prev: `${head}"${a}"${tail}`, value: `${head}"${b}"${tail}` };
}

/** A fresh, caller-owned copy of a stored value. */
export function decode(value: string): KubeObject {
  return JSON.parse(value) as KubeObject;
}

/** Exclusive upper bound for a key range covering every key that starts with `prefix` (undefined = no bound). */
export function prefixEnd(prefix: string): string | undefined {
  for (let i = prefix.length - 1; i >= 0; i--) {
    const c = prefix.charCodeAt(i);
    if (c < 0xffff) return prefix.slice(0, i) + String.fromCharCode(c + 1);
  }
  return undefined;
}

/** Validate an expected resourceVersion argument (undefined = no precondition). */
export function hasPrecondition(expectedRV: number | undefined): expectedRV is number {
  return expectedRV !== undefined && expectedRV !== null && !Number.isNaN(expectedRV);
}
