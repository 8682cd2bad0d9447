// Cell formatting helpers shared by printers: label maps and label selectors as strings, and the
// container-names / images cells of workload templates.

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

/**
 * A metav1.LabelSelector rendered like labels.Selector.String(): requirements sorted by key,
 * "k=v", "k in (a,b)", "k notin (a,b)", "k", "!k". Returns "" for an empty or missing selector,
 * or undefined when the selector is invalid (unknown operator).
 */
export function labelSelectorString(selector: unknown): string | undefined {
  const sel = asDict(selector);
  const reqs: { key: string; text: string }[] = [];
  const matchLabels = asDict(sel.matchLabels);
  for (const k of Object.keys(matchLabels)) reqs.push({ key: k, text: `${k}=${asString(matchLabels[k])}` });
  for (const raw of asArray(sel.matchExpressions)) {
    const e = asDict(raw);
    const key = asString(e.key);
    const values = asArray(e.values).map(asString).sort();
    switch (e.operator) {
      case 'In':
        reqs.push({ key, text: `${key} in (${values.join(',')})` });
        break;
      case 'NotIn':
        reqs.push({ key, text: `${key} notin (${values.join(',')})` });
        break;
      case 'Exists':
        reqs.push({ key, text: key });
        break;
      case 'DoesNotExist':
        reqs.push({ key, text: `!${key}` });
        break;
      default:
        return undefined;
    }
  }
  reqs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return reqs.map((r) => r.text).join(',');
}

/** metav1.FormatLabelSelector: "<none>" when empty, "<error>" when invalid. */
export function formatLabelSelector(selector: unknown): string {
  const s = labelSelectorString(selector);
  if (s === undefined) return '<error>';
  return s === '' ? '<none>' : s;
}

/** Container names and images of a pod template, each comma-joined on one line. */
export function layoutContainerCells(containers: unknown): [string, string] {
  const list = asArray(containers).map(asDict);
  return [list.map((c) => asString(c.name)).join(','), list.map((c) => asString(c.image)).join(',')];
}

/** The pod template's containers of a workload object (spec.template.spec.containers). */
export function templateContainers(spec: unknown): unknown {
  return asDict(asDict(asDict(spec).template).spec).containers;
}
