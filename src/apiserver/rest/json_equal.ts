// jsonEqual: whether two values serialise to the same JSON, up to the order of object keys; what comparing
// JSON.parse(JSON.stringify(x)) with isDeepStrictEqual answers, without serialising (an update's no-op check).
/**
 * JSON's view of a value: undefined, functions and symbols vanish (in arrays: null), non-finite numbers are
 * null, and an object with toJSON (a Date, a Buffer) is what that returns.
 */
function leaf(v: unknown): unknown {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'function' || typeof v === 'symbol') return undefined;
  if (v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function') return leaf((v as { toJSON(): unknown }).toJSON());
  return v;
}

export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  a = leaf(a);
  b = leaf(b);
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return a === b;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) {
      // an array keeps a vanishing element's place as null
      if (!jsonEqual(leaf(a[i]) ?? null, leaf(b[i]) ?? null)) return false;
    }
    return true;
  }
  if (Array.isArray(b)) return false;
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  let n = 0;
  for (const k in ao) {
    if (!Object.prototype.hasOwnProperty.call(ao, k) || leaf(ao[k]) === undefined) continue;
    n++;
    if (!Object.prototype.hasOwnProperty.call(bo, k) || !jsonEqual(ao[k], bo[k])) return false;
  }
  for (const k in bo) {
    if (Object.prototype.hasOwnProperty.call(bo, k) && leaf(bo[k]) !== undefined) n--;
  }
  return n === 0;
}
