// "Would these two serialise to the same JSON, key order aside?" without serialising: the status manager
// asks it on every pod sync (most change nothing) against a snapshot of the status it last wrote.

/** A JSON copy of v (undefined members dropped, toJSON applied): what the API got. */
export function jsonSnapshot<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

/** Whether JSON.stringify(v) equals JSON.stringify(snapshot) up to the order of object keys. */
export function sameJSON(v: unknown, snapshot: unknown): boolean {
  if (v === snapshot) return v !== undefined;
  switch (typeof v) {
    case 'number':
      return !Number.isFinite(v) && snapshot === null;
    case 'object': {
      if (v === null) return false;
      const toJSON = (v as { toJSON?: unknown }).toJSON;
      if (typeof toJSON === 'function') return sameJSON((toJSON as () => unknown).call(v), snapshot);
      if (snapshot === null || typeof snapshot !== 'object') return false;
      if (Array.isArray(v)) {
        if (!Array.isArray(snapshot) || snapshot.length !== v.length) return false;
        for (let i = 0; i < v.length; i++) {
          const x = v[i];
          if (!(isOmitted(x) ? snapshot[i] === null : sameJSON(x, snapshot[i]))) return false;
        }
        return true;
      }
      if (Array.isArray(snapshot)) return false;
      const s = snapshot as Record<string, unknown>;
      let n = 0;
      for (const k in v) {
        if (!Object.prototype.hasOwnProperty.call(v, k)) continue;
        const x = (v as Record<string, unknown>)[k];
        if (isOmitted(x)) continue;
        if (!Object.prototype.hasOwnProperty.call(s, k) || !sameJSON(x, s[k])) return false;
        n++;
      }
      return n === Object.keys(s).length;
    }
    default:
      return false;
  }
}

/** Values JSON.stringify leaves out of objects (and writes as null in arrays). */
function isOmitted(x: unknown): boolean {
  return x === undefined || typeof x === 'function' || typeof x === 'symbol';
}
