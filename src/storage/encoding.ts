// How objects become stored values: JSON text with metadata.resourceVersion stamped by the store.
// Shared by both backends so they serialize identically and hand out fresh copies.
import type { KubeObject } from '../api/types.js';

/** Serialize `obj` with metadata.resourceVersion = rv, without mutating the caller's object. */
export function encodeWithRV(obj: KubeObject, rv: number): string {
  const metadata = { ...(obj.metadata ?? {}), resourceVersion: String(rv) };
  return JSON.stringify({ ...obj, metadata });
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
