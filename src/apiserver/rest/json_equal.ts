// Equality of two objects as JSON would serialise them (undefined members absent, undefined array items
// null, key order ignored), without serialising: the update path asks it of every write ("would the stored
// object change?"), and a JSON round trip of both objects there cost more than the write itself.

/** True when JSON.stringify would give equal documents for `a` and `b`, up to key order. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  // Dates and the like: compare what they serialise to
  if (hasToJSON(a) || hasToJSON(b)) return JSON.stringify(a) === JSON.stringify(b);
  if (a === undefined || b === undefined) return norm(a) === norm(b);
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return norm(a) === norm(b);
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i] ?? null, b[i] ?? null)) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  let na = 0;
  for (const k in ao) {
    const v = ao[k];
    if (v === undefined || typeof v === 'function') continue;
    na++;
    if (!jsonEqual(v, bo[k])) return false;
  }
  let nb = 0;
  for (const k in bo) {
    const v = bo[k];
    if (v !== undefined && typeof v !== 'function') nb++;
  }
  return na === nb;
}

/** Scalars as JSON sees them: NaN/Infinity are null, undefined stays apart (absent). */
function norm(v: unknown): unknown {
  if (typeof v === 'number' && !Number.isFinite(v)) return null;
  return v;
}

function hasToJSON(v: unknown): boolean {
  return typeof v === 'object' && v !== null && typeof (v as { toJSON?: unknown }).toJSON === 'function';
}
