// Cell formatting helpers shared by printers: loose field access and label maps as strings.

type Dict = Record<string, unknown>;

export function asDict(v: unknown): Dict {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Dict) : {};
}

export function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

export function asString(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

export function asNumber(v: unknown, fallback = 0): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
}

/** labels.FormatLabels: "k1=v1,k2=v2" sorted by key, "<none>" when empty. */
export function formatLabels(labels: unknown): string {
  const d = asDict(labels);
  const keys = Object.keys(d).sort();
  if (keys.length === 0) return '<none>';
  return keys.map((k) => `${k}=${asString(d[k])}`).join(',');
}
